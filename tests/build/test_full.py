"""Whole builds: parallel equals serial, the cache heals itself, unchanged inputs rewrite nothing."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from builder.build.pipeline import BuildOptions, build
from builder.errors import BuildFailed
from builder.output.layout import CACHE_NAME, MANIFEST
from tests.support.files import diff, tree, write_files
from tests.support.herald import SITE_YAML, article_text

NOW = datetime(2025, 1, 1, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def site(tmp_path):
    files = {"site.yaml": SITE_YAML}
    for i in range(30):
        section = "politics" if i % 3 else "culture"
        files[f"content/{section}/{2020 + i % 5}/story-{i}.md"] = article_text(
            f"Story {i}", section=section, tags=("budget", f"tag{i % 4}"), date=f"{2020 + i % 5}-0{1 + i % 9}-1{i % 9}T10:00:00+04:00",
            body=f"## Part {i}\n\nText of story {i}.", lang=["en", "hy", "ar"][i % 3])
    return write_files(tmp_path / "site", files)


# Builds fork only from a process with one thread (workers.can_fork), and earlier tests in a run
# can leave threads behind: in the pytest process the "parallel" build could quietly run serially.
# Both builds run in an interpreter of their own, which checks that it may fork.
_BUILD = """
import sys
from datetime import datetime
from pathlib import Path
from builder.build import workers
from builder.build.pipeline import BuildOptions, build
assert workers.can_fork()
workers.PARALLEL_THRESHOLD = 0
build(BuildOptions(Path(sys.argv[1]), output_dir=Path(sys.argv[2]), now=datetime.fromisoformat(sys.argv[3]),
                   jobs=int(sys.argv[4])))
"""


def test_parallel_build_output_equals_serial_build(site, tmp_path):
    for name, jobs in (("serial", 1), ("parallel", 2)):
        done = subprocess.run([sys.executable, "-c", _BUILD, str(site), str(tmp_path / name), NOW.isoformat(),
                               str(jobs)], cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    assert tree(tmp_path / "serial") and diff(tree(tmp_path / "serial"), tree(tmp_path / "parallel")) == []


def test_no_change_rebuild_renders_and_writes_nothing(site, tmp_path):
    out = tmp_path / "out"
    build(BuildOptions(site, output_dir=out, now=NOW, jobs=1))
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and ".broadsheet" not in p.name}
    again = build(BuildOptions(site, output_dir=out, now=NOW, jobs=1))
    assert again.rendered == 0 and again.report.written == []
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes


def test_one_article_edit_rewrites_only_pages_that_show_it(site, tmp_path):
    out = tmp_path / "out"
    build(BuildOptions(site, output_dir=out, now=NOW, jobs=1))
    story = site / "content/culture/2020/story-0.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    result = build(BuildOptions(site, output_dir=out, now=NOW, jobs=1))
    written = set(result.report.written)
    assert any(p.endswith("story-0/index.html") for p in written)
    assert not any("story-1/" in p for p in written)
    assert len(written) < 15


@pytest.mark.parametrize("damage", [b"this is not a database", b"", b"SQLite format 3\x00" + b"\xff" * 200])
def test_corrupt_cache_leads_to_a_correct_clean_build(site, tmp_path, damage):
    out, reference = tmp_path / "out", tmp_path / "reference"
    build(BuildOptions(site, output_dir=out, now=NOW, jobs=1))
    (out / CACHE_NAME).write_bytes(damage)
    build(BuildOptions(site, output_dir=out, now=NOW, jobs=1))
    build(BuildOptions(site, output_dir=reference, now=NOW, jobs=1))
    assert diff(tree(out), tree(reference)) == []


def test_foreign_manifest_is_not_trusted(site, tmp_path):
    out = tmp_path / "out"
    build(BuildOptions(site, output_dir=out, now=NOW, jobs=1))
    (out / MANIFEST).write_text('{"version": 999, "files": {}}', encoding="utf-8")
    (out / "index.html").write_text("stale", encoding="utf-8")
    build(BuildOptions(site, output_dir=out, now=NOW, jobs=1))
    assert "stale" not in (out / "index.html").read_text(encoding="utf-8")


def test_hand_edited_output_file_is_rewritten(site, tmp_path):
    out = tmp_path / "out"
    build(BuildOptions(site, output_dir=out, now=NOW, jobs=1))
    (out / "index.html").write_text("edited by hand", encoding="utf-8")
    build(BuildOptions(site, output_dir=out, now=NOW, jobs=1))
    assert "edited by hand" not in (out / "index.html").read_text(encoding="utf-8")


def test_failed_incremental_build_keeps_previous_output_and_next_build_recovers(site, tmp_path):
    out = tmp_path / "out"
    build(BuildOptions(site, output_dir=out, now=NOW, jobs=1))
    before = tree(out)
    story = site / "content/politics/2021/story-1.md"
    good = story.read_text(encoding="utf-8")
    story.write_text(good.replace("section: politics", "section: sport"), encoding="utf-8")
    with pytest.raises(BuildFailed):
        build(BuildOptions(site, output_dir=out, now=NOW, jobs=1))
    assert tree(out) == before
    story.write_text(good, encoding="utf-8")
    build(BuildOptions(site, output_dir=out, now=NOW, jobs=1))
    assert tree(out) == before


def test_fast_checks_fail_the_build_with_the_source_line(site, tmp_path):
    story = site / "content/politics/2021/story-1.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nA raw picture:\n\n<img src=\"/x.png\">\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        build(BuildOptions(site, output_dir=tmp_path / "out", now=NOW, jobs=1))
    errors = [e for e in failure.value.errors if e.field == "img-alt"]
    assert errors and str(errors[0].path) == "content/politics/2021/story-1.md"
    lines = story.read_text(encoding="utf-8").splitlines()
    assert lines[errors[0].line - 1].startswith("<img")


def test_a_rule_allowed_in_site_yaml_does_not_fail_the_build(site, tmp_path):
    story = site / "content/politics/2021/story-1.md"
    story.write_text(story.read_text(encoding="utf-8") + "\n<img src=\"/x.png\">\n", encoding="utf-8")
    (site / "site.yaml").write_text(SITE_YAML + "audit:\n  allow:\n    - rule: img-alt\n      reason: legacy pages\n",
                                    encoding="utf-8")
    build(BuildOptions(site, output_dir=tmp_path / "out", now=NOW, jobs=1, check_links=False))
