"""A stream of OutputPages -> files in the output folder, atomically and incrementally.

Pages are staged inside the output folder first; nothing visible changes until `commit`, which
moves only changed files into place, removes files no page produced any more, and records what it
wrote in the manifest (builder.output.manifest). A build that fails calls `abort` and leaves the previous
site untouched.

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

from builder.digests import file_sha256, sha256_hex
from builder.errors import BuildError, BuildFailed
from builder.output.layout import OLD_MANIFESTS, PRIVATE_PREFIX, STAGING
from builder.output.manifest import ManifestEntry, read_entries, update_manifest, write_manifest

if TYPE_CHECKING:
    from builder.render.jobs import OutputPage

@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    deleted: list[str] = field(default_factory=list)


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

    def __init__(self, output_dir: Path, precompress_min: int | None = None, reuse: bool = True,
                 previous: dict[str, ManifestEntry] | None = None):
        """`reuse`: keep files the last build wrote from the same inputs. A clean build does not
        even read the last manifest (memory the process would keep once freed).

        `previous`: only these files of the last build are known (see `commit_changes`)."""
        self.output_dir = output_dir.resolve()
        self.precompress_min = precompress_min
        self.staging = self.output_dir / STAGING
        if previous is None:
            previous = read_entries(self.output_dir) if reuse else {}
        self.previous = previous
        self.files: dict[str, ManifestEntry] = {}
        self.staged: list[str] = []
        self.report = WriteReport()
        self._staging_text = str(self.staging)
        self._sources: dict[str, str] = {}  # one string per source file, however many files name it
        shutil.rmtree(self.staging, ignore_errors=True)  # left over from a build that was killed

    def _unchanged(self, rel: str, digest: str) -> bool:
        before = self.previous.get(rel)
        if not before or before.digest != digest:
            return False
        try:
            stat = (self.output_dir / rel).stat()
        except OSError:
            return False
        # Someone may have edited the file by hand since: then size or mtime differ and we rewrite it.
        return stat.st_size == before.size and stat.st_mtime_ns == before.mtime_ns

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
        if not (before and before.key == key and self._unchanged(path, before.digest)):
            return False
        if self._compressible(path, before.size):
            return all((sibling := self.previous.get(path + ext)) is not None and sibling.key == before.digest + ext
                       and self._unchanged(path + ext, sibling.digest) for ext, _ in ENCODINGS)
        return True

    def keep(self, path: str, key: str, made_from: tuple[str, ...]) -> None:
        """The file stays as the last build wrote it (check `is_current` first)."""
        rel = self._claim(path, made_from)
        before = self.previous[rel]
        sources = self._made_from(made_from)
        self.files[rel] = before._replace(key=key, made_from=sources)
        self.report.unchanged += 1
        if self._compressible(rel, before.size):
            for ext, _ in ENCODINGS:
                self.files[rel + ext] = self.previous[rel + ext]._replace(made_from=sources)

    def keep_folder(self, folder: str, key: str) -> bool:
        """Keep every file the last build wrote under `folder` ("pagefind/") from inputs with this
        key, if each is intact, and say so; otherwise keep none. Files made together (Pagefind's
        bundle, which names its own files) stay together or are all made again."""
        under = [path for path in self.previous if path.startswith(folder)]
        made = {path for path in under if self.previous[path].key == key}
        copies = {path + ext for path in made for ext, _ in ENCODINGS}
        if not made or any(path not in made and path not in copies for path in under):
            return False
        if not all(self.is_current(path, key) for path in made):
            return False
        for path in sorted(made):
            self.keep(path, key, ())
        return True

    def _stage_compressed(self, rel: str, data: bytes, digest: str, sources: tuple[str, ...]) -> None:
        for ext, compress in ENCODINGS:
            sibling = rel + ext
            before = self.previous.get(sibling)
            if before and before.key == digest + ext and self._unchanged(sibling, before.digest):
                self.files[sibling] = before._replace(made_from=sources)
                continue
            packed = compress(data, PurePosixPath(rel).suffix.lower())
            size, mtime_ns = self._write_staged(sibling, packed)
            self.files[sibling] = ManifestEntry(sha256_hex(packed), digest + ext, size, mtime_ns, sources)

    def stage(self, page: OutputPage, key: str = "") -> None:
        rel = self._claim(page.path, page.made_from)
        content, source = page.content, page.source
        if content is not None:
            digest, size = sha256_hex(content), len(content)
        elif source is not None:
            digest, size = file_sha256(source), source.stat().st_size
        else:
            raise ValueError(f"{page.path}: a page needs its bytes or a file to copy them from")
        sources = self._made_from(page.made_from)
        if self._compressible(rel, size):
            data = content
            if data is None:
                assert source is not None  # one of the two, checked above
                data = source.read_bytes()
            self._stage_compressed(rel, data, digest, sources)
        if self._unchanged(rel, digest):
            before = self.previous[rel]
            self.files[rel] = ManifestEntry(digest, key, before.size, before.mtime_ns, sources)
            self.report.unchanged += 1
            return
        size, mtime_ns = self._write_staged(rel, page.content, page.source)
        self.files[rel] = ManifestEntry(digest, key, size, mtime_ns, sources)

    def stage_moved(self, path: str, file: Path, key: str) -> None:
        """Stage a file made inside the output folder (Pagefind's bundle, in our private area) by
        moving it, not copying it: at 10,000 articles the bundle is 10,000 files. A file that needs
        compressed copies is staged as usual; a file the output has already is left where it is."""
        size = file.stat().st_size
        if self._compressible(path, size):
            from builder.render.jobs import OutputPage

            self.stage(OutputPage(path, source=file), key)
            return
        rel = self._claim(path, ())
        digest = file_sha256(file)
        if self._unchanged(rel, digest):
            before = self.previous[rel]
            self.files[rel] = ManifestEntry(digest, key, before.size, before.mtime_ns, ())
            self.report.unchanged += 1
            return
        target = f"{self._staging_text}/{rel}"
        try:
            os.replace(file, target)
        except FileNotFoundError:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.replace(file, target)
        stat = os.stat(target)
        self.staged.append(rel)
        self.files[rel] = ManifestEntry(digest, key, stat.st_size, stat.st_mtime_ns, ())

    def _write_staged(self, rel: str, data: bytes | None, source: Path | None = None) -> tuple[int, int]:
        """Write a file into the staging area; its size and mtime, which moving it keeps.

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
            elif source is not None:
                with open(source, "rb") as original:
                    shutil.copyfileobj(original, handle, 1 << 20)
            handle.flush()
            stat = os.fstat(handle.fileno())
        self.staged.append(rel)
        return stat.st_size, stat.st_mtime_ns

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def commit(self, build: dict | None = None) -> WriteReport:
        """Move the staged files into place, remove every file no page made any more, and record
        the files in a new manifest. `build`: how the site was built (e.g. with drafts), for deploys.
        """
        self._move_staged()
        self._delete_stale()
        write_manifest(self.output_dir, self.files, build or {})
        for name in OLD_MANIFESTS:
            (self.output_dir / name).unlink(missing_ok=True)
        return self.report

    def commit_changes(self) -> tuple[WriteReport, int]:
        """Commit a rebuild of some files: the writer was given just their last entries (`previous`).

        Only their rows of the manifest change; a file among them that no page made this time
        (a compressed copy of a page now too small to need one) is removed. The rest of the
        output folder is not walked: the next build with nothing changed checks it. Returns the
        report and the number of files the manifest lists now."""
        self._move_staged()
        gone = sorted(path for path in self.previous if path not in self.files)
        for path in gone:
            try:
                os.unlink(self.output_dir / path)
            except FileNotFoundError:
                pass
            self.report.deleted.append(path)
        return self.report, update_manifest(self.output_dir, self.files, gone)

    def _move_staged(self) -> None:
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
