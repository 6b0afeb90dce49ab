"""Search in real headless Chromium: the example site (under the base path /archive/), its index and
the theme's search page, with the keyboard, in light and dark, at LG text and 320 px, right to left."""

from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from builder.audit.axe import describe, run_axe
from builder.build.pipeline import BuildOptions, build
from builder.config.languages import locale_for
from builder.serve.http import SiteHandler
from tests.support.files import age_new_files, write_files
from tests.support.herald import SITE_YAML, article_text

from .conftest import wait_for
from .test_axe_example_site import TAGS

pytestmark = pytest.mark.browser

# The example site's editions: Armenian at the root (search/), English, Russian and Arabic under
# their prefixes (en/search/ ...); Persian has articles and no edition (search/fa/).
EN, HY, RU, AR, FA = "en/search/", "search/", "ru/search/", "ar/search/", "search/fa/"
TRANSPORT = "en/politics/2024/03/yerevan-transport-budget/"
RETROFIT = "en/politics/2024/04/yerevan-schools-seismic-retrofit/"
SCHOOLS_HY = "politics/2024/04/yerevan-schools-seismic-safety/"


def root(driver):
    return driver.find_element(By.CSS_SELECTOR, "[data-search-page]")


def done(driver) -> str | None:
    """The search the page last showed, as its address names it ("q=budget&section=politics")."""
    return root(driver).get_attribute("data-search-done")


def open_search(driver, site, path: str = EN, query: str = "") -> None:
    driver.get(site.url(path) + (f"?q={query}" if query else ""))
    expected = f"q={query}" if query else ""
    wait_for(driver, lambda d: done(d) is not None and _decoded(done(d)) == expected,
             message=f"the search page did not show the search for {query!r}")


def _decoded(described: str) -> str:
    from urllib.parse import unquote_plus

    return unquote_plus(described)


def type_query(driver, text: str) -> None:
    field = driver.find_element(By.ID, "search-query")
    field.clear()
    field.send_keys(text)
    wait_for(driver, lambda d: _decoded(done(d) or "").startswith(f"q={text}"),
             message=f"no results shown for {text!r}")


def result_links(driver) -> list[str]:
    return [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, ".search-result__title a")]


def status_text(driver) -> str:
    return driver.find_element(By.CSS_SELECTOR, "[data-search-status]").text


# Finding ---------------------------------------------------------------------------------------

def test_typing_a_word_from_an_article_finds_that_article(page, example_site):
    open_search(page, example_site)
    type_query(page, "transport")
    assert example_site.url(TRANSPORT) in result_links(page)
    first = page.find_elements(By.CSS_SELECTOR, ".search-result")[0]
    assert first.find_element(By.CSS_SELECTOR, "time").get_attribute("datetime").startswith("2024-03-05")
    assert first.find_element(By.CSS_SELECTOR, ".search-result__section").text == "Politics"
    marks = [m.text.lower() for m in first.find_elements(By.CSS_SELECTOR, ".search-result__excerpt mark")]
    assert marks and all("transport" in m for m in marks)


@pytest.mark.parametrize(("lang", "search", "word", "article"), [
    ("hy", HY, "դպրոց", SCHOOLS_HY),
    ("ar", AR, "حمود", "ar/culture/2022/11/bourj-hammoud-exhibition/"),
    ("fa", FA, "نوروز", "culture/2025/03/nowruz-yerevan/"),  # a Persian story in the Armenian edition
])
def test_a_word_in_armenian_or_a_right_to_left_language_finds_its_article(page, example_site, lang, search, word,
                                                                           article):
    open_search(page, example_site, search)
    assert page.execute_script("return document.documentElement.lang") == lang
    type_query(page, word)
    assert example_site.url(article) in result_links(page)


def test_each_language_searches_its_own_articles(page, example_site):
    open_search(page, example_site, EN, "դպրոց")
    assert result_links(page) == []  # the English index has no Armenian articles ...
    languages = page.find_element(By.CSS_SELECTOR, "[data-search-languages]")
    armenian = languages.find_element(By.CSS_SELECTOR, 'a[hreflang="hy"]')
    assert armenian.get_attribute("lang") == "hy"
    armenian.click()  # ... and the link to the Armenian search page takes the query along
    wait_for(page, lambda d: d.current_url.startswith(example_site.url(HY)) and done(d) is not None and done(d) != "")
    assert example_site.url(SCHOOLS_HY) in result_links(page)


def test_a_filter_narrows_the_results(page, example_site):
    open_search(page, example_site, EN, "Yerevan")
    everything = result_links(page)
    assert len(everything) == 4  # the English stories that name it, the one in the Armenian edition too
    Select(page.find_element(By.ID, "search-section")).select_by_value("politics")
    wait_for(page, lambda d: _decoded(done(d)) == "q=Yerevan&section=politics")
    politics = result_links(page)
    assert 0 < len(politics) < len(everything) and set(politics) <= set(everything)
    assert {s.text for s in page.find_elements(By.CSS_SELECTOR, ".search-result__section")} == {"Politics"}
    Select(page.find_element(By.ID, "search-year")).select_by_value("2024")
    wait_for(page, lambda d: _decoded(done(d)) == "q=Yerevan&section=politics&year=2024")
    assert sorted(result_links(page)) == sorted([example_site.url(TRANSPORT), example_site.url(RETROFIT)])
    assert "section=politics" in page.current_url and "year=2024" in page.current_url  # shareable


def test_the_live_region_announces_the_count_in_the_page_language(page, example_site):
    open_search(page, example_site)
    status = page.find_element(By.CSS_SELECTOR, "[data-search-status]")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    assert status.text == ""
    type_query(page, "Yerevan")
    assert status_text(page) == "4 results for “Yerevan”"
    type_query(page, "apricot")
    assert re.fullmatch(r"1 result for “apricot”", status_text(page))
    type_query(page, "zzyzxq")
    assert status_text(page) == "0 results for “zzyzxq”"
    open_search(page, example_site, RU, "Ереван")
    assert re.fullmatch(r"\d+ результа(т|та|тов) по запросу «Ереван»", status_text(page))


def test_tab_reaches_every_result_with_visible_focus(page, example_site):
    open_search(page, example_site, EN, "the")
    links = [a for a in page.find_elements(By.CSS_SELECTOR, ".search-results a")]
    assert len(result_links(page)) >= 5
    wanted = [a.get_attribute("href") for a in links]
    page.find_element(By.ID, "search-query").click()
    reached = []
    for _ in range(len(wanted) + 12):  # the button and the filters come first
        page.switch_to.active_element.send_keys(Keys.TAB)
        focused = page.switch_to.active_element
        if focused.get_attribute("href") in wanted:
            reached.append(focused.get_attribute("href"))
            outline = page.execute_script(
                "var s = getComputedStyle(arguments[0]); return [s.outlineStyle, parseFloat(s.outlineWidth)]",
                focused)
            assert outline[0] != "none" and outline[1] >= 2, f"no visible focus on {reached[-1]}"
    assert reached == wanted


def test_deep_links_go_to_the_matching_heading(page, example_site):
    open_search(page, example_site, EN, "routes")
    parts = page.find_elements(By.CSS_SELECTOR, ".search-result__parts a")
    assert parts, "a long article's headings give links into it"
    href = parts[0].get_attribute("href")
    assert "#" in href and href.startswith(example_site.url(""))
    parts[0].click()
    wait_for(page, lambda d: d.current_url == href)
    anchor = href.rsplit("#", 1)[1]
    assert page.find_elements(By.ID, anchor)


# From any page, under the base path ---------------------------------------------------------------

def test_the_header_field_searches_the_page_language_and_results_open_their_article(page, example_site):
    article = SCHOOLS_HY
    page.get(example_site.url(article))
    field = page.find_element(By.ID, "site-search-input")
    wait_for(page, lambda d: field.is_displayed())
    form = page.find_element(By.CSS_SELECTOR, "[data-search-field]")
    assert form.get_attribute("role") == "search"
    label = page.find_element(By.CSS_SELECTOR, 'label[for="site-search-input"]')
    assert label.is_displayed() and label.text == "Որոնել արխիվում"
    field.send_keys("սեյսմիկ", Keys.ENTER)
    wait_for(page, lambda d: d.current_url.startswith(example_site.url(HY) + "?")
             and done(d) == "q=" + _encoded("սեյսմիկ"))
    page.find_elements(By.CSS_SELECTOR, ".search-result__title a")[0].click()
    wait_for(page, lambda d: d.current_url == example_site.url(article))
    assert page.find_element(By.TAG_NAME, "h1").text.startswith("Երևանում")


def _encoded(text: str) -> str:
    from urllib.parse import quote_plus

    return quote_plus(text)


def test_without_javascript_the_page_says_so_and_links_to_the_archive(browser_without_js, example_site):
    driver = browser_without_js
    driver.get(example_site.url(EN))
    assert not driver.find_element(By.CSS_SELECTOR, "[data-search-form]").is_displayed()  # never a dead form
    reason = driver.find_element(By.CSS_SELECTOR, "[data-search-reason]")
    assert reason.is_displayed() and "JavaScript" in reason.text
    links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, ".search-unavailable a")]
    assert links[0] == example_site.url("en/archive/")  # the English edition's own archive
    assert example_site.url("en/2024/") in links and all(link.startswith(example_site.url("")) for link in links)
    driver.get(example_site.url(TRANSPORT))
    assert not driver.find_element(By.CSS_SELECTOR, "[data-search-field]").is_displayed()


def test_when_the_index_cannot_load_the_page_says_so(page, example_site):
    # Blocking the bundle's address fails the import as a missing or broken bundle would.
    page.execute_cdp_cmd("Network.enable", {})
    page.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/pagefind/pagefind.js"]})
    try:
        page.get(example_site.url(EN) + "?q=budget")
        reason = page.find_element(By.CSS_SELECTOR, "[data-search-reason]")
        wait_for(page, lambda d: reason.is_displayed(), message="the page never said search failed")
        assert reason.text.startswith("Search could not be loaded")
        assert not page.find_element(By.CSS_SELECTOR, "[data-search-form]").is_displayed()
        assert page.find_element(By.CSS_SELECTOR, ".search-unavailable a").is_displayed()
    finally:
        page.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
        page.execute_cdp_cmd("Network.disable", {})


def test_the_browser_picks_the_plural_category_babel_gives(page, example_site):
    """The page carries a message per category from Babel; Intl.PluralRules picks one: they agree."""
    open_search(page, example_site)
    counts = list(range(0, 120)) + [1001, 1_000_000]
    for lang in ("en", "hy", "ru", "ar", "fa"):
        chosen = page.execute_script(
            "var rules = new Intl.PluralRules(arguments[0]); return arguments[1].map(function (n) {"
            " return rules.select(n); });", lang, counts)
        assert chosen == [locale_for(lang).plural_form(n) for n in counts], lang


# Accessibility ----------------------------------------------------------------------------------

STATES = [
    pytest.param(EN, "", "light", "md", 1280, id="empty"),
    pytest.param(EN, "", "dark", "lg", 320, id="empty-dark-lg-320"),
    pytest.param(EN, "Yerevan", "light", "md", 1280, id="results"),
    pytest.param(EN, "Yerevan", "dark", "md", 1280, id="results-dark"),
    pytest.param(EN, "Yerevan", "light", "lg", 320, id="results-lg-320"),
    pytest.param(EN, "Yerevan", "dark", "lg", 320, id="results-dark-lg-320"),
    pytest.param(HY, "դպրոց", "light", "lg", 320, id="hy-results-lg-320"),
    pytest.param(AR, "حمود", "light", "lg", 320, id="rtl-results-lg-320"),
    pytest.param(AR, "حمود", "dark", "md", 1280, id="rtl-results-dark"),
]


@pytest.mark.parametrize(("path", "query", "scheme", "size", "width"), STATES)
def test_axe_finds_nothing_on_the_search_page(page, example_site, path, query, scheme, size, width):
    page.set_window_size(width, 900)
    page.execute_script("localStorage.setItem('broadsheet:text-size', arguments[0])", size)
    page.execute_cdp_cmd("Emulation.setEmulatedMedia",
                         {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    try:
        open_search(page, example_site, path, query)
        if query:
            assert result_links(page)
        report = run_axe(page, TAGS)
        assert not report.violations, describe(report)
        overflow = page.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"the search page scrolls sideways by {overflow}px"
    finally:
        page.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def test_the_header_field_fits_at_320px_with_lg_text_in_both_directions(page, example_site):
    page.set_window_size(320, 800)
    page.execute_script("localStorage.setItem('broadsheet:text-size', 'lg')")
    for article in (TRANSPORT, "ar/culture/2022/11/bourj-hammoud-exhibition/"):
        page.get(example_site.url(article))
        field = page.find_element(By.ID, "site-search-input")
        wait_for(page, lambda d, field=field: field.is_displayed())
        overflow = page.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{article} scrolls sideways by {overflow}px"
        assert field.size["width"] >= 80


# An incremental build changes the index ------------------------------------------------------------

@contextmanager
def served(output: Path, base_path: str):
    handler = type("Handler", (SiteHandler,), {"root": output, "base_path": base_path})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{base_path}"
    finally:
        server.shutdown()
        server.server_close()


def test_more_results_come_by_keyboard_and_focus_moves_to_the_first_new_one(browser, tmp_path):
    files = {"site.yaml": SITE_YAML.replace("search:\n  enabled: false", "search:\n  enabled: true")}
    for n in range(12):
        files[f"content/politics/harbour-{n}.md"] = article_text(
            f"Harbour story {n}", date=f"2024-03-{n + 1:02d}T09:30:00+04:00", body="The harbour reopened.")
    site = write_files(tmp_path / "site", files)
    build(BuildOptions(site, now=datetime(2025, 1, 1, tzinfo=UTC), jobs=1))
    with served(site / "output", "/news/") as base:
        browser.get(f"{base}search/?q=harbour")
        wait_for(browser, lambda d: done(d) == "q=harbour")
        assert len(result_links(browser)) == 10 and status_text(browser) == "12 results for “harbour”"
        more = browser.find_element(By.CSS_SELECTOR, "[data-search-more] button")
        assert more.is_displayed()
        browser.execute_script("arguments[0].focus()", more)
        browser.switch_to.active_element.send_keys(Keys.ENTER)
        wait_for(browser, lambda d: len(result_links(d)) == 12)
        wait_for(browser, lambda d: d.switch_to.active_element.get_attribute("href") == result_links(d)[10])
        assert not more.is_displayed()


def test_a_title_change_is_found_after_an_incremental_build_and_the_old_title_is_not(browser, tmp_path):
    now = datetime(2025, 1, 1, tzinfo=UTC)
    site = write_files(tmp_path / "site", {
        "site.yaml": SITE_YAML.replace("search:\n  enabled: false", "search:\n  enabled: true"),
        "content/politics/vote.md": article_text("Council backs the zeppelin plan", body="A long debate."),
        "content/culture/fair.md": article_text("Book fair opens", section="culture"),
    })
    age_new_files(site, 1)
    build(BuildOptions(site, now=now, jobs=1))
    vote = site / "content/politics/vote.md"
    vote.write_text(vote.read_text(encoding="utf-8").replace("zeppelin", "monorail"), encoding="utf-8")
    age_new_files(site, 2)
    result = build(BuildOptions(site, now=now, jobs=1))
    assert result.rendered > 0 and [p for p in result.report.written if p.startswith("pagefind/")]

    with served(site / "output", "/news/") as base:
        for word, found in (("monorail", 1), ("zeppelin", 0)):
            browser.get(f"{base}search/?q={word}")
            wait_for(browser, lambda d, word=word: done(d) == f"q={word}")
            assert len(result_links(browser)) == found, word
        assert result_links(browser) == [] and status_text(browser) == "0 results for “zeppelin”"
