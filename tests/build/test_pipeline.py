"""The whole build on small sites: what lands in the output, and what a failed build leaves alone."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from PIL import Image

from builder.build.pipeline import BuildOptions, build
from builder.errors import BuildFailed
from builder.output.layout import MANIFEST, STAGING
from tests.support.files import site_state, tree_state
from tests.support.gazette import SITE_YAML, THEME_FILES, article_text


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()


ARTICLES = {
    "content/politics/council-vote.md": article_text(
        "The council met.\n\n![Councillors raise their hands](/images/vote.png \"The vote\")\n\n"
        "See [culture](/culture/).\n",
        tags="[Budget]", authors="[anna]"),
    "content/culture/festival.md": article_text("Music.\n", title="Festival opens", section="culture",
                                                date="2024-02-01", lang="hy"),
    "content/politics/plan.md": article_text("Not yet.\n", title="Secret plan", draft="true"),
    "static/images/vote.png": png(40, 30),
    "static/files/readme.txt": "Press kit\n",
}


@pytest.fixture
def site(make_site):
    return make_site(ARTICLES, theme=True)


def test_build_writes_articles_listings_404_and_static_files(site):
    result = build(BuildOptions(site))
    out = site / "output"
    for rel in ["index.html", "404.html", "politics/index.html", "culture/index.html", "tags/budget/index.html",
                "authors/anna/index.html", "politics/2024/03/council-vote/index.html",
                "culture/2024/02/festival/index.html", "images/vote.png", "files/readme.txt", MANIFEST]:
        assert (out / rel).is_file(), rel
    assert not (out / "politics/2024/03/plan").exists()  # a draft
    assert not (out / STAGING).exists()
    assert (out / "files/readme.txt").read_text() == "Press kit\n"
    assert len(result.archive.articles) == 2
    assert result.pages == len(result.report.written)


def test_article_page_content(site):
    build(BuildOptions(site))
    html = (site / "output/politics/2024/03/council-vote/index.html").read_text()
    assert "<h1>Council votes on budget</h1>" in html
    assert '<time datetime="2024-03-05T09:30+04:00">' in html
    assert '<img src="/images/vote.png" alt="Councillors raise their hands" width="40" height="30"' in html
    assert "<figcaption>The vote</figcaption>" in html


def test_article_language_and_direction_reach_the_page(make_site):
    site = make_site({"content/politics/x.md": article_text("نص.\n", title="خبر", lang="ar")}, theme=True)
    build(BuildOptions(site))
    html = (site / "output/politics/2024/03/x/index.html").read_text()
    assert '<html lang="ar" dir="rtl">' in html


def test_listing_links_to_its_articles(site):
    build(BuildOptions(site))
    html = (site / "output/index.html").read_text()
    assert html.index('href="/politics/2024/03/council-vote/"') < html.index('href="/culture/2024/02/festival/"')
    assert "Secret plan" not in html


def test_links_are_under_the_base_path(make_site):
    site = make_site({**ARTICLES, "site.yaml": SITE_YAML.replace("https://example.org/", "https://example.org/archive")},
                     theme=True)
    build(BuildOptions(site))
    out = site / "output"
    assert 'href="/archive/politics/2024/03/council-vote/"' in (out / "index.html").read_text()
    article = (out / "politics/2024/03/council-vote/index.html").read_text()
    assert 'src="/archive/images/vote.png"' in article
    assert 'href="/archive/culture/"' in article


def test_drafts_option_includes_drafts(site):
    build(BuildOptions(site, drafts=True))
    assert (site / "output/politics/2024/03/plan/index.html").is_file()


def test_output_option_writes_elsewhere(site, tmp_path):
    build(BuildOptions(site, output_dir=tmp_path / "public"))
    assert (tmp_path / "public/index.html").is_file()
    assert not (site / "output").exists()


def test_second_build_writes_nothing(site):
    build(BuildOptions(site))
    before = site_state(site / "output")
    result = build(BuildOptions(site))
    assert result.report.written == [] and result.report.deleted == []
    after = site_state(site / "output")
    del before[MANIFEST], after[MANIFEST]
    assert after == before


def test_editing_an_article_rewrites_only_the_pages_that_show_it(site):
    build(BuildOptions(site))
    path = site / "content/culture/festival.md"
    path.write_text(path.read_text().replace("Music.", "Music and dance."))
    written = build(BuildOptions(site)).report.written
    assert "culture/2024/02/festival/index.html" in written
    assert "politics/2024/03/council-vote/index.html" not in written


def test_retitled_article_is_shown_with_its_new_title_in_listings(site):
    build(BuildOptions(site))
    path = site / "content/culture/festival.md"
    path.write_text(path.read_text().replace("title: Festival opens", "title: Festival postponed"))
    build(BuildOptions(site))
    for listing in ("index.html", "culture/index.html"):
        html = (site / "output" / listing).read_text()
        assert "Festival postponed" in html and "Festival opens" not in html


def test_hand_edited_output_page_is_restored(site):
    build(BuildOptions(site))
    page = site / "output/politics/index.html"
    original = page.read_bytes()
    page.write_text("defaced")
    assert "politics/index.html" in build(BuildOptions(site)).report.written
    assert page.read_bytes() == original


def test_deleted_output_page_is_restored(site):
    build(BuildOptions(site))
    page = site / "output/politics/2024/03/council-vote/index.html"
    page.unlink()
    build(BuildOptions(site))
    assert page.is_file()


def test_template_change_rerenders_pages(site):
    build(BuildOptions(site))
    template = site / "themes/default/templates/404.html"
    template.write_text('<html lang="en"><p>Gone.</p></html>\n')
    assert "404.html" in build(BuildOptions(site)).report.written
    assert (site / "output/404.html").read_text() == '<html lang="en"><p>Gone.</p></html>\n'


def test_changed_image_size_reaches_an_unchanged_article(site):
    build(BuildOptions(site))
    (site / "static/images/vote.png").write_bytes(png(80, 60))
    build(BuildOptions(site))
    html = (site / "output/politics/2024/03/council-vote/index.html").read_text()
    assert 'width="80" height="60"' in html


def test_deleted_image_fails_the_build_even_for_an_unchanged_article(site):
    build(BuildOptions(site))
    (site / "static/images/vote.png").unlink()
    with pytest.raises(BuildFailed) as failure:
        build(BuildOptions(site))
    assert "content/politics/council-vote.md:11: body: '/images/vote.png' does not exist" in str(failure.value)


def test_clean_build_equals_incremental_build(site, tmp_path):
    build(BuildOptions(site))
    path = site / "content/culture/festival.md"
    path.write_text(path.read_text().replace("Music.", "Music and dance."))
    build(BuildOptions(site))
    build(BuildOptions(site, output_dir=tmp_path / "clean"))
    incremental = {k: v[0] for k, v in site_state(site / "output").items() if not k.startswith(".broadsheet")}
    clean = {k: v[0] for k, v in site_state(tmp_path / "clean").items() if not k.startswith(".broadsheet")}
    assert incremental == clean


def test_removed_article_page_is_deleted(site):
    build(BuildOptions(site))
    (site / "content/culture/festival.md").unlink()
    report = build(BuildOptions(site)).report
    assert "culture/2024/02/festival/index.html" in report.deleted
    assert not (site / "output/culture/2024").exists()


def test_hidden_and_non_markdown_content_files_are_ignored(make_site):
    site = make_site({
        **ARTICLES,
        "content/_drafts/broken.md": "no front matter",
        "content/.notes.md": "no front matter",
        "content/politics/notes.txt": "no front matter",
    }, theme=True)
    assert len(build(BuildOptions(site)).archive.articles) == 2


def test_content_errors_from_every_file_are_reported_together(site):
    (site / "content/politics/bad.md").write_text(article_text(section="sport"))
    (site / "content/culture/worse.md").write_text(article_text("# Title\n", title='""', section="culture"))
    with pytest.raises(BuildFailed) as failure:
        build(BuildOptions(site))
    assert [str(replace(e, hint="")) for e in failure.value.errors] == [
        "content/culture/worse.md:2: title: must not be empty",
        "content/culture/worse.md:7: body: a level-1 heading ('# Title') in the body",
        "content/politics/bad.md:4: section: unknown section 'sport'",
    ]


def test_content_error_leaves_previous_output_untouched(site):
    build(BuildOptions(site))
    before = site_state(site / "output")
    (site / "content/culture/festival.md").write_text(article_text(date="tomorrow", section="culture"))
    with pytest.raises(BuildFailed):
        build(BuildOptions(site))
    assert site_state(site / "output") == before


def test_content_error_on_first_build_writes_no_site_files(make_site):
    site = make_site({"content/politics/bad.md": article_text(section="sport")}, theme=True)
    with pytest.raises(BuildFailed):
        build(BuildOptions(site))
    assert site_state(site / "output") == {}
    # and the folder can be built into once the error is fixed
    (site / "content/politics/bad.md").write_text(article_text())
    build(BuildOptions(site))
    assert (site / "output/politics/2024/03/bad/index.html").is_file()


def test_content_error_with_other_valid_edits_leaves_site_files_untouched(site):
    build(BuildOptions(site))
    before = site_state(site / "output")
    festival = site / "content/culture/festival.md"
    festival.write_text(festival.read_text().replace("Music.", "Music and dance."))
    (site / "content/politics/bad.md").write_text(article_text(section="sport"))
    with pytest.raises(BuildFailed):
        build(BuildOptions(site))
    assert site_state(site / "output") == before


def test_config_error_leaves_previous_output_untouched(site):
    build(BuildOptions(site))
    before = site_state(site / "output")
    (site / "site.yaml").write_text(SITE_YAML + "pagination:\n  per_page: 0\n")
    with pytest.raises(BuildFailed) as failure:
        build(BuildOptions(site))
    line = len(SITE_YAML.splitlines()) + 2
    assert str(failure.value.errors[0]).startswith(f"{site / 'site.yaml'}:{line}: pagination.per_page")
    assert site_state(site / "output") == before


def test_template_error_aborts_and_leaves_previous_output_byte_identical(site):
    build(BuildOptions(site))
    before = site_state(site / "output")
    # The article pages render (and are staged) before the listing template fails.
    (site / "content/culture/festival.md").write_text(article_text("Changed.\n", section="culture"))
    (site / "themes/default/templates/listing.html").write_text("{{ listing.no_such_field }}\n")
    with pytest.raises(BuildFailed) as failure:
        build(BuildOptions(site))
    (error,) = failure.value.errors
    assert error.field == "template"
    assert site_state(site / "output") == before
    assert not (site / "output" / STAGING).exists()


def test_missing_image_file_fails_the_build(make_site):
    site = make_site({"content/politics/x.md": article_text("![A photo](/images/missing.jpg)\n")}, theme=True)
    with pytest.raises(BuildFailed) as failure:
        build(BuildOptions(site))
    assert str(failure.value.errors[0]).startswith("content/politics/x.md:7: body: '/images/missing.jpg' does not exist")


def test_non_utf8_article_is_an_error_at_its_line(make_site):
    text = article_text("Caf\xe9\n").encode("latin-1")
    site = make_site({"content/politics/x.md": text}, theme=True)
    with pytest.raises(BuildFailed) as failure:
        build(BuildOptions(site))
    error = failure.value.errors[0]
    assert (str(error.path), error.line, error.message) == ("content/politics/x.md", 7, "the file is not UTF-8 text")


def test_duplicate_addresses_fail_the_build(make_site):
    site = make_site({"content/politics/vote.md": article_text(),
                      "content/politics/2024/vote.md": article_text()}, theme=True)
    with pytest.raises(BuildFailed) as failure:
        build(BuildOptions(site))
    text = str(failure.value)
    assert "content/politics/2024/vote.md" in text and "content/politics/vote.md" in text


def test_foreign_output_folder_is_refused_and_untouched(site, tmp_path):
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "holiday.jpg").write_bytes(b"jpeg")
    before = tree_state(foreign)
    with pytest.raises(BuildFailed) as failure:
        build(BuildOptions(site, output_dir=foreign))
    assert "not made by Broadsheet" in str(failure.value)
    assert tree_state(foreign) == before and list(before) == ["holiday.jpg"]


def test_site_folder_as_output_is_refused(site):
    before = tree_state(site)
    with pytest.raises(BuildFailed):
        build(BuildOptions(site, output_dir=site))
    assert tree_state(site) == before


def test_missing_theme_is_an_error(make_site):
    site = make_site({"site.yaml": SITE_YAML + "theme: no-such-theme\n"})
    with pytest.raises(BuildFailed) as failure:
        build(BuildOptions(site))
    assert failure.value.errors[0].message == "no theme named 'no-such-theme'"


def test_site_theme_overrides_are_used(make_site):
    site = make_site({**THEME_FILES, "templates/404.html": '<html lang="en">custom not found</html>\n'}, theme=True)
    build(BuildOptions(site))
    assert (site / "output/404.html").read_text() == '<html lang="en">custom not found</html>\n'


def test_static_robots_txt_replaces_the_generated_one(make_site):
    site = make_site({**ARTICLES, "static/robots.txt": "User-agent: *\nDisallow: /drafts/\n"}, theme=True)
    build(BuildOptions(site))
    assert (site / "output/robots.txt").read_text() == "User-agent: *\nDisallow: /drafts/\n"


def test_static_file_clashing_with_a_generated_page_is_named(make_site):
    site = make_site({**ARTICLES, "static/index.html": "my home page"}, theme=True)
    with pytest.raises(BuildFailed) as failure:
        build(BuildOptions(site))
    assert "static/index.html: would overwrite the generated page /index.html" in str(failure.value)


def test_output_inside_static_is_not_republished(site):
    output = site / "static" / "public"
    try:
        build(BuildOptions(site, output_dir=output))
        build(BuildOptions(site, output_dir=output))
    except BuildFailed:
        return  # refusing such a folder is fine too
    assert not (output / "public").exists()


def test_a_rebuild_does_not_open_images_it_measured_before(site, monkeypatch):
    import os

    from builder.content import sources

    old = 1_600_000_000
    os.utime(site / "static/images/vote.png", (old, old))  # not just written: its measure may be kept
    build(BuildOptions(site))
    monkeypatch.setattr(sources, "_dimensions", lambda path: pytest.fail(f"{path.name} was opened again"))
    article = site / "content/politics/council-vote.md"
    article.write_text(article.read_text().replace("title:", "title: Changed", 1))
    build(BuildOptions(site))
    html = (site / "output/politics/2024/03/council-vote/index.html").read_text()
    assert 'width="' in html and "Changed" in html
