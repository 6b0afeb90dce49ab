"""The audit on a terminal: a progress bar while it runs (only on a TTY), then a summary grouped by rule."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from builder.audit.report import group_by_rule

IMPACT_STYLE = {"critical": "bold red", "serious": "red", "moderate": "yellow", "minor": "cyan"}
EXAMPLES = 3


@contextmanager
def audit_progress(console: Console) -> Iterator[Callable[[int, int, int], None] | None]:
    if not console.is_terminal:
        yield None
        return
    with Progress(TextColumn("Auditing pages"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[cached]} from cache"), TimeElapsedColumn(),
                  console=console, transient=True) as progress:
        task = progress.add_task("audit", total=None, cached=0)

        def update(done: int, total: int, cached: int) -> None:
            progress.update(task, completed=done, total=total, cached=cached)

        yield update


def print_summary(console: Console, result, reports: dict[str, Path]) -> None:
    groups = group_by_rule(result.findings)
    if groups:
        table = Table(title="Findings by rule", title_justify="left", show_lines=False)
        table.add_column("Rule", no_wrap=True)
        table.add_column("Kind")
        table.add_column("Impact")
        table.add_column("Findings", justify="right")
        table.add_column("Pages", justify="right")
        table.add_column("Example pages", overflow="fold")
        for g in groups:
            more = f" (+{len(g.pages) - EXAMPLES})" if len(g.pages) > EXAMPLES else ""
            examples = ", ".join(g.pages[:EXAMPLES]) + more
            rule = g.rule + (" [dim](allowed)[/dim]" if g.allowed else "") + (" [dim](known)[/dim]" if g.known else "")
            kind = "violation" if g.kind == "violation" else "needs review"
            table.add_row(rule, kind, f"[{IMPACT_STYLE.get(g.impact, '')}]{g.impact}[/]", str(len(g.findings)),
                          str(len(g.pages)), examples)
        console.print(table)
    else:
        console.print("No findings.")
    for path in reports.values():
        console.print(f"Report: {path}", highlight=False)
    rate = f"{result.pages_per_second:.1f}" if result.seconds > 0 else "∞"
    console.print(f"Audited {len(result.pages)} of {result.total_pages} pages ({result.cached} from the cache) "
                  f"in {result.seconds:.2f} s with {result.workers} worker{'s' if result.workers != 1 else ''}: "
                  f"{rate} pages/s", highlight=False)
    by_kind = result.seconds_by_kind()
    if by_kind:
        console.print("Browser time per page: " + ", ".join(f"{kind} {mean:.2f} s ({count})"
                                                          for kind, (count, mean) in by_kind.items()), highlight=False)
    if result.known:
        console.print(f"{len(result.known)} finding{'s' if len(result.known) != 1 else ''} known: accepted in "
                      f"{result.baseline_file}, not failing the audit", highlight=False)
    failing = result.failing
    if failing:
        rules = len({f.rule for f in failing})
        console.print(f"[bold red]Audit failed:[/] {len(failing)} violation{'s' if len(failing) != 1 else ''} "
                      f"of {rules} rule{'s' if rules != 1 else ''} at or above {result.fail_on}", highlight=False)
    else:
        console.print(f"[bold green]Audit passed:[/] no violations at or above {result.fail_on}", highlight=False)


def run_audit(options, console: Console | None = None) -> int:
    """Load site.yaml, audit, write the reports, print the summary. Returns the exit code (0 or 1).

    Raises BuildFailed for an invalid site.yaml and AuditFailed when the audit cannot run.
    """
    from dataclasses import replace

    from builder.audit.report import write_reports
    from builder.audit.run import audit_site
    from builder.config.site import load_config

    console = console or Console()
    config = load_config(options.site_dir)
    with audit_progress(console) as progress:
        result = audit_site(config, replace(options, progress=progress))
    reports = write_reports(result, options.reports)
    print_summary(console, result, reports)
    return result.exit_code
