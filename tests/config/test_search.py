"""`search:` in site.yaml: on by default, a boolean, and the folders it takes are not a section's."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.config.search import search_page_path
from builder.config.site import parse_config
from builder.errors import BuildFailed

SHOWN = Path("site.yaml")


def site(*extra: str, section: str = "politics") -> str:
    return "\n".join([
        "title: Test Gazette",                # 1
        "base_url: https://example.org/",     # 2
        "sections:",                          # 3
        f"  - key: {section}",                # 4
        "    title: A section",               # 5
        *extra,                               # 6...
    ]) + "\n"


def errors_of(text: str, tmp_path: Path) -> list[str]:
    with pytest.raises(BuildFailed) as failure:
        parse_config(text, tmp_path, SHOWN)
    return [str(e) for e in failure.value.errors]


def test_search_is_on_unless_the_site_turns_it_off(tmp_path):
    assert parse_config(site(), tmp_path).search.enabled is True
    assert parse_config(site("search:", "  enabled: true"), tmp_path).search.enabled is True
    assert parse_config(site("search: {enabled: false}"), tmp_path).search.enabled is False


def test_enabled_must_be_true_or_false(tmp_path):
    errors = errors_of(site("search:", "  enabled: yes please"), tmp_path)
    assert len(errors) == 1
    assert errors[0].startswith("site.yaml:7: search.enabled: expected true or false, got 'yes please'")


def test_an_unknown_search_key_is_an_error(tmp_path):
    errors = errors_of(site("search:", "  enable: false"), tmp_path)
    assert len(errors) == 1
    assert errors[0].startswith("site.yaml:7: search.enable: unknown key 'enable' (did you mean 'enabled'?")


@pytest.mark.parametrize("key", ["search", "pagefind"])
def test_a_section_may_not_take_the_search_folders_while_search_is_on(tmp_path, key):
    errors = errors_of(site(section=key), tmp_path)
    assert len(errors) == 1
    assert errors[0].startswith(f"site.yaml:4: sections.0.key: '{key}' is used by the site's search")
    assert "search: {enabled: false}" in errors[0]
    # Without search the folder is free, as it was before search existed.
    assert parse_config(site("search: {enabled: false}", section=key), tmp_path).sections[0].key == key


def test_each_language_has_its_search_page():
    assert search_page_path("en", "en") == "search/"
    assert search_page_path("en", "EN") == "search/"
    assert search_page_path("en", "hy") == "search/hy/"
    assert search_page_path("hy", "en") == "search/en/"
    assert search_page_path("en", "pt-BR") == "search/pt-br/"
