"""Pages swapped into the document of the last page of their template (builder.audit.reuse), in real
headless Chromium: the DOM a fresh load gives, the same findings as loading every page, and a fresh
load whenever the page's scripts could have treated the new <main> differently."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import builder.audit.run as run
import builder.audit.states as states
from builder.audit.axe import axe_script_path
from builder.audit.browser import chromium
from builder.audit.reuse import swap_key
from builder.audit.run import AXE_PATH, AuditOptions, _server, audit_site
from builder.build.pipeline import BuildOptions, build
from builder.config.site import load_config

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the fixture site shared with tests/audit
from audit.fixture_site import (
    ALLOW_FAST_RULES,
    DEFECTS,
    SITE_YAML,
    article,
    article_page,
    write_fixture_site,
)

pytestmark = pytest.mark.browser

TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")
RELATIVE_IMAGE = ("relative-image", '---\ntitle: "A relative image"\ndate: 2024-03-06T09:30:00+00:00\nsection: news\n'
                  'summary: "Fixture."\n---\n\n<p><img src="../../../../images/chart.png" alt="A chart"></p>\n')


def _site(tmp_path: Path, script: str = "", articles: tuple[tuple[str, str], ...] = ()) -> Path:
    """The fixture site with `script` at the end of every page's body and more articles, built."""
    site = write_fixture_site(tmp_path)
    if script:
        base = site / "themes/fixture/templates/base.html"
        base.write_text(base.read_text(encoding="utf-8").replace("</body>", f"<script>{script}</script>\n</body>"),
                        encoding="utf-8")
    for slug, text in articles:
        (site / "content" / "news" / f"{slug}.md").write_text(text, encoding="utf-8")
    (site / "site.yaml").write_text(SITE_YAML + ALLOW_FAST_RULES, encoding="utf-8")
    build(BuildOptions(site, check_links=False, jobs=1))
    (site / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    return site


def _audit(site: Path, monkeypatch, reuse: bool) -> tuple[set, int]:
    """Findings of a whole audit, and how many pages were swapped in rather than loaded."""
    runners: list[states.StateRunner] = []

    class Counted(states.StateRunner):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            runners.append(self)

    monkeypatch.setattr(states, "StateRunner", Counted)
    monkeypatch.setattr(run, "swap_key", swap_key if reuse else (lambda html: None))
    result = audit_site(load_config(site), AuditOptions(site, workers=2, use_cache=False))
    found = {(f.page, f.rule, f.kind, f.state, f.target, f.snippet, f.detail, f.line) for f in result.findings}
    return found, sum(r.swaps for r in runners)


@pytest.fixture(scope="module")
def chrome():
    with chromium() as driver:
        yield driver


def test_a_swapped_in_page_has_the_dom_of_a_fresh_load(tmp_path, chrome):
    site = _site(tmp_path, articles=(RELATIVE_IMAGE,))
    output = site / "output"
    server = _server(output, "/gazette/", axe_script_path(), set())
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    runner = states.StateRunner(chrome, origin, origin + AXE_PATH, "", TAGS)
    paths = [article_page(d) for d in DEFECTS] + ["news/2024/03/relative-image/index.html"]
    keys = {swap_key((output / p).read_bytes()) for p in paths}
    assert len(keys) == 1 and None not in keys
    key = keys.pop()
    read = """const main = document.querySelector('main');
              return [location.href, document.title, main.outerHTML, scrollX, scrollY,
                      [...main.querySelectorAll('img')].map(i => [i.complete, i.naturalWidth])]"""
    try:
        with chromium() as fresh:  # loads each page as it is, beside the document that takes them in turn
            runner._open(origin + "/gazette/" + paths[0].removesuffix("index.html"), key)
            for path in paths[1:]:
                url = origin + "/gazette/" + path.removesuffix("index.html")
                before = runner.swaps
                runner._open(url, key)
                assert runner.swaps == before + 1, path
                swapped = chrome.execute_script(read)
                fresh.get(url)
                assert swapped == fresh.execute_script(read), path
        assert swapped[-1] == [[True, 40]]  # the relative image resolved against the new page's address
    finally:
        runner.reset()
        server.shutdown()
        server.server_close()


def test_swapping_pages_in_finds_exactly_what_loading_each_page_finds(tmp_path, monkeypatch):
    articles = tuple((f"{d.slug}-{n}", article(d)) for n in range(3) for d in DEFECTS[:-1])  # not the alias
    site = _site(tmp_path, articles=articles)
    swapped, swaps = _audit(site, monkeypatch, reuse=True)
    loaded, none = _audit(site, monkeypatch, reuse=False)
    assert swaps > len(DEFECTS) and none == 0
    assert swapped == loaded
    for defect in DEFECTS:
        for rule in defect.axe:
            assert any(f[0] == article_page(defect) and f[1] == rule for f in swapped), (defect.slug, rule)


def test_a_script_that_looks_into_main_for_something_gets_a_fresh_load_of_the_page_that_has_it(
        tmp_path, monkeypatch, chrome):
    # The script finds nothing in the first pages; a swap must not skip what it does on this one.
    script = "document.querySelectorAll('main .needs-button').forEach(p => p.append(document.createElement('button')))"
    needs = ("needs-button", '---\ntitle: "Needs a button"\ndate: 2024-03-07T09:30:00+00:00\nsection: news\n'
             'summary: "Fixture."\n---\n\n<p class="needs-button">Press here</p>\n')
    site = _site(tmp_path, script, articles=(needs,))
    found, swaps = _audit(site, monkeypatch, reuse=True)
    assert swaps > 0
    assert any(f[0] == "news/2024/03/needs-button/index.html" and f[1] == "button-name" for f in found)
    loaded, _ = _audit(site, monkeypatch, reuse=False)
    assert found == loaded

    server = _server(site / "output", "/gazette/", axe_script_path(), set())
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    runner = states.StateRunner(chrome, origin, origin + AXE_PATH, "", TAGS)
    key = swap_key((site / "output" / article_page(DEFECTS[-1])).read_bytes())
    try:
        runner._open(f"{origin}/gazette/{article_page(DEFECTS[-2]).removesuffix('index.html')}", key)
        runner._open(f"{origin}/gazette/news/2024/03/clean/", key)
        assert runner.swaps == 1
        runner._open(f"{origin}/gazette/news/2024/03/needs-button/", key)
        assert runner.swaps == 1  # loaded, not swapped in
        assert chrome.execute_script("return document.querySelectorAll('main .needs-button button').length") == 1
    finally:
        runner.reset()
        server.shutdown()
        server.server_close()


def test_a_script_that_reads_main_leaves_every_page_to_a_fresh_load(tmp_path, monkeypatch):
    script = "document.body.dataset.length = document.querySelector('main').textContent.length"
    site = _site(tmp_path, script)
    found, swaps = _audit(site, monkeypatch, reuse=True)
    assert swaps == 0
    loaded, _ = _audit(site, monkeypatch, reuse=False)
    assert found == loaded


def test_a_swap_that_fails_in_the_browser_falls_back_to_a_load(tmp_path, monkeypatch, chrome):
    site = _site(tmp_path)
    server = _server(site / "output", "/gazette/", axe_script_path(), set())
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    runner = states.StateRunner(chrome, origin, origin + AXE_PATH, "", TAGS)
    key = swap_key((site / "output" / article_page(DEFECTS[0])).read_bytes())
    first, second = (f"{origin}/gazette/{article_page(d).removesuffix('index.html')}" for d in DEFECTS[:2])
    try:
        runner._open(first, key)
        monkeypatch.setattr(states, "_SWAP", states._STEP % "throw new Error('the swap broke')")
        runner._open(second, key)
        assert runner.swaps == 0 and runner._host == key  # loaded, and a host for the next page again
        assert chrome.current_url == second
        assert chrome.execute_script("return document.querySelector('main h1').textContent") == DEFECTS[1].title
    finally:
        runner.reset()
        server.shutdown()
        server.server_close()
