"""The input stamp changes with every input change that matters, and the output check sees tampering."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from builder.incremental.stamp import InputStamp, files_stamp, input_stamp, output_intact, trustworthy

OLD = 1_600_000_000


def _write(path: Path, text: str, when: int = OLD) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (when, when))


@pytest.fixture
def site(tmp_path):
    _write(tmp_path / "content/a.md", "alpha")
    _write(tmp_path / "content/sub/b.md", "beta")
    _write(tmp_path / "static/x.css", "body{}")
    return tmp_path


def stamp(site: Path, exact=(b"code",)) -> InputStamp:
    return input_stamp([site / "content", site / "static", site / "missing"], exact=exact, output_dir=site / "output")


def test_same_inputs_same_stamp(site):
    assert stamp(site) == stamp(site)


@pytest.mark.parametrize("change", [
    lambda s: _write(s / "content/a.md", "alphA", OLD + 2),            # same size, new mtime
    lambda s: os.utime(s / "content/a.md", (OLD + 1, OLD + 1)),        # touched only
    lambda s: _write(s / "content/a.md", "alpha!"),                    # new size, same mtime
    lambda s: _write(s / "content/c.md", "gamma"),                     # added
    lambda s: (s / "content/sub/b.md").unlink(),                       # deleted
    lambda s: (s / "content/sub/b.md").rename(s / "content/b.md"),    # moved, stat kept
    lambda s: _write(s / "static/y.css", "p{}"),                       # another root
    lambda s: _write(s / "missing/now-here.md", "x"),                  # a root that appears
], ids=["edit", "touch", "resize", "add", "delete", "move", "static", "new-root"])
def test_every_input_change_changes_the_stamp(site, change):
    before = stamp(site)
    change(site)
    assert stamp(site).digest != before.digest


def test_exact_inputs_count_by_their_bytes(site):
    assert stamp(site, exact=(b"code", b"a")).digest != stamp(site, exact=(b"code", b"b")).digest
    assert stamp(site, exact=(b"ab", b"")).digest != stamp(site, exact=(b"a", b"b")).digest


def test_output_inside_a_root_is_not_an_input(site):
    before = stamp(site)
    root_stamp = input_stamp([site], exact=(), output_dir=site / "output")
    _write(site / "output/index.html", "<p>built</p>")
    assert input_stamp([site], exact=(), output_dir=site / "output") == root_stamp
    assert stamp(site) == before


def test_a_stamp_of_files_changed_just_now_is_not_trusted(site):
    taken = OLD * 1_000_000_000 + 10_000_000_000
    assert trustworthy(stamp(site), taken)
    assert not trustworthy(stamp(site), OLD * 1_000_000_000 + 1_000_000_000)  # within the racy window


def _manifest(output: Path) -> dict[str, tuple[int, int]]:
    files = {}
    for path in output.rglob("*"):
        if path.is_file() and not path.name.startswith(".broadsheet"):
            stat = path.stat()
            files[path.relative_to(output).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return files


@pytest.fixture
def output(tmp_path):
    out = tmp_path / "output"
    _write(out / "index.html", "<p>home</p>")
    _write(out / "politics/index.html", "<p>politics</p>")
    _write(out / ".broadsheet-manifest.json", "{}")  # bookkeeping is not part of the site
    return out


def test_intact_output(output):
    assert output_intact(output, _manifest(output), ".broadsheet")


@pytest.mark.parametrize("tamper", [
    lambda o: (o / "politics/index.html").unlink(),
    lambda o: _write(o / "politics/index.html", "<p>POLITICS</p>", OLD + 5),
    lambda o: _write(o / "stray.html", "left behind"),
    lambda o: _write(o / "politics/2024/stray.html", "left behind"),
    # Only the top folder's dot-files are bookkeeping; the same name deeper is part of the site.
    lambda o: _write(o / "politics/.broadsheet-manifest.json", "{}"),
    lambda o: (o / "linked").symlink_to(o / "politics", target_is_directory=True),
], ids=["missing", "modified", "extra", "extra-nested", "private-name-nested", "symlinked-folder"])
def test_tampered_output_is_not_intact(output, tamper):
    files = _manifest(output)
    tamper(output)
    assert not output_intact(output, files, ".broadsheet")


FILES = [("content/a.md", 5, 10), ("content/b.md", 7, 30), ("content/c.md", 9, 20)]


def test_files_stamp_changes_with_every_listed_fact():
    base = files_stamp(FILES)
    assert files_stamp(list(FILES)) == base
    assert base.newest_mtime_ns == 30
    changed = [
        [("content/a.md", 6, 10), *FILES[1:]],       # size
        [("content/a.md", 5, 11), *FILES[1:]],       # mtime
        [("content/z.md", 5, 10), *FILES[1:]],       # renamed
        FILES[:2],                                    # deleted
        [*FILES, ("content/d.md", 1, 1)],            # added
        [FILES[0], ("content/b.md", 7, 3), ("content/c.md", 9, 20)],
    ]
    for files in changed:
        assert files_stamp(files).digest != base.digest, files
    assert files_stamp(FILES, exact=[b"x"]).digest != base.digest


def test_files_stamp_name_boundaries_are_unambiguous():
    assert files_stamp([("a", 12, 3)]).digest != files_stamp([("a1", 2, 3)]).digest
