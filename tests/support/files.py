"""Helpers every test folder uses on files: write a site from memory, read a folder back as a tree."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

from PIL import Image


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write each file (text as UTF-8) under root, making its folders; returns root."""
    for rel, data in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
    return root


def png(width: int = 40, height: int = 30, colour: str = "white") -> bytes:
    """A small real PNG of the given size."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg(width: int = 40, height: int = 30, colour: str = "white", **save) -> bytes:
    """A small real JPEG of the given size; `save`: more of Pillow's options (exif=..., quality=...)."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "JPEG", **save)
    return buffer.getvalue()


def tree(root: Path) -> dict[str, str]:
    """Every file of a built site (not our bookkeeping files) with the digest of its bytes."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.relative_to(root).parts[0].startswith(".broadsheet")
    }


def diff(a: dict[str, str], b: dict[str, str]) -> list[str]:
    return sorted({k for k in a.keys() | b.keys() if a.get(k) != b.get(k)})


AGED_FROM = 1_600_000_000  # 2020-09-13: long before any build in a test


def age_new_files(root: Path, step: int) -> None:
    """Give files changed since the last call a distinct mtime in the past.

    A build trusts its input stamp (builder.incremental.stamp) only for files older than the clock's resolution;
    tests that edit and rebuild within a second use this to exercise the no-change path. Every call
    uses a later moment, so an edited file never gets an mtime it had before.
    """
    for path in root.rglob("*"):
        if path.relative_to(root).parts[0] == "output":  # built files are not inputs
            continue
        if path.is_file() and path.stat().st_mtime > AGED_FROM + 10_000_000:
            os.utime(path, (AGED_FROM + step, AGED_FROM + step))


def tree_state(root: Path) -> dict[str, tuple[str, int]]:
    """Every file under root (hidden ones too) with its content hash and mtime: to prove nothing changed."""
    if not root.exists():
        return {}
    return {
        p.relative_to(root).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def site_state(output: Path) -> dict[str, tuple[str, int]]:
    """tree_state of an output folder without the build cache.

    The cache (.broadsheet-cache.*) is bookkeeping keyed by its inputs, and may learn from a build
    that then fails; every file of the site, and the manifest, must stay as they were.
    """
    return {rel: state for rel, state in tree_state(output).items() if not rel.startswith(".broadsheet-cache")}


def output_state(out: Path) -> dict[str, tuple[str, int]]:
    """Every file of an output folder but the build cache, with digest and mtime: proves nothing changed."""
    return {
        p.relative_to(out).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.relative_to(out).as_posix().startswith(".broadsheet-cache")
    }
