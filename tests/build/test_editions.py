"""Whole builds of a site with editions: bad input stops the build and leaves output/ as it was;
adding a translation re-renders its siblings and nothing unrelated."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from builder.build.pipeline import BuildOptions, build
from builder.errors import BuildFailed
from tests.support.editions import SITE_YAML, article, files
from tests.support.files import tree, write_files

NOW = datetime(2024, 6, 1, tzinfo=UTC)


@pytest.fixture
def built(tmp_path):
    site = write_files(tmp_path / "site", files())
    out = tmp_path / "out"
    build(BuildOptions(site, output_dir=out, now=NOW, jobs=1))
    return site, out


def rebuild(site, out):
    return build(BuildOptions(site, output_dir=out, now=NOW, jobs=1))


@pytest.mark.parametrize(("change", "expected"), [
    (SITE_YAML.replace("  - code: ar\n", "  - code: xx\n"), "languages.2.code: 'xx' is not a language code CLDR knows"),
    (SITE_YAML.replace("    prefix: ar\n", "    prefix: en\n"), "languages.2.prefix: 'en' is also the prefix of the en"),
    (SITE_YAML.replace("    prefix: ar\n", "    prefix: culture\n"), "languages.2.prefix: 'culture' is also a section's key"),
])
def test_bad_site_yaml_names_line_and_field_and_leaves_the_output(built, change, expected):
    site, out = built
    before = tree(out)
    (site / "site.yaml").write_text(change, encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        rebuild(site, out)
    (error,) = failure.value.errors
    assert str(error).startswith(f"{site.resolve() / 'site.yaml'}:") and expected in str(error)
    assert error.line and error.line > 20
    assert tree(out) == before


def test_a_translation_key_used_twice_in_one_edition_stops_the_build_and_leaves_the_output(built):
    site, out = built
    before = tree(out)
    (site / "content/politics/budget-en-copy.md").write_text(
        article("Council approves the budget, again", lang="en", key="budget"), encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        rebuild(site, out)
    (error,) = failure.value.errors
    # Both files and lines are named: the error's own, and the other in its message.
    assert (str(error.path), error.line, error.field) == ("content/politics/budget-en.md", 8, "translation_key")
    assert "content/politics/budget-en-copy.md:8, in the same edition (en)" in error.message
    assert tree(out) == before


def test_adding_a_translation_renders_its_siblings_again_and_equals_a_clean_build(built, tmp_path):
    site, out = built
    before = tree(out)
    (site / "content/politics/only-en.md").write_text(
        article("A story told only in English", lang="en", date="2024-02-01", key="only"), encoding="utf-8")
    (site / "content/politics/only-ar.md").write_text(
        article("قصة كانت بالإنجليزية فقط", lang="ar", date="2024-02-01", key="only"), encoding="utf-8")
    result = rebuild(site, out)
    after = tree(out)
    changed = {path for path in after if before.get(path) != after[path]}
    assert "en/politics/2024/02/only-en/index.html" in changed  # its switcher and hreflang
    assert "ar/politics/2024/02/only-ar/index.html" in changed
    assert "en/politics/2024/03/budget-en/index.html" not in changed  # unrelated: its neighbours are the same
    assert 'hreflang="ar"' in (out / "en/politics/2024/02/only-en/index.html").read_text(encoding="utf-8")
    assert result.rendered < len(after) / 2
    clean = tmp_path / "clean"
    build(BuildOptions(site, output_dir=clean, now=NOW, jobs=1))
    assert tree(clean) == after
