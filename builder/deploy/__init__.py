"""`broadsheet deploy`: publish the output of a successful build to S3, a git branch or rsync.

Every target has the same small interface, so the command line does not care which it talks to:

    with connect(target, site, title) as deployer:
        plan = deployer.plan(delete=False)   # looks at the target, changes nothing
        deployer.apply(plan)                 # uploads, then deletes; returns what it did

`site` comes from `local.load_site`, which refuses an output folder whose build did not succeed or
that changed since.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Mapping

from builder.config.site import DeployTarget
from builder.deploy.errors import DeployError
from builder.deploy.local import LocalSite, load_site
from builder.deploy.plan import Plan, make_plan, summary

__all__ = ["Deployer", "DeployError", "LocalSite", "Plan", "TargetChoiceError", "choose_target", "connect",
           "load_site", "make_plan", "summary"]

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


def connect(target: DeployTarget, site: LocalSite, title: str = "", base: Path | None = None) -> Deployer:
    """The deployer for `target`; `base` is the site folder, which relative paths in site.yaml start from."""
    if target.type == "s3":
        from builder.deploy.s3 import S3Deployer as kind
    elif target.type == "git":
        from builder.deploy.git import GitDeployer as kind
    elif target.type == "rsync":
        from builder.deploy.rsync import RsyncDeployer as kind
    else:  # config.py admits no other type
        raise DeployError(f"unknown deploy type {target.type!r}")
    return kind(target, site, title, base)


_REMOTE = re.compile(r"^(\w[\w+.-]*://|[^/]*:)")  # scheme://... or [user@]host:path, as git and rsync read them


def is_remote(location: str) -> bool:
    return bool(_REMOTE.match(location))


def resolve_location(location: str, base: Path) -> str:
    """A git remote or rsync destination; a local path is taken relative to `base`."""
    if is_remote(location):
        return location
    return str((base / Path(location).expanduser()).resolve())


class TargetChoiceError(DeployError):
    """The command line named no target, or one that site.yaml does not have (a usage error)."""


def choose_target(targets: Mapping[str, DeployTarget], name: str | None) -> DeployTarget:
    """The target named on the command line, or the only one there is."""
    names = ", ".join(sorted(targets)) or "none"
    if not targets:
        raise DeployError("site.yaml has no deploy targets",
                          "add e.g. deploy: {mirror: {type: rsync, destination: /var/www/archive/}}")
    if name is None:
        if len(targets) == 1:
            return next(iter(targets.values()))
        raise TargetChoiceError("several deploy targets are configured: name one", f"configured: {names}")
    if name not in targets:
        raise TargetChoiceError(f"site.yaml has no deploy target '{name}'", f"configured: {names}")
    return targets[name]
