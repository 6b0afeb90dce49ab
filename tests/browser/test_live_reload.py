"""`broadsheet serve` in real headless Chromium: edits show up by themselves, errors show an overlay.

Each test copies the example site to a temporary folder, runs the preview on it (port 0, in
background threads, watching the files) and edits the copy's Markdown files as an editor would.
Nothing sleeps: every wait is on a condition in the browser, with a generous timeout.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from builder.audit.axe import describe, run_axe
from builder.commands.preview import SiteBuild
from builder.serve.server import Preview
from tests.serve.sites import copy_example_site

from .conftest import wait_for

pytestmark = pytest.mark.browser

TIMEOUT = 20  # seconds; a loaded two-core machine rebuilds in well under one
OVERLAY = "broadsheet-overlay"


class LiveSite:
    def __init__(self, site: Path, build: SiteBuild, preview: Preview):
        self.site, self.build, self.preview = site, build, preview

    def url(self, site_path: str = "") -> str:
        return self.preview.url + site_path

    def article(self, lang: str | None = None, not_section: str | None = None):
        for article in self.build.result.archive.articles:
            if (lang is None or article.lang == lang) and article.section != not_section and not article.draft:
                return article
        raise AssertionError(f"no article with lang={lang}, not in {not_section}")

    def source(self, article) -> Path:
        return self.site / article.source


@pytest.fixture
def live(tmp_path):
    site = copy_example_site(tmp_path / "site")
    build = SiteBuild(site)
    # settle: the search index the builds leave for later is not made during these tests (each
    # counts the messages and reloads an edit causes); tests/serve/test_site.py covers it.
    preview = Preview(build, build.output, watch=build.watch_roots, display_root=build.site_dir,
                      echo=lambda line: None, settle=3600)
    assert preview.rebuild("first build"), "the example site should build"
    preview.start()
    yield LiveSite(site, build, preview)
    preview.stop()


@pytest.fixture
def tab(browser):
    """The shared browser, left with one tab and no emulated media whatever the test did."""
    first = browser.current_window_handle
    yield browser
    for handle in browser.window_handles:
        if handle != first:
            browser.switch_to.window(handle)
            browser.close()
    browser.switch_to.window(first)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def open_live(driver, url: str) -> str:
    """Open a page, wait until its preview client has heard from the server, mark the window.

    The mark is a property of `window`: a reload, and only a reload, takes it away."""
    driver.get(url)
    wait_for(driver, lambda d: d.execute_script(
        "return !!window.broadsheetPreview && window.broadsheetPreview.messages > 0"), TIMEOUT,
        "the preview client never connected")
    mark = uuid.uuid4().hex
    driver.execute_script("window.__liveMark = arguments[0]", mark)
    return mark


def marked(driver, mark: str) -> bool:
    return driver.execute_script("return window.__liveMark") == mark


def main_text(driver) -> str:
    return driver.execute_script("var m = document.querySelector('main'); return m ? m.innerText : ''")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")


def break_date(path: Path) -> int:
    """Put a date no one can read in the front matter; the line number it is on."""
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith("date:"))
    lines[number] = "date: next tuesday"
    path.write_text("\n".join(lines), encoding="utf-8")
    return number + 1


def overlay_shown(driver) -> bool:
    return driver.execute_script(
        f"var o = document.getElementById('{OVERLAY}'); return !!o && !o.hidden && o.offsetHeight > 0")


def overlay_gone(driver) -> bool:
    return driver.execute_script(f"return !document.getElementById('{OVERLAY}')")


def test_an_edit_shows_up_by_itself(tab, live):
    article = live.article(lang="en")
    mark = open_live(tab, live.url(article.path))
    word = f"Zephyrword{uuid.uuid4().hex[:8]}"
    append(live.source(article), f"A closing paragraph with {word}.")
    wait_for(tab, lambda d: word in main_text(d), TIMEOUT, "the edit never appeared")
    assert not marked(tab, mark), "the page should have reloaded"


def test_broken_front_matter_shows_the_overlay_until_fixed(tab, live):
    article = live.article(lang="en")
    source = live.source(article)
    good = source.read_text(encoding="utf-8")
    mark = open_live(tab, live.url(article.path))

    line = break_date(source)
    wait_for(tab, overlay_shown, TIMEOUT, "the overlay never appeared")
    overlay = tab.find_element(By.ID, OVERLAY)
    text = overlay.text
    assert f"{article.source.as_posix()}:{line}: date: 'next tuesday' is not an ISO 8601 date" in text
    assert "Fix:" in text and "Build failed: 1 problem" in text
    assert overlay.get_attribute("role") == "alert"
    assert tab.switch_to.active_element == overlay, "focus should move to the overlay"
    assert marked(tab, mark), "a failed build must not reload the page"

    overlay.send_keys(Keys.ESCAPE)
    wait_for(tab, lambda d: not overlay_shown(d), TIMEOUT, "Escape should hide the overlay")

    word = f"Fixedword{uuid.uuid4().hex[:8]}"
    source.write_text(good + f"\nNow with {word}.\n", encoding="utf-8")
    wait_for(tab, lambda d: word in main_text(d), TIMEOUT, "the fix never appeared")
    assert overlay_gone(tab) and not marked(tab, mark)


def test_the_overlay_is_on_every_page_and_its_button_closes_it(tab, live):
    edited = live.article(lang="en")
    other = live.article(not_section=edited.section)
    source = live.source(edited)
    good = source.read_text(encoding="utf-8")
    line = break_date(source)
    open_live(tab, live.url())
    wait_for(tab, overlay_shown, TIMEOUT)

    # A page opened while the build is broken has the overlay from the server, focused.
    mark = open_live(tab, live.url(other.path))
    assert overlay_shown(tab)
    overlay = tab.find_element(By.ID, OVERLAY)
    assert f"{edited.source.as_posix()}:{line}" in overlay.text
    assert tab.switch_to.active_element == overlay
    overlay.send_keys(Keys.TAB)
    button = tab.switch_to.active_element
    assert button.text == "Close" and button.tag_name == "button"
    button.send_keys(Keys.ENTER)
    wait_for(tab, lambda d: not overlay_shown(d), TIMEOUT, "the Close button should hide the overlay")

    # This page's own file does not change with the fix, but it showed the errors: it reloads.
    source.write_text(good, encoding="utf-8")
    wait_for(tab, lambda d: not marked(d, mark), TIMEOUT, "the page never reloaded after the fix")
    wait_for(tab, lambda d: d.execute_script("return document.readyState") == "complete", TIMEOUT)
    assert overlay_gone(tab)


def test_an_edit_reloads_only_the_tab_that_shows_it(tab, live):
    edited = live.article(lang="en")
    unrelated = live.article(not_section=edited.section)
    first = tab.current_window_handle
    edited_mark = open_live(tab, live.url(edited.path))
    tab.switch_to.new_window("tab")
    second = tab.current_window_handle
    unrelated_mark = open_live(tab, live.url(unrelated.path))

    word = f"Onlyhere{uuid.uuid4().hex[:8]}"
    append(live.source(edited), f"Paragraph with {word}.")

    tab.switch_to.window(first)
    wait_for(tab, lambda d: word in main_text(d), TIMEOUT, "the edited article's tab never showed the edit")
    assert not marked(tab, edited_mark)
    generation = tab.execute_script("return window.broadsheetPreview.generation")

    # The other tab has heard of the same build (its generation caught up) and kept its page.
    tab.switch_to.window(second)
    wait_for(tab, lambda d: d.execute_script("return window.broadsheetPreview.generation") >= generation,
             TIMEOUT, "the unrelated tab never received the build message")
    assert marked(tab, unrelated_mark), "the unrelated article's tab reloaded"
    assert word not in main_text(tab)


def test_a_new_article_appears_in_the_tab_waiting_for_it(tab, live):
    """The editor opens the address first (a 404), then saves the file: the page turns into it."""
    path = "politics/2024/05/preview-test-piece/"
    open_live(tab, live.url(path))
    (live.site / "content/politics/2024/preview-test-piece.md").write_text(
        '---\ntitle: "A piece written in the preview"\ndate: 2024-05-02T10:00:00+04:00\nsection: politics\n'
        'summary: "Written while the preview ran."\n---\n\nFirst words of a new piece.\n', encoding="utf-8")
    wait_for(tab, lambda d: "A piece written in the preview" in main_text(d), TIMEOUT)


def test_drafts_and_scheduled_articles_show_a_notice(tab, live):
    content = live.site / "content/politics/2024"
    (content / "preview-draft.md").write_text(
        '---\ntitle: "An unfinished draft"\ndate: 2024-05-03T10:00:00+04:00\nsection: politics\n'
        'summary: "Not ready."\ndraft: true\n---\n\nStill being written.\n', encoding="utf-8")
    (content / "preview-scheduled.md").write_text(
        '---\ntitle: "Embargoed until later"\ndate: 2099-01-05T10:00:00+04:00\nsection: politics\n'
        'summary: "Not yet."\n---\n\nUnder embargo.\n', encoding="utf-8")
    open_live(tab, live.url("politics/2024/05/preview-draft/"))
    wait_for(tab, lambda d: "An unfinished draft" in main_text(d), TIMEOUT)
    notice = tab.find_element(By.CSS_SELECTOR, "main .notice")
    assert notice.is_displayed() and notice.text.startswith("Սևագիր")  # the Armenian edition's word for draft
    open_live(tab, live.url("politics/2099/01/preview-scheduled/"))
    notice = tab.find_element(By.CSS_SELECTOR, "main .notice")
    assert notice.is_displayed() and notice.text.startswith("Այս հոդվածը կհրապարակվի")


@pytest.mark.parametrize("lang, scheme", [("ar", "dark"), ("en", "light")])
def test_the_overlay_is_axe_clean_and_fits_rtl_and_dark_pages(tab, live, lang, scheme):
    tab.execute_cdp_cmd("Emulation.setEmulatedMedia",
                        {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    article = live.article(lang=lang)
    open_live(tab, live.url(article.path))
    break_date(live.source(article))
    wait_for(tab, overlay_shown, TIMEOUT)
    report = run_axe(tab)
    assert not report.violations, describe(report)
    assert tab.execute_script("return document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")
    left, right, width = tab.execute_script(
        f"var r = document.getElementById('{OVERLAY}').getBoundingClientRect();"
        "return [r.left, r.right, document.documentElement.clientWidth]")
    assert left >= 0 and right <= width + 1
    background = tab.execute_script(
        f"return getComputedStyle(document.getElementById('{OVERLAY}')).backgroundColor")
    red, green, blue = map(int, re.findall(r"\d+", background)[:3])
    assert (red + green + blue < 200) if scheme == "dark" else (red + green + blue > 600)
