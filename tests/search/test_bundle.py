"""The search index a build writes: Pagefind's bundle under pagefind/, one index per language,
made from the articles' own data, listed in the manifest like every other file."""

from __future__ import annotations

import pytest

from builder.output.manifest import Manifest
from tests.support.builds import article, site_once, site_yaml
from tests.support.pagefind import by_url, entry

SEARCH = "hosting:\n  fingerprint: false\n  headers: true\nsearch:\n  enabled: true\n"

FILES = {
    "site.yaml": site_yaml(extra=SEARCH),
    "content/politics/budget.md": article(
        "Council approves the transport budget", "2024-03-05T09:30:00+04:00", authors=["anna", "Levon Petrosyan"],
        tags=["budget", "Yerevan"], summary="Councillors voted 41 to 12.",
        body="The council met on Tuesday.\n\n## What changes\n\nNew bus lanes and night routes.\n"),
    "content/culture/festival.md": article(
        "Երաժշտական փառատոնը վերադառնում է", "2023-06-12", section="culture", lang="hy",
        summary="Փառատոնը վերադարձավ երեք տարի անց։", body="Համերգները կանցկացվեն այգում։\n"),
    "content/culture/old-fair.md": article(
        "Book fair closes its doors", "2022-05-01", section="culture", expires="2023-01-01",
        body="The last fair was held in May.\n"),
    "content/politics/secret.md": article("Draft about a zeppelin", "2024-01-01", draft=True),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return site_once(tmp_path_factory, "search-bundle", FILES)


def test_one_index_per_language(built):
    languages = entry(built.out)["languages"]
    assert sorted(languages) == ["en", "hy"]
    assert languages["en"]["page_count"] == 2 and languages["hy"]["page_count"] == 1


def test_every_article_page_is_indexed_and_nothing_else(built):
    records = by_url(built.out)
    # Pagefind gives URLs from the site root; the browser puts the base path (/news/) in front.
    assert sorted(records) == ["/culture/2022/05/old-fair/", "/culture/2023/06/festival/",
                               "/politics/2024/03/budget/"]  # the expired page stays and is found; no draft
    budget = records["/politics/2024/03/budget/"]["content"]
    assert "Council approves the transport budget" in budget and "New bus lanes" in budget
    for record in records.values():  # indexed from the article's data, not the page: no navigation
        for chrome in ("Front page", "Text size", "Skip to main content", "Politics", "Related articles"):
            assert chrome not in record["content"]


def test_filters_and_metadata_come_from_the_article(built):
    record = by_url(built.out)["/politics/2024/03/budget/"]
    assert record["filters"] == {"section": ["politics"], "author": ["anna", "levon-petrosyan"],
                                 "tag": ["budget", "yerevan"], "year": ["2024"]}
    meta = record["meta"]
    assert meta["title"] == "Council approves the transport budget"
    assert meta["summary"] == "Councillors voted 41 to 12."
    assert meta["section"] == "Politics" and meta["year"] == "2024"
    assert meta["authors"] == "Anna Hakobyan, Levon Petrosyan" and meta["tags"] == "budget, Yerevan"
    assert meta["datetime"] == "2024-03-05T09:30+04:00" and meta["date"].startswith("March 5, 2024")
    # The filter values are keys; the Armenian article's date is written in Armenian.
    festival = by_url(built.out)["/culture/2023/06/festival/"]
    assert festival["filters"]["section"] == ["culture"] and "2023" in festival["meta"]["date"]
    assert "հունիսի" in festival["meta"]["date"]


def test_headings_give_deep_links(built):
    anchors = by_url(built.out)["/politics/2024/03/budget/"]["anchors"]
    assert [(a["element"], a["id"], a["text"]) for a in anchors] == [("h2", "what-changes", "What changes")]


def test_only_the_files_the_search_page_uses_are_served_and_all_are_in_the_manifest(built):
    on_disk = {p.relative_to(built.out).as_posix() for p in (built.out / "pagefind").rglob("*") if p.is_file()}
    assert {"pagefind/pagefind.js", "pagefind/pagefind-worker.js", "pagefind/pagefind-entry.json",
            "pagefind/wasm.en.pagefind", "pagefind/wasm.hy.pagefind"} <= on_disk
    assert not [p for p in on_disk if "-ui." in p or "highlight" in p]  # Pagefind's own interfaces
    with Manifest(built.out) as manifest:
        assert set(manifest.entries_under("pagefind/")) == on_disk
    # The documents stay in the private area for the next build; the bundle was moved out of it.
    work = built.out / ".broadsheet-search"
    assert (work / "site/politics/2024/03/budget/index.html").is_file() and not (work / "bundle").exists()


def test_hashed_index_files_are_cached_for_ever(built):
    headers = built.text("_headers")
    for folder in ("fragment", "index", "filter"):
        assert f"/news/pagefind/{folder}/*\n  Cache-Control: public, max-age=31536000, immutable" in headers
    assert "/news/pagefind/pagefind.js\n" not in headers  # found by name: not cacheable for ever


def test_a_search_page_per_language_loads_the_bundle_under_the_base_path(built):
    assert {"search/", "search/hy/"} <= built.html_pages()
    english, armenian = built.html("search/"), built.html("search/hy/")
    assert english.xpath("//html/@lang") == ["en"] and armenian.xpath("//html/@lang") == ["hy"]
    assert english.xpath("//*[@data-search-page]/@data-bundle") == ["/news/pagefind/pagefind.js"]
    assert english.xpath("//meta[@name='robots']/@content") == ["noindex"]
    # The filters offer what that language's articles have.
    assert english.xpath("//select[@name='section']/option/@value") == ["", "politics", "culture"]
    assert english.xpath("//select[@name='year']/option/@value") == ["", "2024", "2022"]
    assert english.xpath("//select[@name='author']/option/text()")[1:] == ["Anna Hakobyan", "Levon Petrosyan"]
    assert armenian.xpath("//select[@name='section']/option/@value") == ["", "culture"]
    # Each page links to the other languages' pages, each name in its own language.
    links = armenian.xpath("//nav[@data-search-languages]//a")
    assert [(a.get("href"), a.get("lang"), a.text) for a in links] == [
        ("/news/search/", "en", "English"), ("/news/search/hy/", "hy", "Հայերեն")]
    assert links[1].get("aria-current") == "page"


def test_the_header_field_leads_to_the_search_page_of_the_page_language(built):
    for page, action in (("politics/2024/03/budget/", "/news/search/"), ("culture/2023/06/festival/",
                                                                          "/news/search/hy/"), ("", "/news/search/")):
        form = built.html(page).xpath("//header//form[@role='search']")
        assert len(form) == 1, page
        assert form[0].get("action") == action and form[0].get("hidden") is not None
        label = form[0].xpath(".//label")[0]
        assert label.get("for") == "site-search-input" and label.text.strip()
    assert not built.html("search/").xpath("//header//form")  # the search page has its own form
