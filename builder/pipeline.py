"""The build, top to bottom: config -> sources -> content -> archive -> render -> write.

Everything that can fail happens before the first file in the output folder changes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from builder.archive import Archive, build_archive
from builder.config import SiteConfig, load_config
from builder.content import Article, ContentContext, parse_article
from builder.errors import BuildError, BuildFailed
from builder.render import copy_files, render_site
from builder.sources import read_sources, scan_static
from builder.templates import Theme, load_theme
from builder.write import OutputWriter, WriteReport, check_output_dir


@dataclass(frozen=True)
class BuildOptions:
    site_dir: Path
    output_dir: Path | None = None  # default: <site>/output
    drafts: bool = False

    @property
    def output(self) -> Path:
        return self.output_dir if self.output_dir is not None else self.site_dir / "output"


@dataclass(frozen=True)
class BuildResult:
    config: SiteConfig
    archive: Archive
    report: WriteReport
    pages: int
    seconds: float


def read_articles(config: SiteConfig, static: dict) -> list[Article]:
    ctx = ContentContext(
        config=config,
        image_sizes={k: v.dimensions for k, v in static.items() if v.dimensions},
        static_paths=frozenset(static),
    )
    articles: list[Article] = []
    errors: list[BuildError] = []
    for source in read_sources(config.site_dir, config.content_dir):
        result = parse_article(source, ctx)
        if isinstance(result, Article):
            articles.append(result)
        else:
            errors.extend(result)
    if errors:
        raise BuildFailed(errors)
    return articles


def build(options: BuildOptions) -> BuildResult:
    started = time.perf_counter()
    site_dir = options.site_dir.resolve()
    config = load_config(site_dir)
    check_output_dir(options.output, site_dir)
    theme: Theme = load_theme(config)
    static = scan_static(config.static_dir)
    articles = read_articles(config, static)
    archive = build_archive(config, articles, include_drafts=options.drafts)

    options.output.mkdir(parents=True, exist_ok=True)
    writer = OutputWriter(options.output)
    pages = 0
    try:
        for page in chain(render_site(archive, theme), copy_files(config, theme, static)):
            writer.stage(page)
            pages += 1
    except BaseException:
        writer.abort()
        raise
    report = writer.commit()
    return BuildResult(config, archive, report, pages, time.perf_counter() - started)
