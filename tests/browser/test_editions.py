"""Language editions in real Chromium: the switcher by keyboard, right-to-left mirroring, axe."""

from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from builder.audit.axe import describe, run_axe
from builder.build.pipeline import BuildOptions, build
from builder.serve.http import SiteHandler
from tests.support.editions import article, files
from tests.support.files import write_files

from .conftest import ServedSite, wait_for
from .test_axe_example_site import TAGS

pytestmark = pytest.mark.browser

BOX = "const r = arguments[0].getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top};"
OVERFLOW = "return document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture(scope="module")
def courier(tmp_path_factory):
    """The three-edition test site, with enough Arabic stories for pages 2 and 3 of a listing."""
    root = tmp_path_factory.mktemp("courier-browser")
    arabic = {f"content/politics/ar-{n}.md": article(f"خبر سياسي رقم {n}", lang="ar", date=f"2022-0{n}-10")
              for n in range(1, 6)}
    site = write_files(root / "site", {**files(), **arabic})
    result = build(BuildOptions(site, output_dir=root / "out", jobs=1))
    handler = type("Handler", (SiteHandler,), {"root": root / "out", "base_path": result.config.base_path})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield ServedSite(root / "out", result, f"http://127.0.0.1:{server.server_address[1]}")
    server.shutdown()
    server.server_close()


def open_page(driver, site, path):
    driver.get(site.url(path))
    wait_for(driver, lambda d: d.execute_script("return document.readyState") == "complete")


def box(driver, element) -> dict:
    return driver.execute_script(BOX, element)


def focused(driver):
    return driver.switch_to.active_element


def tab_to(driver, selector: str, limit: int = 60):
    """Press Tab from the top of the page until an element matching `selector` has focus."""
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    for _ in range(limit):
        if driver.execute_script("return document.activeElement.matches(arguments[0])", selector):
            return focused(driver)
        focused(driver).send_keys(Keys.TAB)
    raise AssertionError(f"Tab never reached {selector}")


# The language switcher ---------------------------------------------------------------------------

def test_the_switcher_works_by_keyboard_alone(page, example_site):
    path = example_site.article(edition="hy", translated=True)
    open_page(page, example_site, path)
    first = tab_to(page, ".language-switcher a")
    links = page.find_elements(By.CSS_SELECTOR, ".language-switcher a")
    assert len(links) >= 3 and first == links[0]
    # WCAG 3.1.2: every link says which language its name is in, and which language it opens.
    for link in links:
        assert link.get_attribute("lang") and link.get_attribute("lang") == link.get_attribute("hreflang")
        name_lang = page.execute_script("return arguments[0].closest('[lang]').lang", link)
        assert name_lang == link.get_attribute("lang")
    current = [link for link in links if link.get_attribute("aria-current") == "page"]
    assert [c.get_attribute("lang") for c in current] == ["hy"]
    # Tab to the next language and open it with Enter.
    focused(page).send_keys(Keys.TAB)
    target = focused(page)
    language, href = target.get_attribute("lang"), target.get_attribute("href")
    assert target in links and language != "hy"
    target.send_keys(Keys.ENTER)
    wait_for(page, lambda d: d.current_url == href, message="Enter did not open the translation")
    assert page.find_element(By.TAG_NAME, "html").get_attribute("lang") == language
    mark = page.find_element(By.CSS_SELECTOR, ".language-switcher a[aria-current='page']")
    assert mark.get_attribute("lang") == language


def test_the_switcher_is_absent_from_a_story_in_one_language(page, example_site):
    open_page(page, example_site, example_site.article(lang="ru", translated=False))
    assert page.find_elements(By.CSS_SELECTOR, ".language-switcher") == []
    assert page.find_elements(By.CSS_SELECTOR, "link[hreflang]") == []


def test_listing_pages_switch_to_the_same_listing(page, example_site):
    open_page(page, example_site, "ru/politics/")
    hrefs = [a.get_attribute("href") for a in page.find_elements(By.CSS_SELECTOR, ".language-switcher a")]
    assert hrefs == [example_site.url(p + "politics/") for p in ("", "en/", "ru/", "ar/")]


def test_the_switcher_focus_is_visible(page, example_site):
    open_page(page, example_site, example_site.article(edition="en", translated=True))
    link = tab_to(page, ".language-switcher a")
    outline = page.execute_script("const s = getComputedStyle(arguments[0]); return [s.outlineStyle, "
                                  "parseFloat(s.outlineWidth)]", link)
    assert outline[0] != "none" and outline[1] >= 2


# Right to left -------------------------------------------------------------------------------------

def test_arabic_pages_mirror_the_header_navigation_and_switcher(page, example_site):
    for path, mirrored in (("ar/", True), ("en/", False)):
        open_page(page, example_site, path)
        width = page.execute_script("return document.documentElement.clientWidth")
        name = box(page, page.find_element(By.CSS_SELECTOR, ".site-name"))
        sizes = box(page, page.find_element(By.CSS_SELECTOR, "[data-text-size-controls]"))
        nav = [box(page, a) for a in page.find_elements(By.CSS_SELECTOR, ".site-nav a")]
        switcher = page.find_elements(By.CSS_SELECTOR, ".language-switcher a")
        if mirrored:
            assert name["right"] > width * 0.8 and sizes["left"] < name["left"], "site name right, sizes left"
            assert nav[0]["left"] > nav[1]["left"], "navigation runs right to left"
            assert box(page, switcher[0])["left"] > box(page, switcher[-1])["left"]
            assert box(page, switcher[-1])["left"] < width / 2, "the switcher sits at the inline end (left)"
        else:
            assert name["left"] < width * 0.2 and sizes["left"] > name["left"]
            assert nav[0]["left"] < nav[1]["left"]
            assert box(page, switcher[-1])["right"] > width / 2


def test_pagination_arrows_point_the_way_the_page_reads(page, courier):
    for path, rtl in (("ar/politics/page/2/", True), ("en/politics/page/2/", False)):
        open_page(page, courier, path)
        previous = page.find_element(By.CSS_SELECTOR, ".pagination a[rel='prev']")
        following = page.find_element(By.CSS_SELECTOR, ".pagination a[rel='next']") if rtl else None
        arrow = page.execute_script("return getComputedStyle(arguments[0], '::before').content", previous)
        assert arrow.startswith('"→"' if rtl else '"←"'), arrow
        if following is not None:
            assert box(page, previous)["left"] > box(page, following)["left"], "back is on the right"
            after = page.execute_script("return getComputedStyle(arguments[0], '::after').content", following)
            assert after.startswith('"←"')


@pytest.mark.parametrize("path", ["ar/", "ar/politics/page/2/", "ar/politics/2024/03/budget-ar/"])
def test_right_to_left_pages_reflow_at_320px_with_lg(page, courier, path):
    page.set_window_size(320, 800)
    open_page(page, courier, path)
    page.find_element(By.CSS_SELECTOR, '[data-text-size-value="lg"]').click()
    wait_for(page, lambda d: d.execute_script("return document.documentElement.dataset.textSize") == "lg")
    assert page.execute_script(OVERFLOW) <= 0, f"/{path} scrolls sideways at 320 px with LG"
    width = page.execute_script("return document.documentElement.clientWidth")
    name = box(page, page.find_element(By.CSS_SELECTOR, ".site-name"))
    assert name["right"] > width * 0.75, "the site name still starts on the right"
    for link in page.find_elements(By.CSS_SELECTOR, ".language-switcher a"):
        assert box(page, link)["left"] >= 0 and box(page, link)["right"] <= width


def test_right_to_left_text_size_controls_work_and_mirror(page, courier):
    open_page(page, courier, "ar/")
    buttons = page.find_elements(By.CSS_SELECTOR, "[data-text-size-value]")
    assert box(page, buttons[0])["left"] > box(page, buttons[-1])["left"], "XS is on the right, LG on the left"
    buttons[-1].click()
    assert buttons[-1].get_attribute("aria-pressed") == "true"
    label = page.find_element(By.CSS_SELECTOR, ".text-size__label").text
    assert label == "حجم النص"


# axe on the pages the example site has no example of ----------------------------------------------

@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_paginated_pages_of_every_edition_have_no_axe_violations(browser, courier, scheme):
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia",
                            {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    failures = []
    try:
        for path in ("politics/page/2/", "en/politics/page/2/", "ar/politics/page/2/", "ar/politics/page/3/",
                     "ar/tags/budget/page/2/", "ar/authors/anna/page/2/"):
            browser.get(courier.url(path))
            report = run_axe(browser, TAGS)
            if report.violations:
                failures.append(f"/{path}: {describe(report)}")
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    assert not failures, "\n".join(failures)
