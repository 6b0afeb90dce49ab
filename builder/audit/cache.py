"""Audit results per page, kept by a hash of everything that decides them.

The key covers the page's path and HTML, the bytes of the CSS and JavaScript it loads, the axe-core
version, the rule tags, the reader states checked and this code's version. A page whose key is
unchanged is not opened in the browser again.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

from builder.checks.findings import Finding

# Bump when the browser audit would report differently for the same page.
AUDIT_CODE_VERSION = "1"


def page_key(path: str, html: bytes, assets: list[tuple[str, str]], axe_version: str, tags: tuple[str, ...],
             states: tuple[str, ...]) -> str:
    hasher = hashlib.sha256()
    for part in (AUDIT_CODE_VERSION, axe_version, ",".join(tags), ",".join(states), path):
        hasher.update(part.encode() + b"\0")
    hasher.update(hashlib.sha256(html).digest())
    for url, digest in sorted(assets):
        hasher.update(f"{url}={digest}\0".encode())
    return hasher.hexdigest()


class AuditCache:
    def __init__(self, folder: Path, enabled: bool = True):
        self.folder, self.enabled = folder, enabled
        self.used: set[str] = set()

    def _file(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, key: str) -> list[Finding] | None:
        if not self.enabled:
            return None
        try:
            data = json.loads(self._file(key).read_text(encoding="utf-8"))
            findings = [Finding.from_json(item) for item in data["findings"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        self.used.add(key)
        return findings

    def put(self, key: str, findings: list[Finding]) -> None:
        if not self.enabled:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self._file(key).with_suffix(f".{os.getpid()}-{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps({"findings": [f.to_json() for f in findings]}, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self._file(key))
        self.used.add(key)

    def prune(self) -> int:
        """Remove entries this run did not use (after a run over every page); returns how many."""
        if not self.enabled or not self.folder.is_dir():
            return 0
        removed = 0
        for file in self.folder.glob("*.json"):
            if file.stem not in self.used:
                file.unlink(missing_ok=True)
                removed += 1
        return removed
