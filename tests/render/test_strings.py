"""The default theme's interface text: every key in every language, plural forms by CLDR rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel import Locale

from builder.config.site import parse_config
from builder.config.yamltext import parse_yaml
from builder.errors import BuildFailed
from builder.render.theme import Theme, base_key, flatten_strings, load_theme
from builder.render.theme_lookup import bundled_themes
from tests.support.editions import SITE_YAML

STRINGS = bundled_themes() / "default" / "strings"
LANGUAGES = ["en", "hy", "ru", "uk", "ar", "fa", "de", "fr", "es", "ja", "zh-Hans", "ko"]


def strings_of(code: str) -> dict[str, str]:
    return flatten_strings(parse_yaml((STRINGS / f"{code}.yaml").read_text(encoding="utf-8")).data)


def test_the_theme_speaks_at_least_the_twelve_languages():
    assert {p.stem for p in STRINGS.glob("*.yaml")} >= set(LANGUAGES)


@pytest.mark.parametrize("code", sorted(p.stem for p in STRINGS.glob("*.yaml")))
def test_every_key_of_english_exists_in_every_language(code):
    english = {base_key(k) for k in strings_of("en")}
    own = strings_of(code)
    assert sorted(english - {base_key(k) for k in own}) == [], f"{code}.yaml lacks these keys"
    assert sorted({base_key(k) for k in own} - english) == [], f"{code}.yaml has keys English does not"
    assert all(text.strip() or key in ("label_separator",) for key, text in own.items()), "an empty string"


@pytest.mark.parametrize("code", sorted(p.stem for p in STRINGS.glob("*.yaml")))
def test_plural_forms_are_exactly_the_languages_cldr_categories(code):
    categories = set(Locale.parse(code, sep="-").plural_form.tags) | {"other"}
    own = strings_of(code)
    for key in {base_key(k) for k in own if "." in k}:
        forms = {k.split(".", 1)[1] for k in own if base_key(k) == key}
        assert forms == categories, f"{code}: {key} has forms {sorted(forms)}, CLDR has {sorted(categories)}"


@pytest.mark.parametrize("code", sorted(p.stem for p in STRINGS.glob("*.yaml")))
def test_placeholders_are_the_ones_english_uses(code):
    english, own = strings_of("en"), strings_of(code)
    for key, text in own.items():
        for placeholder in ("{name}", "{title}", "{number}"):
            assert (placeholder in text) == (placeholder in english.get(base_key(key), "")), (code, key)


def theme(tmp_path: Path, text: str = SITE_YAML) -> Theme:
    return load_theme(parse_config(text, tmp_path))


@pytest.mark.parametrize(("code", "counts"), [
    ("ru", {1: "1 статья", 3: "3 статьи", 5: "5 статей", 21: "21 статья", 22: "22 статьи", 11: "11 статей",
            1234: "1\xa0234 статьи"}),
    ("ar", {0: "لا توجد مقالات", 1: "مقالة واحدة", 2: "مقالتان", 3: "3 مقالات", 11: "11 مقالة", 100: "100 مقالة"}),
    ("hy", {1: "1 հոդված", 5: "5 հոդված"}),
    ("uk", {1: "1 стаття", 4: "4 статті", 5: "5 статей"}),
    ("ja", {1: "1件の記事", 7: "7件の記事"}),
])
def test_counts_take_the_plural_form_of_the_language(tmp_path, code, counts):
    loaded = theme(tmp_path)
    assert {n: loaded.count(code, "article_count", n) for n in counts} == counts


def test_a_plain_string_counts_as_it_always_did(tmp_path):
    assert theme(tmp_path).count("en", "article_count", 1234) == "Articles: 1234"


def test_site_yaml_plural_forms_replace_the_themes_plain_string(tmp_path):
    text = SITE_YAML.replace("    description: A small test archive.\n", "    description: A small test archive.\n"
                             "    strings:\n      article_count: {one: '{count} story', other: '{count} stories'}\n")
    loaded = theme(tmp_path, text)
    assert (loaded.count("en", "article_count", 1), loaded.count("en", "article_count", 2)) == ("1 story", "2 stories")


def test_an_edition_in_a_language_the_theme_lacks_is_an_error_naming_the_strings(tmp_path):
    text = SITE_YAML + "  - code: it\n    prefix: it\n    title: Il corriere\n    fallback: true\n"
    text = text.replace("hosting:\n  fingerprint: false\n", "") + "hosting:\n  fingerprint: false\n"
    with pytest.raises(BuildFailed) as failure:
        theme(tmp_path, text)
    (error,) = failure.value.errors
    assert error.field == "languages.3.strings" and error.line == text.splitlines().index("  - code: it") + 1
    assert error.message.startswith("the it edition has no interface text for: accessibility_links, and, ")
    assert "themes/default/strings/it.yaml" in error.hint


def test_an_edition_may_bring_every_string_itself(tmp_path):
    english = strings_of("en")
    lines = "".join(f"      {key}: 'it {key}'\n" for key in english)
    text = SITE_YAML.replace("hosting:\n  fingerprint: false\n", "")
    text += "  - code: it\n    prefix: it\n    title: Il corriere\n    fallback: true\n    strings:\n" + lines
    assert theme(tmp_path, text).strings_for("it")["site_home"] == "it site_home"


def test_a_site_without_languages_still_falls_back_to_english(tmp_path):
    text = "title: T\nbase_url: https://example.org/\nlanguage: it\nsections:\n  - key: a\n    title: A\n"
    assert theme(tmp_path, text).strings_for("it")["site_home"] == "Front page"
