"""Every old URL keeps working: the permalink pattern that reproduces most of them, aliases for the rest.

Broadsheet's article addresses come from one pattern of {lang}, {section}, {yyyy}, {mm}, {dd} and
{slug}. The import tries each pattern in that order (with or without a language, a section, a
year, a month, a day) and keeps the one under which the most posts keep their old address
exactly (then, as a tie-break, under which the most differ only by Jekyll's '.html' for '/', so
that the new addresses look like the old ones); a pattern that would give two posts one address,
or a post the address of a listing page, is not a candidate. Every other old address becomes an
alias (a redirect page; a `.html` address too), unless it is taken by a page of the new site or
by another post, which the report names.

A site in several languages (one folder per language, or translated files) becomes language
editions: each language an edition whose pages live under its prefix (none for the default
edition, at the site's root), so an article's address is its edition's prefix followed by the
pattern. The pattern then has no {lang}; the prefix of a language is the one its old addresses had
(Hugo's /ja/), so that they are reproduced exactly. A language that gets no edition (the theme has
no interface text in it) stays in the default edition, its posts taking their language as the end
of their slug (storm-fr), as every language did before editions. An address under another
edition's prefix, or the address of one of an edition's own pages (its home, its sections, its
date archives), is not a candidate for a post, nor kept as an alias.

Without editions (a caller that gives none), a site in several languages is tried both ways: with
{lang} in the pattern, and without it, with the slug suffixes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from builder.config.site import RESERVED_PATHS
from builder.content.urls import article_path, is_valid_slug, slugify
from builder.importers.model import OldPost

DEFAULT_PERMALINK = "/{section}/{yyyy}/{mm}/{slug}/"
_DATE_ARCHIVE = re.compile(r"^\d{4}/(?:\d\d/(?:\d\d/)?)?$")


@dataclass(frozen=True)
class Placed:
    """A post with its place in the new site."""

    post: OldPost
    section: str  # section key
    slug: str
    lang: str
    published: datetime  # in the site's time zone, as Broadsheet reads it
    path: str = ""  # the new address, site-relative: "release/2013/05/06/jekyll-1-0-0-released/"
    aliases: tuple[str, ...] = ()  # old addresses that redirect to it


@dataclass(frozen=True)
class Addresses:
    permalink: str
    placed: tuple[Placed, ...]
    kept: int  # posts whose old address is their new one
    aliased: int  # old addresses served by a redirect page
    lost: tuple[tuple[OldPost, str, str], ...]  # (post, old address, why it could not be kept)
    old_to_new: Mapping[str, str]  # every old address (normalised) -> the new address


def clean_slug(slug: str) -> str:
    return slug if is_valid_slug(slug) else (slugify(slug) or "post")


def normal_address(path: str) -> str:
    """'a/b/index.html' and 'a/b' -> 'a/b/'; 'a/b.html' stays (it is a file of its own)."""
    path = path.strip().lstrip("/")
    if path.endswith("index.html"):
        path = path[: -len("index.html")]
    elif path.endswith("index.htm"):
        path = path[: -len("index.htm")]
    if path and not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        path += "/"
    return path


def candidates(multilingual: bool) -> list[str]:
    dates = ["{yyyy}/{mm}/", "{yyyy}/{mm}/{dd}/", "{yyyy}/", ""]
    found = []
    for lang in (["{lang}/"] if multilingual else []) + [""]:
        for section in ("{section}/", ""):
            for date in dates:
                found.append("/" + lang + section + date + "{slug}/")
    return found


def place(posts: list[Placed], zone: ZoneInfo, sections: Iterable[str], multilingual: bool,
          language: str = "", editions: Mapping[str, str] | None = None) -> Addresses:
    """Choose the permalink pattern and the aliases (see the module's docstring).

    `editions`: language -> the prefix of its edition ("" for the default edition, "ja/"); the
    posts of a language it does not name are in the default edition."""
    section_keys = set(sections)
    prefixes = dict(editions or {})
    own = [p for p in prefixes.values() if p]

    def prefix(p: Placed) -> str:
        return prefixes.get(p.lang, "")

    def suffix(p: Placed) -> bool:
        return p.lang != language and p.lang not in prefixes

    suffixed = [replace(p, slug=f"{p.slug}-{p.lang.lower()}") if suffix(p) else p for p in posts]
    best: tuple[tuple[int, int], str, list[str], list[Placed]] | None = None
    for pattern in candidates(multilingual and not prefixes):
        versions = posts if "{lang}" in pattern or not multilingual else suffixed
        paths = [prefix(p) + _path(pattern, p) for p in versions]
        if len(set(paths)) != len(paths) or any(_taken(path, section_keys, own, prefix(p))
                                                for p, path in zip(versions, paths, strict=True)):
            continue
        olds = [normal_address(p.post.old_url) for p in posts]
        exact = sum(1 for old, path in zip(olds, paths, strict=True) if old == path)
        near = sum(1 for old, path in zip(olds, paths, strict=True) if re.sub(r"\.html?$", "/", old) == path)
        rank = (exact, near)
        if best is None or rank > best[0] or (rank == best[0] and pattern == DEFAULT_PERMALINK):
            best = (rank, pattern, paths, versions)
    if best is None:  # no pattern gives every post its own address: slugs are made unique
        posts = _unique_slugs(suffixed if prefixes else posts)
        pattern = "/{section}/{yyyy}/{mm}/{dd}/{slug}/"
        pattern = "/{lang}" + pattern if multilingual and not prefixes else pattern
        best = ((0, 0), pattern, [prefix(p) + _path(pattern, p) for p in posts], posts)
    (score, _near), pattern, paths, posts = best
    taken_paths = set(paths)
    claimed: dict[str, str] = {}
    lost: list[tuple[OldPost, str, str]] = []
    placed = []
    old_to_new: dict[str, str] = {}
    aliased = 0
    for p, path in zip(posts, paths, strict=True):
        aliases = []
        for old in dict.fromkeys([p.post.old_url, *p.post.aliases]):
            if not old:
                continue
            address = normal_address(old) if "?" not in old else old
            old_to_new.setdefault(address, path)
            if address == path:
                continue
            why = _why_not(address, section_keys, taken_paths, claimed, p.post.origin, own, prefix(p))
            if why:
                lost.append((p.post, "/" + address, why))
                continue
            claimed[address] = p.post.origin
            aliases.append(address)
        aliased += len(aliases)
        placed.append(replace(p, path=path, aliases=tuple(aliases)))
    return Addresses(pattern, tuple(placed), score, aliased, tuple(lost), old_to_new)


def _path(pattern: str, p: Placed) -> str:
    return article_path(pattern, section=p.section, published=p.published, slug=p.slug, lang=p.lang)


def _taken(path: str, sections: set[str], prefixes: Iterable[str] = (), own: str = "") -> bool:
    """A page of the new site has this address: a listing, a date archive, a section's page, in the
    edition whose prefix is `own`; or it is under another edition's prefix."""
    if own and path.startswith(own):
        path = path[len(own):]
    elif any(path.startswith(prefix) for prefix in prefixes):
        return True
    first = path.split("/", 1)[0]
    return bool(_DATE_ARCHIVE.match(path)) or path in {f"{s}/" for s in sections} or (
        path.count("/") == 1 and first in RESERVED_PATHS) or path in ("", "404.html")


def _why_not(address: str, sections: set[str], paths: set[str], claimed: dict[str, str], origin: str,
             prefixes: Iterable[str] = (), own: str = "") -> str:
    if "?" in address:
        return ""
    if address in paths:
        return "it is the new address of another post"
    other = next((prefix for prefix in prefixes if prefix != own and address.startswith(prefix)), None)
    if other is not None:
        return f"it is under /{other}, another language edition's"
    inside = address[len(own):] if own and address.startswith(own) else address
    if _taken(inside, sections) or inside.split("/", 1)[0] in RESERVED_PATHS:
        return "the new site has a page of its own there"
    if address in claimed and claimed[address] != origin:
        return f"{claimed[address]} had it too"
    if ".." in address.split("/") or "#" in address:
        return "it is not a path"
    return ""


def _unique_slugs(posts: list[Placed]) -> list[Placed]:
    seen: dict[str, int] = {}
    out = []
    for p in posts:
        n = seen.get(p.slug, 0) + 1
        seen[p.slug] = n
        out.append(p if n == 1 else replace(p, slug=f"{p.slug}-{n}"))
    return out
