"""Language tags: validation, direction, CLDR locale and fallback chain."""

from __future__ import annotations

import pytest

from builder.config.languages import is_valid_tag, language_chain, locale_for, text_direction


@pytest.mark.parametrize("tag", ["en", "hy", "no", "fil", "pt-BR", "sr-Latn", "zh-Hant-TW", "es-419",
                                 "hy-AM", "de-CH-1996", "en-x-private", "ar-EG"])
def test_valid_tags(tag):
    assert is_valid_tag(tag)


@pytest.mark.parametrize("tag", ["", "e", "english", "en_US", "en-", "x y", "12", "en--US", "-en", "hy AM"])
def test_invalid_tags(tag):
    assert not is_valid_tag(tag)


@pytest.mark.parametrize("tag", ["ar", "fa", "he", "ur", "ar-EG", "fa-IR", "az-Arab", "pa-Arab"])
def test_right_to_left_languages(tag):
    assert text_direction(tag) == "rtl"


@pytest.mark.parametrize("tag", ["en", "hy", "ru", "ka", "hy-AM", "sr-Latn", "az-Latn", "ar-Latn", "xx"])
def test_left_to_right_languages(tag):
    assert text_direction(tag) == "ltr"


def test_locale_for_uses_region():
    locale = locale_for("hy-AM")
    assert (locale.language, locale.territory) == ("hy", "AM")


def test_locale_for_uses_script():
    locale = locale_for("sr-Latn")
    assert (locale.language, locale.script) == ("sr", "Latn")


def test_locale_for_drops_unknown_subtags():
    assert locale_for("hy-x-private").language == "hy"


def test_locale_for_unknown_language_falls_back_to_english():
    assert locale_for("xx").language == "en"


def test_language_chain_most_specific_first():
    assert language_chain("hy-AM") == ["hy-AM", "hy"]
    assert language_chain("zh-Hant-TW") == ["zh-Hant-TW", "zh-Hant", "zh"]
    assert language_chain("en") == ["en"]


def test_direction_is_cldrs_for_every_locale_babel_has():
    from babel import Locale
    from babel.localedata import locale_identifiers

    differ = []
    for identifier in locale_identifiers():
        cldr = Locale.parse(identifier).text_direction
        if text_direction(identifier.replace("_", "-")) != cldr and cldr in ("ltr", "rtl"):
            differ.append((identifier, cldr))
    assert differ == []


def test_vertical_mongolian_gets_a_direction_html_has():
    assert text_direction("mn-Mong") == "ltr"
