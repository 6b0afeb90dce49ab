"""`broadsheet new`: a new draft article with valid front matter."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from builder.commands.common import SITE_OPTION, stdin_is_terminal
from builder.config.site import SiteConfig, load_config
from builder.console import print_errors
from builder.errors import BuildError, BuildFailed


def choose_section(config: SiteConfig, interactive: bool) -> str:
    """Without --section: the only section, the one chosen at a terminal, or else the first."""
    keys = [s.key for s in config.sections]
    if not keys:
        raise BuildFailed([BuildError(config.site_dir / "site.yaml", None, "sections", "has no section to write in",
                                      "add one, e.g. sections: [{key: news, title: News}]")])
    if len(keys) > 1 and interactive:
        return click.prompt("Section", type=click.Choice(keys), default=keys[0])
    if len(keys) > 1:
        click.echo(f"Section: {keys[0]}, the first in site.yaml (--section to choose another: "
                   f"{', '.join(keys[1:])})", err=True)
    return keys[0]


@click.command()
@click.argument("headline", required=False)
@click.option("--section", help="Section key from site.yaml.  [default: asked at a terminal, else the first]")
@click.option("--lang", help="Language of the article (BCP 47), if not the site's.")
@click.option("--edition", help="The language edition it is published in (a code under languages: in site.yaml), "
              "if not the one of its language.")
@click.option("--author", "authors", multiple=True, help="Author key or name; repeat for several.")
@SITE_OPTION
def new(headline: str | None, section: str | None, lang: str | None, edition: str | None, authors: tuple[str, ...],
        site_dir: Path) -> None:
    """Write a new draft article with valid front matter and print its path.

    The headline is asked for at a terminal when not given; without --section, a site with one
    section gets the article there, and one with several asks (or, with no terminal, takes the first).
    """
    from builder.content.scaffold import new_article_file

    interactive = stdin_is_terminal()
    if headline is None:
        if not interactive:
            raise click.UsageError("give the headline: broadsheet new \"Council approves the budget\"")
        headline = click.prompt("Headline")
    try:
        config = load_config(site_dir)
        section = section or choose_section(config, interactive)
        path = new_article_file(config, headline, section, lang=lang, edition=edition, authors=authors,
                                now=datetime.now(config.timezone))
    except BuildFailed as failure:
        print_errors(failure.errors)
        sys.exit(1)
    click.echo(path)
