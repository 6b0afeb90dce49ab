"""Whole sites built with the real default theme, from in-memory files, and their output read back.

The tests of what a build writes (render/, checks/test_site_links.py) go through `builder.build.pipeline.build` and looks only at the files it writes: HTML
parsed with lxml, feeds with feedparser (JSON Feed with json.loads), sitemaps with ElementTree.
The site has no themes/ folder, so the bundled themes/default is used as it ships.

Builds are shared per module where the tests only read their output (`site_once`), which keeps
those tests fast.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import lxml.html

from builder.build.pipeline import BuildOptions, BuildResult, build
from tests.support.files import write_files

FIXED_NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
BASE_URL = "https://example.org/news/"  # a sub-path: every link must carry /news/
BASE_PATH = "/news/"

SECTIONS = """\
sections:
  - key: politics
    title: Politics
    description: Votes, councils and elections.
  - key: culture
    title: Culture
    description: Festivals and books.
"""

AUTHORS = """\
authors:
  - key: anna
    name: Anna Hakobyan
    bio: Covers the city council since 2014.
"""


def site_yaml(*, timezone_name: str = "Asia/Yerevan", per_page: int = 10, sections: str = SECTIONS,
              extra: str = "", base_url: str = BASE_URL, language: str = "en") -> str:
    """site.yaml text; `extra` is appended as it is (feeds:, sitemap:, hosting: ...)."""
    text = (
        f"title: Test Gazette\n"
        f"description: A small test archive.\n"
        f"base_url: {base_url}\n"
        f"language: {language}\n"
        f"timezone: {timezone_name}\n"
        f"pagination:\n  per_page: {per_page}\n"
        f"{sections}{AUTHORS}"
    )
    if "hosting:" not in extra:
        text += "hosting:\n  fingerprint: false\n"
    if "search:" not in extra:
        text += "search:\n  enabled: false\n"  # see tests/support/gazette.py
    return text + extra


def article(title: str, date: str, *, section: str = "politics", body: str = "Body text.\n",
            authors: list[str] | None = None, tags: list[str] | None = None, summary: str | None = "",
            **fields: Any) -> str:
    """An article file. String values are written as JSON strings, which YAML reads back exactly;
    other values (lists, mappings, booleans) as JSON too, which is YAML flow style."""
    meta: dict[str, Any] = {"title": title, "date": date, "section": section}
    if authors:
        meta["authors"] = authors
    if tags:
        meta["tags"] = tags
    if summary:
        meta["summary"] = summary
    meta.update(fields)
    lines = [f"{key}: {_yaml_value(value)}" for key, value in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body


def _yaml_value(value: Any) -> str:
    # YAML reads a raw U+2028 or U+2029 as a line break: those stay escaped.
    return json.dumps(value, ensure_ascii=False).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


@dataclass
class Built:
    """A site folder, its output folder and the result of building it."""

    site: Path
    out: Path
    result: BuildResult | None

    def path(self, rel: str) -> Path:
        return self.out / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)

    def exists(self, rel: str) -> bool:
        return self.path(rel).is_file()

    def text(self, rel: str) -> str:
        return self.path(rel).read_text(encoding="utf-8")

    def html(self, rel: str):
        return lxml.html.document_fromstring(self.path(rel).read_bytes())

    def feed(self, rel: str):
        parsed = feedparser.parse(self.path(rel).read_bytes())
        assert not parsed.bozo, (rel, parsed.get("bozo_exception"))
        return parsed

    def json(self, rel: str):
        return json.loads(self.path(rel).read_bytes())

    def html_pages(self) -> set[str]:
        """Every HTML page as a site-relative URL path ('', 'politics/', '404.html')."""
        pages = set()
        for p in self.out.rglob("*.html"):
            rel = p.relative_to(self.out).as_posix()
            if rel.startswith(".broadsheet"):
                continue
            pages.add(rel.removesuffix("index.html") if rel.endswith("index.html") else rel)
        return pages


def build_into(root: Path, files: dict[str, str | bytes], *, now: datetime = FIXED_NOW, **options) -> Built:
    """Write `files` (site.yaml defaults to site_yaml()) into root/site and build into root/out."""
    site = write_files(root / "site", {"site.yaml": site_yaml(), **files})
    out = root / "out"
    result = build(BuildOptions(site, output_dir=out, now=now, jobs=1, **options))
    return Built(site, out, result)


def site_once(tmp_path_factory, name: str, files: dict[str, str | bytes], **options) -> Built:
    """For module-scoped fixtures: one build that many read-only tests share."""
    return build_into(tmp_path_factory.mktemp(name), files, **options)


# Reading the default theme's markup -------------------------------------------------------------

def teaser_links(doc, scope: str = "//main") -> list[str]:
    """The article links of the teasers under `scope`, in page order."""
    return doc.xpath(scope + "//li[contains(@class, 'teaser')]//*[contains(@class, 'teaser__title')]/a/@href")


def listing_links(doc) -> list[str]:
    """The articles a listing page lists: on the front page its "Latest" block, else every teaser."""
    if doc.xpath("//main//section[contains(@class, 'latest')]"):
        return teaser_links(doc, "//main//section[contains(@class, 'latest')]")
    return teaser_links(doc)


def url(path: str) -> str:
    """Root-relative URL of a site-relative path, as links in pages are written."""
    return BASE_PATH + path


def absolute(path: str) -> str:
    return BASE_URL + path


def meta_content(doc, key: str) -> list[str]:
    return doc.xpath(f"//head/meta[@property='{key}' or @name='{key}']/@content")
