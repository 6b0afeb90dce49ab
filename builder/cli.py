"""Command line: the `broadsheet` command group. Each command lives in builder/commands/; no logic here.

Exit codes: 0 success, 1 content or configuration errors, 2 usage errors.
"""

from __future__ import annotations

import click

from builder.commands.audit import audit
from builder.commands.baseline import baseline
from builder.commands.build import build
from builder.commands.deploy import deploy
from builder.commands.import_ import import_
from builder.commands.new import new
from builder.commands.serve import serve


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="broadsheet")
def main() -> None:
    """Broadsheet: build an accessible static news site from Markdown articles."""


for command in (build, new, serve, audit, deploy, baseline, import_):
    main.add_command(command)


if __name__ == "__main__":
    main()
