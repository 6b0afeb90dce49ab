"""Broadsheet as a user gets it: the sdist and wheel `python -m build` makes, installed into a fresh venv.

Both are made once per session: building takes a few seconds and installing the wheel's
dependencies most of the rest, so every test of an installed Broadsheet shares one venv. Every
command runs outside the checkout, with no PYTHONPATH, so only the installed files can be found.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_SITE = ("site.yaml", "content", "static")


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a command that must not see the checkout or the test venv."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    return {**env, "PYTHONUNBUFFERED": "1", **extra}


def run(args: list[str | Path], cwd: Path, timeout: float = 300, **env: str) -> subprocess.CompletedProcess:
    """Run a command and fail the test with its output when it exits non-zero."""
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=clean_env(**env), capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, f"{args} exited {done.returncode}\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return done


def copy_example_site(target: Path) -> Path:
    """The example site's own files (site.yaml, content/, static/), nothing of the code, in target."""
    target.mkdir(parents=True)
    for name in EXAMPLE_SITE:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy2(source, target / name)
    return target


@dataclass(frozen=True)
class Dist:
    sdist: Path
    wheel: Path

    def wheel_names(self) -> set[str]:
        with zipfile.ZipFile(self.wheel) as archive:
            return set(archive.namelist())

    def wheel_file(self, name: str) -> bytes:
        with zipfile.ZipFile(self.wheel) as archive:
            return archive.read(name)


@dataclass(frozen=True)
class Venv:
    root: Path

    @property
    def python(self) -> Path:
        return self.root / "bin" / "python"

    @property
    def broadsheet(self) -> Path:
        return self.root / "bin" / "broadsheet"

    def install(self, *args: str | Path, cwd: Path) -> None:
        # The test venv's pip installs into this one: the fresh venv needs no pip of its own.
        run([sys.executable, "-m", "pip", "--python", self.python, "install", "--quiet",
             "--disable-pip-version-check", *args], cwd=cwd, timeout=600)


@pytest.fixture(scope="session")
def dist(tmp_path_factory) -> Dist:
    """`python -m build` of the checkout: the sdist, and the wheel built from that sdist."""
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--outdir", out, REPO], cwd=out, timeout=600)
    [sdist] = out.glob("*.tar.gz")
    [wheel] = out.glob("*.whl")
    return Dist(sdist, wheel)


@pytest.fixture(scope="session")
def installed(dist, tmp_path_factory) -> Venv:
    """A fresh venv with the wheel and its dependencies installed: no editable install, no checkout."""
    root = tmp_path_factory.mktemp("venv")
    shutil.rmtree(root)
    run([sys.executable, "-m", "venv", "--without-pip", root], cwd=root.parent)
    venv = Venv(root)
    venv.install(dist.wheel, cwd=root)
    return venv
