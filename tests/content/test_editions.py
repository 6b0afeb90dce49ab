"""Articles in editions: which edition an article is in, its address, its translations, each edition's listings."""

from __future__ import annotations

import pytest

from builder.config.site import parse_config
from builder.content.article import Article
from builder.errors import BuildFailed
from tests.support.editions import ARTICLES, SITE_YAML
from tests.support.gazette import archive_of


@pytest.fixture
def courier(tmp_path):
    return parse_config(SITE_YAML, tmp_path)


@pytest.fixture
def parsed(parse, courier):
    def run(text: str, path: str) -> Article:
        result = parse(text, path, cfg=courier)
        assert isinstance(result, Article), [str(e) for e in result]
        return result
    return run


@pytest.fixture
def articles(parsed) -> dict[str, Article]:
    return {path.rsplit("/", 1)[1].removesuffix(".md"): parsed(text, path) for path, text in ARTICLES.items()}


def test_an_article_is_in_the_edition_of_its_language_under_its_prefix(articles):
    assert (articles["budget-hy"].edition, articles["budget-hy"].path) == ("hy", "politics/2024/03/budget-hy/")
    assert (articles["budget-en"].edition, articles["budget-en"].path) == ("en", "en/politics/2024/03/budget-en/")
    assert (articles["budget-ar"].edition, articles["budget-ar"].path) == ("ar", "ar/politics/2024/03/budget-ar/")


def test_edition_field_places_an_article_in_another_languages_edition(articles):
    english = articles["english-in-hy"]
    assert (english.edition, english.lang, english.path) == ("hy", "en", "politics/2024/01/english-in-hy/")


def test_an_article_without_lang_in_an_edition_is_in_its_language(parsed):
    article = parsed("---\ntitle: T\ndate: 2024-01-01\nsection: politics\nedition: ar\n---\n\nنص.\n",
                     "content/politics/x.md")
    assert (article.lang, article.dir, article.path) == ("ar", "rtl", "ar/politics/2024/01/x/")


def test_a_language_without_an_edition_goes_to_the_default_edition(parsed):
    article = parsed("---\ntitle: T\ndate: 2024-01-01\nsection: politics\nlang: fa\n---\n\nمتن.\n",
                     "content/politics/x.md")
    assert (article.edition, article.lang) == ("hy", "fa")


def test_a_regional_tag_goes_to_its_languages_edition(parsed):
    article = parsed("---\ntitle: T\ndate: 2024-01-01\nsection: politics\nlang: en-GB\n---\n\nText.\n",
                     "content/politics/x.md")
    assert article.edition == "en"


def test_dates_without_offset_and_the_address_follow_the_editions_time_zone(tmp_path, parse):
    config = parse_config(SITE_YAML.replace("    prefix: en\n", "    prefix: en\n    timezone: America/New_York\n"),
                          tmp_path)
    text = "---\ntitle: T\ndate: 2024-03-31T22:30\nsection: politics\nlang: en\n---\n\nText.\n"
    article = parse(text, "content/politics/x.md", cfg=config)
    assert str(article.published.value.tzinfo) == "America/New_York"
    assert article.path == "en/politics/2024/03/x/"


def test_an_unknown_edition_is_an_error_at_its_line(parse, courier):
    errors = parse("---\ntitle: T\ndate: 2024-01-01\nsection: politics\nedition: fr\n---\n\nText.\n",
                   "content/politics/x.md", cfg=courier)
    assert [str(e) for e in errors] == ["content/politics/x.md:5: edition: no edition 'fr' in site.yaml "
                                        "(editions: hy, en, ar)"]


def test_author_names_come_from_the_articles_edition(articles):
    assert articles["budget-en"].authors[0].name == "Anna Hakobyan"
    assert articles["budget-hy"].authors[0].name == "Աննա Հակոբյան"


# --- the archive --------------------------------------------------------------------------------

def test_each_edition_has_its_own_listings_under_its_prefix(courier, articles):
    archive = archive_of(courier, articles.values())
    home = {code: archive.listing("home", "", code) for code in ("hy", "en", "ar")}
    assert {code: listing.path for code, listing in home.items()} == {"hy": "", "en": "en/", "ar": "ar/"}
    assert [a.slug for a in home["en"].articles] == ["budget-en", "only-en", "council-en", "festival-en"]
    assert [a.slug for a in home["hy"].articles] == ["budget-hy", "english-in-hy", "council-hy", "festival-hy"]
    assert archive.listing("tag", "budget", "ar").path == "ar/tags/budget/"
    assert archive.listing("section", "politics", "en").name == "Politics"
    assert archive.listing("author", "anna", "en").name == "Anna Hakobyan"
    assert archive.listing("month", "2024/02", "en").path == "en/2024/02/"
    assert archive.listing("month", "2024/02", "hy") is None


def test_fallen_back_listing_text_says_its_language(courier, articles):
    archive = archive_of(courier, articles.values())
    assert archive.listing("section", "politics", "ar").text_lang == "hy"
    assert archive.listing("section", "politics", "en").text_lang == ""


def test_years_are_counted_per_edition(courier, articles):
    archive = archive_of(courier, articles.values())
    assert [(y.year, y.count, y.path) for y in archive.years_of("en")] == [(2024, 2, "en/2024/"),
                                                                          (2023, 2, "en/2023/")]
    assert [(y.year, y.count) for y in archive.years_of("ar")] == [(2024, 1)]


def test_neighbours_and_related_articles_stay_in_the_edition(courier, articles):
    archive = archive_of(courier, articles.values())
    links = archive.links[articles["budget-en"].path]
    assert links.previous.slug == "only-en"
    assert {a.edition for a in links.related} <= {"en"}


def test_translations_are_grouped_in_the_order_of_the_editions(courier, articles):
    archive = archive_of(courier, articles.values())
    group = archive.translations[articles["budget-en"].path]
    assert [a.slug for a in group] == ["budget-hy", "budget-en", "budget-ar"]
    assert archive.translations[articles["budget-ar"].path] is group
    assert [a.slug for a in archive.translations[articles["festival-hy"].path]] == ["festival-hy", "festival-en"]
    assert articles["only-en"].path not in archive.translations


def test_alternates_of_a_listing_are_the_same_listing_in_every_edition_that_has_it(courier, articles):
    archive = archive_of(courier, articles.values())
    assert [x.path for x in archive.alternates(archive.listing("tag", "budget", "en"))] == [
        "tags/budget/", "en/tags/budget/", "ar/tags/budget/"]
    assert [x.path for x in archive.alternates(archive.listing("tag", "music", "en"))] == [
        "tags/music/", "en/tags/music/"]


def test_a_translation_key_shared_in_one_edition_names_both_files_and_lines(courier, parsed, articles):
    twin = parsed(ARTICLES["content/politics/budget-en.md"].replace("Council approves", "Council passes"),
                  "content/politics/budget-en-2.md")
    with pytest.raises(BuildFailed) as failure:
        archive_of(courier, [*articles.values(), twin])
    assert [str(e) for e in failure.value.errors] == [
        "content/politics/budget-en.md:8: translation_key: 'budget' is also the key of "
        "content/politics/budget-en-2.md:8, in the same edition (en) "
        "(an edition has one article per translation_key: give one of them another key)"]


def test_translations_in_the_same_language_are_an_error(courier, parsed, articles):
    twin = parsed(ARTICLES["content/politics/budget-en.md"].replace("lang: en", "lang: en\nedition: ar"),
                  "content/politics/budget-en-ar.md")
    with pytest.raises(BuildFailed) as failure:
        archive_of(courier, [a for name, a in articles.items() if name != "budget-ar"] + [twin])
    (error,) = failure.value.errors
    assert str(error.path) == "content/politics/budget-en.md" and error.line == 8
    assert error.message == ("'budget' is also the key of content/politics/budget-en-ar.md:9, written in the "
                             "same language (en)")


def test_an_article_at_the_root_may_not_take_an_editions_prefix(tmp_path, parse):
    config = parse_config(SITE_YAML.replace("\nsections:\n", "\npermalinks:\n  article: /{slug}/\nsections:\n", 1),
                          tmp_path)
    article = parse("---\ntitle: T\ndate: 2024-01-01\nsection: politics\nslug: en\n---\n\nText.\n",
                    "content/politics/x.md", cfg=config)
    with pytest.raises(BuildFailed) as failure:
        archive_of(config, [article])
    assert [str(e) for e in failure.value.errors] == [
        "content/politics/x.md: slug: the address /en/ is under /en/, the en edition's (give it another slug "
        "or alias, or a permalink that starts elsewhere)"]
