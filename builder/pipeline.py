"""The build, top to bottom: config -> sources -> content -> archive -> render -> write.

Everything that can fail happens before the first file in the output folder changes.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from builder.archive import Archive, build_archive
from builder.checks.links import LinkChecker
from builder.checks.scan import scan_html
from builder.config import SiteConfig, load_config
from builder.content import Article, ContentContext, parse_article
from builder.errors import BuildError, BuildFailed
from builder.outputs.feeds import render_feeds
from builder.outputs.sitemaps import render_sitemaps
from builder.render import copy_files, render_site
from builder.sources import read_sources, scan_static
from builder.templates import Theme, load_theme
from builder.write import OutputWriter, WriteReport, check_output_dir


@dataclass(frozen=True)
class BuildOptions:
    site_dir: Path
    output_dir: Path | None = None  # default: <site>/output
    drafts: bool = False
    future: bool = False
    check_links: bool = True
    now: datetime | None = None  # the moment that decides what is scheduled or expired; default: now

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


def _body_link_source(archive: Archive):
    """Where a link in an article page was written, if it came from the article's Markdown."""
    by_source = {str(a.source): a for a in archive.pages}

    def source_of(page: str, made_from: tuple[str, ...], href: str):
        article = by_source.get(made_from[0]) if len(made_from) == 1 else None
        if article is None:
            return None
        for link in article.body.links:
            if link.href == href:
                return article.source, article.source_line(link.line)
        return None

    return source_of


def build(options: BuildOptions) -> BuildResult:
    started = time.perf_counter()
    site_dir = options.site_dir.resolve()
    config = load_config(site_dir)
    check_output_dir(options.output, site_dir)
    theme: Theme = load_theme(config)
    static = scan_static(config.static_dir)
    articles = read_articles(config, static)
    now = options.now or datetime.now(timezone.utc)
    archive = build_archive(config, articles, now=now, include_drafts=options.drafts, include_future=options.future)

    options.output.mkdir(parents=True, exist_ok=True)
    writer = OutputWriter(options.output)
    links = LinkChecker(config.base_path, _body_link_source(archive))
    pages = 0
    try:
        for page in chain(render_site(archive, theme), render_feeds(archive), render_sitemaps(archive),
                          copy_files(config, theme, static)):
            writer.stage(page)
            if page.content is not None and page.path.endswith(".html"):
                links.add_page(page.path, scan_html(page.content), page.made_from)
            else:
                links.add_file(page.path)
            pages += 1
        if options.check_links and (errors := links.errors()):
            raise BuildFailed(errors)
    except BaseException:
        writer.abort()
        raise
    report = writer.commit()
    return BuildResult(config, archive, report, pages, time.perf_counter() - started)
