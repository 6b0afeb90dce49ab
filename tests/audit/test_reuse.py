"""Which pages may share one browser document (builder.audit.reuse), and in what order workers take them."""

from __future__ import annotations

from dataclasses import dataclass

from builder.audit.reuse import swap_key
from builder.audit.run import _Jobs

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<meta name="description" content="{title}"><meta property="og:title" content="{title}">
<link rel="canonical" href="/{title}/"><link rel="alternate" type="application/rss+xml" href="/{title}.xml">
<script type="application/ld+json">{{"headline": "{title}"}}</script>{head}
<link rel="stylesheet" href="/site.css"><script src="/site.js" defer></script></head>
<body class="{body_class}"><header><nav>Menu</nav></header>
<main id="main">{body}</main><footer>Footer</footer></body></html>"""


def page(title="A", body="<p>One</p>", head="", body_class="article") -> bytes:
    return PAGE.format(title=title, body=body, head=head, body_class=body_class).encode()


def test_pages_that_differ_in_main_and_in_head_elements_that_neither_render_nor_run_share_a_key():
    key = swap_key(page())
    assert key is not None
    assert swap_key(page(title="B", body='<h1>Other</h1><img src="x.png" alt="">')) == key


def test_what_renders_or_runs_outside_main_makes_another_key():
    key = swap_key(page())
    assert swap_key(page(body_class="listing")) != key
    assert swap_key(page(head='<link rel="alternate stylesheet" href="/big.css" title="Big">')) != key
    assert swap_key(page(head="<style>main { color: red }</style>")) != key
    assert swap_key(page(head="<script>document.documentElement.dataset.x = 1</script>")) != key
    assert swap_key(page(head='<meta name="color-scheme" content="light dark">')) != key
    assert swap_key(page(head='<meta http-equiv="refresh" content="5">')) != key
    assert swap_key(page(head='<base href="/elsewhere/">')) != key


def test_a_main_with_what_a_swap_cannot_reproduce_is_always_loaded():
    for body in ("<script>alert(1)</script>", "<noscript><p>Turn on JavaScript</p></noscript>",
                 '<iframe src="/map/"></iframe>', '<link rel="stylesheet" href="/extra.css">',
                 '<object data="x.svg"></object>'):
        assert swap_key(page(body=body)) is None, body
    assert swap_key(page(body="<p>One</p></main><main><p>Two</p>")) is None
    assert swap_key(b"<html><head><title>x</title></head><body><p>No main</p></body></html>") is None


@dataclass(frozen=True)
class P:
    path: str


def item(path: str, reuse: str | None):
    return (P(path), "cache-key", [], "shell", reuse)


def test_a_worker_keeps_to_its_document_then_takes_the_largest_group_nobody_is_on():
    jobs = _Jobs([item("a1", "A"), item("b1", "B"), item("a2", "A"), item("b2", "B"), item("b3", "B"),
                  item("x", None)])
    first = jobs.take()
    second = jobs.take()
    assert first[0].path == "b1" and second[0].path == "a1"  # largest group first, then one nobody is on
    assert jobs.take("B")[0].path == "b2"  # keeps to its group
    assert jobs.take("A")[0].path == "a2"
    assert jobs.take("A")[0].path in ("b3", "x")
    rest = jobs.take(_Jobs._group(item("b3", "B")))
    assert rest is not None and jobs.take() is None and jobs.empty()


def test_a_worker_helps_with_a_group_another_is_on_when_nothing_else_is_left():
    jobs = _Jobs([item("a1", "A"), item("a2", "A"), item("a3", "A")])
    assert jobs.take()[0].path == "a1"
    assert jobs.take()[0].path == "a2"  # the other worker, on the same group
    jobs.put(item("a2", "A"), leaving=True)  # that worker could not start its browser
    assert [jobs.take("A")[0].path, jobs.take("A")[0].path] == ["a3", "a2"]
    assert jobs.take("A") is None
