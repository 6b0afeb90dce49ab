"""The GitHub workflow `broadsheet init --ci github` writes, its steps run here as a runner would run them.

A newsroom repository is made with `init --ci github` and a deploy target (rsync into a folder).
Two pushes are run as CI runs them, each in a fresh clone: the `run:` steps in bash with the
workflow's environment and $GITHUB_ENV, and the `uses:` steps done by hand (checkout: git clone;
cache: the kept folders copied back and saved again; the report steps: the files they upload or
read). Two steps are not run: setup-python (this Python is used) and "Install Broadsheet" (which
installs the version requirements.txt pins from PyPI; this checkout's Broadsheet is on PATH).

The second push changes one article, and its build must take the short way from the restored
cache and give the bytes of a clean build.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import builder
from builder.cli import main
from tests.support.files import age_new_files, tree

pytestmark = pytest.mark.browser  # the workflow audits in Chromium

GIT = ["git", "-c", "user.name=Desk", "-c", "user.email=desk@example.org", "-c", "commit.gpgsign=false"]
SKIPPED = {"Install Broadsheet"}


def without_search_bundle(files: dict[str, str]) -> dict[str, str]:
    return {path: digest for path, digest in files.items() if not path.startswith("pagefind/")}


BUILT = re.compile(r"Built (\d+) articles? into (\d+) files in [\d.]+ s \((\d+) written, (\d+) unchanged, "
                   r"(\d+) removed; (\d+) rendered\)")


def git(repo: Path, *args: str) -> None:
    subprocess.run([*GIT, "-C", str(repo), *args], check=True, capture_output=True)


class Runner:
    """Runs the workflow's steps for one push, in a fresh clone."""

    def __init__(self, workflow: dict, origin: Path, root: Path, variables: dict[str, str], cache: Path, age: int):
        self.job, self.age = workflow["jobs"]["site"], age  # age: the clone's files get mtimes no other run has
        self.origin, self.root, self.variables, self.cache = origin, root, variables, cache
        self.outputs: dict[str, str] = {}
        self.seconds: dict[str, float] = {}
        self.artifacts: dict[str, Path] = {}

    def expand(self, text: str) -> str:
        return re.sub(r"\$\{\{\s*vars\.(\w+)\s*\}\}", lambda m: self.variables.get(m.group(1), ""), text)

    def run(self) -> Path:
        workspace = self.root / "workspace"
        bin_dir = Path(sys.executable).parent  # this checkout's broadsheet, as "Install Broadsheet" would give
        env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "CI": "true",
               "GITHUB_ENV": str(self.root / "github_env"), "GITHUB_REF_NAME": "main", "GITHUB_EVENT_NAME": "push",
               **{name: self.expand(value) for name, value in self.job.get("env", {}).items()}}
        self.root.mkdir(parents=True)
        (self.root / "github_env").write_text("")
        for step in self.job["steps"]:
            name = step.get("name", step.get("uses", ""))
            uses = step.get("uses", "").split("@")[0]
            if uses == "actions/checkout":
                subprocess.run(["git", "clone", "--quiet", str(self.origin), str(workspace)], check=True)
                age_new_files(workspace, self.age)  # the install steps take time
            elif uses == "actions/setup-python" or name in SKIPPED:
                continue
            elif uses == "actions/cache":
                for path in step["with"]["path"].split():
                    if (self.cache / path).exists():
                        shutil.copytree(self.cache / path, workspace / path)
            elif uses == "actions/upload-artifact":
                self.artifacts[step["with"]["name"]] = workspace / step["with"]["path"]
            elif uses == "mikepenz/action-junit-report":
                ElementTree.parse(workspace / step["with"]["report_paths"])  # a JUnit file it can read
            else:
                started = time.perf_counter()
                done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", step["run"]], cwd=workspace, env=env,
                                      capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
                self.seconds[name] = time.perf_counter() - started
                self.outputs[name] = done.stdout + done.stderr
                assert done.returncode == 0, f"step {name!r} failed:\n{self.outputs[name][-3000:]}"
                for line in (self.root / "github_env").read_text().splitlines():
                    key, _, value = line.partition("=")
                    env[key] = value
        # The cache is saved at the end of the job, under a new key: the next run restores it.
        shutil.rmtree(self.cache, ignore_errors=True)
        for path in ("output", "audit-report/.cache"):
            shutil.copytree(workspace / path, self.cache / path)
        return workspace

    def built(self) -> dict[str, int]:
        match = BUILT.search(self.outputs["Build"])
        assert match, self.outputs["Build"]
        return dict(zip(("articles", "files", "written", "unchanged", "removed", "rendered"),
                        map(int, match.groups()), strict=True))


def test_the_github_workflow_builds_audits_deploys_and_builds_warm_from_its_cache(tmp_path):
    origin = tmp_path / "origin"
    result = CliRunner().invoke(main, ["init", str(origin), "--ci", "github", "--language", "en", "--timezone", "UTC",
                                       "--section", "politics", "--section", "culture"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    mirror = tmp_path / "published"
    config = origin / "site.yaml"
    config.write_text(config.read_text() + f"deploy:\n  mirror: {{type: rsync, destination: \"{mirror}/\"}}\n")
    second = origin / "content" / "culture" / "festival.md"
    second.parent.mkdir(parents=True)
    second.write_text('---\ntitle: "Festival opens"\ndate: 2024-05-02T10:00:00+00:00\nsection: culture\n'
                      'summary: "Music in the square."\n---\n\nThe festival opened with a choir.\n')
    subprocess.run(["git", "init", "--quiet", "--initial-branch=main", str(origin)], check=True)
    git(origin, "add", "-A")
    git(origin, "commit", "--quiet", "-m", "A new site")
    workflow = yaml.safe_load((origin / ".github" / "workflows" / "broadsheet.yml").read_text())
    assert f"broadsheet=={builder.__version__}" in (origin / "requirements.txt").read_text()
    variables = {"BROADSHEET_DEPLOY_TARGET": "mirror"}
    cache = tmp_path / "actions-cache"

    first = Runner(workflow, origin, tmp_path / "run-1", variables, cache, age=1)
    first.run()
    cold = first.built()
    assert cold["rendered"] == cold["files"] > 20
    assert "Audit passed" in first.outputs["Audit"]
    assert (first.artifacts["audit-report"] / "junit.xml").is_file()
    assert (mirror / "culture" / "index.html").is_file()  # published

    second.write_text(second.read_text() + "\nThen the orchestra played until midnight.\n", encoding="utf-8")
    git(origin, "commit", "--quiet", "-am", "One article changed")
    again = Runner(workflow, origin, tmp_path / "run-2", variables, cache, age=2)
    workspace = again.run()
    warm = again.built()
    # Only the article's page and the feeds that carry its body; the rest came from the cache.
    assert 0 < warm["rendered"] <= 13 and warm["unchanged"] > 0
    assert "Festival opens" in (mirror / "culture" / "2024" / "05" / "festival" / "index.html").read_text()
    assert "orchestra" in (mirror / "culture" / "2024" / "05" / "festival" / "index.html").read_text()

    clean = tmp_path / "clean"
    subprocess.run(["git", "clone", "--quiet", str(origin), str(clean)], check=True)
    CliRunner().invoke(main, ["build", "--site", str(clean)], catch_exceptions=False)
    # Pagefind's bundle is the one part whose bytes differ between runs (Pagefind issue #638).
    assert without_search_bundle(tree(workspace / "output")) == without_search_bundle(tree(clean / "output"))
    print(f"\nCI build: cold {first.seconds['Build']:.2f} s ({cold['rendered']} rendered), "
          f"restored cache after a one-article change {again.seconds['Build']:.2f} s ({warm['rendered']} rendered)")
