"""`broadsheet build`: build the site into the output folder, then optionally audit it."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from builder.commands.common import SITE_OPTION, output_option
from builder.console import print_errors, print_warnings, terminal_progress
from builder.errors import BuildFailed


def print_debts(debts) -> None:
    """After a build: the known debts in one line, and the fixed ones to drop from the baseline."""
    from builder.checks.baseline import fixed_line, summary_line

    judgement = debts.judgement
    if judgement.known:
        click.echo(summary_line(judgement))
    if judgement.fixed:
        click.secho(fixed_line(judgement), fg="green")


@click.command()
@SITE_OPTION
@output_option("Where to write the site.  [default: <site>/output]")
@click.option("--drafts", is_flag=True, help="Include articles marked draft: true.")
@click.option("--future", is_flag=True, help="Include articles dated in the future.")
@click.option("--no-link-check", is_flag=True, help="Do not check internal links and #anchors.")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), help="Processes to use.  [default: number of cores]")
@click.option("--clean", is_flag=True, help="Ignore the build cache and render every page again.")
@click.option("--timings", is_flag=True, help="Print how long each stage took.")
@click.option("--audit", "then_audit", is_flag=True, help="Audit the site after a successful build (see: audit).")
def build(site_dir: Path, output_dir: Path | None, drafts: bool, future: bool, no_link_check: bool,
          jobs: int | None, clean: bool, timings: bool, then_audit: bool = False) -> None:
    """Build the site into the output folder.

    The previous output stays untouched unless the whole build succeeds; only changed files are
    rewritten and files no page produces any more are removed.
    """
    from builder.build.options import BuildOptions
    from builder.build.pipeline import build as run_build

    try:
        with terminal_progress() as progress:
            options = BuildOptions(site_dir, output_dir, drafts, future, check_links=not no_link_check, clean=clean,
                                   progress=progress)
            result = run_build(replace(options, jobs=jobs) if jobs else options)
    except BuildFailed as failure:
        print_errors(failure.errors)
        if failure.note:
            click.echo(failure.note, err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        # 128 + SIGINT, as shells report a command ended by Ctrl-C. The staged files are gone and
        # the output folder is as the last build left it (see OutputWriter).
        click.echo("Interrupted: the output folder is as the last build left it.", err=True)
        sys.exit(130)
    print_warnings(result.warnings)
    report = result.report
    click.echo(
        f"Built {result.articles} articles into {result.pages} files in {result.seconds:.2f} s "
        f"({len(report.written)} written, {report.unchanged} unchanged, {len(report.deleted)} removed; "
        f"{result.rendered} rendered)"
    )
    print_debts(result.debts)
    if timings:
        for stage, seconds in result.timings.items():
            click.echo(f"  {stage:<8} {seconds:7.3f} s")
    if then_audit:
        from builder.commands.audit import run_audit_command

        run_audit_command(site_dir, output_dir)

