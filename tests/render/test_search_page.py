"""The search page's words in every language of the theme: each search string, and a result-count
message for each plural category CLDR (through Babel) gives the language."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from builder.config.languages import locale_for
from builder.render.search_page import COUNT_KEY, count_messages, language_name
from builder.render.theme import flatten_strings

STRINGS = Path(__file__).resolve().parents[2] / "themes" / "default" / "strings"
LANGUAGES = sorted(p.stem for p in STRINGS.glob("*.yaml"))


def strings(lang: str) -> dict[str, str]:
    return flatten_strings(yaml.safe_load((STRINGS / f"{lang}.yaml").read_text(encoding="utf-8")))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_every_search_string(lang):
    wanted = {key for key in strings("en") if key.startswith("search_") and not key.startswith(COUNT_KEY)}
    assert wanted - set(strings(lang)) == set()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_plural_category_of_the_language_has_its_own_count_message(lang):
    table = strings(lang)
    categories = locale_for(lang).plural_form.tags | {"other"}
    assert {key.removeprefix(COUNT_KEY) for key in table if key.startswith(COUNT_KEY)} == categories
    for category in categories:
        message = table[COUNT_KEY + category]
        assert "{query}" in message, (lang, category)
    messages = count_messages(table, lang)
    assert set(messages) == categories


def test_plural_forms_come_out_right_for_russian_armenian_and_arabic():
    def say(lang: str, count: int) -> str:
        messages = count_messages(strings(lang), lang)
        return messages[locale_for(lang).plural_form(count)].format(count=count, query="x")

    assert [say("ru", n) for n in (1, 3, 5, 21)] == [
        "1 результат по запросу «x»", "3 результата по запросу «x»", "5 результатов по запросу «x»",
        "21 результат по запросу «x»"]
    assert [say("ar", n) for n in (0, 1, 2, 3, 11, 100)] == [
        "لا توجد نتائج عن «x»", "نتيجة واحدة عن «x»", "نتيجتان عن «x»", "3 نتائج عن «x»", "11 نتيجة عن «x»",
        "100 نتيجة عن «x»"]
    assert say("hy", 1) == "1 արդյունք «x» հարցման համար" and say("hy", 7) == "7 արդյունք «x» հարցման համար"
    assert say("en", 1) == "1 result for “x”" and say("en", 0) == "0 results for “x”"


def test_a_missing_category_falls_back_to_other():
    assert count_messages({COUNT_KEY + "other": "{count} hits"}, "ru") == {
        "one": "{count} hits", "few": "{count} hits", "many": "{count} hits", "other": "{count} hits"}


def test_languages_are_named_in_themselves():
    assert [language_name(lang) for lang in ("en", "hy", "ru", "ar", "fa")] == [
        "English", "Հայերեն", "Русский", "العربية", "فارسی"]
