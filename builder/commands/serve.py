"""`broadsheet serve`: build, serve under the base path, rebuild on every change (commands.preview)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from builder.commands.common import SITE_OPTION


@click.command()
@SITE_OPTION
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but a loopback address shares drafts with the network (warned).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free port).")
@click.option("--drafts/--no-drafts", default=True, show_default=True,
              help="Show draft and scheduled articles (with a banner), or only what readers would see.")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a web browser.")
def serve(site_dir: Path, host: str, port: int, drafts: bool, open_browser: bool) -> None:
    """Build the site, serve it under its base path and rebuild on every change.

    Watches content/, static/, templates/, the theme and site.yaml. Only what a change affects is
    rebuilt, and only the open pages whose files changed reload. A build error does not stop the
    server: the terminal and every open page show it until it is fixed.
    """
    from builder.commands.preview import run_preview

    sys.exit(run_preview(site_dir, host=host, port=port, drafts=drafts, open_browser=open_browser))
