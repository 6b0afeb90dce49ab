"""The article as every later stage sees it: frozen values, metadata and body, made by content.parse.

A build's main process holds every article of the archive (without bodies): the types here are
small and share the values that repeat across articles.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import PurePosixPath

from builder.config.languages import language_chain
from builder.config.site import SiteConfig
from builder.content.markdown import Rendered
from builder.errors import BuildError

# A build's main process holds every article, and unpickling (from the parse workers or the build
# cache) gives each its own copy of every value. Tags, authors, sections, languages and image sizes
# repeat across the archive: these are unpickled as one shared object per distinct value, which
# saves about 1.2 KB an article (120 MB at 100,000 articles).
_SHARED: dict = {}
_SHARED_LIMIT = 200_000  # distinct values kept; a site with more starts again (never wrong, only bigger)


def shared(value):
    """The one object equal to `value` that this process keeps (values must be immutable)."""
    found = _SHARED.get(value)
    if found is None:
        if len(_SHARED) >= _SHARED_LIMIT:
            _SHARED.clear()
        found = _SHARED[value] = value
    return found


@dataclass(frozen=True, slots=True)
class Timestamp:
    """A moment and whether the writer gave only a day (then no time of day is shown)."""

    value: datetime  # always timezone-aware
    date_only: bool = False


@dataclass(frozen=True, slots=True)
class AuthorRef:
    key: str  # URL segment of the author page
    name: str
    bio: str = ""

    def __reduce__(self):
        return _shared_author, (self.key, self.name, self.bio)


def _shared_author(key: str, name: str, bio: str) -> AuthorRef:
    return shared(AuthorRef(key, name, bio))


@dataclass(frozen=True, slots=True)
class Image:
    src: str  # as written: '/images/a.jpg' (under static/) or an http(s) URL
    alt: str | None  # None: none given (an accessibility debt: rendered without alt, so axe still sees it)
    caption: str = ""
    credit: str = ""
    decorative: bool = False
    width: int | None = None
    height: int | None = None
    focus: tuple[float, float] | None = None  # the point to keep in crops: fractions of width and height


@dataclass(frozen=True, slots=True)
class Tag:
    key: str
    name: str

    def __reduce__(self):
        return _shared_tag, (self.key, self.name)


def _shared_tag(key: str, name: str) -> Tag:
    return shared(Tag(key, name))


TAG_CLASH_HINT = ("a tag's address keeps only its letters and digits: rename one so that they differ there, "
                  "e.g. 'C++' as 'Cpp'")


def same_tag_name(a: str, b: str) -> bool:
    """Whether two tag names are one tag: the same but for case and spacing."""
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


@dataclass(frozen=True, slots=True)
class Correction:
    date: Timestamp
    text: str


@dataclass(frozen=True, slots=True)
class Article:
    source: PurePosixPath
    digest: str
    title: str
    published: Timestamp
    updated: Timestamp | None
    section: str
    authors: tuple[AuthorRef, ...]
    tags: tuple[Tag, ...]
    summary: str
    lang: str
    dir: str
    slug: str
    draft: bool
    image: Image | None
    body: Rendered
    path: str  # site-relative URL path, e.g. 'politics/2024/03/council-vote/'
    expires: Timestamp | None = None
    corrections: tuple[Correction, ...] = ()
    aliases: tuple[str, ...] = ()  # old site-relative paths that redirect here
    body_line: int = 1  # file line the Markdown body starts on; body.links lines count from it
    # Local files the article shows, with the size it was rendered with: if one changes, parse again.
    static_refs: tuple[tuple[str, tuple[int, int] | None], ...] = ()
    tag_lines: tuple[int | None, ...] = ()  # the file line of each tag, for errors about tag names
    body_bytes: int = 0  # of the body's HTML: feeds carry the summary of one past feeds.max_item_bytes
    # Accessibility and link problems of the file that do not stop its page (BuildError.debt is set):
    # a build fails on them unless the site's accessibility baseline accepts them.
    debts: tuple[BuildError, ...] = ()

    def body_fits_feeds(self, config: SiteConfig) -> bool:
        """Whether feed items carry the whole body: feeds.content is full and it is not too big.
        A 50 MB article used to be copied into every feed that lists it."""
        return config.feed_full_content and self.body_bytes <= config.feed_max_item_bytes
    edition: str = ""  # code of the edition it is published in (config.editions); "" only in tests' own
    translation_key: str = ""  # articles of other editions with the same key are its translations
    translation_line: int = 0  # the front-matter line of translation_key, for errors

    def __setstate__(self, state: list) -> None:
        # As dataclasses' own, with the values that repeat across articles shared (see `shared`).
        for name, value in zip(_ARTICLE_FIELDS, state, strict=False):
            if name in _SHARED_FIELDS:
                value = shared(value)
            elif name == "static_refs":
                value = tuple((ref, shared(size)) for ref, size in value)
            object.__setattr__(self, name, value)

    def source_line(self, body_line: int) -> int:
        return self.body_line + body_line - 1

    @property
    def modified(self) -> Timestamp:
        """The latest change readers were told about: update or correction, else publication."""
        stamps = [self.published, *([self.updated] if self.updated else []), *(c.date for c in self.corrections)]
        return max(stamps, key=lambda s: s.value)


_ARTICLE_FIELDS = tuple(f.name for f in fields(Article))
_SHARED_FIELDS = frozenset({"section", "lang", "dir", "authors", "edition"})


@dataclass(frozen=True, slots=True)
class ContentContext:
    """What parsing an article needs besides its own text: config and the static files' sizes."""

    config: SiteConfig
    image_sizes: Mapping[str, tuple[int, int]]
    static_paths: frozenset[str]
    table_labels: Mapping[str, str] = field(default_factory=dict)  # language -> name of a table region

    def table_label(self, lang: str) -> str:
        for tag in language_chain(lang):
            if tag in self.table_labels:
                return self.table_labels[tag]
        return self.table_labels.get("en", "Table")


def still_valid(article: Article, ctx: ContentContext) -> bool:
    """Whether a cached parse of an unchanged file still holds with today's static files."""
    return all(ref in ctx.static_paths and ctx.image_sizes.get(ref) == size for ref, size in article.static_refs)
