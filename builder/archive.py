"""list[Article] -> Archive: what is published and every listing that shows it. Metadata only."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from math import ceil

from builder.config import SiteConfig
from builder.content import Article
from builder.errors import BuildError, BuildFailed


@dataclass(frozen=True)
class Listing:
    kind: str  # "home", "section", "tag", "author"
    key: str  # the section, tag or author key; "" for home
    name: str  # what the listing is of, e.g. the section title or the tag as written
    description: str
    path: str  # site-relative path of its first page, e.g. "tags/elections/"
    articles: tuple[Article, ...]  # newest first

    def page_count(self, per_page: int) -> int:
        return max(1, ceil(len(self.articles) / per_page))

    def page_path(self, number: int) -> str:
        return self.path if number == 1 else f"{self.path}page/{number}/"


@dataclass(frozen=True)
class Archive:
    config: SiteConfig
    articles: tuple[Article, ...]  # published, newest first
    listings: tuple[Listing, ...]

    def listing(self, kind: str, key: str = "") -> Listing | None:
        return next((l for l in self.listings if l.kind == kind and l.key == key), None)


def newest_first(articles) -> list[Article]:
    return sorted(articles, key=lambda a: (a.published.value, a.path), reverse=True)


def build_archive(config: SiteConfig, articles: list[Article], include_drafts: bool = False) -> Archive:
    published = newest_first(a for a in articles if include_drafts or not a.draft)
    _check_unique_paths(published)

    by_section: dict[str, list[Article]] = defaultdict(list)
    by_tag: dict[str, list[Article]] = defaultdict(list)
    tag_names: dict[str, str] = {}
    by_author: dict[str, list[Article]] = defaultdict(list)
    authors = {}
    for article in published:
        by_section[article.section].append(article)
        for tag in article.tags:
            by_tag[tag.key].append(article)
            tag_names.setdefault(tag.key, tag.name)
        for author in article.authors:
            by_author[author.key].append(article)
            authors.setdefault(author.key, author)

    listings = [Listing("home", "", config.title, config.description, "", tuple(published))]
    for section in config.sections:
        listings.append(Listing("section", section.key, section.title, section.description,
                                f"{section.key}/", tuple(by_section[section.key])))
    for key in sorted(by_tag):
        listings.append(Listing("tag", key, tag_names[key], "", f"tags/{key}/", tuple(by_tag[key])))
    for key in sorted(by_author):
        listings.append(Listing("author", key, authors[key].name, authors[key].bio, f"authors/{key}/",
                                tuple(by_author[key])))
    return Archive(config, tuple(published), tuple(listings))


def _check_unique_paths(articles: list[Article]) -> None:
    first: dict[str, Article] = {}
    errors = []
    for article in sorted(articles, key=lambda a: str(a.source)):
        if article.path in first:
            other = first[article.path]
            errors.append(BuildError(article.source, None, "slug",
                                     f"has the same address /{article.path} as {other.source}",
                                     "give one of them a different slug: in its front matter"))
        else:
            first[article.path] = article
    if errors:
        raise BuildFailed(errors)
