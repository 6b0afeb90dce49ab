"""template_sources: the references found per template source are kept in bytecode_dir between processes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jinja2
import pytest

from builder.render import templates
from builder.render.templates import ReferenceMemo, make_environment, template_sources
from builder.render.theme import load_theme

THEME = {
    "page.html": '{% extends "base.html" %}{% import "macros.html" as m %}{% block body %}{{ m.x() }}{% endblock %}',
    "base.html": '<body>{% include "nav.html" %}{% block body %}{% endblock %}</body>',
    "nav.html": "<nav></nav>",
    "macros.html": "{% macro x() %}x{% endmacro %}",
    "computed.html": "{% include name %}",
    "broken.html": "{% if %}",
    "dangling.html": '{% include "missing.html" %}',
}
PAGES = ("page.html", "computed.html", "broken.html", "dangling.html")


@pytest.fixture
def site(config):
    """The fixture config's site, with a theme of its own in themes/default/templates."""
    write_templates(config.site_dir / "themes/default/templates", THEME)
    return config


def write_templates(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def new_process() -> None:
    """Forget what this process has learned, as a fresh build process would not know it."""
    templates._environment.cache_clear()
    templates._reference_memo.cache_clear()
    templates._referenced_templates.cache_clear()


@pytest.fixture(autouse=True)
def _isolated():
    new_process()
    yield
    new_process()


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """The sources jinja2.Environment.parse is called with, from now on."""
    calls: list[str] = []
    original = jinja2.Environment.parse

    def parse(self, source, *args, **kwargs):
        calls.append(source)
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "parse", parse)
    return calls


def sources(config, bytecode_dir: Path | None) -> dict[str, list[tuple[str, str]]]:
    env = make_environment(config, load_theme(config), bytecode_dir)
    return {page: template_sources(env, page) for page in PAGES}


def without_memo(config) -> dict[str, list[tuple[str, str]]]:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(config.site_dir / "themes/default/templates")))
    return {page: template_sources(env, page) for page in PAGES}


def memo_file(bytecode_dir: Path) -> dict:
    return json.loads((bytecode_dir / ReferenceMemo.FILE).read_text(encoding="utf-8"))


def test_the_memo_gives_what_parsing_gives(site, tmp_path):
    expected = without_memo(site)
    assert [n for n, _ in expected["page.html"]] == ["base.html", "macros.html", "nav.html", "page.html"]
    assert [n for n, _ in expected["computed.html"]] == sorted(THEME)  # a computed name: every template
    assert expected["dangling.html"] == [("dangling.html", THEME["dangling.html"]), ("missing.html", "")]
    assert sources(site, tmp_path / "cache") == expected
    new_process()
    assert sources(site, tmp_path / "cache") == expected  # from the file this time


def test_a_second_process_does_not_parse_again(site, tmp_path, parses, monkeypatch):
    cache = tmp_path / "cache"
    first = sources(site, cache)
    assert len(parses) == len(THEME)  # each template once
    saved = memo_file(cache)
    assert saved["version"] == ReferenceMemo.VERSION
    assert sorted(saved["references"].values(), key=repr) == sorted(
        [["base.html", "macros.html"], ["nav.html"], [], [], [None], None, ["missing.html"]], key=repr)

    new_process()
    parses.clear()
    monkeypatch.setattr(templates.tempfile, "mkstemp", lambda *a, **k: pytest.fail("nothing new: no write"))
    assert sources(site, cache) == first
    assert parses == []


def test_a_changed_template_is_parsed_again(site, tmp_path, parses):
    cache = tmp_path / "cache"
    sources(site, cache)
    write_templates(site.site_dir / "themes/default/templates",
                    {"nav.html": '<nav>{% include "extra.html" %}</nav>', "extra.html": "extra"})
    new_process()
    parses.clear()
    again = sources(site, cache)
    assert [n for n, _ in again["page.html"]] == ["base.html", "extra.html", "macros.html", "nav.html", "page.html"]
    assert sorted(parses) == ["<nav>{% include \"extra.html\" %}</nav>", "extra"]  # only what changed
    assert again == without_memo(site)
    assert ["extra.html"] in memo_file(cache)["references"].values()


def test_a_site_override_is_followed(site, tmp_path):
    cache = tmp_path / "cache"
    sources(site, cache)
    write_templates(site.templates_dir, {"base.html": "<body>{% block body %}{% endblock %}</body>"})
    new_process()
    assert [n for n, _ in sources(site, cache)["page.html"]] == ["base.html", "macros.html", "page.html"]


@pytest.mark.parametrize("content", [
    b"\xff\xfe not utf-8",
    b"{not json",
    b"[" * 100_000,
    b"[]",
    b'{"version": 999, "jinja": "%s", "references": {}}' % jinja2.__version__.encode(),
    b'{"version": 1, "jinja": "0.0", "references": {}}',
    b'{"version": 1, "jinja": "%s", "references": []}' % jinja2.__version__.encode(),
    b'{"version": 1, "jinja": "%s", "references": {"k": 5}}' % jinja2.__version__.encode(),
    b'{"version": 1, "jinja": "%s", "references": {"k": ["a", 3]}}' % jinja2.__version__.encode(),
])
def test_a_corrupt_or_foreign_file_is_ignored_and_rewritten(site, tmp_path, content):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / ReferenceMemo.FILE).write_bytes(content)
    assert sources(site, cache) == without_memo(site)
    assert memo_file(cache)["version"] == ReferenceMemo.VERSION


def test_wrong_references_under_a_known_hash_are_not_trusted_across_versions(site, tmp_path):
    """Entries of an older format are dropped whole, even when they look well formed."""
    cache = tmp_path / "cache"
    sources(site, cache)
    saved = memo_file(cache)
    saved["version"] = ReferenceMemo.VERSION - 1
    saved["references"] = {key: ["nav.html"] for key in saved["references"]}
    (cache / ReferenceMemo.FILE).write_text(json.dumps(saved), encoding="utf-8")
    new_process()
    assert sources(site, cache) == without_memo(site)


def test_a_folder_that_cannot_be_written_does_not_fail(site, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(templates.tempfile, "mkstemp", refuse)
    assert sources(site, tmp_path / "cache") == without_memo(site)
    assert not (tmp_path / "cache" / ReferenceMemo.FILE).exists()


def test_a_memo_path_that_is_a_folder_does_not_fail(site, tmp_path):
    cache = tmp_path / "cache"
    (cache / ReferenceMemo.FILE).mkdir(parents=True)
    assert sources(site, cache) == without_memo(site)
    assert [p.name for p in cache.iterdir()] == [ReferenceMemo.FILE]  # no temp file left behind


def test_a_folder_removed_during_the_build_does_not_fail(site, tmp_path):
    cache = tmp_path / "cache"
    env = make_environment(site, load_theme(site), cache)
    shutil.rmtree(cache)
    assert template_sources(env, "page.html") == without_memo(site)["page.html"]


def test_a_removed_file_is_written_again_by_the_next_build_of_a_long_running_process(site, tmp_path):
    cache = tmp_path / "cache"
    sources(site, cache)
    (cache / ReferenceMemo.FILE).unlink()
    sources(site, cache)  # the same process (serve): it knows every reference, the file does not
    assert len(memo_file(cache)["references"]) == len(THEME)


def test_each_folder_has_its_own_memo(site, tmp_path, parses):
    a, b = tmp_path / "a", tmp_path / "b"
    env_a = make_environment(site, load_theme(site), a)
    assert make_environment(site, load_theme(site), a).reference_memo is env_a.reference_memo
    assert make_environment(site, load_theme(site), b).reference_memo is not env_a.reference_memo
    sources(site, a)
    new_process()
    parses.clear()
    assert sources(site, b) == without_memo(site)
    assert parses  # b's folder has no file yet
    assert memo_file(a) == memo_file(b)


def test_the_file_keeps_the_most_recently_used_entries(site, tmp_path, monkeypatch):
    monkeypatch.setattr(ReferenceMemo, "MAX_ENTRIES", 3)
    cache = tmp_path / "cache"
    env = make_environment(site, load_theme(site), cache)
    template_sources(env, "page.html")  # page, base, macros, nav: the first one learned is dropped
    assert len(memo_file(cache)["references"]) == 3
    assert template_sources(env, "page.html") == without_memo(site)["page.html"]


def test_an_environment_without_a_folder_has_no_memo(site, parses):
    env = make_environment(site, load_theme(site))
    assert getattr(env, "reference_memo", None) is None
    template_sources(env, "page.html")
    template_sources(env, "page.html")
    assert len(parses) == 4  # still kept in the process
