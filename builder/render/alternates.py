"""The same page in other languages: hreflang alternates, the language switcher, and their check.

One function per kind of page says which pages are one page in several languages:
- an article and its translations (content.translations), each in its own language;
- a listing page and the same listing's page of the same number in every other edition that has
  it (a tag used in two editions, page 2 of a section in both);
- the archive index and the 404 page, which every edition has.

Each page lists every version, itself included, plus `x-default`: the default edition's version,
else the first edition's that has one. The relation is symmetric by construction; `check_reciprocal`
proves it over every page a build plans, so a later change that breaks it fails the build instead
of publishing hreflang that search engines ignore (they drop alternates that are not returned).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from builder.config.editions import Edition, native_name
from builder.config.languages import text_direction
from builder.config.site import SiteConfig
from builder.content.archive import Archive, Listing
from builder.content.article import Article
from builder.content.urls import absolute, href
from builder.errors import BuildError
from builder.render.views import AlternateView


@dataclass(frozen=True)
class Alternate:
    lang: str  # hreflang: the edition's code for its pages, the article's language for articles
    path: str  # site-relative


def article_alternates(archive: Archive, article: Article) -> tuple[Alternate, ...]:
    group = archive.translations.get(article.path, ())
    return tuple(Alternate(a.lang, a.path) for a in group)


def listing_alternates(archive: Archive, listing: Listing, number: int) -> tuple[Alternate, ...]:
    per_page = archive.config.per_page
    found = tuple(Alternate(other.edition, other.page_path(number)) for other in archive.alternates(listing)
                  if other.page_count(per_page) >= number)
    return found if len(found) > 1 else ()


def edition_page(edition: Edition, path: str) -> str:
    """Where an edition's page of every edition lives: under its prefix, except the default
    edition's 404 page, which is the site's /404.html (the file hosts serve for a missing address)
    also when the default edition has a prefix."""
    return "404.html" if path == "404.html" and edition.default else edition.path(path)


def edition_alternates(config: SiteConfig, path: str) -> tuple[Alternate, ...]:
    """A page every edition has at the same path under its prefix (archive/, 404.html)."""
    if len(config.editions) < 2:
        return ()
    return tuple(Alternate(e.code, edition_page(e, path)) for e in config.editions)


def alternate_views(config: SiteConfig, alternates: tuple[Alternate, ...], current: str
                    ) -> tuple[tuple[AlternateView, ...], str]:
    """(the switcher's and <head>'s alternates, the x-default URL) of the page at `current`."""
    if not alternates:
        return (), ""
    editions = {e.code: e for e in config.editions}
    views = tuple(AlternateView(a.lang, text_direction(a.lang),
                                editions[a.lang].name if a.lang in editions else native_name(a.lang),
                                href(config.base_path, a.path), absolute(config.base_url, a.path), a.path == current)
                  for a in alternates)
    return views, absolute(config.base_url, alternates[0].path)


def check_reciprocal(pages: Mapping[str, tuple[Alternate, ...]], config_path: Path) -> list[BuildError]:
    """Every page that names an alternate is named by it, with the same set of versions."""
    errors = []
    for path, alternates in pages.items():
        paths = {a.path for a in alternates}
        if alternates and path not in paths:
            errors.append(BuildError(config_path, None, "languages",
                                     f"/{path} lists alternates in other languages but not itself",
                                     "a page's hreflang alternates include the page"))
        for alternate in alternates:
            back = pages.get(alternate.path)
            if back is None:
                errors.append(BuildError(config_path, None, "languages",
                                         f"/{path} names /{alternate.path} ({alternate.lang}) as its translation, "
                                         "but the site has no such page"))
            elif {a.path for a in back} != paths or len({a.lang for a in back}) != len(back):
                errors.append(BuildError(config_path, None, "languages",
                                         f"/{path} and /{alternate.path} do not list the same versions "
                                         f"({', '.join(sorted(paths))} and {', '.join(sorted(a.path for a in back))})"))
    return errors
