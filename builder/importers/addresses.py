"""Every old URL keeps working: the permalink pattern that reproduces most of them, aliases for the rest.

Broadsheet's article addresses come from one pattern of {lang}, {section}, {yyyy}, {mm}, {dd} and
{slug}. The import tries each pattern in that order (with or without a language, a section, a
year, a month, a day) and keeps the one under which the most posts keep their old address
exactly (then, as a tie-break, under which the most differ only by Jekyll's '.html' for '/', so
that the new addresses look like the old ones); a pattern that would give two posts one address,
or a post the address of a listing page, is not a candidate. Every other old address becomes an
alias (a redirect page; a `.html` address too), unless it is taken by a page of the new site or
by another post, which the report names.

A site in several languages (one folder per language, or translated files) is tried both ways:
with {lang} in the pattern, and without it, the posts of the other languages then taking their
language as the end of their slug (storm-fr). Until Broadsheet builds language editions, the
second often keeps every address of the main language.
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
          language: str = "") -> Addresses:
    """Choose the permalink pattern and the aliases (see the module's docstring)."""
    section_keys = set(sections)
    suffixed = [p if p.lang == language else replace(p, slug=f"{p.slug}-{p.lang.lower()}") for p in posts]
    best: tuple[tuple[int, int], str, list[str], list[Placed]] | None = None
    for pattern in candidates(multilingual):
        versions = posts if "{lang}" in pattern or not multilingual else suffixed
        paths = [_path(pattern, p) for p in versions]
        if len(set(paths)) != len(paths) or any(_taken(path, section_keys) for path in paths):
            continue
        olds = [normal_address(p.post.old_url) for p in posts]
        exact = sum(1 for old, path in zip(olds, paths, strict=True) if old == path)
        near = sum(1 for old, path in zip(olds, paths, strict=True) if re.sub(r"\.html?$", "/", old) == path)
        rank = (exact, near)
        if best is None or rank > best[0] or (rank == best[0] and pattern == DEFAULT_PERMALINK):
            best = (rank, pattern, paths, versions)
    if best is None:  # no pattern gives every post its own address: slugs are made unique
        posts = _unique_slugs(posts)
        pattern = "/{section}/{yyyy}/{mm}/{dd}/{slug}/"
        pattern = "/{lang}" + pattern if multilingual else pattern
        best = ((0, 0), pattern, [_path(pattern, p) for p in posts], posts)
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
            why = _why_not(address, section_keys, taken_paths, claimed, p.post.origin)
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


def _taken(path: str, sections: set[str]) -> bool:
    """A page of the new site has this address: a listing, a date archive, a section's page."""
    first = path.split("/", 1)[0]
    return bool(_DATE_ARCHIVE.match(path)) or path in {f"{s}/" for s in sections} or (
        path.count("/") == 1 and first in RESERVED_PATHS) or path in ("", "404.html")


def _why_not(address: str, sections: set[str], paths: set[str], claimed: dict[str, str], origin: str) -> str:
    if "?" in address:
        return ""
    if address in paths:
        return "it is the new address of another post"
    if _taken(address, sections) or address.split("/", 1)[0] in RESERVED_PATHS:
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
