"""The default theme's promises, checked in real headless Chromium on the example site."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from .conftest import wait_for

pytestmark = pytest.mark.browser

ROOT_FONT_PX = "return parseFloat(getComputedStyle(document.documentElement).fontSize)"


def active(driver):
    return driver.switch_to.active_element


def press_tab(driver):
    active(driver).send_keys(Keys.TAB)


def open_page(driver, site, path):
    driver.get(site.url(path))
    wait_for(driver, lambda d: d.execute_script("return document.readyState") == "complete")


def text_size_button(driver, size):
    return driver.find_element(By.CSS_SELECTOR, f'[data-text-size-value="{size}"]')


@pytest.mark.parametrize("lang", ["hy", "ar", "en"])
def test_first_tab_focuses_a_visible_skip_link(page, example_site, lang):
    open_page(page, example_site, example_site.article(lang=lang))
    page.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    link = active(page)
    assert link.get_attribute("href").endswith("#main-content")
    assert link.find_element(By.XPATH, "ancestor::nav").get_attribute("class") == "accessibility-links"
    box = page.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.width, r.height, r.top]", link)
    assert box[0] > 20 and box[1] > 10 and box[2] >= 0, f"skip link not visible when focused: {box}"


def test_skip_links_are_hidden_until_focused(page, example_site):
    open_page(page, example_site, example_site.article())
    link = page.find_element(By.CSS_SELECTOR, ".accessibility-links a")
    width, height = page.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.width, r.height]", link)
    assert width <= 1 and height <= 1


def test_accessibility_links_are_labelled_in_armenian_on_an_armenian_page(page, example_site):
    open_page(page, example_site, example_site.article(lang="hy"))
    nav = page.find_element(By.CSS_SELECTOR, "nav.accessibility-links")
    assert nav.get_attribute("aria-label") == "Մատչելիության հղումներ"


@pytest.mark.parametrize("target", ["main-content", "main-navigation"])
def test_enter_on_a_skip_link_moves_keyboard_focus_to_its_target(page, example_site, target):
    open_page(page, example_site, example_site.article(with_image=True))
    page.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    while not active(page).get_attribute("href").endswith(f"#{target}"):
        press_tab(page)
    active(page).send_keys(Keys.ENTER)
    wait_for(page, lambda d: active(d).get_attribute("id") == target, message=f"focus did not move to #{target}")
    assert active(page).get_attribute("tabindex") == "-1"
    # The next Tab continues from the target, and the temporary tabindex is removed on blur.
    press_tab(page)
    wait_for(page, lambda d: d.find_element(By.ID, target).get_attribute("tabindex") is None)


def test_lg_doubles_the_root_font_size_and_sets_aria_pressed(page, example_site):
    open_page(page, example_site, example_site.article())
    default = page.execute_script(ROOT_FONT_PX)
    text_size_button(page, "lg").click()
    wait_for(page, lambda d: d.execute_script(ROOT_FONT_PX) == pytest.approx(default * 2))
    assert text_size_button(page, "lg").get_attribute("aria-pressed") == "true"
    assert text_size_button(page, "md").get_attribute("aria-pressed") == "false"


def test_text_size_choice_persists_on_another_page_and_after_reload(page, example_site):
    open_page(page, example_site, example_site.article(lang="hy"))
    default = page.execute_script(ROOT_FONT_PX)
    text_size_button(page, "lg").click()
    open_page(page, example_site, example_site.article(lang="ar"))
    assert page.execute_script(ROOT_FONT_PX) == pytest.approx(default * 2)
    assert text_size_button(page, "lg").get_attribute("aria-pressed") == "true"
    page.refresh()
    assert page.execute_script(ROOT_FONT_PX) == pytest.approx(default * 2)
    text_size_button(page, "md").click()
    wait_for(page, lambda d: d.execute_script(ROOT_FONT_PX) == pytest.approx(default))


def test_text_size_buttons_are_named_with_their_visible_text_and_large_enough(page, example_site):
    open_page(page, example_site, example_site.article())
    text_size_button(page, "xs").click()  # the smallest text must still give 24 px targets
    for size in ("xs", "sm", "md", "lg"):
        button = text_size_button(page, size)
        assert button.tag_name == "button"
        name = page.execute_script("return arguments[0].textContent.replace(/\\s+/g, ' ').trim()", button)
        assert name.startswith(size.upper())
        width, height = page.execute_script(
            "const r = arguments[0].getBoundingClientRect(); return [r.width, r.height]", button)
        assert width >= 24 and height >= 24
    group = page.find_element(By.CSS_SELECTOR, "[data-text-size-controls]")
    assert group.get_attribute("role") == "group" and group.get_attribute("aria-labelledby")


@pytest.mark.parametrize("lang", ["hy", "ar", "ru", "en"])
def test_no_horizontal_scrolling_at_320px_with_lg(page, example_site, lang):
    page.set_window_size(320, 800)
    open_page(page, example_site, example_site.article(lang=lang))
    text_size_button(page, "lg").click()
    wait_for(page, lambda d: d.execute_script("return document.documentElement.dataset.textSize") == "lg")
    home = dict(example_site.editions()).get(lang, "")
    for path in (example_site.article(lang=lang), home):
        open_page(page, example_site, path)
        overflow = page.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path or 'home'} scrolls sideways by {overflow}px at 320px with LG"


def test_without_javascript_the_text_size_controls_are_absent(browser_without_js, example_site):
    open_page(browser_without_js, example_site, example_site.article())
    group = browser_without_js.find_element(By.CSS_SELECTOR, "[data-text-size-controls]")
    assert not group.is_displayed()
    assert browser_without_js.find_elements(By.CSS_SELECTOR, "[data-text-size-value]")[0].is_displayed() is False


def test_pages_declare_language_and_direction(page, example_site):
    for lang, direction in (("hy", "ltr"), ("ar", "rtl"), ("ru", "ltr"), ("en", "ltr")):
        open_page(page, example_site, example_site.article(lang=lang, edition=lang))
        html = page.find_element(By.TAG_NAME, "html")
        assert (html.get_attribute("lang"), html.get_attribute("dir")) == (lang, direction)


def test_a_story_in_another_language_than_its_edition_declares_its_own(page, example_site):
    # The Persian story is carried by the Armenian edition: Armenian interface, Persian article.
    open_page(page, example_site, example_site.article(lang="fa"))
    html = page.find_element(By.TAG_NAME, "html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("hy", "ltr")
    article = page.find_element(By.CSS_SELECTOR, "main article")
    assert (article.get_attribute("lang"), article.get_attribute("dir")) == ("fa", "rtl")


def test_article_shows_figure_with_alt_caption_credit_and_times(page, example_site):
    open_page(page, example_site, example_site.article(lang="hy", with_image=True))
    figure = page.find_element(By.CSS_SELECTOR, "main figure")
    assert figure.find_element(By.TAG_NAME, "img").get_attribute("alt")
    caption = figure.find_element(By.TAG_NAME, "figcaption").text
    assert caption and "«Մերիդիան»" in caption  # the credit is part of the visible caption
    time = page.find_element(By.CSS_SELECTOR, "main time")
    assert time.get_attribute("datetime").startswith("20") and "թ." in time.text
    assert len(page.find_elements(By.TAG_NAME, "h1")) == 1
    for landmark in ("header", "nav", "main", "footer"):
        assert page.find_elements(By.TAG_NAME, landmark)
