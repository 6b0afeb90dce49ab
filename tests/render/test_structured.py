"""Machine-readable metadata of built pages: NewsArticle JSON-LD, canonical link, OpenGraph, Twitter."""

from __future__ import annotations

import json
import re

import pytest
from PIL import Image

from tests.support.builds import BASE_URL, absolute, article, meta_content, site_once, site_yaml
from tests.support.files import png

NASTY_TITLE = 'Council </script><script>alert(1)</script> <!-- vote --> & "budget" \u2028 done'
NASTY = "politics/2024/05/nasty/"
PLAIN = "culture/2024/04/plain/"
SCRIPT_OPEN = '<script type="application/ld+json">'

CONTENT = {
    "static/images/council.png": png(120, 80),
    "content/politics/nasty.md": article(
        NASTY_TITLE, "2024-05-05T09:30:00+04:00", authors=["anna", "Levon Petrosyan"], tags=["Budget", "Yerevan"],
        summary="Members </script> voted <!-- 41 to 12 -->.", updated="2024-05-06T11:00:00+04:00",
        corrections=[{"date": "2024-05-07T08:00:00+04:00", "text": "The count was wrong."}],
        image={"src": "/images/council.png", "alt": "Council members raise their hands",
               "caption": "The vote", "credit": "Photo: Ani Sargsyan"}),
    "content/culture/plain.md": article(
        "Օպերայի նոր սեզոն", "2024-04-01", section="culture", lang="hy-AM"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return site_once(tmp_path_factory, "structured", CONTENT)


def jsonld(built, path: str) -> list:
    doc = built.html(path)
    return [json.loads(s.text) for s in doc.xpath("//script[@type='application/ld+json']")]


def test_news_article_json_ld(site):
    (data,) = jsonld(site, NASTY)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == NASTY_TITLE
    assert data["url"] == absolute(NASTY)
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": absolute(NASTY)}
    assert data["inLanguage"] == "en"
    assert data["datePublished"] == "2024-05-05T09:30:00+04:00"
    assert data["dateModified"] == "2024-05-07T08:00:00+04:00"  # the correction is the latest change
    assert data["articleSection"] == "Politics"
    assert data["author"] == [
        {"@type": "Person", "name": "Anna Hakobyan", "url": absolute("authors/anna/")},
        {"@type": "Person", "name": "Levon Petrosyan", "url": absolute("authors/levon-petrosyan/")},
    ]
    assert data["publisher"] == {"@type": "Organization", "name": "Test Gazette", "url": BASE_URL}
    assert data["image"] == [absolute("images/council.png")]
    assert data["description"] == "Members </script> voted <!-- 41 to 12 -->."
    assert data["keywords"] == ["Budget", "Yerevan"]


def test_json_ld_without_image_summary_or_authors(site):
    (data,) = jsonld(site, PLAIN)
    assert data["headline"] == "Օպերայի նոր սեզոն"
    assert data["inLanguage"] == "hy-AM"
    assert data["articleSection"] == "Culture"
    assert data["author"] == []
    assert "image" not in data and "description" not in data and "keywords" not in data
    assert data["datePublished"].startswith("2024-04-01")


def test_script_content_cannot_break_out_of_the_json_ld_element(site):
    raw = site.text(NASTY)
    start = raw.index(SCRIPT_OPEN) + len(SCRIPT_OPEN)
    end = raw.index("</script>", start)
    inside = raw[start:end]
    # The element ends where the JSON ends: the first "</script>" after it closes the whole object.
    assert json.loads(inside)["headline"] == NASTY_TITLE
    assert "<!--" not in inside and "</" not in inside.lower() and "<script" not in inside.lower()
    assert "\u2028" not in inside
    # No script element was injected anywhere, and the page after the JSON-LD is intact.
    assert raw.count("<script") == raw.count("</script>")
    assert "alert(1)</script>" not in raw.replace(inside, "")
    doc = site.html(NASTY)
    assert doc.xpath("string(//h1)") == NASTY_TITLE
    assert len(doc.xpath("//script")) == len(re.findall(r"<script[\s>]", raw))


def test_canonical_link_is_the_absolute_url_of_each_page(site):
    for path in (NASTY, PLAIN, "", "politics/", "tags/budget/", "authors/anna/", "2024/05/", "archive/"):
        assert site.html(path).xpath("//head/link[@rel='canonical']/@href") == [absolute(path)], path


def test_canonical_link_of_a_later_listing_page_is_its_own(build_site):
    files = {"site.yaml": site_yaml(per_page=1)}
    for day in (1, 2):
        files[f"content/politics/s{day}.md"] = article(f"Story {day}", f"2024-01-0{day}T10:00:00+04:00")
    built = build_site(files)
    assert built.html("politics/page/2/").xpath("//head/link[@rel='canonical']/@href") == \
        [absolute("politics/page/2/")]


def test_opengraph_and_twitter_meta(site):
    doc = site.html(NASTY)
    expected = {
        "og:type": ["article"],
        "og:site_name": ["Test Gazette"],
        "og:title": [NASTY_TITLE],
        "og:url": [absolute(NASTY)],
        "og:locale": ["en"],
        "og:description": ["Members </script> voted <!-- 41 to 12 -->."],
        "og:image:width": ["1200"],
        "og:image:height": ["630"],
        "og:image:alt": ["Council members raise their hands"],
        "article:published_time": ["2024-05-05T09:30:00+04:00"],
        "article:modified_time": ["2024-05-07T08:00:00+04:00"],
        "article:section": ["Politics"],
        "article:tag": ["Budget", "Yerevan"],
        "twitter:card": ["summary_large_image"],
        "twitter:title": [NASTY_TITLE],
        "twitter:description": ["Members </script> voted <!-- 41 to 12 -->."],
        "twitter:image:alt": ["Council members raise their hands"],
    }
    for key, value in expected.items():
        assert meta_content(doc, key) == value, key
    # The image to share is the lead image cropped to 1200x630 (render.images), a file of the site.
    (image,) = meta_content(doc, "og:image")
    assert re.fullmatch(re.escape(absolute("images/council.social.")) + r"[0-9a-f]{10}\.jpg", image)
    assert meta_content(doc, "twitter:image") == [image]
    with Image.open(site.path(image.removeprefix(BASE_URL))) as shared:
        assert (shared.format, shared.size) == ("JPEG", (1200, 630))
    assert meta_content(doc, "description") == ["Members </script> voted <!-- 41 to 12 -->."]
    # og:url and the canonical link agree.
    assert doc.xpath("//head/link[@rel='canonical']/@href") == meta_content(doc, "og:url")


def test_opengraph_of_an_article_without_image_or_summary(site):
    doc = site.html(PLAIN)
    assert meta_content(doc, "og:locale") == ["hy_AM"]
    assert meta_content(doc, "twitter:card") == ["summary"]
    for key in ("og:image", "twitter:image", "og:description", "article:tag"):
        assert meta_content(doc, key) == [], key


def test_listing_pages_have_no_article_metadata(site):
    doc = site.html("politics/")
    assert doc.xpath("//script[@type='application/ld+json']") == []
    assert meta_content(doc, "og:type") == []


def test_metadata_images_follow_fingerprinted_file_names(build_site):
    """With hosting.fingerprint on (the default), every reference to the image gets the hashed name
    (without generated sizes, which have their own names and a social image of their own)."""
    built = build_site({**CONTENT, "site.yaml": site_yaml(extra="hosting:\n  fingerprint: true\nimages:\n  widths: []\n")})
    doc = built.html(NASTY)
    image = meta_content(doc, "og:image")[0]
    assert image != absolute("images/council.png") and image.startswith(absolute("images/council."))
    assert meta_content(doc, "twitter:image") == [image]
    assert jsonld(built, NASTY)[0]["image"] == [image]
    assert {i["url"]: i for i in built.json("feed.json")["items"]}[absolute(NASTY)]["image"] == image
    assert built.exists(image.removeprefix(BASE_URL))
    assert doc.xpath("//article//img/@src") == [image.removeprefix("https://example.org")]
