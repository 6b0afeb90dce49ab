"""Rebuilding after edits to article bodies, without the archive: the common edit, made fast.

A reporter fixing a sentence changes one article's body and nothing a listing shows. Then only
two kinds of output can change: the article's own page and the feeds that carry its body (every
other file's fingerprint leaves the body out, so a full build would not touch them either). This
module redoes exactly those from recipes the full build stored when it last rendered them (the
article's neighbours and listed paths; each feed's listing and entries), so the work does not
grow with the archive.

It gives up, and the full build runs, whenever it cannot be sure:
- anything besides Markdown files changed (site.yaml, templates, theme, static files, code,
  options), a file was added, removed or renamed, or the clock passed a scheduled moment;
- an edited article's metadata changed (title, date, tags, summary, image, files it shows, ...);
- a recipe is missing, or no longer gives the key recorded for the file it made;
- the new page has other element ids than before (links elsewhere may point at them).

Unlike the full build it does not walk the output folder for stray files; the next build with
nothing changed does (builder.incremental.stamp).
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Iterator

from builder.content.archive import Archive, ArticleLinks, Listing
from builder.render.assets import UrlRewriter
from builder.incremental.cache import BuildCache, CachedArticle, without_body
from builder.incremental.changes import Changes
from builder.checks.links import LinkChecker
from builder.checks.page import inspect_page
from builder.config.site import SiteConfig
from builder.content.article import Article, ContentContext, parse_article
from builder.errors import BuildFailed
from builder.output.manifest import Manifest, ManifestMissing, ManifestUnreadable
from builder.render.feeds import feed_entries, feed_jobs
from builder.render.feeds import FEED_FORMATS
from builder.render.renderer import Renderer
from builder.content.urls import output_file
from builder.render.templates import Theme
from builder.output.layout import TEMPLATE_CACHE
from builder.output.writer import ENCODINGS, OutputWriter

if TYPE_CHECKING:
    from builder.build.pipeline import BuildOptions



@dataclass(frozen=True)
class ArticleRecipe:
    """What an article page shows besides the article itself.

    Neighbours are named by source file, not copied: one copy of each article's metadata is in
    the cache already, and 100,000 recipes holding ~7 copies each would cost gigabytes. If a
    neighbour changed since, the page's key no longer matches and the full build runs."""

    links: tuple[str | None, str | None, tuple[str, ...]] | None  # previous, next, related
    listed: frozenset[str]  # tag and author pages that exist (an expired article's may not)


@dataclass(frozen=True)
class FeedRecipe:
    listing: Listing  # articles: the feed's entries only, bodies left out


@dataclass(frozen=True)
class BuildRecipes:
    """Stored by the full build; shared by every body edit until the next full build.

    A body edit runs only when nothing outside content/ changed since (the caller compares the
    stamps), so the static files are the ones that build listed and measured: they are taken from
    here, not listed again (an archive has a photo or more per article)."""

    files: dict  # site path -> CopiedFile, as the full build copied them
    environment_key: str
    static_paths: frozenset[str]  # as the full build's ContentContext had them
    image_sizes: dict[str, tuple[int, int]]


def article_recipes(renderer: Renderer, paths: set[str]) -> Iterator[tuple[str, bytes]]:
    """Recipes of the article pages among `paths` (output files rendered this build), by source.

    Made one at a time, as the cache stores them: never all in memory at once."""
    archive = renderer.archive
    for article in archive.pages:
        if output_file(article.path) in paths:
            listed = frozenset(p for p in renderer.article_listing_paths(article) if p in renderer.listed_paths)
            recipe = ArticleRecipe(_link_names(archive.links.get(article.path)), listed)
            yield str(article.source), pickle.dumps(recipe, protocol=5)


def feed_recipes(archive: Archive, paths: set[str]) -> Iterator[tuple[str, bytes]]:
    """Recipes of the feeds among `paths` (output files rendered this build), by listing path."""
    for listing in archive.listings:
        if any(listing.path + name in paths for name, _, _ in FEED_FORMATS):
            entries = tuple(without_body(a) for a in feed_entries(listing, archive.config))
            yield "feed:" + listing.path, pickle.dumps(FeedRecipe(replace(listing, articles=entries)), protocol=5)


def build_recipe(files: dict, environment_key: str, ctx: ContentContext) -> Iterator[tuple[str, bytes]]:
    recipes = BuildRecipes(files, environment_key, ctx.static_paths, dict(ctx.image_sizes))
    yield "build", pickle.dumps(recipes, protocol=5)


def _link_names(links: ArticleLinks | None) -> tuple[str | None, str | None, tuple[str, ...]] | None:
    if links is None:
        return None
    name = lambda a: str(a.source) if a else None  # noqa: E731
    return name(links.previous), name(links.next), tuple(str(a.source) for a in links.related)


def _links_from(names, cache: BuildCache) -> ArticleLinks | None | bool:
    """The neighbours a recipe names, as the cache holds them now; False when one is gone."""
    if names is None:
        return None
    previous, next_, related = names
    found = {}
    for name in {n for n in (previous, next_, *related) if n}:
        cached = cache.article(name)
        if cached is None:
            return False
        found[name] = without_body(cached.article)
    return ArticleLinks(found.get(previous), found.get(next_), tuple(found[n] for n in related))


@dataclass
class BodyEdit:
    report: object
    pages: int
    rendered: int
    articles: int
    files: int  # in the output, as the manifest lists them now


def _same_metadata(new: Article, old: Article) -> bool:
    return replace(new, digest=old.digest, body=old.body, body_line=old.body_line) == old


def rebuild_bodies(options: BuildOptions, config: SiteConfig, theme: Theme, cache: BuildCache, recorded: dict,
                   changes: Changes, table_labels: dict[str, str], now: datetime) -> BodyEdit | None:
    """Redo what edits to article bodies changed, or None when the full build must run."""
    recipes_blob = cache.recipe("build")
    if recipes_blob is None:
        return None
    build_recipes: BuildRecipes = pickle.loads(recipes_blob)
    try:
        manifest = Manifest(options.output)
    except (ManifestMissing, ManifestUnreadable):
        return None
    with manifest:
        return _rebuild(options, config, theme, cache, recorded, changes, table_labels, now, build_recipes, manifest)


def _rebuild(options: BuildOptions, config: SiteConfig, theme: Theme, cache: BuildCache, recorded: dict,
             changes: Changes, table_labels: dict[str, str], now: datetime, build_recipes: BuildRecipes,
             manifest: Manifest) -> BodyEdit | None:
    ctx = ContentContext(config=config, image_sizes=build_recipes.image_sizes,
                         static_paths=build_recipes.static_paths, table_labels=table_labels)
    edits: list[tuple[str, int, int, str, Article, CachedArticle]] = []
    for entry, source in changes.edited:
        article = parse_article(source, ctx)
        if not isinstance(article, Article):
            return None  # errors: the full build reports them all, with every other problem
        old = cache.article(entry.name)
        if old is None or not _same_metadata(without_body(article), old.article):
            return None
        edits.append((entry.name, entry.size, entry.mtime_ns, source.digest, article, old))

    rewriter = UrlRewriter(config, build_recipes.files)
    new_bodies = {str(a.source): a.body.html for _, _, _, _, a, _ in edits}
    bodies = lambda a: new_bodies.get(str(a.source)) or cache.body(str(a.source))  # noqa: E731
    old_bodies = lambda a: cache.body(str(a.source))  # noqa: E731
    key = build_recipes.environment_key
    pairs = []  # (job as the last build made it, job now), to check the recipe, then to render
    for name, _, _, _, article, old in edits:
        recipe_blob = cache.recipe(name)
        if recipe_blob is None:
            return None
        recipe: ArticleRecipe = pickle.loads(recipe_blob)
        links = _links_from(recipe.links, cache)
        if links is False:
            return None
        versions = []
        for version, version_bodies in ((old.article, old_bodies), (article, bodies)):
            stub = Archive(config=config, now=now, pages=(version,), articles=(version,), listings=(),
                           links={version.path: links} if links else {}, years=())
            renderer = Renderer(stub, theme, version_bodies, key, rewriter, rewriter.names, listed_paths=recipe.listed,
                                bytecode_dir=options.output.resolve() / TEMPLATE_CACHE)
            versions.append(renderer.article_job(version))
        pairs.append(tuple(versions))
    edited = {name: article for name, _, _, _, article, _ in edits}
    feed_listings = sorted({path.removesuffix("feed.json") for name in edited
                            for path in manifest.paths_made_from(name, "feed.json")})
    new_feed_recipes = {}
    for path in feed_listings:
        feed_blob = cache.recipe("feed:" + path)
        if feed_blob is None:
            return None
        listing = pickle.loads(feed_blob).listing
        now_entries = tuple(without_body(edited.get(str(a.source), a)) for a in listing.articles)
        versions = []
        for entries, version_bodies in ((listing.articles, old_bodies), (now_entries, bodies)):
            stub = Archive(config=config, now=now, pages=entries, articles=entries,
                           listings=(replace(listing, articles=entries),), links={}, years=())
            versions.append(list(feed_jobs(stub, version_bodies, key, rewriter)))
        pairs.extend(zip(*versions))
        new_feed_recipes["feed:" + path] = pickle.dumps(FeedRecipe(replace(listing, articles=now_entries)), protocol=5)
    previous = manifest.entries_for([job.path + ext for job, _ in pairs for ext in ("", *(e for e, _ in ENCODINGS))])
    redo = []
    for old_job, new_job in pairs:
        if old_job.path not in previous or previous[old_job.path].key != old_job.key or old_job.path != new_job.path:
            return None  # the recipe is not what made the file
        redo.append(new_job)

    writer = OutputWriter(options.output, config.precompress_min_bytes if config.precompress else None,
                          previous=previous)
    links = LinkChecker(config.base_path, lambda page, made_from, href: None, known_ids=cache.page_ids,
                        known_file=manifest.has)
    errors, new_ids = [], {}
    try:
        for job in redo:
            page = job.make()
            if page.content is not None and page.path.endswith(".html"):
                scan, findings = inspect_page(page.path, page.content, page.made_from, site_dir=config.site_dir)
                errors += [f.as_build_error() for f in findings if f.rule not in config.audit.allow]
                if cache.page_ids(page.path) != scan.ids:
                    writer.abort()
                    return None  # anchors changed: links from other pages must be checked again
                new_ids[page.path] = scan.ids
                if options.check_links:
                    links.add_page(page.path, scan, page.made_from)
            writer.stage(page, job.key)
        if errors:
            raise BuildFailed(errors)
        if options.check_links and links.errors():
            writer.abort()
            return None  # the full build names the line in the Markdown file
    except BaseException:
        writer.abort()
        raise
    report, files = writer.commit_changes()
    report.unchanged = files - len(report.written)
    cache.store([(name, size, mtime, digest, article) for name, size, mtime, digest, article, _ in edits])
    cache.touch(changes.touched)
    cache.store_page_ids(new_ids, ())
    cache.store_recipes(new_feed_recipes.items())
    return BodyEdit(report, recorded["pages"], len(redo), recorded["articles"], files)
