"""The watcher: what counts as a change, and how bursts of events become one rebuild."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from builder.serve.watcher import Change, Debouncer, Watcher, WatchRoot, is_noise

# --- the timing rule, with a hand-driven clock -------------------------------------------------

A, B, C = Path("/s/content/a.md"), Path("/s/content/b.md"), Path("/s/site.yaml")


def test_a_burst_is_one_change():
    debouncer = Debouncer(quiet=0.1, max_wait=2.0)
    for i, path in enumerate([A, A, B, A, C]):
        debouncer.add({path: "content" if path != C else "config"}, now=10 + i * 0.05)
        assert debouncer.take(now=10 + i * 0.05 + 0.01) is None
    assert debouncer.take(now=10.29) is None  # 0.09 s after the last event
    change = debouncer.take(now=10.31)
    assert change == Change(frozenset({A, B, C}), frozenset({"content", "config"}))
    assert debouncer.take(now=99) is None and debouncer.deadline() is None


def test_two_bursts_are_two_changes():
    debouncer = Debouncer(quiet=0.1)
    debouncer.add({A: "content"}, now=0)
    assert debouncer.take(now=0.2).paths == {A}
    debouncer.add({B: "content"}, now=0.3)
    assert debouncer.take(now=0.45).paths == {B}


def test_endless_events_still_build_after_max_wait():
    debouncer = Debouncer(quiet=0.1, max_wait=1.0)
    for i in range(12):
        debouncer.add({A: "content"}, now=i * 0.09)
    assert debouncer.take(now=0.99) is None
    assert debouncer.take(now=1.0).paths == {A}


# --- what counts ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [
    ".vote.md.swp", ".vote.md.swx", "vote.md~", "4913", ".#vote.md", "#vote.md#", ".goutputstream-3K2LQ1",
    "vote.md.tmp", "vote.md___jb_tmp___", "vote.md___jb_old___", ".DS_Store", ".~lock.vote.md#", "vote.md.kate-swp",
])
def test_editor_noise(name):
    assert is_noise(name)


@pytest.mark.parametrize("name", ["vote.md", "base.html", "style.css", "_macros.html", "hy.yaml", "photo.jpg"])
def test_real_files_are_not_noise(name):
    assert not is_noise(name)


def test_classify(tmp_path):
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "themes/default").mkdir(parents=True)
    watcher = Watcher([WatchRoot("content", site / "content", (".md", ".markdown")),
                       WatchRoot("config", site / "site.yaml"),
                       WatchRoot("theme", site / "themes/default")],
                      lambda change: None, ignore=[site / "output"])
    kind = lambda rel, is_dir=False: (r.kind if (r := watcher.classify((site / rel).resolve(), is_dir)) else None)
    assert kind("content/politics/vote.md") == "content"
    assert kind("content/politics/VOTE.MARKDOWN") == "content"
    assert kind("content/politics", True) == "content"
    assert kind("content/politics/notes.txt") is None
    assert kind("content/politics/.vote.md.swp") is None
    assert kind("content/.git/index") is None
    assert kind("content/politics/vote.md~") is None
    assert kind("site.yaml") == "config"
    assert kind("README.md") is None
    assert kind("output/index.html") is None
    assert kind("themes/default/templates/_macros.html") == "theme"
    assert kind("themes/default/templates/__pycache__/x.pyc") is None


# --- real files, real events -----------------------------------------------------------------------

class Recorder:
    def __init__(self):
        self.changes: list[Change] = []
        self._cond = threading.Condition()

    def __call__(self, change: Change) -> None:
        with self._cond:
            self.changes.append(change)
            self._cond.notify_all()

    def wait_for(self, count: int, timeout: float = 20) -> list[Change]:
        with self._cond:
            assert self._cond.wait_for(lambda: len(self.changes) >= count, timeout), self.changes
            return list(self.changes)


@pytest.fixture
def watched(tmp_path):
    site = tmp_path / "site"
    for folder in ("content/politics", "static", "output"):
        (site / folder).mkdir(parents=True)
    (site / "site.yaml").write_text("title: x\n")
    (site / "content/politics/vote.md").write_text("---\ntitle: Vote\n---\nBody\n")
    recorder = Recorder()
    watchers = []

    def start(quiet: float = 0.1, roots=None) -> Recorder:
        roots = roots or [WatchRoot("content", site / "content", (".md",)), WatchRoot("config", site / "site.yaml"),
                          WatchRoot("static", site / "static"), WatchRoot("templates", site / "templates")]
        watcher = Watcher(roots, recorder, ignore=[site / "output"], quiet=quiet)
        watcher.start()
        watchers.append(watcher)
        recorder.watcher = watcher
        return recorder

    start.site = site
    yield start
    for watcher in watchers:
        watcher.stop()


def sentinel(site: Path, recorder: Recorder, count: int) -> list[Change]:
    """Touch a file no test writes otherwise and wait for its change: every change the watcher made
    of what a test did before is then in the list, because events arrive in order."""
    marker = site / "static" / f"sentinel-{count}.txt"
    assert not marker.exists()
    marker.write_text("x")
    changes = recorder.wait_for(count)
    assert changes[-1].paths >= {marker.resolve()}
    return changes


def test_a_burst_of_writes_is_one_change(watched):
    recorder = watched(quiet=0.5)
    site = watched.site
    article = site / "content/politics/vote.md"
    for i in range(5):
        with open(article, "a") as handle:
            handle.write(f"line {i}\n")
    first = recorder.wait_for(1)[0]
    assert first.paths == {article.resolve()} and first.kinds == {"content"}
    changes = sentinel(site, recorder, 2)
    assert len(changes) == 2 and article.resolve() not in changes[1].paths


def test_temp_file_and_rename_is_one_change(watched):
    recorder = watched()
    site = watched.site
    article = site / "content/politics/vote.md"
    count = 0
    for temp_name in (".vote.md.tmp1234", "vote.md.tmp", "tmpk3j4x_2a"):  # hidden, *.tmp, tempfile-style
        temp = article.with_name(temp_name)
        temp.write_text(f"---\ntitle: Vote\n---\nBody {temp_name}\n")
        os.replace(temp, article)
        count += 1
        assert recorder.wait_for(count)[-1].paths == {article.resolve()}
        count += 1
        changes = sentinel(site, recorder, count)
        assert article.resolve() not in changes[-1].paths  # nothing of the save came late


def test_vim_style_save_is_one_change(watched):
    """vim with backupcopy=no: rename to vote.md~, write a new vote.md, delete the backup."""
    recorder = watched(quiet=0.5)
    site = watched.site
    article = site / "content/politics/vote.md"
    backup = article.with_name("vote.md~")
    probe = article.with_name("4913")
    probe.write_text("")
    probe.unlink()
    os.replace(article, backup)
    article.write_text("---\ntitle: Vote\n---\nVim body\n")
    backup.unlink()
    assert recorder.wait_for(1)[0].paths == {article.resolve()}
    changes = sentinel(site, recorder, 2)
    assert article.resolve() not in changes[1].paths


def test_noise_alone_is_no_change(watched):
    recorder = watched()
    site = watched.site
    for name in (".vote.md.swp", "vote.md~", "notes.txt", "4913"):
        (site / "content/politics" / name).write_text("x")
    (site / "output/index.html").write_text("built")
    (site / "README.md").write_text("not watched")
    changes = sentinel(site, recorder, 1)
    assert len(changes) == 1


def test_a_folder_made_later_is_watched(watched):
    recorder = watched()
    site = watched.site
    (site / "templates").mkdir()
    first = recorder.wait_for(1)[0]
    assert first.kinds == {"templates"}
    (site / "templates/article.html").write_text("<h1>{{ article.title }}</h1>")
    second = recorder.wait_for(2)[1]
    assert (site / "templates/article.html").resolve() in second.paths


def test_site_yaml_is_watched_through_atomic_saves(watched):
    recorder = watched()
    site = watched.site
    temp = site / ".site.yaml.tmp"
    temp.write_text("title: y\n")
    os.replace(temp, site / "site.yaml")
    assert recorder.wait_for(1)[0].kinds == {"config"}


def test_update_moves_the_watches(watched, tmp_path):
    recorder = watched()
    site = watched.site
    theme = tmp_path / "elsewhere/theme"
    (theme / "templates").mkdir(parents=True)
    recorder.watcher.update([WatchRoot("theme", theme)])
    (site / "content/politics/vote.md").write_text("no longer watched")
    (theme / "templates/base.html").write_text("<html>")
    change = recorder.wait_for(1)[0]
    assert change.kinds == {"theme"}
