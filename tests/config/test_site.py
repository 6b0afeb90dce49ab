"""site.yaml validation: every error names its key and the line it was written on."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.config.site import DEFAULT_PERMALINK, load_config, parse_config
from builder.errors import BuildFailed
from tests.support.gazette import SITE_YAML

SHOWN = Path("site.yaml")


def errors_of(text: str, tmp_path: Path) -> list[str]:
    with pytest.raises(BuildFailed) as failure:
        parse_config(text, tmp_path, SHOWN)
    return [str(e) for e in failure.value.errors]


def site(*extra: str, base_url: str = "https://example.org/") -> str:
    return "\n".join([
        "title: Test Gazette",                # 1
        f"base_url: {base_url}",             # 2
        "sections:",                          # 3
        "  - key: politics",                  # 4
        "    title: Politics",                # 5
        *extra,                               # 6...
    ]) + "\n"


# --- valid configuration -------------------------------------------------------------------------

def test_default_site_yaml_is_valid(tmp_path):
    config = parse_config(SITE_YAML, tmp_path)
    assert config.title == "Test Gazette"
    assert [s.key for s in config.sections] == ["politics", "culture"]
    assert config.section("politics").description == "Votes and councils."
    assert config.author("anna").name == "Anna Petrosyan"
    assert config.author("anna").bio == "Covers the city council."
    assert str(config.timezone) == "Asia/Yerevan"


def test_defaults_when_optional_keys_are_absent(tmp_path):
    config = parse_config(site(), tmp_path)
    assert config.language == "en"
    assert str(config.timezone) == "UTC"
    assert config.per_page == 10
    assert config.article_permalink == DEFAULT_PERMALINK
    assert config.theme == "default"


def test_base_url_without_trailing_slash_is_normalised(tmp_path):
    config = parse_config(site(base_url="https://example.org/archive"), tmp_path)
    assert config.base_url == "https://example.org/archive/"
    assert config.base_path == "/archive/"


def test_base_url_of_bare_host_gets_root_base_path(tmp_path):
    config = parse_config(site(base_url="https://example.org"), tmp_path)
    assert config.base_url == "https://example.org/"
    assert config.base_path == "/"


def test_nested_base_path(tmp_path):
    assert parse_config(site(base_url="http://example.org/news/archive/"), tmp_path).base_path == "/news/archive/"


@pytest.mark.parametrize("value", ["no", "yes", "on", "off", "NO", "Off"])
def test_yaml_11_boolean_words_stay_strings_for_language(tmp_path, value):
    # `language: no` is Norwegian, not False (YAML 1.2 booleans).
    assert parse_config(site(f"language: {value}"), tmp_path).language == value


def test_yaml_11_boolean_words_stay_strings_in_titles(tmp_path):
    text = site("  - key: opinion", "    title: Yes").replace("title: Test Gazette", "title: On")
    config = parse_config(text, tmp_path)
    assert config.title == "On"
    assert config.section("opinion").title == "Yes"


def test_pagination_permalink_strings_and_extra_are_read(tmp_path):
    config = parse_config(site(
        "pagination:",
        "  per_page: 3",
        "permalinks:",
        "  article: /{lang}/{yyyy}/{mm}/{dd}/{slug}/",
        "strings:",
        "  hy:",
        "    read_more: Կարդալ ավելին",
        "extra:",
        "  twitter: gazette",
    ), tmp_path)
    assert config.per_page == 3
    assert config.article_permalink == "/{lang}/{yyyy}/{mm}/{dd}/{slug}/"
    assert config.strings["hy"]["read_more"] == "Կարդալ ավելին"
    assert config.extra["twitter"] == "gazette"


def test_load_config_reads_site_yaml_from_the_folder(make_site):
    folder = make_site({})
    config = load_config(folder)
    assert config.site_dir == folder.resolve()
    assert config.content_dir == folder.resolve() / "content"


# --- errors: each names the key and its exact line ----------------------------------------------

def test_unknown_key_names_line_and_suggests_the_closest_key(tmp_path):
    errors = errors_of(site("titel: Another"), tmp_path)
    assert len(errors) == 1
    assert errors[0].startswith("site.yaml:6: titel: unknown key 'titel' (did you mean 'title'?")


def test_unknown_key_inside_a_section_suggests_the_section_key(tmp_path):
    errors = errors_of(site("    descripton: Votes"), tmp_path)
    assert errors == [
        "site.yaml:6: sections.0.descripton: unknown key 'descripton' "
        "(did you mean 'description'? allowed: description, key, title)"
    ]


def test_unknown_key_inside_pagination(tmp_path):
    errors = errors_of(site("pagination:", "  perpage: 5"), tmp_path)
    assert errors[0].startswith("site.yaml:7: pagination.perpage: unknown key 'perpage' (did you mean 'per_page'?")


def test_wrong_type_text_given_a_list(tmp_path):
    errors = errors_of(site().replace("title: Test Gazette", "title: [a, b]"), tmp_path)
    assert "site.yaml:1: title: expected text, got a list" in errors


def test_wrong_type_sections_given_text(tmp_path):
    text = "title: T\nbase_url: https://example.org/\nsections: politics\n"
    assert "site.yaml:3: sections: expected a list, got str 'politics'" in errors_of(text, tmp_path)


def test_wrong_type_per_page_given_a_word(tmp_path):
    errors = errors_of(site("pagination:", "  per_page: ten"), tmp_path)
    assert errors == ["site.yaml:7: pagination.per_page: expected a whole number of at least 1, got 'ten'"]


@pytest.mark.parametrize("value", ["0", "true", "-3"])
def test_per_page_must_be_a_positive_whole_number(tmp_path, value):
    errors = errors_of(site("pagination:", f"  per_page: {value}"), tmp_path)
    assert len(errors) == 1 and errors[0].startswith("site.yaml:7: pagination.per_page: expected a whole number")


def test_missing_required_top_level_key_names_the_key(tmp_path):
    text = "title: T\nsections:\n  - key: politics\n    title: Politics\n"
    assert errors_of(text, tmp_path) == ["site.yaml:1: missing required key 'base_url'"]


def test_every_missing_required_key_is_reported(tmp_path):
    errors = errors_of("description: only this\n", tmp_path)
    assert errors == [
        "site.yaml:1: missing required key 'base_url'",
        "site.yaml:1: missing required key 'sections'",
        "site.yaml:1: missing required key 'title'",
    ]


def test_missing_required_key_in_a_section_points_at_that_section(tmp_path):
    errors = errors_of(site("  - key: culture"), tmp_path)
    assert errors == ["site.yaml:6: sections.1: missing required key 'title'"]


def test_author_without_name_points_at_the_author(tmp_path):
    errors = errors_of(site("authors:", "  - key: anna", "    bio: Writes."), tmp_path)
    assert errors == ["site.yaml:7: authors.0: missing required key 'name'"]


def test_empty_title_is_an_error(tmp_path):
    errors = errors_of(site().replace("title: Test Gazette", 'title: ""'), tmp_path)
    assert errors == ["site.yaml:1: title: must not be empty"]


def test_empty_sections_list_is_an_error(tmp_path):
    text = "title: T\nbase_url: https://example.org/\nsections: []\n"
    assert errors_of(text, tmp_path) == ["site.yaml:3: sections: at least one section is needed"]


@pytest.mark.parametrize("url", [
    "example.org",
    "/archive/",
    "ftp://example.org/",
    "https://example.org/?page=1",
    "https://example.org/#top",
    "https:///archive/",
])
def test_bad_base_url_names_key_and_line(tmp_path, url):
    errors = errors_of(site(base_url=url), tmp_path)
    assert errors == [f"site.yaml:2: base_url: '{url}' is not an absolute http(s) URL "
                      "(write it like https://example.org/ or https://example.org/archive/)"]


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "../../etc/passwd", "''"])
def test_bad_timezone_names_key_and_line(tmp_path, zone):
    errors = errors_of(site(f"timezone: {zone}"), tmp_path)
    assert len(errors) == 1
    assert errors[0].startswith("site.yaml:6: timezone: unknown time zone")


@pytest.mark.parametrize("tag", ["english", "en_US", "'x y'", "'1'", "''"])
def test_bad_language_names_key_and_line(tmp_path, tag):
    errors = errors_of(site(f"language: {tag}"), tmp_path)
    assert len(errors) == 1
    assert errors[0].startswith("site.yaml:6: language: ") and "is not a BCP 47 language tag" in errors[0]


def test_bad_language_in_strings_table(tmp_path):
    errors = errors_of(site("strings:", "  english:", "    more: More"), tmp_path)
    assert errors == ["site.yaml:7: strings.english: 'english' is not a BCP 47 language tag"]


def test_unknown_permalink_placeholder_is_named(tmp_path):
    errors = errors_of(site("permalinks:", "  article: /{section}/{year}/{slug}/"), tmp_path)
    assert errors == ["site.yaml:7: permalinks.article: unknown placeholder {year} "
                      "(available: {dd}, {lang}, {mm}, {section}, {slug}, {yyyy})"]


def test_permalink_without_slug_is_refused(tmp_path):
    errors = errors_of(site("permalinks:", "  article: /{section}/{yyyy}/{mm}/"), tmp_path)
    assert errors == ["site.yaml:7: permalinks.article: must contain {slug}, or articles would share one URL"]


@pytest.mark.parametrize("pattern", ["'{section}/{slug}/'", "/{section}/{slug}"])
def test_permalink_must_start_and_end_with_slash(tmp_path, pattern):
    errors = errors_of(site("permalinks:", f"  article: {pattern}"), tmp_path)
    assert len(errors) == 1
    assert errors[0].startswith("site.yaml:7: permalinks.article: must start and end with '/'")


def test_duplicate_section_key_points_at_the_second_one(tmp_path):
    errors = errors_of(site("  - key: politics", "    title: More politics"), tmp_path)
    assert errors == ["site.yaml:6: sections.1.key: duplicate key 'politics'"]


def test_duplicate_author_key(tmp_path):
    errors = errors_of(site("authors:", "  - key: anna", "    name: Anna", "  - key: anna", "    name: Anna B"),
                       tmp_path)
    assert errors == ["site.yaml:9: authors.1.key: duplicate key 'anna'"]


@pytest.mark.parametrize("key", ["Politics", "world_news", "-news", "news/local", "новости"])
def test_invalid_section_key_is_refused(tmp_path, key):
    errors = errors_of(site(f"  - key: {key}", "    title: X"), tmp_path)
    assert errors == [f"site.yaml:6: sections.1.key: '{key}' is not a valid key "
                      "(use lowercase letters, digits and hyphens; it becomes part of URLs)"]


def test_duplicate_yaml_key_is_an_error_at_its_line(tmp_path):
    errors = errors_of(site("title: Again"), tmp_path)
    assert errors == ["site.yaml:6: duplicate key 'title'"]


def test_yaml_syntax_error_points_at_the_line(tmp_path):
    errors = errors_of(site("sections: [unclosed"), tmp_path)
    assert len(errors) == 1 and errors[0].startswith("site.yaml:") and "invalid YAML" in errors[0]
    line = int(errors[0].split(":")[1])
    assert line in (6, 7)


def test_empty_file_is_an_error(tmp_path):
    assert errors_of("", tmp_path) == ["site.yaml:1: expected a mapping of keys, got nothing"]


def test_all_errors_are_reported_together(tmp_path):
    errors = errors_of(site("language: 'x y'", "timezone: Nowhere/City", "titel: x",
                            base_url="ftp://example.org/"), tmp_path)
    fields = [e.split(": ")[1] for e in errors]
    assert fields == ["base_url", "language", "timezone", "titel"]


def test_load_config_without_site_yaml_says_so(tmp_path):
    with pytest.raises(BuildFailed) as failure:
        load_config(tmp_path)
    (error,) = failure.value.errors
    assert error.path == tmp_path / "site.yaml"
    assert error.message == "no site.yaml found"


def test_load_config_refuses_non_utf8(tmp_path):
    (tmp_path / "site.yaml").write_bytes("title: Caf\xe9\n".encode("latin-1"))
    with pytest.raises(BuildFailed) as failure:
        load_config(tmp_path)
    assert failure.value.errors[0].message.startswith("not UTF-8 text")


def test_content_headings_and_links_outside_are_read(tmp_path):
    config = parse_config(site("content: {headings: shift}", "links:", "  outside: [/contact/, /guides]"), tmp_path)
    assert config.shift_headings is True
    assert config.links_outside == ("/contact/", "/guides")
    plain = parse_config(site(), tmp_path)
    assert (plain.shift_headings, plain.links_outside) == (False, ())


def test_content_headings_and_links_outside_are_validated(tmp_path):
    errors = errors_of(site("content: {headings: demote}", "links:", "  outside: [contact/, 'https://x.org/a']"),
                       tmp_path)
    assert errors[0].startswith("site.yaml:6: content.headings: 'demote' is not one of: keep, shift")
    assert errors[1].startswith("site.yaml:8: links.outside.0: 'contact/' is not a path of this host")
    assert errors[2].startswith("site.yaml:8: links.outside.1: 'https://x.org/a' is not a path of this host")
