"""The target a deploy goes to: chosen by name from site.yaml, connected by its type."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from builder.config.deploy import DeployTarget
from builder.deploy.base import Deployer
from builder.deploy.errors import DeployError, TargetChoiceError
from builder.deploy.local import LocalSite


def connect(target: DeployTarget, site: LocalSite, title: str = "", base: Path | None = None) -> Deployer:
    """The deployer for `target`; `base` is the site folder, which relative paths in site.yaml start from."""
    # Each backend is imported only when used: boto3 alone takes a second to load.
    kind: type[Deployer]
    if target.type == "s3":
        from builder.deploy.s3 import S3Deployer

        kind = S3Deployer
    elif target.type == "git":
        from builder.deploy.git import GitDeployer

        kind = GitDeployer
    elif target.type == "rsync":
        from builder.deploy.rsync import RsyncDeployer

        kind = RsyncDeployer
    else:  # config.deploy admits no other type
        raise DeployError(f"unknown deploy type {target.type!r}")
    return kind(target, site, title, base)


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
