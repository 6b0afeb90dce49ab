"""list[Article] -> Archive: what is published, every listing that shows it, and how articles link.

Metadata only; pure. "Now" is an input, so a build is a function of its inputs and tests can
stand at any moment in time.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from itertools import chain
from math import ceil
from operator import attrgetter
from types import MappingProxyType

from builder.config.editions import Edition
from builder.config.site import SiteConfig
from builder.content.article import TAG_CLASH_HINT, Article, AuthorRef, same_tag_name
from builder.content.translations import find_translations
from builder.errors import BuildError, BuildFailed

LISTING_KINDS = ("home", "section", "tag", "author", "year", "month", "day")


@dataclass(frozen=True)
class Listing:
    kind: str  # one of LISTING_KINDS
    key: str  # section, tag or author key; "2023", "2023/12", "2023/12/08" for dates; "" for home
    name: str  # what the listing is of: section title, tag as written, author name, or the date key
    description: str
    path: str  # site-relative path of its first page, e.g. "tags/elections/" or "en/tags/elections/"
    articles: tuple[Article, ...]  # newest first
    edition: str = ""  # code of the edition it belongs to
    text_lang: str = ""  # the language of name and description when not the edition's (a fallback)

    def page_count(self, per_page: int) -> int:
        return max(1, ceil(len(self.articles) / per_page))

    def page_path(self, number: int) -> str:
        return self.path if number == 1 else f"{self.path}page/{number}/"

    def page(self, number: int, per_page: int) -> tuple[Article, ...]:
        return self.articles[(number - 1) * per_page : number * per_page]


@dataclass(frozen=True)
class ArticleLinks:
    previous: Article | None  # older article in the same section
    next: Article | None  # newer article in the same section
    related: tuple[Article, ...]


@dataclass(frozen=True)
class MonthCount:
    year: int
    month: int
    count: int
    path: str


@dataclass(frozen=True)
class YearCount:
    year: int
    count: int
    path: str
    months: tuple[MonthCount, ...]


@dataclass(frozen=True)
class Archive:
    config: SiteConfig
    now: datetime
    pages: tuple[Article, ...]  # every article that gets a page, newest first (expired ones too)
    articles: tuple[Article, ...]  # listed articles: the pages minus the expired, newest first
    listings: tuple[Listing, ...]
    links: dict[str, ArticleLinks]  # by article path
    years: Mapping[str, tuple[YearCount, ...]]  # by edition code, newest first
    # By article path: the article and its translations, in the order of the editions (see
    # find_translations). Articles without translations are not in it.
    translations: Mapping[str, tuple[Article, ...]] = field(default_factory=lambda: MappingProxyType({}))

    def listing(self, kind: str, key: str = "", edition: str | None = None) -> Listing | None:
        """A listing of an edition (the default edition's when none is named)."""
        code = self.config.default_edition.code if edition is None else edition
        return self._listings.get((code, kind, key))

    @cached_property
    def _listings(self) -> dict[tuple[str, str, str], Listing]:
        default = self.config.default_edition.code
        return {(listing.edition or default, listing.kind, listing.key): listing for listing in self.listings}

    def years_of(self, edition: str) -> tuple[YearCount, ...]:
        return self.years.get(edition, ())

    def alternates(self, listing: Listing) -> tuple[Listing, ...]:
        """The same listing in every edition that has it, in the order of the editions."""
        found = (self._listings.get((e.code, listing.kind, listing.key)) for e in self.config.editions)
        return tuple(other for other in found if other is not None)

    def is_expired(self, article: Article) -> bool:
        return article.expires is not None and article.expires.value <= self.now


def newest_first(articles) -> list[Article]:
    return sorted(articles, key=lambda a: (a.published.value, a.path), reverse=True)


def is_visible(article: Article, now: datetime, drafts: bool, future: bool) -> bool:
    return (drafts or not article.draft) and (future or article.published.value <= now)


def build_archive(config: SiteConfig, articles: list[Article], *, now: datetime,
                  include_drafts: bool = False, include_future: bool = False,
                  left_out: list[BuildError] | None = None) -> Archive:
    """The archive of the visible articles. Two articles at one address raise BuildFailed, or, with
    `left_out`, leave the later ones (by file name) out with their errors added to it."""
    pages = newest_first(a for a in articles if is_visible(a, now, include_drafts, include_future))
    errors, clashing = _clashes(pages)
    errors += _tag_clashes(pages, config.default_edition.code)
    prefix_errors, misplaced = _prefix_clashes(config, pages)
    errors += prefix_errors
    clashing |= misplaced
    if errors and left_out is None:
        raise BuildFailed(errors)
    if errors and left_out is not None:
        left_out.extend(errors)
        pages = [a for a in pages if a.source not in clashing]
    listed = [a for a in pages if not (a.expires and a.expires.value <= now)]

    default = config.default_edition.code
    pages_of: dict[str, list[Article]] = defaultdict(list)
    listed_of: dict[str, list[Article]] = defaultdict(list)
    for article in pages:
        pages_of[article.edition or default].append(article)
    for article in listed:
        listed_of[article.edition or default].append(article)
    listings: list[Listing] = []
    links: dict[str, ArticleLinks] = {}
    years: dict[str, tuple[YearCount, ...]] = {}
    for edition in config.editions:
        found = _edition_listings(config, edition, listed_of[edition.code])
        listings += found.listings
        links.update(_article_links(pages_of[edition.code], found.by_section, found.by_tag, config.related_articles))
        years[edition.code] = _year_counts(found.by_date, edition.prefix)

    return Archive(
        config=config,
        now=now,
        pages=tuple(pages),
        articles=tuple(listed),
        listings=tuple(listings),
        links=links,
        years=MappingProxyType(years),
        translations=MappingProxyType(find_translations(config, pages)),
    )


@dataclass
class _EditionListings:
    listings: list[Listing]
    by_section: dict[str, list[Article]]
    by_tag: dict[str, list[Article]]
    by_date: dict[tuple[str, str], list[Article]]


def _edition_listings(config: SiteConfig, edition: Edition, listed: list[Article]) -> _EditionListings:
    """Every listing of one edition: home, sections, tags, authors and dates, under its prefix."""
    by_section: dict[str, list[Article]] = defaultdict(list)
    by_tag: dict[str, list[Article]] = defaultdict(list)
    tag_names: dict[str, str] = {}
    by_author: dict[str, list[Article]] = defaultdict(list)
    authors: dict[str, AuthorRef] = {}
    by_date: dict[tuple[str, str], list[Article]] = defaultdict(list)
    tz = edition.timezone
    for article in listed:
        by_section[article.section].append(article)
        for tag in article.tags:
            by_tag[tag.key].append(article)
            tag_names.setdefault(tag.key, tag.name)
        for author in article.authors:
            by_author[author.key].append(article)
            authors.setdefault(author.key, author)
        local = article.published.value.astimezone(tz)
        y, m, d = f"{local.year:04d}", f"{local.month:02d}", f"{local.day:02d}"
        for kind, key in (("year", y), ("month", f"{y}/{m}"), ("day", f"{y}/{m}/{d}")):
            by_date[(kind, key)].append(article)

    code, path = edition.code, edition.path
    listings = [Listing("home", "", edition.title, edition.description, path(""), tuple(listed), code)]
    for section in edition.sections:
        listings.append(Listing("section", section.key, section.title, section.description, path(f"{section.key}/"),
                                tuple(by_section[section.key]), code, "" if section.lang == code else section.lang))
    for key in sorted(by_tag):
        listings.append(Listing("tag", key, tag_names[key], "", path(f"tags/{key}/"), tuple(by_tag[key]), code))
    for key in sorted(by_author):
        named = edition.authors.get(key)
        bio_lang = named.lang if named and named.lang != code else ""
        listings.append(Listing("author", key, authors[key].name, authors[key].bio, path(f"authors/{key}/"),
                                tuple(by_author[key]), code, bio_lang))
    for (kind, key), members in sorted(by_date.items(), key=lambda item: item[0][1], reverse=True):
        listings.append(Listing(kind, key, key, "", path(f"{key}/"), tuple(members), code))
    return _EditionListings(listings, by_section, by_tag, by_date)


def _article_links(pages, by_section, by_tag, related_count: int) -> dict[str, ArticleLinks]:
    position = {}
    for members in by_section.values():
        for i, article in enumerate(members):
            position[article.path] = (members, i)
    tag_position = {key: {a.path: i for i, a in enumerate(members)} for key, members in by_tag.items()}
    age = {a.path: -a.published.value.timestamp() for a in pages}  # computed once: ranking is the hot loop
    links = {}
    for article in pages:
        members, i = position.get(article.path, ((), -1))
        older = members[i + 1] if 0 <= i < len(members) - 1 else None
        newer = members[i - 1] if i > 0 else None
        related = _related(article, by_tag, tag_position, members, related_count, age)
        links[article.path] = ArticleLinks(older, newer, related)
    return links


# Related articles come from the neighbourhood in time of each shared tag: the stories a reader
# most likely wants, and a bounded amount of work per article however large a tag grows.
_NEIGHBOURS = 25
_PATH = attrgetter("path")


def _related(article: Article, by_tag, tag_position, section_members, count: int, age) -> tuple[Article, ...]:
    if count == 0:
        return ()
    windows = []
    for tag in article.tags:
        members = by_tag.get(tag.key, [])
        i = tag_position.get(tag.key, {}).get(article.path)
        if i is not None:
            windows.append(members[max(0, i - _NEIGHBOURS) : i + _NEIGHBOURS + 1])
    # Counted with C-level helpers: ~180 candidates per article, 1.8 million for 10,000 articles.
    candidates = list(chain.from_iterable(windows))
    paths = list(map(_PATH, candidates))
    shared = Counter(paths)
    found = dict(zip(paths, candidates, strict=True))
    found.pop(article.path, None)
    section = article.section
    result = heapq.nsmallest(count, found.values(), key=lambda o: (-shared[o.path], o.section != section,
                                                                   age[o.path], o.path))
    if len(result) < count:
        chosen = {o.path for o in result} | {article.path}
        result += [o for o in section_members if o.path not in chosen][: count - len(result)]
    return tuple(result)


def _year_counts(by_date, prefix: str) -> tuple[YearCount, ...]:
    years = []
    for (kind, key), members in by_date.items():
        if kind != "year":
            continue
        months = sorted(
            (MonthCount(int(key), int(mkey[5:]), len(m), f"{prefix}{mkey}/")
             for (mkind, mkey), m in by_date.items() if mkind == "month" and mkey.startswith(key + "/")),
            key=lambda mc: mc.month, reverse=True,
        )
        years.append(YearCount(int(key), len(members), f"{prefix}{key}/", tuple(months)))
    return tuple(sorted(years, key=lambda y: y.year, reverse=True))


def _tag_clashes(articles: list[Article], default_edition: str) -> list[BuildError]:
    """Tags with different names and one address ('C' in one article, 'C++' in another, both
    /tags/c/) are errors naming both files and lines: one page would have listed both, under
    whichever name came first. Each clashing name is reported once, where it is first used. Each
    edition has its own tag pages, so only tags of one edition can clash."""
    first: dict[tuple[str, str], tuple[str, Article, int | None]] = {}
    reported: set[tuple[str, str, str]] = set()
    errors = []
    for article in sorted(articles, key=lambda a: str(a.source)):
        for index, tag in enumerate(article.tags):
            line = article.tag_lines[index] if index < len(article.tag_lines) else None
            edition = article.edition or default_edition
            seen = first.setdefault((edition, tag.key), (tag.name, article, line))
            folded = " ".join(tag.name.casefold().split())
            if same_tag_name(seen[0], tag.name) or (edition, tag.key, folded) in reported:
                continue
            reported.add((edition, tag.key, folded))
            where = f"{seen[1].source}:{seen[2]}" if seen[2] else str(seen[1].source)
            errors.append(BuildError(article.source, line, "tags",
                                     f"'{tag.name}' and '{seen[0]}' ({where}) would share one tag page, "
                                     f"/tags/{tag.key}/", TAG_CLASH_HINT))
    return errors


def _clashes(articles: list[Article]) -> tuple[list[BuildError], set]:
    """Errors for every article whose address (or alias) another one took first; their sources."""
    first: dict[str, Article] = {}
    errors = []
    clashing = set()
    for article in sorted(articles, key=lambda a: str(a.source)):
        for path, name in ((article.path, "slug"), *((alias, "aliases") for alias in article.aliases)):
            if path in first and first[path] is not article:
                errors.append(BuildError(article.source, None, name,
                                         f"the address /{path} is also used by {first[path].source}",
                                         "give one of them a different slug or alias"))
                clashing.add(article.source)
            else:
                first[path] = article
    return errors, clashing


def _prefix_clashes(config: SiteConfig, articles: list[Article]) -> tuple[list[BuildError], set]:
    """An article of an edition at the root must not take an address under another edition's prefix."""
    prefixes = {e.prefix: e for e in config.editions if e.prefix}
    errors = []
    misplaced = set()
    for article in articles:
        edition = config.edition(article.edition)
        for path, name in ((article.path, "slug"), *((alias, "aliases") for alias in article.aliases)):
            first = path.split("/", 1)[0] + "/"
            taken = prefixes.get(first)
            if taken is not None and (edition is None or edition.prefix != first):
                errors.append(BuildError(article.source, None, name,
                                         f"the address /{path} is under /{first}, the {taken.code} edition's",
                                         "give it another slug or alias, or a permalink that starts elsewhere"))
                misplaced.add(article.source)
    return errors, misplaced
