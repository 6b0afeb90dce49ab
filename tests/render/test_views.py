"""View models: dates localized in the site's time zone, links under the base path, pagination."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from builder.content.archive import Listing
from builder.content.article import Timestamp
from builder.render.views import (
    GAP,
    article_view,
    date_view,
    image_view,
    item_view,
    page_numbers,
    page_view,
    pagination_view,
    section_link,
    site_view,
)
from tests.support.gazette import make_config

YEREVAN = ZoneInfo("Asia/Yerevan")
MOMENT = Timestamp(datetime(2024, 3, 5, 5, 30, tzinfo=UTC))  # 09:30 in Yerevan


def test_date_view_shows_the_moment_in_the_site_timezone():
    view = date_view(MOMENT, "en", YEREVAN)
    assert view.iso == "2024-03-05T09:30+04:00"
    assert "9:30" in view.display and "March 5, 2024" in view.display


def test_date_view_iso_is_a_valid_html_datetime():
    iso = date_view(MOMENT, "en", ZoneInfo("America/New_York")).iso
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d[+-]\d\d:\d\d", iso)
    assert iso == "2024-03-05T00:30-05:00"


def test_date_view_crosses_midnight_into_the_site_day():
    view = date_view(Timestamp(datetime(2024, 3, 31, 22, 30, tzinfo=UTC)), "en", YEREVAN)
    assert view.iso.startswith("2024-04-01T02:30")
    assert "April 1, 2024" in view.display


def test_date_view_in_armenian_uses_armenian_month_names():
    view = date_view(MOMENT, "hy", YEREVAN)
    assert "մարտի" in view.display
    assert "09:30" in view.display
    assert "March" not in view.display


def test_date_view_in_russian():
    assert "марта" in date_view(MOMENT, "ru", YEREVAN).display


def test_date_view_for_regional_tag_uses_the_language():
    assert "մարտի" in date_view(MOMENT, "hy-AM", YEREVAN).display


def test_date_view_has_no_cldr_quote_marks():
    for lang in ("en", "hy", "ru", "ar", "fa", "fr", "de"):
        assert "'" not in date_view(MOMENT, lang, YEREVAN).display


def test_date_only_shows_the_day_without_time():
    stamp = Timestamp(datetime(2024, 3, 5, tzinfo=YEREVAN), date_only=True)
    view = date_view(stamp, "hy", YEREVAN)
    assert view.iso == "2024-03-05"
    assert "մարտի" in view.display and ":" not in view.display


def test_date_only_is_not_shifted_by_another_timezone():
    stamp = Timestamp(datetime(2024, 3, 5, tzinfo=YEREVAN), date_only=True)
    assert date_view(stamp, "en", ZoneInfo("America/Los_Angeles")).iso == "2024-03-05"


# --- pagination ---------------------------------------------------------------------------------

def listing(count: int, path: str = "tags/budget/") -> Listing:
    return Listing("tag", "budget", "Budget", "", path, (None,) * count)


def test_single_page_has_no_pagination():
    assert pagination_view(listing(10), 1, 10, "/") is None
    assert pagination_view(listing(0), 1, 10, "/") is None


def test_first_page_has_next_but_no_previous():
    view = pagination_view(listing(25), 1, 10, "/")
    assert (view.number, view.count) == (1, 3)
    assert view.prev_url is None
    assert view.next_url == "/tags/budget/page/2/"
    assert view.first_url == "/tags/budget/"
    assert view.last_url == "/tags/budget/page/3/"


def test_middle_page_has_both():
    view = pagination_view(listing(25), 2, 10, "/")
    assert view.prev_url == "/tags/budget/"
    assert view.next_url == "/tags/budget/page/3/"


def test_last_page_has_previous_but_no_next():
    view = pagination_view(listing(25), 3, 10, "/")
    assert view.prev_url == "/tags/budget/page/2/"
    assert view.next_url is None


def test_pages_list_marks_the_current_page():
    view = pagination_view(listing(25), 2, 10, "/")
    assert [(p.name, p.url, p.current) for p in view.pages] == [
        ("1", "/tags/budget/", False), ("2", "/tags/budget/page/2/", True), ("3", "/tags/budget/page/3/", False)]


def test_pagination_urls_are_under_the_base_path():
    view = pagination_view(listing(11, path=""), 2, 10, "/archive/")
    assert view.prev_url == "/archive/"
    assert view.last_url == "/archive/page/2/"


# --- article, item, site and page views ---------------------------------------------------------

def test_article_view_links_are_under_the_base_path(article, tmp_path):
    cfg = make_config(tmp_path, base_url="https://example.org/archive/")
    a = article(cfg=cfg, tags="[Երևան]", authors="[anna]", image="{src: /images/vote.jpg, alt: Hands}")
    view = article_view(a, cfg)
    assert view.url == "/archive/politics/2024/03/council-vote/"
    assert (view.section.name, view.section.url) == ("Politics", "/archive/politics/")
    assert [(x.name, x.url) for x in view.authors] == [("Anna Petrosyan", "/archive/authors/anna/")]
    assert [x.url for x in view.tags] == ["/archive/tags/%D5%A5%D6%80%D6%87%D5%A1%D5%B6/"]
    assert view.image.src == "/archive/images/vote.jpg"
    assert (view.image.width, view.image.height) == (1200, 800)
    assert view.published.iso == "2024-03-05T09:30+04:00"
    assert str(view.body_html).startswith("<p>Body text.</p>")


def test_article_view_dates_follow_the_article_language(article, config):
    view = article_view(article(lang="hy", updated="2024-03-06T10:00"), config)
    assert "մարտի" in view.published.display
    assert "մարտի" in view.updated.display


def test_item_view_dates_follow_the_page_language(article, config):
    item = item_view(article(lang="hy"), config, "en")
    assert "March" in item.published.display
    assert item.lang == "hy"


def test_image_view_keeps_external_urls():
    from builder.content.article import Image
    assert image_view(Image("https://cdn.example.org/a.jpg", "A"), "/archive/").src == "https://cdn.example.org/a.jpg"
    assert image_view(None, "/") is None


def test_section_link_for_unknown_key_falls_back_to_the_key(config):
    assert section_link(config, "sport").name == "sport"


def test_site_view_marks_the_current_section(config):
    view = site_view(config, "culture")
    assert [(n.name, n.url, n.current) for n in view.nav] == [
        ("Politics", "/politics/", False), ("Culture", "/culture/", True)]
    assert view.home_url == "/"


def test_page_view_canonical_is_absolute(tmp_path):
    cfg = make_config(tmp_path, base_url="https://example.org/archive/")
    page = page_view(cfg, lang="en", dir="ltr", title="T", description="", path="politics/", kind="section")
    assert page.url == "/archive/politics/"
    assert page.canonical == "https://example.org/archive/politics/"


@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_date_view_in_rtl_languages_is_localized(lang):
    display = date_view(MOMENT, lang, YEREVAN).display
    assert "March" not in display and "2024" in display


@pytest.mark.parametrize("number, count, shown", [
    (1, 9, [1, 2, 3, 4, 5, 6, 7, 8, 9]),  # a bar no longer than one with gaps is shown whole
    (1, 10, [1, 2, 3, None, 10]),
    (1, 100, [1, 2, 3, None, 100]),
    (50, 100, [1, None, 48, 49, 50, 51, 52, None, 100]),
    (100, 100, [1, None, 98, 99, 100]),
    (5, 100, [1, 2, 3, 4, 5, 6, 7, None, 100]),  # one page left out is shown, not a gap
    (6, 100, [1, None, 4, 5, 6, 7, 8, None, 100]),
    (2, 2, [1, 2]),
])
def test_page_numbers_show_the_ends_and_the_neighbourhood(number, count, shown):
    assert page_numbers(number, count) == shown


def test_pagination_of_a_long_listing_stays_short():
    # Every page of a 1,000-page section names at most nine pages, not a thousand.
    view = pagination_view(listing(10_000), 500, 10, "/")
    assert len(view.pages) == 9
    assert view.pages[1] is GAP and view.pages[-2] is GAP
    assert [p.name for p in view.pages if p is not GAP] == ["1", "498", "499", "500", "501", "502", "1000"]
    assert [p.url for p in view.pages if p.current] == ["/tags/budget/page/500/"]
