"""rsync deploys to a folder: changed files only, --delete only when asked, never our bookkeeping."""

from __future__ import annotations

import pytest

from builder.config.deploy import DeployTarget
from builder.deploy.local import load_site
from builder.deploy.targets import connect

from .conftest import NOTES, OLD, edit, rebuild


def deploy(site, destination, delete=False, dry_run=False):
    target = DeployTarget(name="mirror", type="rsync", destination=str(destination))
    with connect(target, load_site(site / "output")) as deployer:
        plan = deployer.plan(delete)
        return plan if dry_run else deployer.apply(plan)


def files(root) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def mirror(tmp_path):
    return tmp_path / "www" / "archive"  # its parent does not exist yet either


def test_deploy_copies_the_site_and_then_only_changes(site, mirror):
    first = deploy(site, mirror)
    expected = set(load_site(site / "output").files)
    assert set(files(mirror)) == expected == set(first.uploads)
    assert (mirror / "index.html").read_bytes() == (site / "output" / "index.html").read_bytes()

    edit(site / NOTES, "Press contacts: desk@example.org, +374 10 000000\n")
    rebuild(site)
    second = deploy(site, mirror)
    assert second.uploads == ("press/notes.txt",) and second.unchanged == len(expected) - 1
    assert (mirror / "press/notes.txt").read_text() == "Press contacts: desk@example.org, +374 10 000000\n"


def test_delete_only_when_asked(site, mirror):
    deploy(site, mirror)
    (mirror / "legacy").mkdir()
    (mirror / "legacy" / "page.html").write_text("from the old system")
    (mirror / ".broadsheet-elsewhere").write_text("the destination's own dot-file")
    (site / OLD).unlink()
    rebuild(site)

    kept = deploy(site, mirror)
    assert sorted(kept.kept) == ["legacy/page.html", "press/old.txt"] and kept.deletions == ()
    assert (mirror / "press/old.txt").exists() and (mirror / "legacy/page.html").exists()

    gone = deploy(site, mirror, delete=True)
    assert sorted(gone.deletions) == ["legacy/page.html", "press/old.txt"]
    assert not (mirror / "press/old.txt").exists() and not (mirror / "legacy").exists()
    assert (mirror / ".broadsheet-elsewhere").exists()  # excluded paths are protected from --delete
    assert set(files(mirror)) == set(load_site(site / "output").files) | {".broadsheet-elsewhere"}


def test_dry_run_changes_nothing(site, mirror):
    plan = deploy(site, mirror, dry_run=True)
    assert len(plan.uploads) == len(load_site(site / "output").files)
    assert not mirror.exists()
    deploy(site, mirror)
    (mirror / "stale.html").write_text("stale")
    edit(site / NOTES, "Changed, and longer than it was before.\n")
    rebuild(site)
    before = files(mirror)
    plan = deploy(site, mirror, delete=True, dry_run=True)
    assert plan.uploads == ("press/notes.txt",) and plan.deletions == ("stale.html",)
    assert files(mirror) == before


def test_bookkeeping_files_are_never_sent(site, mirror):
    (site / "output" / ".broadsheet-deploy-production.json").write_text("{}")
    deploy(site, mirror)
    assert not any(name.startswith(".broadsheet") for name in files(mirror))
