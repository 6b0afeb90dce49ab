"""A progress bar for long builds on a terminal (rich); silent when output is not a terminal."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Callable, Iterator

LABELS = {"parse": "Reading articles", "render": "Rendering pages"}


@contextmanager
def terminal_progress(stream=None) -> Iterator[Callable[[str, int, int], None] | None]:
    stream = stream or sys.stderr
    if not stream.isatty():
        yield None
        return
    # Imported here: a build in CI or a no-change rebuild should not pay for loading rich.
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bars: dict[str, int] = {}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  transient=True) as progress:

        def update(stage: str, done: int, total: int) -> None:
            if total < 500:  # short work needs no bar
                return
            if stage not in bars:
                bars[stage] = progress.add_task(LABELS.get(stage, stage), total=total)
            progress.update(bars[stage], completed=done)

        yield update
