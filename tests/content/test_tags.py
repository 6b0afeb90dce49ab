"""Tag names and their addresses: names that differ only in case are one tag; names that differ
otherwise but share an address ('C' and 'C++', both /tags/c/) are errors with both files and lines.

Before, C and C++ both went to /tags/c/, and C++ disappeared from an article that had both.
"""

from __future__ import annotations

import pytest

from builder.errors import BuildFailed
from tests.support.builds import article, teaser_links


def _errors(build_site, files) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        build_site(files)
    return [str(e) for e in failed.value.errors]


def test_c_and_cpp_in_two_articles_are_an_error_naming_both_files_and_lines(build_site):
    errors = _errors(build_site, {
        "content/politics/a.md": article("A", "2024-03-01T09:00:00+04:00", tags=["C"]),
        "content/politics/b.md": article("B", "2024-03-02T09:00:00+04:00", tags=["budget", "C++"]),
    })
    assert errors == ["content/politics/b.md:5: tags: 'C++' and 'C' (content/politics/a.md:5) would share one tag "
                      "page, /tags/c/ (a tag's address keeps only its letters and digits: rename one so that they "
                      "differ there, e.g. 'C++' as 'Cpp')"]


def test_c_and_cpp_in_one_article_are_an_error_at_the_second(parse):
    text = "---\ntitle: T\ndate: 2024-03-05\nsection: politics\ntags:\n  - C\n  - C++\n---\n\nBody.\n"
    (error,) = parse(text)
    assert (error.line, error.field) == (7, "tags.1") and "'C++' and 'C' would share one tag page" in error.message


def test_names_that_differ_only_in_case_or_spacing_are_one_tag(build_site):
    built = build_site({
        "content/politics/a.md": article("A", "2024-03-01T09:00:00+04:00", tags=["Budget", "Երևան"]),
        "content/politics/b.md": article("B", "2024-03-02T09:00:00+04:00", tags=["budget", "ԵՐԵՎԱՆ", "BUDGET"]),
    })
    assert built.exists("tags/budget/") and built.exists("tags/երևան/")
    assert len(teaser_links(built.html("tags/budget/"))) == 2


def test_a_clashing_name_is_reported_once_however_many_articles_use_it(build_site):
    files = {f"content/politics/c{n}.md": article(f"C {n}", f"2024-03-0{n + 1}T09:00:00+04:00", tags=["C"])
             for n in range(3)}
    files |= {f"content/politics/p{n}.md": article(f"P {n}", f"2024-04-0{n + 1}T09:00:00+04:00", tags=["C++"])
              for n in range(3)}
    assert len(_errors(build_site, files)) == 1


def test_addresses_that_differ_only_in_case_are_an_error(build_site):
    errors = _errors(build_site, {
        "content/politics/a.md": article("A", "2024-03-01T09:00:00+04:00", slug="Same"),
        "content/politics/b.md": article("B", "2024-03-02T09:00:00+04:00", slug="same"),
    })
    assert len(errors) == 1
    assert "politics/2024/03/Same/index.html and politics/2024/03/same/index.html differ only in case" in errors[0]
    assert "content/politics/a.md" in errors[0] and "content/politics/b.md" in errors[0]
