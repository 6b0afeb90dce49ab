"""Fast-check findings name the line of the Markdown source the offending markup came from."""

from __future__ import annotations

import pytest

from builder.checks.fast import SourceLines
from builder.checks.page import check_page

SOURCE = """\
---
title: Bazaar
language: en
---
The car park near the bazaar is full; english is spoken here.

<p class="quote" lang='english'>Hello there.</p>

Marhaba, said the man from the market.
{lang=ar}
"""


@pytest.fixture
def site(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content/bazaar.md").write_text(SOURCE, encoding="utf-8")
    return tmp_path


def _lines(site, html):
    return {f.rule: f.line for f in check_page("bazaar/index.html", html, ("content/bazaar.md",), site_dir=site)}


def test_lang_findings_point_at_the_attribute_not_at_the_word(site):
    html = ('<!doctype html><html lang="en"><body><main>\n<p>The car park near the bazaar</p>\n'
            '<p class="quote" lang="english">Hello there.</p>\n<p lang="ar">Marhaba</p>\n</main></body></html>')
    # 'english' and 'ar' are also words of line 5; the attributes are on lines 7 and 10.
    assert _lines(site, html) == {"lang-invalid": 7, "dir-missing": 10}


def test_a_lang_written_nowhere_as_an_attribute_falls_back_to_the_text(site):
    html = '<!doctype html><html lang="en"><body><p lang="english">x</p></body></html>'
    (site / "content/bazaar.md").write_text("Plain english.\n", encoding="utf-8")
    assert _lines(site, html) == {"lang-invalid": 1}


@pytest.mark.parametrize("written", ['lang="ar"', "lang='ar'", "lang=ar", "{lang=ar}", '{: lang="ar" }',
                                     "{: .x lang=ar}", "<p LANG = ar>"])
def test_find_attribute_as_written(tmp_path, written):
    (tmp_path / "a.md").write_text(f"car\nbazaar ar\n{written}\n", encoding="utf-8")
    assert SourceLines(tmp_path, "a.md").find_attribute("lang", "ar") == 3


@pytest.mark.parametrize("written", ["lang=arz", 'hreflang="ar"', "data-lang=ar", 'lang="ar-EG"', "slang=ar"])
def test_find_attribute_needs_the_whole_attribute(tmp_path, written):
    (tmp_path / "a.md").write_text(f"{written}\n", encoding="utf-8")
    assert SourceLines(tmp_path, "a.md").find_attribute("lang", "ar") is None


def test_a_raw_image_without_alt_points_at_its_body_line_not_a_title_quoting_it(build_site):
    from builder.errors import BuildFailed

    text = ("---\ntitle: 'How <img src=\"/news/x.png\"> is written'\ndate: 2024-03-05T09:30:00+04:00\n"
            "section: politics\n---\n\nIntro.\n\n<img src=\"/news/x.png\">\n")
    with pytest.raises(BuildFailed) as failed:
        build_site({"static/x.png": b"\x89PNG\r\n\x1a\n", "content/politics/a.md": text})
    (error,) = [e for e in failed.value.errors if e.field == "img-alt"]
    assert (str(error.path), error.line) == ("content/politics/a.md", 9)
