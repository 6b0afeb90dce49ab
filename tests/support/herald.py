"""The Engine Test Herald: a site for whole-build tests that edit and rebuild (two articles a page)."""

from __future__ import annotations

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
search:
  enabled: false  # see tests/support/gazette.py
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
