"""Reading a page with the cached parts it is made of finds exactly what reading it whole finds.

A part (builder.checks.page._Part) is read once and its result used wherever the same text appears
in the same state; what depends on the rest of the page (duplicate ids, #targets, heading order)
is still judged on the page. Every test compares the two readings; some also check that the parts
were really used, so the comparisons are not between two whole readings.
"""

from __future__ import annotations

from datetime import UTC

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.checks import page
from builder.checks.page import read_page

from .test_tokens import ATTRS, TEXT
from .test_tokens import pieces as random_pieces


@pytest.fixture(autouse=True)
def _fresh_parts():
    page._PARTS.clear()
    yield
    page._PARTS.clear()


def reading(html: str, parts=()) -> tuple:
    reader = read_page(html, parts)
    return sorted(reader.scan.ids), reader.scan.links, reader.found, reader.seen_html


def same(html: str, parts: list[str]) -> None:
    assert reading(html, parts) == reading(html)


HEADER = ('<nav class="skip" aria-label="Skip"><ul><li><a href="#main">Skip to content</a></li>\n'
          '<li><a href="#nav">Skip to navigation</a></li></ul></nav>\n'
          '<header id="top"><nav id="nav"><a href="/">Home</a> <a href="/world/" aria-current="page">World</a></nav>'
          '</header>')
TEASER = ('<li class="teaser" lang="{lang}" dir="{dir}">\n<h2><a href="/a/{n}/">Headline {n}</a></h2>\n'
          '<p><time datetime="2024-05-0{n}">May {n}</time></p>\n<img src="/i/{n}.jpg" alt="">\n</li>')
FOOTER = '<footer>\n<p>The Daily</p>\n<a href="/archive/">Archive</a>\n</footer>'


def listing(teasers: list[str], main: str = "") -> str:
    return ('<!doctype html>\n<html lang="en" dir="ltr">\n<head><title>T</title></head>\n<body>\n' + HEADER
            + f'\n<main id="main">\n<h1>World</h1>{main}\n<ul>\n' + "\n".join(teasers) + "\n</ul>\n</main>\n"
            + FOOTER + "\n</body>\n</html>\n")


def test_a_listing_reads_the_same_and_uses_its_parts():
    teasers = [TEASER.format(n=n, lang="en", dir="ltr") for n in range(1, 4)]
    html = listing(teasers)
    same(html, [HEADER, *teasers, FOOTER])
    used = [p for p in page._PARTS.values() if p is not None]
    assert len(used) == 5


def test_duplicate_ids_across_parts_and_page_are_found_where_the_part_is():
    part = '<section id="box"><h2 id="dup">In the part</h2></section>'
    html = listing([], main=f'\n<p id="dup">before</p>\n{part}\n{part}\n')
    same(html, [part, part])
    rules = [(f[0], f[2]) for f in read_page(html, [part, part]).found]
    assert ("duplicate-id", html[:html.index(part)].count("\n") + 1) in rules
    assert sum(rule == "duplicate-id" for rule, _ in rules) == 3  # dup twice in the parts, box once


def test_heading_order_and_a_second_h1_are_judged_across_parts():
    part = '<div class="card"><h1>Again</h1><h4>Deep</h4></div>'
    html = listing([], main="\n" + part + "\n<h3>After</h3>\n" + part)
    same(html, [part, part])
    assert {f[0] for f in read_page(html, [part]).found} == {"multiple-h1", "heading-order"}


def test_skip_link_targets_inside_and_outside_parts():
    part = '<nav><a href="#main">to main</a><a href="#nowhere">lost</a><span id="here"></span></nav>'
    html = listing([], main=f'\n{part}\n<a href="#here">here</a>')
    same(html, [part, HEADER])
    assert [f[0] for f in read_page(html, [part]).found] == ["skip-link-target"]


def test_a_part_in_another_state_is_read_in_that_state():
    """dir and hidden come from around the part: the same text gives other findings."""
    part = '<p lang="ar">مرحبا</p>'
    image = '<span><img src="/x.png"></span>'
    html = listing([], main=f'\n{part}\n<div dir="rtl">{part}</div>\n{image}<div aria-hidden="true">{image}</div>')
    same(html, [part, part, image, image])
    assert [f[0] for f in read_page(html, [part, part, image, image]).found] == ["dir-missing", "img-alt"]


@pytest.mark.parametrize("before, part, after", [
    ('<a href="/x">', "<span><b></b></span>", "</a>"),  # inside a link: its name comes from the part
    ("<h2>", "<span>Title</span>", "</h2>"),  # inside a heading: its text comes from the part
    ("<figure>", '<span><img src="/p.png" alt="A cat"></span>', "<figcaption>A cat</figcaption></figure>"),  # a figure
    ("<figure><figcaption>", "<em>Cat</em>", "</figcaption></figure>"),
    ("<div>", "<p>a</div>", "<a href='/x'></a>"),  # closes an element it did not open
    ("<div>", "<p><!-- c --></p>", ""),  # a comment could end outside the part
    ("<div>", "<section><p>open", "</section>"),  # leaves an element open
    ("<p>", "text <b>bold</b>", "</p>"),  # starts with text, not a tag
    ("", "<script>var a = '</p>';", "</script>"),  # raw text that ends outside
])
def test_parts_that_depend_on_the_page_are_read_in_the_page(before, part, after):
    html = listing([], main=f"\n{before}{part}{after}\n{before}{part}{after}")
    same(html, [part, part])


def test_a_part_that_appears_nowhere_or_out_of_order_changes_nothing():
    teasers = [TEASER.format(n=n, lang="en", dir="ltr") for n in range(1, 3)]
    html = listing(teasers)
    same(html, [FOOTER, HEADER, "<p>not in the page</p>", *reversed(teasers), TEASER.format(n=9, lang="en", dir="ltr")])


@st.composite
def pages_with_parts(draw):
    """A page of random pieces, some runs of which are parts, some of those repeated."""
    pieces = draw(random_pieces(30))
    runs = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(pieces) - 1))
        end = draw(st.integers(start + 1, len(pieces)))
        runs.append("".join(pieces[start:end]))
    body = "".join(pieces)
    for run in runs:
        if draw(st.booleans()):
            body += run
    return '<html lang="en">' + body, runs


ELEMENTS = st.sampled_from(["a", "p", "h1", "h2", "h4", "figure", "figcaption", "time", "button", "div", "span",
                            "section", "li", "bdi", "template"])
LEAVES = st.sampled_from(["text", " ", "\n", "A dog", "&amp;", "مرحبا", '<img src="/i.png">', '<img src="/j.png" alt="A dog">',
                          "<br>", '<input type="button">', '<svg role="img" aria-label="L"></svg>'])
CONTEXTS = st.sampled_from([("", ""), ("<div>", "</div>"), ('<div dir="rtl">', "</div>"), ("<div hidden>", "</div>"),
                            ('<a href="/x">', "</a>"), ("<h2>", "</h2>"), ("<figure>", "</figure>"),
                            ("<figure><figcaption>", "</figcaption></figure>"), ('<p lang="fa" dir="rtl">', "</p>")])


@st.composite
def elements(draw, depth=0):
    """A well-formed element: the kind of text a cached part is."""
    tag = draw(ELEMENTS)
    attrs = " ".join(draw(st.lists(ATTRS.filter(lambda a: "/" not in a and "<" not in a), max_size=3)))
    children = [draw(elements(depth + 1)) if depth < 3 and draw(st.booleans()) else draw(LEAVES)
                for _ in range(draw(st.integers(0, 3)))]
    return f"<{tag}{' ' + attrs if attrs else ''}>{''.join(children)}</{tag}>"


@st.composite
def pages_of_elements(draw):
    parts = draw(st.lists(elements(), min_size=1, max_size=4))
    body = []
    for _ in range(draw(st.integers(1, 8))):
        before, after = draw(CONTEXTS)
        body.append(before + draw(st.sampled_from(parts)) + after)
        body.append(draw(TEXT))
    return '<html lang="en"><body>' + "".join(body) + "</body></html>", [p for p in parts for _ in range(3)]


@settings(max_examples=800, deadline=None)
@given(st.one_of(pages_with_parts(), pages_of_elements()))
def test_random_pages_with_random_parts(case):
    """Random runs of random pieces are seldom parts that can be used; well-formed elements mostly are."""
    html, parts = case
    page._PARTS.clear()
    same(html, parts)


def test_the_build_hands_each_page_its_parts(tmp_path, monkeypatch):
    """The engine passes the renderer's parts to the checks, and the default theme's parts are used."""
    import shutil
    from datetime import datetime
    from pathlib import Path

    from builder.build import full as engine
    from builder.build.pipeline import BuildOptions, build

    root = Path(__file__).resolve().parents[2]
    site = tmp_path / "site"
    shutil.copytree(root / "content", site / "content")
    shutil.copy(root / "site.yaml", site / "site.yaml")
    shutil.copytree(root / "static", site / "static")
    seen: dict[str, int] = {}
    original = engine.inspect_page

    def inspect(path, html, made_from=(), **kwargs):
        parts = kwargs.get("parts", ())
        seen[path] = len(parts)
        assert reading(html.decode(), parts) == reading(html.decode())
        return original(path, html, made_from, **kwargs)

    monkeypatch.setattr(engine, "inspect_page", inspect)
    build(BuildOptions(site, output_dir=tmp_path / "out", now=datetime(2026, 11, 1, tzinfo=UTC), jobs=1))
    assert len(seen) > 100 and sum(count >= 3 for count in seen.values()) > 0.9 * len(seen)  # head, header, footer
    assert sum(p is not None for p in page._PARTS.values()) >= 3
