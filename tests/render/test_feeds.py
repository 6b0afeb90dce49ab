"""RSS, Atom and JSON Feed of the site, every section, tag and author, read back as a reader would."""

from __future__ import annotations

from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import quote, unquote
from xml.etree import ElementTree as ET

import lxml.html
import pytest

from tests.support.builds import BASE_URL, absolute, article, site_once, site_yaml, url
from tests.support.files import png

SECTIONS = """\
sections:
  - key: politics
    title: Politics
    description: Votes, councils and elections.
  - key: culture
    title: Culture
  - key: science
    title: Science
"""

A_TITLE = 'Budget & "reform" <now> it\'s here'
B_TITLE = "Երևանի բյուջեն հաստատվեց"
C_TITLE = "ميزانية يريفان «الجديدة» & المزيد"
D_TITLE = "Old culture story"

A = "politics/2024/05/budget-reform/"
B = "politics/2024/05/yerevan-budget/"
C = "culture/2024/05/arabic-budget/"
D = "culture/2023/01/old-culture/"
TAG_YEREVAN = "tags/" + quote("երևան") + "/"

BODY_A = """\
## What changed

The plan is in [the culture pages](/culture/) and [the vote](/politics/2024/05/yerevan-budget/#details).

![A bar chart of spending](/images/chart.png "Spending by year")
"""

CONTENT = {
    "site.yaml": site_yaml(sections=SECTIONS),
    "static/images/chart.png": png(),
    "content/politics/budget-reform.md": article(
        A_TITLE, "2024-05-30T10:00:00+04:00", authors=["anna"], tags=["Budget"], summary="Money & <more>",
        body=BODY_A),
    "content/politics/yerevan-budget.md": article(
        B_TITLE, "2024-05-20T10:00:00+04:00", authors=["anna"], tags=["Budget", "Երևան"], lang="hy",
        summary="Քաղաքային խորհուրդը հաստատեց բյուջեն։", body="## Details\n\nՏեքստ։\n"),
    "content/culture/arabic-budget.md": article(
        C_TITLE, "2024-05-10T10:00:00+04:00", section="culture", authors=["Layla Haddad"], tags=["Budget"],
        lang="ar", body="نص المقال.\n"),
    # Published long ago, updated after B and C: modified order puts it second.
    "content/culture/old-culture.md": article(
        D_TITLE, "2023-01-01T10:00:00+04:00", section="culture", updated="2024-05-25T10:00:00+04:00",
        summary="An old story."),
}

TITLES = {A: A_TITLE, B: B_TITLE, C: C_TITLE, D: D_TITLE}
PUBLISHED = {A: "2024-05-30T10:00:00+04:00", B: "2024-05-20T10:00:00+04:00",
             C: "2024-05-10T10:00:00+04:00", D: "2023-01-01T10:00:00+04:00"}
MODIFIED = {**PUBLISHED, D: "2024-05-25T10:00:00+04:00"}

# listing path, feed title, entries in feed order (latest change first)
FEEDS = [
    ("", "Test Gazette", [A, D, B, C]),
    ("politics/", "Politics — Test Gazette", [A, B]),
    ("culture/", "Culture — Test Gazette", [D, C]),
    ("tags/budget/", "Budget — Test Gazette", [A, B, C]),
    (TAG_YEREVAN, "Երևան — Test Gazette", [B]),
    ("authors/anna/", "Anna Hakobyan — Test Gazette", [A, B]),
    ("authors/layla-haddad/", "Layla Haddad — Test Gazette", [C]),
    ("science/", "Science — Test Gazette", []),
]
FEED_IDS = [f[0] or "home" for f in FEEDS]


def disk(path: str) -> str:
    """The output file of a (percent-encoded) site path."""
    return unquote(path)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return site_once(tmp_path_factory, "feeds", CONTENT)


@pytest.fixture(scope="module")
def summary_site(tmp_path_factory):
    files = {**CONTENT, "site.yaml": site_yaml(sections=SECTIONS, extra="feeds:\n  content: summary\n")}
    return site_once(tmp_path_factory, "feeds-summary", files)


@pytest.fixture(scope="module")
def limited_site(tmp_path_factory):
    files = {**CONTENT, "site.yaml": site_yaml(sections=SECTIONS, extra="feeds:\n  limit: 2\n")}
    return site_once(tmp_path_factory, "feeds-limit", files)


# Entries and order -------------------------------------------------------------------------------

@pytest.mark.parametrize("listing, title, entries", FEEDS, ids=FEED_IDS)
def test_atom_feed(site, listing, title, entries):
    feed = site.feed(disk(listing) + "atom.xml")
    assert feed.version == "atom10"
    assert feed.feed.title == title
    assert feed.feed.id == absolute(listing)
    links = {(link.rel, link.href) for link in feed.feed.links}
    assert ("alternate", absolute(listing)) in links
    assert ("self", absolute(listing + "atom.xml")) in links
    assert [e.link for e in feed.entries] == [absolute(p) for p in entries]
    assert [e.id for e in feed.entries] == [absolute(p) for p in entries]
    assert [e.title for e in feed.entries] == [TITLES[p] for p in entries]
    assert [e.published for e in feed.entries] == [PUBLISHED[p] for p in entries]
    assert [e.updated for e in feed.entries] == [MODIFIED[p] for p in entries]
    if entries:
        assert feed.feed.updated == MODIFIED[entries[0]]


@pytest.mark.parametrize("listing, title, entries", FEEDS, ids=FEED_IDS)
def test_rss_feed(site, listing, title, entries):
    feed = site.feed(disk(listing) + "feed.xml")
    assert feed.version == "rss20"
    assert feed.feed.title == title
    assert ("self", absolute(listing + "feed.xml")) in {(link.rel, link.href) for link in feed.feed.links}
    assert [e.link for e in feed.entries] == [absolute(p) for p in entries]
    assert [e.id for e in feed.entries] == [absolute(p) for p in entries]  # <guid isPermaLink="true">
    assert [e.title for e in feed.entries] == [TITLES[p] for p in entries]
    assert [parsedate_to_datetime(e.published) for e in feed.entries] == \
        [datetime.fromisoformat(PUBLISHED[p]) for p in entries]


@pytest.mark.parametrize("listing", ["", "politics/"])
def test_rss_channel_link_is_the_listing_page(site, listing):
    assert site.feed(listing + "feed.xml").feed.link == absolute(listing)


@pytest.mark.parametrize("listing, title, entries", FEEDS, ids=FEED_IDS)
def test_json_feed(site, listing, title, entries):
    feed = site.json(disk(listing) + "feed.json")
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == title
    assert feed["home_page_url"] == absolute(listing)
    assert feed["feed_url"] == absolute(listing + "feed.json")
    items = feed["items"]
    assert [i["url"] for i in items] == [absolute(p) for p in entries]
    assert [i["id"] for i in items] == [absolute(p) for p in entries]
    assert [i["title"] for i in items] == [TITLES[p] for p in entries]
    assert [i["date_published"] for i in items] == [PUBLISHED[p] for p in entries]
    assert [i["date_modified"] for i in items] == [MODIFIED[p] for p in entries]


def test_json_feed_item_details(site):
    items = {i["url"]: i for i in site.json("feed.json")["items"]}
    a, b, c = items[absolute(A)], items[absolute(B)], items[absolute(C)]
    assert a["authors"] == [{"name": "Anna Hakobyan", "url": absolute("authors/anna/")}]
    assert c["authors"] == [{"name": "Layla Haddad", "url": absolute("authors/layla-haddad/")}]
    assert a["tags"] == ["Budget"] and b["tags"] == ["Budget", "Երևան"]
    assert (a["language"], b["language"], c["language"]) == ("en", "hy", "ar")
    assert a["summary"] == "Money & <more>"
    assert "summary" not in c
    assert site.json("politics/feed.json")["description"] == "Votes, councils and elections."


def test_atom_entry_authors_and_categories(site):
    entry = {e.link: e for e in site.feed("atom.xml").entries}[absolute(B)]
    assert [(a.name, a.href) for a in entry.authors] == [("Anna Hakobyan", absolute("authors/anna/"))]
    assert [t.term for t in entry.tags] == ["Budget", "Երևան"]
    assert entry.summary == "Քաղաքային խորհուրդը հաստատեց բյուջեն։"


# Special characters and well-formed XML --------------------------------------------------------

@pytest.mark.parametrize("name", ["feed.xml", "atom.xml", "politics/feed.xml", "culture/atom.xml",
                                  disk(TAG_YEREVAN) + "atom.xml"])
def test_xml_feeds_are_well_formed_utf8(site, name):
    raw = site.path(name).read_bytes()
    ET.fromstring(raw)  # raises on anything not well-formed
    raw.decode("utf-8")
    # Titles are escaped text, never markup.
    assert b"<now>" not in raw
    assert b"<title>" + A_TITLE.encode() not in raw


def test_special_characters_survive_in_every_format(site):
    atom = {e.link: e for e in site.feed("atom.xml").entries}
    rss = {e.link: e for e in site.feed("feed.xml").entries}
    items = {i["url"]: i for i in site.json("feed.json")["items"]}
    for path, title in TITLES.items():
        assert atom[absolute(path)].title == title
        assert atom[absolute(path)].title_detail.type == "text/plain"
        assert rss[absolute(path)].title == title
        assert items[absolute(path)]["title"] == title
    assert atom[absolute(A)].summary == "Money & <more>"


# Absolute URLs and content -----------------------------------------------------------------------

def test_every_url_in_the_feeds_is_absolute_under_the_base_url(site):
    for listing, _, _ in FEEDS:
        for name in ("atom.xml", "feed.xml"):
            root = ET.fromstring(site.path(disk(listing) + name).read_bytes())
            for element in root.iter():
                for attribute in ("href", "uri"):
                    if element.get(attribute):
                        assert element.get(attribute).startswith(BASE_URL), (name, element.get(attribute))
                if element.tag.endswith(("}id", "}uri", "link", "guid")) and element.text and element.text.strip():
                    assert element.text.startswith(BASE_URL), (name, element.tag, element.text)


def content_links(html: str) -> tuple[list[str], list[str]]:
    doc = lxml.html.fragment_fromstring(html, create_parent="div")
    return doc.xpath("//a/@href"), doc.xpath("//img/@src")


def test_full_content_with_absolute_links_in_every_format(site):
    atom = {e.link: e for e in site.feed("atom.xml").entries}[absolute(A)]
    rss = {e.link: e for e in site.feed("feed.xml").entries}[absolute(A)]
    item = {i["url"]: i for i in site.json("feed.json")["items"]}[absolute(A)]
    expected_links = [absolute("culture/"), absolute("politics/2024/05/yerevan-budget/#details")]
    expected_images = [absolute("images/chart.png")]
    for html in (atom.content[0].value, rss.content[0].value, item["content_html"]):
        assert "<h2" in html and "What changed" in html
        assert content_links(html) == (expected_links, expected_images)


def test_atom_content_is_declared_html(site):
    entry = site.feed("atom.xml").entries[0]
    assert entry.content[0].type == "text/html"


def test_summary_only_feeds(summary_site):
    atom = {e.link: e for e in summary_site.feed("atom.xml").entries}
    rss = {e.link: e for e in summary_site.feed("feed.xml").entries}
    items = {i["url"]: i for i in summary_site.json("feed.json")["items"]}
    assert set(atom) == set(rss) == set(items) == {absolute(p) for p in TITLES}
    for path in TITLES:
        assert "content" not in atom[absolute(path)], path
        assert "content" not in rss[absolute(path)], path
        assert "content_html" not in items[absolute(path)], path
    assert atom[absolute(A)].summary == "Money & <more>"
    assert rss[absolute(D)].summary == "An old story."
    assert items[absolute(A)]["content_text"] == "Money & <more>"
    # Without a summary the title stands in, so an entry is never empty.
    assert atom[absolute(C)].summary == C_TITLE
    assert items[absolute(C)]["content_text"] == C_TITLE
    raw = summary_site.path("atom.xml").read_bytes() + summary_site.path("feed.xml").read_bytes()
    assert b"What changed" not in raw


@pytest.mark.parametrize("fixture", ["site", "summary_site"])
def test_rss_description_keeps_angle_brackets_of_a_plain_text_summary(request, fixture):
    built = request.getfixturevalue(fixture)
    entry = {e.link: e for e in built.feed("feed.xml").entries}[absolute(A)]
    # feedparser hands back the description as HTML: the text must survive as text.
    assert entry.summary == "Money &amp; &lt;more&gt;"


@pytest.mark.parametrize("listing, entries", [("", [A, D]), ("politics/", [A, B]), ("tags/budget/", [A, B]),
                                              ("authors/layla-haddad/", [C])])
def test_feed_limit(limited_site, listing, entries):
    expected = [absolute(p) for p in entries]
    assert [e.link for e in limited_site.feed(listing + "atom.xml").entries] == expected
    assert [e.link for e in limited_site.feed(listing + "feed.xml").entries] == expected
    assert [i["url"] for i in limited_site.json(listing + "feed.json")["items"]] == expected
    # The limit is for feeds only: listings show everything.
    assert len(limited_site.html("").xpath("//section[contains(@class, 'latest')]//li")) == 4


# Feed discovery ----------------------------------------------------------------------------------

SITE_FEEDS = [("application/rss+xml", "RSS: Test Gazette", url("feed.xml")),
              ("application/atom+xml", "Atom: Test Gazette", url("atom.xml")),
              ("application/feed+json", "JSON Feed: Test Gazette", url("feed.json"))]


def own_feeds(path: str, name: str):
    return [("application/rss+xml", f"RSS: {name}", url(path + "feed.xml")),
            ("application/atom+xml", f"Atom: {name}", url(path + "atom.xml")),
            ("application/feed+json", f"JSON Feed: {name}", url(path + "feed.json"))]


@pytest.mark.parametrize("page, expected", [
    ("", SITE_FEEDS),
    ("politics/", SITE_FEEDS + own_feeds("politics/", "Politics")),
    ("tags/budget/", SITE_FEEDS + own_feeds("tags/budget/", "Topic: Budget")),
    ("authors/anna/", SITE_FEEDS + own_feeds("authors/anna/", "Anna Hakobyan")),
    (A, SITE_FEEDS + own_feeds("politics/", "Politics")),
    (C, SITE_FEEDS + own_feeds("culture/", "Culture")),
    ("2024/05/", SITE_FEEDS),
    ("archive/", SITE_FEEDS),
], ids=["home", "section", "tag", "author", "article", "article-ar", "month", "archive"])
def test_each_page_links_its_feeds_in_head(site, page, expected):
    doc = site.html(page)
    found = [(link.get("type"), link.get("title"), link.get("href")) for link in doc.xpath("//head/link[@rel='alternate']")]
    assert found == expected
    for _, _, href in found:
        assert site.exists(href.removeprefix("/news/")), href


def test_non_ascii_tag_feed_is_linked_with_an_encoded_address(site):
    doc = site.html(disk(TAG_YEREVAN))
    hrefs = doc.xpath("//head/link[@rel='alternate']/@href")
    assert url(TAG_YEREVAN + "atom.xml") in hrefs
    assert site.exists(disk(TAG_YEREVAN) + "atom.xml")


def test_empty_listing_has_valid_empty_feeds(site):
    assert site.feed("science/atom.xml").entries == []
    assert site.feed("science/feed.xml").entries == []
    assert site.json("science/feed.json")["items"] == []
