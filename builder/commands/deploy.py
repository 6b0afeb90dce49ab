"""`broadsheet deploy`: build, then publish the output to a target named in site.yaml (deploy/)."""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

import click

from builder.commands.common import SITE_OPTION, output_option
from builder.console import print_errors, print_problem, print_warnings, terminal_progress
from builder.errors import BuildFailed


@click.command()
@click.argument("target", required=False)
@SITE_OPTION
@output_option("The output folder to build into and deploy.  [default: <site>/output]")
@click.option("--dry-run", is_flag=True,
              help="Print every upload and deletion it would make for the last build; build and change nothing.")
@click.option("--delete", is_flag=True, help="Remove files at the target that the built site no longer has.")
@click.option("--no-build", is_flag=True,
              help="Deploy the last build as it is. Mind that `serve` builds drafts into the same folder.")
def deploy(target: str | None, site_dir: Path, output_dir: Path | None, dry_run: bool, delete: bool,
           no_build: bool) -> None:
    """Publish the built site to TARGET, a name under deploy: in site.yaml (s3, git or rsync).

    TARGET may be left out when site.yaml names only one. The site is built first (unless
    --no-build) and a deploy never starts from a failed build, nor from an output folder that
    changed since its build. Only files whose bytes changed are sent; files only the target has
    are kept unless --delete is given. Credentials come from the environment, a profile, your ssh
    keys or git credential helper, never from site.yaml. Exit 1 when the build or the deploy fails
    or is refused, 2 for an unknown TARGET.
    """
    from builder.build.options import BuildOptions
    from builder.config.site import load_config
    from builder.deploy.errors import DeployError, TargetChoiceError
    from builder.deploy.local import load_site
    from builder.deploy.targets import choose_target
    from builder.output.layout import JOURNAL
    from builder.output.switch import roll_forward

    try:
        config = load_config(site_dir)
        chosen = choose_target(config.deploy, target)
    except BuildFailed as failure:
        print_errors(failure.errors)
        sys.exit(1)
    except DeployError as error:
        print_problem("Deploy refused", error.message, error.hint)
        sys.exit(2 if isinstance(error, TargetChoiceError) else 1)
    options = BuildOptions(site_dir, output_dir)
    if dry_run:
        # A dry run changes nothing anywhere, the output folder included: it plans from the
        # last build as it is, and says so.
        click.echo("Dry run: nothing is built; the plan is for the output folder as the last build left it.")
        if (options.output / JOURNAL).exists():
            print_problem("Deploy refused", "the last build was stopped while it switched its files in",
                          "run broadsheet build (it finishes the switch), then the dry run again")
            sys.exit(1)
    elif not no_build:
        _build_first(options)
    else:
        roll_forward(options.output)  # a build killed while switching its files in is finished first
    try:
        site = load_site(options.output)
    except DeployError as error:
        print_problem("Deploy refused", error.message, error.hint)
        sys.exit(1)
    try:
        _publish(chosen, site, config, options.output, dry_run=dry_run, delete=delete)
    except DeployError as error:
        print_problem("Deploy failed", error.message, error.hint)
        sys.exit(1)


def _build_first(options) -> None:
    from dataclasses import replace

    from builder.build.pipeline import build as run_build

    try:
        with terminal_progress() as progress:
            result = run_build(replace(options, progress=progress))
    except BuildFailed as failure:
        print_errors(failure.errors)
        click.secho("Nothing was deployed.", fg="red", err=True)
        sys.exit(1)
    print_warnings(result.warnings)
    click.echo(f"Built {result.articles} articles into {result.pages} files "
               f"({len(result.report.written)} written, {result.report.unchanged} unchanged, "
               f"{len(result.report.deleted)} removed)")


def _publish(target, site, config, output: Path, *, dry_run: bool, delete: bool) -> None:
    """Plan the deploy, print it, and (unless a dry run) carry it out. Raises DeployError."""
    from builder.deploy.errors import DeployError
    from builder.deploy.local import load_site
    from builder.deploy.plan import summary
    from builder.deploy.targets import connect

    with connect(target, site, config.title, config.site_dir) as deployer:
        click.echo(f"{'Dry run of the deploy' if dry_run else 'Deploying'} build {site.build_id} "
                   f"to {target.name}: {deployer.describe()}")
        plan = deployer.plan(delete)
        if dry_run:
            for verb, paths in (("upload", plan.uploads), ("delete", plan.deletions), ("keep", plan.kept),
                                ("skip", plan.skipped)):
                for path in paths:
                    click.echo(f"  {verb:<6} {path}")
            click.echo(f"Would do: {summary(plan)}. Nothing was changed.")
            return
        click.echo(f"Plan: {summary(plan)}")
        if not plan.changes:
            click.echo("The target is up to date.")
            return
        with terminal_progress() as progress:
            done = deployer.apply(plan, None if progress is None else partial(progress, "deploy"))
        try:  # a build that ran meanwhile (e.g. `serve`) may have mixed its files into the deploy
            intact = load_site(output).build_id == site.build_id
        except DeployError:
            intact = False
        if not intact:
            raise DeployError("the output folder changed while deploying, so the target may have files of "
                              "two builds", "deploy again once no build is running")
        click.secho(f"Deployed to {target.name}: {summary(done, done=True)}", fg="green")
