"""`broadsheet new`: a new draft article with valid front matter."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from builder.commands.common import SITE_OPTION
from builder.console import print_errors
from builder.errors import BuildFailed


@click.command()
@click.argument("headline")
@click.option("--section", required=True, help="Section key from site.yaml.")
@click.option("--lang", help="Language of the article (BCP 47), if not the site's.")
@click.option("--author", "authors", multiple=True, help="Author key or name; repeat for several.")
@SITE_OPTION
def new(headline: str, section: str, lang: str | None, authors: tuple[str, ...], site_dir: Path) -> None:
    """Write a new draft article with valid front matter and print its path."""
    from builder.config.site import load_config
    from builder.content.scaffold import new_article_file

    try:
        config = load_config(site_dir)
        path = new_article_file(config, headline, section, lang=lang, authors=authors,
                                now=datetime.now(config.timezone))
    except BuildFailed as failure:
        print_errors(failure.errors)
        sys.exit(1)
    click.echo(path)
