"""site.yaml -> SiteConfig: validated once, here, with errors that point into site.yaml.

The configuration is closed: an unknown key is an error (a typo must not silently do nothing).
Free-form data for templates goes under `extra:`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from builder.config.audit import AuditSettings, read_audit
from builder.config.content import ContentSettings, read_content
from builder.config.deploy import DeployTarget, read_deploy
from builder.config.editions import Edition, SiteDefaults, read_editions
from builder.config.images import ImageSettings, read_images
from builder.config.languages import is_valid_tag
from builder.config.links import read_links
from builder.config.reader import KEY_PATTERN, Reader, describe
from builder.config.search import SEARCH_PATHS, SearchSettings, read_search
from builder.config.yamltext import YamlSyntaxError, parse_yaml
from builder.errors import BuildError, BuildFailed

CONFIG_NAME = "site.yaml"
PERMALINK_FIELDS = {"section", "yyyy", "mm", "dd", "slug", "lang"}
DEFAULT_PERMALINK = "/{section}/{yyyy}/{mm}/{slug}/"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class Author:
    key: str
    name: str
    bio: str = ""


@dataclass(frozen=True)
class SiteConfig:
    site_dir: Path
    title: str
    base_url: str  # absolute, always ends with "/"
    language: str
    timezone: ZoneInfo
    sections: tuple[Section, ...]
    authors: tuple[Author, ...] = ()
    description: str = ""
    theme: str = "default"
    per_page: int = 10
    article_permalink: str = DEFAULT_PERMALINK
    strings: Mapping[str, Mapping[str, str]] = field(default_factory=lambda: MappingProxyType({}))
    feed_limit: int = 20
    feed_full_content: bool = True
    feed_max_item_bytes: int = 250_000  # a longer article's feed items carry its summary and link
    sitemap_max_urls: int = 50_000
    related_articles: int = 4
    redirects_file: bool = False  # write _redirects (Netlify, Cloudflare Pages) for aliases
    headers_file: bool = False  # write _headers with cache rules for hosts that read it
    fingerprint: bool = True  # content-hashed names for CSS, JS and images, cacheable for ever
    precompress: bool = False  # .gz and .br siblings of text files
    precompress_min_bytes: int = 1024
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    audit: AuditSettings = field(default_factory=AuditSettings)
    links_outside: tuple[str, ...] = ()  # links.outside: paths of the host that are not the archive
    deploy: Mapping[str, DeployTarget] = field(default_factory=lambda: MappingProxyType({}))
    content: ContentSettings = field(default_factory=ContentSettings)  # raw HTML in bodies, embeds
    images: ImageSettings = field(default_factory=ImageSettings)
    editions: tuple[Edition, ...] = ()  # the default edition first; one for a site without `languages:`

    @property
    def default_edition(self) -> Edition:
        return self.editions[0]

    def edition(self, code: str) -> Edition | None:
        return next((e for e in self.editions if e.code == code), None)
    search: SearchSettings = field(default_factory=SearchSettings)

    @property
    def base_path(self) -> str:
        """The URL path the site lives under: '/' or e.g. '/archive/'."""
        return urlsplit(self.base_url).path

    @property
    def shift_headings(self) -> bool:
        """content.headings: shift (builder.config.content)."""
        return self.content.shift_headings

    @property
    def content_dir(self) -> Path:
        return self.site_dir / "content"

    @property
    def static_dir(self) -> Path:
        return self.site_dir / "static"

    @property
    def templates_dir(self) -> Path:
        return self.site_dir / "templates"

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def author(self, key: str) -> Author | None:
        return next((a for a in self.authors if a.key == key), None)


_TOP_KEYS = {
    "title", "description", "base_url", "language", "timezone", "theme", "pagination",
    "permalinks", "sections", "authors", "strings", "extra", "feeds", "sitemap", "related_articles", "hosting",
    "audit", "deploy", "content", "links", "images", "languages", "search",
}
# Top-level folders the build itself writes; a section key must not take one of them.
RESERVED_PATHS = {"tags", "authors", "assets", "archive", "page", "feeds"}


def parse_config(text: str, site_dir: Path, path: Path | None = None) -> SiteConfig:
    """Validate site.yaml text. Raises BuildFailed with every problem found."""
    path = path or site_dir / CONFIG_NAME
    try:
        doc = parse_yaml(text)
    except YamlSyntaxError as exc:
        raise BuildFailed([BuildError(path, exc.line, None, str(exc))]) from None
    r = Reader(doc, path)
    top = r.mapping(doc.data, (), _TOP_KEYS, {"title", "base_url", "sections"})

    title = r.string(top.get("title"), ("title",))
    if "title" in top and not title:
        r.error(("title",), "must not be empty")
    language = r.string(top.get("language"), ("language",), "en")
    if not is_valid_tag(language):
        r.error(("language",), f"'{language}' is not a BCP 47 language tag", "e.g. en, hy, ru, ar, pt-BR")
    pagination = r.mapping(top.get("pagination"), ("pagination",), {"per_page"})
    sections = tuple(_keyed(r, top.get("sections"), "sections", Section, {"title"}, {"description"}))
    if "sections" in top and not sections:
        r.error(("sections",), "at least one section is needed")
    feed_limit, feed_full_content, feed_max_item_bytes = _feeds(r, top.get("feeds"))
    sitemap = r.mapping(top.get("sitemap"), ("sitemap",), {"max_urls"})
    sitemap_max = r.integer(sitemap.get("max_urls"), ("sitemap", "max_urls"), 50_000)
    if sitemap_max > 50_000:
        r.error(("sitemap", "max_urls"), "the sitemap protocol allows at most 50000 URLs per file")
    hosting, precompress_min = _hosting(r, top.get("hosting"))
    timezone = _timezone(r, top.get("timezone"))
    authors = tuple(_keyed(r, top.get("authors"), "authors", Author, {"name"}, {"bio"}))
    editions = read_editions(r, top.get("languages"), SiteDefaults(
        language=language, language_given="language" in top, title=title,
        description=r.string(top.get("description"), ("description",)), timezone=timezone, sections=sections,
        authors=authors, reserved=frozenset(RESERVED_PATHS)))
    search = read_search(r, top.get("search"))
    if search.enabled:
        _check_search_paths(r, top.get("sections"))
    extra = top.get("extra") or {}
    if not isinstance(extra, dict):
        r.error(("extra",), f"expected a mapping, got {describe(extra)}")
        extra = {}
    config = SiteConfig(
        site_dir=site_dir,
        title=title,
        description=r.string(top.get("description"), ("description",)),
        base_url=_base_url(r, top.get("base_url")),
        language=editions[0].code,
        timezone=timezone,
        theme=r.string(top.get("theme"), ("theme",), "default"),
        per_page=r.integer(pagination.get("per_page"), ("pagination", "per_page"), 10),
        article_permalink=_permalink(r, top.get("permalinks")),
        sections=sections,
        authors=authors,
        strings=_strings(r, top.get("strings")),
        feed_limit=feed_limit,
        feed_full_content=feed_full_content,
        feed_max_item_bytes=feed_max_item_bytes,
        sitemap_max_urls=sitemap_max,
        related_articles=r.integer(top.get("related_articles"), ("related_articles",), 4, minimum=0),
        redirects_file=hosting["redirects"],
        headers_file=hosting["headers"],
        fingerprint=hosting["fingerprint"],
        precompress=hosting["precompress"],
        precompress_min_bytes=precompress_min,
        extra=MappingProxyType(extra),
        audit=read_audit(r, top.get("audit")),
        links_outside=read_links(r, top.get("links")),
        deploy=read_deploy(r, top.get("deploy")),
        content=read_content(r, top.get("content")),
        images=read_images(r, top.get("images")),
        editions=editions,
        search=search,
    )
    if r.errors:
        raise BuildFailed(r.errors)
    return config


def _check_search_paths(r: Reader, sections: Any) -> None:
    """A section may not take the search page's folder or Pagefind's while search is on."""
    for i, item in enumerate(sections if isinstance(sections, list) else ()):
        key = item.get("key") if isinstance(item, dict) else None
        if key in SEARCH_PATHS:
            r.error(("sections", i, "key"), f"'{key}' is used by the site's search",
                    "choose another key, or turn search off with search: {enabled: false}")


def _base_url(r: Reader, value: Any) -> str:
    base_url = r.string(value, ("base_url",))
    if base_url:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            r.error(("base_url",), f"'{base_url}' is not an absolute http(s) URL",
                    "write it like https://example.org/ or https://example.org/archive/")
        elif not base_url.endswith("/"):
            base_url += "/"
    return base_url


def _timezone(r: Reader, value: Any) -> ZoneInfo:
    name = r.string(value, ("timezone",), "UTC")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        r.error(("timezone",), f"unknown time zone '{name}'", "use an IANA name such as Asia/Yerevan or Europe/London")
        return ZoneInfo("UTC")


def _permalink(r: Reader, value: Any) -> str:
    permalinks = r.mapping(value, ("permalinks",), {"article"})
    permalink = r.string(permalinks.get("article"), ("permalinks", "article"), DEFAULT_PERMALINK)
    used = set(re.findall(r"{(\w+)}", permalink))
    if unknown := used - PERMALINK_FIELDS:
        r.error(("permalinks", "article"), f"unknown placeholder {{{sorted(unknown)[0]}}}",
                f"available: {', '.join('{' + f + '}' for f in sorted(PERMALINK_FIELDS))}")
    elif "slug" not in used:
        r.error(("permalinks", "article"), "must contain {slug}, or articles would share one URL")
    if not (permalink.startswith("/") and permalink.endswith("/")):
        r.error(("permalinks", "article"), "must start and end with '/'", "e.g. /{section}/{yyyy}/{mm}/{slug}/")
    return permalink


def _strings(r: Reader, value: Any) -> Mapping[str, Mapping[str, str]]:
    strings: dict[str, Mapping[str, str]] = {}
    for lang, table in r.mapping(value, ("strings",), set(value or ())).items():
        if not is_valid_tag(lang):
            r.error(("strings", lang), f"'{lang}' is not a BCP 47 language tag")
        table = r.mapping(table, ("strings", lang), set(table or ()) if isinstance(table, dict) else set())
        strings[lang] = MappingProxyType({k: r.string(v, ("strings", lang, k)) for k, v in table.items()})
    return MappingProxyType(strings)


def _feeds(r: Reader, value: Any) -> tuple[int, bool, int]:
    """(items per feed, whether items carry the whole article, the largest body an item carries)."""
    feeds = r.mapping(value, ("feeds",), {"limit", "content", "max_item_bytes"})
    limit = r.integer(feeds.get("limit"), ("feeds", "limit"), 20)
    content = r.string(feeds.get("content"), ("feeds", "content"), "full")
    if content not in ("full", "summary"):
        r.error(("feeds", "content"), f"'{content}' is not one of: full, summary")
    max_item = r.integer(feeds.get("max_item_bytes"), ("feeds", "max_item_bytes"), 250_000, minimum=1000)
    return limit, content == "full", max_item


HOSTING_FLAGS = {"redirects": False, "headers": False, "fingerprint": True, "precompress": False}


def _hosting(r: Reader, value: Any) -> tuple[dict[str, bool], int]:
    """(each of HOSTING_FLAGS, the smallest file that gets .gz and .br copies)."""
    hosting = r.mapping(value, ("hosting",), {*HOSTING_FLAGS, "precompress_min_bytes"})
    flags = {}
    for key, default in HOSTING_FLAGS.items():
        flags[key] = hosting.get(key, default)
        if not isinstance(flags[key], bool):
            r.error(("hosting", key), f"expected true or false, got {flags[key]!r}")
            flags[key] = default
    return flags, r.integer(hosting.get("precompress_min_bytes"), ("hosting", "precompress_min_bytes"), 1024, 0)


def _keyed(r: Reader, value: Any, name: str, kind: type, required: set[str], optional: set[str]):
    seen: set[str] = set()
    for i, item in enumerate(r.listing(value, (name,))):
        keys = (name, i)
        item = r.mapping(item, keys, {"key"} | required | optional, {"key"} | required)
        key = r.string(item.get("key"), (*keys, "key"))
        if not key:
            continue
        if not KEY_PATTERN.match(key):
            r.error((*keys, "key"), f"'{key}' is not a valid key",
                    "use lowercase letters, digits and hyphens; it becomes part of URLs")
        if key in seen:
            r.error((*keys, "key"), f"duplicate key '{key}'")
        if name == "sections" and (key in RESERVED_PATHS or key.isdigit()):
            r.error((*keys, "key"), f"'{key}' is used by the site's own pages",
                    f"choose another key; reserved: {', '.join(sorted(RESERVED_PATHS))} and numbers (date archives)")
        seen.add(key)
        yield kind(key=key, **{f: r.string(item.get(f), (*keys, f)) for f in required | optional})


def load_config(site_dir: Path) -> SiteConfig:
    path = site_dir / CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BuildFailed([BuildError(path, None, None, "no site.yaml found",
                                      "run broadsheet in a site folder or pass --site DIR")]) from None
    except UnicodeDecodeError as exc:
        raise BuildFailed([BuildError(path, None, None, f"not UTF-8 text ({exc.reason})")]) from None
    return parse_config(text, site_dir.resolve(), path)
