"""Small sites for preview tests: a copy of the example site, and a stand-in theme when needed."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BUNDLED_THEME = REPO / "themes" / "default"

# Enough of a theme to build every page kind, for tests that must not depend on the bundled one.
STUB_TEMPLATES = {
    "base.html": (
        '<!doctype html>\n<html lang="{{ page.lang }}" dir="{{ page.dir }}">\n<head><meta charset="utf-8">'
        "<title>{{ page.title }}</title></head>\n<body>\n<main id=\"content\">\n{% block main %}{% endblock %}\n"
        "</main>\n</body>\n</html>\n"
    ),
    "article.html": (
        '{% extends "base.html" %}{% block main %}'
        '{% if article.draft %}<p class="status-banner" role="status">Draft</p>{% endif %}'
        '{% if article.scheduled %}<p class="status-banner" role="status">Scheduled</p>{% endif %}'
        "<h1>{{ article.title }}</h1>\n"
        '<time datetime="{{ article.published.iso }}">{{ article.published.display }}</time>\n'
        "{{ article.body_html }}{% endblock %}"
    ),
    "listing.html": (
        '{% extends "base.html" %}{% block main %}<h1>{{ listing.title }}</h1><ul>'
        '{% for item in listing.items %}<li><a href="{{ item.url }}">{{ item.title }}</a></li>{% endfor %}'
        "</ul>{% endblock %}"
    ),
    "redirect.html": '{% extends "base.html" %}{% block main %}<a href="{{ target }}">{{ target_title }}</a>{% endblock %}',
    "404.html": '{% extends "base.html" %}{% block main %}<h1>Page not found</h1>{% endblock %}',
    "search.html": '{% extends "base.html" %}{% block main %}<h1>Search</h1>{% endblock %}',
}


def bundled_theme_ready() -> bool:
    return (BUNDLED_THEME / "templates" / "article.html").is_file()


def write_stub_theme(site: Path) -> Path:
    """themes/default/ inside the site, which Broadsheet prefers to the bundled theme of that name."""
    templates = site / "themes" / "default" / "templates"
    templates.mkdir(parents=True, exist_ok=True)
    for name, text in STUB_TEMPLATES.items():
        (templates / name).write_text(text, encoding="utf-8")
    return site / "themes" / "default"


def copy_example_site(dest: Path, *, stub_theme: bool | None = None) -> Path:
    """site.yaml, content/ and static/ of the repository's example site; the bundled theme is
    found by itself, or a stand-in is written when it is not there yet (or when asked for)."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "site.yaml", dest / "site.yaml")
    shutil.copytree(REPO / "content", dest / "content")
    if (REPO / "static").is_dir():
        shutil.copytree(REPO / "static", dest / "static")
    if stub_theme or (stub_theme is None and not bundled_theme_ready()):
        write_stub_theme(dest)
    return dest
