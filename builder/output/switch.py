"""Switching a staged build into the output folder, journaled so that a killed build is finished later.

`OutputWriter.commit` stages every changed file in the staging folder, writes the new manifest
beside the old one, then writes the journal: a small file at the top of the output folder that
says a switch has begun. Then the staged files are moved into place (one rename each, or one per
new folder), stale files are removed, the new manifest is renamed into place, and the journal is
removed, last. Every step can be done twice without harm.

A build killed after the journal was written (SIGKILL, a power cut, a full disk) leaves a mix of
old and new files. The next `build`, `serve`, `deploy` or `audit` calls `roll_forward` before it
reads the folder: it moves what is left in the staging folder, removes the stale files and puts
the new manifest in place, exactly as the killed build would have. A build killed before the
journal was written changed nothing in the site; its staging folder is simply removed.

We journal instead of switching a symlink (output -> release-N) with one rename because output/
must stay a plain folder: people point web servers, rsync and their own tools at it.

What a reader of output/ can see: each file is replaced by one rename, so a file is always
either all old or all new bytes. While the moves run (and after a kill, until the next start),
some files may be new and others old.
"""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Container, Mapping
from pathlib import Path

import orjson

from builder.output.layout import JOURNAL, MANIFEST, NEXT_MANIFEST, PRIVATE_PREFIX, STAGING
from builder.output.manifest import ManifestEntry, read_entries, update_manifest

# A test hook: the process kills itself (SIGKILL) after this many moves, to prove the journal.
KILL_AFTER_MOVES = "BROADSHEET_TEST_KILL_AFTER_MOVES"


def begin(output_dir: Path, journal: dict) -> None:
    """Record that a switch has begun: from here on it is finished, now or by roll_forward."""
    path = output_dir / JOURNAL
    tmp = path.with_name(JOURNAL + ".tmp")
    with open(tmp, "wb") as handle:
        handle.write(orjson.dumps(journal))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


class Switch:
    """The moves and removals of one switch. `files`: every path the new site has, for the full
    switch (anything else goes); the paths this build wrote, for a partial one."""

    def __init__(self, output_dir: Path, files: Container[str]):
        self.output_dir = output_dir
        self.files = files
        self.written: list[str] = []
        self.deleted: list[str] = []
        self._moves = 0
        self._kill_after = int(os.environ.get(KILL_AFTER_MOVES) or 0)

    def full(self, staged: list[str]) -> None:
        """Switch in a full build: moves, stale files out, the new manifest in; then the journal goes."""
        self.move(staged)
        self.delete_stale()
        next_manifest = self.output_dir / NEXT_MANIFEST
        if next_manifest.exists():
            # A journal left by a killed partial rebuild belongs to the old file; SQLite would
            # roll it back into the new one.
            (self.output_dir / (MANIFEST + "-journal")).unlink(missing_ok=True)
            os.replace(next_manifest, self.output_dir / MANIFEST)
        (self.output_dir / JOURNAL).unlink(missing_ok=True)

    def partial(self, staged: list[str], changed: Mapping[str, ManifestEntry], gone: list[str]) -> int:
        """Switch in a rebuild of some files; the number of files the manifest lists afterwards."""
        self.move(staged)
        for path in gone:
            try:
                os.unlink(self.output_dir / path)
            except FileNotFoundError:
                pass
            self.deleted.append(path)
        count = update_manifest(self.output_dir, changed, gone)
        (self.output_dir / JOURNAL).unlink(missing_ok=True)
        return count

    def _replace(self, source: str, target: str) -> None:
        os.replace(source, target)
        self._moves += 1
        if self._moves == self._kill_after:
            os.kill(os.getpid(), signal.SIGKILL)

    def move(self, staged: list[str]) -> None:
        """Move staged files into place. One already moved (by a build that was killed) is passed by.

        A staged folder that the output does not have yet moves in whole, with one rename: a
        first build moves a handful of folders, not one file and folder per page."""
        moved: set[str] = set()
        staging, output = str(self.output_dir / STAGING), str(self.output_dir)
        for rel in staged:
            if not (moved and _inside(rel, moved)):
                if not os.path.lexists(f"{staging}/{rel}"):
                    self.written.append(rel)
                    continue
                try:
                    self._replace(f"{staging}/{rel}", f"{output}/{rel}")
                except FileNotFoundError:
                    folder = self._new_folder(rel)
                    if folder is None:
                        raise
                    self._replace(f"{staging}/{folder}", f"{output}/{folder}")
                    moved.add(folder)
                except NotADirectoryError:  # a file of the old site where a folder goes now
                    self._make_parents(self.output_dir / rel)
                    self._replace(f"{staging}/{rel}", f"{output}/{rel}")
                except IsADirectoryError:  # a folder of the old site where a file goes now
                    shutil.rmtree(f"{output}/{rel}")
                    self._replace(f"{staging}/{rel}", f"{output}/{rel}")
            self.written.append(rel)
        shutil.rmtree(staging, ignore_errors=True)

    def _new_folder(self, rel: str) -> str | None:
        """The outermost folder above `rel` that the output lacks, if the rest of the way is folders."""
        folder = ""
        for part in rel.split("/")[:-1]:
            folder = f"{folder}/{part}" if folder else part
            path = self.output_dir / folder
            if not path.is_dir():
                return None if path.is_symlink() or path.exists() else folder
        return None

    def _make_parents(self, final: Path) -> None:
        """Create the folders above a file; a stale file where a folder must go is removed."""
        for parent in reversed(final.relative_to(self.output_dir).parents[:-1]):
            path = self.output_dir / parent
            if (path.is_file() or path.is_symlink()) and parent.as_posix() not in self.files:
                path.unlink()
                self.deleted.append(parent.as_posix())
        final.parent.mkdir(parents=True, exist_ok=True)

    def delete_stale(self) -> None:
        """Remove every file the new site does not have, and the folders that leaves empty.

        Our own bookkeeping (manifest, cache, staging, journal) lives in dot-files at the top. A
        symbolic link is removed as a file when no page made it; what it points to is never touched."""
        files, deleted = self.files, self.deleted

        def sweep(folder: str, prefix: str) -> bool:  # True when the folder is left empty
            with os.scandir(folder) as listing:
                entries = list(listing)
            empty = True
            for entry in entries:
                name = entry.name
                if not prefix and name.startswith(PRIVATE_PREFIX):
                    empty = False
                elif entry.is_dir(follow_symlinks=False):
                    if sweep(entry.path, f"{prefix}{name}/"):
                        os.rmdir(entry.path)
                    else:
                        empty = False
                elif (rel := prefix + name) in files:
                    empty = False
                else:
                    os.unlink(entry.path)
                    deleted.append(rel)
            return empty

        sweep(str(self.output_dir), "")


def _inside(rel: str, folders: set[str]) -> bool:
    """Whether a relative file path lies in one of `folders` (relative, without a trailing slash)."""
    cut = rel.find("/")
    while cut != -1:
        if rel[:cut] in folders:
            return True
        cut = rel.find("/", cut + 1)
    return False


def _staged_files(output_dir: Path) -> list[str]:
    staging = output_dir / STAGING
    found = []
    for folder, _, names in os.walk(staging):
        prefix = Path(folder).relative_to(staging).as_posix()
        found += [name if prefix == "." else f"{prefix}/{name}" for name in names]
    return sorted(found)


def roll_forward(output_dir: Path) -> bool:
    """Finish a switch that a killed build began (see the module's docstring). True if there was one.

    Called before anything reads the output folder: by the build, deploy and the audit."""
    output_dir = Path(output_dir)
    try:
        journal = orjson.loads((output_dir / JOURNAL).read_bytes())
    except FileNotFoundError:
        return False
    staged = _staged_files(output_dir)
    if journal.get("kind") == "partial":
        changed = {path: ManifestEntry(row[0], row[1], row[2], row[3], tuple(row[4]))
                   for path, row in journal["changed"].items()}
        Switch(output_dir, changed).partial(staged, changed, journal["gone"])
    else:
        next_manifest = output_dir / NEXT_MANIFEST
        files = read_entries(output_dir, next_manifest.name) if next_manifest.exists() else read_entries(output_dir)
        if not files:  # no manifest to say what the site has: remove nothing rather than everything
            shutil.rmtree(output_dir / STAGING, ignore_errors=True)
            (output_dir / JOURNAL).unlink(missing_ok=True)
            return True
        Switch(output_dir, files).full(staged)
    return True
