"""The archive: what is published, in what order, and every listing that shows it."""

from __future__ import annotations

import pytest

from builder.content.archive import Listing
from builder.errors import BuildFailed
from tests.support.gazette import archive_of


@pytest.fixture
def articles(article):
    return {
        "old": article(path="content/politics/old.md", date="2023-01-10", tags="[Budget]", authors="[anna]"),
        "mid": article(path="content/culture/mid.md", section="culture", date="2024-02-01T12:00",
                       tags="[Budget, Theatre]"),
        "new": article(path="content/politics/new.md", date="2024-03-05T09:30", authors="[anna, Gor Sargsyan]"),
        "draft": article(path="content/politics/draft.md", date="2024-04-01", draft="true", tags="[Secret]"),
    }


def paths(listing: Listing) -> list[str]:
    return [str(a.source) for a in listing.articles]


def test_articles_are_newest_first(config, articles):
    archive = archive_of(config, articles.values())
    assert [str(a.source) for a in archive.articles] == [
        "content/politics/new.md", "content/culture/mid.md", "content/politics/old.md"]


def test_order_does_not_depend_on_input_order(config, articles):
    forwards = archive_of(config, articles.values())
    backwards = archive_of(config, reversed(list(articles.values())))
    assert forwards.articles == backwards.articles


def test_newest_first_compares_moments_not_local_times(article, config):
    # 10:00 in Yerevan (+04) is earlier than 07:00 UTC.
    yerevan = article(path="content/politics/a.md", date="2024-03-05T10:00")
    london = article(path="content/politics/b.md", date="2024-03-05T07:00:00+00:00")
    assert [a.slug for a in archive_of(config, [yerevan, london]).articles] == ["b", "a"]


def test_drafts_are_excluded(config, articles):
    archive = archive_of(config, articles.values())
    assert articles["draft"] not in archive.articles
    assert archive.listing("tag", "secret") is None
    assert all(articles["draft"] not in listing.articles for listing in archive.listings)


def test_drafts_are_included_when_asked(config, articles):
    archive = archive_of(config, articles.values(), include_drafts=True)
    assert archive.articles[0] is articles["draft"]
    assert paths(archive.listing("tag", "secret")) == ["content/politics/draft.md"]


def test_home_listing_has_every_published_article(config, articles):
    home = archive_of(config, articles.values()).listing("home")
    assert (home.path, home.name, home.description) == ("", "Test Gazette", "A small test archive.")
    assert home.articles == archive_of(config, articles.values()).articles


def test_section_listings(config, articles):
    archive = archive_of(config, articles.values())
    politics = archive.listing("section", "politics")
    assert (politics.path, politics.name, politics.description) == ("politics/", "Politics", "Votes and councils.")
    assert paths(politics) == ["content/politics/new.md", "content/politics/old.md"]
    assert paths(archive.listing("section", "culture")) == ["content/culture/mid.md"]


def test_every_configured_section_has_a_listing_even_when_empty(config, article):
    archive = archive_of(config, [article()])
    assert archive.listing("section", "culture").articles == ()


def test_tag_listings(config, articles):
    archive = archive_of(config, articles.values())
    budget = archive.listing("tag", "budget")
    assert (budget.path, budget.name) == ("tags/budget/", "Budget")
    assert paths(budget) == ["content/culture/mid.md", "content/politics/old.md"]
    assert paths(archive.listing("tag", "theatre")) == ["content/culture/mid.md"]


def test_tag_listing_for_armenian_tag(config, article):
    archive = archive_of(config, [article(tags="[Երևան]")])
    assert archive.listing("tag", "երևան").path == "tags/երևան/"


def test_author_listings(config, articles):
    archive = archive_of(config, articles.values())
    anna = archive.listing("author", "anna")
    assert (anna.path, anna.name, anna.description) == ("authors/anna/", "Anna Petrosyan", "Covers the city council.")
    assert paths(anna) == ["content/politics/new.md", "content/politics/old.md"]
    assert paths(archive.listing("author", "gor-sargsyan")) == ["content/politics/new.md"]


def test_duplicate_article_paths_name_both_files(config, article):
    first = article(path="content/politics/vote.md")
    second = article(path="content/politics/2024/vote.md")
    with pytest.raises(BuildFailed) as failure:
        archive_of(config, [first, second])
    (error,) = failure.value.errors
    text = str(error)
    assert "content/politics/2024/vote.md" in text and "content/politics/vote.md" in text
    assert "/politics/2024/03/vote/" in text


def test_a_draft_does_not_clash_with_a_published_article(config, article):
    published = article(path="content/politics/vote.md")
    draft = article(path="content/politics/old/vote.md", draft="true")
    assert archive_of(config, [published, draft]).articles == (published,)
    with pytest.raises(BuildFailed):
        archive_of(config, [published, draft], include_drafts=True)


@pytest.mark.parametrize("count, per_page, pages", [(0, 10, 1), (1, 10, 1), (10, 10, 1), (11, 10, 2), (25, 10, 3)])
def test_page_count(count, per_page, pages):
    listing = Listing("tag", "x", "X", "", "tags/x/", (None,) * count)
    assert listing.page_count(per_page) == pages


def test_page_paths():
    listing = Listing("tag", "x", "X", "", "tags/x/", ())
    assert listing.page_path(1) == "tags/x/"
    assert listing.page_path(2) == "tags/x/page/2/"
    home = Listing("home", "", "Home", "", "", ())
    assert home.page_path(1) == ""
    assert home.page_path(3) == "page/3/"
