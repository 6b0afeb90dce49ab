"""A fresh clone with the last build's output folder restored into it, as CI does with its cache.

In a new clone every mtime differs and the folder is another, so nothing may be trusted by stat
data: the build compares content, and must give the bytes of a clean build. Where the content is
the same it takes the same way a warm local rebuild takes: a one-article edit renders only that
article's pages.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from builder.build.pipeline import BuildOptions, BuildResult, build
from tests.support.files import age_new_files, png, tree, write_files
from tests.support.herald import SITE_YAML, article_text

NOW = datetime(2025, 1, 1, tzinfo=UTC)
GIT = ["git", "-c", "user.name=Newsroom", "-c", "user.email=desk@example.org", "-c", "commit.gpgsign=false"]
EDITED = "content/politics/budget.md"


def git(repo: Path, *args: str) -> None:
    subprocess.run([*GIT, "-C", str(repo), *args], check=True, capture_output=True)


class Origin:
    """The newsroom's repository, and the clones CI makes of it."""

    def __init__(self, root: Path):
        self.root, self.clones = root, 0
        self.repo = write_files(root / "origin", {
            "site.yaml": SITE_YAML,
            EDITED: article_text("Budget passes", body="The council voted.", tags=("budget", "council")),
            "content/politics/roads.md": article_text("Roads repaired", date="2024-03-06T09:30:00+04:00"),
            "content/culture/festival.md": article_text("Festival opens", section="culture", tags=("music",)),
            "content/culture/books.md": article_text("Book fair", section="culture", date="2024-02-01T10:00:00+04:00"),
            "static/images/logo.png": png(),
            "templates/404.html": '<html lang="{{ page.lang }}"><title>{{ page.title }}</title>Lost?</html>\n',
        })
        subprocess.run(["git", "init", "--quiet", str(self.repo)], check=True)
        self.commit("site")

    def commit(self, message: str) -> None:
        git(self.repo, "add", "-A")
        git(self.repo, "commit", "--quiet", "-m", message)

    def edit(self, rel: str, old: str, new: str) -> None:
        file = self.repo / rel
        file.write_text(file.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        self.commit(f"edit {rel}")

    def clone(self) -> Path:
        """A fresh clone in a folder of its own, its files with mtimes no other clone has."""
        self.clones += 1
        target = self.root / f"runner-{self.clones}" / "site"
        subprocess.run(["git", "clone", "--quiet", str(self.repo), str(target)], check=True)
        age_new_files(target, self.clones)  # older than the clock's resolution, so a build vouches for them
        return target


def build_site(site: Path) -> BuildResult:
    return build(BuildOptions(site, jobs=1, now=NOW))


def restore(kept: Path, site: Path, *, whole_seconds: bool) -> None:
    """The cache step: the kept output folder copied into the clone (copy2 keeps mtimes, as GitHub's
    tar does); GitLab's zip keeps whole seconds only."""
    shutil.copytree(kept, site / "output")
    if whole_seconds:
        for path in (site / "output").rglob("*"):
            if path.is_file():
                stat = path.stat()
                os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns // 10**9 * 10**9))


def pages(result: BuildResult) -> set[str]:
    """The site files a build wrote, without their .gz and .br twins."""
    return {p for p in result.report.written if not p.endswith((".gz", ".br"))}


@pytest.fixture
def origin(tmp_path) -> Origin:
    return Origin(tmp_path)


@pytest.mark.parametrize("whole_seconds", [False, True], ids=["mtimes-kept", "whole-seconds"])
def test_a_one_article_edit_after_a_restore_renders_what_a_warm_rebuild_renders(origin, whole_seconds):
    first = origin.clone()
    build_site(first)
    kept = origin.root / "ci-cache"
    shutil.copytree(first / "output", kept)

    origin.edit(EDITED, "The council voted.", "The council voted, eleven to four.")
    # What the machine that built the cache renders for the same edit: the reference.
    git(first, "pull", "--quiet")
    age_new_files(first, 50)
    warm = build_site(first)

    second = origin.clone()
    restore(kept, second, whole_seconds=whole_seconds)
    restored = build_site(second)

    clean = origin.clone()
    build_site(clean)
    assert tree(second / "output") == tree(clean / "output")
    assert pages(restored) == pages(warm)
    # The article's page and the feeds that carry its body; no listing.
    assert "politics/2024/03/budget/index.html" in pages(restored)
    assert {p.rsplit("/", 1)[-1] for p in pages(restored)} == {"index.html", "atom.xml", "feed.json", "feed.xml"}
    assert [p for p in pages(restored) if p.endswith("index.html")] == ["politics/2024/03/budget/index.html"]
    assert restored.archive is None  # the bodies-only way: no archive was built


def test_a_restore_with_nothing_changed_writes_nothing(origin):
    first = origin.clone()
    built = build_site(first)
    second = origin.clone()
    restore(first / "output", second, whole_seconds=False)
    again = build_site(second)
    assert (again.rendered, again.report.written, again.archive) == (0, [], None)
    assert again.report.unchanged == len(built.report.written)
    assert build_site(second).rendered == 0  # and the next build trusts the new stat data


@pytest.mark.parametrize("change", ["template", "static file", "site.yaml"])
def test_a_restored_cache_is_not_trusted_for_inputs_that_changed(origin, change):
    first = origin.clone()
    build_site(first)
    kept = origin.root / "ci-cache"
    shutil.copytree(first / "output", kept)
    if change == "template":
        origin.edit("templates/404.html", "Lost?", "Page not found.")
    elif change == "static file":
        (origin.repo / "static/images/logo.png").write_bytes(png(colour="black"))
        origin.commit("new logo")
    else:
        origin.edit("site.yaml", "Engine Test Herald", "Engine Test Gazette")

    second = origin.clone()
    restore(kept, second, whole_seconds=False)
    build_site(second)
    clean = origin.clone()
    build_site(clean)
    assert tree(second / "output") == tree(clean / "output")
    assert tree(second / "output") != tree(kept)
