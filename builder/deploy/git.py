"""Deploy to a branch of a git repository (e.g. gh-pages), through the git command line.

The branch is cloned (only its last commit) into a temporary folder, or started as an orphan
branch when the remote does not have it yet. The output's files replace the branch's files,
`.nojekyll` is added (GitHub Pages would otherwise hide folders starting with "_"), and one commit
naming the build is pushed: each deploy is a child of the one before, so history is kept and any
deploy can be reverted. A push never forces: if someone else pushed meanwhile, the deploy fails
and can simply be run again.

Files on the branch that the output does not have (a CNAME, say) stay unless --delete is given.
Any remote git can push to works: a path, file://, ssh, https with a credential helper.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from builder.config.deploy import DeployTarget
from builder.deploy.base import Deployer, Progress, resolve_location
from builder.deploy.errors import DeployError
from builder.deploy.local import LocalSite
from builder.deploy.plan import Plan, make_plan

NOJEKYLL = ".nojekyll"
_EMPTY = hashlib.sha256(b"").hexdigest()


class GitDeployer(Deployer):
    def __init__(self, target: DeployTarget, site: LocalSite, title: str = "", base: Path | None = None):
        super().__init__(target, site, title, base)
        if shutil.which("git") is None:
            raise DeployError("git is not installed", "install it, e.g. apt-get install git")
        self.remote, self.branch = resolve_location(target.remote, self.base), target.branch
        self.tmp = Path(tempfile.mkdtemp(prefix="broadsheet-deploy-"))
        self.work = self.tmp / "branch"
        self.signatures = {path: file.digest for path, file in site.files.items()}
        self.signatures.setdefault(NOJEKYLL, _EMPTY)  # a site may bring its own

    def describe(self) -> str:
        return f"branch {self.branch} of {self.remote}"

    def close(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _git(self, *args: str, cwd: Path | None = None) -> str:
        env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
        try:
            done = subprocess.run(["git", *args], cwd=cwd or self.work, env=env, capture_output=True, text=True,
                                  encoding="utf-8", errors="replace", stdin=subprocess.DEVNULL)
        except OSError as exc:
            raise DeployError(f"git could not run: {exc}") from None
        if done.returncode != 0:
            why = done.stderr.strip().splitlines()
            raise DeployError(f"git {args[0]} failed: {why[-1] if why else f'exit status {done.returncode}'}",
                              _hint(args[0], self.remote, self.branch))
        return done.stdout

    # Looking -----------------------------------------------------------------------------------

    def plan(self, delete: bool) -> Plan:
        heads = self._git("ls-remote", "--heads", self.remote, f"refs/heads/{self.branch}", cwd=self.tmp)
        if heads.strip():
            self._git("clone", "--quiet", "--depth", "1", "--single-branch", "--branch", self.branch, "--no-tags",
                      "--config", "core.autocrlf=false", "--config", "core.quotepath=false",
                      self.remote, str(self.work), cwd=self.tmp)
        else:
            self.work.mkdir()
            self._git("init", "--quiet")
            self._git("config", "core.autocrlf", "false")
            self._git("checkout", "--quiet", "--orphan", self.branch)
            self._git("remote", "add", "origin", self.remote)
        remote = {}
        for path in self._git("ls-files", "-z").split("\0"):
            if path:
                remote[path] = _digest(self.work / path)
        return make_plan(self.signatures, remote, delete)

    # Changing ----------------------------------------------------------------------------------

    def apply(self, plan: Plan, progress: Progress | None = None) -> Plan:
        if not self.work.is_dir():
            raise DeployError("plan() first: there is no clone of the branch")
        total = len(plan.uploads) + len(plan.deletions)
        for done, path in enumerate(plan.uploads, 1):
            data = b"" if path == NOJEKYLL and path not in self.site.files else self.site.read(path)
            _write(self.work, path, data)
            if progress:
                progress(done, total)
        for done, path in enumerate(plan.deletions, len(plan.uploads) + 1):
            target = self.work / path
            target.unlink(missing_ok=True)
            _prune(self.work, target.parent)
            if progress:
                progress(done, total)
        self._git("add", "--all", "--force")  # --force: a .gitignore on the branch must not hide a file of the site
        if not self._git("status", "--porcelain").strip():
            return Plan((), (), plan.unchanged + len(plan.uploads), plan.kept, plan.skipped)  # nothing to commit
        self._git(*self._identity(), "commit", "--quiet", "--no-verify", "-m", self._message(plan))
        self._git("push", "--quiet", "origin", f"HEAD:refs/heads/{self.branch}")
        return plan

    def _message(self, plan: Plan) -> str:
        site = self.site
        lines = [f"Deploy build {site.build_id}" + (f" of {self.title}" if self.title else ""),
                 "",
                 f"Built {site.built_at:%Y-%m-%d %H:%M:%S} UTC: {len(site.files)} files; "
                 f"{len(plan.uploads)} added or changed, {len(plan.deletions)} removed."]
        if source := _source_commit(self.site.root):
            lines.append(f"Source: {source}")
        return "\n".join(lines) + "\n"

    def _identity(self) -> list[str]:
        """Commit as the user when git knows who that is; otherwise as Broadsheet."""
        try:
            self._git("config", "user.email")
            return []
        except DeployError:
            pass
        if os.environ.get("GIT_AUTHOR_EMAIL") and os.environ.get("GIT_COMMITTER_EMAIL"):
            return []
        return ["-c", "user.name=Broadsheet", "-c", "user.email=broadsheet@localhost"]


def _digest(path: Path) -> str | None:
    if path.is_symlink() or not path.is_file():
        return None  # not a file of ours: replace it
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write(root: Path, path: str, data: bytes) -> None:
    target = root / path
    for parent in reversed(Path(path).parents[:-1]):  # a file where a folder must go now
        if (root / parent).is_file() or (root / parent).is_symlink():
            (root / parent).unlink()
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    elif target.is_symlink():
        target.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def _prune(root: Path, folder: Path) -> None:
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _source_commit(output: Path) -> str:
    """The commit of the site's own repository, when the output sits in one (for the message)."""
    for folder in (output.parent, *output.parents):
        if (folder / ".git").exists():
            try:
                done = subprocess.run(["git", "-C", str(folder), "rev-parse", "--short", "HEAD"],
                                      capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                return ""
            return done.stdout.strip() if done.returncode == 0 else ""
    return ""


def _hint(command: str, remote: str, branch: str) -> str:
    if command in ("ls-remote", "clone"):
        return f"check that {remote} exists and that git can reach it (ssh key or credential helper)"
    if command == "push":
        return f"someone may have pushed to {branch} meanwhile (deploy again), or you may not push there"
    return ""
