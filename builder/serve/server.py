"""`broadsheet serve`: build, then serve the output under the site's base path."""

from __future__ import annotations

import webbrowser
from http.server import ThreadingHTTPServer
from pathlib import Path

import click

from builder.errors import BuildFailed
from builder.pipeline import BuildOptions, build
from builder.serve.http import SiteHandler


def run_preview(site_dir: Path, *, host: str, port: int, drafts: bool, open_browser: bool) -> int:
    from builder.cli import print_errors

    options = BuildOptions(site_dir, drafts=drafts)
    try:
        result = build(options)
    except BuildFailed as failure:
        print_errors(failure.errors)
        return 1
    handler = type("Handler", (SiteHandler,), {"root": options.output.resolve(), "base_path": result.config.base_path})
    server = ThreadingHTTPServer((host, port), handler)
    url = f"http://{host}:{server.server_address[1]}{result.config.base_path}"
    click.echo(f"Built {result.pages} files in {result.seconds:.2f} s. Serving {url}  (Ctrl+C to stop)")
    if open_browser:
        webbrowser.open(url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
