"""What an import did to the old content, counted and located: the raw material of the report.

Every converter writes into one `Notes`: what it converted (counted by kind) and what it dropped
or could not resolve (each with the old file and line, so an editor can look at it). The report
(importers.report) reads it; nothing else does.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Dropped:
    """Something of the old site that the new one does not have, and where it was."""

    kind: str  # e.g. "Liquid tag {% for %}", "shortcode {{< tweet >}}", "front matter field 'layout'"
    origin: str  # the old file (or WXR item) as the report names it
    line: int | None
    text: str = ""  # a short quote of what was dropped


@dataclass
class Notes:
    converted: Counter[str] = field(default_factory=Counter)
    dropped: list[Dropped] = field(default_factory=list)
    problems: list[Dropped] = field(default_factory=list)  # kept, but needs a look (e.g. a missing image)

    def convert(self, kind: str, count: int = 1) -> None:
        self.converted[kind] += count

    def drop(self, kind: str, origin: str, line: int | None, text: str = "") -> None:
        self.dropped.append(Dropped(kind, origin, line, _short(text)))

    def problem(self, kind: str, origin: str, line: int | None, text: str = "") -> None:
        self.problems.append(Dropped(kind, origin, line, _short(text)))


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def line_at(text: str, position: int, first_line: int) -> int:
    """The file line of a position in a text that starts on `first_line`."""
    return first_line + text.count("\n", 0, position)
