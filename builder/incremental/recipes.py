"""Recipes: what the full build rendered each article page and feed from, for rebuilds without the archive.

A body-only rebuild (build.bodies) renders an article's page and the feeds that carry its body
again without building the archive: it takes what those files showed besides the article from
here. The full build stores a recipe for every article page and feed it renders, one at a time
as the cache takes them; each stays valid until the next full build replaces it. A recipe is
only a hint: the rebuild checks that it still gives the key recorded for the file it made, and
gives up (the full build runs) when it does not.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

from builder.content.archive import Archive, ArticleLinks, Listing
from builder.content.article import Article, ContentContext
from builder.content.urls import output_file
from builder.incremental.cache import BuildCache, without_body
from builder.render.assets import CopiedFile
from builder.render.feeds import FEED_FORMATS, feed_entries
from builder.render.renderer import Renderer

BUILD_KEY = "build"
SEARCH_KEY = "search"
FEED_PREFIX = "feed:"

# (previous, next, related) of an article, each named by its source file.
Neighbours = tuple[str | None, str | None, tuple[str, ...]]


class RecipeStale(Exception):
    """A recipe names an article the cache no longer holds: the full build must run."""


@dataclass(frozen=True)
class ArticleRecipe:
    """What an article page shows besides the article itself.

    Neighbours are named by source file, not copied: one copy of each article's metadata is in
    the cache already, and 100,000 recipes holding ~7 copies each would cost gigabytes. If a
    neighbour changed since, the page's key no longer matches and the full build runs."""

    links: Neighbours | None
    listed: frozenset[str]  # tag and author pages that exist (an expired article's may not)
    translations: tuple[str, ...] = ()  # the article and its translations, by source, as archive.translations

    def translation_group(self, cache: BuildCache, article: Article) -> tuple[Article, ...]:
        """The article's translations as the cache holds them now, with `article` itself in its place."""
        group = []
        for name in self.translations:
            if name == str(article.source):
                group.append(article)
                continue
            cached = cache.article(name)
            if cached is None:
                raise RecipeStale(name)
            group.append(without_body(cached.article))
        return tuple(group)

    def neighbours(self, cache: BuildCache) -> ArticleLinks | None:
        """The neighbours as the cache holds them now. Raises RecipeStale when one is gone."""
        if self.links is None:
            return None
        previous, next_, related = self.links
        found = {}
        for name in {n for n in (previous, next_, *related) if n}:
            cached = cache.article(name)
            if cached is None:
                raise RecipeStale(name)
            found[name] = without_body(cached.article)
        return ArticleLinks(found.get(previous) if previous else None, found.get(next_) if next_ else None,
                            tuple(found[n] for n in related))


@dataclass(frozen=True)
class FeedRecipe:
    listing: Listing  # articles: the feed's entries only, bodies left out


@dataclass(frozen=True)
class SearchRecipe:
    """The articles the search index holds, in order, by source file (search.documents)."""

    sources: tuple[str, ...]


@dataclass(frozen=True)
class BuildRecipes:
    """Stored by the full build; shared by every body edit until the next full build.

    A body edit runs only when nothing outside content/ changed since (the caller compares the
    stamps), so the static files are the ones that build listed and measured: they are taken from
    here, not listed again (an archive has a photo or more per article)."""

    files: Mapping[str, CopiedFile]  # by site path, as the full build copied them
    environment_key: str
    static_paths: frozenset[str]  # as the full build's ContentContext had them
    image_sizes: Mapping[str, tuple[int, int]]


# Made by the full build ----------------------------------------------------------------------------

def article_recipes(renderer: Renderer, paths: set[str]) -> Iterator[tuple[str, bytes]]:
    """Recipes of the article pages among `paths` (output files rendered this build), by source.

    Made one at a time, as the cache stores them: never all in memory at once."""
    archive = renderer.archive
    for article in archive.pages:
        if output_file(article.path) in paths:
            listed = frozenset(p for p in renderer.article_listing_paths(article) if p in renderer.listed_paths)
            group = archive.translations.get(article.path, ())
            recipe = ArticleRecipe(_neighbour_names(archive.links.get(article.path)), listed,
                                   tuple(str(a.source) for a in group))
            yield str(article.source), pickle.dumps(recipe, protocol=5)


def feed_recipes(archive: Archive, paths: set[str]) -> Iterator[tuple[str, bytes]]:
    """Recipes of the feeds among `paths` (output files rendered this build), by listing path."""
    for listing in archive.listings:
        if any(listing.path + name in paths for name, _, _ in FEED_FORMATS):
            entries = tuple(without_body(a) for a in feed_entries(listing, archive.config))
            yield feed_recipe(replace(listing, articles=entries))


def feed_recipe(listing: Listing) -> tuple[str, bytes]:
    """A feed's recipe as the cache stores it; `listing` holds the feed's entries without bodies."""
    return FEED_PREFIX + listing.path, pickle.dumps(FeedRecipe(listing), protocol=5)


def build_recipe(files: Mapping[str, CopiedFile], environment_key: str,
                 ctx: ContentContext) -> Iterator[tuple[str, bytes]]:
    recipes = BuildRecipes(files, environment_key, ctx.static_paths, dict(ctx.image_sizes))
    yield BUILD_KEY, pickle.dumps(recipes, protocol=5)


def search_recipe(archive: Archive) -> Iterator[tuple[str, bytes]]:
    """The search index's articles, when the site has search."""
    if archive.config.search.enabled:
        yield SEARCH_KEY, pickle.dumps(SearchRecipe(tuple(str(a.source) for a in archive.pages)), protocol=5)


def _neighbour_names(links: ArticleLinks | None) -> Neighbours | None:
    if links is None:
        return None
    previous, next_ = links.previous, links.next
    return (str(previous.source) if previous else None, str(next_.source) if next_ else None,
            tuple(str(a.source) for a in links.related))


# Read by the body-only rebuild ---------------------------------------------------------------------

def _load(cache: BuildCache, key: str, kind: type):
    blob = cache.recipe(key)
    if blob is None:
        return None
    try:
        recipe = pickle.loads(blob)
    except (pickle.UnpicklingError, EOFError, AttributeError, TypeError, ImportError):
        return None
    return recipe if isinstance(recipe, kind) else None


def load_build_recipes(cache: BuildCache) -> BuildRecipes | None:
    return _load(cache, BUILD_KEY, BuildRecipes)


def load_article_recipe(cache: BuildCache, source: str) -> ArticleRecipe | None:
    return _load(cache, source, ArticleRecipe)


def load_search_recipe(cache: BuildCache) -> SearchRecipe | None:
    return _load(cache, SEARCH_KEY, SearchRecipe)


def load_feed_recipe(cache: BuildCache, listing_path: str) -> FeedRecipe | None:
    return _load(cache, FEED_PREFIX + listing_path, FeedRecipe)
