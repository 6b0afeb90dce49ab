"""Which article files changed since the last build, by the build cache's record of each.

Light on purpose (no Markdown, no templates): a rebuild after `git checkout` or a save that
changed no byte ends here, without loading the renderer. The rule is the parse stage's: a file
whose size or mtime differs, or whose mtime is within the clock's resolution of now, is read and
compared by digest.

In a fresh clone with a restored cache every mtime differs, so every file is read (reading is
cheap next to parsing); only the files whose bytes changed count as edits.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from builder.content.sources import SourceEntry, SourceFile, read_source
from builder.errors import BuildError
from builder.incremental.cache import BuildCache
from builder.incremental.stamp import RACY_WINDOW_NS

MAX_EDITS = 20  # beyond this many edited files, the full build's parallel parse is the better tool


Touched = tuple[str, int, int]  # a file whose stat changed but whose bytes did not: (name, size, mtime_ns)


@dataclass(frozen=True)
class Changes:
    edited: tuple[tuple[SourceEntry, SourceFile], ...]  # bytes changed
    touched: tuple[Touched, ...]


def article_changes(entries: list[SourceEntry], cache: BuildCache) -> Changes | None:
    """Which of the article files listed now were edited since the last build, or None when the full
    build must look (files added, removed or renamed, too many edits, an unreadable file)."""
    cached = cache.stats()
    if len(entries) != len(cached) or any(e.name not in cached for e in entries):
        return None
    racy_after = time.time_ns() - RACY_WINDOW_NS
    candidates = [e for e in entries if cached[e.name][:2] != (e.size, e.mtime_ns) or e.mtime_ns >= racy_after]
    edited, touched = [], []
    for entry in candidates:
        source = read_source(entry)
        if isinstance(source, BuildError):
            return None  # the full build reports it with every other problem
        if source.digest == cached[entry.name][2]:
            touched.append((entry.name, entry.size, entry.mtime_ns))
        else:
            edited.append((entry, source))
            if len(edited) > MAX_EDITS:
                return None
    return Changes(tuple(edited), tuple(touched))
