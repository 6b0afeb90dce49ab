"""Splitting an article into front matter and body, with the body's first file line."""

from __future__ import annotations

import pytest

from builder.content.frontmatter import FrontMatterError, split_front_matter


def test_split_gives_fields_body_and_body_line():
    split = split_front_matter("---\ntitle: Hello\nsection: politics\n---\n\nBody.\n")
    assert split.meta.data == {"title": "Hello", "section": "politics"}
    assert split.body == "\nBody.\n"
    assert split.body_line == 5  # the line after the closing fence


def test_front_matter_lines_are_file_lines():
    split = split_front_matter("---\ntitle: Hello\nsection: politics\n---\nBody\n")
    assert split.meta.line("title") == 2
    assert split.meta.line("section") == 3


def test_dots_close_front_matter():
    split = split_front_matter("---\ntitle: Hello\n...\nBody\n")
    assert split.meta.data == {"title": "Hello"}
    assert split.body == "Body\n"
    assert split.body_line == 4


def test_fence_with_trailing_spaces_is_accepted():
    split = split_front_matter("---  \ntitle: Hello\n--- \nBody")
    assert split.meta.data == {"title": "Hello"}


def test_thematic_break_in_body_stays_in_body():
    split = split_front_matter("---\ntitle: Hello\n---\nOne\n\n---\n\nTwo\n")
    assert "---" in split.body and "Two" in split.body


def test_missing_front_matter_is_an_error_at_line_1():
    with pytest.raises(FrontMatterError) as exc:
        split_front_matter("title: Hello\n\nBody\n")
    assert exc.value.line == 1
    assert str(exc.value) == "the file has no front matter"


def test_unclosed_front_matter_is_an_error():
    with pytest.raises(FrontMatterError) as exc:
        split_front_matter("---\ntitle: Hello\n\nBody\n")
    assert str(exc.value) == "the front matter is never closed"


def test_empty_front_matter_gives_no_data():
    split = split_front_matter("---\n---\nBody\n")
    assert split.meta.data is None
    assert split.body_line == 3
