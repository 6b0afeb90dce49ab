"""What the command line prints: problems with their fix, and progress bars for long work.

Every command prints a BuildError the same way, `path:line: field: message` and a `fix:` line, so
an editor reads one shape whether the build, `new`, the preview or a deploy found the problem.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import click

from builder.errors import BuildError

LABELS = {"parse": "Reading articles", "render": "Rendering pages"}


def _head_and_field(problem: BuildError) -> tuple[str, str]:
    """'path:line: ' and 'field: ', each empty when the problem has none."""
    location = problem.location()
    return (f"{location}: " if location else ""), (f"{problem.field}: " if problem.field else "")


def print_errors(errors: list[BuildError], heading: str = "Build failed") -> None:
    noun = "problem" if len(errors) == 1 else "problems"
    click.secho(f"{heading}: {len(errors)} {noun}", fg="red", bold=True, err=True)
    for error in errors:
        head, field = _head_and_field(error)
        click.echo(f"  {click.style(head, bold=True)}{field}{error.message}", err=True)
        if error.hint:
            print_fix(error.hint)


def print_warnings(warnings: Iterable[BuildError]) -> None:
    """Problems that did not fail the build, in the errors' shape, to stderr."""
    for warning in warnings:
        head, field = _head_and_field(warning)
        click.echo(f"{click.style('warning:', fg='yellow', bold=True)} {head}{field}{warning.message}", err=True)
        if warning.hint:
            print_fix(warning.hint)


def print_problem(heading: str, message: str, hint: str = "") -> None:
    """One problem that is not about a file, e.g. a deploy target that refused."""
    click.secho(f"{heading}: {message}", fg="red", bold=True, err=True)
    if hint:
        print_fix(hint)


def print_fix(hint: str) -> None:
    click.echo(f"      {click.style('fix:', fg='cyan')} {hint}", err=True)


@contextmanager
def terminal_progress(stream=None) -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress bar for long builds on a terminal (rich); None when output is not a terminal."""
    stream = stream or sys.stderr
    if not stream.isatty():
        yield None
        return
    # Imported here: a build in CI or a no-change rebuild should not pay for loading rich.
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    bars: dict[str, TaskID] = {}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  transient=True) as progress:

        def update(stage: str, done: int, total: int) -> None:
            if total < 500:  # short work needs no bar
                return
            if stage not in bars:
                bars[stage] = progress.add_task(LABELS.get(stage, stage), total=total)
            progress.update(bars[stage], completed=done)

        yield update
