"""Command line: parse arguments, call a stage, print the outcome. No build logic lives here.

Exit codes: 0 success, 1 content or configuration errors, 2 usage errors.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from builder.errors import BuildError, BuildFailed

SITE_OPTION = click.option(
    "--site", "site_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
    show_default="current folder", help="The site folder (the one with site.yaml).",
)


def print_errors(errors: list[BuildError]) -> None:
    noun = "problem" if len(errors) == 1 else "problems"
    click.secho(f"Build failed: {len(errors)} {noun}", fg="red", bold=True, err=True)
    for error in errors:
        location = error.location()
        head = f"{location}: " if location else ""
        field = f"{error.field}: " if error.field else ""
        click.echo(f"  {click.style(head, bold=True)}{field}{error.message}", err=True)
        if error.hint:
            click.echo(f"      {click.style('fix:', fg='cyan')} {error.hint}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="broadsheet")
def main() -> None:
    """Broadsheet: build an accessible static news site from Markdown articles."""


@main.command()
@SITE_OPTION
@click.option("--output", "output_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the site.  [default: <site>/output]")
@click.option("--drafts", is_flag=True, help="Include articles marked draft: true.")
@click.option("--future", is_flag=True, help="Include articles dated in the future.")
@click.option("--no-link-check", is_flag=True, help="Do not check internal links and #anchors.")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), help="Processes to use.  [default: number of cores]")
@click.option("--clean", is_flag=True, help="Ignore the build cache and render every page again.")
@click.option("--timings", is_flag=True, help="Print how long each stage took.")
@click.option("--audit", "then_audit", is_flag=True, help="Audit the site after a successful build (see: audit).")
def build(site_dir: Path, output_dir: Path | None, drafts: bool, future: bool, no_link_check: bool,
          jobs: int | None, clean: bool, timings: bool, then_audit: bool = False) -> None:
    """Build the site into the output folder.

    The previous output stays untouched unless the whole build succeeds; only changed files are
    rewritten and files no page produces any more are removed.
    """
    from builder.build.pipeline import BuildOptions, build as run_build
    from builder.console import terminal_progress

    options = dict(check_links=not no_link_check, clean=clean)
    if jobs:
        options["jobs"] = jobs
    try:
        with terminal_progress() as progress:
            result = run_build(BuildOptions(site_dir, output_dir, drafts, future, progress=progress, **options))
    except BuildFailed as failure:
        print_errors(failure.errors)
        sys.exit(1)
    report = result.report
    click.echo(
        f"Built {result.articles} articles into {result.pages} files in {result.seconds:.2f} s "
        f"({len(report.written)} written, {report.unchanged} unchanged, {len(report.deleted)} removed; "
        f"{result.rendered} rendered)"
    )
    if timings:
        for stage, seconds in result.timings.items():
            click.echo(f"  {stage:<8} {seconds:7.3f} s")
    if then_audit:
        _audit(site_dir, output_dir)


@main.command()
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
        path = new_article_file(config, headline, section, lang=lang, authors=authors, now=datetime.now(config.timezone))
    except BuildFailed as failure:
        print_errors(failure.errors)
        sys.exit(1)
    click.echo(path)


@main.command()
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
    from builder.serve.server import run_preview

    sys.exit(run_preview(site_dir, host=host, port=port, drafts=drafts, open_browser=open_browser))


def _allow_entry(ctx, param, values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    entries = []
    for value in values:
        rule, sep, reason = value.partition("=")
        if not sep or not rule.strip() or not reason.strip():
            raise click.BadParameter(f"'{value}': write RULE=REASON, e.g. --allow 'region=legacy pages, see #12'")
        entries.append((rule.strip(), reason.strip()))
    return tuple(entries)


def _audit(site_dir: Path, output_dir: Path | None, **settings) -> None:
    from builder.audit.run import AuditFailed, AuditOptions
    from builder.audit.terminal import run_audit

    try:
        code = run_audit(AuditOptions(site_dir, output_dir, **{k: v for k, v in settings.items() if v is not None}))
    except BuildFailed as failure:
        print_errors(failure.errors)
        sys.exit(1)
    except AuditFailed as exc:
        click.secho(f"Audit could not run: {exc}", fg="red", err=True)
        sys.exit(2)
    sys.exit(code)


@main.command()
@SITE_OPTION
@click.option("--output", "output_dir", type=click.Path(file_okay=False, path_type=Path),
              help="The built site to audit.  [default: <site>/output]")
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
    _audit(site_dir, output_dir, report_dir=report_dir, workers=workers, sample=sample, seed=seed,
           fail_on=fail_on, allow=allow, use_cache=not no_cache)


# --- deploy --------------------------------------------------------------------------------------

def _deploy_problem(heading: str, error) -> None:
    click.secho(f"{heading}: {error.message}", fg="red", bold=True, err=True)
    if error.hint:
        click.echo(f"      {click.style('fix:', fg='cyan')} {error.hint}", err=True)


@main.command()
@click.argument("target", required=False)
@SITE_OPTION
@click.option("--output", "output_dir", type=click.Path(file_okay=False, path_type=Path),
              help="The output folder to build into and deploy.  [default: <site>/output]")
@click.option("--dry-run", is_flag=True, help="Print every upload and deletion it would make; change nothing.")
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
    from builder.config.site import load_config
    from builder.deploy import DeployError, TargetChoiceError, choose_target, connect, load_site, summary
    from builder.build.pipeline import BuildOptions
    from builder.console import terminal_progress

    try:
        config = load_config(site_dir)
        chosen = choose_target(config.deploy, target)
    except BuildFailed as failure:
        print_errors(failure.errors)
        sys.exit(1)
    except DeployError as error:
        _deploy_problem("Deploy refused", error)
        sys.exit(2 if isinstance(error, TargetChoiceError) else 1)
    options = BuildOptions(site_dir, output_dir)
    if not no_build:
        from builder.build.pipeline import build as run_build

        try:
            with terminal_progress() as progress:
                result = run_build(BuildOptions(site_dir, output_dir, progress=progress))
        except BuildFailed as failure:
            print_errors(failure.errors)
            click.secho("Nothing was deployed.", fg="red", err=True)
            sys.exit(1)
        click.echo(f"Built {result.articles} articles into {result.pages} files "
                   f"({len(result.report.written)} written, {result.report.unchanged} unchanged, "
                   f"{len(result.report.deleted)} removed)")
    try:
        site = load_site(options.output)
    except DeployError as error:
        _deploy_problem("Deploy refused", error)
        sys.exit(1)
    try:
        with connect(chosen, site, config.title, config.site_dir) as deployer:
            click.echo(f"{'Dry run of the deploy' if dry_run else 'Deploying'} build {site.build_id} "
                       f"to {chosen.name}: {deployer.describe()}")
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
                done = deployer.apply(plan, progress and (lambda n, total: progress("deploy", n, total)))
            try:  # a build that ran meanwhile (e.g. `serve`) may have mixed its files into the deploy
                intact = load_site(options.output).build_id == site.build_id
            except DeployError:
                intact = False
            if not intact:
                raise DeployError("the output folder changed while deploying, so the target may have files of "
                                  "two builds", "deploy again once no build is running")
            click.secho(f"Deployed to {chosen.name}: {summary(done, done=True)}", fg="green")
    except DeployError as error:
        _deploy_problem("Deploy failed", error)
        sys.exit(1)


if __name__ == "__main__":
    main()
