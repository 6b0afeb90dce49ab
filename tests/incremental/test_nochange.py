"""A build with nothing changed ends before reading any article, and only then."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest

from builder.build.pipeline import BuildOptions, build
from tests.support.files import age_new_files, diff, tree, write_files
from tests.support.herald import SITE_YAML, article_text

NOW = datetime(2025, 1, 1, tzinfo=UTC)


@pytest.fixture
def site(tmp_path):
    root = write_files(tmp_path / "site", {
        "site.yaml": SITE_YAML,
        "content/politics/first.md": article_text("First story"),
        "content/politics/later.md": article_text("Later story", date="2025-01-03T09:00:00+04:00"),
        "static/images/logo.txt": "logo",
    })
    age_new_files(root, 1)
    return root


def _build(site, **options):
    return build(BuildOptions(site, jobs=1, **{"now": NOW, **options}))


def test_second_build_reads_nothing(site):
    first = _build(site)
    before = tree(site / "output")
    second = _build(site)
    assert second.archive is None and second.rendered == 0
    assert (second.pages, second.articles, second.report.unchanged) == (first.pages, 1, len(first.report.written))
    assert tree(site / "output") == before


def test_clean_always_builds(site):
    _build(site)
    assert _build(site, clean=True).archive is not None


@pytest.mark.parametrize("options", [{"drafts": True}, {"future": True}, {"check_links": False}])
def test_other_options_are_another_build(site, options):
    _build(site)
    assert _build(site, **options).archive is not None


def test_an_edit_just_now_is_never_trusted(site):
    story = site / "content/politics/first.md"
    story.write_text(article_text("First story, version A"), encoding="utf-8")
    _build(site)
    # A second edit within the same mtime tick: same size, same mtime. Only the bytes tell.
    mtime = story.stat().st_mtime_ns
    story.write_text(article_text("First story, version B"), encoding="utf-8")
    os.utime(story, ns=(mtime, mtime))
    _build(site)
    pages = [p.read_text(encoding="utf-8") for p in (site / "output").rglob("index.html")]
    assert any("version B" in page for page in pages) and not any("version A" in page for page in pages)


def test_a_deleted_or_edited_output_file_is_rebuilt(site):
    _build(site)
    page = site / "output/politics/index.html"
    good = page.read_bytes()
    page.unlink()
    assert _build(site).archive is not None
    assert page.read_bytes() == good
    page.write_bytes(b"vandalised")
    _build(site)
    assert page.read_bytes() == good


def test_a_stray_file_in_the_output_is_removed(site):
    _build(site)
    (site / "output/stray.html").write_text("old page", encoding="utf-8")
    assert _build(site).archive is not None
    assert not (site / "output/stray.html").exists()


def test_a_scheduled_article_goes_live_when_its_time_comes(site, tmp_path):
    _build(site)
    assert _build(site, now=NOW + timedelta(hours=1)).archive is None  # nothing happens in that hour
    live = _build(site, now=NOW + timedelta(days=3))
    assert live.archive is not None and live.articles == 2
    clean = build(BuildOptions(site, output_dir=tmp_path / "clean", now=NOW + timedelta(days=3), jobs=1))
    assert diff(tree(site / "output"), tree(tmp_path / "clean")) == []
    assert clean.articles == 2


def test_an_earlier_now_is_another_build(site):
    _build(site, now=NOW + timedelta(days=3))
    assert _build(site).archive is not None  # the scheduled article must disappear again


def test_a_site_yaml_or_theme_change_is_seen(site):
    _build(site)
    (site / "site.yaml").write_text(SITE_YAML.replace("Engine Test Herald", "The Herald"), encoding="utf-8")
    os.utime(site / "site.yaml", (1_600_000_100, 1_600_000_100))
    assert _build(site).archive is not None
    template = site / "templates/article.html"
    template.parent.mkdir()
    template.write_text("{% extends 'base.html' %}", encoding="utf-8")
    os.utime(template, (1_600_000_200, 1_600_000_200))
    assert _build(site).archive is not None
