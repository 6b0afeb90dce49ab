"""Shared fixtures for the unit tests: small sites built from in-memory files in tmp_path."""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable
from datetime import UTC
from pathlib import Path

import pytest

from builder.config.site import SiteConfig, parse_config
from builder.content.archive import build_archive
from builder.content.article import Article, ContentContext
from builder.content.parse import parse_article
from builder.content.sources import SourceFile
from builder.errors import BuildError

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
  fingerprint: false  # file names stay as written; fingerprinting is tested in tests/engine
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


@pytest.fixture
def make_site(tmp_path) -> Callable[[dict[str, str | bytes]], Path]:
    """Write files into a fresh site folder; site.yaml defaults to SITE_YAML unless given."""

    def make(files: dict[str, str | bytes] | None = None, *, theme: bool = False) -> Path:
        site = tmp_path / "site"
        site.mkdir(exist_ok=True)
        everything = {"site.yaml": SITE_YAML, **(THEME_FILES if theme else {}), **(files or {})}
        for rel, data in everything.items():
            target = site / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                target.write_bytes(data)
            else:
                target.write_text(data, encoding="utf-8")
        return site

    return make


@pytest.fixture
def config(tmp_path) -> SiteConfig:
    return parse_config(SITE_YAML, tmp_path)


def make_config(tmp_path: Path, extra_yaml: str = "", **replace: str) -> SiteConfig:
    text = SITE_YAML
    for key, value in replace.items():
        text = "\n".join(f"{key}: {value}" if line.startswith(f"{key}:") else line for line in text.splitlines()) + "\n"
    return parse_config(text + extra_yaml, tmp_path)


@pytest.fixture
def parse(config) -> Callable[..., Article | list[BuildError]]:
    """Parse article text as content/<path> against a config (default: the fixture config)."""

    def run(text: str, path: str = "content/politics/council-vote.md", *, cfg: SiteConfig | None = None,
            static: dict[str, tuple[int, int] | None] | None = None) -> Article | list[BuildError]:
        static = {"images/vote.jpg": (1200, 800), "images/logo.svg": None} if static is None else static
        ctx = ContentContext(
            config=cfg or config,
            image_sizes={k: v for k, v in static.items() if v},
            static_paths=frozenset(static),
        )
        source = SourceFile(Path(path), text, hashlib.sha256(text.encode()).hexdigest())
        return parse_article(source, ctx)

    return run


@pytest.fixture
def article(parse) -> Callable[..., Article]:
    """A parsed Article from front matter fields; fails the test if the article has errors."""

    def run(body: str = "Body text.\n", path: str = "content/politics/council-vote.md", cfg=None, **fields) -> Article:
        result = parse(article_text(body, **fields), path, cfg=cfg)
        assert isinstance(result, Article), [str(e) for e in result]
        return result

    return run


def archive_of(config: SiteConfig, articles, **options):
    """build_archive, passing a fixed `now` where the function takes one."""
    if "now" in inspect.signature(build_archive).parameters:
        from datetime import datetime

        options.setdefault("now", datetime(2030, 1, 1, tzinfo=UTC))
    return build_archive(config, list(articles), **options)


def tree_state(root: Path) -> dict[str, tuple[str, int]]:
    """Every file under root (hidden ones too) with its content hash and mtime: to prove nothing changed."""
    if not root.exists():
        return {}
    return {
        p.relative_to(root).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def site_state(output: Path) -> dict[str, tuple[str, int]]:
    """tree_state of an output folder without the build cache.

    The cache (.broadsheet-cache.*) is bookkeeping keyed by its inputs, and may learn from a build
    that then fails; every file of the site, and the manifest, must stay as they were.
    """
    return {rel: state for rel, state in tree_state(output).items() if not rel.startswith(".broadsheet-cache")}
