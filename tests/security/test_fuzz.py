"""Random front matter and Markdown: never a traceback, always an article or file:line errors, and
a failed build leaves the output as it was.

Deep nesting, huge values, odd encodings, extreme dates, YAML tricks and raw HTML, a few hundred
examples at the parse stage and a few dozen whole builds: seconds, not minutes (the examples are
derandomized so that CI runs the same ones every time).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.build.pipeline import BuildOptions, build
from builder.content.article import Article
from builder.content.sources import SourceEntry, read_source
from builder.errors import BuildError, BuildFailed
from tests.support.builds import FIXED_NOW, article, site_yaml
from tests.support.files import site_state, write_files

ODD_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
DATES = st.one_of(
    st.sampled_from(["2024-03-05", "9999-12-31", "0001-01-01T00:00+14:00", "2024-02-30", "2024-03-05T25:00",
                     "1970-01-01T00:00:00Z", "99999-01-01", "2024-03-05T09:30:00+04:00", "-1", "", "now"]),
    st.datetimes(timezones=st.none() | st.timezones()).map(lambda d: d.isoformat()),
    st.dates().map(str), st.integers(), st.floats(allow_nan=True),
)
VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | ODD_TEXT | DATES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ODD_TEXT, inner, max_size=3), max_leaves=6)
RAW_YAML = st.sampled_from([
    "title: [unclosed", "title: !!python/object:os.system ls", "tags: &a [x, *a]", "? [complex]\n: key",
    "title: 'quote", "title:\tTab", "date: 2024-03-05\ndate: 2024-03-06", "image: {src: /x.png}", "lang: x-☃",
    "aliases: [//evil.example/]", "slug: ../up", "authors: [{name: x}]", "corrections: [{date: 9999-12-31, text: t}]",
    "summary: " + "long " * 5000, "title: " + "&a " * 3, "%YAML 9.9",
])
BODIES = st.one_of(
    ODD_TEXT,
    st.integers(1, 200).map(lambda n: ">" * n + " deep\n"),
    st.integers(1, 120).map(lambda n: "".join("  " * i + f"- item {i}\n" for i in range(n))),
    st.sampled_from(["<!-- open", "<textarea>", "<script>alert(1)</script>", "<iframe src=x>", "# H1\n",
                     "![](/missing.png)", "[x](javascript:alert(1))", "<plaintext>", "| a |\n|--|\n| b |",
                     "[^1]\n\n[^1]: note", "```\nunclosed fence", "[w]{style=\"position:fixed\" onclick=x}",
                     "x" * 100_000, "\x00\x01\x7f", "\u202e\u2066rtl"]),
)


@st.composite
def front_matter(draw) -> str:
    fields = {"title": draw(ODD_TEXT | VALUE), "date": draw(DATES), "section": draw(st.sampled_from(
        ["politics", "culture", "nope", ""]))}
    for key in draw(st.lists(st.sampled_from(["updated", "tags", "authors", "summary", "lang", "slug", "draft",
                                              "image", "expires", "corrections", "aliases", "unknown"]),
                             max_size=5, unique=True)):
        fields[key] = draw(VALUE)
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False, default=str)}" for key, value in fields.items()]
    if draw(st.booleans()):
        lines.append(draw(RAW_YAML))
    return "---\n" + "\n".join(lines) + "\n---\n\n" + draw(BODIES) + "\n" + draw(BODIES)


def _check_errors(errors: list[BuildError]) -> None:
    assert errors
    for error in errors:
        assert isinstance(error, BuildError) and error.path is not None, error
        assert error.message, error


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(text=front_matter())
def test_parsing_random_articles_gives_an_article_or_errors_with_their_place(parse, text):
    result = parse(text)
    if not isinstance(result, Article):
        _check_errors(result)
        assert all(e.line for e in result), [str(e) for e in result if not e.line]
        assert all(str(e.path) == "content/politics/council-vote.md" for e in result)


@settings(max_examples=50, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(data=st.binary(max_size=200) | st.sampled_from([
    "---\ntitle: Ü\n---\n".encode("utf-16"), "---\ntitle: café\n---\n".encode("latin-1"),
    b"\xef\xbb\xbf---\ntitle: BOM\n---\n", b"\xff\xfe\x00", b"title: x\r\n"]))
def test_any_bytes_read_as_an_article_or_a_file_line_error(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("bytes")
    file = folder / "x.md"
    file.write_bytes(data)
    result = read_source(SourceEntry(str(file), "content/x.md", len(data), 0))
    if isinstance(result, BuildError):
        assert result.path == Path("content/x.md") and result.line and "UTF-8" in result.message


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> Path:
    site = write_files(tmp_path_factory.mktemp("fuzz") / "site", {
        "site.yaml": site_yaml(), "static/x.png": b"\x89PNG\r\n\x1a\n",
        "content/politics/steady.md": article("Steady", "2024-03-01T09:00:00+04:00", tags=["steady"])})
    build(BuildOptions(site, output_dir=site.parent / "out", now=FIXED_NOW, jobs=1))
    return site


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(text=front_matter())
def test_a_random_article_builds_or_fails_with_the_output_untouched(built_site, text):
    out = built_site.parent / "out"
    fuzzed = built_site / "content" / "politics" / f"fuzz-{hashlib.sha256(text.encode()).hexdigest()[:8]}.md"
    before = site_state(out)
    fuzzed.write_text(text, encoding="utf-8")
    try:
        build(BuildOptions(built_site, output_dir=out, now=FIXED_NOW, jobs=1, future=True))
    except BuildFailed as failed:
        _check_errors(failed.errors)
        assert site_state(out) == before
    finally:
        fuzzed.unlink()
