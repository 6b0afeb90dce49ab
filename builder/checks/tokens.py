"""A fast HTML tokenizer with html.parser's callbacks, for reading our own final pages.

Every page of every build is read once for its ids, links and the fast accessibility checks.
html.parser spends most of a large build doing that (about 240 tags a page, each matched by
several regular expressions and Python calls); here one compiled expression finds each tag and
Python only handles what it found, about five times faster on our pages.

Subclasses implement handle_starttag(tag, attrs), handle_startendtag, handle_endtag(tag) and
handle_data(text) as for html.parser.HTMLParser (tag and attribute names lowercased, character
references decoded in text and attribute values, attributes as a list of (name, value or None)),
and read self.line, the line the current tag starts on. Contents of script and style are raw
text, never parsed for tags. A test drives the same checkers through html.parser and compares.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

_TOKEN = re.compile(
    r"""
      <!--.*?(?:--!?>|\Z)                          # comment
    | <!\[CDATA\[.*?(?:\]\]>|\Z)                   # CDATA section
    | <[!?][^>]*>?                                 # doctype, declaration, processing instruction
    | </([a-zA-Z][^\t\n\f\r />]*)[^>]*>            # 1: end tag
    | <([a-zA-Z][^\t\n\f\r />]*)                   # 2: start tag, 3: its attributes up to a '>'
      ((?:"[^"]*"|'[^']*'|[^'">])*)>               #    that is not inside quotes
    """,
    re.S | re.X,
)
# html.parser's own expression for one attribute (attrfind_tolerant).
_ATTRIBUTE = re.compile(r"""((?<=['"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*('[^']*'|"[^"]*"|(?!['"])[^>\s]*))?(?:\s|/(?!>))*""")
RAW_TEXT = ("script", "style")
_RAW_CLOSERS = {tag: re.compile(r"</" + tag + r"(?=[\t\n\f\r />])[^>]*>", re.I) for tag in RAW_TEXT}


def _attributes(text: str) -> tuple[list[tuple[str, str | None]], bool]:
    """The attributes of a start tag, and whether it ends with '/>' (a '/' no value took)."""
    if not text:
        return [], False
    text = " " + text + ">"  # as html.parser sees it: a '/' right before '>' closes the tag
    found, consumed = [], 0
    for match in _ATTRIBUTE.finditer(text):
        value = match.group(3)
        if match.group(2) is None:
            value = None
        elif value[:1] in ("'", '"') and value[-1:] == value[:1] and len(value) >= 2:
            value = value[1:-1]
        if value and "&" in value:
            value = unescape(value)
        found.append((match.group(1).lower(), value))
        consumed = match.end()
    return found, "/" in text[consumed:-1]


class HtmlEvents:
    """Base for one-pass readers of a page: call feed(text) once, then close()."""

    line = 1

    def getpos(self) -> tuple[int, int]:
        return self.line, 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        pass

    def handle_data(self, data: str) -> None:
        pass

    def close(self) -> None:
        pass

    def feed(self, html: str) -> None:
        # Lines are counted only up to start tags, the only callbacks that read self.line.
        counted_to, line, position, size = 0, 1, 0, len(html)
        search = _TOKEN.search
        handle_data, handle_starttag, handle_endtag = self.handle_data, self.handle_starttag, self.handle_endtag
        while (match := search(html, position)) is not None:
            start = match.start()
            if start > position:
                text = html[position:start]
                handle_data(unescape(text) if "&" in text else text)
            position = match.end()
            name, end_name = match.group(2), match.group(1)
            if name is not None:
                line += html.count("\n", counted_to, start)
                counted_to = start
                self.line = line
                tag = name.lower()
                attrs, self_closing = _attributes(match.group(3))
                if self_closing:
                    self.handle_startendtag(tag, attrs)
                    continue
                handle_starttag(tag, attrs)
                if tag in _RAW_CLOSERS:  # raw text: nothing in it is a tag, not even "<!--"
                    closing = _RAW_CLOSERS[tag].search(html, position)
                    stop = closing.start() if closing else size
                    if stop > position:
                        handle_data(html[position:stop])
                    if closing:
                        handle_endtag(tag)
                    position = closing.end() if closing else size
            elif end_name is not None:
                handle_endtag(end_name.lower())
        if position < size:
            text = html[position:]
            handle_data(unescape(text) if "&" in text else text)


class _ThroughHtmlParser(HTMLParser):
    def __init__(self, target: HtmlEvents):
        super().__init__(convert_charrefs=True)
        self.target = target

    def _at(self) -> HtmlEvents:
        self.target.line = self.getpos()[0]
        return self.target

    def handle_starttag(self, tag, attrs):
        self._at().handle_starttag(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._at().handle_startendtag(tag, attrs)

    def handle_endtag(self, tag):
        self._at().handle_endtag(tag)

    def handle_data(self, data):
        self._at().handle_data(data)


def feed_with_html_parser(target: HtmlEvents, html: str) -> None:
    """Drive a reader through the standard library's html.parser instead: the reference that the
    tests compare this tokenizer with, and the baseline of benchmarks/page_checks.py."""
    parser = _ThroughHtmlParser(target)
    parser.feed(html)
    parser.close()
    target.close()
