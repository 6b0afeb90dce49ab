"""Options several commands share."""

from __future__ import annotations

import sys
from pathlib import Path

import click

SITE_OPTION = click.option(
    "--site", "site_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
    show_default="current folder", help="The site folder (the one with site.yaml).",
)


def output_option(help_text: str):
    return click.option("--output", "output_dir", type=click.Path(file_okay=False, path_type=Path), help=help_text)


def stdin_is_terminal() -> bool:
    """Whether a person can answer a question: commands ask only then, and use defaults in CI."""
    return sys.stdin is not None and sys.stdin.isatty()
