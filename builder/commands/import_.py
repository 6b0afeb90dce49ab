"""`broadsheet import`: an existing Jekyll, Hugo or WordPress site -> a new Broadsheet site folder."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from builder.console import print_problem


@click.command(name="import")
@click.argument("engine", type=click.Choice(["jekyll", "hugo", "wordpress"]))
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--site", "dest", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The new site folder: empty, or not there yet.")
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="An import-mapping.yaml an earlier import wrote (and you edited): sections for the categories.")
def import_(engine: str, source: Path, dest: Path, mapping: Path | None) -> None:
    """Import an existing site: ENGINE is jekyll, hugo or wordpress; SOURCE is its folder (for
    WordPress, the WXR export file, or a folder with it and wp-content/uploads).

    Writes site.yaml, content/ and static/ into --site, keeping every old address (a permalink
    pattern, or redirect pages), and a report of what was converted, dropped and still owed
    (import-report.md). SOURCE is only read.
    """
    from builder.importers.model import ImportFailed
    from builder.importers.run import ImportOptions, import_site

    try:
        result = import_site(ImportOptions(engine, source, dest, mapping))
    except ImportFailed as failure:
        where = f"{failure.path}:{failure.line}: " if failure.path and failure.line else (
            f"{failure.path}: " if failure.path else "")
        print_problem("Import failed", where + failure.message, failure.hint)
        sys.exit(1)
    click.echo(result.printed())
    click.echo(f"Report: {result.report}")
