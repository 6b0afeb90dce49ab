"""Command line: the `broadsheet` command group. Each command lives in builder/commands/; no logic here.

Exit codes: 0 success, 1 content or configuration errors, 2 usage errors.
"""

from __future__ import annotations

import click

from builder.commands.audit import audit
from builder.commands.baseline import baseline
from builder.commands.build import build
from builder.commands.deploy import deploy
from builder.commands.doctor import doctor
from builder.commands.import_ import import_
from builder.commands.init import init
from builder.commands.new import new
from builder.commands.serve import serve


def _print_versions(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from builder.commands.versions import version_lines

    click.echo("\n".join(version_lines()))
    ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_versions,
              help="Show the versions of Broadsheet, Python, axe-core and Chromium, and exit.")
def main() -> None:
    """Broadsheet: build an accessible static news site from Markdown articles."""


for command in (init, build, new, serve, audit, deploy, doctor, baseline, import_):
    main.add_command(command)


if __name__ == "__main__":
    main()
