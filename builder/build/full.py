"""A build of everything that changed: sources -> content -> archive -> render -> checks -> staged output.

`build.pipeline` calls `stage_site` when the stamps say that more than article bodies changed
since the last build (build.way). Everything that can fail happens before the first file in the
output folder changes: pages are rendered into a staging area, and only `OutputWriter.commit`
(called by the pipeline) swaps them in, when every page rendered and every link resolved. Work is
skipped, never approximated: a file is parsed again when its bytes change, and a page is rendered
again when the fingerprint of its inputs changes.

One run reports every problem: a file whose front matter makes its page impossible is left out,
and the others are still rendered, checked and their links followed. All that was found is then
judged at once against the accessibility baseline (build.debts); anything new fails the build
before the output changes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from pathlib import Path

from builder.build.context import BuildInputs
from builder.build.debts import BuildDebts, judge_build
from builder.build.images import image_errors, image_jobs, make_images, plan_site_images
from builder.build.parse import read_articles, report_progress
from builder.build.search import keep_search_index, remove_search_work, stage_search_index
from builder.build.workers import ordered_map
from builder.checks.baseline import fixed_line, summary_line
from builder.checks.links import LinkChecker
from builder.checks.page import inspect_page
from builder.config.site import CONFIG_NAME
from builder.content.archive import Archive, build_archive
from builder.content.article import Article
from builder.content.sources import StaticFile, scan_static
from builder.content.urls import output_file
from builder.digests import fingerprint
from builder.errors import BuildError, BuildFailed
from builder.incremental.cache import BuildCache
from builder.incremental.keys import environment_key
from builder.incremental.recipes import article_recipes, build_recipe, feed_recipes, search_recipe
from builder.output.writer import OutputWriter
from builder.render.alternates import check_reciprocal
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
    """Where a link in an article page was written, if it came from the article's Markdown; and where
    a local file that an article shows was named (a missing photo is the article's problem on every
    listing whose teaser shows it)."""
    by_source = {str(a.source): a for a in archive.pages}
    base = archive.config.base_path
    by_file = {base + ref: a for a in archive.pages for ref, size in a.static_refs if size is None}

    def source_of(page: str, made_from: tuple[str, ...], href: str):
        article = by_source.get(made_from[0]) if len(made_from) == 1 else None
        first = article.body_line if article is not None else 1
        if href in by_file and (article is None or href not in {link.href for link in article.body.links}):
            article, href, first = by_file[href], "/" + href[len(base):], 1  # the front matter names it too
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
        for number, text in enumerate(lines[first - 1:], first):
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
    rendered_paths: set[str]
    page_findings: dict[str, list[BuildError]]  # of the pages rendered this time (accepted debts)
    debts: BuildDebts
    recipes: Callable[[], Iterable[tuple[str, bytes]]]  # what the pages rendered this time were made from
    # (incremental.recipes), made while the cache stores them, after the output is committed
    next_change: datetime | None  # see next_change()
    hidden: bool  # the site has a draft or a scheduled article, shown or not (BuildStamp.hidden)
    search_behind: bool  # the search index was kept as it was (BuildOptions.defer_search)


def stage_site(inputs: BuildInputs, cache: BuildCache, lap: Callable[[str], None]) -> StagedSite:
    options, config = inputs.options, inputs.config
    static = _static_files(inputs, cache)
    lap("setup")
    ctx = inputs.content_context({k: v.dimensions for k, v in static.items() if v.dimensions}, frozenset(static))
    articles, problems = read_articles(ctx, inputs.sources, cache, options.jobs, options.progress)
    left_out = bool(problems)
    lap("parse")
    archive = build_archive(config, articles, now=inputs.now, include_drafts=options.drafts,
                            include_future=options.future, left_out=problems)
    problems += [debt for article in articles for debt in article.debts]
    lap("archive")

    files = copied_files(config, inputs.theme, static, {ref for a in archive.pages for ref, _ in a.static_refs},
                         cache.file_digest)
    images = plan_site_images(config, archive, files, static)
    rewriter = UrlRewriter(config, files)
    bodies = lambda article: cache.body(str(article.source))
    env_key = fingerprint(environment_key(inputs.config_text, inputs.theme, config, inputs.code),
                          sorted(f.output_path for f in files.values() if f.origin == "theme asset"))
    renderer = Renderer(archive, inputs.theme, bodies, env_key, rewriter, rewriter.names,
                        bytecode_dir=inputs.templates_cache, images=images)
    writer = OutputWriter(options.output, config.precompress_min_bytes if config.precompress else None,
                          reuse=not options.clean)
    links = LinkChecker(config.base_path, _body_link_source(archive), known_ids=cache.page_ids,
                        outside=config.links_outside)
    try:
        generated_images = list(image_jobs(images))
        generated = {job.path for job in generated_images}
        pages = list(chain(article_jobs(renderer), listing_jobs(renderer),
                           feed_jobs(archive, bodies, env_key, rewriter), sitemap_jobs(archive)))
        copies = list(copy_jobs(files)) + ([headers_file_job(config, files, generated)] if config.headers_file else [])
        _check_aliases(archive, pages, copies)
        jobs = merge_copies(pages + generated_images, copies)
        del generated_images, pages
        if errors := check_reciprocal(renderer.alternates, config.site_dir / CONFIG_NAME):
            raise BuildFailed(errors)
        lap("plan")
        links.expect(job.path for job in jobs)
        page_count = len(jobs)
        dirty, kept = _keep_current(jobs, writer, links)
        del jobs
        made, failures = make_images(images, {job.path for job in dirty if job and job.path in generated}, writer,
                                     links, options.jobs, options.progress)
        lap("images")
        rendered_paths, new_ids, page_findings = _render([job for job in dirty if job and job.path not in generated],
                                                         renderer, writer, links, inputs)
        rendered_paths |= made
        problems += image_errors(config, archive.pages, failures)
        problems += [error for found in page_findings.values() for error in found]
        problems += cache.page_findings(kept)  # a kept page's accepted debts are still there
        lap("render")
        search_behind = config.search.enabled and options.defer_search
        if search_behind:
            keep_search_index(writer)  # brought up to date later (build.search.SearchCatchUp)
        elif config.search.enabled:
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
            for error in links.errors(left_out=left_out):
                problems.append(error)
                page = str(error.path)
                if page in rendered_paths:  # from a template: kept with the page's findings
                    page_findings.setdefault(page, []).append(error)
        debts = judge_build(problems, inputs.baseline, archive, parsed=[e.name for e in inputs.sources],
                            links_checked=options.check_links)
        judgement = debts.judgement
        failing = [e for e in judgement.new if not options.survey or e.debt is None]
        if failing:
            note = summary_line(judgement) if judgement.known else ""
            raise BuildFailed(failing, note + ("; " if note and judgement.fixed else "")
                              + (fixed_line(judgement) if judgement.fixed else ""))
        lap("check")
    except BaseException:
        writer.abort()
        raise
    recipes = lambda: chain(article_recipes(renderer, rendered_paths), feed_recipes(archive, rendered_paths),
                            build_recipe(files, env_key, ctx), search_recipe(archive))
    return StagedSite(archive, writer, page_count, len(rendered_paths), new_ids, rendered_paths, page_findings, debts,
                      recipes, next_change(articles, inputs.now),
                      any(a.draft or a.published.value > inputs.now for a in articles) or left_out, search_behind)


def _check_aliases(archive: Archive, generated: list[PageJob], copies: list[PageJob]) -> None:
    """An alias at the address of a page the site makes (/feed.xml, /politics/) or of a copied
    file is an error naming the alias and its line; it used to be reported as two pages at one
    address, made from every article the other page lists."""
    aliases = {output_file(alias): (article, alias) for article in archive.pages for alias in article.aliases}
    if not aliases:
        return
    counts = Counter(job.path for job in chain(generated, copies) if job.path in aliases)
    errors = []
    for path, count in sorted(counts.items()):
        if count > 1:
            article, alias = aliases[path]
            errors.append(BuildError(article.source, _line_of(archive, article, alias), "aliases",
                                     f"'/{alias}' is the address of a page or file the site makes",
                                     "give the old address it really had, or remove the alias"))
    if errors:
        raise BuildFailed(errors)


def _line_of(archive: Archive, article: Article, text: str) -> int | None:
    """The first line of an article's front matter that mentions `text`, for an error."""
    try:
        lines = (archive.config.site_dir / article.source).read_text(encoding="utf-8-sig").splitlines()
    except OSError:
        return None
    return next((number for number, line in enumerate(lines[:article.body_line], 1) if text in line), None)


def _static_files(inputs: BuildInputs, cache: BuildCache) -> dict[str, StaticFile]:
    """static/ listed, with each image's size measured once (the cache keeps it for later builds)."""
    measured = cache.image_sizes()
    static = scan_static(inputs.config.static_dir, measured, inputs.config.site_dir)
    cache.store_image_sizes(static, measured)
    return static


def _keep_current(jobs: list[PageJob], writer: OutputWriter,
                  links: LinkChecker) -> tuple[list[PageJob | None], set[str]]:
    """The jobs whose page must be rendered; the pages that stay as the last build wrote them."""
    dirty: list[PageJob | None] = []
    kept: set[str] = set()
    for job in jobs:
        if writer.is_current(job.path, job.key):
            writer.keep(job.path, job.key, job.made_from)
            links.add_file(job.path)
            kept.add(job.path)
        else:
            dirty.append(job)
    return dirty, kept


def _render(dirty: list[PageJob | None], renderer: Renderer, writer: OutputWriter, links: LinkChecker,
            inputs: BuildInputs) -> tuple[set[str], dict[str, tuple[str, ...]], dict[str, list[BuildError]]]:
    """Render and check the dirty pages in the workers, stage them in order: (paths, ids of each page,
    what the page checks found on each page that has a finding)."""
    global _RENDER_JOBS, _RENDERER, _CHECK_SETTINGS
    options = inputs.options
    _RENDER_JOBS, _RENDERER = dirty, renderer
    _CHECK_SETTINGS = (inputs.config.site_dir, frozenset(inputs.config.audit.allow))
    rendered_paths: set[str] = set()
    new_ids: dict[str, tuple[str, ...]] = {}
    found: dict[str, list[BuildError]] = {}
    try:
        with closing(ordered_map(_render_one, range(len(dirty)), options.jobs, chunksize=8)) as results:
            for index, (page, scan, findings) in enumerate(results):
                # A job is dropped once its page is staged (the workers have their own copies), and
                # the page's path is the job's string: one copy of each path stays, not one a dict.
                job, dirty[index] = dirty[index], None
                assert job is not None
                if page.path == job.path:
                    page = OutputPage(job.path, page.content, page.source, page.made_from)
                writer.stage(page, job.key)
                rendered_paths.add(job.path)
                report_progress(options.progress, "render", len(rendered_paths), len(dirty))
                if findings:
                    found[job.path] = findings
                if scan is not None:
                    new_ids[page.path] = links.add_page(page.path, scan, page.made_from)
                else:
                    links.add_file(page.path)
    finally:
        _RENDER_JOBS, _RENDERER = [], None
    return rendered_paths, new_ids, found
