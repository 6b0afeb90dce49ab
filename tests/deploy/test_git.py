"""Git deploys into a local bare repository: a branch that grows by one commit per deploy."""

from __future__ import annotations

import subprocess

import pytest

from builder.config.deploy import DeployTarget
from builder.deploy.errors import DeployError
from builder.deploy.local import load_site
from builder.deploy.targets import connect

from .conftest import NOTES, OLD, edit, rebuild


def git(*args, cwd=None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def bare(tmp_path):
    path = tmp_path / "pages.git"
    git("init", "--quiet", "--bare", str(path))
    return path


def deploy(site, remote, delete=False, dry_run=False, branch="gh-pages"):
    target = DeployTarget(name="pages", type="git", remote=str(remote), branch=branch)
    with connect(target, load_site(site / "output"), "Meridian Public Broadcasting") as deployer:
        plan = deployer.plan(delete)
        return plan if dry_run else deployer.apply(plan)


def tree(bare, ref="gh-pages") -> set[str]:
    return set(git("ls-tree", "-r", "--name-only", "-z", ref, cwd=bare).split("\0")) - {""}


def show(bare, path, ref="gh-pages") -> bytes:
    return subprocess.run(["git", "show", f"{ref}:{path}"], cwd=bare, check=True, capture_output=True).stdout


def test_two_deploys_make_two_commits_with_history_kept(site, bare):
    first = deploy(site, bare)
    files = set(load_site(site / "output").files)
    assert tree(bare) == files | {".nojekyll"}
    assert not any(name.startswith(".broadsheet") for name in tree(bare))
    assert show(bare, ".nojekyll") == b""
    assert show(bare, "index.html") == (site / "output" / "index.html").read_bytes()
    assert len(first.uploads) == len(files) + 1
    first_commit = git("rev-parse", "gh-pages", cwd=bare).strip()

    edit(site / NOTES, "Press contacts: desk@example.org, +374 10 000000\n")
    rebuild(site)
    second = deploy(site, bare)
    assert second.uploads == ("press/notes.txt",)

    log = git("log", "--format=%H %P%n%s", "gh-pages", cwd=bare).splitlines()
    commits = [line.split() for line in log[0::2]]
    subjects = log[1::2]
    assert len(commits) == 2
    (head, parent), (root,) = commits
    assert parent == root == first_commit  # the second deploy is a child of the first
    assert all(s.startswith("Deploy build ") and s.endswith("of Meridian Public Broadcasting") for s in subjects)
    assert git("diff", "--name-only", f"{root}..{head}", cwd=bare).split() == ["press/notes.txt"]
    assert show(bare, "press/notes.txt") == b"Press contacts: desk@example.org, +374 10 000000\n"
    assert git("log", "-1", "--format=%an <%ae>", "gh-pages", cwd=bare).strip() == "Broadsheet <broadsheet@localhost>"


def test_an_unchanged_site_makes_no_commit(site, bare):
    deploy(site, bare)
    again = deploy(site, bare)
    assert again.uploads == () and again.deletions == ()
    assert git("rev-list", "--count", "gh-pages", cwd=bare).strip() == "1"


def test_other_branches_and_files_on_the_branch(site, bare, tmp_path):
    # A repository with its own main branch and a hand-made gh-pages holding a CNAME.
    work = tmp_path / "work"
    git("init", "--quiet", "-b", "main", str(work))
    (work / "README.md").write_text("source\n")
    git("add", "README.md", cwd=work)
    git("-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-q", "-m", "main", cwd=work)
    git("checkout", "-q", "--orphan", "gh-pages", cwd=work)
    git("rm", "-q", "-r", "--cached", ".", cwd=work)
    (work / "CNAME").write_text("news.example.org\n")
    git("add", "CNAME", cwd=work)
    git("-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-q", "-m", "pages", cwd=work)
    git("push", "-q", str(bare), "main", "gh-pages", cwd=work)
    main_before = git("rev-parse", "main", cwd=bare)

    kept = deploy(site, bare)
    assert kept.kept == ("CNAME",) and "CNAME" in tree(bare)
    assert git("rev-parse", "main", cwd=bare) == main_before
    assert git("rev-list", "--count", "gh-pages", cwd=bare).strip() == "2"

    gone = deploy(site, bare, delete=True)
    assert gone.deletions == ("CNAME",) and "CNAME" not in tree(bare)


def test_a_gitignore_on_the_branch_hides_no_file(site, bare, tmp_path):
    work = tmp_path / "work"
    git("init", "--quiet", "-b", "gh-pages", str(work))
    (work / ".gitignore").write_text("*.html\n*.gz\n")
    git("add", ".gitignore", cwd=work)
    git("-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-q", "-m", "ignore", cwd=work)
    git("push", "-q", str(bare), "gh-pages", cwd=work)
    deploy(site, bare)
    assert set(load_site(site / "output").files) <= tree(bare)


def test_removed_files_go_only_with_delete(site, bare):
    deploy(site, bare)
    (site / OLD).unlink()
    rebuild(site)
    assert deploy(site, bare).kept == ("press/old.txt",)
    assert "press/old.txt" in tree(bare)
    assert deploy(site, bare, delete=True).deletions == ("press/old.txt",)
    assert "press/old.txt" not in tree(bare) and "press/notes.txt" in tree(bare)


def test_dry_run_changes_nothing(site, bare):
    plan = deploy(site, bare, dry_run=True)
    assert len(plan.uploads) == len(load_site(site / "output").files) + 1
    assert git("for-each-ref", cwd=bare) == ""  # the branch was not even created
    deploy(site, bare)
    refs = git("for-each-ref", cwd=bare)
    edit(site / NOTES, "Changed, and longer than it was before.\n")
    rebuild(site)
    assert deploy(site, bare, dry_run=True).uploads == ("press/notes.txt",)
    assert git("for-each-ref", cwd=bare) == refs


def test_another_branch_name_and_a_file_url(site, bare):
    deploy(site, f"file://{bare}", branch="site/public")
    assert ".nojekyll" in tree(bare, "site/public")


def test_an_unreachable_remote_is_an_error(site, tmp_path):
    with pytest.raises(DeployError, match="git ls-remote failed") as error:
        deploy(site, tmp_path / "nothing-here.git")
    assert "exists" in error.value.hint
