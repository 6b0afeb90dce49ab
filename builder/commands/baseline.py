"""`broadsheet baseline`: write, shrink or grow the site's accessibility baseline.

It builds the whole site as a survey (drafts and scheduled articles included, so that the preview
passes too; nothing is written to the output folder) and records every accessibility and link
debt in accessibility-baseline.yaml (builder.checks.baseline). The baseline is a ratchet:
- the first run writes it; later runs refuse to replace it;
- `--update` only removes the debts that were fixed;
- `--add` only adds the findings that are new.
Problems that make a page impossible (invalid front matter, a missing title or date, an unknown
section) are never written: the command lists them and stops.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from builder.commands.common import SITE_OPTION, output_option
from builder.console import print_errors, terminal_progress
from builder.errors import BuildFailed


@click.command()
@SITE_OPTION
@output_option("The site's output folder (only its build cache is used).  [default: <site>/output]")
@click.option("--update", "mode", flag_value="update", help="Remove the debts that were fixed; never add any.")
@click.option("--add", "mode", flag_value="add", help="Add the findings that are not in the baseline yet.")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), help="Processes to use.  [default: number of cores]")
def baseline(site_dir: Path, output_dir: Path | None, mode: str | None, jobs: int | None) -> None:
    """Accept the site's current accessibility debts in accessibility-baseline.yaml.

    With a baseline, `broadsheet build` passes while every accessibility and link finding is in it,
    and fails on any new one. Review the file and commit it.
    """
    from dataclasses import replace

    from builder.build.options import BuildOptions
    from builder.build.pipeline import build
    from builder.checks.baseline import BASELINE_NAME, added, load_baseline, updated, write_baseline

    try:
        current = load_baseline(site_dir.resolve())
    except BuildFailed as failure:
        print_errors(failure.errors, heading="Cannot read the baseline")
        sys.exit(1)
    if mode is None and current.exists:
        click.secho(f"{BASELINE_NAME} exists already: it is only ever changed step by step.", fg="red", err=True)
        click.echo("  broadsheet baseline --update   removes the debts that were fixed", err=True)
        click.echo("  broadsheet baseline --add      adds the findings that are new", err=True)
        sys.exit(2)
    options = BuildOptions(site_dir, output_dir, drafts=True, future=True, survey=True)
    try:
        with terminal_progress() as progress:
            options = replace(options, progress=progress)
            result = build(replace(options, jobs=jobs) if jobs else options)
    except BuildFailed as failure:
        print_errors(failure.errors, heading="Cannot write the baseline")
        click.echo("These problems make pages impossible and are never accepted: fix them, then run "
                   "broadsheet baseline again.", err=True)
        sys.exit(1)
    judgement = result.debts.judgement
    path = current.path
    if mode == "update":
        entries = updated(current, judgement)
        write_baseline(path, entries)
        removed = len(current) - sum(e.count for e in entries.values())
        click.echo(f"Removed {removed} fixed debt{'s' if removed != 1 else ''} from {BASELINE_NAME}; "
                   f"{sum(e.count for e in entries.values())} remain.")
        if judgement.new:
            print_errors(judgement.new, heading="Not in the baseline (--update never adds)")
            click.echo("Fix them, or accept them with broadsheet baseline --add.", err=True)
            sys.exit(1)
        return
    entries = added(current, judgement) if mode == "add" else dict(judgement.found)
    write_baseline(path, entries)
    total = sum(e.count for e in entries.values())
    files = len({key.file for key in entries})
    if mode == "add":
        count = total - len(current)
        click.echo(f"Added {count} debt{'s' if count != 1 else ''} to {BASELINE_NAME}; {total} in {files} "
                   f"file{'s' if files != 1 else ''}.")
    else:
        click.echo(f"Wrote {BASELINE_NAME}: {total} accessibility debt{'s' if total != 1 else ''} in {files} "
                   f"file{'s' if files != 1 else ''}. Review it and commit it: broadsheet build now passes "
                   "until a new finding appears.")
