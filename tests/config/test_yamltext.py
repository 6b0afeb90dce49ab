"""YAML that remembers lines, and reads booleans as YAML 1.2 does."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import builder.config.yamltext as yamltext
from builder.config.yamltext import YamlSyntaxError, parse_yaml
from builder.content.frontmatter import FENCE

REPO = Path(__file__).resolve().parents[2]
LOADERS = [yamltext._PureLoader] + ([yamltext._CLoader] if hasattr(yamltext, "_CLoader") else [])


@pytest.fixture(autouse=True, params=LOADERS, ids=lambda loader: loader.__name__)
def loader(request, monkeypatch):
    """Every test runs with libyaml's parser (the default when present) and with the pure-Python one."""
    monkeypatch.setattr(yamltext, "_Loader", request.param)
    return request.param

DOC = """\
title: Hello
image:
  src: /a.jpg
  alt: A picture
tags:
  - one
  - two
"""


def test_lines_of_keys_and_list_items():
    doc = parse_yaml(DOC)
    assert doc.line("title") == 1
    assert doc.line("image") == 2
    assert doc.line("image", "alt") == 4
    assert doc.line("tags") == 5
    assert doc.line("tags", 1) == 7


def test_first_line_offsets_every_line():
    doc = parse_yaml(DOC, first_line=2)
    assert doc.line("title") == 2
    assert doc.line("image", "alt") == 5
    assert doc.line("tags", 0) == 7


def test_missing_key_falls_back_to_its_deepest_known_parent():
    doc = parse_yaml(DOC)
    assert doc.line("image", "caption") == 2
    assert doc.line("nothing", "here") == 1  # the document itself


def test_data_is_plain_python():
    assert parse_yaml(DOC).data == {"title": "Hello", "image": {"src": "/a.jpg", "alt": "A picture"},
                                    "tags": ["one", "two"]}


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "y", "n", "Yes", "NO", "On", "OFF"])
def test_yaml_11_boolean_words_are_strings(word):
    assert parse_yaml(f"lang: {word}").data == {"lang": word}


@pytest.mark.parametrize("word, value", [("true", True), ("false", False), ("True", True), ("FALSE", False)])
def test_true_and_false_are_booleans(word, value):
    assert parse_yaml(f"draft: {word}").data["draft"] is value


@pytest.mark.parametrize("text", ["2024-03-05", "2024-03-05T09:30:00+04:00", "2024-03-05 09:30"])
def test_timestamps_stay_text(text):
    assert parse_yaml(f"date: {text}").data == {"date": text}


def test_numbers_and_null_are_still_typed():
    assert parse_yaml("a: 3\nb: 1.5\nc: ~\nd:").data == {"a": 3, "b": 1.5, "c": None, "d": None}


def test_non_string_keys_become_strings():
    assert parse_yaml("1: one\ntrue: yes").data == {"1": "one", "True": "yes"}


def test_duplicate_key_is_an_error_at_the_second_key():
    with pytest.raises(YamlSyntaxError) as exc:
        parse_yaml("title: a\nsummary: b\ntitle: c\n", first_line=2)
    assert exc.value.line == 4
    assert "duplicate key 'title'" in str(exc.value)


def test_duplicate_key_in_nested_mapping_is_an_error():
    with pytest.raises(YamlSyntaxError) as exc:
        parse_yaml("image:\n  alt: a\n  alt: b\n")
    assert exc.value.line == 3


def test_syntax_error_line_counts_from_first_line():
    with pytest.raises(YamlSyntaxError) as exc:
        parse_yaml("title: a\ntags: [one, two\nsummary: x\n", first_line=10)
    assert str(exc.value).startswith("invalid YAML")
    assert exc.value.line is not None and 11 <= exc.value.line <= 13


def test_empty_document_has_no_data_but_a_line():
    doc = parse_yaml("", first_line=2)
    assert doc.data is None
    assert doc.line("title") == 2


def test_merge_keys_are_followed():
    doc = parse_yaml("base: &b\n  a: 1\nderived:\n  <<: *b\n  c: 2\n")
    assert doc.data["derived"] == {"a": 1, "c": 2}


def test_python_tags_on_values_are_refused():
    with pytest.raises(YamlSyntaxError):
        parse_yaml("x: !!python/name:os.system")


def test_python_tags_on_lists_build_plain_data_only():
    assert parse_yaml("x: !!python/object/apply:os.system ['true']").data == {"x": ["true"]}


def test_libyaml_is_used_when_pyyaml_has_it():
    if yaml.__with_libyaml__:
        assert issubclass(yamltext._CLoader, yaml.CSafeLoader)


def _front_matters():
    for path in sorted((REPO / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip() == FENCE)
        yield path.name, "\n".join(lines[1:end])


BROKEN = ["title: a\ntags: [one, two\nsummary: x\n", "a: b: c\n", "title: 'open\n", "- a\nb: c\n",
          "x:\n  - a\n - b\n", "k: &a 1\nj: *nope\n", "\tx: 1\n"]


def test_both_parsers_agree_on_every_example_article():
    for name, text in _front_matters():
        pure = parse_yaml(text, 2, loader_class=yamltext._PureLoader)
        fast = parse_yaml(text, 2)
        assert (fast.data, fast.lines) == (pure.data, pure.lines), name


@pytest.mark.parametrize("text", BROKEN)
def test_both_parsers_fail_on_the_same_line(text):
    with pytest.raises(YamlSyntaxError) as pure:
        parse_yaml(text, 5, loader_class=yamltext._PureLoader)
    with pytest.raises(YamlSyntaxError) as fast:
        parse_yaml(text, 5)
    assert fast.value.line == pure.value.line


@pytest.mark.parametrize(("text", "line"), [
    ("tags: &a [x, *a]\n", 1), ("a: 1\nb: &b\n  c: *b\n", 2),
    ("a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n" for p, n in zip("abcdef", "bcdefg", strict=True)), None),
    ("? &k [*k]\n: v\n", None), ("x: " + "[" * 5000 + "]" * 5000 + "\n", None),
])
def test_self_referring_and_exploding_yaml_is_an_error_not_a_crash(text, line):
    with pytest.raises(YamlSyntaxError) as error:
        parse_yaml(text)
    if line is not None:
        assert error.value.line == line
