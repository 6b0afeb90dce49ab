"""The new site folder: site.yaml, content/, static/, written whole or not at all.

Everything is written into a temporary folder beside DEST and moved into place at the end, so a
failed import leaves no half-written site. DEST must be empty (or not exist) and must not be
inside SOURCE: the old site is only ever read.

Front matter values are written as JSON strings and lists, which YAML reads back exactly (titles
with colons, quotes or leading symbols included).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from builder.importers.model import ImportFailed

q = lambda value: json.dumps(value, ensure_ascii=False)
ENGINE_NAMES = {"jekyll": "Jekyll", "hugo": "Hugo", "wordpress": "WordPress"}


def check_destination(source: Path, dest: Path) -> None:
    source, target = source.resolve(), dest.resolve()
    if source.is_dir() and (target == source or target.is_relative_to(source)):
        raise ImportFailed(f"is inside the old site {source}",
                           "the import never writes into the old site: choose a folder outside it", dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise ImportFailed("is not empty", "import into a new or empty folder; nothing was written", dest)


@dataclass(frozen=True)
class EditionSettings:
    """A language edition of the new site (site.yaml's `languages:`)."""

    code: str
    prefix: str  # "" (the site's root) or one URL segment, "ja"
    title: str  # "" for the default edition, whose title is the site's
    sections: tuple[tuple[str, str], ...] = ()  # (key, title) in the edition's language, where known
    fallback: bool = False  # a section without a title in it shows the default edition's


@dataclass(frozen=True)
class SiteSettings:
    title: str
    base_url: str
    language: str
    timezone: str
    permalink: str
    sections: tuple[tuple[str, str], ...]  # (key, title)
    authors: tuple[tuple[str, str, str], ...]  # (key, name, bio)
    shift_headings: bool
    links_outside: tuple[str, ...]
    redirects_file: bool = False  # old addresses with a query (/?p=123) need _redirects
    editions: tuple[EditionSettings, ...] = ()  # none: a site in one language, as before editions


def site_yaml(settings: SiteSettings, engine: str) -> str:
    lines = [
        f"# Imported from a {ENGINE_NAMES.get(engine, engine)} site by `broadsheet import`: see import-report.md.",
        f"title: {q(settings.title)}",
        f"base_url: {q(settings.base_url)}",
        f"language: {q(settings.language)}",
        f"timezone: {q(settings.timezone)}",
        "permalinks:",
        f"  article: {q(settings.permalink)}  # reproduces the old addresses (see import-report.md)",
        "sections:",
        *(f"  - {{key: {key}, title: {q(title)}}}" for key, title in settings.sections),
    ]
    if settings.authors:
        lines.append("authors:")
        for key, name, bio in settings.authors:
            lines.append(f"  - {{key: {key}, name: {q(name)}" + (f", bio: {q(bio)}" if bio else "") + "}")
    if settings.editions:
        lines.append("languages:  # one edition per language of the old site (see import-report.md)")
        for edition in settings.editions:
            lines.append(f"  - code: {q(edition.code)}")
            if edition.prefix:
                lines.append(f"    prefix: {q(edition.prefix)}")
            if edition.title:
                lines.append(f"    title: {q(edition.title)}")
            if edition.sections:
                lines.append("    sections: {" + ", ".join(f"{key}: {{title: {q(title)}}}"
                                                         for key, title in edition.sections) + "}")
            if edition.fallback:
                lines.append("    fallback: true  # a section not named in this language shows the default title")
    if settings.shift_headings:
        lines += ["content:", "  headings: shift  # the old posts' headings start below h2 (or at h1)"]
    if settings.redirects_file:
        lines += ["hosting:", "  redirects: true  # old addresses such as /?p=123 only a host's _redirects can answer"]
    if settings.links_outside:
        lines += ["links:", "  outside:  # paths of the old site that were not imported (its other pages)",
                  *(f"    - {q(path)}" for path in settings.links_outside)]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class ArticleFile:
    path: str  # relative to the site folder: content/...
    title: str
    date: datetime
    section: str
    slug: str
    body: str
    lang: str | None = None  # when it is not the site's language
    edition: str = ""  # when it is not the edition of its language
    translation_key: str = ""  # shared with its translations in other editions
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    summary: str = ""
    draft: bool = False
    updated: datetime | None = None
    aliases: tuple[str, ...] = ()
    image: Mapping[str, str] | None = None  # src, and alt and caption when the old site had them

    def text(self) -> str:
        meta: list[tuple[str, object]] = [("title", self.title), ("date", self.date.isoformat()),
                                          ("section", self.section), ("slug", self.slug)]
        if self.lang:
            meta.append(("lang", self.lang))
        if self.edition:
            meta.append(("edition", self.edition))
        if self.translation_key:
            meta.append(("translation_key", self.translation_key))
        if self.updated and self.updated > self.date:
            meta.append(("updated", self.updated.isoformat()))
        if self.authors:
            meta.append(("authors", list(self.authors)))
        if self.tags:
            meta.append(("tags", list(self.tags)))
        if self.summary:
            meta.append(("summary", self.summary))
        if self.draft:
            meta.append(("draft", True))
        if self.aliases:
            meta.append(("aliases", ["/" + a for a in self.aliases]))
        if self.image:
            meta.append(("image", dict(self.image)))
        head = "\n".join(f"{key}: {q(value)}" for key, value in meta)
        return f"---\n{head}\n---\n\n{self.body.strip()}\n"


def write_site(dest: Path, files: Mapping[str, str], copies: Iterable[tuple[Path, str]]) -> None:
    """Write the text files and copy the old site's files (path under the site folder), then move
    the whole folder into place."""
    dest = dest.absolute()
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.importing-", dir=dest.parent))
    try:
        for rel, text in files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        for source, rel in copies:
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        if dest.exists():
            dest.rmdir()  # empty: checked before anything was read
        os.replace(staging, dest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
