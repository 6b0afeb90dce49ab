"""site.yaml's `languages:`: editions read once, every mistake reported with its line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.config.editions import is_known_language, native_name
from builder.config.site import parse_config
from builder.errors import BuildFailed
from tests.support.editions import SITE_YAML

SHOWN = Path("site.yaml")


def errors_of(text: str, tmp_path: Path) -> list[str]:
    with pytest.raises(BuildFailed) as failure:
        parse_config(text, tmp_path, SHOWN)
    return [str(e) for e in failure.value.errors]


def site(*languages: str, top: str = "") -> str:
    return "\n".join([
        "title: Մերիդիան",                  # 1
        "base_url: https://example.org/",    # 2
        "sections:",                          # 3
        "  - key: politics",                  # 4
        "    title: Քաղաքականություն",        # 5
        "    description: Խորհրդարան։",       # 6
        *([top] if top else []),
        "languages:",                         # 7 (8 with top)
        *languages,
    ]) + "\n"


EN = ["  - code: en", "    prefix: en", "    title: Meridian",
      "    sections: {politics: {title: Politics, description: Parliament.}}"]


def test_a_site_without_languages_is_one_mixed_edition_at_the_root(tmp_path):
    config = parse_config("title: T\nbase_url: https://example.org/\nlanguage: hy\ntimezone: Asia/Yerevan\n"
                          "sections:\n  - key: politics\n    title: Politics\n", tmp_path)
    (edition,) = config.editions
    assert (edition.code, edition.prefix, edition.title, edition.mixed, edition.default) == ("hy", "", "T", True, True)
    assert str(edition.timezone) == "Asia/Yerevan"
    assert edition.section("politics").title == "Politics"
    assert edition.page_language("ar") == "ar"  # a mixed site's article pages speak the article's language


def test_editions_are_read_in_order_the_first_being_the_default(tmp_path):
    config = parse_config(SITE_YAML, tmp_path)
    assert [e.code for e in config.editions] == ["hy", "en", "ar"]
    hy, en, ar = config.editions
    assert config.language == "hy" and hy.default and not en.default
    assert (hy.prefix, en.prefix, ar.prefix) == ("", "en/", "ar/")
    assert hy.title == "Եռալեզու սուրհանդակ" and en.title == "The Trilingual Courier"
    assert en.path("politics/") == "en/politics/"
    assert not en.mixed and en.page_language("hy") == "en"
    assert (en.name, ar.name, hy.name) == ("English", "العربية", "Հայերեն")
    assert ar.dir == "rtl" and en.dir == "ltr"


def test_sections_and_authors_are_named_per_edition(tmp_path):
    hy, en, ar = parse_config(SITE_YAML, tmp_path).editions
    assert en.section("politics").title == "Politics"
    assert en.section("politics").description == "Parliament and councils."
    assert en.section("politics").lang == "en"
    assert en.authors["anna"].name == "Anna Hakobyan" and en.authors["anna"].lang == "en"
    assert hy.section("politics").title == "Քաղաքականություն" and hy.section("politics").lang == "hy"


def test_fallback_shows_the_default_editions_text_marked_with_its_language(tmp_path):
    ar = parse_config(SITE_YAML, tmp_path).editions[2]
    section = ar.section("politics")
    assert (section.title, section.lang) == ("Քաղաքականություն", "hy")
    assert ar.authors["anna"].bio == "Քաղաքական թղթակից։" and ar.authors["anna"].lang == "hy"


def test_edition_time_zone_and_string_overrides(tmp_path):
    config = parse_config(site("  - code: hy", *EN, "    timezone: Europe/London", "    strings:", "      site_home: Home",
                               "      article_count: {one: '{count} story', other: '{count} stories'}",
                               top="timezone: Asia/Yerevan"), tmp_path)
    hy, en = config.editions
    assert str(hy.timezone) == "Asia/Yerevan" and str(en.timezone) == "Europe/London"
    assert en.strings["site_home"] == "Home"
    assert en.strings["article_count.other"] == "{count} stories"


def test_native_names_are_capitalised_autonyms():
    assert native_name("ru") == "Русский"
    assert native_name("zh-Hans") == "中文 (简体)"
    assert native_name("fa") == "فارسی"


@pytest.mark.parametrize("code", ["hy", "en", "ru", "uk", "ar", "fa", "de", "fr", "es", "ja", "zh-Hans", "ko", "pt-BR"])
def test_known_languages(code):
    assert is_known_language(code)


@pytest.mark.parametrize("code", ["xx", "english", "en_US", "qq-Zzzz"])
def test_unknown_languages(code):
    assert not is_known_language(code)


# --- errors: each names the field and the line it was written on ---------------------------------

def test_an_unknown_language_code_is_an_error_at_its_line(tmp_path):
    errors = errors_of(site("  - code: hy", "  - code: xx", "    prefix: xx", "    title: X"), tmp_path)
    assert errors == ["site.yaml:9: languages.1.code: 'xx' is not a language code CLDR knows "
                      "(use a BCP 47 tag such as hy, en, ru, ar, fa, zh-Hans or pt-BR)"]


def test_two_editions_with_one_prefix(tmp_path):
    errors = errors_of(site("  - code: hy", *EN, "  - code: en-GB", "    prefix: en", "    title: Meridian UK",
                            "    fallback: true"), tmp_path)
    assert errors == ["site.yaml:14: languages.2.prefix: 'en' is also the prefix of the en edition "
                      "(every edition needs a prefix of its own)"]


def test_two_editions_in_one_language(tmp_path):
    errors = errors_of(site("  - code: hy", *EN, "  - code: en", "    prefix: english", "    title: M",
                            "    fallback: true"), tmp_path)
    assert errors[0].startswith("site.yaml:13: languages.2.code: a second edition in 'en'")


def test_a_prefix_that_collides_with_a_section(tmp_path):
    errors = errors_of(site("  - code: hy", "  - code: en", "    prefix: politics", "    title: M",
                            "    fallback: true"), tmp_path)
    assert errors == ["site.yaml:10: languages.1.prefix: 'politics' is also a section's key: both would live "
                      "at /politics/ (choose another prefix, or rename the section)"]


@pytest.mark.parametrize("prefix", ["tags", "archive", "2024"])
def test_a_prefix_that_collides_with_the_sites_own_pages(tmp_path, prefix):
    errors = errors_of(site("  - code: hy", "  - code: en", f"    prefix: '{prefix}'", "    title: M",
                            "    fallback: true"), tmp_path)
    assert errors[0].startswith(f"site.yaml:10: languages.1.prefix: '{prefix}' is used by the site's own pages")


def test_a_prefix_that_is_not_one_url_segment(tmp_path):
    errors = errors_of(site("  - code: hy", "  - code: en", "    prefix: en/gb", "    title: M",
                            "    fallback: true"), tmp_path)
    assert errors[0].startswith("site.yaml:10: languages.1.prefix: 'en/gb' is not a valid prefix")


def test_every_edition_but_the_default_needs_a_prefix_and_a_title(tmp_path):
    errors = errors_of(site("  - code: hy", "  - code: en", "    fallback: true"), tmp_path)
    assert "site.yaml:9: languages.1: missing required key 'prefix' (only the default (first) edition lives " \
           "at the site's root; e.g. prefix: en)" in errors
    assert "site.yaml:9: languages.1: missing required key 'title'" in errors


def test_a_missing_section_translation_names_the_key_and_the_language(tmp_path):
    errors = errors_of(site("  - code: hy", "  - code: ru", "    prefix: ru", "    title: Меридиан",
                            "    sections: {politics: {title: Политика}}"), tmp_path)
    assert errors == ["site.yaml:12: languages.1.sections: no description in ru for section 'politics' "
                      "(add sections: {politics: {title: ..., description: ...}} to the ru edition, "
                      "or fallback: true to show the default edition's text)"]


def test_a_translation_of_an_unknown_section(tmp_path):
    errors = errors_of(site("  - code: hy", *EN[:3], "    sections:", "      politics: {title: P, description: D}",
                            "      sport: {title: Sport}"), tmp_path)
    assert errors[0].startswith("site.yaml:14: languages.1.sections.sport: unknown key 'sport'")


def test_language_must_name_the_default_edition(tmp_path):
    errors = errors_of(site("  - code: hy", *EN, top="language: en"), tmp_path)
    assert errors[0].startswith("site.yaml:7: language: is 'en', but the default edition (the first under "
                                "languages:) is 'hy'")


def test_an_unknown_key_in_an_edition(tmp_path):
    errors = errors_of(site("  - code: hy", "    titel: X"), tmp_path)
    assert errors[0].startswith("site.yaml:9: languages.0.titel: unknown key 'titel' (did you mean 'title'?")


def test_an_empty_list_of_languages(tmp_path):
    errors = errors_of(site().replace("languages:\n", "languages: []\n"), tmp_path)
    assert errors == ["site.yaml:7: languages: lists no language (remove languages: or list at least one edition)"]
