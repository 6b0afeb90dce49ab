"""The only code that walks the site folder: content files and static files, with their digests.

Symbolic links are resolved here: followed when they stay inside the site folder, an error when
they lead out of it or loop (see _files_under)."""

from __future__ import annotations

import errno
import hashlib
import os
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from builder.errors import BuildError, BuildFailed

ARTICLE_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True)
class SourceFile:
    path: Path  # as shown to people: relative to the site folder, e.g. content/politics/vote.md
    text: str
    digest: str


@dataclass(frozen=True)
class StaticFile:
    url_path: str  # relative to the site root, e.g. "images/2024/vote.jpg"
    path: Path  # absolute path on disk
    size: int
    dimensions: tuple[int, int] | None = None  # width, height of an image, to reserve its space
    mtime_ns: int = 0


# What an earlier build found: url path -> (size, mtime_ns, dimensions) of the file it measured.
Measured = Mapping[str, tuple[int, int, "tuple[int, int] | None"]]


IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif")


EXIF_ORIENTATION = 0x0112
SIDEWAYS = frozenset({5, 6, 7, 8})  # EXIF orientations that turn the picture by a quarter


def orientation(image) -> int:
    """The EXIF orientation of an opened PIL image (1: as stored). Read from JPEG and WebP headers
    only: a PNG keeps its EXIF after the pixels, and reading it would decode the whole image."""
    if image.format not in ("JPEG", "MPO", "WEBP"):
        return 1
    value = image.getexif().get(EXIF_ORIENTATION, 1)
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _dimensions(path: Path) -> tuple[int, int] | None:
    """Width and height as a browser shows the image: turned by its EXIF orientation."""
    from PIL import Image as PILImage  # here: listing articles on a rebuild needs no image library

    try:
        with warnings.catch_warnings():
            # Only the size is read here: render.images refuses a picture too large to decode.
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            with PILImage.open(path) as image:  # reads the header only
                width, height = image.size
                return (height, width) if orientation(image) in SIDEWAYS else (width, height)
    except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError):
        return None


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """An article file found under content/, before it is read.

    Every build lists every article, and the list stays for the whole build: plain strings, with
    Path objects made only when asked for (two per file took about 600 bytes an article)."""

    path: str  # absolute
    name: str  # relative to the site folder, as printed in messages; the file's key in the build cache
    size: int
    mtime_ns: int

    @property
    def file(self) -> Path:
        return Path(self.path)

    @property
    def shown(self) -> Path:
        return Path(self.name)


def list_sources(site_dir: Path, content_dir: Path) -> list[SourceEntry]:
    """Every article file under content/, sorted by path, with the stat data that tells if it changed."""
    if not content_dir.is_dir():
        return []
    # Runs on every build, also when one file of 100,000 changed: strings and scandir, no Path per file.
    inside = content_dir.resolve().is_relative_to(site_dir.resolve())
    shown_root = content_dir.resolve().relative_to(site_dir.resolve()).as_posix() if inside else str(content_dir)
    found_files = _files_under(str(content_dir), shown_root + "/", ARTICLE_SUFFIXES, os.path.realpath(site_dir))
    found_files.sort()
    return [SourceEntry(file, shown, size, mtime) for shown, file, size, mtime in found_files]


def _files_under(folder: str, prefix: str, suffixes: tuple[str, ...] | None = None, site: str = "",
                 shown: str = "") -> list[tuple[str, str, int, int]]:
    """(prefix + name relative to `folder`, path, size, mtime_ns) of every file under `folder`, unsorted.

    One scandir per folder and no Path per file: this runs on every build over every article and
    static file. Names starting with "." or "_" are skipped, files and folders alike.

    A symbolic link is resolved against `site`, the site folder (resolved): one that resolves inside
    it is followed, to a file or a folder; one that resolves outside it, or loops, is an error that
    names it as `shown` + its relative name (a link to /proc/self/environ in static/ would publish
    the build's secrets). Resolving costs a few system calls, paid for links only."""
    site = site or os.path.realpath(os.path.dirname(folder))
    found = []
    errors: list[BuildError] = []
    # Each folder to list, with its name as shown, and the real folders the walk is inside: the
    # deepest of each stretch between links (a link to one of them would list it again, for ever).
    pending: list[tuple[str, str, tuple[str, ...]]] = [(folder, prefix, (os.path.realpath(folder),))]
    while pending:
        folder, prefix, inside = pending.pop()
        with os.scandir(folder) as listing:
            for item in listing:
                name = item.name
                if name.startswith((".", "_")):
                    continue
                if item.is_symlink():
                    target = link_target(item.path, f"{shown}{prefix}{name}", site, inside, errors)
                    if target is not None and os.path.isdir(target):
                        pending.append((item.path, f"{prefix}{name}/", (*inside, target)))
                    if target is None or os.path.isdir(target):
                        continue
                if item.is_dir(follow_symlinks=False):
                    pending.append((item.path, f"{prefix}{name}/", (*inside[:-1], f"{inside[-1]}/{name}")))
                elif (suffixes is None or name.lower().endswith(suffixes)) and item.is_file():
                    stat = item.stat()
                    found.append((prefix + name, item.path, stat.st_size, stat.st_mtime_ns))
    if errors:
        raise BuildFailed(errors)
    return found


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def link_target(link: str, shown: str, site: str, inside: tuple[str, ...], errors: list[BuildError]) -> str | None:
    """Where a symbolic link leads, if it may be followed; otherwise None, with the error added
    to `errors` when there is one (a link to nothing inside the site is passed over, as before)."""
    try:
        target = os.path.realpath(link, strict=True)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            errors.append(BuildError(Path(shown), None, "symlink",
                                     f"is a symbolic link that loops ({_points_at(link)})",
                                     "remove the link, or point it at a file inside the site folder"))
            return None
        target = os.path.realpath(link)  # it leads nowhere: harmless unless it leads out
    if not _within(target, site):
        errors.append(BuildError(Path(shown), None, "symlink",
                                 f"is a symbolic link to {target}, outside the site folder",
                                 "a build never reads files outside the site folder: copy the file in, "
                                 "or remove the link"))
        return None
    if any(_within(folder, target) for folder in inside):
        errors.append(BuildError(Path(shown), None, "symlink",
                                 f"is a symbolic link to {_points_at(link)}, a folder it is inside (a loop)",
                                 "remove the link, or point it at a file inside the site folder"))
        return None
    return target if os.path.exists(target) else None


def _points_at(link: str) -> str:
    try:
        return os.readlink(link)
    except OSError:
        return "?"


def links_leading_out(site_dir: Path, folder: Path, shown: str) -> list[BuildError]:
    """Errors for every symbolic link under `folder` (templates/, a site's own theme) that
    resolves outside the site folder or loops; hidden names included, since templates may load any
    file. Linked folders inside the site are walked too."""
    site = os.path.realpath(site_dir)
    errors: list[BuildError] = []
    if not folder.exists() and not folder.is_symlink():
        return errors
    inside: tuple[str, ...] = ()
    if folder.is_symlink() and link_target(str(folder), shown.rstrip("/"), site, inside, errors) is None:
        return errors
    pending: list[tuple[str, str, tuple[str, ...]]] = [(str(folder), shown, (os.path.realpath(folder),))]
    while pending:
        current, prefix, inside = pending.pop()
        with os.scandir(current) as listing:
            for item in listing:
                if item.is_symlink():
                    target = link_target(item.path, prefix + item.name, site, inside, errors)
                    if target is not None and os.path.isdir(target):
                        pending.append((item.path, f"{prefix}{item.name}/", (*inside, target)))
                elif item.is_dir(follow_symlinks=False):
                    pending.append((item.path, f"{prefix}{item.name}/",
                                    (*inside[:-1], f"{inside[-1]}/{item.name}")))
    return errors


def read_source(entry: SourceEntry) -> SourceFile | BuildError:
    data = entry.file.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return BuildError(entry.shown, line, None, "the file is not UTF-8 text", "save it as UTF-8")
    return SourceFile(entry.shown, text.replace("\r\n", "\n"), hashlib.sha256(data).hexdigest())


def read_sources(site_dir: Path, content_dir: Path) -> list[SourceFile]:
    """Every article file under content/, read. Files that are not UTF-8 are errors."""
    sources: list[SourceFile] = []
    errors: list[BuildError] = []
    for entry in list_sources(site_dir, content_dir):
        result = read_source(entry)
        if isinstance(result, BuildError):
            errors.append(result)
        else:
            sources.append(result)
    if errors:
        raise BuildFailed(errors)
    return sources


def scan_static(static_dir: Path, measured: Measured | None = None,
                site_dir: Path | None = None) -> dict[str, StaticFile]:
    """Static files by their URL path under the site root (copied to the output as they are).

    Every build and every one-article rebuild lists them, and an archive has a photo or more per
    article. So: no Path per file, and an image's header is read only when `measured` has
    no dimensions for it at its current size and mtime (reading one takes some 70 µs: 100,000
    photos took 7 s)."""
    if not static_dir.is_dir():
        return {}
    measured = measured or {}
    site = os.path.realpath(site_dir if site_dir is not None else static_dir.parent)
    listed = _files_under(str(static_dir), "", site=site, shown=f"{static_dir.name}/")
    listed.sort(key=lambda found: found[0].split("/"))  # the order of sorted Paths, part by part
    found = {}
    for rel, path, size, mtime_ns in listed:
        before = measured.get(rel)
        if not rel.lower().endswith(IMAGE_SUFFIXES):
            dimensions = None
        elif before is not None and before[0] == size and before[1] == mtime_ns:
            dimensions = before[2]
        else:
            dimensions = _dimensions(Path(path))
        found[rel] = StaticFile(rel, Path(path), size, dimensions, mtime_ns)
    return found
