"""`broadsheet audit`: axe-core in headless Chromium over the built site, with reports."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from builder.commands.common import SITE_OPTION, output_option
from builder.console import print_errors, print_problem
from builder.errors import BuildFailed


def _allow_entry(ctx, param, values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    entries = []
    for value in values:
        rule, sep, reason = value.partition("=")
        if not sep or not rule.strip() or not reason.strip():
            raise click.BadParameter(f"'{value}': write RULE=REASON, e.g. --allow 'region=legacy pages, see #12'")
        entries.append((rule.strip(), reason.strip()))
    return tuple(entries)


def run_audit_command(site_dir: Path, output_dir: Path | None, **settings) -> None:
    """Audit and exit: 0 passed, 1 violations (or a site that cannot be read), 2 the audit could not run."""
    from builder.audit.run import AuditFailed, AuditOptions
    from builder.audit.terminal import run_audit
    from builder.build.options import BuildOptions
    from builder.output.switch import roll_forward

    roll_forward(BuildOptions(site_dir, output_dir).output)  # a build killed while switching in: finish it
    try:
        code = run_audit(AuditOptions(site_dir, output_dir, **{k: v for k, v in settings.items() if v is not None}))
    except BuildFailed as failure:
        print_errors(failure.errors)
        sys.exit(1)
    except AuditFailed as exc:
        print_problem("Audit could not run", str(exc))
        sys.exit(2)
    sys.exit(code)


@click.command()
@SITE_OPTION
@output_option("The built site to audit.  [default: <site>/output]")
@click.option("--report-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the reports, outside the output.  [default: <site>/audit-report]")
@click.option("--workers", type=click.IntRange(1, 64), help="Browsers to run at once.  [default: number of cores]")
@click.option("--sample", type=click.IntRange(0), help="Audit one page of every template plus N random pages.")
@click.option("--seed", type=int, default=0, show_default=True, help="Which random pages --sample picks.")
@click.option("--fail-on", type=click.Choice(["minor", "moderate", "serious", "critical"]),
              help="Fail on violations of this impact or worse.  [default: site.yaml audit.fail_on, or minor]")
@click.option("--allow", multiple=True, callback=_allow_entry, metavar="RULE=REASON",
              help="Do not fail on this rule (still reported); repeat for several. Also audit.allow in site.yaml.")
@click.option("--no-cache", is_flag=True, help="Audit every page again, ignoring cached results.")
def audit(site_dir: Path, output_dir: Path | None, report_dir: Path | None, workers: int | None, sample: int | None,
          seed: int, fail_on: str | None, allow: tuple[tuple[str, str], ...], no_cache: bool) -> None:
    """Prove the built site accessible: axe-core in headless Chromium plus fast checks on every page.

    The output is served on 127.0.0.1; each page is checked as loaded, with text size LG at 320 px
    wide (horizontal overflow fails WCAG 1.4.10) and in the dark colour scheme. Reports (JSON, JUnit
    XML, HTML) go to the report folder, never into the output. Exit 1 on any violation at or above
    --fail-on; 2 when the audit cannot run.
    """
    run_audit_command(site_dir, output_dir, report_dir=report_dir, workers=workers, sample=sample, seed=seed,
                      fail_on=fail_on, allow=allow, use_cache=not no_cache)
