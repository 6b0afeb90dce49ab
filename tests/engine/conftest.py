"""Helpers for whole-build tests: small sites written from in-memory files, output compared as trees."""

from __future__ import annotations

import hashlib
from pathlib import Path

SITE_YAML = """\
title: Engine Test Herald
base_url: https://example.org/news/
language: en
timezone: Asia/Yerevan
pagination:
  per_page: 2
sections:
  - key: politics
    title: Politics
  - key: culture
    title: Culture
authors:
  - key: anna
    name: Anna Hakobyan
    bio: Political correspondent.
"""


def article_text(title: str, *, date: str = "2024-03-05T09:30:00+04:00", section: str = "politics",
                 tags: tuple[str, ...] = ("budget",), body: str = "Body text.", draft: bool = False,
                 lang: str | None = None) -> str:
    lines = ["---", f'title: "{title}"', f"date: {date}", f"section: {section}", "authors: [anna]",
             f"tags: [{', '.join(tags)}]", 'summary: "A summary."']
    if lang:
        lines.append(f"lang: {lang}")
    if draft:
        lines.append("draft: true")
    lines += ["---", "", body, ""]
    return "\n".join(lines)


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def tree(root: Path) -> dict[str, str]:
    """Every file of a built site (not our bookkeeping files) with the digest of its bytes."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.relative_to(root).parts[0].startswith(".broadsheet")
    }


def diff(a: dict[str, str], b: dict[str, str]) -> list[str]:
    return sorted({k for k in a.keys() | b.keys() if a.get(k) != b.get(k)})


AGED_FROM = 1_600_000_000  # 2020-09-13: long before any build in a test


def age_new_files(root: Path, step: int) -> None:
    """Give files changed since the last call a distinct mtime in the past.

    A build trusts its input stamp (builder.incremental.stamp) only for files older than the clock's resolution;
    tests that edit and rebuild within a second use this to exercise the no-change path. Every call
    uses a later moment, so an edited file never gets an mtime it had before.
    """
    import os

    for path in root.rglob("*"):
        if path.relative_to(root).parts[0] == "output":  # built files are not inputs
            continue
        if path.is_file() and path.stat().st_mtime > AGED_FROM + 10_000_000:
            os.utime(path, (AGED_FROM + step, AGED_FROM + step))
