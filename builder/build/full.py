"""A build of everything that changed: sources -> content -> archive -> render -> checks -> staged output.

`build.pipeline` calls `stage_site` when the stamps say that more than article bodies changed
since the last build (build.way). Everything that can fail happens before the first file in the
output folder changes: pages are rendered into a staging area, and only `OutputWriter.commit`
(called by the pipeline) swaps them in, when every page rendered and every link resolved. Work is
skipped, never approximated: a file is parsed again when its bytes change, and a page is rendered
again when the fingerprint of its inputs changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from pathlib import Path

from builder.build.context import BuildInputs
from builder.build.parse import read_articles, report_progress
from builder.build.search import remove_search_work, stage_search_index
from builder.build.workers import ordered_map
from builder.checks.links import LinkChecker
from builder.checks.page import inspect_page
from builder.content.archive import Archive, build_archive
from builder.content.article import Article
from builder.content.sources import StaticFile, scan_static
from builder.digests import fingerprint
from builder.errors import BuildError, BuildFailed
from builder.incremental.cache import BuildCache
from builder.incremental.keys import environment_key
from builder.incremental.recipes import article_recipes, build_recipe, feed_recipes, search_recipe
from builder.output.writer import OutputWriter
from builder.render.assets import UrlRewriter, copied_files
from builder.render.feeds import feed_jobs
from builder.render.hosting import copy_jobs, headers_file_job, merge_copies
from builder.render.jobs import OutputPage, PageJob
from builder.render.renderer import Renderer, article_jobs, listing_jobs
from builder.render.sitemaps import NEWS_WINDOW, sitemap_jobs
from builder.search.documents import search_documents

# Rendering -------------------------------------------------------------------------------------

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
class StagedSite:
    """A build staged in the output folder's staging area, ready to be committed."""

    archive: Archive
    writer: OutputWriter
    pages: int  # output files the site has
    rendered: int  # of them rendered this time
    page_ids: dict[str, tuple[str, ...]]  # ids of the pages rendered this time, for later link checks
    recipes: Callable[[], Iterable[tuple[str, bytes]]]  # what the pages rendered this time were made from
    # (incremental.recipes), made while the cache stores them, after the output is committed
    next_change: datetime | None  # see next_change()


def stage_site(inputs: BuildInputs, cache: BuildCache, lap: Callable[[str], None]) -> StagedSite:
    options, config = inputs.options, inputs.config
    static = _static_files(inputs, cache)
    lap("setup")
    ctx = inputs.content_context({k: v.dimensions for k, v in static.items() if v.dimensions}, frozenset(static))
    articles = read_articles(ctx, inputs.sources, cache, options.jobs, options.progress)
    lap("parse")
    archive = build_archive(config, articles, now=inputs.now, include_drafts=options.drafts,
                            include_future=options.future)
    lap("archive")

    files = copied_files(config, inputs.theme, static, {ref for a in archive.pages for ref, _ in a.static_refs},
                         cache.file_digest)
    rewriter = UrlRewriter(config, files)
    bodies = lambda article: cache.body(str(article.source))
    env_key = fingerprint(environment_key(inputs.config_text, inputs.theme, config, inputs.code),
                          sorted(f.output_path for f in files.values() if f.origin == "theme asset"))
    renderer = Renderer(archive, inputs.theme, bodies, env_key, rewriter, rewriter.names,
                        bytecode_dir=inputs.templates_cache)
    writer = OutputWriter(options.output, config.precompress_min_bytes if config.precompress else None,
                          reuse=not options.clean)
    links = LinkChecker(config.base_path, _body_link_source(archive), known_ids=cache.page_ids)
    try:
        jobs = merge_copies(
            list(chain(article_jobs(renderer), listing_jobs(renderer), feed_jobs(archive, bodies, env_key, rewriter),
                       sitemap_jobs(archive))),
            list(copy_jobs(files)) + ([headers_file_job(config, files)] if config.headers_file else []))
        lap("plan")
        links.expect(job.path for job in jobs)
        page_count = len(jobs)
        dirty = _keep_current(jobs, writer, links)
        del jobs
        rendered_paths, new_ids = _render(dirty, renderer, writer, links, inputs)
        lap("render")
        if config.search.enabled:
            stage_search_index(lambda: search_documents(archive, bodies), writer)
            lap("search")
        else:
            remove_search_work(writer.output_dir)
        if options.check_links:
            # Pages rendered this time were scanned whole; an unchanged page's template links
            # are fixed by its key, but body links can break when another article goes.
            for article in archive.pages:
                links.add_links(article.path + "index.html", [(link.href, 0) for link in article.body.links],
                                (str(article.source),))
            if errors := links.errors():
                raise BuildFailed(errors)
        lap("check")
    except BaseException:
        writer.abort()
        raise
    recipes = lambda: chain(article_recipes(renderer, rendered_paths), feed_recipes(archive, rendered_paths),
                            build_recipe(files, env_key, ctx), search_recipe(archive))
    return StagedSite(archive, writer, page_count, len(rendered_paths), new_ids, recipes,
                      next_change(articles, inputs.now))


def _static_files(inputs: BuildInputs, cache: BuildCache) -> dict[str, StaticFile]:
    """static/ listed, with each image's size measured once (the cache keeps it for later builds)."""
    measured = cache.image_sizes()
    static = scan_static(inputs.config.static_dir, measured)
    cache.store_image_sizes(static, measured)
    return static


def _keep_current(jobs: list[PageJob], writer: OutputWriter, links: LinkChecker) -> list[PageJob | None]:
    """The jobs whose page must be rendered; the others' files stay as the last build wrote them."""
    dirty: list[PageJob | None] = []
    for job in jobs:
        if writer.is_current(job.path, job.key):
            writer.keep(job.path, job.key, job.made_from)
            links.add_file(job.path)
        else:
            dirty.append(job)
    return dirty


def _render(dirty: list[PageJob | None], renderer: Renderer, writer: OutputWriter, links: LinkChecker,
            inputs: BuildInputs) -> tuple[set[str], dict[str, tuple[str, ...]]]:
    """Render and check the dirty pages in the workers, stage them in order: (paths, ids of each page)."""
    global _RENDER_JOBS, _RENDERER, _CHECK_SETTINGS
    options = inputs.options
    _RENDER_JOBS, _RENDERER = dirty, renderer
    _CHECK_SETTINGS = (inputs.config.site_dir, frozenset(inputs.config.audit.allow))
    rendered_paths: set[str] = set()
    new_ids: dict[str, tuple[str, ...]] = {}
    check_errors: list[BuildError] = []
    try:
        for index, (page, scan, findings) in enumerate(ordered_map(_render_one, range(len(dirty)), options.jobs,
                                                                   chunksize=8)):
            # A job is dropped once its page is staged (the workers have their own copies), and
            # the page's path is the job's string: one copy of each path stays, not one a dict.
            job, dirty[index] = dirty[index], None
            assert job is not None
            if page.path == job.path:
                page = OutputPage(job.path, page.content, page.source, page.made_from)
            writer.stage(page, job.key)
            rendered_paths.add(job.path)
            report_progress(options.progress, "render", len(rendered_paths), len(dirty))
            check_errors.extend(findings)
            if scan is not None:
                new_ids[page.path] = links.add_page(page.path, scan, page.made_from)
            else:
                links.add_file(page.path)
    finally:
        _RENDER_JOBS, _RENDERER = [], None
    if check_errors:
        raise BuildFailed(check_errors)
    return rendered_paths, new_ids
