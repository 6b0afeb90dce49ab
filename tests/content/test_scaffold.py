"""`new_article_file`: a draft with valid front matter, never overwriting a file."""

from __future__ import annotations

import hashlib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from builder.config.site import load_config
from builder.content.article import Article, ContentContext
from builder.content.parse import parse_article
from builder.content.scaffold import new_article_file
from builder.content.sources import SourceFile
from builder.errors import BuildFailed

NOW = datetime(2024, 3, 5, 9, 30, 15, 123456, tzinfo=ZoneInfo("Asia/Yerevan"))


@pytest.fixture
def config(make_site):
    return load_config(make_site({}))


def parse_written(config, path) -> Article:
    text = path.read_text(encoding="utf-8")
    source = SourceFile(path.relative_to(config.site_dir), text, hashlib.sha256(text.encode()).hexdigest())
    result = parse_article(source, ContentContext(config, {}, frozenset()))
    assert isinstance(result, Article), [str(e) for e in result]
    return result


def test_new_article_is_written_under_section_and_year(config):
    path = new_article_file(config, "Council votes on budget", "politics", now=NOW)
    assert path == config.content_dir / "politics" / "2024" / "council-votes-on-budget.md"
    assert path.is_file()


def test_new_article_has_valid_front_matter_and_is_a_draft(config):
    article = parse_written(config, new_article_file(config, "Council votes on budget", "politics", now=NOW))
    assert article.title == "Council votes on budget"
    assert article.section == "politics"
    assert article.draft is True
    assert article.published.value == NOW.replace(microsecond=0)
    assert article.published.date_only is False
    assert article.body.problems == ()


def test_new_article_front_matter_text(config):
    text = new_article_file(config, "Council votes", "politics", now=NOW).read_text()
    assert text.startswith("---\ntitle: Council votes\ndate: '2024-03-05T09:30:15+04:00'\nsection: politics\n")
    assert "\ndraft: true\n---\n" in text


@pytest.mark.parametrize("headline", ["Vote: yes or no?", "No", "#1 story", "'Quoted' \"twice\"", "2024",
                                      "- a list?", "true", "Ընտրություններ Երևանում"])
def test_headlines_with_yaml_characters_round_trip(config, headline):
    article = parse_written(config, new_article_file(config, headline, "politics", now=NOW))
    assert article.title == headline


def test_lang_and_authors_are_written(config):
    path = new_article_file(config, "Ընտրություններ", "politics", lang="hy", authors=("anna", "Gor Sargsyan"), now=NOW)
    assert path.name == "ընտրություններ.md"
    article = parse_written(config, path)
    assert article.lang == "hy"
    assert [a.key for a in article.authors] == ["anna", "gor-sargsyan"]


def test_lang_no_is_written_as_text(config):
    assert parse_written(config, new_article_file(config, "Nyheter", "culture", lang="no", now=NOW)).lang == "no"


def test_existing_file_is_never_overwritten(config):
    path = new_article_file(config, "Council votes", "politics", now=NOW)
    path.write_text("my work", encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        new_article_file(config, "Council votes", "politics", now=NOW)
    assert failure.value.errors[0].message == "a file with this name already exists"
    assert failure.value.errors[0].path == path
    assert path.read_text() == "my work"


def test_unknown_section_is_refused_and_nothing_written(config):
    with pytest.raises(BuildFailed) as failure:
        new_article_file(config, "Match report", "sport", now=NOW)
    (error,) = failure.value.errors
    assert (error.field, error.message) == ("--section", "unknown section 'sport'")
    assert error.hint == "sections in site.yaml: politics, culture"
    assert not config.content_dir.exists()


def test_bad_lang_is_refused(config):
    with pytest.raises(BuildFailed) as failure:
        new_article_file(config, "Council votes", "politics", lang="english", now=NOW)
    assert failure.value.errors[0].field == "--lang"


@pytest.mark.parametrize("headline", ["", "   ", "???"])
def test_headline_without_letters_is_refused(config, headline):
    with pytest.raises(BuildFailed) as failure:
        new_article_file(config, headline, "politics", now=NOW)
    assert all(e.field == "HEADLINE" for e in failure.value.errors)
    assert not config.content_dir.exists()


def test_every_problem_is_reported_at_once(config):
    with pytest.raises(BuildFailed) as failure:
        new_article_file(config, "", "sport", lang="x y", now=NOW)
    assert {e.field for e in failure.value.errors} == {"HEADLINE", "--section", "--lang"}
