"""A stream of OutputPages -> files in the output folder, atomically and incrementally.

Pages are staged inside the output folder first; nothing visible changes until `commit`, which
moves only changed files into place, removes files no page produced any more, and records what it
wrote in the manifest (builder.output.manifest). A build that fails calls `abort` and leaves the previous
site untouched. The switch itself is journaled (builder.output.switch): a build killed during it is
finished by the next start.

The output folder is the only place written to. A folder that is not empty and has no manifest
is not ours: we refuse to use it rather than delete someone's files.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import brotli

from builder.digests import file_sha256, sha256_hex
from builder.errors import BuildError, BuildFailed
from builder.output.layout import JOURNAL, NEXT_MANIFEST, OLD_MANIFESTS, PRIVATE_PREFIX, STAGING
from builder.output.manifest import ManifestEntry, read_entries, write_manifest
from builder.output.switch import Switch, begin

if TYPE_CHECKING:
    from builder.render.jobs import OutputPage

@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    deleted: list[str] = field(default_factory=list)


def write_failed(output_dir: Path, rel: str, exc: BaseException) -> BuildFailed:
    """A file of the build could not be written: one line naming it, and what to do."""
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return BuildFailed([BuildError(output_dir / rel, None, "output", f"could not be written: {reason}",
                                   "make room on the disk (or fix the folder's permissions) and build again; "
                                   "the site in the output folder is as the last build left it")])


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
        if stat.st_size != before.size:
            return False
        if stat.st_mtime_ns == before.mtime_ns:
            return True
        # The same size at another mtime: typically an output folder restored from a CI cache (GitLab's
        # zip keeps whole seconds). The bytes decide; reading a file costs far less than rendering it.
        if file_sha256(self.output_dir / rel) != before.digest:
            return False
        self.previous[rel] = before._replace(mtime_ns=stat.st_mtime_ns)
        return True

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
                self.files[sibling] = self.previous[sibling]._replace(made_from=sources)  # its mtime, as checked
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
        except OSError as exc:  # a full disk (ENOSPC), a quota, a read-only folder
            raise write_failed(self.output_dir, rel, exc) from None
        self.staged.append(rel)
        return stat.st_size, stat.st_mtime_ns

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def commit(self, build: dict | None = None) -> WriteReport:
        """Move the staged files into place, remove every file no page made any more, and record
        the files in a new manifest. `build`: how the site was built (e.g. with drafts), for deploys.

        Journaled (output.switch): once the journal is written, a build killed during the moves
        is finished by the next start."""
        if clashes := self.case_clashes():
            self.abort()
            raise BuildFailed(clashes)
        try:
            write_manifest(self.output_dir, self.files, build or {}, name=NEXT_MANIFEST)
            begin(self.output_dir, {"kind": "full"})
        except (OSError, sqlite3.Error) as exc:  # before the journal: nothing in the site changed yet
            self.abort()
            (self.output_dir / NEXT_MANIFEST).unlink(missing_ok=True)
            raise write_failed(self.output_dir, NEXT_MANIFEST, exc) from None
        switch = Switch(self.output_dir, self.files)
        switch.full(self.staged)
        self.report.written += switch.written
        self.report.deleted += switch.deleted
        for name in OLD_MANIFESTS:
            (self.output_dir / name).unlink(missing_ok=True)
        return self.report

    def case_clashes(self) -> list[BuildError]:
        """Files whose paths differ only in case (an article with slug: Same and one with same):
        on macOS, Windows and hosts that fold case they are one file, and one page would be lost."""
        by_folded: dict[str, str] = {}
        errors = []
        for path in sorted(self.files):
            other = by_folded.setdefault(path.casefold(), path)
            if other != path:
                sources = sorted({*self.files[other].made_from, *self.files[path].made_from})
                errors.append(BuildError(None, None, "output", f"{other} and {path} differ only in case",
                                         "they are one file on macOS, Windows and case-folding hosts: "
                                         f"rename one (made from {', '.join(sources) or 'static files'})"))
        return errors

    def commit_changes(self) -> tuple[WriteReport, int]:
        """Commit a rebuild of some files: the writer was given just their last entries (`previous`).

        Only their rows of the manifest change; a file among them that no page made this time
        (a compressed copy of a page now too small to need one) is removed. The rest of the
        output folder is not walked: the next build with nothing changed checks it. Returns the
        report and the number of files the manifest lists now."""
        gone = sorted(path for path in self.previous if path not in self.files)
        try:
            begin(self.output_dir, {"kind": "partial", "gone": gone,
                                    "changed": {path: list(entry) for path, entry in self.files.items()}})
        except OSError as exc:
            self.abort()
            raise write_failed(self.output_dir, JOURNAL, exc) from None
        switch = Switch(self.output_dir, self.files)
        count = switch.partial(self.staged, self.files, gone)
        self.report.written += switch.written
        self.report.deleted += switch.deleted
        return self.report, count
