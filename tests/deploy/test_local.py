"""A deploy starts only from the output of a build that succeeded and was not changed since."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from builder.deploy.errors import DeployError
from builder.deploy.local import load_site
from builder.output.layout import MANIFEST, STAGING
from builder.output.manifest import MANIFEST_VERSION, Manifest


def refusal(output) -> str:
    with pytest.raises(DeployError) as error:
        load_site(output)
    assert "broadsheet build" in error.value.hint
    return error.value.message


def test_an_intact_build_is_the_manifest_without_bookkeeping(site):
    output = site / "output"
    with Manifest(output) as opened:
        manifest = opened.entries()
    loaded = load_site(output)
    assert set(loaded.files) == set(manifest) and "index.html" in loaded.files
    assert loaded.files["index.html"].digest == manifest["index.html"].digest
    assert len(loaded.build_id) == 12 and loaded.build_id == load_site(output).build_id


def test_no_output_folder(tmp_path):
    assert "no built site" in refusal(tmp_path / "output")


def test_no_manifest_means_no_build_succeeded(site):
    (site / "output" / MANIFEST).unlink()
    assert "no build manifest" in refusal(site / "output")


@pytest.mark.parametrize("text", ["{not a database", '{"version": 2, "files": {}}', ""])
def test_an_unreadable_manifest_is_refused(site, text):
    (site / "output" / MANIFEST).write_text(text)
    message = refusal(site / "output")
    assert "manifest" in message


@pytest.mark.parametrize("change", [
    f"PRAGMA user_version = {MANIFEST_VERSION + 1}",
    "DROP TABLE files",
    "UPDATE files SET path = '../x' WHERE path = 'index.html'",
    "UPDATE files SET digest = '0' WHERE path = 'index.html'",
    "UPDATE files SET size = 'big' WHERE path = 'index.html'",
], ids=["foreign-version", "no-files", "path-outside", "bad-digest", "bad-size"])
def test_a_damaged_or_foreign_manifest_is_refused(site, change):
    db = sqlite3.connect(site / "output" / MANIFEST)
    with db:
        db.execute(change)
    db.close()
    assert "manifest" in refusal(site / "output")


def test_a_build_that_did_not_finish_is_refused(site):
    (site / "output" / STAGING).mkdir()
    assert "did not finish" in refusal(site / "output")


def test_a_file_edited_after_the_build_is_refused(site):
    page = site / "output" / "index.html"
    page.write_bytes(page.read_bytes() + b"<!-- edited -->")
    assert "index.html changed since the build" in refusal(site / "output")


def test_a_file_touched_after_the_build_is_refused(site):
    page = site / "output" / "robots.txt"
    stat = page.stat()
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    assert "robots.txt changed since the build" in refusal(site / "output")


def test_a_missing_file_is_refused(site):
    (site / "output" / "robots.txt").unlink()
    assert "robots.txt is missing" in refusal(site / "output")


def test_a_file_added_after_the_build_is_refused(site):
    (site / "output" / "politics" / "extra.html").write_text("not built")
    assert "politics/extra.html is not part of the build" in refusal(site / "output")


def test_bookkeeping_files_at_the_top_are_not_part_of_the_site(site):
    (site / "output" / ".broadsheet-deploy-x.json").write_text("{}")
    assert not any(path.startswith(".broadsheet") for path in load_site(site / "output").files)


def test_a_file_changed_with_the_same_size_and_mtime_is_caught_when_read(site):
    page = site / "output" / "robots.txt"
    stat = page.stat()
    page.write_bytes(page.read_bytes().swapcase())
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    loaded = load_site(site / "output")  # size and mtime match: the cheap check passes
    with pytest.raises(DeployError, match="robots.txt changed since the build"):
        loaded.read("robots.txt")
    with pytest.raises(DeployError, match="robots.txt changed since the build"):
        loaded.verify("robots.txt")


def test_an_output_built_with_drafts_is_refused(tmp_path):
    from builder.build.pipeline import BuildOptions, build
    from builder.deploy.local import DeployError, load_site

    repo = Path(__file__).resolve().parents[2]
    out = tmp_path / "out"
    build(BuildOptions(repo, output_dir=out, drafts=True))
    with pytest.raises(DeployError, match="built with drafts"):
        load_site(out)
    build(BuildOptions(repo, output_dir=out))
    assert load_site(out).files
