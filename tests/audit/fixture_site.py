"""A small site with known accessibility defects: one article per defect, and the findings expected.

It has a theme of its own (so it does not depend on the bundled theme): clean templates, except the
404 page, which leaves out lang on purpose. Each article's body holds one defect in raw HTML; the
line of the defect in the Markdown file is recorded so tests can check file:line.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

from builder.build.pipeline import BuildOptions, build
from builder.checks.fast import RULES as FAST_RULES

SITE_YAML = """\
title: Defect Gazette
description: A site with known accessibility defects.
base_url: https://example.org/gazette/
language: en
timezone: UTC
theme: fixture
pagination: {per_page: 50}
sections:
  - key: news
    title: News
    description: Everything.
content: {raw_html: allow}  # the defects are raw HTML the audit must see as written (sanitizing drops a <button>)
search: {enabled: false}  # the fixture theme has no search page; its defects are in the other pages
"""

# The build runs the fast checks and fails on what they find: the fixture is built with every fast
# rule allowed, then site.yaml goes back to allowing nothing, as the audit must see it.
ALLOW_FAST_RULES = "audit:\n  allow:\n" + "".join(
    f"    - {{rule: {rule}, reason: a known defect of the fixture}}\n" for rule in FAST_RULES)

BASE = """\
<!doctype html>
<html lang="{{ page.lang }}" dir="{{ page.dir }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ page.title }}</title>
<link rel="stylesheet" href="{{ asset('site.css') }}">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header>
<p class="brand"><a href="{{ site.home_url }}">{{ site.title }}</a></p>
<nav aria-label="Sections"><ul>{% for item in site.nav %}<li><a href="{{ item.url }}">{{ item.name }}</a></li>{% endfor %}</ul></nav>
</header>
<main id="main" tabindex="-1">
{% block main %}{% endblock %}
</main>
<footer><p>The Defect Gazette is a test fixture.</p></footer>
</body>
</html>
"""

TEMPLATES = {
    "base.html": BASE,
    "article.html": """\
{% extends "base.html" %}
{% block main %}
<article>
<h1>{{ article.title }}</h1>
<p><time datetime="{{ article.published.iso }}">{{ article.published.display }}</time></p>
{{ article.body_html }}
</article>
{% endblock %}
""",
    "listing.html": """\
{% extends "base.html" %}
{% block main %}
<h1>{{ listing.title }}</h1>
<ul class="items">
{% for item in listing.items %}
<li><a href="{{ item.url }}">{{ item.title }}</a> <time datetime="{{ item.published.iso }}">{{ item.published.display }}</time></li>
{% endfor %}
{% for year in listing.years %}
<li><a href="{{ year.url }}">{{ year.name }}</a></li>
{% endfor %}
</ul>
{% endblock %}
""",
    "redirect.html": """\
<!doctype html>
<html lang="{{ page.lang }}">
<head><meta charset="utf-8"><meta http-equiv="refresh" content="0; url={{ target }}"><title>{{ page.title }}</title></head>
<body><main><h1>Moved</h1><p><a href="{{ target }}">{{ target_title }}</a></p></main></body>
</html>
""",
    # The one template defect: no lang on <html>.
    "404.html": """\
<!doctype html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ page.title }}</title>
<link rel="stylesheet" href="{{ asset('site.css') }}">
</head>
<body>
<main id="main"><h1>Page not found</h1><p><a href="{{ site.home_url }}">Go to the front page</a></p></main>
</body>
</html>
""",
}

CSS = """\
html { font-size: 100%; }
html[data-text-size="lg"] { font-size: 200%; }
body { font-family: sans-serif; margin: 0 auto; max-width: 40rem; padding: 0 1rem; color: #1a1a1a;
       background: #ffffff; overflow-wrap: anywhere; line-height: 1.5; }
a { color: #0645ad; }
h1 { font-size: 1.75rem; }
nav ul, .items { list-style: none; padding: 0; }
nav a, .brand a, .items a { display: inline-block; padding: 0.5rem 0; min-height: 24px; }
.skip { position: absolute; left: -10000px; }
.skip:focus { left: 0; }
@media (prefers-color-scheme: dark) {
  body { color: #eeeeee; background: #121212; }
  a { color: #9ecbff; }
  .dark-trap { color: #3a3a3a; }
}
"""


@dataclass(frozen=True)
class Defect:
    slug: str
    title: str
    body: str  # Markdown with the defect in raw HTML on the line that contains `marker`
    marker: str
    fast: tuple[str, ...]  # rules the fast checks must report on this page
    axe: tuple[str, ...]  # rules the browser audit must report as violations on this page
    state: str = "default"
    front: str = ""  # more front matter


DEFECTS = (
    Defect("img-alt", "Chart without alt text", 'Intro.\n\n<p><img src="/gazette/images/chart.png" width="40" height="20"></p>\n',
           "<img", ("img-alt",), ("image-alt",)),
    Defect("alt-caption", "Alt text repeats the caption",
           'Intro.\n\n<figure><img src="/gazette/images/chart.png" alt="Turnout by district" width="40" height="20">'
           "<figcaption>Turnout by district</figcaption></figure>\n", "<figure", ("alt-caption",), ()),
    Defect("lang-invalid", "A made-up language", 'Intro.\n\n<p lang="english">Hello there.</p>\n',
           'lang="english"', ("lang-invalid",), ("valid-lang",)),
    Defect("dir-missing", "Persian without direction", 'Intro.\n\n<p lang="fa">سلام دوستان</p>\n',
           'lang="fa"', ("dir-missing",), ()),
    Defect("heading-order", "Headings that skip a level",
           "## Background\n\nText.\n\n<h4>Details</h4>\n\nMore text.\n", "<h4>", ("heading-order",), ("heading-order",)),
    Defect("multiple-h1", "Two main headings", "Intro.\n\n<h1>A second main heading</h1>\n\nText.\n",
           "<h1>", ("multiple-h1",), ()),
    Defect("empty-link", "A link with nothing in it", 'Intro with <a href="/gazette/news/"></a> an empty link.\n',
           'href="/gazette/news/"', ("empty-link",), ("link-name",)),
    Defect("empty-button", "A button with nothing in it", 'Intro.\n\n<p><button type="button"></button></p>\n',
           "<button", ("empty-button",), ("button-name",)),
    Defect("duplicate-id", "One id twice", 'Intro.\n\n<p id="twice">One.</p>\n\n<p id="twice">Two.</p>\n',
           'id="twice">Two', ("duplicate-id",), ()),
    Defect("skip-link-target", "A jump to nowhere", 'Intro.\n\n<p><a href="#results">Jump to the results</a></p>\n',
           "#results", ("skip-link-target",), ()),
    Defect("time-datetime", "A time without a datetime", "Intro.\n\n<p>Published <time>last week</time>.</p>\n",
           "<time>", ("time-datetime",), ()),
    Defect("low-contrast", "Faint grey text", 'Intro.\n\n<p style="color: #b0b0b0">This text is hard to read.</p>\n',
           "#b0b0b0", (), ("color-contrast",)),
    Defect("dark-contrast", "Text lost in the dark", 'Intro.\n\n<p class="dark-trap">Only dark mode hides this.</p>\n',
           "dark-trap", (), ("color-contrast",), state="dark"),
    Defect("reflow", "A box wider than a phone", 'Intro.\n\n<div style="width: 700px">A fixed-width box.</div>\n',
           "700px", (), ("reflow-320",), state="lg-320"),
    Defect("clean", "A clean article", "Nothing wrong here.\n\n## A section\n\nMore text.\n", "", (), (),
           front="aliases: [/old/clean/]\n"),
)


def article(defect: Defect) -> str:
    return (f'---\ntitle: "{defect.title}"\ndate: 2024-03-05T09:30:00+00:00\nsection: news\n'
            f'summary: "Fixture article {defect.slug}."\n{defect.front}---\n\n{defect.body}')


def defect_line(defect: Defect) -> int:
    for number, line in enumerate(article(defect).splitlines(), 1):
        if defect.marker in line:
            return number
    raise AssertionError(defect.marker)


REDIRECT_PAGE = "old/clean/index.html"  # the clean article's old address


def article_page(defect: Defect) -> str:
    return f"news/2024/03/{defect.slug}/index.html"


def png(width: int, height: int) -> bytes:
    """A PNG of one colour and this size, written here (no image library)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\0" + b"\x30\x60\x90" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def write_fixture_site(root: Path) -> Path:
    site = root / "site"
    (site / "content" / "news").mkdir(parents=True)
    (site / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    theme = site / "themes" / "fixture"
    (theme / "templates").mkdir(parents=True)
    (theme / "assets").mkdir()
    (theme / "strings").mkdir()
    for name, text in TEMPLATES.items():
        (theme / "templates" / name).write_text(text, encoding="utf-8")
    (theme / "assets" / "site.css").write_text(CSS, encoding="utf-8")
    (site / "static" / "images").mkdir(parents=True)
    (site / "static" / "images" / "chart.png").write_bytes(png(40, 20))
    for defect in DEFECTS:
        (site / "content" / "news" / f"{defect.slug}.md").write_text(article(defect), encoding="utf-8")
    return site


def build_fixture_site(root: Path):
    """Write the fixture site under root and build it into root/site/output.

    Links go unchecked (some are broken on purpose) and the fast checks' rules are allowed during
    the build only (it would fail on them otherwise); site.yaml allows nothing afterwards.
    """
    site = write_fixture_site(root)
    (site / "site.yaml").write_text(SITE_YAML + ALLOW_FAST_RULES, encoding="utf-8")
    try:
        result = build(BuildOptions(site, check_links=False, jobs=1))
    finally:
        (site / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    return site, result
