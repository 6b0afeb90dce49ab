"""The output folder as a deploy sees it: the files of one successful build, or a refusal.

A build writes its manifest last, only when it fully succeeded, and leaves a staging folder
behind only when it was killed. A deploy starts from nothing else: the manifest must be there and
valid, no staging folder may be left over, and every file on disk must be the one the manifest
lists (same size and mtime, no file missing, none added).
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from builder.deploy.errors import DeployError
from builder.output.layout import PRIVATE_PREFIX, STAGING
from builder.output.manifest import Manifest, ManifestEntry, ManifestMissing, ManifestUnreadable

_DIGEST = re.compile(r"^[0-9a-f]{64}$")
REBUILD = "run `broadsheet build`, or deploy without --no-build"


@dataclass(frozen=True)
class LocalFile:
    path: str  # relative to the output folder, with "/"
    digest: str  # sha256 hex, from the manifest
    size: int


@dataclass(frozen=True)
class LocalSite:
    root: Path
    files: Mapping[str, LocalFile]
    built_at: datetime  # when the manifest was written

    @property
    def build_id(self) -> str:
        """A short name for this build: the same files with the same bytes give the same id."""
        digest = hashlib.sha256()
        for path in sorted(self.files):
            digest.update(f"{path}\0{self.files[path].digest}\n".encode())
        return digest.hexdigest()[:12]

    def read(self, path: str) -> bytes:
        """A file's bytes, checked against the manifest: a file changed since the build is not sent."""
        data = (self.root / path).read_bytes()
        if hashlib.sha256(data).hexdigest() != self.files[path].digest:
            raise DeployError(f"{path} changed since the build", REBUILD)
        return data

    def verify(self, path: str) -> Path:
        """The file's path, after checking its bytes against the manifest without reading it whole."""
        digest = hashlib.sha256()
        with open(self.root / path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != self.files[path].digest:
            raise DeployError(f"{path} changed since the build", REBUILD)
        return self.root / path


def is_private(path: str) -> bool:
    """Broadsheet's own files at the top of the output folder, never part of the site."""
    return PurePosixPath(path).parts[0].startswith(PRIVATE_PREFIX)


def load_site(output_dir: Path) -> LocalSite:
    """The files of the last build in `output_dir`; DeployError unless it succeeded and is intact."""
    root = output_dir.resolve()
    if not root.is_dir():
        raise DeployError(f"there is no built site in {output_dir}", REBUILD)
    if (root / STAGING).exists():
        raise DeployError(f"a build in {output_dir} did not finish ({STAGING} is left over)", REBUILD)
    build, entries, mtime = _read_manifest(root, output_dir)
    shown = [name for name in ("drafts", "future") if isinstance(build, dict) and build.get(name)]
    if shown:
        raise DeployError(f"the output in {output_dir} was built with {' and '.join(shown)} "
                          "(a preview, or build --drafts/--future): it must not be published", REBUILD)
    files, problems = _compare(root, output_dir, entries)
    problems.extend(f"{path} is not part of the build" for path in _files_on_disk(root) if path not in files)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise DeployError(f"the output folder {output_dir} is not what the last build wrote: {problems[0]}{more}",
                          REBUILD)
    return LocalSite(root, files, datetime.fromtimestamp(mtime, UTC))


def _read_manifest(root: Path, output_dir: Path) -> tuple[object, dict[str, ManifestEntry], float]:
    """(how the site was built, its files, when the manifest was written)."""
    try:
        with Manifest(root) as manifest:
            mtime = manifest.path.stat().st_mtime
            return manifest.build(), manifest.entries(), mtime
    except ManifestMissing:
        raise DeployError(f"{output_dir} has no build manifest: no build there succeeded", REBUILD) from None
    except (ManifestUnreadable, sqlite3.Error, OSError, ValueError) as exc:
        raise DeployError(f"the build manifest in {output_dir} cannot be read, or is not one this version "
                          f"of Broadsheet wrote ({exc})", REBUILD) from None


def _compare(root: Path, output_dir: Path, entries: dict[str, ManifestEntry]) -> tuple[dict[str, LocalFile], list[str]]:
    """The site's files as the manifest lists them, and how the folder differs from it."""
    files: dict[str, LocalFile] = {}
    problems: list[str] = []
    for path, entry in entries.items():
        if not _valid_entry(path, entry):
            raise DeployError(f"the build manifest in {output_dir} has an invalid entry for {path!r}", REBUILD)
        if is_private(path):
            continue
        try:
            stat = (root / path).lstat()
        except OSError:
            problems.append(f"{path} is missing")
            continue
        if not (root / path).is_file():
            problems.append(f"{path} is not a file")
        elif stat.st_size != entry.size or stat.st_mtime_ns != entry.mtime_ns:
            problems.append(f"{path} changed since the build")
        files[path] = LocalFile(path, entry.digest, entry.size)
    return files, problems


def _valid_entry(path, entry: ManifestEntry) -> bool:
    """SQLite keeps whatever a column is given: a damaged or hand-made manifest is checked here."""
    if not isinstance(path, str):
        return False
    rel = PurePosixPath(path)
    if not rel.parts or rel.is_absolute() or ".." in rel.parts or "\\" in path:
        return False
    return (isinstance(entry.digest, str) and bool(_DIGEST.match(entry.digest))
            and all(type(value) is int for value in (entry.size, entry.mtime_ns)))


def _files_on_disk(root: Path):
    for dirpath, dirnames, filenames in os.walk(root):
        current = Path(dirpath)
        if current == root:
            dirnames[:] = [d for d in dirnames if not d.startswith(PRIVATE_PREFIX)]
            filenames = [f for f in filenames if not f.startswith(PRIVATE_PREFIX)]
        for name in filenames:
            yield (current / name).relative_to(root).as_posix()
        # A symlink to a folder is listed as a folder and not followed: it is no file of the build.
        yield from ((current / d).relative_to(root).as_posix() for d in dirnames if (current / d).is_symlink())
