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

The reader (_Reader) is a loop over the tokens that does itself what most of them need: a plain
start tag only goes on the stack (what a start tag calls for is worked out once per distinct tag,
_Tag), an end tag most often closes the innermost element. Any other start tag goes to
_start_tag and the handler of its name (_STARTS), and an element that checks something when it
closes to the handler of its name (_CLOSES). Split so, it reads a page as fast as the one long
loop it replaced (benchmarks/page_checks.py: the same ms a page within the machine's noise).

What it reads is what html.parser would give (lowercased names, character references decoded
in text and attribute values, script and style as raw text, the line each start tag begins on);
tests/checks/html_parser_oracle.py keeps the html.parser implementation, and the tests compare the
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

from builder.checks.fast import HEADINGS, VOID, findings_of, known_language, normal_text, tag_snippet, valid_time_value
from builder.checks.findings import Finding
from builder.checks.scan import SRCSET_TAGS, PageScan, ids_and_links
from builder.checks.tokens import RAW_CLOSERS, TOKEN, read_attributes
from builder.config.languages import text_direction
from builder.render.fragments import forget_oldest_half

# The attributes of most of our tags: space, lowercase name, optionally ="value". Anything else
# (single quotes, no quotes, spaces around '=', upper case, '/') goes through html.parser's rules.
_PLAIN_ATTRIBUTES = re.compile(r'(?:[\t\n\f\r ]+[a-z][-a-z0-9_:.]*(?:="[^"]*")?)*[\t\n\f\r ]*').fullmatch
_PLAIN_ATTRIBUTE = re.compile(r'[\t\n\f\r ]+([a-z][-a-z0-9_:.]*)(?:(=)"([^"]*)")?').findall
_LINK_ATTRIBUTE = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src", "area": "href",
                   "video": "src", "audio": "src"}  # scan.LINK_ATTRIBUTES, one attribute a tag
# Tags whose start tag needs more than ids, links, lang and the stack.
_SPECIAL = frozenset({"html", "img", "input", "svg", "a", "button", "figure", "figcaption", "time", *HEADINGS})
_NAMED = ("a", "button")
_NAMING = frozenset({"img", "input", "svg"})  # may name the links and buttons they are in (so may any with a role)
# Start tags as written -> what _Tag makes of them. A site's pages share most of their tags
# (the page shell, teasers), so most tags are read once per worker, not once per page.
_TAGS: dict[str, _Tag] = {}
_TAG_CACHE_SIZE = 20_000  # about 10 MB at most; when full it starts again


class _Tag:
    """What does not depend on where a start tag is, read once per worker (_TAGS).

    A plain tag only goes on the stack: no id, link, lang, dir, hidden, role or name that calls for
    a check. A void element is never plain: it never goes on the stack, and the reader's loop has
    one quick path for start tags, which pushes (_start_tag does nothing for a void element without
    checks; there are about ten a page). attrs holds the first attribute of each name: the checks
    read that one, the scan takes every one (scan_ids, scan_links). start is the reader's handler
    for the tag's name (_STARTS), if it has one; level (headings) and names (images, svg: they name
    the links around them) need no handler."""

    __slots__ = ("plain", "tag", "attr_list", "attrs", "self_closing", "id", "scan_ids", "scan_links", "a_name",
                 "hidden", "dir", "lang", "problem", "labelled", "names", "level", "start", "attributes")

    def __init__(self, name: str, attr_text: str):
        self.tag = tag = name.lower()
        self_closing = False
        if not attr_text:
            attr_list = []
        elif _PLAIN_ATTRIBUTES(attr_text):
            attr_list = [(n, (unescape(v) if "&" in v else v) if e else None)
                         for n, e, v in _PLAIN_ATTRIBUTE(attr_text)]
        else:
            attr_list, self_closing = read_attributes(attr_text)
        attrs = dict(reversed(attr_list))  # the first of each name wins
        id_ = attrs.get("id")
        a_name = attrs.get("name") if tag == "a" else None
        duplicates = len(attrs) != len(attr_list)
        if duplicates:  # an attribute named twice: the scan takes every one, the checks the first
            scan_ids, scan_links = ids_and_links(tag, attr_list)
            self.scan_ids, self.scan_links = tuple(scan_ids), tuple(scan_links)
        else:
            link = attrs.get(_LINK_ATTRIBUTE[tag]) if tag in _LINK_ATTRIBUTE else None
            self.scan_ids = () if id_ is None and a_name is None else tuple(i for i in (id_, a_name) if i is not None)
            self.scan_links = () if link is None else (link,)
            if tag in SRCSET_TAGS and "srcset" in attrs:  # src and every srcset candidate, in order
                self.scan_links = tuple(ids_and_links(tag, attr_list)[1])
        hidden = "hidden" in attrs or attrs.get("aria-hidden") == "true" or tag == "template"
        dir_ = (attrs.get("dir") or "").lower()
        lang = (attrs.get("lang") or "").strip()
        problem = _lang_problem(lang) if lang else None
        role = "role" in attrs
        special = role or tag in _SPECIAL
        self.plain = not (duplicates or id_ is not None or self.scan_links or a_name is not None or hidden or dir_
                          or problem or special or self_closing or tag in RAW_CLOSERS or tag in VOID)
        self.attr_list, self.attrs, self.self_closing = attr_list, attrs, self_closing
        self.id, self.a_name, self.hidden, self.dir, self.lang, self.problem = id_, a_name, hidden, dir_, lang, problem
        # An aria-label, title or aria-labelledby names a link or button.
        self.labelled = bool((attrs.get("aria-label") or "").strip() or (attrs.get("title") or "").strip()
                             or (attrs.get("aria-labelledby") or "").strip())
        self.names = (role or tag in _NAMING) and _names_around(tag, attrs)
        self.level = _heading_level(tag, attrs) if role else HEADINGS.get(tag)
        self.start = _STARTS.get(tag)
        self.attributes = bool(tag == "html" or problem or self.scan_ids or self.names)  # see _Reader._attributes


def _read_tag(tags: dict[str, _Tag], match: re.Match) -> _Tag:
    """A start tag not met before (or since the memory of tags started again), remembered."""
    if len(tags) >= _TAG_CACHE_SIZE:
        tags.clear()
    tag = tags[match.group()] = _Tag(*match.group(2, 3))
    return tag


@lru_cache(maxsize=256)
def _lang_problem(lang: str) -> str | None:
    """'lang-invalid', 'rtl' (needs dir="rtl") or None, for a stripped, non-empty lang value."""
    if not known_language(lang):
        return "lang-invalid"
    return "rtl" if text_direction(lang) == "rtl" else None


def _names_around(tag: str, attrs: dict[str, str | None]) -> bool:
    """Whether the element names the links and buttons it is in: an image's alt, the label of an svg or role=img."""
    if tag == "img":
        alt = attrs.get("alt")
        return alt is not None and bool(alt.strip())
    if tag == "input" and (attrs.get("type") or "").lower() == "image":
        return bool((attrs.get("alt") or "").strip())
    if tag == "svg" or attrs.get("role") == "img":
        label = attrs.get("aria-label") or attrs.get("title")
        return bool(label and label.strip())
    return False


def _heading_level(tag: str, attrs: dict[str, str | None]) -> int | None:
    """1 to 6 for h1 to h6, aria-level (or 2) for role="heading", else None."""
    level = HEADINGS.get(tag)
    if level is None and attrs.get("role") == "heading":
        aria_level = attrs.get("aria-level") or ""
        level = int(aria_level) if aria_level.isdecimal() else 2  # not isdigit: int() refuses "²"
    return level


# Pages of a site repeat their <time> values (dates of teasers, of the page itself).
_valid_time = lru_cache(maxsize=1024)(valid_time_value)


_ID = object()  # in a part's events: an id, judged for duplicates where the part is used


def _duplicate_id(id_: str, first_line: int, line: int, snippet: str, nth: int) -> tuple:
    """The finding of an id used again (the nth time)."""
    return ("duplicate-id", f"id \"{id_}\" is already used on line {first_line}", line, snippet, f'id="{id_}"', nth)


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
    events: tuple
    scan_ids: frozenset[str]
    links: tuple[tuple[str, int], ...]
    names: frozenset[str]
    fragment_links: tuple
    headings: tuple
    newlines: int

    @staticmethod
    def of(reader: _Reader, html: str, position: int) -> _Part | None:
        if (reader.unmatched or reader.seen_html or len(reader.stack) != 1 or position != len(html)
                or reader.figures or "<!" in html or "<?" in html):
            return None
        part = _Part()
        part.events = tuple(reader.found)
        part.scan_ids = frozenset(reader.scan.ids)
        part.links = tuple(reader.scan.links)
        part.names = frozenset(reader.names)
        part.fragment_links = tuple(reader.fragment_links)
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
    reader = _Reader(within=(hidden, dir_))
    reader.read(text)
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


_OUTSIDE = ("", False, "", None)  # the bottom of the stack when reading a whole page


class _Reader:
    """Reads a page (or a part) once: a loop over its tokens (read) and a handler for each kind.

    The loop itself handles what most tokens are: a plain start tag, which only goes on the stack,
    and an end tag that closes the innermost element. Other start tags go to _start_tag, which
    scans their links, has _attributes check what their attributes call for (ids, lang, <html>),
    calls the handler of the tag's name (_STARTS: img, input, a, button, figure, figcaption, time)
    and puts the element on the stack; headings and the elements that name the links around them
    (svg, role="img") need no handler of their own, their _Tag says what they are. An end tag that
    is not the innermost element's goes to _end_tag; closing an element (_close) runs the rules of
    its name (_CLOSES). Each Python call costs about as much as a few checks, so the commonest
    paths (plain tags, most end tags, a tag without ids or lang) make as few as they can."""

    def __init__(self, within: tuple[bool, str] | None = None):
        """`within` (hidden, dir): to read a part alone, as if inside such an element."""
        self.scan = PageScan()
        # (rule, message, line, snippet, needle, nth); in a part read alone also (_ID, id, line, snippet)
        self.found: list[tuple] = []
        self.seen_html = False
        self.headings: list[list] = []  # [level, line, text, element]
        self.figures: list[tuple[list, list]] = []  # (images, captions)
        self.open_texts: list[list[str]] = []  # text lists of the open elements collecting text, outermost first
        self.open_named: list[_Element] = []  # open a and button elements, outermost first
        # tag, hidden, dir, element; at the bottom one no end tag closes (no tag is named "")
        self.stack: list[tuple[str, bool, str, _Element | None]] = [_OUTSIDE if within is None
                                                                     else ("", within[0], within[1], None)]
        self.ids: dict[str, int] = {}  # id -> the line of its first use
        self.id_counts: dict[str, int] = {}
        self.names: set[str] = set()  # <a name=...>, targets of fragment links too
        self.fragment_links: list[tuple[str, int, _Element]] = []  # (#target, line, a element)
        self.within = within
        self.unmatched = False  # an end tag closed no open element
        self.part: _Part | None = None  # what reading a part alone found, when it can stand for reading it

    def read(self, html: str, parts: Iterable[str] = ()) -> None:
        """One pass, every rule. `parts`: texts that may occur in the page, in order, each read once per
        process (see _Part)."""
        stack, open_texts, open_named, tags = self.stack, self.open_texts, self.open_named, _TAGS
        start_tag, end_tag, close, text = self._start_tag, self._end_tag, self._close, self._text
        search, count = TOKEN.search, html.count
        counted_to, line, position, size = 0, 1, 0, len(html)
        spans = _spans(html, parts) if parts else []
        span_start = spans[-1][0] if spans else size + 1

        while (match := search(html, position)) is not None:
            start = match.start()
            if start >= span_start:  # a part of the page may start here
                part, end = self._part_at(spans, start)
                span_start = spans[-1][0] if spans else size + 1
                if part is not None:
                    line += count("\n", counted_to, start)
                    self._paste(part, line - 1)
                    line += part.newlines
                    position = counted_to = end
                    continue
            if start > position and (open_texts or open_named):
                text(html[position:start])
            position = match.end()
            kind = match.lastindex  # 3: start tag; 1: end tag; None: comment, doctype... (nothing to check)

            if kind == 3:
                tag = tags.get(match.group()) or _read_tag(tags, match)
                top = stack[-1]
                # A plain tag only goes on the stack, unless it is in a figcaption, which keeps the
                # text of each child apart.
                if tag.plain and (top[3] is None or top[3].child_texts is None):
                    stack.append((tag.tag, top[1], top[2], None))
                    continue
                line += count("\n", counted_to, start)
                counted_to = start
                position = start_tag(tag, line, html, position)
            elif kind == 1:  # an end tag closes the innermost open element of its name
                name = match.group(1).lower()
                if stack[-1][0] == name:
                    if (element := stack.pop()[3]) is not None:
                        close(element)
                else:
                    end_tag(name)
        self._end(html, position)

    def _part_at(self, spans: list[tuple[int, int, str]], start: int) -> tuple[_Part | None, int]:
        """The part whose span is next, if it starts at `start` and can stand for reading its text here,
        and where it ends. Drops the spans that start before (or, for a used part, inside) it."""
        at, end, text = spans.pop()
        while spans and spans[-1][0] < start:  # parts inside a part, or inside raw text
            spans.pop()
        element = self.stack[-1][3]
        if (at != start or self.open_texts or self.open_named or self.figures
                or (element is not None and element.child_texts is not None)):
            return None, end
        hidden, dir_ = self.stack[-1][1:3]
        part = _part(text, hidden, dir_)
        if part is not None:
            while spans and spans[-1][0] < end:
                spans.pop()
        return part, end

    def _paste(self, part: _Part, offset: int) -> None:
        """What reading the part alone found, as if read here: lines moved by `offset`, ids counted with the page's."""
        found, ids, id_counts = self.found, self.ids, self.id_counts
        for event in part.events:
            if event[0] is _ID:
                _, id_, id_line, snippet = event
                id_counts[id_] = n = id_counts.get(id_, 0) + 1
                if n > 1:
                    found.append(_duplicate_id(id_, ids[id_], id_line + offset, snippet, n))
                else:
                    ids[id_] = id_line + offset
            else:
                found.append((event[0], event[1], event[2] + offset, *event[3:]))
        self.scan.ids.update(part.scan_ids)
        self.names.update(part.names)
        self.scan.links.extend([(href, at + offset) for href, at in part.links])
        self.fragment_links.extend([(target, at + offset, element) for target, at, element in part.fragment_links])
        self.headings.extend([[level, at + offset, text, element] for level, at, text, element in part.headings])

    def _text(self, text: str) -> None:
        """Text while an element collects it (headings, time, figcaption) or it may name a link or button."""
        if "&" in text:
            text = unescape(text)
        top = self.stack[-1]
        if (element := top[3]) is not None and element.own_text is not None:
            element.own_text.append(text)
        for collected in self.open_texts:
            collected.append(text)
        if self.open_named and not top[1] and text.strip():
            for element in self.open_named:
                element.named = True

    def _start_tag(self, tag: _Tag, line: int, html: str, position: int) -> int:
        """A start tag that is more than plain (or any in a figcaption). Returns where reading goes on:
        after the tag, or after the raw text of script and style."""
        name = tag.tag
        _, parent_hidden, parent_dir, parent = self.stack[-1]
        hidden = parent_hidden or tag.hidden
        dir_ = tag.dir or parent_dir
        for link in tag.scan_links:  # its ids: in _attributes
            self.scan.links.append((link, line))
        if tag.attributes:
            self._attributes(tag, line, dir_)
        element = start(self, tag, line, hidden) if (start := tag.start) is not None else None
        if tag.level is not None and not hidden:
            element = self._heading(tag, line, hidden, element)
        if name in VOID:
            return position
        if parent is not None and parent.child_texts is not None and parent.tag == "figcaption":
            element = self._figcaption_child(tag, line, hidden, parent, element)
        self.stack.append((name, hidden, dir_, element))
        if element is not None:
            if element.text is not None:
                self.open_texts.append(element.text)
            if name in _NAMED:
                self.open_named.append(element)
        if tag.self_closing or name in RAW_CLOSERS:
            return self._close_at_once(tag, element, html, position)
        return position

    def _attributes(self, tag: _Tag, line: int, dir_: str) -> None:
        """What a start tag's own attributes call for: <html> and its lang, a lang that is not valid or
        needs dir="rtl", ids (for the link checker, and counted for duplicates), an anchor's name, the
        name an image or svg gives the links around it. In this order, the order of their findings."""
        if tag.tag == "html":
            self._html(tag, line)
        if tag.problem is not None:
            self._language(tag, line, dir_)
        if tag.scan_ids:  # there is no id or a name= without them
            self.scan.ids.update(tag.scan_ids)
            if tag.id is not None:
                self._id(tag.id, tag, line)
            if tag.a_name:
                self.names.add(tag.a_name)
        if tag.names:
            self._name_open_elements()

    def _html(self, tag: _Tag, line: int) -> None:
        self.seen_html = True
        if not (tag.attrs.get("lang") or "").strip():
            self.found.append(("html-lang", "<html> has no lang attribute" if "lang" not in tag.attrs
                               else "<html> has an empty lang attribute", line, tag_snippet(tag.tag, tag.attr_list),
                               "", 1))

    def _language(self, tag: _Tag, line: int, dir_: str) -> None:
        lang = tag.lang
        if tag.problem == "lang-invalid":
            self.found.append(("lang-invalid", f"lang=\"{lang}\" is not a valid language tag", line,
                               tag_snippet(tag.tag, tag.attr_list), lang, 1))
        elif dir_ not in ("rtl", "auto") and tag.tag != "bdi":
            self.found.append(("dir-missing", f"right-to-left text (lang=\"{lang}\") without dir=\"rtl\"", line,
                               tag_snippet(tag.tag, tag.attr_list), lang, 1))

    def _id(self, id_: str, tag: _Tag, line: int) -> None:
        if self.within is not None:  # a part read alone: judged where the part is used
            self.found.append((_ID, id_, line, tag_snippet(tag.tag, tag.attr_list)))
            return
        self.id_counts[id_] = n = self.id_counts.get(id_, 0) + 1
        if n > 1:
            self.found.append(_duplicate_id(id_, self.ids[id_], line, tag_snippet(tag.tag, tag.attr_list), n))
        else:
            self.ids[id_] = line

    def _name_open_elements(self) -> None:
        for element in self.open_named:
            if not element.hidden:
                element.named = True

    def _heading(self, tag: _Tag, line: int, hidden: bool, element: _Element | None) -> _Element:
        if element is None:
            element = _Element(tag.tag, tag.attrs, line, tag.attr_list, hidden)
        element.text = []
        element.heading = [tag.level, line, "", element]
        self.headings.append(element.heading)
        return element

    # The handlers of _STARTS: what a start tag of that name checks; the element to keep open, if any.

    def _start_img(self, tag: _Tag, line: int, hidden: bool) -> None:
        attrs = tag.attrs
        alt = attrs.get("alt")
        if alt is None:
            if not hidden and attrs.get("role") not in ("presentation", "none"):
                src = attrs.get("src") or ""
                self.found.append(("img-alt", f"image {src or '(no src)'} has no alt attribute", line,
                                   tag_snippet(tag.tag, tag.attr_list), src, 1))
        elif self.figures and alt.strip():
            self.figures[-1][0].append((alt, line, tag_snippet(tag.tag, tag.attr_list), attrs.get("src") or ""))

    def _start_input(self, tag: _Tag, line: int, hidden: bool) -> None:
        attrs = tag.attrs
        if hidden or (attrs.get("type") or "").lower() != "button":
            return
        if not (attrs.get("value") or attrs.get("aria-label") or attrs.get("title") or "").strip():
            self.found.append(("empty-button", "a button has no text or label", line,
                               tag_snippet(tag.tag, tag.attr_list), "", 1))

    def _start_a(self, tag: _Tag, line: int, hidden: bool) -> _Element:
        element = _Element(tag.tag, tag.attrs, line, tag.attr_list, hidden)
        if (href := tag.attrs.get("href")) is not None:
            # "#:~:text=..." is a text fragment directive, not an id; only the part before ":~:" is
            target = href[1:].split(":~:", 1)[0] if href.startswith("#") else ""
            if target:
                self.fragment_links.append((target, line, element))
            if tag.labelled and not hidden:
                element.named = True
        return element

    def _start_button(self, tag: _Tag, line: int, hidden: bool) -> _Element:
        element = _Element(tag.tag, tag.attrs, line, tag.attr_list, hidden)
        if tag.labelled and not hidden:
            element.named = True
        return element

    def _start_figure(self, tag: _Tag, line: int, hidden: bool) -> _Element:
        self.figures.append(([], []))  # (images, captions)
        return _Element(tag.tag, tag.attrs, line, tag.attr_list, hidden)

    def _start_figcaption(self, tag: _Tag, line: int, hidden: bool) -> _Element:
        element = _Element(tag.tag, tag.attrs, line, tag.attr_list, hidden)
        element.text, element.own_text, element.child_texts = [], [], []
        return element

    def _start_time(self, tag: _Tag, line: int, hidden: bool) -> _Element:
        element = _Element(tag.tag, tag.attrs, line, tag.attr_list, hidden)
        element.text = []
        return element

    def _close_at_once(self, tag: _Tag, element: _Element | None, html: str, position: int) -> int:
        """A self-closing tag ('/>') closes at once; script and style close at the end of their raw text."""
        if not tag.self_closing:
            return self._raw_text(tag.tag, element, html, position)
        self.stack.pop()
        if element is not None:
            self._close(element)
        return position

    def _figcaption_child(self, tag: _Tag, line: int, hidden: bool, parent: _Element,
                          element: _Element | None) -> _Element:
        """A figcaption keeps the text of each child apart: the alt may repeat just one of them."""
        if element is None:
            element = _Element(tag.tag, tag.attrs, line, tag.attr_list, hidden)
        if element.text is None:
            element.text = []
        if parent.child_texts is not None:  # always, for a figcaption (_start_tag)
            parent.child_texts.append(element.text)
        return element

    def _raw_text(self, name: str, element: _Element | None, html: str, position: int) -> int:
        """Script and style: nothing in them is a tag, not even "<!--". Where they end, or the page's end."""
        closing = RAW_CLOSERS[name].search(html, position)
        if not closing:
            return len(html)
        self.stack.pop()
        if element is not None:
            self._close(element)
        return closing.end()

    def _end_tag(self, name: str) -> None:
        """An end tag that is not the innermost element's: it closes the innermost element of its name
        and every element inside that, or nothing."""
        stack = self.stack
        for i in range(len(stack) - 2, -1, -1):
            if stack[i][0] == name:
                break
        else:
            self.unmatched = True  # in a part read alone: it may close an element outside the part
            return
        while len(stack) > i:
            if (element := stack.pop()[3]) is not None:
                self._close(element)

    def _close(self, element: _Element) -> None:
        if element.text is not None:
            self.open_texts.pop()
        if element.heading is not None:
            element.heading[2] = " ".join("".join(element.text or []).split())
        if (close := _CLOSES.get(element.tag)) is not None:
            close(self, element)

    # The handlers of _CLOSES: the rules judged when an element of that name closes.

    def _close_named(self, element: _Element) -> None:
        self.open_named.pop()
        if element.hidden or element.named:
            return
        if element.tag == "button":
            self.found.append(("empty-button", "a button has no text or label", element.line, element.snippet, "", 1))
        elif (href := element.attrs.get("href")) is not None:
            self.found.append(("empty-link", f"the link to {href} has no text, alt text or label", element.line,
                               element.snippet, href, 1))

    def _close_time(self, element: _Element) -> None:
        value = element.attrs.get("datetime")
        text = " ".join("".join(element.text or []).split())
        if value is None:
            if not _valid_time(text):
                self.found.append(("time-datetime", f"<time>{text[:40]}</time> has no datetime attribute",
                                   element.line, element.snippet, text, 1))
        elif not _valid_time(value.strip()):
            self.found.append(("time-datetime", f"datetime=\"{value}\" is not a valid date, time or duration",
                               element.line, element.snippet, value, 1))

    def _close_figcaption(self, element: _Element) -> None:
        if self.figures:
            full = "".join(element.text or [])
            own = "".join(element.own_text or [])
            children = ["".join(t) for t in element.child_texts or []]
            self.figures[-1][1].extend(c for c in (full, own, *children) if c.strip())

    def _close_figure(self, element: _Element) -> None:
        if not self.figures:
            return
        images, captions = self.figures.pop()
        normal_captions = {normal_text(c) for c in captions}
        for alt, line, snippet, src in images:
            if normal_text(alt) in normal_captions:
                self.found.append(("alt-caption", f"the alt text of {src or 'an image'} is the same as its "
                                   f"caption (\"{alt[:60]}\")", line, snippet, alt, 1))

    def _end(self, html: str, position: int) -> None:
        """After the last token: a part keeps what it found; a page closes what is open and judges what
        needed all of it (fragment links, headings)."""
        if self.within is not None:
            self.part = _Part.of(self, html, position)
            return
        stack = self.stack
        if position < len(html) and (self.open_texts or self.open_named) and stack[-1][0] not in RAW_CLOSERS:
            self._text(html[position:])
        while stack:
            if (element := stack.pop()[3]) is not None:
                self._close(element)
        self._judge_fragment_links()
        self._judge_headings()

    def _judge_fragment_links(self) -> None:
        ids, names = self.ids, self.names
        for target, line, element in self.fragment_links:
            if target not in ids and target not in names and target.lower() != "top":
                self.found.append(("skip-link-target", f"the link to #{target} has no target: no element has "
                                   f"id=\"{target}\"", line, element.snippet, "#" + target, 1))

    def _judge_headings(self) -> None:
        headings = self.headings
        h1_count = 0
        for index, (level, line, text, element) in enumerate(headings):
            if level == 1:
                h1_count += 1
                if h1_count > 1:
                    self.found.append(("multiple-h1", f"a second h1 (\"{text[:60]}\"): a page has one h1", line,
                                       element.snippet, text, 1))
            if index:
                before = headings[index - 1][0]
                if level > before + 1:
                    self.found.append(("heading-order", f"h{level} (\"{text[:60]}\") follows h{before}: "
                                       f"heading level{'s' if level - before > 2 else ''} "
                                       f"{', '.join(f'h{n}' for n in range(before + 1, level))} skipped", line,
                                       element.snippet, text, 1))


_STARTS = {"img": _Reader._start_img, "input": _Reader._start_input, "a": _Reader._start_a,
           "button": _Reader._start_button, "figure": _Reader._start_figure,
           "figcaption": _Reader._start_figcaption, "time": _Reader._start_time}
_CLOSES = {"a": _Reader._close_named, "button": _Reader._close_named, "time": _Reader._close_time,
           "figcaption": _Reader._close_figcaption, "figure": _Reader._close_figure}


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
