"""Reading a Pagefind bundle back: its entry file and the records (fragments) it holds per page."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

PREFIX = b"pagefind_dcd"  # what every compressed Pagefind file starts with, once unpacked


def entry(out: Path) -> dict:
    return json.loads((out / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))


def fragments(out: Path) -> list[dict]:
    """Every page record of the index: url, content, filters, meta, anchors (the headings)."""
    records = []
    for file in sorted((out / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(file.read_bytes())
        assert data.startswith(PREFIX), file
        records.append(json.loads(data[len(PREFIX):]))
    return records


def by_url(out: Path) -> dict[str, dict]:
    return {record["url"]: record for record in fragments(out)}
