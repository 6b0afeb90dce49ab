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
- the new page has other element ids than before (links elsewhere may point at them);
- the edit touches an accessibility or link problem: the article or its page had one or has one
  now (the full build judges every problem of the site against the baseline at once).

With search, the index holds every body: it is made again from the cached articles and bodies
and the edited ones, in the order the full build recorded (build.search); a preview's build
(`defer_search`) leaves that for later.

Unlike the full build it does not walk the output folder for stray files; the next build with
nothing changed does (builder.incremental.stamp).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from builder.build.context import BuildInputs
from builder.build.options import Outcome, size_warnings
from builder.build.search import stage_search_index
from builder.checks.links import LinkChecker
from builder.checks.page import inspect_page
from builder.config.search import BUNDLE_FOLDER
from builder.content.archive import Archive, Listing
from builder.content.article import Article
from builder.content.parse import parse_article
from builder.errors import BuildError
from builder.incremental.cache import BuildCache, CachedArticle, without_body
from builder.incremental.changes import Changes
from builder.incremental.recipes import (
    BuildRecipes,
    RecipeStale,
    feed_recipe,
    load_article_recipe,
    load_build_recipes,
    load_feed_recipe,
    load_search_recipe,
)
from builder.incremental.stamp import BuildStamp
from builder.output.manifest import Manifest, ManifestEntry, ManifestMissing, ManifestUnreadable
from builder.output.writer import ENCODINGS, OutputWriter
from builder.render.assets import UrlRewriter
from builder.render.feeds import feed_jobs
from builder.render.images import ImagePlan, lead_images, plan_images
from builder.render.jobs import Bodies, PageJob
from builder.render.renderer import Renderer
from builder.search.documents import SearchDocument, search_document


@dataclass(frozen=True)
class _Edit:
    """An edited article file: parsed anew, and as the cache holds it from the last build."""

    name: str
    size: int
    mtime_ns: int
    digest: str
    article: Article
    old: CachedArticle


class _GiveUp(Exception):
    """The body-only way cannot be sure; the full build runs (and reports any problem)."""


def rebuild_bodies(inputs: BuildInputs, cache: BuildCache, recorded: BuildStamp, changes: Changes) -> Outcome | None:
    """Redo what edits to article bodies changed, or None when the full build must run."""
    recipes = load_build_recipes(cache)
    if recipes is None:
        return None
    try:
        manifest = Manifest(inputs.options.output)
    except (ManifestMissing, ManifestUnreadable):
        return None
    try:
        with manifest:
            return _BodyRebuild(inputs, cache, recipes, manifest).run(recorded, changes)
    except (_GiveUp, RecipeStale):
        return None


class _BodyRebuild:
    def __init__(self, inputs: BuildInputs, cache: BuildCache, recipes: BuildRecipes, manifest: Manifest):
        self.inputs, self.cache, self.recipes, self.manifest = inputs, cache, recipes, manifest
        self.config = inputs.config
        self.rewriter = UrlRewriter(self.config, recipes.files)
        self.new_bodies: dict[str, str] = {}

    def run(self, recorded: BuildStamp, changes: Changes) -> Outcome:
        edits = [self._parse(entry.name, entry.size, entry.mtime_ns, source) for entry, source in changes.edited]
        self.new_bodies = {str(e.article.source): e.article.body.html for e in edits}
        pairs = [self._article_pair(edit) for edit in edits]  # (job as the last build made it, job now)
        feed_pairs, feed_recipes = self._feed_pairs({e.name: e.article for e in edits})
        pairs += feed_pairs
        previous = self.manifest.entries_for([job.path + ext for job, _ in pairs
                                              for ext in ("", *(e for e, _ in ENCODINGS))])
        for old_job, new_job in pairs:
            before = previous.get(old_job.path)
            if before is None or before.key != old_job.key or old_job.path != new_job.path:
                raise _GiveUp("the recipe is not what made the file")
        redo = [new_job for _, new_job in pairs]
        # A preview leaves the index behind (build.search.SearchCatchUp): the page is shown first.
        documents = None if self.inputs.options.defer_search else self._search_documents(
            {str(e.article.source): e.article for e in edits})
        if documents is not None:
            previous.update(self.manifest.entries_under(f"{BUNDLE_FOLDER}/"))
        report, files, new_ids = self._render(redo, previous, documents)
        cache = self.cache
        cache.store([(e.name, e.size, e.mtime_ns, e.digest, e.article) for e in edits])
        cache.touch(changes.touched)
        cache.store_page_ids(new_ids, ())
        cache.store_recipes(feed_recipes)
        return Outcome(report, recorded.pages, len(redo), recorded.articles, files,
                       warnings=size_warnings((e.article for e in edits), self.config))

    def _parse(self, name: str, size: int, mtime_ns: int, source) -> _Edit:
        recipes = self.recipes
        ctx = self.inputs.content_context(recipes.image_sizes, recipes.static_paths)
        article = parse_article(source, ctx)
        if not isinstance(article, Article):
            raise _GiveUp("errors: the full build reports them all, with every other problem")
        old = self.cache.article(name)
        if old is None or not _same_metadata(without_body(article), old.article):
            raise _GiveUp("metadata changed")
        return _Edit(name, size, mtime_ns, source.digest, article, old)

    def _new_body(self, article: Article) -> str:
        return self.new_bodies.get(str(article.source)) or self.cache.body(str(article.source))

    def _old_body(self, article: Article) -> str:
        return self.cache.body(str(article.source))

    def _article_pair(self, edit: _Edit) -> tuple[PageJob, PageJob]:
        recipe = load_article_recipe(self.cache, edit.name)
        if recipe is None:
            raise _GiveUp("no recipe")
        links = recipe.neighbours(self.cache)
        old, new = (self._article_job(version, bodies, links, recipe.listed,
                                      recipe.translation_group(self.cache, version))
                    for version, bodies in ((edit.old.article, self._old_body), (edit.article, self._new_body)))
        return old, new

    def _article_job(self, article: Article, bodies: Bodies, links, listed: frozenset[str],
                     translations: tuple[Article, ...]) -> PageJob:
        stub = Archive(config=self.config, now=self.inputs.now, pages=(article,), articles=(article,), listings=(),
                       links={article.path: links} if links else {}, years={},
                       translations={a.path: translations for a in translations})
        renderer = Renderer(stub, self.inputs.theme, bodies, self.recipes.environment_key, self.rewriter,
                            self.rewriter.names, listed_paths=listed, bytecode_dir=self.inputs.templates_cache,
                            images=self._images(article, links))
        return renderer.article_job(article)

    def _images(self, article: Article, links) -> ImagePlan:
        """The generated images the article shows, as the full build planned them (the same inputs:
        nothing outside content/ changed since, and the article shows the same files), with the lead
        images of the neighbours it links to (their pictures are part of the page and its key: without
        them every body edit of an archive with lead images gave up for the full way). Only their names
        are needed: the files are in the output already."""
        neighbours = [a for a in (links.previous, links.next, *links.related) if a] if links else []
        shown = [ref for ref, _ in article.static_refs] + [path for path, _ in lead_images(neighbours)]
        plan = plan_images(self.config.images, self.config.base_url, self.config.base_path, self.recipes.files,
                           self.recipes.image_sizes, shown, lead_images([article]))
        if plan.unreadable or plan.problems:
            raise _GiveUp("an image needs the full build's checks")
        return plan

    def _feed_pairs(self, edited: dict[str, Article]) -> tuple[list[tuple[PageJob, PageJob]], list[tuple[str, bytes]]]:
        """The feeds that carry an edited article, as last built and now; and their new recipes."""
        listings = sorted({path.removesuffix("feed.json") for name in edited
                           for path in self.manifest.paths_made_from(name, "feed.json")})
        pairs: list[tuple[PageJob, PageJob]] = []
        recipes = []
        for path in listings:
            recipe = load_feed_recipe(self.cache, path)
            if recipe is None:
                raise _GiveUp("no recipe")
            listing = recipe.listing
            now_entries = tuple(without_body(edited.get(str(a.source), a)) for a in listing.articles)
            old_jobs, new_jobs = (self._feed_jobs(listing, entries, bodies)
                                  for entries, bodies in ((listing.articles, self._old_body),
                                                          (now_entries, self._new_body)))
            pairs.extend(zip(old_jobs, new_jobs, strict=True))
            recipes.append(feed_recipe(replace(listing, articles=now_entries)))
        return pairs, recipes

    def _feed_jobs(self, listing: Listing, entries: tuple[Article, ...], bodies: Bodies) -> list[PageJob]:
        stub = Archive(config=self.config, now=self.inputs.now, pages=entries, articles=entries,
                       listings=(replace(listing, articles=entries),), links={}, years={})
        return list(feed_jobs(stub, bodies, self.recipes.environment_key, self.rewriter))

    def _search_documents(self, edited: dict[str, Article]) -> Callable[[], Iterator[SearchDocument]] | None:
        """The search documents as a full build would make them now, or None without search."""
        if not self.config.search.enabled:
            return None
        recipe = load_search_recipe(self.cache)
        if recipe is None:
            raise _GiveUp("no recipe")
        cache, config = self.cache, self.config

        def documents() -> Iterator[SearchDocument]:
            for name in recipe.sources:
                article = edited.get(name)
                if article is None:
                    cached = cache.article(name)
                    if cached is None:
                        raise RecipeStale(name)
                    article = cached.article
                yield search_document(article, self._new_body(article), config)

        return documents

    def _render(self, redo: list[PageJob], previous: dict[str, ManifestEntry],
                search: Callable[[], Iterator[SearchDocument]] | None):
        """Render, check and commit the pages: (report, files in the manifest now, ids of each page)."""
        config, options, cache = self.config, self.inputs.options, self.cache
        writer = OutputWriter(options.output, config.precompress_min_bytes if config.precompress else None,
                              previous=previous)
        links = LinkChecker(config.base_path, lambda page, made_from, href: None, known_ids=cache.page_ids,
                            known_file=self.manifest.has, outside=config.links_outside)
        errors: list[BuildError] = []
        new_ids: dict[str, tuple[str, ...]] = {}
        try:
            for job in redo:
                page = job.make()
                if page.content is not None and page.path.endswith(".html"):
                    scan, findings = inspect_page(page.path, page.content, page.made_from, site_dir=config.site_dir)
                    errors += [f.as_build_error() for f in findings if f.rule not in config.audit.allow]
                    if errors or cache.has_page_findings(page.path):
                        raise _GiveUp("the full build judges accessibility problems against the baseline")
                    if cache.page_ids(page.path) != scan.ids:
                        raise _GiveUp("anchors changed: links from other pages must be checked again")
                    new_ids[page.path] = tuple(sorted(scan.ids))
                    if options.check_links:
                        links.add_page(page.path, scan, page.made_from)
                writer.stage(page, job.key)
            if search is not None:
                stage_search_index(search, writer)
            if options.check_links and links.errors():
                raise _GiveUp("the full build names the line in the Markdown file")
        except BaseException:
            writer.abort()
            raise
        report, files = writer.commit_changes()
        report.unchanged = files - len(report.written)
        return report, files, new_ids


def _same_metadata(new: Article, old: Article) -> bool:
    # The body's size only decides whether feed items carry it, and those feeds are made again here.
    return replace(new, digest=old.digest, body=old.body, body_line=old.body_line, body_bytes=old.body_bytes) == old
