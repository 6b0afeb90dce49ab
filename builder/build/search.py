"""The search index, staged with the rest of the build: kept when its key is unchanged, else made again.

Called by build.full after the pages are staged, and by build.bodies after an edit to a body.
Pagefind's bundle goes through the writer like any page: staged, switched in with everything
else by commit, listed in the manifest, deployed like any file, removed by the next build that
makes no index; under pagefind/ at the site's base path. Pagefind reads its documents from a
work folder in the output folder's private area, kept for the next build (only the documents
that changed are written again); its bundle is moved from there into the staging area, not
copied. A clean build starts the folder afresh, and a build without search removes it.

A preview's builds (`BuildOptions.defer_search`) leave the index as it was, so that an edit is
visible without waiting for Pagefind (some 23 s of CPU at 10,000 articles): the stamp says the
index is behind, and `SearchCatchUp` brings it up to date later, in two steps. `prepare` does the
slow part (the documents and Pagefind, into the work folder) and changes nothing in the site, so
the preview runs it while it serves pages; `commit` then stages the new bundle and switches it in
like any rebuild of some files (OutputWriter.commit_changes), so the site is never half-indexed:
it has the old bundle or the new one. A build without `defer_search` (`broadsheet build`, deploy)
finds the stamp behind and brings the index up to date itself before it reports the site built.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from builder.config.search import BUNDLE_FOLDER
from builder.config.site import SiteConfig
from builder.incremental.cache import BuildCache
from builder.incremental.recipes import RecipeStale, load_search_recipe
from builder.output.layout import CACHE_NAME, SEARCH_WORK
from builder.output.manifest import ManifestEntry, read_entries
from builder.output.writer import ENCODINGS, OutputWriter, WriteReport
from builder.search.documents import SearchDocument, search_document
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


def keep_search_index(writer: OutputWriter) -> None:
    """Keep the last build's search index as it is, whatever it was made from (a preview's build):
    every file of it when each is intact, otherwise none (the next full index makes it again)."""
    folder = f"{BUNDLE_FOLDER}/"
    key = bundle_key(writer.previous)
    if key is not None:
        writer.keep_folder(folder, key)


def bundle_key(entries: dict[str, ManifestEntry]) -> str | None:
    """The key the search index in these manifest entries was made with (None: there is none)."""
    siblings = tuple(ext for ext, _ in ENCODINGS)
    return next((entry.key for path, entry in sorted(entries.items())
                 if path.startswith(f"{BUNDLE_FOLDER}/") and not path.endswith(siblings)), None)


@dataclass
class CatchUpResult:
    report: WriteReport
    files: int  # in the output folder, as the manifest lists them now
    remade: bool  # False: the index was already what the documents make


class SearchCatchUp:
    """Bring the search index that builds with `defer_search` left behind up to date (see above).

    Made by the build that left it behind, with that build's settings and cache context. `prepare`
    only reads the cache (never opening it in a way that could reset it) and writes the work
    folder, which no preview build touches; `commit` must run with no build running, on the output
    that build left (the preview runs it under its write lock and drops it when a build ran since
    `prepare` began)."""

    def __init__(self, output_dir: Path, config: SiteConfig, cache_context: str, precompress_min: int | None):
        self.output_dir = output_dir.resolve()
        self.config, self.cache_context, self.precompress_min = config, cache_context, precompress_min
        self.work = self.output_dir / SEARCH_WORK
        self.key: str | None = None
        self.bundle: Path | None = None  # Pagefind's bundle, when prepare made one
        self.seconds = 0.0

    def documents(self, cache: BuildCache) -> Callable[[], Iterator[SearchDocument]]:
        """The documents a full build would index now: the recorded articles, in order, from the cache."""
        recipe = load_search_recipe(cache)
        if recipe is None:
            raise RecipeStale("search")
        config = self.config

        def documents() -> Iterator[SearchDocument]:
            for name in recipe.sources:
                cached = cache.article(name)
                if cached is None:
                    raise RecipeStale(name)
                yield search_document(cached.article, cache.body(name), config)

        return documents

    def prepare(self, cache: BuildCache | None = None, nice: int = 0) -> None:
        """The slow part: the index key and, when the site's index is not made from it, Pagefind's
        bundle in the work folder. Nothing in the site changes. `nice`: run Pagefind at this lower
        CPU priority (a preview, where edits must not wait for the index)."""
        own = cache is None
        if cache is None:
            cache = BuildCache.existing(self.output_dir / CACHE_NAME, self.cache_context)
            if cache is None:
                raise RecipeStale("the build cache is not the one that build left")
        try:
            documents = self.documents(cache)
            self.key = index_key(documents())
            if bundle_key(read_entries(self.output_dir)) == self.key:
                return
            remove_bundle(self.work)
            write_documents(documents(), self.work)
        finally:
            if own:
                cache.close()
        if nice:
            self.bundle = _at_lower_priority(lambda: run_pagefind(self.work), nice)
        else:
            self.bundle = run_pagefind(self.work)

    def commit(self, cache: BuildCache | None = None) -> CatchUpResult:
        """Switch the prepared index in and record that it is up to date."""
        assert self.key is not None, "prepare first"
        own = cache is None
        if cache is None:
            cache = BuildCache(self.output_dir / CACHE_NAME, self.cache_context)
        try:
            previous = {path: entry for path, entry in read_entries(self.output_dir).items()
                        if path.startswith(f"{BUNDLE_FOLDER}/")}
            writer = OutputWriter(self.output_dir, self.precompress_min, previous=previous)
            try:
                if self.bundle is None:
                    remade = False
                    if not writer.keep_folder(f"{BUNDLE_FOLDER}/", self.key):
                        raise RecipeStale("the search index changed since prepare")
                    report, files = WriteReport(unchanged=len(writer.files)), None
                else:
                    remade = True
                    for path, file in bundle_files(self.bundle):
                        writer.stage_moved(f"{BUNDLE_FOLDER}/{path}", file, self.key)
                    report, files = writer.commit_changes()
            except BaseException:
                writer.abort()
                raise
            stamp = cache.stamp()
            if stamp is not None:
                stamp = replace(stamp, search_behind=False, files=stamp.files if files is None else files)
                cache.store_stamp(stamp)
            return CatchUpResult(report, files if files is not None else stamp.files if stamp else 0, remade)
        finally:
            remove_bundle(self.work)
            if own:
                cache.close()

    def discard(self) -> None:
        """A build ran since prepare: what it made is not used."""
        remove_bundle(self.work)


def _at_lower_priority(task: Callable[[], Path], nice: int) -> Path:
    """Run task in a thread of its own at a lower CPU priority, which the processes it starts inherit
    (Linux: the nice value belongs to a thread). The caller's thread keeps its priority: lowering
    the priority of a thread that holds the GIL would slow every other thread of the process."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            if hasattr(os, "setpriority"):
                with contextlib.suppress(OSError):
                    os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
            outcome["bundle"] = task()
        except BaseException as exc:  # handed to the caller
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="broadsheet-search-index", daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["bundle"]  # type: ignore[return-value]
