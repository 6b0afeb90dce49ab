"""Listings of a built site: what each one shows and in which order, pagination, date archives."""

from __future__ import annotations

import pytest

from builder.render.views import page_numbers
from tests.support.builds import article, listing_links, site_once, site_yaml, teaser_links, url

# Listing contents ---------------------------------------------------------------------------------

P1 = "politics/2024/03/council-budget/"
P2 = "politics/2024/02/election-date/"
P3 = "politics/2023/11/old-council/"
C1 = "culture/2024/03/jazz-festival/"
C2 = "culture/2023/11/book-fair/"

CONTENT = {
    "content/politics/council-budget.md": article(
        "Council passes budget", "2024-03-05T09:30:00+04:00", authors=["anna"], tags=["Budget", "Yerevan"]),
    "content/politics/election-date.md": article(
        "Election date set", "2024-02-10T12:00:00+04:00", authors=["anna", "Levon Petrosyan"], tags=["Elections"]),
    "content/culture/jazz-festival.md": article(
        "Jazz festival opens", "2024-03-01T18:00:00+04:00", section="culture", authors=["Levon Petrosyan"],
        tags=["Yerevan"]),
    "content/culture/book-fair.md": article(
        "Book fair", "2023-11-20T10:00:00+04:00", section="culture", tags=["Books"]),
    # The same day as the book fair, two hours earlier.
    "content/politics/old-council.md": article(
        "Old council", "2023-11-20T08:00:00+04:00", authors=["anna"], tags=["Budget"]),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return site_once(tmp_path_factory, "listings", CONTENT)


@pytest.mark.parametrize("listing, expected", [
    ("", [P1, C1, P2, C2, P3]),
    ("politics/", [P1, P2, P3]),
    ("culture/", [C1, C2]),
    ("tags/budget/", [P1, P3]),
    ("tags/yerevan/", [P1, C1]),
    ("tags/elections/", [P2]),
    ("tags/books/", [C2]),
    ("authors/anna/", [P1, P2, P3]),
    ("authors/levon-petrosyan/", [C1, P2]),
    ("2024/", [P1, C1, P2]),
    ("2024/03/", [P1, C1]),
    ("2024/02/", [P2]),
    ("2024/03/05/", [P1]),
    ("2024/03/01/", [C1]),
    ("2024/02/10/", [P2]),
    ("2023/", [C2, P3]),
    ("2023/11/", [C2, P3]),
    ("2023/11/20/", [C2, P3]),
])
def test_listing_shows_its_articles_newest_first(site, listing, expected):
    assert listing_links(site.html(listing)) == [url(p) for p in expected]


def test_no_listing_for_a_date_without_articles(site):
    for path in ("2024/01/", "2023/12/", "2024/03/02/", "2022/", "tags/unknown/"):
        assert not site.exists(path), path


@pytest.mark.parametrize("listing, heading", [
    ("", "Test Gazette"),
    ("politics/", "Politics"),
    ("tags/budget/", "Topic: Budget"),
    ("authors/anna/", "Anna Hakobyan"),
    ("2024/", "2024"),
    ("2024/03/", "March 2024"),
    ("2024/03/05/", "March 5, 2024"),
    ("archive/", "Archive"),
])
def test_listing_heading(site, listing, heading):
    doc = site.html(listing)
    assert [h.text_content().strip() for h in doc.xpath("//h1")] == [heading]


def test_section_listing_shows_its_description(site):
    doc = site.html("politics/")
    assert doc.xpath("//main//p[contains(@class, 'listing-description')]/text()") == ["Votes, councils and elections."]


def test_author_listing_shows_the_bio_from_site_yaml(site):
    doc = site.html("authors/anna/")
    assert doc.xpath("//main//p[contains(@class, 'listing-bio')]/text()") == ["Covers the city council since 2014."]
    # An author known only by name has a page but no bio.
    assert site.html("authors/levon-petrosyan/").xpath("//main//p[contains(@class, 'listing-bio')]") == []


def test_front_page_shows_the_newest_of_every_section(site):
    doc = site.html("")
    blocks = doc.xpath("//main//section[contains(@class, 'section-block')]")
    assert [b.xpath("string(.//h2)").strip() for b in blocks] == ["Politics", "Culture"]
    assert [b.xpath(".//h2/a/@href")[0] for b in blocks] == [url("politics/"), url("culture/")]
    assert teaser_links(blocks[0], ".") == [url(P1), url(P2), url(P3)]
    assert teaser_links(blocks[1], ".") == [url(C1), url(C2)]


def test_archive_index_counts_articles_per_year_and_month(site):
    doc = site.html("archive/")
    years = doc.xpath("//main//li[contains(@class, 'archive-year')]")
    found = []
    for year in years:
        months = [(m.xpath("string(a)"), m.xpath("a/@href")[0], m.xpath("string(span)").strip())
                  for m in year.xpath(".//ul[contains(@class, 'archive-months')]/li")]
        found.append((year.xpath("string(h2/a)"), year.xpath("h2/a/@href")[0],
                      year.xpath("string(p[contains(@class, 'archive-count')])").strip(), months))
    assert found == [
        ("2024", url("2024/"), "Articles: 3",
         [("March 2024", url("2024/03/"), "Articles: 2"), ("February 2024", url("2024/02/"), "Articles: 1")]),
        ("2023", url("2023/"), "Articles: 2", [("November 2023", url("2023/11/"), "Articles: 2")]),
    ]
    for _, year_url, _, months in found:
        assert year_url.startswith("/news/")
        for _, month_url, _ in months:
            assert site.exists(month_url.removeprefix("/news/"))


def test_every_page_links_the_archive_index(site):
    for page in ("", "politics/", P1, "2024/03/"):
        assert url("archive/") in site.html(page).xpath("//footer//a/@href"), page


def test_teaser_shows_date_and_section(site):
    doc = site.html("tags/yerevan/")
    teasers = doc.xpath("//main//li[contains(@class, 'teaser')]")
    first = teasers[0]
    assert first.xpath(".//time/@datetime") == ["2024-03-05T09:30+04:00"]
    assert first.xpath(".//*[contains(@class, 'teaser__section')]/a/@href") == [url("politics/")]
    assert teasers[1].xpath(".//*[contains(@class, 'teaser__section')]/a/@href") == [url("culture/")]


# Previous / next within a section ------------------------------------------------------------------

def pager(doc) -> dict[str, str]:
    nav = doc.xpath("//nav[contains(@class, 'article-pager')]")
    if not nav:
        return {}
    found = {}
    for item in nav[0].xpath(".//li"):
        kind = "previous" if "previous" in item.get("class") else "next"
        found[kind] = item.xpath("a/@href")[0]
    assert nav[0].get("aria-label") == "More in this section"
    return found


def test_previous_is_the_older_and_next_the_newer_article_of_the_same_section(site):
    assert pager(site.html(P2)) == {"previous": url(P3), "next": url(P1)}
    assert pager(site.html(P1)) == {"previous": url(P2)}
    assert pager(site.html(P3)) == {"next": url(P2)}
    # The culture article between them in time is not part of the politics sequence.
    assert pager(site.html(C1)) == {"previous": url(C2)}


def test_related_articles_share_a_tag(site):
    doc = site.html(P1)
    related = teaser_links(doc, "//section[contains(@class, 'related')]")
    # Jazz festival shares "Yerevan", Old council shares "Budget": both are related.
    assert url(C1) in related and url(P3) in related
    assert url(P1) not in related


# Pagination ---------------------------------------------------------------------------------------

PER_PAGE = 3
PAGINATION_SECTIONS = "sections:\n" + "".join(
    f"  - key: {key}\n    title: {title}\n" for key, title in
    [("zero", "Zero"), ("one", "One"), ("exact", "Exact"), ("over", "Over"), ("many", "Many")])
COUNTS = {"zero": 0, "one": 1, "exact": PER_PAGE, "over": PER_PAGE + 1, "many": 2 * PER_PAGE + 1}


def _pagination_files():
    files = {"site.yaml": site_yaml(per_page=PER_PAGE, sections=PAGINATION_SECTIONS)}
    day = 0
    for section, count in COUNTS.items():
        for i in range(count):
            day += 1
            tags = ["overflow"] if section == "over" else []
            files[f"content/{section}/s{i}.md"] = article(
                f"{section} {i}", f"2022-01-{day:02d}T10:00:00+04:00", section=section, tags=tags)
    return files


@pytest.fixture(scope="module")
def paged(tmp_path_factory):
    return site_once(tmp_path_factory, "pagination", _pagination_files())


def expected_paths(section: str) -> list[str]:
    """The section's articles newest first (higher index = later day)."""
    return [url(f"{section}/2022/01/s{i}/") for i in reversed(range(COUNTS[section]))]


def pagination_nav(doc):
    navs = doc.xpath("//nav[contains(@class, 'pagination')]")
    assert len(navs) <= 1
    return navs[0] if navs else None


def head_link(doc, rel: str) -> list[str]:
    return doc.xpath(f"//head/link[@rel='{rel}']/@href")


def check_page(site, listing: str, number: int, count: int, name: str, items: list[str]) -> None:
    path = listing if number == 1 else f"{listing}page/{number}/"
    doc = site.html(path)
    assert teaser_links(doc) == items, path
    title = doc.xpath("string(//title)")
    if number == 1:
        assert title == f"{name} — Test Gazette"
    else:
        assert title == f"{name}, page {number} of {count} — Test Gazette"

    nav = pagination_nav(doc)
    if count == 1:
        assert nav is None
        assert head_link(doc, "prev") == [] and head_link(doc, "next") == []
        return
    # A navigation landmark of its own, named differently from the site's other navigation.
    labels = [n.get("aria-label") for n in doc.xpath("//nav")]
    assert nav.get("aria-label") == "Pages"
    assert labels.count("Pages") == 1
    page_url = lambda n: url(listing if n == 1 else f"{listing}page/{n}/")
    numbered = [a for a in nav.xpath(".//a") if not a.get("rel")]
    shown = [n for n in page_numbers(number, count) if n]
    assert [a.text_content().split()[-1] for a in numbered] == [str(n) for n in shown]
    assert [a.get("href") for a in numbered] == [page_url(n) for n in shown]
    # Where pages are left out, the list says so with an item that is not a link.
    gaps = nav.xpath(".//li[contains(@class, 'pagination__gap')]")
    assert [g.text_content() for g in gaps] == ["…"] * page_numbers(number, count).count(None)
    assert all(not g.xpath(".//a") for g in gaps)
    # Every number link says "Page" to a screen reader.
    assert all(a.xpath("string(span[contains(@class, 'visually-hidden')])").strip() == "Page" for a in numbered)
    current = nav.xpath(".//a[@aria-current='page']")
    assert [a.get("href") for a in current] == [page_url(number)]
    # First and last page are always reachable.
    assert numbered[0].get("href") == page_url(1) and numbered[-1].get("href") == page_url(count)
    prev = nav.xpath(".//a[@rel='prev']/@href")
    nxt = nav.xpath(".//a[@rel='next']/@href")
    assert prev == ([page_url(number - 1)] if number > 1 else [])
    assert nxt == ([page_url(number + 1)] if number < count else [])
    assert head_link(doc, "prev") == prev and head_link(doc, "next") == nxt


@pytest.mark.parametrize("section, pages", [("zero", 1), ("one", 1), ("exact", 1), ("over", 2), ("many", 3)])
def test_section_pagination_edges(paged, section, pages):
    items = expected_paths(section)
    name = section.capitalize()
    for number in range(1, pages + 1):
        check_page(paged, f"{section}/", number, pages, name,
                   items[(number - 1) * PER_PAGE: number * PER_PAGE])
    assert not paged.exists(f"{section}/page/{pages + 1}/")
    assert not paged.exists(f"{section}/page/1/")  # page 1 lives at the listing's own address


def test_empty_listing_says_so(paged):
    doc = paged.html("zero/")
    assert doc.xpath("//main//p[contains(@class, 'empty-note')]/text()") == ["There are no articles here yet."]
    assert doc.xpath("//main//ul[contains(@class, 'teasers')]") == []


def test_tag_and_date_listings_paginate_too(paged):
    over = expected_paths("over")
    check_page(paged, "tags/overflow/", 1, 2, "Topic: overflow", over[:PER_PAGE])
    check_page(paged, "tags/overflow/", 2, 2, "Topic: overflow", over[PER_PAGE:])
    month = paged.html("2022/01/")
    assert len(teaser_links(month)) == PER_PAGE
    total = sum(COUNTS.values())
    last = -(-total // PER_PAGE)
    assert paged.exists(f"2022/01/page/{last}/") and not paged.exists(f"2022/01/page/{last + 1}/")


def test_front_page_pagination(paged):
    total = sum(COUNTS.values())
    pages = -(-total // PER_PAGE)
    doc = paged.html("")
    nav = pagination_nav(doc)
    assert nav.xpath(".//a[@aria-current='page']/@href") == [url("")]
    assert paged.html(f"page/{pages}/").xpath("string(//title)") == \
        f"Test Gazette, page {pages} of {pages} — Test Gazette"
    # The last page holds what is left over.
    assert len(teaser_links(paged.html(f"page/{pages}/"))) == total - (pages - 1) * PER_PAGE


def test_per_page_one(build_site):
    files = {"site.yaml": site_yaml(per_page=1)}
    for i in range(3):
        files[f"content/politics/s{i}.md"] = article(f"Story {i}", f"2024-01-0{i + 1}T10:00:00+04:00")
    built = build_site(files)
    for number, i in zip((1, 2, 3), (2, 1, 0), strict=True):
        path = "politics/" if number == 1 else f"politics/page/{number}/"
        assert teaser_links(built.html(path)) == [url(f"politics/2024/01/s{i}/")]
    check_page(built, "politics/", 2, 3, "Politics", [url("politics/2024/01/s1/")])
    assert not built.exists("politics/page/4/")


def test_long_listing_names_the_ends_and_the_nearby_pages(build_site):
    files = {"site.yaml": site_yaml(per_page=1)}
    for i in range(12):
        files[f"content/politics/s{i:02}.md"] = article(f"Story {i}", f"2024-01-{i + 1:02}T10:00:00+04:00")
    built = build_site(files)
    for number in (1, 2, 6, 11, 12):
        check_page(built, "politics/", number, 12, "Politics", [url(f"politics/2024/01/s{11 - (number - 1):02}/")])
    numbers = pagination_nav(built.html("politics/page/6/")).xpath(".//li/a[not(@rel)]")
    assert [a.text_content().split()[-1] for a in numbers] == ["1", "4", "5", "6", "7", "8", "12"]
    assert len(pagination_nav(built.html("politics/page/6/")).xpath(".//li[contains(@class, 'gap')]")) == 2


# Date archives across time zones ------------------------------------------------------------------

def test_late_utc_evening_belongs_to_the_next_day_in_yerevan(build_site):
    built = build_site({
        "site.yaml": site_yaml(timezone_name="Asia/Yerevan"),
        "content/politics/new-year.md": article("New year vote", "2023-12-31T22:30:00+00:00"),
    })
    page = "politics/2024/01/new-year/"
    assert built.exists(page)
    assert not built.exists("politics/2023/12/new-year/")
    for listing in ("2024/", "2024/01/", "2024/01/01/"):
        assert listing_links(built.html(listing)) == [url(page)], listing
    for listing in ("2023/", "2023/12/", "2023/12/31/"):
        assert not built.exists(listing), listing
    # The page shows the local time of the site.
    assert built.html(page).xpath("//article//p[contains(@class, 'dateline')]//time/@datetime") == \
        ["2024-01-01T02:30+04:00"]
    years = built.html("archive/").xpath("//li[contains(@class, 'archive-year')]/h2/a/text()")
    assert years == ["2024"]


def test_early_yerevan_morning_belongs_to_the_previous_day_on_a_utc_site(build_site):
    built = build_site({
        "site.yaml": site_yaml(timezone_name="UTC"),
        "content/politics/old-year.md": article("Old year vote", "2024-01-01T00:30:00+04:00"),
    })
    page = "politics/2023/12/old-year/"
    assert built.exists(page)
    assert not built.exists("politics/2024/01/old-year/")
    for listing in ("2023/", "2023/12/", "2023/12/31/"):
        assert listing_links(built.html(listing)) == [url(page)], listing
    for listing in ("2024/", "2024/01/", "2024/01/01/"):
        assert not built.exists(listing), listing
    assert built.html(page).xpath("//article//p[contains(@class, 'dateline')]//time/@datetime") == \
        ["2023-12-31T20:30+00:00"]
    assert built.html("2023/12/31/").xpath("string(//h1)") == "December 31, 2023"


def test_date_without_offset_is_read_in_the_site_time_zone(build_site):
    built = build_site({
        "site.yaml": site_yaml(timezone_name="Asia/Yerevan"),
        "content/politics/midnight.md": article("Midnight vote", "2024-01-01T00:30"),
    })
    assert listing_links(built.html("2024/01/01/")) == [url("politics/2024/01/midnight/")]
    assert built.html("politics/2024/01/midnight/").xpath("//article//time/@datetime")[0] == "2024-01-01T00:30+04:00"
