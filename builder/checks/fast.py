"""Accessibility checks on the final HTML of a page: one pass (checks.tokens), no browser, milliseconds.

They catch what is cheap to catch on every build, and some of what axe-core cannot see (an alt
text that repeats its caption, `<time>` values, right-to-left text without `dir`):

    img-alt           <img> without an alt attribute
    alt-caption       alt text equal to the caption of its figure
    html-lang         <html> without lang, or with an empty one
    lang-invalid      a lang attribute that is not a BCP 47 tag of a known language
    dir-missing       right-to-left content (lang=ar, fa, he, ur, ...) not inside dir="rtl"
    heading-order     a heading more than one level below the one before it (h2 -> h4)
    multiple-h1       more than one h1
    empty-link        a link with no text, alt text or label
    empty-button      a button with no text or label
    duplicate-id      an id used by more than one element
    skip-link-target  a link to #id on the same page where no element has that id
    time-datetime     <time> whose datetime (or text, without one) is not a valid date, time or duration

`check_page` returns Findings naming the page and, when the page was made from one Markdown file
and the offending text can be found in it, that file and line.
"""

from __future__ import annotations

import calendar
import re
from functools import lru_cache
from pathlib import Path

from babel import Locale

from builder.checks.findings import Finding
from builder.checks.tokens import HtmlEvents
from builder.languages import is_valid_tag, text_direction

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                  "track", "wbr"})
RAW_TEXT = frozenset({"script", "style"})
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
SNIPPET_LENGTH = 200

# Two-letter language subtags CLDR knows, plus deprecated ones browsers still understand.
@lru_cache(maxsize=1)
def _known_2_letter() -> frozenset[str]:
    # Loading CLDR's language names takes ~30 ms: only when a page is checked, not at import.
    return frozenset(k for k in Locale("en").languages if len(k) == 2) | {"iw", "in", "ji", "jw", "mo"}


def known_language(tag: str) -> bool:
    """A BCP 47 tag whose primary language is a real one: 'en', 'hy-AM', 'ast'; not 'xx', 'english'."""
    if not is_valid_tag(tag):
        return False
    primary = tag.split("-", 1)[0].lower()
    return len(primary) == 3 or primary in _known_2_letter()


# <time datetime> values (HTML Living Standard, "the time element").
_DATE = r"(?P<y>\d{4,})-(?P<m>\d\d)-(?P<d>\d\d)"
_TIME = r"(?P<H>\d\d):(?P<M>\d\d)(?::(?P<S>\d\d)(?:\.\d{1,3})?)?"
_ZONE = r"(?P<z>Z|[+-](?P<zh>\d\d):?(?P<zm>\d\d))"
_TIME_VALUES = [re.compile(p + r"\Z") for p in (
    r"(?P<y>\d{4,})",  # year
    r"(?P<y>\d{4,})-(?P<m>\d\d)",  # month
    _DATE,  # date
    r"(?:--)?(?P<m>\d\d)-(?P<d>\d\d)",  # yearless date
    _TIME,  # time
    _DATE + "[T ]" + _TIME,  # local date and time
    _ZONE,  # time-zone offset
    _DATE + "[T ]" + _TIME + _ZONE,  # global date and time
    r"(?P<y>\d{4,})-W(?P<w>\d\d)",  # week
)]
_DURATION = re.compile(r"P(?=\d|T\d)(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d{1,3})?S)?)?\Z")
_DURATION_WORDS = re.compile(r"(?:\s*\d+(?:\.\d{1,3})?\s*[WwDdHhMmSs])+\s*\Z")


def valid_time_value(value: str) -> bool:
    """A valid <time> datetime: year, month, date, yearless date, time, date and time, zone, week or duration."""
    if _DURATION.match(value) or _DURATION_WORDS.match(value):
        return True
    for pattern in _TIME_VALUES:
        if match := pattern.match(value):
            g = {k: int(v) for k, v in match.groupdict().items() if v is not None and k != "z"}
            if not g.get("y", 1) or not 1 <= g.get("m", 1) <= 12:
                return False
            if "d" in g and not 1 <= g["d"] <= calendar.monthrange(g.get("y", 2000), g.get("m", 1))[1]:
                return False
            if g.get("H", 0) > 23 or g.get("M", 0) > 59 or g.get("S", 0) > 59:
                return False
            if g.get("zh", 0) > 23 or g.get("zm", 0) > 59:
                return False
            if "w" in g and not 1 <= g["w"] <= (53 if _has_53_weeks(g["y"]) else 52):
                return False
            return True
    return False


def _has_53_weeks(year: int) -> bool:
    import datetime

    return datetime.date(year, 12, 28).isocalendar()[1] == 53


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold().rstrip(".")


def _snippet(tag: str, attrs: list[tuple[str, str | None]]) -> str:
    parts = [tag] + [name if value is None else f'{name}="{value}"' for name, value in attrs]
    text = "<" + " ".join(parts) + ">"
    return text if len(text) <= SNIPPET_LENGTH else text[: SNIPPET_LENGTH - 1] + "…"


class _Element:
    __slots__ = ("tag", "attrs", "line", "attr_list", "dir", "hidden", "text", "own_text", "named", "child_texts",
                 "heading")

    def __init__(self, tag, attrs, line, attr_list, dir_, hidden):
        self.tag, self.attrs, self.line, self.attr_list = tag, attrs, line, attr_list
        self.dir, self.hidden = dir_, hidden
        self.text: list[str] | None = None  # collected text, for elements that need it
        self.own_text: list[str] | None = None  # text not inside a child element (figcaption)
        self.named = False  # an accessible name was found (a, button)
        self.child_texts: list[list[str]] | None = None  # text of each child element (figcaption)
        self.heading: int | None = None  # index into the checker's headings

    @property
    def snippet(self) -> str:
        return _snippet(self.tag, self.attr_list)


class _Checker(HtmlEvents):
    def __init__(self):
        self.stack: list[_Element] = []
        self.found: list[tuple[str, str, int, str, str, int]] = []  # rule, message, line, snippet, needle, nth
        self.ids: dict[str, int] = {}
        self.id_counts: dict[str, int] = {}
        self.names: set[str] = set()  # a name="..." (old-style anchors)
        self.fragment_links: list[tuple[str, int, str]] = []
        self.headings: list[tuple[int, int, str, _Element]] = []  # level, line, text, element
        self.h1_count = 0
        self.labelled_by: list[tuple[str, _Element]] = []
        self.figures: list[dict] = []
        self.seen_html = False

    def report(self, rule: str, message: str, line: int, snippet: str, needle: str = "", nth: int = 1) -> None:
        self.found.append((rule, message, line, snippet, needle, nth))

    # Structure

    def handle_starttag(self, tag, attr_list):  # noqa: C901 - one pass, every rule
        line = self.line
        attrs = {}
        for name, value in attr_list:
            attrs.setdefault(name, value)
        parent = self.stack[-1] if self.stack else None
        hidden = bool(parent and parent.hidden) or "hidden" in attrs or attrs.get("aria-hidden") == "true" \
            or tag == "template"
        dir_ = (attrs.get("dir") or "").lower() or (parent.dir if parent else "")
        element = _Element(tag, attrs, line, attr_list, dir_, hidden)

        if tag == "html":
            self.seen_html = True
            if not (attrs.get("lang") or "").strip():
                self.report("html-lang", "<html> has no lang attribute" if "lang" not in attrs
                            else "<html> has an empty lang attribute", line, element.snippet)
        lang = attrs.get("lang")
        if lang and lang.strip():
            lang = lang.strip()
            if not known_language(lang):
                self.report("lang-invalid", f"lang=\"{lang}\" is not a valid language tag", line, element.snippet, lang)
            elif text_direction(lang) == "rtl" and dir_ not in ("rtl", "auto") and tag != "bdi":
                self.report("dir-missing", f"right-to-left text (lang=\"{lang}\") without dir=\"rtl\"",
                            line, element.snippet, lang)

        if (id_ := attrs.get("id")) is not None:
            self.id_counts[id_] = self.id_counts.get(id_, 0) + 1
            if id_ in self.ids:
                self.report("duplicate-id", f"id \"{id_}\" is already used on line {self.ids[id_]}", line,
                            element.snippet, f'id="{id_}"', self.id_counts[id_])
            else:
                self.ids[id_] = line
        if tag == "a" and attrs.get("name"):
            self.names.add(attrs["name"])

        if tag == "img":
            self._image(attrs, line, element, hidden)
        elif tag == "input" and (attrs.get("type") or "").lower() == "image":
            self._add_name(attrs.get("alt") or "")
        elif tag == "svg" or attrs.get("role") == "img":
            if attrs.get("aria-label") or attrs.get("title"):
                self._add_name(attrs.get("aria-label") or attrs.get("title") or "")

        if tag == "a" and (href := attrs.get("href")) is not None:
            if href.startswith("#") and len(href) > 1:
                self.fragment_links.append((href[1:], line, element))
            if not hidden:
                self._needs_name(element)
        elif tag == "button" and not hidden:
            self._needs_name(element)
        elif tag == "input" and not hidden and (attrs.get("type") or "").lower() == "button":
            if not (attrs.get("value") or attrs.get("aria-label") or attrs.get("title") or "").strip():
                self.report("empty-button", "a button has no text or label", line, element.snippet)

        level = HEADINGS.get(tag)
        if level is None and attrs.get("role") == "heading":
            level = int(attrs["aria-level"]) if (attrs.get("aria-level") or "").isdigit() else 2
        if level is not None and not hidden:
            element.text = []
            element.heading = len(self.headings)
            self.headings.append((level, line, "", element))

        if tag == "figure":
            self.figures.append({"images": [], "captions": []})
        elif tag == "figcaption":
            element.text, element.own_text, element.child_texts = [], [], []
        elif tag == "time":
            element.text = []

        if tag in VOID:
            return
        if parent and parent.child_texts is not None and parent.tag == "figcaption":
            element.text = element.text if element.text is not None else []
            parent.child_texts.append(element.text)
        self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i].tag == tag:
                break
        else:
            return
        while len(self.stack) > i:
            self._close(self.stack.pop())

    def handle_data(self, data):
        if not self.stack:
            return
        top = self.stack[-1]
        if top.tag in RAW_TEXT:
            return
        if top.own_text is not None:
            top.own_text.append(data)
        for element in self.stack:
            if element.text is not None:
                element.text.append(data)
        if data.strip() and not top.hidden:
            for element in self.stack:
                if element.tag in ("a", "button"):
                    element.named = True

    def close(self):
        super().close()
        while self.stack:
            self._close(self.stack.pop())
        for target, line, element in self.fragment_links:
            if target not in self.ids and target not in self.names and target.lower() != "top":
                self.report("skip-link-target", f"the link to #{target} has no target: no element has id=\"{target}\"",
                            line, element.snippet, "#" + target)
        for level_index, (level, line, text, element) in enumerate(self.headings):
            if level == 1:
                self.h1_count += 1
                if self.h1_count > 1:
                    self.report("multiple-h1", f"a second h1 (\"{text[:60]}\"): a page has one h1", line,
                                element.snippet, text)
            if level_index:
                before = self.headings[level_index - 1][0]
                if level > before + 1:
                    self.report("heading-order", f"h{level} (\"{text[:60]}\") follows h{before}: "
                                f"heading level{'s' if level - before > 2 else ''} "
                                f"{', '.join(f'h{n}' for n in range(before + 1, level))} skipped", line,
                                element.snippet, text)

    # Pieces

    def _image(self, attrs, line, element, hidden):
        alt = attrs.get("alt")
        src = attrs.get("src") or ""
        if alt is None:
            if not hidden and attrs.get("role") not in ("presentation", "none"):
                self.report("img-alt", f"image {src or '(no src)'} has no alt attribute", line, element.snippet, src)
        else:
            self._add_name(alt)
        if self.figures and alt and alt.strip():
            self.figures[-1]["images"].append((alt, line, element, src))

    def _add_name(self, text: str) -> None:
        if text.strip():
            for element in self.stack:
                if element.tag in ("a", "button") and not element.hidden:
                    element.named = True

    def _needs_name(self, element: _Element) -> None:
        attrs = element.attrs
        if (attrs.get("aria-label") or "").strip() or (attrs.get("title") or "").strip():
            element.named = True
        elif (attrs.get("aria-labelledby") or "").strip():
            self.labelled_by.append((attrs["aria-labelledby"], element))
            element.named = True

    def _close(self, element: _Element) -> None:
        tag = element.tag
        if tag in ("a", "button") and not element.hidden and not element.named:
            if tag == "button":
                self.report("empty-button", "a button has no text or label", element.line, element.snippet)
            elif element.attrs.get("href") is not None:
                href = element.attrs["href"]
                self.report("empty-link", f"the link to {href} has no text, alt text or label",
                            element.line, element.snippet, href)
        if element.heading is not None:
            level, line, _, heading = self.headings[element.heading]
            self.headings[element.heading] = (level, line, " ".join("".join(element.text or []).split()), heading)
        if tag == "time":
            value = element.attrs.get("datetime")
            text = " ".join("".join(element.text or []).split())
            if value is None:
                if not valid_time_value(text):
                    self.report("time-datetime", f"<time>{text[:40]}</time> has no datetime attribute",
                                element.line, element.snippet, text)
            elif not valid_time_value(value.strip()):
                self.report("time-datetime", f"datetime=\"{value}\" is not a valid date, time or duration",
                            element.line, element.snippet, value)
        elif tag == "figcaption" and self.figures:
            full = "".join(element.text or [])
            own = "".join(element.own_text or [])
            children = ["".join(t) for t in element.child_texts or []]
            self.figures[-1]["captions"].extend(c for c in (full, own, *children) if c.strip())
        elif tag == "figure" and self.figures:
            figure = self.figures.pop()
            captions = {_normal(c) for c in figure["captions"]}
            for alt, line, image, src in figure["images"]:
                if _normal(alt) in captions:
                    self.report("alt-caption", f"the alt text of {src or 'an image'} is the same as its caption "
                                f"(\"{alt[:60]}\")", line, image.snippet, alt)


class SourceLines:
    """Finds the line of a piece of text in a page's source file, reading the file only when asked."""

    def __init__(self, site_dir: Path | None, source: str | None):
        self.site_dir, self.source = site_dir, source
        self._lines: list[str] | None = None

    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = []
            if self.site_dir is not None and self.source:
                try:
                    self._lines = (self.site_dir / self.source).read_text(encoding="utf-8-sig").splitlines()
                except (OSError, UnicodeDecodeError):
                    pass
        return self._lines

    def find(self, *needles: str, nth: int = 1) -> int | None:
        """The line of the nth occurrence of the first needle found (URLs also without their base path)."""
        if not self.lines():
            return None
        for needle in needles:
            needle = needle.strip()
            if not needle:
                continue
            candidates = [needle]
            if "/" in needle and not needle.startswith("<"):  # a URL: the source may leave out the base path
                parts = needle.split("?")[0].split("#")[0].strip("/").split("/")
                candidates += ["/".join(parts[i:]) for i in range(1, len(parts))]
            for candidate in candidates:
                if not candidate:
                    continue
                hits = [number for number, line in enumerate(self.lines(), 1) if candidate in line]
                if hits:
                    return hits[min(nth, len(hits)) - 1]
        return None


def start_tag(snippet: str) -> str:
    """'<p class="x">text</p>' -> '<p class="x">': what a raw-HTML source most likely has verbatim."""
    end = snippet.find(">")
    return snippet[: end + 1] if snippet.startswith("<") and end > 0 else ""


def check_page(path: str, html: bytes | str, made_from: tuple[str, ...] = (), *,
               site_dir: Path | None = None) -> list[Finding]:
    """Every fast-check finding on one page, in the order of the HTML.

    `path` is the page's file relative to the output folder, `made_from` the sources it was made
    from (as recorded in the output manifest). With `site_dir`, a finding on a page made from one
    Markdown file names the line of that file where the offending text is, when it can be found.
    """
    checker = _Checker()
    checker.feed(html.decode("utf-8", errors="replace") if isinstance(html, bytes) else html)
    checker.close()
    return findings_of(checker, path, made_from, site_dir)


def findings_of(checker: _Checker, path: str, made_from: tuple[str, ...], site_dir: Path | None) -> list[Finding]:
    """The findings of a checker that has read a whole page."""
    if not checker.seen_html:
        checker.report("html-lang", "the page has no <html> element with a lang attribute", 1, "")
    if not checker.found:
        return []
    source = made_from[0] if len(made_from) == 1 and made_from[0].endswith((".md", ".markdown")) else None
    lines = SourceLines(site_dir, source)
    findings = []
    for rule, message, html_line, snippet, needle, nth in sorted(checker.found, key=lambda f: f[2]):
        findings.append(Finding(
            page=path, rule=rule, message=message, source=source,
            line=lines.find(snippet, needle, nth=nth) if source else None,
            impact=IMPACT[rule], html_line=html_line, snippet=snippet, origin="fast",
            help_url=RULE_HELP[rule][1], wcag=WCAG.get(rule, ""),
        ))
    return findings


IMPACT = {
    "img-alt": "critical", "alt-caption": "moderate", "html-lang": "serious", "lang-invalid": "serious",
    "dir-missing": "serious", "heading-order": "moderate", "multiple-h1": "moderate", "empty-link": "serious",
    "empty-button": "critical", "duplicate-id": "minor", "skip-link-target": "serious", "time-datetime": "moderate",
}
RULES = tuple(IMPACT)

_UNDERSTANDING = "https://www.w3.org/WAI/WCAG22/Understanding/"
# rule -> (what it asks for, where to learn more)
RULE_HELP = {
    "img-alt": ("Images must have an alt attribute", _UNDERSTANDING + "non-text-content.html"),
    "alt-caption": ("Alt text must not repeat the image's caption", "https://www.w3.org/WAI/tutorials/images/"),
    "html-lang": ("The page must name its language in <html lang>", _UNDERSTANDING + "language-of-page.html"),
    "lang-invalid": ("lang attributes must be valid language tags", _UNDERSTANDING + "language-of-parts.html"),
    "dir-missing": ("Right-to-left text must be marked dir=\"rtl\"",
                    "https://www.w3.org/International/questions/qa-html-dir"),
    "heading-order": ("Heading levels must go down one at a time", _UNDERSTANDING + "info-and-relationships.html"),
    "multiple-h1": ("A page must have one h1", _UNDERSTANDING + "headings-and-labels.html"),
    "empty-link": ("Links must have text", _UNDERSTANDING + "link-purpose-in-context.html"),
    "empty-button": ("Buttons must have text", _UNDERSTANDING + "name-role-value.html"),
    "duplicate-id": ("ids must be unique in a page", _UNDERSTANDING + "info-and-relationships.html"),
    "skip-link-target": ("In-page links must lead to an element of the page", _UNDERSTANDING + "bypass-blocks.html"),
    "time-datetime": ("<time> must have a valid datetime",
                      "https://html.spec.whatwg.org/multipage/text-level-semantics.html#the-time-element"),
}
WCAG = {"img-alt": "wcag111", "html-lang": "wcag311", "lang-invalid": "wcag312", "dir-missing": "wcag132",
        "heading-order": "wcag131", "duplicate-id": "wcag131", "empty-link": "wcag244,wcag412",
        "empty-button": "wcag412", "skip-link-target": "wcag241", "time-datetime": "wcag131"}
