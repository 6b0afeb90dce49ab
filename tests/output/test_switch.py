"""The switch of a staged build into output/, journaled: a build killed (SIGKILL) at the first, a
middle or the last move is finished by the next start, exactly as it would have finished.

Before, a kill during the moves left some pages new and the rest old, with the staged files
behind, for as long as nobody built again; the README promised output/ exactly as it was.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from builder.incremental.stamp import output_intact
from builder.output.layout import JOURNAL, NEXT_MANIFEST, PRIVATE_PREFIX, STAGING
from builder.output.manifest import read_entries
from builder.output.switch import KILL_AFTER_MOVES, roll_forward
from tests.support.builds import article, site_yaml
from tests.support.files import write_files

BROADSHEET = [sys.executable, "-m", "builder", "build", "--jobs", "1"]


def site_files(out: Path) -> dict[str, str]:
    """The site's files (not our bookkeeping) by their sha256."""
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file() and not p.relative_to(out).parts[0].startswith(PRIVATE_PREFIX)}


def run_build(site: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([*BROADSHEET, "--site", str(site)], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """A site built once, then with its title changed (every page changes): `base` is the folder
    before that second build, `reference` after it, uninterrupted. Returns both and the number of
    moves the second build made."""
    root = tmp_path_factory.mktemp("switch")
    files = {"site.yaml": site_yaml(),
             **{f"content/politics/story-{n}.md": article(f"Story {n}", f"2024-03-{n + 1:02d}T09:30:00+04:00",
                                                          tags=[f"tag-{n % 4}"]) for n in range(12)}}
    base = root / "base"
    write_files(base / "site", files)
    assert run_build(base / "site").returncode == 0
    (base / "site" / "site.yaml").write_text(site_yaml().replace("Test Gazette", "The New Gazette"), encoding="utf-8")
    reference = root / "reference"
    shutil.copytree(base, reference, symlinks=True)
    done = run_build(reference / "site")
    assert done.returncode == 0, done.stderr
    moves = int(re.search(r"\((\d+) written", done.stdout).group(1))
    assert moves > 20
    return base, reference, moves


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_a_build_killed_during_the_moves_is_rolled_forward_by_the_next_start(sites, tmp_path, where):
    base, reference, moves = sites
    kill_after = {"first": 1, "middle": moves // 2, "last": moves}[where]
    copy = tmp_path / "copy"
    shutil.copytree(base, copy, symlinks=True)
    out = copy / "site" / "output"
    old, new = site_files(base / "site" / "output"), site_files(reference / "site" / "output")

    killed = run_build(copy / "site", {KILL_AFTER_MOVES: str(kill_after)})
    assert killed.returncode == -signal.SIGKILL
    assert (out / JOURNAL).exists() and (out / NEXT_MANIFEST).exists()
    now = site_files(out)
    assert sum(now.get(path) == digest != old.get(path) for path, digest in new.items()) == kill_after

    assert roll_forward(out)
    assert site_files(out) == new
    assert not (out / STAGING).exists() and not (out / JOURNAL).exists() and not (out / NEXT_MANIFEST).exists()
    manifest = read_entries(out)
    assert set(manifest) == set(new)
    assert output_intact(out, {p: (e.size, e.mtime_ns) for p, e in manifest.items()}, PRIVATE_PREFIX)


def test_the_next_build_finishes_a_killed_switch_first(sites, tmp_path):
    base, reference, moves = sites
    copy = tmp_path / "copy"
    shutil.copytree(base, copy, symlinks=True)
    assert run_build(copy / "site", {KILL_AFTER_MOVES: str(moves // 2)}).returncode == -signal.SIGKILL
    again = run_build(copy / "site")
    assert again.returncode == 0, again.stderr
    assert "0 written" in again.stdout  # the switch was finished, so nothing was left to write
    assert site_files(copy / "site" / "output") == site_files(reference / "site" / "output")


def test_a_build_killed_before_the_journal_left_the_site_as_it_was(sites, tmp_path):
    base, _, _ = sites
    copy = tmp_path / "copy"
    shutil.copytree(base, copy, symlinks=True)
    out = copy / "site" / "output"
    (out / STAGING / "politics").mkdir(parents=True)
    (out / STAGING / "politics" / "index.html").write_text("half a build")
    before = site_files(out)
    assert not roll_forward(out)
    assert site_files(out) == before


def test_a_body_only_rebuild_killed_during_its_moves_is_rolled_forward(tmp_path):
    """The partial switch (an edited body: its page and the feeds that carry it) is journaled too."""
    from tests.support.files import age_new_files

    files = {"site.yaml": site_yaml(),
             **{f"content/politics/story-{n}.md": article(f"Story {n}", f"2024-03-{n + 1:02d}T09:30:00+04:00")
                for n in range(4)}}
    site = write_files(tmp_path / "base" / "site", files)
    age_new_files(site, 1)
    assert run_build(site).returncode == 0
    story = site / "content" / "politics" / "story-2.md"
    story.write_text(story.read_text(encoding="utf-8").replace("Body text.", "A corrected sentence."),
                     encoding="utf-8")
    age_new_files(site, 2)
    reference = tmp_path / "reference"
    shutil.copytree(tmp_path / "base", reference, symlinks=True)
    done = run_build(reference / "site")
    assert done.returncode == 0 and "0 removed" in done.stdout
    killed = run_build(site, {KILL_AFTER_MOVES: "1"})
    assert killed.returncode == -signal.SIGKILL
    out = site / "output"
    journal = (out / JOURNAL).read_text(encoding="utf-8")
    assert '"partial"' in journal  # the body-only way, not a full build
    assert roll_forward(out)
    assert site_files(out) == site_files(reference / "site" / "output")
    manifest = read_entries(out)
    assert output_intact(out, {p: (e.size, e.mtime_ns) for p, e in manifest.items()}, PRIVATE_PREFIX)
