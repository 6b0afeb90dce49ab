"""The one error type every stage reports, and the exception that carries a batch of them.

The CLI prints these, the preview overlay shows them, and tests compare them: one shape for all.

A problem that an archive may live with for a while (an accessibility or link finding, never one
that makes a page impossible) also says what it is in a form that survives edits elsewhere in the
file: its `debt`, the rule and a needle (the image address, the heading text, the link). The
accessibility baseline (builder.checks.baseline) matches on that, never on the line.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import PurePath


@dataclass(frozen=True, order=True)
class Debt:
    """What a baselinable problem is, independent of its line."""

    rule: str  # e.g. "img-alt", "heading-order", "broken-link"
    needle: str  # the offending element's address or text, as found (checks.baseline normalises it)
    origin: str  # "content" (the Markdown file), "page" (the page checks) or "links"


@dataclass(frozen=True, order=True)
class BuildError:
    path: PurePath | None
    line: int | None
    field: str | None
    message: str
    hint: str = ""
    # Set for accessibility and link problems, which an accessibility baseline may accept; None
    # for problems that make a page impossible (invalid YAML, a missing title, an unknown section).
    debt: Debt | None = dataclasses.field(default=None, compare=False)  # `field` is a column here

    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    def __str__(self) -> str:
        parts = [p for p in (self.location(), self.field) if p]
        text = ": ".join([*parts, self.message])
        return f"{text} ({self.hint})" if self.hint else text


class BuildFailed(Exception):
    """Raised by a stage that found errors; carries all of them, not just the first."""

    def __init__(self, errors: list[BuildError], note: str = ""):
        self.errors = sorted(errors, key=lambda e: (str(e.path or ""), e.line or 0, e.field or ""))
        self.note = note  # one line about the problems that did not fail it (the accepted debts)
        super().__init__("\n".join(str(e) for e in self.errors))
