"""The manifest: written whole by a full build, changed row by row by a partial one, read in parts."""

from __future__ import annotations

import sqlite3

import pytest

from builder.output.layout import MANIFEST
from builder.output.manifest import (
    MANIFEST_VERSION,
    Manifest,
    ManifestEntry,
    ManifestMissing,
    ManifestUnreadable,
    read_entries,
    read_stats,
    update_manifest,
    write_manifest,
)

FILES = {
    "index.html": ManifestEntry("a" * 64, "k1", 10, 1_700_000_000_000_000_001, ("content/a.md", "content/é.md")),
    "politics/feed.json": ManifestEntry("b" * 64, "k2", 20, 2, ("content/a.md",)),
    "politics/x/feed.json": ManifestEntry("c" * 64, "k3", 30, 3, ("content/ba.md",)),
    "assets/site.css": ManifestEntry("d" * 64, "", 40, 4),
}


@pytest.fixture
def output(tmp_path):
    write_manifest(tmp_path, FILES, {"drafts": True, "future": False})
    return tmp_path


def test_what_is_written_is_read_back(output):
    with Manifest(output) as manifest:
        assert manifest.entries(made_from=True) == FILES
        assert manifest.build() == {"drafts": True, "future": False}
        assert manifest.has("politics/feed.json") and not manifest.has("politics/")
        assert manifest.made_from()["index.html"] == ("content/a.md", "content/é.md")
    assert read_entries(output) == {path: entry._replace(made_from=()) for path, entry in FILES.items()}
    assert read_stats(output) == {path: (entry.size, entry.mtime_ns) for path, entry in FILES.items()}


def test_files_made_from_a_source_match_its_whole_name(output):
    with Manifest(output) as manifest:
        assert manifest.paths_made_from("content/a.md", "feed.json") == ["politics/feed.json"]
        assert manifest.paths_made_from("a.md", "feed.json") == []
        assert manifest.paths_made_from("content/é.md", ".html") == ["index.html"]
        assert manifest.entries_for(["index.html", "gone.html"]) == {"index.html": FILES["index.html"]}


def test_rows_change_in_place(output):
    new = FILES["index.html"]._replace(digest="e" * 64, size=11)
    assert update_manifest(output, {"index.html": new}, ["assets/site.css"]) == len(FILES) - 1
    with Manifest(output) as manifest:
        assert manifest.entries(made_from=True) == {**{p: e for p, e in FILES.items() if p != "assets/site.css"},
                                                    "index.html": new}
        assert manifest.build() == {"drafts": True, "future": False}


def test_a_new_manifest_replaces_the_old_one_whole(output):
    write_manifest(output, {"index.html": FILES["index.html"]}, {})
    assert set(read_entries(output)) == {"index.html"}
    assert not (output / (MANIFEST + ".tmp")).exists()


def test_a_journal_left_by_a_killed_update_is_not_applied_to_a_new_manifest(output):
    (output / (MANIFEST + "-journal")).write_bytes(b"left by a killed rebuild" * 100)
    write_manifest(output, FILES, {})
    assert not (output / (MANIFEST + "-journal")).exists()
    assert read_entries(output) == {path: entry._replace(made_from=()) for path, entry in FILES.items()}


def test_missing_damaged_and_foreign_manifests(tmp_path):
    with pytest.raises(ManifestMissing):
        Manifest(tmp_path)
    assert read_entries(tmp_path) == {} and read_stats(tmp_path) == {}
    (tmp_path / MANIFEST).write_bytes(b"{not a database")
    with pytest.raises(ManifestUnreadable):
        Manifest(tmp_path)
    assert read_entries(tmp_path) == {}
    write_manifest(tmp_path, FILES, {})
    db = sqlite3.connect(tmp_path / MANIFEST)
    db.execute(f"PRAGMA user_version = {MANIFEST_VERSION + 1}")
    db.close()
    with pytest.raises(ManifestUnreadable, match="format"):
        Manifest(tmp_path)
    assert read_stats(tmp_path) == {}


def test_reading_never_changes_the_file(output):
    before = (output / MANIFEST).read_bytes()
    with Manifest(output) as manifest:
        manifest.entries(made_from=True)
        with pytest.raises(sqlite3.OperationalError):
            manifest.db.execute("DELETE FROM files")
    assert (output / MANIFEST).read_bytes() == before


@pytest.mark.parametrize("name", ["out put", "a#b?c%20d", "արխիվ", "x&y=z"])
def test_an_output_folder_with_any_name(tmp_path, name):
    # Readers open the file read-only through a file: URI, where these characters mean something.
    folder = tmp_path / name
    folder.mkdir()
    write_manifest(folder, FILES, {})
    with Manifest(folder) as manifest:
        assert manifest.entries(made_from=True) == FILES
    assert update_manifest(folder, {}, ["index.html"]) == len(FILES) - 1
