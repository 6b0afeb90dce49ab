"""The pages of a built site as the audit sees them: file, URL, template kind, section, sources, assets.

Everything here reads the output folder (and its manifest) only; nothing is built or written.
"""

from __future__ import annotations

import hashlib
import posixpath
import random
import re
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from builder.output.manifest import Manifest, ManifestMissing, ManifestUnreadable

_ASSET = re.compile(r"""<(?:link|script)\b[^>]*?\b(?:href|src)\s*=\s*["']?([^"'\s>]+)""", re.I)
_CSS_URL = re.compile(r"""(?:@import\s+|url\()\s*["']?([^"')\s;]+)""", re.I)
_REFRESH = re.compile(rb"""<meta\b[^>]*http-equiv\s*=\s*["']?refresh""", re.I)
_HTML_DIR_RTL = re.compile(rb"""<html\b[^>]*\bdir\s*=\s*["']?rtl""", re.I)
_SECTION_LINE = re.compile(r"^section:\s*[\"']?([\w-]+)", re.M)


@dataclass(frozen=True)
class Page:
    path: str  # relative to the output folder, e.g. "politics/2024/03/vote/index.html"
    url_path: str  # under the site's base path, e.g. "/archive/politics/2024/03/vote/"
    kind: str  # the template it comes from, as far as the output tells: article, section, tag, home, ...
    section: str  # the section key it belongs to, or ""
    made_from: tuple[str, ...]  # source files, from the output manifest
    rtl: bool = False

    @property
    def source(self) -> str | None:
        """The one article file behind an article page (or a redirect to it)."""
        if self.kind in ("article", "redirect") and len(self.made_from) == 1:
            return self.made_from[0]
        return None

    @property
    def template(self) -> str:
        """What --sample covers at least once: the kind, and right-to-left apart from left-to-right."""
        return f"{self.kind} (rtl)" if self.rtl else self.kind


def read_manifest(output_dir: Path) -> dict[str, tuple[str, ...]]:
    """Output file -> the source files it was made from (empty when the manifest is missing)."""
    try:
        with Manifest(output_dir) as manifest:
            return manifest.made_from()
    except (ManifestMissing, ManifestUnreadable, sqlite3.Error, ValueError):
        return {}


def _without_prefix(path: str, prefixes: Collection[str]) -> str:
    first = path.split("/", 1)[0] + "/"
    return path[len(first):] or "index.html" if first in prefixes else path


def _kind(path: str, html: bytes, made_from: tuple[str, ...], sections: set[str]) -> tuple[str, str]:
    """(kind, section) of a page from its path and HTML."""
    parts = path.split("/")
    paged = "page" in parts[:-1] and parts[parts.index("page") + 1].isdigit()
    suffix = " (page 2+)" if paged else ""
    if path == "404.html":
        return "404", ""
    if _REFRESH.search(html[:4096]):
        return "redirect", ""
    if path == "index.html" or (paged and parts[0] == "page"):
        return "home" + suffix, ""
    first = parts[0]
    if first in ("tags", "authors", "archive"):
        return {"tags": "tag", "authors": "author", "archive": "archive"}[first] + suffix, ""
    if first.isdigit():
        return "date" + suffix, ""
    if first in sections and (len(parts) == 2 or paged):
        return "section" + suffix, first
    if len(made_from) == 1 and made_from[0].endswith((".md", ".markdown")):
        return "article", ""
    return "other", first if first in sections else ""


def _article_section(site_dir: Path | None, source: str, sections: set[str]) -> str:
    if site_dir is None:
        return ""
    try:
        with open(site_dir / source, encoding="utf-8-sig") as file:
            head = file.read(4096)
    except OSError:
        return ""
    match = _SECTION_LINE.search(head)
    return match.group(1) if match and match.group(1) in sections else ""


def list_pages(output_dir: Path, base_path: str, sections: Collection[str] = frozenset(),
               site_dir: Path | None = None, prefixes: Collection[str] = frozenset()) -> list[Page]:
    """Every HTML page of the output, sorted by path; hidden files and folders are not pages.

    `prefixes`: the language editions' folders ('en/'): a page under one is the kind it would be
    at the root ('en/tags/x/' is a tag page)."""
    manifest = read_manifest(output_dir)
    pages = []
    for file in sorted(output_dir.rglob("*.html")):
        rel = file.relative_to(output_dir).as_posix()
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        with open(file, "rb") as handle:
            head = handle.read(4096)
        made_from = manifest.get(rel, ())
        kind, section = _kind(_without_prefix(rel, prefixes), head, made_from, set(sections))
        if kind == "article":
            section = _article_section(site_dir, made_from[0], set(sections))
        url_path = base_path + (rel.removesuffix("index.html") if rel.endswith("index.html") else rel)
        pages.append(Page(rel, url_path, kind, section, made_from, bool(_HTML_DIR_RTL.search(head))))
    return pages


def sample_pages(pages: list[Page], count: int, seed: int) -> list[Page]:
    """One page of every template, plus `count` more chosen at random (the same ones for the same seed)."""
    chosen: dict[str, Page] = {}
    for page in pages:
        chosen.setdefault(page.template, page)
    rest = [p for p in pages if p not in chosen.values()]
    extra = random.Random(seed).sample(rest, min(count, len(rest)))
    picked = set(chosen.values()) | set(extra)
    return [p for p in pages if p in picked]


class AssetDigests:
    """sha256 of the CSS and JavaScript a page uses (and what its CSS imports), each file hashed once."""

    def __init__(self, output_dir: Path, base_path: str):
        self.output_dir, self.base_path = output_dir.resolve(), base_path
        self._digests: dict[str, str] = {}

    def _file(self, url_path: str) -> Path | None:
        if not url_path.startswith(self.base_path):
            return None
        rel = unquote(url_path[len(self.base_path):])
        file = (self.output_dir / rel).resolve()
        return file if file.is_relative_to(self.output_dir) and file.is_file() else None

    def digest(self, url_path: str, depth: int = 0) -> str:
        if url_path in self._digests:
            return self._digests[url_path]
        self._digests[url_path] = ""  # a stylesheet that imports itself
        file = self._file(url_path)
        if file is None:
            return ""
        data = file.read_bytes()
        hasher = hashlib.sha256(data)
        if file.suffix == ".css" and depth < 3:
            for ref in _CSS_URL.findall(data.decode("utf-8", errors="replace")):
                if ref.startswith("data:"):
                    continue
                target = _resolve(url_path, ref)
                if target:
                    hasher.update(target.encode() + self.digest(target, depth + 1).encode())
        self._digests[url_path] = hasher.hexdigest()
        return self._digests[url_path]

    def of_page(self, page: Page, html: bytes) -> list[tuple[str, str]]:
        refs = []
        for ref in _ASSET.findall(html.decode("utf-8", errors="replace")):
            target = _resolve(page.url_path, ref)
            if target and target.split("?")[0].endswith((".css", ".js", ".mjs")):
                refs.append((target, self.digest(target.split("?")[0])))
        return refs


def _resolve(base_url_path: str, ref: str) -> str | None:
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return None
    path = parts.path if parts.path.startswith("/") else posixpath.join(posixpath.dirname(base_url_path), parts.path)
    return posixpath.normpath(path)
