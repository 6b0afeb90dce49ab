"""`broadsheet doctor`: whether this machine and this site are ready to build, audit and deploy.

A short checklist, one line per check and the fix under each problem. It exits 1 when something
needed is missing; a warning (deploy credentials that only trying would prove, Pagefind before a
site searches) does not change the exit code. Nothing is written, downloaded or sent, and no
credential is ever printed, only where it was found.
"""

from __future__ import annotations

import os
import platform
import re
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import click

import builder
from builder.commands.common import SITE_OPTION, output_option
from builder.errors import BuildFailed

MIN_PYTHON = (3, 12)
OK, WARN, FAIL = "ok", "warn", "FAIL"
COLOURS = {OK: "green", WARN: "yellow", FAIL: "red"}
REINSTALL = "pip install --upgrade --force-reinstall broadsheet"


@dataclass(frozen=True)
class Check:
    status: str  # OK, WARN or FAIL
    label: str  # what was checked, then what was found
    fix: str = ""


def python_check() -> Check:
    version = platform.python_version()
    if sys.version_info[:2] >= MIN_PYTHON:
        return Check(OK, f"Python {version}")
    return Check(FAIL, f"Python {version}: Broadsheet needs {'.'.join(map(str, MIN_PYTHON))} or newer",
                 "install a newer Python (e.g. apt-get install python3.12, or pyenv) and reinstall Broadsheet with it")


def _requirement_name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
    return match.group(0) if match else requirement


def _installed(name: str) -> bool:
    try:
        metadata.version(name)
    except metadata.PackageNotFoundError:
        return False
    return True


def packages_check() -> Check:
    """Every runtime dependency installed; which extras are complete (installed, not version-checked)."""
    try:
        requirements = metadata.requires("broadsheet") or []
    except metadata.PackageNotFoundError:
        return Check(WARN, "Python packages: Broadsheet is not installed as a package (run from a source folder?)",
                     "pip install broadsheet, or ./dev in a checkout")
    runtime: list[str] = []
    extras: dict[str, list[str]] = {}
    for requirement in requirements:
        name = _requirement_name(requirement)
        if extra := re.search(r"extra\s*==\s*['\"]([^'\"]+)['\"]", requirement):
            extras.setdefault(extra.group(1), []).append(name)
        else:
            runtime.append(name)
    missing = [name for name in runtime if not _installed(name)]
    complete = sorted(extra for extra, names in extras.items() if all(_installed(n) for n in names))
    shown = f"extras installed: {', '.join(complete)}" if complete else "no extras installed"
    if missing:
        return Check(FAIL, f"Python packages: missing {', '.join(missing)}",
                     f"{REINSTALL} (or pipx reinstall broadsheet)")
    return Check(OK, f"Python packages: all {len(runtime)} dependencies of broadsheet {builder.__version__} ({shown})")


def browser_checks() -> list[Check]:
    """Chromium and ChromeDriver found, runnable and of one version: the audit drives one with the other."""
    try:
        from builder.audit.browser import (
            CHROMEDRIVER_INSTALL,
            CHROMIUM_INSTALL,
            BrowserMissing,
            chromedriver_path,
            chromium_path,
            program_version,
            version_number,
        )
    except ImportError as exc:
        return [Check(FAIL, f"Chromium: not checked ({exc.name} is not installed)",
                      REINSTALL)]
    checks, versions = [], {}
    for what, find, install in (("Chromium", chromium_path, CHROMIUM_INSTALL),
                                ("ChromeDriver", chromedriver_path, CHROMEDRIVER_INSTALL)):
        try:
            path = find()
            said = program_version(path)
        except BrowserMissing as exc:
            checks.append(Check(FAIL, f"{what}: {exc}", f"{install} (Debian, Ubuntu); Broadsheet never downloads one"))
            continue
        versions[what] = version_number(said)
        checks.append(Check(OK, f"{what} {versions[what] or said} ({path})"))
    if len(versions) == 2:
        majors = {what: (number or "").split(".")[0] for what, number in versions.items()}
        if majors["Chromium"] != majors["ChromeDriver"]:
            checks.append(Check(FAIL, f"Chromium {versions['Chromium']} and ChromeDriver {versions['ChromeDriver']} "
                                      "are different releases: the driver cannot start the browser",
                                "install both from one release: apt-get install chromium chromium-driver"))
    return checks


def axe_check() -> Check:
    try:
        from builder.audit.axe import axe_version
    except ImportError as exc:
        return Check(FAIL, f"axe-core: not installed ({exc.name})", REINSTALL)
    return Check(OK, f"axe-core {axe_version()} (from axe-selenium-python {metadata.version('axe-selenium-python')})")


def pagefind_check() -> Check:
    """Pagefind's binary comes in the pagefind_bin wheel; only a site's search index needs it."""
    try:
        import pagefind_bin  # type: ignore[import-not-found, import-untyped, unused-ignore]

        executable = pagefind_bin.get_executable()
    except (ImportError, OSError, AttributeError):
        return Check(WARN, "Pagefind: not installed (only a site search index needs it)", "pip install 'pagefind[bin]'")
    return Check(OK, f"Pagefind {metadata.version('pagefind_bin')} ({executable})")


def site_checks(site_dir: Path, output_dir: Path | None) -> list[Check]:
    from builder.config.site import CONFIG_NAME, load_config
    from builder.output.layout import check_output_dir
    from builder.render.theme_lookup import find_theme

    if not (site_dir / CONFIG_NAME).is_file():
        return [Check(WARN, f"site.yaml: none in {site_dir.resolve()}, so no site was checked",
                      "run broadsheet doctor in a site folder (or --site DIR); broadsheet init makes one")]
    try:
        config = load_config(site_dir)
    except BuildFailed as failure:
        return [Check(FAIL, f"site.yaml: {error.location()}: {f'{error.field}: ' if error.field else ''}"
                            f"{error.message}", error.hint) for error in failure.errors]
    checks = [Check(OK, f"site.yaml: valid ({_count(len(config.sections), 'section')}, theme '{config.theme}')")]
    try:
        checks.append(Check(OK, f"theme '{config.theme}': {find_theme(config)}"))
    except BuildFailed as failure:
        checks += [Check(FAIL, f"theme: {error.message}", error.hint) for error in failure.errors]
    checks.append(_output_check(config.site_dir, output_dir or config.site_dir / "output", check_output_dir))
    checks += _deploy_checks(config)
    return checks


def _output_check(site_dir: Path, output: Path, check_output_dir) -> Check:
    try:
        check_output_dir(output, site_dir)
    except BuildFailed as failure:
        error = failure.errors[0]
        return Check(FAIL, f"output folder {output}: {error.message}", error.hint)
    folder = output
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if os.access(folder, os.W_OK | os.X_OK):
        return Check(OK, f"output folder {output}: can be written")
    return Check(FAIL, f"output folder {output}: {folder} cannot be written",
                 f"give this user write access to {folder}, or build elsewhere with --output DIR")


def _deploy_checks(config) -> list[Check]:
    from builder.deploy.credentials import check_credentials

    checks = []
    for target in config.deploy.values():
        found = check_credentials(target, config.site_dir, os.environ, Path.home())
        if found.found:
            checks.append(Check(OK, f"deploy {target.name} ({target.type}): credentials from {found.where}"))
        else:
            checks.append(Check(WARN, f"deploy {target.name} ({target.type}): {found.where}", found.fix))
    return checks


def run_checks(site_dir: Path, output_dir: Path | None) -> list[Check]:
    return [python_check(), packages_check(), *browser_checks(), axe_check(), pagefind_check(),
            *site_checks(site_dir, output_dir)]


def print_checks(checks: list[Check]) -> None:
    for check in checks:
        status = click.style(f"{check.status:<5}", fg=COLOURS[check.status], bold=check.status != OK)
        click.echo(f"  {status} {check.label}")
        if check.fix and check.status != OK:
            click.echo(f"          {click.style('fix:', fg='cyan')} {check.fix}")
    problems = sum(c.status == FAIL for c in checks)
    warnings = sum(c.status == WARN for c in checks)
    also = f", {_count(warnings, 'warning')}" if warnings else ""
    if problems:
        click.secho(f"{_count(problems, 'problem')} to fix{also}.", fg="red", bold=True)
    else:
        click.secho(f"Ready{f' ({_count(warnings, 'warning')})' if warnings else ''}.", fg="green", bold=True)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@click.command()
@SITE_OPTION
@output_option("The output folder to check.  [default: <site>/output]")
def doctor(site_dir: Path, output_dir: Path | None) -> None:
    """Check that this machine and site can build, audit and deploy; print the fix for each problem.

    Checks Python, Broadsheet's packages, Chromium and ChromeDriver (found, and of one release),
    axe-core, Pagefind, site.yaml, the theme, the output folder and every deploy target's
    credentials (where they come from, never their values). Exit 1 when something needed is
    missing; warnings do not change the exit code.
    """
    click.echo(f"Broadsheet {builder.__version__} doctor: {site_dir.resolve()}")
    checks = run_checks(site_dir, output_dir)
    print_checks(checks)
    sys.exit(1 if any(c.status == FAIL for c in checks) else 0)
