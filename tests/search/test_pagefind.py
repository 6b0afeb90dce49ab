"""Running Pagefind: the documents' folder kept in step between builds, and the bundle's files."""

from __future__ import annotations

import os

import pytest

from builder.errors import BuildFailed
from builder.search.documents import SearchDocument
from builder.search.pagefind import bundle_files, run_pagefind, write_documents


def doc(path: str, text: str) -> SearchDocument:
    return SearchDocument(path, "en", f'<html lang="en"><body><h1>{text}</h1></body></html>')


def test_the_documents_folder_holds_exactly_the_documents_and_rewrites_only_changes(tmp_path):
    site = tmp_path / "site"
    assert write_documents([doc("politics/2024/03/vote/", "Vote"), doc("culture/2023/fair/", "Fair")], tmp_path) == 2
    vote, fair = site / "politics/2024/03/vote/index.html", site / "culture/2023/fair/index.html"
    os.utime(vote, (1_000_000_000, 1_000_000_000))
    os.utime(fair, (1_000_000_000, 1_000_000_000))
    written = write_documents([doc("politics/2024/03/vote/", "Vote"), doc("culture/2023/fair/", "Book fair")],
                              tmp_path)
    assert written == 1
    assert vote.stat().st_mtime == 1_000_000_000  # the same document: not written again
    assert "Book fair" in fair.read_text(encoding="utf-8")
    assert write_documents([doc("politics/2024/03/vote/", "Vote")], tmp_path) == 0
    assert not fair.exists() and not (site / "culture").exists()  # a page that is gone, and its empty folders
    assert vote.is_file()


def test_a_document_may_not_be_written_outside_its_folder(tmp_path):
    with pytest.raises(BuildFailed):
        write_documents([doc("../escape/", "Out")], tmp_path)
    assert not (tmp_path.parent / "escape").exists()


def test_pagefind_indexes_the_folder_and_its_interfaces_are_left_out(tmp_path):
    write_documents([doc("a/", "Alpha"), doc("b/", "Beta")], tmp_path)
    bundle = run_pagefind(tmp_path)
    served = [path for path, _ in bundle_files(bundle)]
    assert "pagefind.js" in served and "pagefind-entry.json" in served
    assert any(path.startswith("fragment/") for path in served)
    assert not [p for p in served if p.startswith(("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.",
                                                     "pagefind-highlight."))]
    assert [path for path, _ in bundle_files(bundle)] == served  # a stable order


def test_an_archive_without_articles_still_gets_an_index(tmp_path):
    write_documents([], tmp_path)
    bundle = run_pagefind(tmp_path)
    assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-entry.json").is_file()
