"""The search index, staged with the rest of the build: kept when its key is unchanged, else made again.

Called by build.full after the pages are staged, and by build.bodies after an edit to a body.
Pagefind's bundle goes through the writer like any page: staged, switched in with everything
else by commit, listed in the manifest, deployed like any file, removed by the next build that
makes no index; under pagefind/ at the site's base path. Pagefind reads its documents from a
work folder in the output folder's private area, kept for the next build (only the documents
that changed are written again); its bundle is moved from there into the staging area, not
copied. A clean build starts the folder afresh, and a build without search removes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from builder.config.search import BUNDLE_FOLDER
from builder.output.layout import SEARCH_WORK
from builder.output.writer import OutputWriter
from builder.search.documents import SearchDocument
from builder.search.index import index_key
from builder.search.pagefind import bundle_files, remove_bundle, remove_work, run_pagefind, write_documents


def stage_search_index(documents: Callable[[], Iterable[SearchDocument]], writer: OutputWriter) -> bool:
    """Stage the search index of `documents()` (called once or twice: each call makes them anew);
    whether it was made again (False: the last build's is kept)."""
    key = index_key(documents())
    if writer.keep_folder(f"{BUNDLE_FOLDER}/", key):
        return False
    work = writer.output_dir / SEARCH_WORK
    if not writer.previous:
        remove_work(work)  # a clean or first build starts from nothing
    remove_bundle(work)  # left over from a build that was killed
    try:
        write_documents(documents(), work)
        bundle = run_pagefind(work)
        for path, file in bundle_files(bundle):
            writer.stage_moved(f"{BUNDLE_FOLDER}/{path}", file, key)
    finally:
        remove_bundle(work)
    return True


def remove_search_work(output_dir: Path) -> None:
    """A site without search keeps no documents for it."""
    remove_work(output_dir / SEARCH_WORK)
