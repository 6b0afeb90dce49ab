"""What the render stage hands on: page jobs, and the pages they make.

A PageJob carries a key that fingerprints everything its bytes depend on, and a function that
renders it. The writer renders only the jobs whose key changed since the last build, so an
incremental build and a clean one produce the same bytes by construction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from builder.content.article import Article

Bodies = Callable[[Article], str]  # an article's body HTML, kept outside the archive

@dataclass(frozen=True)
class OutputPage:
    """One file of the finished site: its bytes, or the file to copy them from."""

    path: str  # relative to the output folder, e.g. "politics/2024/03/vote/index.html"
    content: bytes | None = None
    source: Path | None = None
    made_from: tuple[str, ...] = ()  # the inputs it was made from, for incremental builds and reloads


@dataclass(frozen=True)
class PageJob:
    path: str
    key: str  # fingerprint of every input of the page's bytes
    made_from: tuple[str, ...]
    make: Callable[[], OutputPage]
