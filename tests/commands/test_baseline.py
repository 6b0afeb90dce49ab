"""`broadsheet baseline` and `broadsheet build` with a baseline: the ratchet as a user runs it."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from builder.checks.baseline import BASELINE_NAME
from builder.cli import main
from tests.support.files import site_state
from tests.support.gazette import article_text

OLD = article_text("Intro.\n\n![](/images/gone.jpg)\n\n# Shouting\n", title="Old story")
NEW = article_text("Fine.\n", title="New story", date="2024-04-01")


@pytest.fixture
def site(make_site):
    return make_site({"content/politics/old.md": OLD, "content/politics/new.md": NEW}, theme=True)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_baseline_then_build_then_the_ratchet(site):
    assert run("build", "--site", site).exit_code == 1  # old debts fail a build without a baseline

    written = run("baseline", "--site", site)
    assert written.exit_code == 0, written.output
    assert "Wrote accessibility-baseline.yaml: 3 accessibility debts in 1 file" in written.stdout
    text = (site / BASELINE_NAME).read_text(encoding="utf-8")
    assert '"content/politics/old.md":' in text and "line" not in text.split("debts:")[1]

    built = run("build", "--site", site)
    assert built.exit_code == 0, built.output
    assert "3 known accessibility debts in 1 file; 0 new" in built.stdout

    again = run("baseline", "--site", site)  # it never replaces a baseline wholesale
    assert again.exit_code == 2 and "--update" in again.stderr

    (site / "content/politics/new.md").write_text(NEW + "\n![](/images/other.jpg)\n", encoding="utf-8")
    before = site_state(site / "output")
    failed = run("build", "--site", site)
    assert failed.exit_code == 1
    assert "content/politics/new.md:9: body: image '/images/other.jpg' has no alt text" in failed.stderr
    assert "3 known accessibility debts in 1 file; 2 new" in failed.stderr
    assert site_state(site / "output") == before

    update = run("baseline", "--site", site, "--update")  # never adds the new ones
    assert update.exit_code == 1 and "Not in the baseline (--update never adds)" in update.stderr
    assert "other.jpg" not in (site / BASELINE_NAME).read_text(encoding="utf-8")
    assert run("baseline", "--site", site, "--add").exit_code == 0
    assert "other.jpg" in (site / BASELINE_NAME).read_text(encoding="utf-8")

    (site / "content/politics/old.md").write_text(OLD.replace("# Shouting", "## Shouting"), encoding="utf-8")
    fixed = run("build", "--site", site)
    assert fixed.exit_code == 0
    assert "1 debt fixed: run `broadsheet baseline --update` to drop it" in fixed.stdout
    assert "Removed 1 fixed debt" in run("baseline", "--site", site, "--update").stdout
    assert "fixed" not in run("build", "--site", site).stdout


def test_a_problem_that_makes_a_page_impossible_is_never_baselined(site):
    (site / "content/politics/bad.md").write_text(article_text("x\n", section="nowhere"), encoding="utf-8")
    result = run("baseline", "--site", site)
    assert result.exit_code == 1
    assert "content/politics/bad.md:4: section: unknown section 'nowhere'" in result.stderr
    assert "never accepted" in result.stderr
    assert not (site / BASELINE_NAME).exists()
