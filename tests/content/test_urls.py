"""Slugs, article permalinks and links under the base path."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.content.urls import absolute, article_path, href, is_valid_slug, output_file, slugify


@pytest.mark.parametrize("text, slug", [
    ("Council votes on budget", "council-votes-on-budget"),
    ("  Hello,   World! ", "hello-world"),
    ("snake_case and--dashes", "snake-case-and-dashes"),
    ("Ընտրություններ 2024", "ընտրություններ-2024"),
    ("Երևան", "երևան"),
    ("Выборы в парламент", "выборы-в-парламент"),
    ("الانتخابات البرلمانية", "الانتخابات-البرلمانية"),
    ("???", ""),
])
def test_slugify(text, slug):
    assert slugify(text) == slug


def test_slugify_normalises_to_nfc():
    assert slugify("Cafe\u0301") == slugify("Caf\u00e9") == "caf\u00e9"


@given(st.text())
def test_slugify_output_is_a_valid_slug_and_stable(text):
    slug = slugify(text)
    assert slug == "" or is_valid_slug(slug)
    assert slugify(slug) == slug


def test_slugify_keeps_combining_vowel_signs():
    assert slugify("हिन्दी समाचार") == "हिन्दी-समाचार"


def test_article_path_fills_every_placeholder():
    published = datetime(2024, 3, 5, 9, 30, tzinfo=UTC)
    path = article_path("/{lang}/{section}/{yyyy}/{mm}/{dd}/{slug}/", section="politics", published=published,
                        slug="council-vote", lang="hy")
    assert path == "hy/politics/2024/03/05/council-vote/"


def test_article_path_default_pattern():
    published = datetime(987, 11, 2, tzinfo=UTC)
    assert article_path("/{section}/{yyyy}/{mm}/{slug}/", section="culture", published=published, slug="x",
                        lang="en") == "culture/0987/11/x/"


def test_href_prefixes_base_path_and_percent_encodes():
    assert href("/", "politics/") == "/politics/"
    assert href("/archive/", "politics/") == "/archive/politics/"
    assert href("/archive/", "") == "/archive/"
    assert href("/", "tags/երևան/") == "/tags/%D5%A5%D6%80%D6%87%D5%A1%D5%B6/"
    assert href("/", "a b/") == "/a%20b/"


def test_absolute_joins_base_url():
    assert absolute("https://example.org/archive/", "politics/x/") == "https://example.org/archive/politics/x/"
    assert absolute("https://example.org/", "tags/é/") == "https://example.org/tags/%C3%A9/"


@pytest.mark.parametrize("site_path, file", [
    ("", "index.html"),
    ("politics/", "politics/index.html"),
    ("politics/page/2/", "politics/page/2/index.html"),
    ("404.html", "404.html"),
    ("images/a.jpg", "images/a.jpg"),
])
def test_output_file(site_path, file):
    assert output_file(site_path) == file
