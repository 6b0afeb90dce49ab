"""A build of everything that changed: sources -> content -> archive -> render -> checks -> staged output.

`builder.build.pipeline.build` calls this once it knows that something changed since the last build
(builder.incremental.stamp). Everything that can fail happens before the first file in the output folder
changes: pages are rendered into a staging area, and only `OutputWriter.commit` (called by the
pipeline) swaps them in, when every page rendered and every link resolved. Work is skipped, never
approximated: a file is parsed again when its bytes change, and a page is rendered again when the
fingerprint of its inputs changes.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from builder.content.archive import Archive, build_archive
from builder.render.assets import UrlRewriter, copied_files
from builder.build.bodies import article_recipes, build_recipe, feed_recipes
from builder.incremental.cache import BuildCache, without_body
from builder.checks.links import LinkChecker
from builder.checks.page import inspect_page
from builder.config.site import CONFIG_NAME, SiteConfig
from builder.content.article import Article, ContentContext, parse_article, still_valid
from builder.errors import BuildError, BuildFailed
from builder.render.feeds import feed_jobs
from builder.render.sitemaps import NEWS_WINDOW, sitemap_jobs
from builder.digests import fingerprint
from builder.render.hosting import copy_jobs, headers_file_job, merge_copies
from builder.render.jobs import OutputPage
from builder.render.renderer import Renderer, article_jobs, listing_jobs
from builder.content.sources import SourceEntry, read_source, scan_static
from builder.render.templates import Theme
from builder.build.workers import ordered_map
from builder.output.layout import TEMPLATE_CACHE
from builder.output.writer import OutputWriter

if TYPE_CHECKING:
    from builder.build.pipeline import BuildOptions


# Parsing ---------------------------------------------------------------------------------------

_PARSE_CONTEXT: ContentContext | None = None
RACY_WINDOW_NS = 2_000_000_000


def _parse_one(job: tuple[SourceEntry, str | None]):
    """Read and parse one file (in a worker). An unchanged digest returns no article."""
    entry, cached_digest = job
    source = read_source(entry)
    if isinstance(source, BuildError):
        return entry, None, [source]
    if source.digest == cached_digest:
        return entry, source.digest, None
    return entry, source.digest, parse_article(source, _PARSE_CONTEXT)


def _report(progress, stage: str, done: int, total: int) -> None:
    if progress and (done == total or done % 250 == 0):
        progress(stage, done, total)


STORE_BATCH = 500  # parsed articles held, with their bodies, before the cache takes them


def read_articles(ctx: ContentContext, entries: list[SourceEntry], cache: BuildCache, jobs: int,
                  progress=None) -> list[Article]:
    """Every article, from the cache where its file and the files it shows are unchanged."""
    global _PARSE_CONTEXT
    cached = cache.articles()
    articles: list[Article] = []
    todo: list[tuple[SourceEntry, str | None]] = []
    # A file changed within the clock's resolution of its last read can keep its size and mtime
    # (the "racy git" problem): recent files are always read and compared by digest.
    racy_after = time.time_ns() - RACY_WINDOW_NS
    for entry in entries:
        hit = cached.get(entry.name)
        if (hit and hit.size == entry.size and hit.mtime_ns == entry.mtime_ns and entry.mtime_ns < racy_after
                and still_valid(hit.article, ctx)):
            articles.append(hit.article)
        else:
            valid = hit is not None and still_valid(hit.article, ctx)
            todo.append((entry, hit.digest if valid else None))

    _PARSE_CONTEXT = ctx
    errors: list[BuildError] = []
    parsed, touched = [], []
    for done, (entry, digest, result) in enumerate(ordered_map(_parse_one, todo, jobs), 1):
        _report(progress, "parse", done, len(todo))
        name = entry.name
        if result is None:
            articles.append(cached[name].article)
            touched.append((name, entry.size, entry.mtime_ns))
        elif isinstance(result, Article):
            parsed.append((name, entry.size, entry.mtime_ns, digest, result))
            articles.append(without_body(result))
            if len(parsed) == STORE_BATCH:  # bodies go to the cache as they come, not all held at once
                cache.store(parsed)
                parsed.clear()
        else:
            errors.extend(result)
    cache.store(parsed)
    cache.touch(touched)
    cache.forget(set(cached) - {e.name for e in entries})
    if errors:
        raise BuildFailed(errors)
    return articles


# Rendering -------------------------------------------------------------------------------------

def environment_key(config_text: bytes, theme: Theme, config: SiteConfig, code: str) -> str:
    """What every page depends on besides its own content and templates: site.yaml, UI strings, code.

    Each page adds the templates it is rendered with (Renderer.template_key)."""
    digest = hashlib.blake2b(config_text, digest_size=16)
    digest.update(code.encode())
    for root in [theme.root / "strings", theme.root / "theme.yaml"]:
        files = sorted(root.rglob("*")) if root.is_dir() else [root] if root.exists() else []
        for file in files:
            if file.is_file():
                digest.update(str(file).encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


_RENDER_JOBS: list = []
_RENDERER: Renderer | None = None  # of the pages in _RENDER_JOBS: which cached parts a page is made of
_CHECK_SETTINGS: tuple[Path, frozenset[str]] = (Path("."), frozenset())


def _render_one(index: int):
    """Render one page and read its final HTML (in a worker): ids and links, fast a11y checks."""
    page = _RENDER_JOBS[index].make()
    parts = _RENDERER.take_parts() if _RENDERER is not None else ()
    if page.content is None or not page.path.endswith(".html"):
        return page, None, []
    site_dir, allowed = _CHECK_SETTINGS
    # Fast accessibility checks on the final HTML; an unchanged page passed them when it was made.
    scan, findings = inspect_page(page.path, page.content, page.made_from, site_dir=site_dir, parts=parts)
    return page, scan, [f.as_build_error() for f in findings if f.rule not in allowed]


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
        # Raw HTML in the body: find the address in the file (it is written with the base path).
        try:
            lines = (archive.config.site_dir / article.source).read_text(encoding="utf-8-sig").splitlines()
        except OSError:
            return None
        for number, text in enumerate(lines[article.body_line - 1:], article.body_line):
            if href in text:
                return article.source, number
        return None

    return source_of


def next_change(articles: list[Article], now: datetime) -> datetime | None:
    """The first moment after `now` at which the same inputs make another site.

    An article goes live at its date, leaves listings when it expires and leaves the news sitemap
    NEWS_WINDOW after its date.
    """
    moments = [m for a in articles
               for m in (a.published.value, a.published.value + NEWS_WINDOW, a.expires.value if a.expires else None)
               if m is not None and m > now]
    return min(moments, default=None)


@dataclass
class SiteBuilt:
    """A build staged in the output folder's staging area, ready to be committed."""

    archive: Archive
    writer: OutputWriter
    pages: int  # output files the site has
    rendered: int  # of them rendered this time
    page_ids: dict[str, tuple[str, ...]]  # ids of the pages rendered this time, for later link checks
    recipes: Callable[[], Iterable[tuple[str, bytes]]]  # what the pages rendered this time were made from
    # (builder.build.bodies), made while the cache stores them, after the output is committed
    next_change: datetime | None  # see next_change()


def build_site(options: BuildOptions, config: SiteConfig, theme: Theme, cache: BuildCache, code: str,
               table_labels: dict[str, str], now: datetime, lap: Callable[[str], None],
               sources: list[SourceEntry]) -> SiteBuilt:
    global _RENDER_JOBS, _RENDERER, _CHECK_SETTINGS
    site_dir = config.site_dir
    measured = cache.image_sizes()
    static = scan_static(config.static_dir, measured)
    cache.store_image_sizes(static, measured)
    lap("setup")
    ctx = ContentContext(config=config, image_sizes={k: v.dimensions for k, v in static.items() if v.dimensions},
                         static_paths=frozenset(static), table_labels=table_labels)
    articles = read_articles(ctx, sources, cache, options.jobs, options.progress)
    lap("parse")
    archive = build_archive(config, articles, now=now, include_drafts=options.drafts,
                            include_future=options.future)
    lap("archive")

    files = copied_files(config, theme, static, {ref for a in archive.pages for ref, _ in a.static_refs},
                         cache.file_digest)
    rewriter = UrlRewriter(config, files)
    bodies = lambda article: cache.body(str(article.source))  # noqa: E731
    env_key = fingerprint(environment_key((site_dir / CONFIG_NAME).read_bytes(), theme, config, code),
                          sorted(f.output_path for f in files.values() if f.origin == "theme asset"))
    renderer = Renderer(archive, theme, bodies, env_key, rewriter, rewriter.names,
                        bytecode_dir=options.output.resolve() / TEMPLATE_CACHE)
    writer = OutputWriter(options.output, config.precompress_min_bytes if config.precompress else None,
                          reuse=not options.clean)
    links = LinkChecker(config.base_path, _body_link_source(archive), known_ids=cache.page_ids)
    new_ids: dict[str, tuple[str, ...]] = {}
    check_errors: list[BuildError] = []
    rendered = 0
    try:
        jobs = merge_copies(
            list(chain(article_jobs(renderer), listing_jobs(renderer), feed_jobs(archive, bodies, env_key, rewriter),
                       sitemap_jobs(archive))),
            list(copy_jobs(files)) + ([headers_file_job(config, files)] if config.headers_file else []))
        lap("plan")
        links.expect(job.path for job in jobs)
        page_count = len(jobs)
        dirty = []
        for job in jobs:
            if writer.is_current(job.path, job.key):
                writer.keep(job.path, job.key, job.made_from)
                links.add_file(job.path)
            else:
                dirty.append(job)
        del jobs
        _RENDER_JOBS, _RENDERER = dirty, renderer
        _CHECK_SETTINGS = (site_dir, frozenset(config.audit.allow))
        rendered_paths: set[str] = set()
        rendered_pages = ordered_map(_render_one, range(len(dirty)), options.jobs, chunksize=8)
        for index, (page, scan, findings) in enumerate(rendered_pages):
            # A job is dropped once its page is staged (the workers have their own copies), and
            # the page's path is the job's string: one copy of each path stays, not one a dict.
            job, dirty[index] = dirty[index], None
            if page.path == job.path:
                page = OutputPage(job.path, page.content, page.source, page.made_from)
            writer.stage(page, job.key)
            rendered_paths.add(job.path)
            rendered += 1
            _report(options.progress, "render", rendered, len(dirty))
            check_errors.extend(findings)
            if scan is not None:
                new_ids[page.path] = links.add_page(page.path, scan, page.made_from)
            else:
                links.add_file(page.path)
        _RENDER_JOBS = dirty = []
        _RENDERER = None
        lap("render")
        if check_errors:
            raise BuildFailed(check_errors)
        if options.check_links:
            # Pages rendered this time were scanned whole; an unchanged page's template links
            # are fixed by its key, but body links can break when another article goes.
            for article in archive.pages:
                links.add_links(article.path + "index.html", [(l.href, 0) for l in article.body.links],
                                (str(article.source),))
            if errors := links.errors():
                raise BuildFailed(errors)
        lap("check")
    except BaseException:
        writer.abort()
        raise
    recipes = lambda: chain(article_recipes(renderer, rendered_paths), feed_recipes(archive, rendered_paths),  # noqa: E731
                            build_recipe(files, env_key, ctx))
    return SiteBuilt(archive, writer, page_count, rendered, new_ids, recipes, next_change(articles, now))
