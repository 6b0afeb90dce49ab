"""Raw HTML in article bodies: checked against `content.raw_html`, and sanitized with nh3 (Ammonia).

Three modes (site.yaml, builder.config.content):
- sanitize (the default): markup that cannot run script or change the page around the article
  is kept (ALLOWED_TAGS, ALLOWED_ATTRIBUTES); scripts, styles, event handlers, forms, objects,
  comments and `javascript:` links are removed. An <iframe> is kept only from a host listed in
  `content.embeds`, over https, with a title.
- allow: published as written (the page only; feeds always get the sanitized body).
- forbid: any raw HTML in a body is an error.

In every mode, markup that would hide the rest of the page (a comment, <textarea>, <script>,
<template> ... left open) is an error with its line: sanitizing would close it at the end of the
body, and the words after it would be lost without a word. An <iframe> without a title is an
error too (WCAG 4.1.2: a frame needs an accessible name).

A body without raw HTML is never sanitized, so its bytes are what Markdown made: nh3 serializes
HTML its own way (`<hr />` becomes `<hr>`), and most articles have no raw HTML at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import urlsplit

import nh3
from markdown_it.token import Token

from builder.config.content import ContentSettings

# What an accessible news page needs from an imported body: text semantics, lists, tables with
# their headers and captions, figures, disclosure widgets, language and direction of phrases.
ALLOWED_TAGS = {
    "a", "abbr", "address", "aside", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
    "colgroup", "data", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "picture", "pre", "q",
    "rp", "rt", "ruby", "s", "samp", "section", "small", "source", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr", "iframe",
}
GENERIC_ATTRIBUTES = {"lang", "dir", "title", "id", "class", "translate"}  # and every aria-* attribute
ALLOWED_ATTRIBUTES = {
    "a": {"href", "hreflang"},
    # Responsive images as the build writes them (render.pictures), so an archive's own survive.
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding", "fetchpriority"},
    "source": {"srcset", "sizes", "type", "media", "width", "height"},
    "time": {"datetime"}, "del": {"cite", "datetime"}, "ins": {"cite", "datetime"},
    "q": {"cite"}, "blockquote": {"cite"}, "data": {"value"},
    "ol": {"start", "reversed", "type"}, "li": {"value"}, "details": {"open"},
    "th": {"scope", "colspan", "rowspan", "headers", "abbr", "style"},
    "td": {"colspan", "rowspan", "headers", "style"},
    "col": {"span"}, "colgroup": {"span"},
    "div": {"role", "tabindex"},  # the scrolling region Markdown puts around a table
    "iframe": {"src", "title", "width", "height", "allow", "allowfullscreen", "loading", "referrerpolicy"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
STYLE_PROPERTIES = {"text-align"}  # Markdown tables align their columns with it

# Elements whose content the HTML parser reads as text up to their end tag (or that keep their
# content out of the page): left open, they swallow the footer, the navigation and the scripts.
HIDING = {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "template"}
# Attributes Markdown itself writes; anything else came from an {attribute} list or raw HTML.
MARKDOWN_ATTRIBUTES = {"href", "src", "alt", "title", "id", "class", "lang", "dir", "start"}
MARKDOWN_STYLE = re.compile(r"^text-align:(left|right|center)$")

_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_ATTRIBUTE = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")
_COMMENT_END = re.compile(r"--!?>")


@dataclass(frozen=True, slots=True)
class RawHtmlReport:
    problems: tuple[tuple[int, str, str], ...] = ()  # (body line, message, hint)
    needs_cleaning: bool = False  # the body has raw HTML or attributes Markdown does not write


@dataclass
class _Scan:
    """The state of a walk over a body's raw HTML pieces, which may open in one and close in another."""

    settings: ContentSettings
    problems: list[tuple[int, str, str]] = field(default_factory=list)
    open_line: int = 0  # where the open comment or hiding element began
    open_end: re.Pattern | None = None  # what closes it
    open_name: str = ""  # "comment", or the element's name

    def chunk(self, line: int, text: str) -> None:
        pos = 0
        while pos < len(text):
            if self.open_end is not None:
                found = self.open_end.search(text, pos)
                if found is None:
                    return
                self.open_end, pos = None, found.end()
                continue
            start = text.find("<", pos)
            if start == -1:
                return
            if text.startswith("<!--", start):
                pos = self._comment(line + text.count("\n", 0, start), text, start)
                continue
            tag = _TAG.match(text, start)
            if tag is None:
                pos = start + 1
                continue
            pos = tag.end()
            name = tag.group(2).lower()
            if tag.group(1):
                continue
            here = line + text.count("\n", 0, start)
            if name == "iframe":
                self._iframe(here, _attributes(tag.group(3)))
            if name == "plaintext":
                self.problems.append((here, "a <plaintext> element: everything after it, to the end of the page, "
                                            "would show as text", "remove it; write the text as it should appear"))
            elif name in HIDING and not tag.group(3).rstrip().endswith("/"):
                self.open_line, self.open_name = here, name
                self.open_end = re.compile(rf"</{name}(?=[\s/>])", re.IGNORECASE)

    def _comment(self, line: int, text: str, start: int) -> int:
        if text.startswith(("<!-->", "<!--->"), start):  # empty comments, closed at once
            return text.index(">", start) + 1
        self.open_line, self.open_end, self.open_name = line, _COMMENT_END, "comment"
        return start + 4

    def _iframe(self, line: int, attributes: dict[str, str]) -> None:
        title, src = attributes.get("title", "").strip(), attributes.get("src", "").strip()
        if not title:
            self.problems.append((line, "an <iframe> without a title",
                                  'name what the frame shows, e.g. title="Video: the council vote" '
                                  "(screen readers announce frames by their title)"))
        if self.settings.raw_html != "sanitize":
            return
        parts = urlsplit(src)
        host = (parts.hostname or "").lower()
        if parts.scheme != "https" or host not in self.settings.embeds:
            self.problems.append((line, f"an <iframe> from '{host or src}', which content.embeds does not list",
                                  f"add {host} to content.embeds in site.yaml if its pages may be shown here"
                                  if parts.scheme == "https" and host else
                                  "an embedded frame must come from an https address of a host in content.embeds"))

    def finish(self) -> None:
        if self.open_end is None:
            return
        if self.open_name == "comment":
            what, hint = "an HTML comment ('<!--')", "end the comment with -->, or remove it"
        else:
            what, hint = f"a <{self.open_name}>", f"close it with </{self.open_name}>, or remove it"
        self.problems.append((self.open_line, f"{what} that is never closed would hide the rest of the page",
                              hint))


def _attributes(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(text):
        value = next((v for v in match.group(2, 3, 4) if v is not None), "")
        found.setdefault(match.group(1).lower(), unescape(value))
    return found


def raw_pieces(tokens: list[Token]) -> list[tuple[int, str]]:
    """(body line, text) of every piece of raw HTML in a parsed body, in document order."""
    pieces = []
    line = 1
    for token in tokens:
        if token.map:
            line = token.map[0] + 1
        if token.type == "html_block":
            pieces.append((line, token.content))
        elif token.type == "inline":
            inline_line = line
            for child in token.children or []:
                if child.type in ("softbreak", "hardbreak"):
                    inline_line += 1
                elif child.type == "html_inline":
                    pieces.append((inline_line, child.content))
    return pieces


def _unusual_attributes(tokens: list[Token]) -> list[tuple[int, str]]:
    """(line, name) of attributes Markdown does not write itself, e.g. {style=...} after a phrase."""
    found = []
    line = 1
    for token in tokens:
        if token.map:
            line = token.map[0] + 1
        for item in [token, *(token.children or [])]:
            for name, value in (item.attrs or {}).items():
                if name not in MARKDOWN_ATTRIBUTES and not (name == "style" and MARKDOWN_STYLE.match(str(value))):
                    found.append((line, name))
    return found


def check_raw_html(tokens: list[Token], settings: ContentSettings) -> RawHtmlReport:
    pieces = raw_pieces(tokens)
    attributes = _unusual_attributes(tokens)
    if not pieces and not attributes:
        return RawHtmlReport()
    if settings.raw_html == "forbid":
        problems = [(line, "raw HTML in the body (content.raw_html is forbid in site.yaml)",
                     "write it in Markdown, or set content.raw_html: sanitize")
                    for line in sorted({line for line, _ in pieces})]
        problems += [(line, f"the attribute '{name}' (content.raw_html is forbid in site.yaml)",
                      "remove it from the {...} after the text") for line, name in attributes]
        return RawHtmlReport(tuple(problems))
    scan = _Scan(settings)
    for line, text in pieces:
        scan.chunk(line, text)
    scan.finish()
    return RawHtmlReport(tuple(scan.problems), settings.raw_html == "sanitize")


def _keep_embed(settings: ContentSettings):
    def attribute_filter(tag: str, name: str, value: str) -> str | None:
        if tag == "iframe" and name == "src":
            parts = urlsplit(value)
            return value if parts.scheme == "https" and (parts.hostname or "").lower() in settings.embeds else None
        return value

    return attribute_filter


def sanitize(html: str, settings: ContentSettings) -> str:
    """Body HTML with only what the sanitize mode keeps (see the module's docstring)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"*": GENERIC_ATTRIBUTES, **ALLOWED_ATTRIBUTES},
        generic_attribute_prefixes={"aria-"},
        attribute_filter=_keep_embed(settings),
        url_schemes=URL_SCHEMES,
        filter_style_properties=STYLE_PROPERTIES,
        link_rel=None,
        strip_comments=True,
    )
