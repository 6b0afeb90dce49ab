"""What an importer reads from an old site, engine-neutral: the posts and the site's settings.

Each engine's reader (importers.jekyll, .hugo, .wordpress) makes an `OldSite`; everything after it
(sections, addresses, links, writing the site folder, the report) is shared and knows no engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from builder.importers.notes import Notes


class ImportFailed(Exception):
    """The old site cannot be imported at all (no posts folder, a corrupt export, DEST not empty).
    The message says what is wrong with `path` (at `line`), which the command prints before it."""

    def __init__(self, message: str, hint: str = "", path: Path | None = None, line: int | None = None):
        self.message, self.hint, self.path, self.line = message, hint, path, line
        super().__init__(message)


@dataclass(frozen=True)
class OldImage:
    src: str  # as the old site wrote it: a site path, a path relative to the post, or a URL
    alt: str | None  # None: the old site had no alt text (a debt, kept visible)
    caption: str = ""


@dataclass(frozen=True)
class OldAuthor:
    key: str
    name: str
    bio: str = ""


@dataclass(frozen=True)
class OldPost:
    origin: str  # where it was, as the report names it: "_posts/2019-01-02-a.md", "item 12 of export.xml"
    line: int  # the line of that file the post (or its body) starts on
    title: str
    published: datetime  # timezone-aware
    slug: str  # as the old site had it (may need cleaning for a Broadsheet slug)
    body: str  # Markdown (or HTML, which Markdown keeps), engine syntax already converted
    body_line: int  # file line the body starts on
    old_url: str  # site-relative address of the old page, "2019/01/02/a/" or "2019/01/02/a.html"; "" unknown
    category: str  # the old category or folder that decides the section; "" none
    lang: str | None = None  # language folder or field; None: the site's language
    authors: tuple[str, ...] = ()  # author keys of OldSite.authors, or names
    tags: tuple[str, ...] = ()
    summary: str = ""
    draft: bool = False
    updated: datetime | None = None
    image: OldImage | None = None
    aliases: tuple[str, ...] = ()  # further old addresses, site-relative ("?p=12" for WordPress ids)
    # where relative image paths are read from, in order: the page bundle or the post's folder, then
    # the same bundle in the default language (Hugo shares an untranslated bundle's files)
    folders: tuple[Path, ...] = ()
    translation_key: str = ""  # the same post in other language folders has the same key


@dataclass(frozen=True)
class OldSite:
    engine: str  # "jekyll", "hugo", "wordpress"
    source: Path
    title: str
    base_url: str  # absolute, ends with "/"
    language: str
    timezone: str  # IANA name
    permalink: str  # the old pattern, as the report shows it
    posts: tuple[OldPost, ...]
    authors: tuple[OldAuthor, ...] = ()
    static_roots: tuple[Path, ...] = ()  # folders whose files were served from the site root
    known_paths: frozenset[str] = frozenset()  # first path segments of old pages that are not posts
    anchor_style: str = "kramdown"  # how the old engine made heading ids: kramdown, github, hugo, none
    notes: Notes = field(default_factory=Notes)
    # What a multilingual old site says of its languages, for language editions (each optional):
    # language -> the first segment of its old addresses ("ja" for /ja/...), when the engine gives one;
    language_prefixes: Mapping[str, str] = field(default_factory=dict)
    # language -> the site's title in it;
    language_titles: Mapping[str, str] = field(default_factory=dict)
    # language -> old category or folder (lower case) -> the section's title in that language.
    section_titles: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
