"""Fixtures every test folder may ask for; plain helpers live in tests/support/."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from builder.config.site import SiteConfig, parse_config
from builder.content.article import Article, ContentContext
from builder.content.parse import parse_article
from builder.content.sources import SourceFile
from builder.errors import BuildError
from tests.support.builds import Built, build_into
from tests.support.gazette import SITE_YAML, THEME_FILES, article_text


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


@pytest.fixture
def build_site(tmp_path) -> Callable[..., Built]:
    """build_site(files, **BuildOptions fields): a fresh site and output folder per call."""
    count = 0

    def run(files: dict[str, str | bytes], **options) -> Built:
        nonlocal count
        count += 1
        return build_into(tmp_path / f"build{count}", files, **options)

    return run
