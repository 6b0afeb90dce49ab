"""The search index in rebuilds: kept while what it indexes is the same, made again when it changes,
removed with search; a failure leaves the site as it was. The full and the body-only way alike."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from builder.build.pipeline import BuildOptions, build
from builder.errors import BuildFailed
from builder.output.manifest import Manifest
from builder.search import pagefind
from tests.support.files import age_new_files, write_files
from tests.support.herald import SITE_YAML, article_text
from tests.support.pagefind import by_url, entry

NOW = datetime(2025, 1, 1, tzinfo=UTC)
WITH_SEARCH = SITE_YAML.replace("search:\n  enabled: false", "search:\n  enabled: true")
BUDGET = "content/politics/budget.md"
URL = "/politics/2024/03/budget/"


class Site:
    def __init__(self, root):
        self.root, self.step = root, 1
        write_files(root, {"site.yaml": WITH_SEARCH,
                           BUDGET: article_text("Council passes budget", body="## Buses\n\nNew bus lanes."),
                           "content/culture/fair.md": article_text("Book fair opens", section="culture",
                                                                   date="2023-05-01T10:00:00+04:00")})
        age_new_files(root, 1)

    @property
    def out(self):
        return self.root / "output"

    def edit(self, name: str, old: str, new: str) -> None:
        path = self.root / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
        self.step += 1
        age_new_files(self.root, self.step)

    def build(self):
        return build(BuildOptions(self.root, now=NOW, jobs=1))

    def bundle(self) -> dict[str, int]:
        """Every file of the bundle with its mtime: rewritten files get a new one."""
        return {p.relative_to(self.out).as_posix(): p.stat().st_mtime_ns
                for p in (self.out / "pagefind").rglob("*") if p.is_file()}

    def manifest_matches_disk(self) -> bool:
        with Manifest(self.out) as manifest:
            listed = set(manifest.entries_under("pagefind/"))
        return listed == set(self.bundle())


@pytest.fixture
def site(tmp_path):
    site = Site(tmp_path / "site")
    site.build()
    return site


def test_a_change_the_index_does_not_hold_keeps_the_last_index(site):
    before = site.bundle()
    site.edit("site.yaml", "title: Engine Test Herald", "title: Engine Test Herald Weekly")  # not in any document
    result = site.build()
    assert result.rendered > 0 and "search" in result.timings  # the full way ran ...
    assert site.bundle() == before  # ... and kept every file of the index
    assert not [p for p in result.report.written if p.startswith("pagefind/")]


def test_a_title_change_remakes_the_index_with_the_new_title_only(site):
    site.edit(BUDGET, 'title: "Council passes budget"', 'title: "Council rejects budget"')
    result = site.build()
    assert [p for p in result.report.written if p.startswith("pagefind/fragment/")]
    record = by_url(site.out)[URL]
    assert record["meta"]["title"] == "Council rejects budget"
    assert "rejects" in record["content"] and "passes" not in record["content"]
    assert len(by_url(site.out)) == 2
    assert site.manifest_matches_disk()  # the old index's files are gone


def test_a_body_edit_takes_the_short_way_and_remakes_the_index(site):
    site.edit(BUDGET, "New bus lanes.", "New tram lines.")
    result = site.build()
    assert result.archive is None and "edit" in result.timings  # build.bodies, not the full way
    content = by_url(site.out)[URL]["content"]
    assert "tram lines" in content and "bus lanes" not in content
    assert site.manifest_matches_disk()
    # The next build finds the output as the manifest says: nothing to do.
    again = site.build()
    assert again.rendered == 0 and again.report.written == []


def test_a_new_language_gets_its_own_index_and_search_page(site):
    write_files(site.root, {"content/culture/hy.md": article_text("Գրքի տոնավաճառ", section="culture", lang="hy")})
    site.step += 1
    age_new_files(site.root, site.step)
    site.build()
    assert sorted(entry(site.out)["languages"]) == ["en", "hy"]
    assert (site.out / "search" / "hy" / "index.html").is_file()


def test_turning_search_off_removes_the_index_the_pages_and_the_field(site):
    site.edit("site.yaml", "search:\n  enabled: true", "search:\n  enabled: false")
    site.build()
    assert not (site.out / "pagefind").exists() and not (site.out / "search").exists()
    assert not (site.out / ".broadsheet-search").exists()  # the documents Pagefind read
    assert not (site.out / "assets" / "search").exists()
    page = (site.out / "politics/2024/03/budget/index.html").read_text(encoding="utf-8")
    assert 'role="search"' not in page and "search.css" not in page


def test_a_failing_index_leaves_the_site_as_it_was(site, monkeypatch):
    before = {p.relative_to(site.out).as_posix(): p.read_bytes() for p in site.out.rglob("*")
              if p.is_file() and not p.relative_to(site.out).parts[0].startswith(".broadsheet")}

    async def broken(site_dir, bundle):
        raise RuntimeError("the index is on fire")

    monkeypatch.setattr(pagefind, "_index", broken)
    site.edit(BUDGET, 'title: "Council passes budget"', 'title: "Council rejects budget"')
    with pytest.raises(BuildFailed) as failure:
        site.build()
    message = str(failure.value.errors[0])
    assert "Pagefind failed to build the index: the index is on fire" in message
    assert "search: {enabled: false}" in message
    after = {p.relative_to(site.out).as_posix(): p.read_bytes() for p in site.out.rglob("*")
             if p.is_file() and not p.relative_to(site.out).parts[0].startswith(".broadsheet")}
    assert after == before
    assert not (site.out / ".broadsheet-staging").exists() and not (site.out / ".broadsheet-search/bundle").exists()


def test_a_theme_without_a_search_page_is_an_error_that_names_the_fix(tmp_path):
    root = write_files(tmp_path / "site", {
        "site.yaml": WITH_SEARCH, BUDGET: article_text("Council passes budget"),
        "themes/default/templates/article.html": "<html lang=\"{{ page.lang }}\"><title>x</title></html>\n",
        "themes/default/templates/listing.html": "<html lang=\"{{ page.lang }}\"><title>x</title></html>\n",
        "themes/default/templates/404.html": "<html lang=\"{{ page.lang }}\"><title>x</title></html>\n"})
    with pytest.raises(BuildFailed) as failure:
        build(BuildOptions(root, now=NOW, jobs=1))
    message = str(failure.value.errors[0])
    assert "site.yaml" in message and "has no search.html template" in message
    assert "search: {enabled: false}" in message
    assert not (root / "output" / "index.html").exists()


def test_each_language_edition_has_its_own_search_page_in_its_own_header(tmp_path):
    from tests.support.editions import SITE_YAML as EDITIONS
    from tests.support.editions import article

    root = write_files(tmp_path / "site", {
        "site.yaml": EDITIONS.replace("search:\n  enabled: false", "search:\n  enabled: true"),
        "content/politics/budget-hy.md": article("Բյուջե", key="budget"),
        "content/politics/budget-en.md": article("Budget passes", edition="en", key="budget"),
        "content/politics/budget-ar.md": article("الميزانية", edition="ar", key="budget"),
        "content/politics/russian.md": article("Бюджет", lang="ru", edition="en"),
    })
    build(BuildOptions(root, now=NOW, jobs=1))
    out = root / "output"

    def form_action(page: str) -> str:
        html = (out / page).read_text(encoding="utf-8")
        return html.split('class="site-search" role="search" action="', 1)[1].split('"', 1)[0]

    assert form_action("politics/2024/03/budget-hy/index.html") == "/courier/search/"
    assert form_action("en/politics/2024/03/budget-en/index.html") == "/courier/en/search/"
    assert form_action("ar/politics/index.html") == "/courier/ar/search/"
    english = (out / "en/search/index.html").read_text(encoding="utf-8")
    assert '<html lang="en" dir="ltr">' in english and "The Trilingual Courier" in english
    assert 'href="/courier/en/archive/"' in english  # the edition's own archive for readers without JavaScript
    arabic = (out / "ar/search/index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in arabic
    # A language with articles but no edition still gets a page, linked from the others.
    assert (out / "search/ru/index.html").is_file() and 'href="/courier/search/ru/"' in english
    assert set(entry(out)["languages"]) == {"hy", "en", "ar", "ru"}


# The preview's builds (defer_search): the page first, the index later, never half of one ---------


def deferred(site):
    return build(BuildOptions(site.root, now=NOW, jobs=1, defer_search=True))


def test_a_deferred_body_edit_shows_the_page_and_leaves_the_index_whole_and_as_it_was(site):
    before = site.bundle()
    site.edit(BUDGET, "New bus lanes.", "New tram lines.")
    result = deferred(site)
    assert result.archive is None and "edit" in result.timings and "search" not in result.timings
    assert "tram lines" in (site.out / "politics/2024/03/budget/index.html").read_text(encoding="utf-8")
    assert site.bundle() == before and site.manifest_matches_disk()  # the whole last index, untouched
    assert "bus lanes" in by_url(site.out)[URL]["content"]
    assert result.search_catch_up is not None  # what brings it up to date


def test_the_catch_up_prepares_without_changing_the_site_then_switches_the_new_index_in(site):
    site.edit(BUDGET, "New bus lanes.", "New tram lines.")
    catch_up = deferred(site).search_catch_up
    assert catch_up is not None
    before = site.bundle()
    catch_up.prepare()
    assert site.bundle() == before  # Pagefind ran in the work folder: the site is as it was
    done = catch_up.commit()
    assert done.remade and [p for p in done.report.written if p.startswith("pagefind/fragment/")]
    assert "tram lines" in by_url(site.out)[URL]["content"]
    assert site.manifest_matches_disk()
    # The index is what a build makes: the next one, searching too, has nothing to do.
    again = site.build()
    assert again.archive is None and again.report.written == [] and "search" not in again.timings


def test_a_build_after_a_preview_brings_the_index_it_left_behind_up_to_date(site):
    site.edit(BUDGET, 'title: "Council passes budget"', 'title: "Council rejects budget"')
    assert deferred(site).archive is not None  # the full way, deferred too
    assert by_url(site.out)[URL]["meta"]["title"] == "Council passes budget"
    assert deferred(site).search_catch_up is not None  # nothing changed: still behind
    result = site.build()  # `broadsheet build`: nothing changed but the index is behind
    assert result.archive is None and "search" in result.timings
    assert by_url(site.out)[URL]["meta"]["title"] == "Council rejects budget"
    assert site.manifest_matches_disk()
    assert site.build().report.written == []
    assert deferred(site).search_catch_up is None  # up to date: nothing left for later


def test_a_deferred_full_build_of_a_site_without_an_index_yet_makes_none_until_the_catch_up(tmp_path):
    site = Site(tmp_path / "site")
    result = deferred(site)
    assert not (site.out / "pagefind").exists() and result.search_catch_up is not None
    result.search_catch_up.prepare()
    result.search_catch_up.commit()
    assert len(by_url(site.out)) == 2 and site.manifest_matches_disk()
