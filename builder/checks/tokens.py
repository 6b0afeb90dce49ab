"""The tokenizer of checks.page: one compiled expression for every token of a page.

Every page of every build is read once for its ids, links and the fast accessibility checks.
html.parser spent most of a large build doing that (several regular expressions and Python calls
for each tag); here one expression finds each comment, declaration, end tag and start tag (with
its attributes up to the first '>' outside quotes), and `read_attributes` reads attributes by
html.parser's own rules (names lowercased, quotes removed, character references decoded, a '/'
before '>' closing the tag). Contents of script and style are raw text: `RAW_CLOSERS` finds
their end, nothing inside is a tag. The tests compare the result with html.parser
(tests/checks/html_parser_oracle.py).
"""

from __future__ import annotations

import re
from html import unescape

TOKEN = re.compile(
    r"""
      <!--(?:-?>|.*?(?:--!?>|\Z))                  # comment (also the empty "<!-->" and "<!--->")
    | <!\[CDATA\[.*?(?:\]\]>|\Z)                   # CDATA section
    | <[!?][^>]*>?                                 # doctype, declaration, processing instruction
    | </([a-zA-Z][^\t\n\f\r />]*)[^>]*>            # 1: end tag
    | </(?:>|[^a-zA-Z>][^>]*(?:>|\Z))              # "</>", and "</ a>" or "</3>": bogus comments
    | <([a-zA-Z][^\t\n\f\r />]*)                   # 2: start tag, 3: its attributes up to the first '>'
      ((?:[^>="']                                  #    not inside a quoted value. Quotes delimit a
        |=(?:[\t\n\f\r\ ]*(?:"[^"]*"|'[^']*')       #    value only right after '=' (a '"' elsewhere
            |(?![\t\n\f\r\ ]*["']))                  #    is part of a name, as in html.parser and
        |["']                                      #    the standard)
       )*+)>
    | <[a-zA-Z](?:[^>="']|=(?:[\t\n\f\r\ ]*(?:"[^"]*"|'[^']*')|(?![\t\n\f\r\ ]*["']))|["'])*+
      =[\t\n\f\r\ ]*["'].*                         # a start tag whose quoted value never closes: the
    """,                                           # rest of the page is inside it (the standard)
    re.S | re.X,
)
# html.parser's own expression for one attribute (attrfind_tolerant).
_ATTRIBUTE = re.compile(r"""((?<=['"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*('[^']*'|"[^"]*"|(?!['"])[^>\s]*))?(?:\s|/(?!>))*""")
RAW_TEXT = ("script", "style")
RAW_CLOSERS = {tag: re.compile(r"</" + tag + r"(?=[\t\n\f\r />])[^>]*>", re.I) for tag in RAW_TEXT}


def read_attributes(text: str) -> tuple[list[tuple[str, str | None]], bool]:
    """The attributes of a start tag, and whether it ends with '/>' (a '/' no value took)."""
    if not text:
        return [], False
    text = " " + text + ">"  # as html.parser sees it: a '/' right before '>' closes the tag
    found, consumed = [], 0
    for match in _ATTRIBUTE.finditer(text):
        value: str | None = match.group(3)
        if match.group(2) is None or value is None:
            value = None
        elif value[:1] in ("'", '"') and value[-1:] == value[:1] and len(value) >= 2:
            value = value[1:-1]
        if value and "&" in value:
            value = unescape(value)
        found.append((match.group(1).lower(), value))
        consumed = match.end()
    return found, "/" in text[consumed:-1]
