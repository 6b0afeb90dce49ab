"""broadsheet import jekyll: a small blog end to end, a multilingual layout, Liquid, and the real corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.importers.liquid import LiquidContext, convert_liquid
from builder.importers.notes import Notes
from tests.importers.sites import JEKYLL_LANGUAGES, JEKYLL_OLD_URLS, jekyll_site
from tests.importers.support import import_and_build
from tests.support.files import tree_state, write_files

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "jekyll-news"


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    root = tmp_path_factory.mktemp("jekyll")
    source = jekyll_site(root / "old")
    before = tree_state(source)
    done = import_and_build("jekyll", source, root)
    done.source_unchanged = tree_state(source) == before  # type: ignore[attr-defined]
    return done


def test_the_site_builds_with_its_baseline_and_the_source_is_untouched(imported):
    assert imported.source_unchanged
    judgement = imported.build.debts.judgement
    assert judgement.new == [] and judgement.known_count == 3  # lead photo without alt, a missing image (twice seen)


def test_every_old_address_still_leads_to_its_post(imported):
    targets = {old: imported.lands_on(old) for old in JEKYLL_OLD_URLS}
    assert targets == {
        "harbour/transport/2019/03/05/ferry-returns.html": "/news/harbour/2019/03/05/ferry-returns/",
        "harbour/2019/04/01/harbour-budget.html": "/news/harbour/2019/04/01/harbour-budget/",
        "budget-2019/": "/news/harbour/2019/04/01/harbour-budget/",
    }
    for target in targets.values():
        assert imported.served(target.removeprefix("/news/"))


def test_settings_sections_authors_and_the_heading_shift(imported):
    site_yaml = imported.article("site.yaml")
    assert 'base_url: "https://gazette.example.org/news/"' in site_yaml
    assert 'timezone: "Europe/Paris"' in site_yaml
    assert 'article: "/{section}/{yyyy}/{mm}/{dd}/{slug}/"' in site_yaml  # the old pattern, without .html
    assert '{key: anna, name: "Anna Hakobyan", bio: "Covers the harbour."}' in site_yaml
    assert "headings: shift" in site_yaml and '- "/news/about/"' in site_yaml
    page = (imported.out / "harbour/2019/03/05/ferry-returns/index.html").read_text(encoding="utf-8")
    assert '<h2 id="schedule">Schedule</h2>' in page and '<h3 id="tickets">Tickets</h3>' in page


def test_liquid_is_converted_and_the_rest_counted(imported):
    body = imported.article("content/harbour/2019/ferry-returns.md")
    assert "[budget](/harbour/2019/04/01/harbour-budget/#whats-next)" in body  # post_url, rewritten
    assert "[timetable](/assets/docs/timetable.pdf)" in body and (imported.site / "static/assets/docs/timetable.pdf").is_file()
    assert "```python\nprint('departs at 9')\n```" in body
    assert '![Passengers per month, rising](/assets/img/chart.png "Passengers in 2018")' in body
    assert "Written for The Harbour Gazette about {{ templates }}." in body  # site.title and a raw block
    assert "(https://code.example.org/gazette)" in body  # site.repository
    assert 'tags: ["transport", "ferry"]' in body and 'authors: ["anna"]' in body
    assert 'image: {"src": "/assets/img/ferry.png"}' in body  # no alt: the debt stays visible
    draft = imported.article("content/news/2020/unfinished.md")
    assert "draft: true" in draft
    report = imported.result.report.read_text(encoding="utf-8")
    assert "`_posts/2019-03-05-ferry-returns.md:22`: Liquid tag {% assign %}" in report
    assert "`_posts/2019-04-01-harbour-budget.markdown:14`: image or file that is not in the old site" in report
    assert "- 2 images without alt text" in report and "- 1 missing images or files" in report


def test_a_multilingual_layout_gives_each_post_its_language_and_records_translations(tmp_path):
    source = write_files(tmp_path / "old", JEKYLL_LANGUAGES)
    done = import_and_build("jekyll", source, tmp_path)
    assert 'lang: "ja"' in done.article("content/ja/news/2021/harbour-day.md")
    assert "lang:" not in done.article("content/en/news/2021/harbour-day.md")
    mapping = done.article("import-mapping.yaml")
    assert 'languages: {"en": 2, "ja": 1}' in mapping
    assert '- {"en": "content/en/news/2021/harbour-day.md", "ja": "content/ja/news/2021/harbour-day.md"}' in mapping
    for old in ("en/news/2021/05/01/harbour-day/", "ja/news/2021/05/01/harbour-day/"):
        assert done.lands_on(old) == "/" + old  # each language's old prefix is its edition's
    assert '- code: "en"\n    prefix: "en"\n  - code: "ja"\n    prefix: "ja"\n' in done.article("site.yaml")
    for rel in ("content/en/news/2021/harbour-day.md", "content/ja/news/2021/harbour-day.md"):
        assert 'translation_key: "2021-05-01-harbour-day.md"' in done.article(rel)
    page = (done.out / "ja/news/2021/05/01/harbour-day/index.html").read_text(encoding="utf-8")
    assert 'hreflang="en" href="https://two.example.org/en/news/2021/05/01/harbour-day/"' in page


def test_liquid_tags_in_order():
    notes = Notes()
    ctx = LiquidContext("a.md", 5, lambda name: "/x/" if name == "2019-01-01-x" else None, lambda path: None,
                        {"title": "T"}, {"version": "1.2"})
    text = ("{% raw %}{% if %}{% endraw %} {{ page.version }} {{ 'a/b' | relative_url }} {% for i in x %}{{ i }}"
            "{% endfor %}{% post_url 2019-01-01-x %} {% link _docs/history.md %} {% gist 1 %}")
    assert convert_liquid(text, ctx, notes) == "{% if %} 1.2 a/b /x/ /docs/history/ "
    assert [(d.kind, d.line) for d in notes.dropped] == [("Liquid {% for %} block", 5),
                                                           ("unknown Liquid tag {% gist %}", 5)]
    assert [p.kind for p in notes.problems] == ["Liquid {% link %} to a file that is not in the import"]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpora (../shared/corpora/jekyll-news) are not here")
def test_the_real_jekyll_corpus_imports_builds_and_keeps_its_addresses(tmp_path):
    before = tree_state(CORPUS)
    done = import_and_build("jekyll", CORPUS, tmp_path)
    assert tree_state(CORPUS) == before
    summary = done.result.summary
    assert summary.articles == len(list((CORPUS / "_posts").glob("*.*")))
    assert done.build.debts.judgement.new == []
    assert summary.notes.converted["Liquid {% highlight %}"] > 0 and summary.notes.converted["Liquid {% raw %}"] > 0
    lost = {address for _, address, _ in summary.lost}
    checked = 0
    for article in (done.site / "content").rglob("*.md"):
        text = article.read_text(encoding="utf-8")
        if "draft: true" in text:
            continue
        for alias in text.split("aliases: [", 1)[1].split("]", 1)[0].split(", ") if "aliases: [" in text else []:
            old = alias.strip('"')
            if old not in lost:
                assert done.served(old), old
                checked += 1
    assert checked >= summary.articles - summary.drafts


def test_heading_ids_follow_the_markdown_reader_the_old_site_used():
    from builder.importers.jekyll import _anchor_style
    from builder.importers.links import heading_ids

    body = "## 1. Getting started\n\n## Getting started\n"
    assert _anchor_style({}) == "github" and _anchor_style({"kramdown": {"input": "kramdown"}}) == "kramdown"
    assert heading_ids(body, "github") == {"1-getting-started": "1-getting-started", "getting-started": "getting-started"}
    # kramdown drops leading digits, so both headings were 'getting-started' (the second '-1')
    assert heading_ids(body, "kramdown") == {"getting-started": "1-getting-started", "getting-started-1": "getting-started"}
