"""What every deploy target is: the Deployer interface, and where a target's location points."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from builder.config.deploy import DeployTarget
from builder.deploy.local import LocalSite
from builder.deploy.plan import Plan

Progress = Callable[[int, int], None]  # done, total


class Deployer:
    """Base of the targets: `plan` reads the target, `apply` changes it, `close` cleans up."""

    def __init__(self, target: DeployTarget, site: LocalSite, title: str = "", base: Path | None = None):
        self.target, self.site, self.title = target, site, title
        self.base = base or Path.cwd()  # what a relative path in site.yaml is relative to: the site folder

    def describe(self) -> str:
        raise NotImplementedError

    def plan(self, delete: bool) -> Plan:
        raise NotImplementedError

    def apply(self, plan: Plan, progress: Progress | None = None) -> Plan:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_REMOTE = re.compile(r"^(\w[\w+.-]*://|[^/]*:)")  # scheme://... or [user@]host:path, as git and rsync read them


def is_remote(location: str) -> bool:
    return bool(_REMOTE.match(location))


def resolve_location(location: str, base: Path) -> str:
    """A git remote or rsync destination; a local path is taken relative to `base`."""
    if is_remote(location):
        return location
    return str((base / Path(location).expanduser()).resolve())
