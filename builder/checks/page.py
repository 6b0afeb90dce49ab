"""One pass over a rendered page for everything the build checks in it.

The build reads each page once: the ids and links the link checker needs (checks.scan) and the
fast accessibility checks (checks.fast) come from the same pass (inspect_page; scan_html and
check_page give one of the two). This module builds on the others of checks/, none of them on
it. html.parser spent most of a large build on this (two passes, about 100 start tags a page,
each through several expressions and Python calls); here one compiled expression (checks.tokens)
finds each tag, the attributes of an ordinary tag (lowercase names, double-quoted or no values)
come from one `findall`, and the checks do per tag only what that tag's name and attributes call
for: text is collected only while inside an element that needs it (headings, time, figcaption),
names only while inside a link or button.

What it reads is what html.parser would give (lowercased names, character references decoded
in text and attribute values, script and style as raw text, the line each start tag begins on);
tests/unit/html_parser_oracle.py keeps the html.parser implementation, and the tests compare the
two on every golden page, tricky HTML and random fragments. Broken markup that Python 3.13.0's
html.parser reads against the HTML standard (a comment or a quoted value never closed, "<!-->",
"</ a>") is read as the standard, browsers and newer Pythons read it (checks.tokens).

Most of a large site's pages repeat text: the header and footer, an article's teaser on every
listing that shows it. The renderer says which cached parts a page is made of (builder.render.fragments),
and each part is read once per process and state (_Part), which halves the reading time of a
listing page; what a part's result depends on elsewhere in the page is still judged on the page.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from functools import lru_cache
from html import unescape
from pathlib import Path

from builder.checks.fast import (HEADINGS, VOID, findings_of, known_language, normal_text, tag_snippet,
                                 valid_time_value)
from builder.checks.findings import Finding
from builder.checks.scan import PageScan, collect
from builder.checks.tokens import RAW_CLOSERS, TOKEN, read_attributes
from builder.render.fragments import forget_oldest_half
from builder.config.languages import text_direction

# The attributes of most of our tags: space, lowercase name, optionally ="value". Anything else
# (single quotes, no quotes, spaces around '=', upper case, '/') goes through html.parser's rules.
_PLAIN_ATTRIBUTES = re.compile(r'(?:[\t\n\f\r ]+[a-z][-a-z0-9_:.]*(?:="[^"]*")?)*[\t\n\f\r ]*').fullmatch
_PLAIN_ATTRIBUTE = re.compile(r'[\t\n\f\r ]+([a-z][-a-z0-9_:.]*)(?:(=)"([^"]*)")?').findall
_LINK_ATTRIBUTE = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src", "area": "href",
                   "video": "src", "audio": "src"}  # scan.LINK_ATTRIBUTES, one attribute a tag
# Tags whose start tag needs more than ids, links, lang and the stack.
_SPECIAL = frozenset({"html", "img", "input", "svg", "a", "button", "figure", "figcaption", "time", *HEADINGS})
_NAMED = ("a", "button")
_DUPLICATES = object()  # an attribute named twice: the scan takes every one, the checks the first
_PLAIN, _PLAIN_VOID = 1, 2
# Start tags as written -> what _tag_info makes of them. A site's pages share most of their tags
# (the page shell, teasers), so most tags are read once per worker, not once per page.
_TAGS: dict[str, tuple] = {}
_TAG_CACHE_SIZE = 20_000  # about 10 MB at most; when full it starts again


def _tag_info(name: str, attr_text: str) -> tuple:
    """What does not depend on where a start tag is: (plain, tag, attribute list, attributes (the first of
    each name), self-closing, id (or _DUPLICATES), link, a name=, hidden, dir, lang, lang problem, special,
    labelled: an aria-label, title or aria-labelling that names a link or button).
    plain (_PLAIN, or _PLAIN_VOID for a void element) when the tag matters only to the stack."""
    tag = name.lower()
    self_closing = False
    if not attr_text:
        attr_list = []
    elif _PLAIN_ATTRIBUTES(attr_text):
        attr_list = [(n, (unescape(v) if "&" in v else v) if e else None) for n, e, v in _PLAIN_ATTRIBUTE(attr_text)]
    else:
        attr_list, self_closing = read_attributes(attr_text)
    attrs = dict(reversed(attr_list))  # the first of each name wins
    id_ = attrs.get("id") if len(attrs) == len(attr_list) else _DUPLICATES
    link = attrs.get(_LINK_ATTRIBUTE[tag]) if tag in _LINK_ATTRIBUTE else None
    a_name = attrs.get("name") if tag == "a" else None
    own_hidden = "hidden" in attrs or attrs.get("aria-hidden") == "true" or tag == "template"
    own_dir = (attrs.get("dir") or "").lower()
    lang = (attrs.get("lang") or "").strip()
    problem = _lang_problem(lang) if lang else None
    special = tag in _SPECIAL or "role" in attrs
    plain = 0
    if not (id_ is not None or link is not None or a_name is not None or own_hidden or own_dir or problem or special
            or self_closing or tag in RAW_CLOSERS):
        plain = _PLAIN_VOID if tag in VOID else _PLAIN
    labelled = bool((attrs.get("aria-label") or "").strip() or (attrs.get("title") or "").strip()
                    or (attrs.get("aria-labelledby") or "").strip())
    return (plain, tag, attr_list, attrs, self_closing, id_, link, a_name, own_hidden, own_dir, lang, problem,
            special, labelled)


@lru_cache(maxsize=256)
def _lang_problem(lang: str) -> str | None:
    """'lang-invalid', 'rtl' (needs dir="rtl") or None, for a stripped, non-empty lang value."""
    if not known_language(lang):
        return "lang-invalid"
    return "rtl" if text_direction(lang) == "rtl" else None


# Pages of a site repeat their <time> values (dates of teasers, of the page itself).
_valid_time = lru_cache(maxsize=1024)(valid_time_value)


_ID = object()  # in a part's events: an id, judged for duplicates where the part is used


class _Part:
    """What reading a part of a page alone found, with lines counted from the part's first line.

    The renderer renders a cached part ({% cache %}, builder.render.fragments) once and pastes the same
    text into many pages: the header and footer of every page, an article's teaser on each listing
    that shows it. Reading such a text again gives the same result wherever the page is in the same
    state when it starts: no text being collected (inside a heading, link, button, time or
    figcaption), no open figure, the same hidden and dir. What depends on the rest of the page is
    kept to be judged there: ids (duplicates), fragment links (#targets) and headings (order, one
    h1). A part is used only when reading it alone cannot differ from reading it in the page: it
    starts with a tag, closes every element it opens and no other, ends with a whole tag, and holds
    no comment, declaration or <html> (their ends could lie outside it)."""

    __slots__ = ("events", "scan_ids", "links", "names", "fragment_links", "headings", "newlines")

    @staticmethod
    def of(reader: "_Reader", html: str, position: int, stack: list, names: set[str],
           fragment_links: list) -> "_Part | None":
        if (reader.unmatched or reader.seen_html or len(stack) != 1 or position != len(html) or reader.figures
                or "<!" in html or "<?" in html):
            return None
        part = _Part()
        part.events = tuple(reader.found)
        part.scan_ids = frozenset(reader.scan.ids)
        part.links = tuple(reader.scan.links)
        part.names = frozenset(names)
        part.fragment_links = tuple(fragment_links)
        part.headings = tuple(tuple(heading) for heading in reader.headings)
        part.newlines = html.count("\n")
        return part


_PARTS: dict[tuple[str, bool, str], _Part | None] = {}
_PART_CACHE_SIZE = 10_000  # about 1 KB each (what a part holds, the text is the renderer's)


def _part(text: str, hidden: bool, dir_: str) -> _Part | None:
    key = (text, hidden, dir_)
    try:
        return _PARTS[key]
    except KeyError:
        pass
    if len(_PARTS) >= _PART_CACHE_SIZE:
        forget_oldest_half(_PARTS)
    reader = _Reader()
    reader.read(text, within=(hidden, dir_))
    _PARTS[key] = reader.part
    return reader.part


def _spans(html: str, parts: Iterable[str]) -> list[tuple[int, int, str]]:
    """(start, end, text) of each part found in the page, in the order given and without overlaps,
    the last first."""
    spans = []
    cursor = 0
    for text in parts:
        at = html.find(text, cursor)
        if at >= 0:
            cursor = at + len(text)
            spans.append((at, cursor, text))
    spans.reverse()
    return spans


class _Element:
    """An open element the checks must remember something about (the others are only (tag, hidden, dir))."""

    __slots__ = ("tag", "attrs", "line", "attr_list", "hidden", "text", "own_text", "named", "child_texts", "heading")

    def __init__(self, tag, attrs, line, attr_list, hidden):
        self.tag, self.attrs, self.line, self.attr_list, self.hidden = tag, attrs, line, attr_list, hidden
        self.text: list[str] | None = None  # collected text, for elements that need it
        self.own_text: list[str] | None = None  # text not inside a child element (figcaption)
        self.named = False  # an accessible name was found (a, button)
        self.child_texts: list[list[str]] | None = None  # text of each child element (figcaption)
        self.heading: list | None = None  # [level, line, text, element] in the reader's headings

    @property
    def snippet(self) -> str:
        return tag_snippet(self.tag, self.attr_list)


class _Reader:
    def __init__(self):
        self.scan = PageScan()
        self.found: list[tuple[str, str, int, str, str, int]] = []  # rule, message, line, snippet, needle, nth
        self.seen_html = False
        self.headings: list[list] = []  # [level, line, text, element]
        self.figures: list[tuple[list, list]] = []  # (images, captions)
        self.open_texts: list[list[str]] = []  # text lists of the open elements collecting text, outermost first
        self.open_named: list[_Element] = []  # open a and button elements, outermost first
        self.unmatched = False  # an end tag closed no open element
        self.part: _Part | None = None  # what reading a part alone found, when it can stand for reading it

    def read(self, html: str, parts: Iterable[str] = (), within: tuple[bool, str] | None = None) -> None:  # noqa: C901
        """One pass, every rule. `parts`: texts that may occur in the page, in order, each read once per
        process (see _Part). `within` (hidden, dir): read a part alone, as if inside such an element."""
        found, scan_ids, links = self.found, self.scan.ids, self.scan.links
        headings, figures, open_texts, open_named = self.headings, self.figures, self.open_texts, self.open_named
        close = self._close
        ids: dict[str, int] = {}
        id_counts: dict[str, int] = {}
        names: set[str] = set()
        fragment_links: list[tuple[str, int, _Element]] = []
        stack: list[tuple[str, bool, str, _Element | None]] = []  # tag, hidden, dir, element
        if within is not None:
            stack.append(("", within[0], within[1], None))  # no end tag closes it (no tag is named "")
        search, count, tags = TOKEN.search, html.count, _TAGS
        counted_to, line, position, size = 0, 1, 0, len(html)
        spans = _spans(html, parts) if parts else []
        span_start = spans[-1][0] if spans else size + 1

        while (match := search(html, position)) is not None:
            start = match.start()
            if start >= span_start:
                span = spans.pop()
                while spans and spans[-1][0] < start:  # parts inside a part, or inside raw text
                    spans.pop()
                span_start = spans[-1][0] if spans else size + 1
                if (start == span[0] and not open_texts and not open_named and not figures
                        and (not stack or stack[-1][3] is None or stack[-1][3].child_texts is None)):
                    top = stack[-1] if stack else ("", False, "", None)
                    part = _part(span[2], top[1], top[2])
                    if part is not None:
                        line += count("\n", counted_to, start)
                        offset = line - 1
                        for event in part.events:
                            if event[0] is _ID:
                                _, id_, id_line, snippet = event
                                id_counts[id_] = n = id_counts.get(id_, 0) + 1
                                if n > 1:
                                    found.append(("duplicate-id", f"id \"{id_}\" is already used on line {ids[id_]}",
                                                  id_line + offset, snippet, f'id="{id_}"', n))
                                else:
                                    ids[id_] = id_line + offset
                            else:
                                found.append((event[0], event[1], event[2] + offset, *event[3:]))
                        scan_ids.update(part.scan_ids)
                        names.update(part.names)
                        links.extend([(href, at + offset) for href, at in part.links])
                        fragment_links.extend([(target, at + offset, element)
                                               for target, at, element in part.fragment_links])
                        headings.extend([[level, at + offset, text, element]
                                         for level, at, text, element in part.headings])
                        line += part.newlines
                        position = counted_to = span[1]
                        while spans and spans[-1][0] < position:
                            spans.pop()
                        span_start = spans[-1][0] if spans else size + 1
                        continue
            if start > position and (open_texts or open_named):
                text = html[position:start]
                if "&" in text:
                    text = unescape(text)
                top = stack[-1]
                if (element := top[3]) is not None and element.own_text is not None:
                    element.own_text.append(text)
                for collected in open_texts:
                    collected.append(text)
                if open_named and not top[1] and text.strip():
                    for element in open_named:
                        element.named = True
            position = match.end()
            kind = match.lastindex  # None: comment, doctype...; 1: end tag; 3: start tag

            if kind == 3:
                key = match.group()
                if (info := tags.get(key)) is None:
                    if len(tags) >= _TAG_CACHE_SIZE:
                        tags.clear()
                    info = tags[key] = _tag_info(*match.group(2, 3))
                (plain, tag, attr_list, attrs, self_closing, id_, link, a_name, own_hidden, own_dir, lang, problem,
                 special, labelled) = info
                if plain:  # nothing to check or scan: only the stack (and not even that for a void element)
                    if plain == _PLAIN_VOID:
                        continue
                    if not stack:
                        stack.append((tag, False, "", None))
                        continue
                    top = stack[-1]
                    if top[3] is None or top[3].child_texts is None:
                        stack.append((tag, top[1], top[2], None))
                        continue
                line += count("\n", counted_to, start)
                counted_to = start
                if stack:
                    _, parent_hidden, parent_dir, parent = stack[-1]
                else:
                    parent_hidden, parent_dir, parent = False, "", None
                hidden = parent_hidden or own_hidden
                dir_ = own_dir or parent_dir

                # Ids and links (checks.scan).
                if id_ is _DUPLICATES:
                    collect(self.scan, tag, attr_list, line)
                    id_ = attrs.get("id")
                else:
                    if id_ is not None:
                        scan_ids.add(id_)
                    if link is not None:
                        links.append((link, line))
                    if a_name is not None:
                        scan_ids.add(a_name)

                if tag == "html":
                    self.seen_html = True
                    if not (attrs.get("lang") or "").strip():
                        found.append(("html-lang", "<html> has no lang attribute" if "lang" not in attrs
                                      else "<html> has an empty lang attribute", line, tag_snippet(tag, attr_list),
                                      "", 1))
                if problem is not None:
                    if problem == "lang-invalid":
                        found.append(("lang-invalid", f"lang=\"{lang}\" is not a valid language tag", line,
                                      tag_snippet(tag, attr_list), lang, 1))
                    elif dir_ not in ("rtl", "auto") and tag != "bdi":
                        found.append(("dir-missing", f"right-to-left text (lang=\"{lang}\") without dir=\"rtl\"",
                                      line, tag_snippet(tag, attr_list), lang, 1))
                if id_ is not None and within is not None:
                    found.append((_ID, id_, line, tag_snippet(tag, attr_list)))  # judged where the part is used
                elif id_ is not None:
                    id_counts[id_] = n = id_counts.get(id_, 0) + 1
                    if n > 1:
                        found.append(("duplicate-id", f"id \"{id_}\" is already used on line {ids[id_]}", line,
                                      tag_snippet(tag, attr_list), f'id="{id_}"', n))
                    else:
                        ids[id_] = line
                if a_name:
                    names.add(a_name)

                element = None
                if special:
                    if tag in _NAMED or tag == "time" or tag == "figcaption" or tag == "figure":
                        element = _Element(tag, attrs, line, attr_list, hidden)
                    if tag == "img":
                        self._image(attrs, line, tag, attr_list, hidden)
                    elif tag == "input" and (attrs.get("type") or "").lower() == "image":
                        self._add_name(attrs.get("alt") or "")
                    elif tag == "svg" or attrs.get("role") == "img":
                        if attrs.get("aria-label") or attrs.get("title"):
                            self._add_name(attrs.get("aria-label") or attrs.get("title") or "")

                    if tag == "a" and (href := attrs.get("href")) is not None:
                        if href.startswith("#") and len(href) > 1:
                            fragment_links.append((href[1:], line, element))
                        if labelled and not hidden:
                            element.named = True
                    elif tag == "button" and labelled and not hidden:
                        element.named = True
                    elif tag == "input" and not hidden and (attrs.get("type") or "").lower() == "button":
                        if not (attrs.get("value") or attrs.get("aria-label") or attrs.get("title") or "").strip():
                            found.append(("empty-button", "a button has no text or label", line,
                                          tag_snippet(tag, attr_list), "", 1))

                    level = HEADINGS.get(tag)
                    if level is None and attrs.get("role") == "heading":
                        level = int(attrs["aria-level"]) if (attrs.get("aria-level") or "").isdigit() else 2
                    if level is not None and not hidden:
                        if element is None:
                            element = _Element(tag, attrs, line, attr_list, hidden)
                        element.text = []
                        element.heading = [level, line, "", element]
                        headings.append(element.heading)

                    if tag == "figure":
                        figures.append(([], []))
                    elif tag == "figcaption":
                        element.text, element.own_text, element.child_texts = [], [], []
                    elif tag == "time":
                        element.text = []

                if tag in VOID:
                    continue
                if parent is not None and parent.child_texts is not None and parent.tag == "figcaption":
                    if element is None:
                        element = _Element(tag, attrs, line, attr_list, hidden)
                    if element.text is None:
                        element.text = []
                    parent.child_texts.append(element.text)
                stack.append((tag, hidden, dir_, element))
                if element is not None:
                    if element.text is not None:
                        open_texts.append(element.text)
                    if tag in _NAMED:
                        open_named.append(element)
                if self_closing:
                    stack.pop()
                    if element is not None:
                        close(element)
                elif tag in RAW_CLOSERS:  # raw text: nothing in it is a tag, not even "<!--"
                    closing = RAW_CLOSERS[tag].search(html, position)
                    if closing:
                        stack.pop()
                        if element is not None:
                            close(element)
                        position = closing.end()
                    else:
                        position = size

            elif kind == 1 and stack:  # an end tag closes the innermost open element of its name
                tag = match.group(1).lower()
                if stack[-1][0] == tag:
                    if (element := stack.pop()[3]) is not None:
                        close(element)
                    continue
                for i in range(len(stack) - 2, -1, -1):
                    if stack[i][0] == tag:
                        break
                else:
                    self.unmatched = True  # in a part read alone: it may close an element outside the part
                    continue
                while len(stack) > i:
                    if (element := stack.pop()[3]) is not None:
                        close(element)

        if within is not None:
            self.part = _Part.of(self, html, position, stack, names, fragment_links)
            return
        if position < size and (open_texts or open_named) and stack[-1][0] not in RAW_CLOSERS:
            text = html[position:]
            if "&" in text:
                text = unescape(text)
            top = stack[-1]
            if (element := top[3]) is not None and element.own_text is not None:
                element.own_text.append(text)
            for collected in open_texts:
                collected.append(text)
            if open_named and not top[1] and text.strip():
                for element in open_named:
                    element.named = True
        while stack:
            if (element := stack.pop()[3]) is not None:
                close(element)

        for target, line, element in fragment_links:
            if target not in ids and target not in names and target.lower() != "top":
                found.append(("skip-link-target", f"the link to #{target} has no target: no element has "
                              f"id=\"{target}\"", line, element.snippet, "#" + target, 1))
        h1_count = 0
        for index, (level, line, text, element) in enumerate(headings):
            if level == 1:
                h1_count += 1
                if h1_count > 1:
                    found.append(("multiple-h1", f"a second h1 (\"{text[:60]}\"): a page has one h1", line,
                                  element.snippet, text, 1))
            if index:
                before = headings[index - 1][0]
                if level > before + 1:
                    found.append(("heading-order", f"h{level} (\"{text[:60]}\") follows h{before}: "
                                  f"heading level{'s' if level - before > 2 else ''} "
                                  f"{', '.join(f'h{n}' for n in range(before + 1, level))} skipped", line,
                                  element.snippet, text, 1))

    def _image(self, attrs, line, tag, attr_list, hidden):
        alt = attrs.get("alt")
        src = attrs.get("src") or ""
        if alt is None:
            if not hidden and attrs.get("role") not in ("presentation", "none"):
                self.found.append(("img-alt", f"image {src or '(no src)'} has no alt attribute", line,
                                   tag_snippet(tag, attr_list), src, 1))
        else:
            self._add_name(alt)
        if self.figures and alt and alt.strip():
            self.figures[-1][0].append((alt, line, tag_snippet(tag, attr_list), src))

    def _add_name(self, text: str) -> None:
        if text.strip():
            for element in self.open_named:
                if not element.hidden:
                    element.named = True

    def _close(self, element: _Element) -> None:
        tag = element.tag
        if element.text is not None:
            self.open_texts.pop()
        if tag in _NAMED:
            self.open_named.pop()
            if not element.hidden and not element.named:
                if tag == "button":
                    self.found.append(("empty-button", "a button has no text or label", element.line,
                                       element.snippet, "", 1))
                elif element.attrs.get("href") is not None:
                    href = element.attrs["href"]
                    self.found.append(("empty-link", f"the link to {href} has no text, alt text or label",
                                       element.line, element.snippet, href, 1))
        if element.heading is not None:
            element.heading[2] = " ".join("".join(element.text or []).split())
        if tag == "time":
            value = element.attrs.get("datetime")
            text = " ".join("".join(element.text or []).split())
            if value is None:
                if not _valid_time(text):
                    self.found.append(("time-datetime", f"<time>{text[:40]}</time> has no datetime attribute",
                                       element.line, element.snippet, text, 1))
            elif not _valid_time(value.strip()):
                self.found.append(("time-datetime", f"datetime=\"{value}\" is not a valid date, time or duration",
                                   element.line, element.snippet, value, 1))
        elif tag == "figcaption" and self.figures:
            full = "".join(element.text or [])
            own = "".join(element.own_text or [])
            children = ["".join(t) for t in element.child_texts or []]
            self.figures[-1][1].extend(c for c in (full, own, *children) if c.strip())
        elif tag == "figure" and self.figures:
            images, captions = self.figures.pop()
            captions = {normal_text(c) for c in captions}
            for alt, line, snippet, src in images:
                if normal_text(alt) in captions:
                    self.found.append(("alt-caption", f"the alt text of {src or 'an image'} is the same as its "
                                       f"caption (\"{alt[:60]}\")", line, snippet, alt, 1))


def read_page(html: bytes | str, parts: Iterable[str] = ()) -> _Reader:
    """A reader that has read one whole page: .scan, .found (unsorted) and .seen_html.
    `parts`: texts the page was assembled from, in order (see _Part); the result is the same without."""
    reader = _Reader()
    reader.read(html.decode("utf-8", errors="replace") if isinstance(html, bytes) else html, parts)
    return reader


def check_page(path: str, html: bytes | str, made_from: tuple[str, ...] = (), *,
               site_dir: Path | None = None) -> list[Finding]:
    """Every fast-check finding on one page, in the order of the HTML.

    `path` is the page's file relative to the output folder, `made_from` the sources it was made
    from (as recorded in the output manifest). With `site_dir`, a finding on a page made from one
    Markdown file names the line of that file where the offending text is, when it can be found.
    The build wants the link scan too and gets both from the same pass: inspect_page.
    """
    reader = read_page(html)
    return findings_of(reader.found, reader.seen_html, path, made_from, site_dir)


def scan_html(html: bytes | str) -> PageScan:
    """The ids and links of a page. The same pass runs the fast checks: callers that want both use
    inspect_page."""
    return read_page(html.decode("utf-8") if isinstance(html, bytes) else html).scan


def inspect_page(path: str, html: bytes | str, made_from: tuple[str, ...] = (), *,
                 site_dir: Path | None = None, allowed_rules: Collection[str] = (),
                 parts: Iterable[str] = ()) -> tuple[PageScan, list[Finding]]:
    """scan_html(html) and check_page(path, html, made_from, site_dir=site_dir), in one pass.

    Findings of `allowed_rules` (the rules a site allows, e.g. its build.allow list) are left out,
    and no source file is read to find their lines. `parts`: see read_page."""
    reader = read_page(html, parts)
    return reader.scan, findings_of(reader.found, reader.seen_html, path, made_from, site_dir, allowed_rules)
