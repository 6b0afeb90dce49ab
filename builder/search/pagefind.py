"""Search documents -> Pagefind's bundle in a folder: one run of the Pagefind binary for the whole site.

Pagefind's Python API (PyPI `pagefind`, with the binary from the `pagefind_bin` wheel: nothing is
downloaded) talks to the binary over a pipe, and reads each answer after a 0.1 s sleep. Adding
pages one call at a time therefore waits 0.11 s a page, and sending the calls together does not
help: the answers are still read one per sleep (benchmarks/search.py measures both; 10,000
articles would wait some 19 minutes). So the documents are written as files into a work folder
and indexed with one `add_directory` call, and the bundle is written to disk with one
`write_files` call (`get_files` would pass the whole index through the pipe as base64). The work
folder is the build's to give: inside the output folder's private area, where the documents stay
for the next build (write_documents) and the bundle's files are moved into the site from.

Only the files the search page uses are handed on: pagefind.js and its worker, the entry file, the
WebAssembly per language and the index itself. Pagefind's own UIs (pagefind-ui.js and the rest)
are left out; the theme has its own markup.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

from builder.errors import BuildError, BuildFailed
from builder.search.documents import SearchDocument

SITE = "site"  # in the work folder: the documents, at their pages' paths
BUNDLE = "bundle"  # in the work folder: what Pagefind writes
# Pagefind's interfaces, which the theme does not use; everything else in the bundle is served.
UNUSED = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")


def pagefind_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind_bin")
    except PackageNotFoundError:
        return "unknown"


def write_documents(documents: Iterable[SearchDocument], work_dir: Path) -> int:
    """Make work_dir/site/ hold exactly the documents, each where its page is; the number written.

    The folder is kept between builds: a document the same as on disk is not written again, and
    only the documents of pages that are gone are removed. Making and removing 10,000 files and
    their folders every time was most of the cost of a changed index (benchmarks/search.py)."""
    site = work_dir / SITE
    on_disk = {os.path.join(folder, name) for folder, _, names in os.walk(site) for name in names}
    written = 0
    for document in documents:
        parts = document.path.split("/")
        if ".." in parts or document.path.startswith("/"):
            raise BuildFailed([BuildError(None, None, "search", f"refusing to index a page outside the site: "
                                          f"{document.path}")])
        target = os.path.join(site, *filter(None, parts), "index.html")
        data = document.html.encode("utf-8")
        if target in on_disk:
            on_disk.discard(target)
            if os.path.getsize(target) == len(data) and Path(target).read_bytes() == data:
                continue
        else:
            os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(data)
        written += 1
    for stale in on_disk:
        os.unlink(stale)
        _remove_empty_folders(os.path.dirname(stale), site)
    site.mkdir(parents=True, exist_ok=True)  # an archive without articles still gets an (empty) index
    return written


def _remove_empty_folders(folder: str, site: Path) -> None:
    while Path(folder) != site and not os.listdir(folder):
        os.rmdir(folder)
        folder = os.path.dirname(folder)


def run_pagefind(work_dir: Path) -> Path:
    """Index work_dir/site/ with Pagefind; the folder it wrote the bundle to."""
    bundle = work_dir / BUNDLE
    try:
        asyncio.run(_index(work_dir / SITE, bundle))
    except FileNotFoundError as exc:
        raise BuildFailed([BuildError(None, None, "search", f"Pagefind could not run: {exc}",
                                      "reinstall Broadsheet, which brings Pagefind's binary: "
                                      "pip install --force-reinstall 'pagefind[bin]'; "
                                      "or turn search off in site.yaml: search: {enabled: false}")]) from None
    except Exception as exc:  # the service reports its errors as plain Exceptions
        raise BuildFailed([BuildError(None, None, "search", f"Pagefind failed to build the index: {exc}",
                                      "or turn search off in site.yaml: search: {enabled: false}")]) from None
    return bundle


async def _index(site: Path, bundle: Path) -> None:
    from pagefind.index import PagefindIndex  # loads only in builds that index

    # Leaving the block writes the bundle to output_path (and only then: an error skips it).
    async with PagefindIndex(config={"output_path": str(bundle)}) as index:
        await index.add_directory(str(site))


def bundle_files(bundle: Path) -> Iterator[tuple[str, Path]]:
    """(path inside the bundle, file) for every file the site serves, in a stable order."""
    for folder, subfolders, names in os.walk(bundle):
        subfolders.sort()
        for name in sorted(names):
            if not name.startswith(UNUSED):
                path = Path(folder, name)
                yield path.relative_to(bundle).as_posix(), path


def remove_bundle(work_dir: Path) -> None:
    """What Pagefind wrote and the writer did not move into the site; the documents stay."""
    shutil.rmtree(work_dir / BUNDLE, ignore_errors=True)


def remove_work(work_dir: Path) -> None:
    shutil.rmtree(work_dir, ignore_errors=True)
