"""The manifest: what the last successful build wrote into the output folder, file by file.

One SQLite file at the top of the output folder, one row per file written: its sha256, the key
of the inputs it was made from, its size and mtime as written, and the source files it shows.
Each reader takes only the columns and rows it needs. The no-change check reads sizes and
mtimes; a one-article rebuild reads and rewrites a handful of rows; a deploy reads digests. A
JSON manifest had to be read whole and written whole on every rebuild, however small the change:
15 MB and about 0.15 s at 10,000 articles, and some 600 MB of dicts at 100,000.

A full build writes a new file beside the old one and renames it into place, last, so the
manifest always describes one complete build. A partial rebuild changes its rows in one
transaction.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Iterable, Mapping, NamedTuple

import orjson

from builder.output.layout import MANIFEST

MANIFEST_VERSION = 3  # kept in SQLite's user_version

_SCHEMA = """
CREATE TABLE build (facts TEXT NOT NULL);
CREATE TABLE files (
    path TEXT PRIMARY KEY,
    digest TEXT NOT NULL,     -- sha256 of the bytes, hex
    key TEXT NOT NULL,        -- fingerprint of the inputs the file was made from
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    made_from TEXT NOT NULL   -- JSON list of source files
) WITHOUT ROWID;
"""


class ManifestEntry(NamedTuple):
    digest: str
    key: str
    size: int
    mtime_ns: int
    made_from: tuple[str, ...] = ()


class ManifestMissing(Exception):
    """No build has finished in this folder."""


class ManifestUnreadable(Exception):
    """The file is damaged, or was written by another version of Broadsheet."""


class Manifest:
    """The manifest of an output folder, open for reading."""

    def __init__(self, output_dir: Path, name: str = MANIFEST):
        self.path = Path(output_dir) / name
        if not self.path.is_file():
            raise ManifestMissing(str(self.path))
        try:
            # Read-only: a reader must never create, change or recover the file.
            self.db = sqlite3.connect(self.path.resolve().as_uri() + "?mode=ro", uri=True)
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version != MANIFEST_VERSION:
                self.db.close()
                raise ManifestUnreadable(f"format {version}, not {MANIFEST_VERSION}")
            self.db.execute("SELECT path, digest, key, size, mtime_ns, made_from FROM files LIMIT 1").fetchall()
        except sqlite3.Error as exc:
            raise ManifestUnreadable(str(exc)) from None

    def __enter__(self) -> Manifest:
        return self

    def __exit__(self, *exc) -> None:
        self.db.close()

    def build(self) -> dict:
        """How the site was built (e.g. with drafts), as the build recorded it."""
        row = self.db.execute("SELECT facts FROM build").fetchone()
        return orjson.loads(row[0]) if row else {}

    def entries(self, made_from: bool = False) -> dict[str, ManifestEntry]:
        """Every file. Without `made_from` the sources are left out (the costly column)."""
        if made_from:
            rows = self.db.execute("SELECT path, digest, key, size, mtime_ns, made_from FROM files")
            return {r[0]: ManifestEntry(r[1], r[2], r[3], r[4], _sources(r[5])) for r in rows}
        rows = self.db.execute("SELECT path, digest, key, size, mtime_ns FROM files")
        return {path: ManifestEntry(digest, key, size, mtime_ns) for path, digest, key, size, mtime_ns in rows}

    def entries_for(self, paths: Iterable[str]) -> dict[str, ManifestEntry]:
        """The files among `paths` that the manifest has, with their sources."""
        found = {}
        for path in paths:
            row = self.db.execute("SELECT digest, key, size, mtime_ns, made_from FROM files WHERE path = ?",
                                  (path,)).fetchone()
            if row:
                found[path] = ManifestEntry(row[0], row[1], row[2], row[3], _sources(row[4]))
        return found

    def entries_under(self, folder: str) -> dict[str, ManifestEntry]:
        """The files in `folder` ("pagefind/") and below it, with their sources."""
        rows = self.db.execute("SELECT path, digest, key, size, mtime_ns, made_from FROM files WHERE path GLOB ?",
                               (_glob_escape(folder) + "*",))
        return {r[0]: ManifestEntry(r[1], r[2], r[3], r[4], _sources(r[5])) for r in rows}

    def stats(self) -> dict[str, tuple[int, int]]:
        """(size, mtime_ns) of every file: all the no-change check needs."""
        return {r[0]: (r[1], r[2]) for r in self.db.execute("SELECT path, size, mtime_ns FROM files")}

    def has(self, path: str) -> bool:
        return self.db.execute("SELECT 1 FROM files WHERE path = ?", (path,)).fetchone() is not None

    def made_from(self) -> dict[str, tuple[str, ...]]:
        return {r[0]: _sources(r[1]) for r in self.db.execute("SELECT path, made_from FROM files")}

    def paths_made_from(self, source: str, suffix: str) -> list[str]:
        """Files whose name ends with `suffix` and that were made from `source`, in path order."""
        quoted = orjson.dumps(source).decode()  # with its quotes: a whole name, never part of one
        rows = self.db.execute("SELECT path FROM files WHERE path GLOB ? AND instr(made_from, ?) ORDER BY path",
                               ("*" + _glob_escape(suffix), quoted))
        return [r[0] for r in rows]


def read_entries(output_dir: Path, name: str = MANIFEST) -> dict[str, ManifestEntry]:
    """Every file of the last build (sources left out); empty when there is no usable manifest."""
    try:
        with Manifest(output_dir, name) as manifest:
            return manifest.entries()
    except (ManifestMissing, ManifestUnreadable, sqlite3.Error):
        return {}


def read_stats(output_dir: Path) -> dict[str, tuple[int, int]]:
    """(size, mtime_ns) of every file of the last build; empty when there is no usable manifest."""
    try:
        with Manifest(output_dir) as manifest:
            return manifest.stats()
    except (ManifestMissing, ManifestUnreadable, sqlite3.Error):
        return {}


def write_manifest(output_dir: Path, files: Mapping[str, ManifestEntry], build: dict, name: str = MANIFEST) -> None:
    """Replace the manifest (or the file `name` beside it) with one that lists exactly `files`."""
    final = Path(output_dir) / name
    tmp = final.with_name(MANIFEST + ".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    try:
        # Nothing to recover: a file that is not complete is never renamed into place.
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.executescript(_SCHEMA)
        db.execute(f"PRAGMA user_version = {MANIFEST_VERSION}")
        db.execute("INSERT INTO build VALUES (?)", (orjson.dumps(build, option=orjson.OPT_SORT_KEYS).decode(),))
        db.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?)", _rows(files, sorted(files)))
        db.commit()
    finally:
        db.close()
    if name == MANIFEST:
        # A journal left by a killed partial rebuild belongs to the old file; SQLite would roll it
        # back into the new one.
        final.with_name(MANIFEST + "-journal").unlink(missing_ok=True)
    os.replace(tmp, final)


def update_manifest(output_dir: Path, changed: Mapping[str, ManifestEntry], removed: Iterable[str]) -> int:
    """Change some rows in place, in one transaction; the number of files listed afterwards."""
    db = sqlite3.connect(Path(output_dir) / MANIFEST)
    try:
        with db:
            db.executemany("DELETE FROM files WHERE path = ?", ((path,) for path in removed))
            db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)", _rows(changed, changed))
        return db.execute("SELECT count(*) FROM files").fetchone()[0]
    finally:
        db.close()


def _rows(files: Mapping[str, ManifestEntry], paths: Iterable[str]):
    dumps = orjson.dumps
    for path in paths:
        entry = files[path]
        yield path, entry.digest, entry.key, entry.size, entry.mtime_ns, dumps(entry.made_from).decode()


def _sources(text: str) -> tuple[str, ...]:
    return tuple(orjson.loads(text))


def _glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)
