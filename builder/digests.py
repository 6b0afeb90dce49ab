"""The hashes the build compares: one helper for each kind, so that equal inputs always give equal keys.

- `fingerprint(*parts)`: a short key of Python values (page keys, cache contexts); blake2b over each
  part's repr, so it is stable across processes and runs, unlike hash().
- `file_sha256(path)` and `sha256_hex(data)`: the digest of bytes as the manifest and deploy
  targets record them (sha256, because S3 metadata and people compare it with `sha256sum`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def fingerprint(*parts: object) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(repr(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\x1f")
    return digest.hexdigest()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path | str) -> str:
    """sha256 of a file, read in blocks: a video or a scanned PDF in static/ need not fit in memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
