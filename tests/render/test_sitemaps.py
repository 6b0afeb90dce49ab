"""sitemap.xml (and its index when split), the Google News sitemap and robots.txt of a built site."""

from __future__ import annotations

from datetime import datetime, timedelta
from xml.etree import ElementTree as ET

import pytest

from tests.support.builds import FIXED_NOW, absolute, article, site_once, site_yaml

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "news": "http://www.google.com/schemas/sitemap-news/0.9"}

ARTICLES = {
    "content/politics/one.md": article("One", "2024-05-01T10:00:00+04:00", authors=["anna"], tags=["Budget"]),
    "content/politics/two.md": article("Two", "2024-05-02T10:00:00+04:00", authors=["anna"], tags=["Budget"],
                                       aliases=["/old/two/"]),
    "content/politics/three.md": article("Three", "2024-04-03T10:00:00+04:00", tags=["Budget"],
                                         corrections=[{"date": "2024-05-20T08:00:00+04:00", "text": "Fixed."}]),
    "content/culture/four.md": article("Four", "2024-03-04T10:00:00+04:00", section="culture", tags=["Music"]),
    "content/culture/five.md": article("Five", "2023-12-05T10:00:00+04:00", section="culture",
                                       updated="2024-01-10T10:00:00+04:00"),
    "content/politics/draft.md": article("Draft", "2024-05-03T10:00:00+04:00", draft=True),
}
MODIFIED = {
    "politics/2024/05/one/": "2024-05-01T10:00:00+04:00",
    "politics/2024/05/two/": "2024-05-02T10:00:00+04:00",
    "politics/2024/04/three/": "2024-05-20T08:00:00+04:00",
    "culture/2024/03/four/": "2024-03-04T10:00:00+04:00",
    "culture/2023/12/five/": "2024-01-10T10:00:00+04:00",
}


def files(**yaml) -> dict:
    return {**ARTICLES, "site.yaml": site_yaml(per_page=2, **yaml)}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return site_once(tmp_path_factory, "sitemap", files())


@pytest.fixture(scope="module")
def split(tmp_path_factory):
    return site_once(tmp_path_factory, "sitemap-split", files(extra="sitemap:\n  max_urls: 5\n"))


def parse(built, name: str) -> ET.Element:
    return ET.fromstring(built.path(name).read_bytes())


def urls(root: ET.Element) -> dict[str, str | None]:
    return {u.findtext("s:loc", namespaces=NS): u.findtext("s:lastmod", namespaces=NS)
            for u in root.findall("s:url", NS)}


def test_sitemap_lists_every_indexable_page_once(site):
    root = parse(site, "sitemap.xml")
    assert root.tag == f"{{{NS['s']}}}urlset"
    locs = [u.findtext("s:loc", namespaces=NS) for u in root.findall("s:url", NS)]
    assert len(locs) == len(set(locs))
    # Every HTML page but the 404 page and the redirect left at an alias.
    pages = site.html_pages() - {"404.html", "old/two/"}
    assert set(locs) == {absolute(p) for p in pages}
    assert absolute("old/two/") not in locs
    assert absolute("politics/2024/05/draft/") not in locs
    assert absolute("politics/page/2/") in locs and absolute("archive/") in locs


def test_every_sitemap_entry_has_a_lastmod_with_a_time_zone(site):
    for loc, lastmod in urls(parse(site, "sitemap.xml")).items():
        assert lastmod, loc
        assert datetime.fromisoformat(lastmod).tzinfo is not None, (loc, lastmod)


def test_article_lastmod_is_its_latest_change(site):
    found = urls(parse(site, "sitemap.xml"))
    for path, modified in MODIFIED.items():
        assert found[absolute(path)] == modified, path


def test_listing_lastmod_is_the_latest_change_among_the_articles_it_shows(site):
    found = urls(parse(site, "sitemap.xml"))
    # politics, newest first: two, one, three; per page 2.
    assert found[absolute("politics/")] == "2024-05-02T10:00:00+04:00"
    assert found[absolute("politics/page/2/")] == "2024-05-20T08:00:00+04:00"  # three, corrected later
    assert found[absolute("culture/")] == "2024-03-04T10:00:00+04:00"
    assert found[absolute("2023/12/05/")] == "2024-01-10T10:00:00+04:00"
    assert found[absolute("")] == "2024-05-02T10:00:00+04:00"
    assert found[absolute("archive/")] == "2024-05-20T08:00:00+04:00"


def test_split_sitemap_index(site, split):
    index = parse(split, "sitemap.xml")
    assert index.tag == f"{{{NS['s']}}}sitemapindex"
    parts = index.findall("s:sitemap", NS)
    whole = urls(parse(site, "sitemap.xml"))
    assert len(parts) == -(-len(whole) // 5)
    combined: dict[str, str | None] = {}
    for number, part in enumerate(parts, 1):
        name = f"sitemap-{number}.xml"
        assert part.findtext("s:loc", namespaces=NS) == absolute(name)
        chunk = urls(parse(split, name))
        assert 1 <= len(chunk) <= 5
        assert part.findtext("s:lastmod", namespaces=NS) == max(chunk.values(), key=datetime.fromisoformat)
        assert not combined.keys() & chunk.keys()
        combined.update(chunk)
    assert combined == whole
    assert not split.exists(f"sitemap-{len(parts) + 1}.xml")
    # robots.txt points at the index, which points at the rest.
    assert absolute("sitemap.xml") in split.text("robots.txt")


def test_sitemap_exactly_at_the_limit_is_not_split(site, build_site):
    count = len(urls(parse(site, "sitemap.xml")))
    built = build_site(files(extra=f"sitemap:\n  max_urls: {count}\n"))
    assert parse(built, "sitemap.xml").tag == f"{{{NS['s']}}}urlset"
    assert not built.exists("sitemap-1.xml")
    built = build_site(files(extra=f"sitemap:\n  max_urls: {count - 1}\n"))
    assert [len(urls(parse(built, f"sitemap-{n}.xml"))) for n in (1, 2)] == [count - 1, 1]


def test_robots_txt_points_at_the_absolute_sitemap_url(site):
    assert site.text("robots.txt") == "User-agent: *\nAllow: /\n\nSitemap: https://example.org/news/sitemap.xml\n"


# Google News sitemap ------------------------------------------------------------------------------

def at(delta: timedelta) -> str:
    return (FIXED_NOW + delta).isoformat()


NEWS_ARTICLES = {
    "site.yaml": site_yaml(),
    "content/politics/hour-ago.md": article('Vote "today" & <tonight>', at(timedelta(hours=-1))),
    "content/politics/two-days.md": article("Just inside", at(timedelta(hours=-47, minutes=-59))),
    "content/politics/too-old.md": article("Too old", at(timedelta(hours=-48, minutes=-1))),
    "content/culture/armenian.md": article("Երգի փառատոն", at(timedelta(hours=-3)), section="culture", lang="hy-AM"),
    "content/politics/scheduled.md": article("Scheduled", at(timedelta(hours=1))),
    "content/politics/gone.md": article("Gone", at(timedelta(hours=-5)), expires=at(timedelta(hours=-1))),
    "content/politics/drafted.md": article("Drafted", at(timedelta(hours=-2)), draft=True),
}


@pytest.fixture(scope="module")
def news(tmp_path_factory):
    return site_once(tmp_path_factory, "news", NEWS_ARTICLES, future=True)


def test_news_sitemap_has_only_the_last_two_days(news):
    root = parse(news, "news-sitemap.xml")
    entries = root.findall("s:url", NS)
    locs = [u.findtext("s:loc", namespaces=NS) for u in entries]
    # Newest first; no scheduled (even when built), expired, draft or older article.
    assert locs == [absolute("politics/2024/06/hour-ago/"), absolute("culture/2024/06/armenian/"),
                    absolute("politics/2024/05/two-days/")]
    for entry in entries:
        published = entry.findtext("news:news/news:publication_date", namespaces=NS)
        assert FIXED_NOW - timedelta(days=2) <= datetime.fromisoformat(published) <= FIXED_NOW
        assert entry.findtext("news:news/news:publication/news:name", namespaces=NS) == "Test Gazette"


def test_news_sitemap_entry_fields(news):
    root = parse(news, "news-sitemap.xml")
    by_loc = {u.findtext("s:loc", namespaces=NS): u for u in root.findall("s:url", NS)}
    first = by_loc[absolute("politics/2024/06/hour-ago/")]
    assert first.findtext("news:news/news:title", namespaces=NS) == 'Vote "today" & <tonight>'
    assert first.findtext("news:news/news:publication/news:language", namespaces=NS) == "en"
    assert datetime.fromisoformat(first.findtext("news:news/news:publication_date", namespaces=NS)) == \
        FIXED_NOW - timedelta(hours=1)
    armenian = by_loc[absolute("culture/2024/06/armenian/")]
    assert armenian.findtext("news:news/news:title", namespaces=NS) == "Երգի փառատոն"
    assert armenian.findtext("news:news/news:publication/news:language", namespaces=NS) == "hy"


def test_news_sitemap_is_empty_but_valid_without_recent_articles(site):
    root = parse(site, "news-sitemap.xml")
    assert root.tag == f"{{{NS['s']}}}urlset"
    assert root.findall("s:url", NS) == []
