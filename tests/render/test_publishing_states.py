"""Drafts, scheduled and expired articles, and corrections: where each appears in a built site."""

from __future__ import annotations

from datetime import datetime
from xml.etree import ElementTree as ET

import pytest

from tests.support.builds import FIXED_NOW, absolute, article, build_into, listing_links, site_once, url
from tests.support.files import output_state

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}

LIVE = "politics/2024/05/live/"
DRAFT = "politics/2024/05/draft/"
FUTURE = "politics/2024/07/future/"
EXPIRED = "politics/2024/04/expired/"
CORRECTED = "politics/2023/01/corrected/"

# FIXED_NOW is 2024-06-01T12:00Z = 16:00 in Yerevan.
CONTENT = {
    "content/politics/live.md": article(
        "Live story", "2024-05-20T10:00:00+04:00", authors=["anna"], tags=["Budget"], summary="Live."),
    "content/politics/draft.md": article(
        "Draft story", "2024-05-21T10:00:00+04:00", authors=["anna"], tags=["Budget"], draft=True),
    "content/politics/future.md": article(
        "Future story", "2024-07-01T10:00:00+04:00", authors=["anna"], tags=["Budget"]),
    "content/politics/expired.md": article(
        "Expired offer", "2024-04-01T10:00:00+04:00", authors=["anna"], tags=["Budget", "Offers"],
        expires="2024-05-01T00:00:00+04:00"),
    # Published long ago, corrected after the live story was published.
    "content/politics/corrected.md": article(
        "Corrected story", "2023-01-10T10:00:00+04:00", authors=["anna"], tags=["Budget"],
        corrections=[{"date": "2024-05-25T09:00:00+04:00", "text": "An earlier version misspelled the mayor's name."},
                     {"date": "2023-02-01", "text": "The vote count was 41, not 14."}]),
}

# Every place an article can be listed, as (path, kind).
LISTINGS = ["", "politics/", "tags/budget/", "authors/anna/"]
FEEDS = [p + name for p in LISTINGS for name in ("feed.xml", "atom.xml", "feed.json")]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return site_once(tmp_path_factory, "states", CONTENT)


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    return site_once(tmp_path_factory, "states-preview", CONTENT, drafts=True, future=True)


def feed_links(built, rel: str) -> list[str]:
    if rel.endswith(".json"):
        return [item["url"] for item in built.json(rel)["items"]]
    return [entry.link for entry in built.feed(rel).entries]


def sitemap_locs(built) -> list[str]:
    root = ET.fromstring(built.path("sitemap.xml").read_bytes())
    return [e.text for e in root.findall("s:url/s:loc", SITEMAP_NS)]


def notices(doc) -> list[str]:
    return [p.text_content().strip() for p in doc.xpath("//article//p[contains(@class, 'notice')]")]


# Drafts and scheduled articles -----------------------------------------------------------------

@pytest.mark.parametrize("path", [DRAFT, FUTURE])
def test_drafts_and_future_articles_are_left_out_by_default(site, path):
    assert not site.exists(path)
    for listing in [*LISTINGS, "2024/", "2024/05/", "2024/07/"]:
        if site.exists(listing):
            assert url(path) not in listing_links(site.html(listing)), listing
    for feed in FEEDS:
        assert absolute(path) not in feed_links(site, feed), feed
    assert absolute(path) not in sitemap_locs(site)
    assert not site.exists("2024/07/")  # the only article of July is scheduled


def test_drafts_are_built_and_marked_with_drafts_option(preview):
    doc = preview.html(DRAFT)
    assert notices(doc) == ["Draft: this article has not been published."]
    assert doc.xpath("//head/meta[@name='robots']/@content") == ["noindex"]
    assert url(DRAFT) in listing_links(preview.html("politics/"))


def test_future_articles_are_built_and_marked_with_future_option(preview):
    doc = preview.html(FUTURE)
    assert notices(doc) == ["Scheduled: this article will be published on the date shown."]
    assert doc.xpath("//head/meta[@name='robots']/@content") == ["noindex"]
    assert listing_links(preview.html("politics/"))[0] == url(FUTURE)
    assert preview.exists("2024/07/01/")


def test_draft_option_alone_does_not_publish_the_future(build_site):
    built = build_site(CONTENT, drafts=True)
    assert built.exists(DRAFT) and not built.exists(FUTURE)
    built = build_site(CONTENT, future=True)
    assert built.exists(FUTURE) and not built.exists(DRAFT)


def test_an_article_dated_exactly_now_is_published(build_site):
    built = build_site({"content/politics/now.md": article("Right now", FIXED_NOW.isoformat())})
    assert url("politics/2024/06/now/") in listing_links(built.html(""))


# Expired articles -------------------------------------------------------------------------------

def test_expired_article_keeps_its_page_with_a_note(site):
    doc = site.html(EXPIRED)
    assert notices(doc) == ["This article is no longer listed in the archive and may be out of date."]
    assert doc.xpath("string(//h1)") == "Expired offer"


@pytest.mark.parametrize("listing", [*LISTINGS, "2024/", "2024/04/"])
def test_expired_article_is_not_listed(site, listing):
    if site.exists(listing):
        assert url(EXPIRED) not in listing_links(site.html(listing))
    assert not site.exists("2024/04/01/")  # its day has no other article


@pytest.mark.parametrize("feed", FEEDS)
def test_expired_article_is_not_in_feeds(site, feed):
    assert absolute(EXPIRED) not in feed_links(site, feed)
    assert absolute(LIVE) in feed_links(site, feed)


def test_expired_article_is_not_in_the_sitemap(site):
    assert absolute(EXPIRED) not in sitemap_locs(site)


def test_expired_article_links_only_to_listings_that_exist(site):
    # "Offers" is a tag only the expired article has: no tag page, so no link to one.
    assert not site.exists("tags/offers/")
    doc = site.html(EXPIRED)
    tags = doc.xpath("//section[contains(@class, 'article-tags')]//li")
    assert [li.text_content().strip() for li in tags] == ["Budget", "Offers"]
    assert [li.xpath("a/@href") for li in tags] == [[url("tags/budget/")], []]


def test_expiry_is_decided_by_now(build_site):
    files = {"content/politics/offer.md": article("Offer", "2024-05-01T10:00:00+04:00",
                                                  expires=FIXED_NOW.isoformat())}
    assert url("politics/2024/05/offer/") not in listing_links(build_site(files).html(""))
    earlier = datetime(2024, 6, 1, 11, 59, tzinfo=FIXED_NOW.tzinfo)
    assert url("politics/2024/05/offer/") in listing_links(build_site(files, now=earlier).html(""))


# Corrections ------------------------------------------------------------------------------------

def test_corrections_block_on_the_article_page(site):
    doc = site.html(CORRECTED)
    blocks = doc.xpath("//article//section[contains(@class, 'corrections')]")
    assert len(blocks) == 1
    block = blocks[0]
    assert [h.text_content().strip() for h in block.xpath("./h2")] == ["Corrections"]
    items = block.xpath("./ul/li")
    # Oldest first, each dated with <time datetime>.
    assert [li.xpath(".//time/@datetime") for li in items] == [["2023-02-01"], ["2024-05-25T09:00+04:00"]]
    # (CLDR puts a narrow no-break space before AM.)
    assert [" ".join(li.xpath(".//time")[0].text_content().split()) for li in items] == \
        ["February 1, 2023", "May 25, 2024, 9:00 AM"]
    assert "The vote count was 41, not 14." in items[0].text_content()
    assert "misspelled the mayor's name" in items[1].text_content()


def test_article_without_corrections_has_no_block(site):
    assert site.html(LIVE).xpath("//section[contains(@class, 'corrections')]") == []


def test_correction_raises_the_modified_date_in_atom_json_feed_and_sitemap(site):
    atom = {e.link: e for e in site.feed("atom.xml").entries}
    assert atom[absolute(CORRECTED)].updated == "2024-05-25T09:00:00+04:00"
    assert atom[absolute(CORRECTED)].published == "2023-01-10T10:00:00+04:00"
    items = {i["url"]: i for i in site.json("feed.json")["items"]}
    assert items[absolute(CORRECTED)]["date_modified"] == "2024-05-25T09:00:00+04:00"
    assert items[absolute(CORRECTED)]["date_published"] == "2023-01-10T10:00:00+04:00"
    root = ET.fromstring(site.path("sitemap.xml").read_bytes())
    lastmod = {u.findtext("s:loc", namespaces=SITEMAP_NS): u.findtext("s:lastmod", namespaces=SITEMAP_NS)
               for u in root.findall("s:url", SITEMAP_NS)}
    assert lastmod[absolute(CORRECTED)] == "2024-05-25T09:00:00+04:00"
    assert lastmod[absolute(LIVE)] == "2024-05-20T10:00:00+04:00"
    # The page's own metadata agrees.
    doc = site.html(CORRECTED)
    assert doc.xpath("//meta[@property='article:modified_time']/@content") == ["2024-05-25T09:00:00+04:00"]


@pytest.mark.parametrize("feed", FEEDS)
def test_a_corrected_old_article_comes_first_in_feeds(site, feed):
    assert feed_links(site, feed) == [absolute(CORRECTED), absolute(LIVE)]


def test_listings_keep_publication_order_after_a_correction(site):
    assert listing_links(site.html("politics/")) == [url(LIVE), url(CORRECTED)]


# Time moving on --------------------------------------------------------------------------------

def digests(out) -> dict[str, str]:
    return {rel: digest for rel, (digest, _) in output_state(out).items() if not rel.startswith(".broadsheet")}


def test_rebuilding_later_publishes_the_scheduled_and_unlists_the_expired(tmp_path):
    """The same sources built again at a later `now` into the same output equal a clean build then."""
    later = datetime(2024, 7, 2, 12, 0, tzinfo=FIXED_NOW.tzinfo)
    files = {**CONTENT, "content/politics/live.md": article(
        "Live story", "2024-05-20T10:00:00+04:00", authors=["anna"], tags=["Budget"], summary="Live.",
        expires="2024-07-01T00:00:00+04:00")}
    first = build_into(tmp_path / "incremental", files)
    assert url(LIVE) in listing_links(first.html("")) and not first.exists(FUTURE)
    again = build_into(tmp_path / "incremental", files, now=later)
    clean = build_into(tmp_path / "clean", files, now=later)
    assert digests(again.out) == digests(clean.out)
    assert url(FUTURE) in listing_links(again.html("")) and url(LIVE) not in listing_links(again.html(""))
    assert notices(again.html(LIVE)) == [
        "This article is no longer listed in the archive and may be out of date."]
    assert absolute(FUTURE) in feed_links(again, "atom.xml") and absolute(LIVE) not in feed_links(again, "atom.xml")
