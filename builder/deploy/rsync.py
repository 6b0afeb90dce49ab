"""Deploy with rsync to a local folder or over ssh ([user@]host:path, rsync://).

rsync compares by checksum (--checksum), not by time, so a fresh build of unchanged pages sends
nothing. Updated files are moved into place together at the end of the transfer
(--delay-updates), and files the output no longer has are removed, after that, only with
--delete. Broadsheet's own files (.broadsheet* at the top) are never sent, and never removed at
the destination. The plan is rsync's own dry run, so it is exactly what the transfer will do.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from builder.config.deploy import DeployTarget
from builder.deploy.base import Deployer, Progress, is_remote, resolve_location
from builder.deploy.errors import DeployError
from builder.deploy.local import LocalSite
from builder.deploy.plan import Plan
from builder.output.layout import PRIVATE_PREFIX

OPTIONS = ["--recursive", "--links", "--times", "--checksum", "--delay-updates", "--8-bit-output",
           "--out-format=%i %n", f"--exclude=/{PRIVATE_PREFIX}*"]
class RsyncDeployer(Deployer):
    def __init__(self, target: DeployTarget, site: LocalSite, title: str = "", base: Path | None = None):
        super().__init__(target, site, title, base)
        if shutil.which("rsync") is None:
            raise DeployError("rsync is not installed", "install it, e.g. apt-get install rsync")
        self.destination = resolve_location(target.destination, self.base)
        if not self.destination.endswith("/"):
            self.destination += "/"

    def describe(self) -> str:
        return f"rsync to {self.destination}"

    def plan(self, delete: bool) -> Plan:
        # Always a dry run with --delete, to report what is only at the destination either way.
        changes, extra = self._run(dry_run=True, delete=True)
        return Plan(uploads=tuple(changes), deletions=tuple(extra) if delete else (),
                    unchanged=len(self.site.files) - len(changes), kept=() if delete else tuple(extra))

    def apply(self, plan: Plan, progress: Progress | None = None) -> Plan:
        if not is_remote(self.destination):
            Path(self.destination).mkdir(parents=True, exist_ok=True)
        changes, deleted = self._run(dry_run=False, delete=bool(plan.deletions))
        if progress:
            progress(len(changes) + len(deleted), len(changes) + len(deleted))
        return Plan(tuple(changes), tuple(deleted), len(self.site.files) - len(changes), plan.kept)

    def _run(self, *, dry_run: bool, delete: bool) -> tuple[list[str], list[str]]:
        command = ["rsync", *OPTIONS, *(["--dry-run"] if dry_run else []),
                   *(["--delete", "--delete-after"] if delete else []),
                   str(self.site.root) + "/", self.destination]
        env = {**os.environ, "LC_ALL": "C"}
        try:
            done = subprocess.run(command, capture_output=True, env=env, stdin=subprocess.DEVNULL)
        except OSError as exc:
            raise DeployError(f"rsync could not run: {exc}") from None
        if done.returncode != 0:
            why = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise DeployError(f"rsync to {self.destination} failed (exit status {done.returncode}): "
                              f"{why[-1] if why else 'no message'}",
                              "check the destination, and for ssh that `ssh HOST` works without a prompt")
        sent, deleted = [], []
        for line in done.stdout.decode("utf-8", "surrogateescape").splitlines():
            code, name = line[:11], line[12:]
            if code.startswith("*deleting"):
                if not name.endswith("/"):
                    deleted.append(name)
            elif len(code) == 11 and code[0] in "<>" and code[1] == "f":
                sent.append(name)
        return sent, deleted
