"""broadsheet import hugo: bundles, TOML and JSON front matter, shortcodes, aliases, translations; the real corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.importers.hugo import read_hugo
from builder.importers.notes import Notes
from builder.importers.shortcodes import ShortcodeContext, convert_shortcodes
from tests.importers.sites import hugo_site
from tests.importers.support import import_and_build
from tests.support.files import tree_state

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "hugo-otel-blog"


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    root = tmp_path_factory.mktemp("hugo")
    source = hugo_site(root / "old")
    before = tree_state(source)
    done = import_and_build("hugo", source, root)
    assert tree_state(source) == before
    return done


def test_every_old_address_leads_to_its_post(imported):
    assert {old: imported.lands_on(old) for old in (
        "2022/05/first-light/", "old/first-light/", "2022/05/first-light-again/", "2022/06/storm/",
        "fr/2022/06/la-tempête/")} == {
        "2022/05/first-light/": "/2022/05/first-light/",  # the permalink reproduces it
        "old/first-light/": "/2022/05/first-light/",  # an alias
        "2022/05/first-light-again/": "/2022/05/first-light/",  # a relative alias
        "2022/06/storm/": "/2022/06/storm/",
        "fr/2022/06/la-tempête/": "/fr/2022/06/storm/",  # in the fr edition, under its old prefix
    }
    assert imported.build.debts.judgement.new == []
    assert 'timezone: "Asia/Yerevan"' in imported.article("site.yaml")


def test_bundles_shortcodes_and_front_matter_formats(imported):
    body = imported.article("content/en/posts/2022/first-light.md")
    assert '![The lamp at dusk](/2022/05/first-light/lamp.png "Lit at 20:00")' in body
    assert (imported.site / "static/2022/05/first-light/lamp.png").is_file()  # beside the old address
    assert "Our motto: Keep the light on." in body
    assert "[Watch the lighting on YouTube](https://www.youtube.com/watch?v=w7Ft2ymGmfc)" in body
    assert "[the storm](/2022/06/storm/#at-night)" in body  # ref, in the page's own language
    assert '```go\nfmt.Println("on")\n```' in body
    assert "internal note" not in body and "tweet" not in body
    assert "Write {{< figure >}} to show a figure. See [why](#why)." in body  # escaped; a custom id translated
    assert "### Why\n" in body  # the {#why-we-light} attribute list is gone
    assert 'authors: ["Sona (keeper)"]' in body and 'image: {"src": "/2022/05/first-light/lamp.png"}' in body
    storm = imported.article("content/en/posts/2022/storm.md")  # TOML
    assert 'tags: ["weather"]' in storm and 'date: "2022-06-10T22:00:00+00:00"' in storm
    calm = imported.article("content/en/posts/2022/calm.md")  # JSON, a draft
    assert "draft: true" in calm
    assert 'lang: "fr"' in imported.article("content/fr/posts/2022/storm.md")
    report = imported.result.report.read_text(encoding="utf-8")
    assert "`content/about.md`: page without a date (not a post)" in report
    assert "`content/posts/first-light/index.md:24`: shortcode {{< tweet >}}" in report


def test_each_language_is_an_edition_and_translations_link_each_other(imported):
    site = imported.article("site.yaml")
    assert 'languages:  # one edition per language of the old site (see import-report.md)\n' \
        '  - code: "en"\n  - code: "fr"\n    prefix: "fr"\n    title: "Lighthouse Notes"\n' \
        '    fallback: true' in site  # Hugo gives no title for posts/ in French
    storm, tempete = imported.article("content/en/posts/2022/storm.md"), imported.article("content/fr/posts/2022/storm.md")
    assert 'translation_key: "posts/storm"' in storm and 'translation_key: "posts/storm"' in tempete
    assert 'slug: "storm"' in tempete and "edition:" not in tempete  # fr is the edition of lang: fr
    assert "translation_key" not in imported.article("content/en/posts/2022/first-light.md")
    page = (imported.out / "fr/2022/06/storm/index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" hreflang="en" href="https://www.example.org/2022/06/storm/">' in page
    assert '<link rel="alternate" hreflang="fr" href="https://www.example.org/fr/2022/06/storm/">' in page
    report = imported.result.report.read_text(encoding="utf-8")
    assert "- language editions (`languages:` in site.yaml): en (at the root, 3 articles), fr (under /fr/, " \
        "1 article); 1 translation linked (2 articles sharing a `translation_key`" in report


def test_unknown_paired_shortcodes_keep_their_text():
    notes = Notes()
    ctx = ShortcodeContext("a.md", 3, lambda path: None)
    text = "{{% note %}}Keep *this*.{{% /note %}} {{< ref \"gone.md\" >}}"
    assert convert_shortcodes(text, ctx, notes) == "Keep *this*. /gone/"
    assert [d.kind for d in notes.dropped] == ["shortcode {{< note >}} (its text kept)"]
    assert [p.kind for p in notes.problems] == ["{{< ref >}} to a page that is not in the import"]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpora (../shared/corpora/hugo-otel-blog) are not here")
def test_the_real_hugo_corpus_imports_as_language_editions_and_builds(tmp_path):
    done = import_and_build("hugo", CORPUS, tmp_path)
    summary = done.result.summary
    assert done.build.debts.judgement.new == []
    assert set(summary.languages) == {"en", "ja", "zh"} and summary.translation_groups > 50
    # en at the root; ja and zh under their old /ja/ and /zh/ (zh in the theme's zh-Hans)
    assert [(code, prefix) for code, prefix, _ in summary.editions] == [("en", ""), ("ja", "ja"), ("zh-Hans", "zh")]
    assert summary.translations_linked == summary.translation_groups
    assert summary.kept == summary.articles  # every post of every language keeps its old address
    assert summary.notes.converted["heading ids {#id} (links to them go to Broadsheet's ids)"] > 100

    # translations link each other, both ways
    en, ja = "blog/2024/getting-started-with-otelsql/", "ja/blog/2024/getting-started-with-otelsql/"
    for path in (en, ja):
        page = (done.out / path / "index.html").read_text(encoding="utf-8")
        assert f'<link rel="alternate" hreflang="en" href="https://opentelemetry.io/{en}">' in page
        assert f'<link rel="alternate" hreflang="ja" href="https://opentelemetry.io/{ja}">' in page
    zh = (done.out / "zh/blog/2024/docs-localized/index.html").read_text(encoding="utf-8")
    assert 'hreflang="zh" href="https://opentelemetry.io/zh/blog/2024/docs-localized/"' in zh
    assert '<html lang="zh-Hans"' in zh

    # every old address of the other languages is a page or a redirect to its post
    lost = {address.lstrip("/") for _, address, _ in summary.lost}
    others = [post for post in read_hugo(CORPUS).posts if post.lang != "en"]
    assert len(others) == summary.languages["ja"] + summary.languages["zh"]
    for post in others:
        assert done.lands_on(post.old_url) == "/" + post.old_url  # the page itself
        for alias in set(post.aliases) - lost:
            assert done.lands_on(alias) == "/" + post.old_url
