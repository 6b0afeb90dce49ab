"""A stream of OutputPages -> files in the output folder, atomically and incrementally.

Pages are staged inside the output folder first; nothing visible changes until `commit`, which
moves only changed files into place, removes files no page produced any more, and records what it
wrote in a manifest. A build that fails calls `abort` and leaves the previous site untouched.

The output folder is the only place written to. A folder that is not empty and has no manifest
is not ours: we refuse to use it rather than delete someone's files.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import brotli
import orjson

from builder.errors import BuildError, BuildFailed

if TYPE_CHECKING:
    from builder.render import OutputPage

PRIVATE_PREFIX = ".broadsheet"  # files of ours in the output folder that are not part of the site
TEMPLATE_CACHE = PRIVATE_PREFIX + "-cache-templates"  # compiled templates: build cache, like the SQLite file
MANIFEST = ".broadsheet-manifest.json"
STAGING = ".broadsheet-staging"
MANIFEST_VERSION = 2


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    deleted: list[str] = field(default_factory=list)


INPUT_FOLDERS = ("content", "static", "templates", "themes")


def check_output_dir(output_dir: Path, site_dir: Path) -> None:
    output_dir, site_dir = output_dir.resolve(), site_dir.resolve()
    if output_dir == site_dir or site_dir.is_relative_to(output_dir):
        raise BuildFailed([BuildError(output_dir, None, "--output", "the output folder contains the site itself",
                                      "choose a folder of its own, e.g. output/")])
    for name in INPUT_FOLDERS:
        if output_dir.is_relative_to(site_dir / name):
            raise BuildFailed([BuildError(output_dir, None, "--output", f"the output folder is inside the site's {name}/",
                                          "the build would read its own output; choose e.g. output/")])
    for inside in ("content", "site.yaml", ".git"):
        if (output_dir / inside).exists():
            raise BuildFailed([BuildError(output_dir, None, "--output", f"the output folder holds {inside}; "
                                          "it looks like a site or repository, not a build output",
                                          "choose an empty folder or output/")])
    if output_dir.is_dir() and not (output_dir / MANIFEST).exists():
        if any(not p.name.startswith(PRIVATE_PREFIX) for p in output_dir.iterdir()):
            raise BuildFailed([BuildError(output_dir, None, "--output",
                                          "the folder is not empty and was not made by Broadsheet; "
                                          "refusing to replace its files",
                                          "empty it or choose another --output")])
    elif output_dir.exists() and not output_dir.is_dir():
        raise BuildFailed([BuildError(output_dir, None, "--output", "is a file, not a folder")])


def read_manifest(output_dir: Path) -> dict[str, dict]:
    try:
        data = orjson.loads((output_dir / MANIFEST).read_bytes())
        if data.get("version") == MANIFEST_VERSION and isinstance(data.get("files"), dict):
            return data["files"]
    except (OSError, ValueError, AttributeError):  # orjson.JSONDecodeError is a ValueError
        pass
    return {}


def write_manifest(handle, files: dict[str, dict], build: dict) -> None:
    """The manifest as orjson.dumps({"build", "files", "version"}, OPT_SORT_KEYS) writes it, in pieces.

    orjson: the manifest of 10,000 articles is 15 MB, read and written on every rebuild; the
    standard library takes 0.4 s for that, orjson 0.09 s. Written a thousand entries at a time,
    the 150 MB of 100,000 articles never sit in memory at once (with orjson's own buffer, twice)."""
    dumps, sort = orjson.dumps, orjson.OPT_SORT_KEYS
    handle.write(b'{"build":' + dumps(build, option=sort) + b',"files":{')
    names = sorted(files)
    for start in range(0, len(names), 1000):
        chunk = dumps({name: files[name] for name in names[start:start + 1000]}, option=sort)
        handle.write((b"," if start else b"") + chunk[1:-1])
    handle.write(b'},"version":' + dumps(MANIFEST_VERSION) + b"}")


def _safe_relative(path: str) -> PurePosixPath:
    rel = PurePosixPath(path)  # PurePosixPath is costly for 100,000 paths: see _safe_relative_text
    if rel.is_absolute() or ".." in rel.parts or not rel.parts or rel.parts[0].startswith(PRIVATE_PREFIX):
        raise BuildFailed([BuildError(None, None, "output", f"refusing to write outside the output folder: {path}")])
    return rel


def _safe_relative_text(path: str) -> str:
    """_safe_relative(path).as_posix(), without building a path object for the usual clean path."""
    if (path and not path.startswith(("/", PRIVATE_PREFIX, "./")) and "//" not in path and "/./" not in path
            and not path.endswith(("/", "/.")) and ".." not in path):
        return path
    return _safe_relative(path).as_posix()


COMPRESSIBLE = {".html", ".css", ".js", ".xml", ".json", ".svg", ".txt", ".webmanifest", ".map"}


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)  # mtime=0: the same input gives the same bytes


def _brotli(data: bytes, suffix: str) -> bytes:
    # Quality 11 costs ~35 ms for a 27 KB page: worth it for the few assets every reader fetches,
    # not for 100,000 article pages, where quality 5 takes ~1 ms for some 15 % more bytes.
    return brotli.compress(data, quality=11 if suffix in (".css", ".js", ".svg") else 5)


ENCODINGS = ((".gz", lambda data, suffix: _gzip(data)), (".br", _brotli))


class OutputWriter:
    """`precompress_min`: write .gz and .br siblings of text files of at least this many bytes."""

    def __init__(self, output_dir: Path, precompress_min: int | None = None, reuse: bool = True):
        """`reuse`: keep files the last build wrote from the same inputs. A clean build does not
        even read the last manifest (at 100,000 articles, 150 MB of JSON that becomes about
        600 MB of dicts, memory the process keeps once freed)."""
        self.output_dir = output_dir.resolve()
        self.precompress_min = precompress_min
        self.staging = self.output_dir / STAGING
        self.previous = read_manifest(self.output_dir) if reuse else {}
        self.files: dict[str, dict] = {}
        self.staged: list[str] = []
        self.report = WriteReport()
        self._staging_text = str(self.staging)
        self._sources: dict[str, str] = {}  # one string per source file, however many files name it
        shutil.rmtree(self.staging, ignore_errors=True)  # left over from a build that was killed

    def _unchanged(self, rel: str, digest: str) -> bool:
        before = self.previous.get(rel)
        if not before or before.get("digest") != digest:
            return False
        try:
            stat = (self.output_dir / rel).stat()
        except OSError:
            return False
        # Someone may have edited the file by hand since: then size or mtime differ and we rewrite it.
        return stat.st_size == before.get("size") and stat.st_mtime_ns == before.get("mtime_ns")

    def _made_from(self, made_from: tuple[str, ...]) -> tuple[str, ...]:
        # Pages come back from worker processes with their own copies of every source name: a
        # listing page names ten articles, and 100,000 articles are named ~10 times each.
        sources = self._sources
        return tuple([sources.setdefault(name, name) for name in made_from])

    def _claim(self, path: str, made_from: tuple[str, ...]) -> str:
        rel = _safe_relative_text(path)
        if rel in self.files:
            raise BuildFailed([BuildError(None, None, "output", f"two pages would be written to {rel}",
                                          f"made from {', '.join(made_from) or 'the theme'}")])
        return rel

    def _compressible(self, rel: str, size: int) -> bool:
        return (self.precompress_min is not None and size >= self.precompress_min
                and PurePosixPath(rel).suffix.lower() in COMPRESSIBLE)

    def is_current(self, path: str, key: str) -> bool:
        """Whether the file from the last build was made from the same inputs and is still intact."""
        before = self.previous.get(path)
        if not (before and before.get("key") == key and self._unchanged(path, before["digest"])):
            return False
        if self._compressible(path, before["size"]):
            return all(self.previous.get(path + ext, {}).get("key") == f"{before['digest']}{ext}"
                       and self._unchanged(path + ext, self.previous[path + ext]["digest"]) for ext, _ in ENCODINGS)
        return True

    def keep(self, path: str, key: str, made_from: tuple[str, ...]) -> None:
        """The file stays as the last build wrote it (check `is_current` first)."""
        rel = self._claim(path, made_from)
        before = self.previous[rel]
        self.files[rel] = {"digest": before["digest"], "size": before["size"], "mtime_ns": before["mtime_ns"],
                           "key": key, "made_from": self._made_from(made_from)}
        self.report.unchanged += 1
        if self._compressible(rel, before["size"]):
            for ext, _ in ENCODINGS:
                self.files[rel + ext] = dict(self.previous[rel + ext])

    def _stage_compressed(self, rel: str, data: bytes, digest: str, made_from: tuple[str, ...]) -> None:
        for ext, compress in ENCODINGS:
            sibling = rel + ext
            before = self.previous.get(sibling)
            if before and before.get("key") == f"{digest}{ext}" and self._unchanged(sibling, before["digest"]):
                self.files[sibling] = dict(before)
                continue
            packed = compress(data, PurePosixPath(rel).suffix.lower())
            self.files[sibling] = {"digest": hashlib.sha256(packed).hexdigest(), "key": f"{digest}{ext}",
                                   "made_from": self._made_from(made_from)}
            self._write_staged(sibling, packed)

    def stage(self, page: OutputPage, key: str = "") -> None:
        rel = self._claim(page.path, page.made_from)
        if page.content is not None:
            digest = hashlib.sha256(page.content).hexdigest()
        else:
            digest = _file_digest(page.source)
        self.files[rel] = {"digest": digest, "key": key, "made_from": self._made_from(page.made_from)}
        size = len(page.content) if page.content is not None else page.source.stat().st_size
        if self._compressible(rel, size):
            data = page.content if page.content is not None else page.source.read_bytes()
            self._stage_compressed(rel, data, digest, page.made_from)
        if self._unchanged(rel, digest):
            self.files[rel].update(size=self.previous[rel]["size"], mtime_ns=self.previous[rel]["mtime_ns"])
            self.report.unchanged += 1
            return
        self._write_staged(rel, page.content, page.source)

    def _write_staged(self, rel: str, data: bytes | None, source: Path | None = None) -> None:
        """Write a file into the staging area and note its size and mtime, which moving it keeps.

        Folders are made when a write finds none: no set of every folder is kept (at 100,000
        articles it held hundreds of thousands of paths)."""
        target = f"{self._staging_text}/{rel}"
        try:
            handle = open(target, "wb")
        except FileNotFoundError:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            handle = open(target, "wb")
        with handle:
            if data is not None:
                handle.write(data)
            else:
                with open(source, "rb") as original:
                    shutil.copyfileobj(original, handle, 1 << 20)
            handle.flush()
            stat = os.fstat(handle.fileno())
        entry = self.files[rel]
        entry["size"], entry["mtime_ns"] = stat.st_size, stat.st_mtime_ns
        self.staged.append(rel)

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def commit(self, build: dict | None = None, sweep: bool = True) -> WriteReport:
        """`build`: how the site was built (e.g. with drafts), recorded in the manifest for deploys.

        `sweep`: remove every file the manifest does not list (a walk of the whole output folder).
        A rebuild that replaced files and added none may skip it.
        """
        # A staged folder that the output does not have yet moves in whole, with one rename: a
        # first build moves a handful of folders, not one file and folder per page.
        moved: set[str] = set()
        staging, output = self._staging_text, str(self.output_dir)
        for rel in self.staged:
            if not (moved and _inside(rel, moved)):
                try:
                    os.replace(f"{staging}/{rel}", f"{output}/{rel}")
                except FileNotFoundError:
                    folder = self._new_folder(rel)
                    if folder is None:
                        raise
                    os.replace(f"{staging}/{folder}", f"{output}/{folder}")
                    moved.add(folder)
                except NotADirectoryError:  # a file of the old site where a folder goes now
                    self._make_parents(self.output_dir / rel)
                    os.replace(f"{staging}/{rel}", f"{output}/{rel}")
                except IsADirectoryError:  # a folder of the old site where a file goes now
                    shutil.rmtree(f"{output}/{rel}")
                    os.replace(f"{staging}/{rel}", f"{output}/{rel}")
            self.report.written.append(rel)
        shutil.rmtree(self.staging, ignore_errors=True)
        if sweep:
            self._delete_stale()
        tmp = self.output_dir / (MANIFEST + ".tmp")
        with open(tmp, "wb") as handle:
            write_manifest(handle, self.files, build or {})
        os.replace(tmp, self.output_dir / MANIFEST)
        return self.report

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
                self.report.deleted.append(parent.as_posix())
        final.parent.mkdir(parents=True, exist_ok=True)

    def _delete_stale(self) -> None:
        """Remove every file the manifest does not list, and the folders that leaves empty.

        Our own bookkeeping (manifest, cache, staging) lives in dot-files at the top. A symbolic
        link is removed as a file when no page made it; what it points to is never touched."""
        files, deleted = self.files, self.report.deleted

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


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
