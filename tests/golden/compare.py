"""One golden page against its stored copy: a readable diff when they differ, or, with
--update-golden, the stored copy rewritten from the output (review the diff in git)."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest


def check_golden_page(output: Path, expected: Path, page: str, update: bool) -> None:
    actual = (output / page).read_text(encoding="utf-8")
    stored = expected / page
    if update:
        stored.parent.mkdir(parents=True, exist_ok=True)
        stored.write_text(actual, encoding="utf-8")
        return
    assert stored.exists(), f"no golden copy of {page}: run with --update-golden and review it"
    wanted = stored.read_text(encoding="utf-8")
    if actual != wanted:
        delta = "".join(difflib.unified_diff(wanted.splitlines(True), actual.splitlines(True),
                                             f"expected/{page}", f"output/{page}", n=2))
        pytest.fail(f"{page} differs from its golden copy:\n{delta[:6000]}")
