"""The Test Gazette: a small site written from memory, for tests of one stage at a time.

Its site.yaml keeps file names as written (no fingerprints); THEME_FILES is a theme of three tiny
templates, for tests that must not depend on the bundled theme.
"""

from __future__ import annotations

import inspect
from datetime import UTC
from pathlib import Path

from builder.config.site import SiteConfig, parse_config
from builder.content.archive import build_archive

# Test sites build without search: a Pagefind index costs ~0.4 s a build, and its bytes differ
# between runs (Pagefind issue #638), which whole-output comparisons cannot allow. tests/search/
# and the example site's tests build with it on.
SITE_YAML = """\
title: Test Gazette
description: A small test archive.
base_url: https://example.org/
language: en
timezone: Asia/Yerevan
sections:
  - key: politics
    title: Politics
    description: Votes and councils.
  - key: culture
    title: Culture
authors:
  - key: anna
    name: Anna Petrosyan
    bio: Covers the city council.
hosting:
  fingerprint: false  # file names stay as written; fingerprinting is tested in tests/render/test_hosting.py
search:
  enabled: false  # see the note above SITE_YAML
"""

# A theme of three tiny templates, so pipeline and CLI tests do not depend on the bundled theme.
THEME_FILES = {
    "themes/default/templates/article.html": (
        '<html lang="{{ page.lang }}" dir="{{ page.dir }}"><title>{{ page.title }}</title>'
        '<h1>{{ article.title }}</h1>'
        '<time datetime="{{ article.published.iso }}">{{ article.published.display }}</time>'
        "{{ article.body_html }}</html>\n"
    ),
    "themes/default/templates/listing.html": (
        '<html lang="{{ page.lang }}"><title>{{ page.title }}</title><h1>{{ listing.title }}</h1>'
        '{% for item in listing.items %}<a href="{{ item.url }}">{{ item.title }}</a>{% endfor %}</html>\n'
    ),
    "themes/default/templates/404.html": '<html lang="{{ page.lang }}"><title>{{ page.title }}</title></html>\n',
    "themes/default/templates/redirect.html": '<html lang="{{ page.lang }}"><a href="{{ target }}">{{ target_title }}</a></html>\n',
}


def article_text(body: str = "Body text.\n", **fields) -> str:
    """An article file: YAML front matter from `fields` (values written as given), then the body."""
    defaults = {"title": "Council votes on budget", "date": "2024-03-05T09:30:00+04:00", "section": "politics"}
    meta = {**defaults, **fields}
    lines = [f"{key}: {value}" for key, value in meta.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body


def make_config(tmp_path: Path, extra_yaml: str = "", **replace: str) -> SiteConfig:
    text = SITE_YAML
    for key, value in replace.items():
        text = "\n".join(f"{key}: {value}" if line.startswith(f"{key}:") else line for line in text.splitlines()) + "\n"
    return parse_config(text + extra_yaml, tmp_path)


def archive_of(config: SiteConfig, articles, **options):
    """build_archive, passing a fixed `now` where the function takes one."""
    if "now" in inspect.signature(build_archive).parameters:
        from datetime import datetime

        options.setdefault("now", datetime(2030, 1, 1, tzinfo=UTC))
    return build_archive(config, list(articles), **options)
