"""`broadsheet new` without --section: it takes the only section, asks at a terminal, or takes the first."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from builder.cli import main
from builder.commands import new as new_module
from tests.support.gazette import SITE_YAML

ONE_SECTION = """\
title: One Section Times
base_url: https://example.org/
language: en
timezone: UTC
sections:
  - key: news
    title: News
"""


def run(*args, input: str | None = None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)


def written(result, site: Path) -> Path:
    path = Path(result.stdout.strip().splitlines()[-1])
    return path if path.is_absolute() else site / path


def test_new_without_section_on_a_site_with_one_section_writes_there(make_site):
    site = make_site({"site.yaml": ONE_SECTION})
    result = run("new", "Bridge reopens", "--site", site)
    assert result.exit_code == 0, result.output
    path = written(result, site)
    assert path.is_file() and path.relative_to(site / "content").parts[0] == "news"
    assert "section: news" in path.read_text()
    assert result.stderr == ""  # nothing to explain: there was one choice


def test_new_without_section_and_without_a_terminal_takes_the_first_and_says_so(make_site):
    site = make_site()  # politics, culture
    assert "key: politics" in SITE_YAML
    result = run("new", "Council votes", "--site", site)
    assert result.exit_code == 0, result.output
    assert written(result, site).relative_to(site / "content").parts[0] == "politics"
    assert "the first in site.yaml" in result.stderr and "--section" in result.stderr


def test_new_at_a_terminal_asks_for_the_headline_and_the_section(make_site, monkeypatch):
    monkeypatch.setattr(new_module, "stdin_is_terminal", lambda: True)
    site = make_site()
    result = run("new", "--site", site, input="Festival opens\nculture\n")
    assert result.exit_code == 0, result.output
    assert "Headline" in result.output and "Section" in result.output
    path = written(result, site)
    assert path.name == "festival-opens.md" and path.relative_to(site / "content").parts[0] == "culture"


def test_new_places_the_article_in_the_edition_given_and_refuses_an_unknown_one(make_site):
    site = make_site({"site.yaml": ONE_SECTION + "languages:\n  - code: en\n  - code: hy\n    prefix: hy\n    title: Times\n"
                                                 "    fallback: true\n"})
    result = run("new", "Bridge reopens", "--edition", "hy", "--lang", "en", "--site", site)
    assert result.exit_code == 0, result.output
    text = written(result, site).read_text()
    assert "edition: hy" in text and "lang: en" in text
    refused = run("new", "Another", "--edition", "fr", "--site", site)
    assert refused.exit_code == 1 and "--edition" in refused.stderr and "en, hy" in refused.stderr
    assert len(list((site / "content").rglob("*.md"))) == 1
