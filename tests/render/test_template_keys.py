"""A page is rendered again when a template it uses changes, and only then."""

from __future__ import annotations

from datetime import UTC, datetime

import jinja2

from builder.build.pipeline import BuildOptions, build
from builder.render.templates import template_sources
from builder.render.theme_lookup import bundled_themes
from tests.support.files import diff, tree, write_files
from tests.support.herald import SITE_YAML, article_text

NOW = datetime(2025, 1, 1, tzinfo=UTC)
THEME_TEMPLATES = bundled_themes() / "default" / "templates"


def _env(templates: dict[str, str]) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.DictLoader(templates))


def test_sources_follow_extends_include_and_import():
    env = _env({"page.html": '{% extends "base.html" %}{% import "m.html" as m %}',
                "base.html": '{% include "nav.html" %}', "nav.html": "nav", "m.html": "", "other.html": "x"})
    assert [name for name, _ in template_sources(env, "page.html")] == ["base.html", "m.html", "nav.html", "page.html"]


def test_a_computed_template_name_means_every_template():
    env = _env({"page.html": "{% include name %}", "a.html": "a", "b.html": "b"})
    assert [name for name, _ in template_sources(env, "page.html")] == ["a.html", "b.html", "page.html"]


def _site(tmp_path):
    return write_files(tmp_path / "site", {
        "site.yaml": SITE_YAML,
        "content/politics/one.md": article_text("One", tags=("budget",)),
        "content/culture/two.md": article_text("Two", section="culture", date="2024-05-01T10:00:00+04:00"),
    })


def _override(site, name: str, extra: str) -> None:
    """The theme's template with `extra` written into its first block (text outside blocks is not shown)."""
    text = (THEME_TEMPLATES / name).read_text(encoding="utf-8")
    text = text.replace("{% endblock %}", extra + "{% endblock %}", 1) if "{% endblock %}" in text else text + extra
    write_files(site, {f"templates/{name}": text})


def test_article_template_change_renders_article_pages_only(tmp_path):
    site = _site(tmp_path)
    first = build(BuildOptions(site, now=NOW, jobs=1))
    listing = site / "output/politics/index.html"
    listing_mtime = listing.stat().st_mtime_ns
    _override(site, "article.html", "\n<!-- article template, revised -->\n")
    second = build(BuildOptions(site, now=NOW, jobs=1))
    assert second.rendered == 2  # the two article pages
    assert listing.stat().st_mtime_ns == listing_mtime
    assert "article template, revised" in next((site / "output/politics/2024").rglob("index.html")).read_text()
    build(BuildOptions(site, output_dir=tmp_path / "clean", now=NOW, jobs=1))
    assert diff(tree(site / "output"), tree(tmp_path / "clean")) == []
    assert first.rendered > 2 * second.rendered


def test_a_template_every_page_uses_renders_every_page(tmp_path):
    site = _site(tmp_path)
    build(BuildOptions(site, now=NOW, jobs=1))
    _override(site, "_macros.html", "\n{# shared macros, revised #}\n")
    again = build(BuildOptions(site, now=NOW, jobs=1))
    html_pages = [p for p in (site / "output").rglob("*.html")]
    assert again.rendered >= len(html_pages)
