"""The one error type every stage reports, and the exception that carries a batch of them.

The CLI prints these, the preview overlay shows them, and tests compare them: one shape for all.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath


@dataclass(frozen=True, order=True)
class BuildError:
    path: PurePath | None
    line: int | None
    field: str | None
    message: str
    hint: str = ""

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

    def __init__(self, errors: list[BuildError]):
        self.errors = sorted(errors, key=lambda e: (str(e.path or ""), e.line or 0, e.field or ""))
        super().__init__("\n".join(str(e) for e in self.errors))
