"""Symbolic links in a site: followed inside the site folder, an error when they lead out or loop.

A link in static/ to /proc/self/environ used to put the build's environment (CI secrets included)
into output/, and deploy then published it; a linked .md outside the site was published too.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from builder.build.pipeline import BuildOptions, build
from builder.errors import BuildFailed
from tests.support.builds import FIXED_NOW, article, site_yaml
from tests.support.files import output_state, write_files

STORY = article("Council votes", "2024-03-05T09:30:00+04:00", body="The council voted.\n")


@pytest.fixture
def site(tmp_path) -> Path:
    return write_files(tmp_path / "site", {"site.yaml": site_yaml(), "content/politics/vote.md": STORY,
                                           "static/robots-note.txt": "kept\n"})


@pytest.fixture
def secret(tmp_path) -> Path:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.txt").write_text("AWS_SECRET_ACCESS_KEY=hunter2\n", encoding="utf-8")
    (outside / "story.md").write_text(STORY.replace("Council votes", "Smuggled"), encoding="utf-8")
    return outside


def _build(site: Path, **options):
    return build(BuildOptions(site, output_dir=site.parent / "out", now=FIXED_NOW, jobs=1, **options))


def _failure(site: Path) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        _build(site)
    return [str(error) for error in failed.value.errors]


def _published(out: Path, text: str) -> list[str]:
    return [p.as_posix() for p in out.rglob("*") if p.is_file() and text.encode() in p.read_bytes()]


@pytest.mark.parametrize("link", ["static/env.txt", "static/deep/er/env.txt", "content/politics/leak.md",
                                  "templates/leak.html", "themes/own/assets/env.css"])
def test_a_link_out_of_the_site_is_an_error_naming_link_and_target(site, secret, link):
    if link.startswith("themes/"):
        write_files(site, {"themes/own/templates/.keep": ""})
        (site / "site.yaml").write_text(site_yaml() + "theme: own\n", encoding="utf-8")
    target = secret / ("story.md" if link.endswith(".md") else "secret.txt")
    (site / link).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, site / link)
    errors = _failure(site)
    assert any(e.startswith(f"{link}: symlink: is a symbolic link to {target}, outside the site folder")
               for e in errors), errors
    assert _published(site.parent / "out", "hunter2") == []


def test_proc_self_environ_is_never_published(site, monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "do-not-publish-7f3a")
    os.symlink("/proc/self/environ", site / "static" / "env.txt")
    errors = _failure(site)
    assert any("static/env.txt: symlink:" in e for e in errors), errors
    assert _published(site.parent / "out", "do-not-publish-7f3a") == []


@pytest.mark.parametrize("link", ["static/mirror", "content/imported"])
def test_a_linked_folder_out_of_the_site_is_an_error(site, secret, link):
    os.symlink(secret, site / link)
    errors = _failure(site)
    assert any(e.startswith(f"{link}: symlink: is a symbolic link to {secret}") for e in errors), errors


@pytest.mark.parametrize("where", ["static", "content", "templates"])
def test_a_symlink_loop_is_an_error_not_a_traceback(site, where):
    folder = site / where
    folder.mkdir(exist_ok=True)
    os.symlink(folder / "b.md", folder / "a.md")
    os.symlink(folder / "a.md", folder / "b.md")
    errors = _failure(site)
    assert any(e.startswith(f"{where}/a.md: symlink: is a symbolic link that loops") for e in errors), errors


def test_a_link_to_a_folder_it_is_inside_is_a_loop(site):
    os.symlink(site / "static", site / "static" / "again")
    errors = _failure(site)
    assert any(e.startswith("static/again: symlink:") and "a loop" in e for e in errors), errors


def test_a_build_that_finds_a_bad_link_leaves_the_last_output_as_it_was(site, secret):
    out = site.parent / "out"
    _build(site)
    before = output_state(out)
    os.symlink(secret / "secret.txt", site / "static" / "env.txt")
    _failure(site)
    assert output_state(out) == before


def test_links_inside_the_site_are_followed(site):
    write_files(site, {"shared/logo.txt": "logo\n", "shared/notes/a.txt": "a\n",
                       "drafts/elsewhere.md": STORY.replace("Council votes", "Kept in drafts/")})
    os.symlink(site / "shared" / "logo.txt", site / "static" / "logo.txt")
    os.symlink(site / "shared" / "notes", site / "static" / "notes")
    os.symlink(Path("..") / ".." / "drafts" / "elsewhere.md", site / "content" / "politics" / "linked.md")
    _build(site)
    out = site.parent / "out"
    assert (out / "logo.txt").read_text(encoding="utf-8") == "logo\n"
    assert (out / "notes" / "a.txt").read_text(encoding="utf-8") == "a\n"
    assert _published(out, "Kept in drafts/")
