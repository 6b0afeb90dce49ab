"""Shared fixtures for tests in real headless Chromium: the example site, built and served."""

from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from builder.audit.browser import chromium
from builder.build.pipeline import BuildOptions, build
from builder.serve.http import SiteHandler

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.browser


class ServedSite:
    def __init__(self, root: Path, result, origin: str):
        self.root, self.result, self.origin = root, result, origin
        self.base_path = result.config.base_path

    def url(self, site_path: str = "") -> str:
        return f"{self.origin}{self.base_path}{site_path}"

    def pages(self) -> list[str]:
        """Site paths of every HTML page in the output."""
        return sorted(
            p.relative_to(self.root).as_posix().removesuffix("index.html")
            for p in self.root.rglob("*.html")
            if not p.relative_to(self.root).parts[0].startswith(".")
        )

    def article(self, lang: str | None = None, with_image: bool = False, edition: str | None = None,
                translated: bool | None = None) -> str:
        """The site path of an article page, optionally in a language (of its text), in an edition,
        with a lead image, with or without translations."""
        archive = self.result.archive
        for article in archive.articles:
            if ((lang is None or article.lang == lang) and (not with_image or article.image)
                    and (edition is None or article.edition == edition)
                    and (translated is None or (article.path in archive.translations) == translated)):
                return article.path
        raise AssertionError(f"no such article in the example site (lang={lang}, with_image={with_image}, "
                             f"edition={edition}, translated={translated})")

    def editions(self) -> list[tuple[str, str]]:
        """(code, prefix) of every edition, the default first."""
        return [(e.code, e.prefix) for e in self.result.config.editions]


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> ServedSite:
    output = tmp_path_factory.mktemp("example-output")
    result = build(BuildOptions(REPO, output_dir=output))
    handler = type("Handler", (SiteHandler,), {"root": output, "base_path": result.config.base_path})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield ServedSite(output, result, f"http://127.0.0.1:{server.server_address[1]}")
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    with chromium() as driver:
        yield driver


@pytest.fixture
def page(browser, example_site):
    """The shared browser with a clean slate: no stored text size, default window size."""
    browser.set_window_size(1280, 900)
    browser.get(example_site.url())
    browser.execute_script("try { localStorage.clear() } catch (e) {}")
    yield browser


@pytest.fixture(scope="session")
def browser_without_js():
    with chromium(javascript=False) as driver:
        yield driver


def wait_for(driver, condition, timeout: float = 10, message: str = ""):
    """Wait on a condition (a function of the driver) instead of sleeping."""
    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(condition, message)
