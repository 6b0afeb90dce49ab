"""Language editions as built: pages, switcher, hreflang, feeds and sitemaps of every edition."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest

from builder.render.alternates import Alternate, check_reciprocal
from tests.support.builds import site_once
from tests.support.editions import files

BASE = "https://example.org/courier/"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
KINDS = {  # a page of every kind in every edition
    "article": ["politics/2024/03/budget-hy/", "en/politics/2024/03/budget-en/", "ar/politics/2024/03/budget-ar/"],
    "home": ["", "en/", "ar/"],
    "section": ["politics/", "en/politics/", "ar/politics/"],
    "page 2": ["politics/page/2/", "en/politics/page/2/"],
    "tag": ["tags/budget/", "en/tags/budget/", "ar/tags/budget/"],
    "author": ["authors/anna/", "en/authors/anna/", "ar/authors/anna/"],
    "year": ["2024/", "en/2024/", "ar/2024/"],
    "month": ["2024/03/", "en/2024/03/", "ar/2024/03/"],
    "day": ["2024/03/05/", "en/2024/03/05/", "ar/2024/03/05/"],
    "archive": ["archive/", "en/archive/", "ar/archive/"],
    "404": ["404.html", "en/404.html", "ar/404.html"],
}


@pytest.fixture(scope="module")
def courier(tmp_path_factory):
    return site_once(tmp_path_factory, "courier", files())


def alternates_of(doc) -> dict[str, str]:
    return {link.get("hreflang"): link.get("href") for link in doc.xpath("//head/link[@rel='alternate'][@hreflang]")}


def test_every_page_kind_exists_in_every_edition(courier):
    missing = [path for paths in KINDS.values() for path in paths if not courier.exists(path)]
    assert missing == []


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_hreflang_is_reciprocal_with_x_default_on_every_page_kind(courier, kind):
    for path in KINDS[kind]:
        found = alternates_of(courier.html(path))
        assert found, f"/{path} has no hreflang alternates"
        assert found["x-default"] == BASE + KINDS[kind][0], f"/{path}: x-default is not the default edition's"
        assert BASE + path in found.values(), f"/{path} does not list itself"
        for lang, href in found.items():
            back = alternates_of(courier.html(href.removeprefix(BASE)))
            assert back == found, f"/{path} names {href} ({lang}), which lists other versions: {back}"


def test_every_alternate_on_every_page_is_reciprocal(courier):
    pages = {path: alternates_of(courier.html(path)) for path in courier.html_pages()}
    for path, found in pages.items():
        for href in found.values():
            assert pages[href.removeprefix(BASE)] == found, (path, href)


def test_an_article_without_translations_has_no_alternates_and_no_switcher(courier):
    doc = courier.html("en/politics/2024/02/only-en/")
    assert alternates_of(doc) == {}
    assert doc.xpath("//nav[contains(@class, 'language-switcher')]") == []


def test_article_alternates_name_each_translations_language(courier):
    found = alternates_of(courier.html("politics/2024/03/budget-hy/"))
    assert found == {"hy": BASE + "politics/2024/03/budget-hy/", "en": BASE + "en/politics/2024/03/budget-en/",
                     "ar": BASE + "ar/politics/2024/03/budget-ar/", "x-default": BASE + "politics/2024/03/budget-hy/"}


def test_the_switcher_links_each_translation_in_its_own_language(courier):
    doc = courier.html("en/politics/2024/03/budget-en/")
    (nav,) = doc.xpath("//nav[contains(@class, 'language-switcher')]")
    assert nav.get("aria-label") == "Languages"
    links = [(a.get("href"), a.get("lang"), a.get("hreflang"), a.get("dir"), a.get("aria-current"), a.text)
             for a in nav.xpath(".//a")]
    assert links == [
        ("/courier/politics/2024/03/budget-hy/", "hy", "hy", "ltr", None, "Հայերեն"),
        ("/courier/en/politics/2024/03/budget-en/", "en", "en", "ltr", "page", "English"),
        ("/courier/ar/politics/2024/03/budget-ar/", "ar", "ar", "rtl", None, "العربية"),
    ]


def test_a_tag_used_in_two_editions_links_only_those_two(courier):
    found = alternates_of(courier.html("en/tags/music/"))
    assert set(found) == {"hy", "en", "x-default"}


def test_page_two_links_page_two_of_the_editions_that_have_one(courier):
    assert set(alternates_of(courier.html("en/politics/page/2/"))) == {"hy", "en", "x-default"}
    assert set(alternates_of(courier.html("ar/politics/"))) == {"hy", "en", "ar", "x-default"}


def test_the_interface_is_in_the_editions_language(courier):
    en = courier.html("en/")
    assert en.get("lang") == "en" and en.get("dir") == "ltr"
    assert en.xpath("//nav[@id='main-navigation']//a/text()") == ["Front page", "Politics", "Culture"]
    ar = courier.html("ar/politics/2024/03/budget-ar/")
    assert (ar.get("lang"), ar.get("dir")) == ("ar", "rtl")
    assert ar.xpath("//nav[@id='main-navigation']/@aria-label") == ["القائمة الرئيسية"]
    assert "2024" in ar.xpath("//main//time/text()")[0] and "مارس" in ar.xpath("//main//time/text()")[0]


def test_an_english_story_in_the_armenian_edition_keeps_an_armenian_interface(courier):
    doc = courier.html("politics/2024/01/english-in-hy/")
    assert doc.get("lang") == "hy"
    assert doc.xpath("//article/@lang") == ["en"]
    assert doc.xpath("//nav[@id='main-navigation']//a/text()")[0] == "Գլխավոր էջ"
    teaser = courier.html("").xpath("//li[contains(@class, 'teaser')][.//a[contains(@href, 'english-in-hy')]]")[0]
    assert teaser.get("lang") == "en"


def test_fallen_back_section_names_are_marked_with_their_language(courier):
    doc = courier.html("ar/politics/")
    assert [(h.get("lang"), h.text) for h in doc.xpath("//h1")] == [("hy", "Քաղաքականություն")]
    link = doc.xpath("//nav[@id='main-navigation']//a[contains(@href, 'politics')]")[0]
    assert (link.get("lang"), link.get("dir")) == ("hy", "ltr")


def test_captions_are_announced_in_the_editions_language(tmp_path_factory):
    from tests.support.editions import article
    from tests.support.files import png

    image = "image: {src: /images/a.png, alt: 'A council chamber', caption: 'The vote', credit: 'Ani Sargsyan'}"
    text = article("Council votes", lang="en").replace("tags: [budget]", "tags: [budget]\n" + image)
    built = site_once(tmp_path_factory, "captions", {**files(), "content/politics/cap.md": text,
                                                     "static/images/a.png": png()})
    figure = built.html("en/politics/2024/03/cap/").xpath("//figcaption")[0]
    hidden = figure.xpath(".//span[@class='visually-hidden']/text()")
    assert hidden == ["Image caption, ", "Image source, "]


def test_counts_on_the_archive_index_use_plural_forms(tmp_path_factory):
    yaml = files()["site.yaml"].replace("  - code: ar\n", "  - code: ru\n    prefix: ru\n    title: Курьер\n"
                                        "    fallback: true\n  - code: ar\n")
    stories = {f"content/politics/ru-{n}.md": f"---\ntitle: Статья {n}\ndate: 2024-0{n}-01\nsection: politics\n"
               f"lang: ru\n---\n\nТекст.\n" for n in range(1, 6)}
    built = site_once(tmp_path_factory, "plurals", {**files(), "site.yaml": yaml, **stories})
    counts = built.html("ru/archive/").xpath("//p[@class='archive-count']/text()")
    assert counts == ["5 статей"]
    months = built.html("ru/archive/").xpath("//ul[@class='archive-months']//span[@class='archive-count']/text()")
    assert months == ["1 статья"] * 5


@pytest.mark.parametrize(("prefix", "lang"), [("", "hy"), ("en/", "en"), ("ar/", "ar")])
def test_every_editions_feeds_parse_and_carry_its_language(courier, prefix, lang):
    for listing in ("", "politics/", "tags/budget/", "authors/anna/"):
        for name in ("feed.xml", "atom.xml"):
            feed = courier.feed(prefix + listing + name)
            assert feed.feed.get("language") == lang or feed.feed.get("title_detail", {}).get("language") == lang
            assert all(entry.link.startswith(BASE + prefix) for entry in feed.entries)
        assert courier.json(prefix + listing + "feed.json")["language"] == lang


def test_feed_titles_are_the_editions(courier):
    assert courier.feed("en/feed.xml").feed.title == "The Trilingual Courier"
    assert courier.feed("ar/politics/feed.xml").feed.title == "Քաղաքականություն — الساعي الثلاثي اللغات"


def test_the_sitemap_carries_the_same_alternates_as_the_pages(courier):
    root = ET.fromstring(courier.path("sitemap.xml").read_bytes())
    entries = {url.find(f"{SITEMAP}loc").text: {link.get("hreflang"): link.get("href")
                                                for link in url.findall(f"{XHTML}link")}
               for url in root.findall(f"{SITEMAP}url")}
    assert BASE + "en/politics/2024/03/budget-en/" in entries
    for loc, found in entries.items():
        assert found == alternates_of(courier.html(loc.removeprefix(BASE))), loc
        for href in found.values():
            if href in entries:
                assert entries[href] == found


def test_each_edition_has_a_news_sitemap_with_its_name(tmp_path_factory):
    from datetime import UTC, datetime

    built = site_once(tmp_path_factory, "news", files(), now=datetime(2024, 3, 6, tzinfo=UTC))
    news = "{http://www.google.com/schemas/sitemap-news/0.9}"
    for prefix, name, count in (("", "Եռալեզու սուրհանդակ", 1), ("en/", "The Trilingual Courier", 1),
                                ("ar/", "الساعي الثلاثي اللغات", 1)):
        root = ET.fromstring(built.path(prefix + "news-sitemap.xml").read_bytes())
        assert [n.text for n in root.iter(f"{news}name")] == [name] * count


def test_the_reciprocity_check_names_a_page_that_is_not_linked_back(tmp_path):
    pages = {"a/": (Alternate("hy", "a/"), Alternate("en", "en/a/")), "en/a/": (Alternate("en", "en/a/"),)}
    errors = check_reciprocal(pages, tmp_path / "site.yaml")
    assert [e.message for e in errors] == ["/a/ and /en/a/ do not list the same versions (a/, en/a/ and en/a/)"]
    assert errors[0].path == tmp_path / "site.yaml" and errors[0].field == "languages"


def test_a_default_edition_with_a_prefix_leaves_a_way_in_at_the_root(tmp_path_factory):
    yaml = files()["site.yaml"].replace("  - code: hy\n", "  - code: hy\n    prefix: hy\n")
    built = site_once(tmp_path_factory, "prefixed-default", {**files(), "site.yaml": yaml})
    root = built.html("")
    assert root.xpath("//meta[@http-equiv='refresh']/@content") == ["0; url=/courier/hy/"]
    assert root.get("lang") == "hy"
    assert built.exists("hy/politics/2024/03/budget-hy/") and built.exists("hy/archive/")
    assert built.exists("404.html") and not built.exists("hy/404.html")
    assert alternates_of(built.html("en/404.html"))["hy"] == BASE + "404.html"
    assert alternates_of(built.html("en/"))["x-default"] == BASE + "hy/"
