"""The command line: exit codes 0/1/2, errors on stderr with file:line, help on every command."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main
from tests.support.files import site_state
from tests.support.gazette import article_text

GOOD = {
    "content/politics/council-vote.md": article_text("The council met.\n", tags="[Budget]", authors="[anna]"),
    "content/culture/festival.md": article_text("Music.\n", title="Festival", section="culture", date="2024-02-01"),
}


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def site(make_site):
    return make_site(GOOD, theme=True)


def printed_path(result, site: Path) -> Path:
    path = Path(result.stdout.strip())
    return path if path.is_absolute() else site / path


def run(runner, *args):
    return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)


# --- help and usage -----------------------------------------------------------------------------

@pytest.mark.parametrize("args", [["--help"], ["-h"], ["build", "--help"], ["new", "--help"], ["serve", "--help"],
                                  ["init", "--help"], ["doctor", "--help"]])
def test_help_works_on_every_command(runner, args):
    result = run(runner, *args)
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_build_help_lists_its_options(runner):
    output = run(runner, "build", "--help").output
    for option in ("--site", "--output", "--drafts"):
        assert option in output


def test_new_help_lists_its_options(runner):
    output = run(runner, "new", "--help").output
    for option in ("HEADLINE", "--section", "--lang", "--author", "--site"):
        assert option in output


def test_serve_help_lists_its_options(runner):
    output = run(runner, "serve", "--help").output
    for option in ("--site", "--host", "--port", "--drafts"):
        assert option in output


def test_version_names_what_a_bug_report_needs(runner):
    import builder

    result = run(runner, "--version")
    lines = result.output.splitlines()
    assert result.exit_code == 0
    assert lines[0] == f"broadsheet {builder.__version__}"
    assert [line.split()[0].rstrip(":") for line in lines[1:]] == ["Python", "axe-core", "Chromium"]
    assert "axe-core 4." in result.output


@pytest.mark.parametrize("args", [
    ["build", "--bogus"],
    ["publish"],
    ["new"],  # no headline, and no terminal to ask for one
    ["serve", "--port", "70000"],
    ["serve", "--port", "eighty"],
])
def test_usage_errors_exit_2(runner, site, args):
    result = run(runner, *args)
    assert result.exit_code == 2
    assert "Usage:" in result.stderr or "Error" in result.stderr


# --- build --------------------------------------------------------------------------------------

def test_build_exits_0_and_writes_the_site(runner, site):
    result = run(runner, "build", "--site", site)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Built 2 articles into ")
    out = site / "output"
    for rel in ("index.html", "404.html", "politics/2024/03/council-vote/index.html", "culture/index.html",
                "tags/budget/index.html", "authors/anna/index.html"):
        assert (out / rel).is_file(), rel


def test_build_output_option(runner, site, tmp_path):
    result = run(runner, "build", "--site", site, "--output", tmp_path / "public")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "public/index.html").is_file()


def test_build_content_error_exits_1_with_file_and_line_on_stderr(runner, site):
    assert run(runner, "build", "--site", site).exit_code == 0
    before = site_state(site / "output")
    (site / "content/politics/bad.md").write_text(article_text("# Headline\n", section="sport"))
    result = run(runner, "build", "--site", site)
    assert result.exit_code == 1
    assert "Build failed: 2 problems" in result.stderr
    assert "content/politics/bad.md:4: section: unknown section 'sport'" in result.stderr
    assert "content/politics/bad.md:7: body: a level-1 heading ('# Headline') in the body" in result.stderr
    assert "fix: sections in site.yaml: politics, culture" in result.stderr
    assert "Built" not in result.stdout
    assert site_state(site / "output") == before


def test_build_single_problem_is_counted_in_the_singular(runner, site):
    (site / "content/politics/bad.md").write_text(article_text(draft="maybe"))
    result = run(runner, "build", "--site", site)
    assert result.exit_code == 1
    assert "Build failed: 1 problem\n" in result.stderr
    assert "content/politics/bad.md:5: draft: expected true or false, got 'maybe'" in result.stderr


def test_build_config_error_exits_1_and_names_site_yaml_line(runner, make_site):
    site = make_site({"site.yaml": "title: T\nbase_url: example.org\nsections:\n  - key: politics\n    title: P\n"})
    result = run(runner, "build", "--site", site)
    assert result.exit_code == 1
    assert "site.yaml:2: base_url: 'example.org' is not an absolute http(s) URL" in result.stderr


def test_build_without_site_yaml_exits_1(runner, tmp_path):
    result = run(runner, "build", "--site", tmp_path)
    assert result.exit_code == 1
    assert "no site.yaml found" in result.stderr
    assert not (tmp_path / "output").exists()


def test_build_refuses_foreign_output_folder(runner, site, tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    result = run(runner, "build", "--site", site, "--output", folder)
    assert result.exit_code == 1
    assert "not made by Broadsheet" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


def test_build_in_the_current_folder_by_default(runner, site, monkeypatch):
    monkeypatch.chdir(site)
    result = run(runner, "build")
    assert result.exit_code == 0, result.output
    assert (site / "output/index.html").is_file()


# --- new ----------------------------------------------------------------------------------------

def test_new_writes_a_draft_that_builds(runner, site):
    result = run(runner, "new", "Parliament passes the budget", "--section", "politics", "--author", "anna",
                 "--site", site)
    assert result.exit_code == 0, result.output
    path = printed_path(result, site)
    assert path.is_file()
    assert path.name == "parliament-passes-the-budget.md"
    text = path.read_text()
    assert "draft: true" in text and "title: Parliament passes the budget" in text

    built = run(runner, "build", "--site", site)
    assert built.exit_code == 0, built.output
    assert built.stdout.startswith("Built 2 articles")  # the draft is not published

    with_drafts = run(runner, "build", "--site", site, "--drafts")
    assert with_drafts.exit_code == 0, with_drafts.output
    assert with_drafts.stdout.startswith("Built 3 articles")
    assert list((site / "output/politics").glob("*/*/parliament-passes-the-budget/index.html"))


def test_new_refuses_to_overwrite(runner, site):
    first = run(runner, "new", "Council votes", "--section", "politics", "--site", site)
    assert first.exit_code == 0
    path = printed_path(first, site)
    path.write_text("edited by a journalist")
    second = run(runner, "new", "Council votes", "--section", "politics", "--site", site)
    assert second.exit_code == 1
    assert "already exists" in second.stderr
    assert path.read_text() == "edited by a journalist"


def test_new_unknown_section_exits_1(runner, site):
    result = run(runner, "new", "Match report", "--section", "sport", "--site", site)
    assert result.exit_code == 1
    assert "--section: unknown section 'sport'" in result.stderr
    assert not (site / "content/sport").exists()


def test_new_bad_lang_exits_1(runner, site):
    result = run(runner, "new", "Match report", "--section", "politics", "--lang", "english", "--site", site)
    assert result.exit_code == 1
    assert "--lang: 'english' is not a BCP 47 language tag" in result.stderr


def test_new_without_site_yaml_exits_1(runner, tmp_path):
    result = run(runner, "new", "Headline", "--section", "politics", "--site", tmp_path)
    assert result.exit_code == 1
    assert "no site.yaml found" in result.stderr


# --- serve --------------------------------------------------------------------------------------

# A content error no longer stops `serve`: the preview shows it in the browser and keeps
# watching (tests/serve/test_site.py::test_broken_front_matter_then_the_fix).
