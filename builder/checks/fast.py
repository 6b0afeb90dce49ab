"""Accessibility checks on the final HTML of a page: one pass (checks.page), no browser, milliseconds.

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

This module holds the rules: what each one asks for, the helpers that judge a value, and
`findings_of`, which turns what the reader found into Findings naming the page and, when the page
was made from one Markdown file and the offending text can be found in it, that file and line.
checks.page reads the page and has `check_page`, the checks of one page.
"""

from __future__ import annotations

import calendar
import contextlib
import re
from collections.abc import Collection
from functools import lru_cache
from pathlib import Path

from babel import Locale

from builder.checks.findings import Finding
from builder.config.languages import is_valid_tag

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                  "track", "wbr"})
RAW_TEXT = frozenset({"script", "style"})
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
SNIPPET_LENGTH = 200

# Two-letter language subtags CLDR knows, plus deprecated ones browsers still understand.
@lru_cache(maxsize=1)
def _known_2_letter() -> frozenset[str]:
    # Loading CLDR's language names takes ~30 ms: only when a page is checked, not at import.
    known = frozenset(k for k in Locale("en").languages if isinstance(k, str) and len(k) == 2)
    return known | {"iw", "in", "ji", "jw", "mo"}


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
            return not ("w" in g and not 1 <= g["w"] <= (53 if _has_53_weeks(g["y"]) else 52))
    return False


def _has_53_weeks(year: int) -> bool:
    import datetime

    return datetime.date(year, 12, 28).isocalendar()[1] == 53


def normal_text(text: str) -> str:
    """Text as an alt and a caption are compared: spaces collapsed, case folded, no final period."""
    return " ".join(text.split()).casefold().rstrip(".")


def tag_snippet(tag: str, attrs: list[tuple[str, str | None]]) -> str:
    """A start tag as findings show it: '<img src="a.png">', at most SNIPPET_LENGTH characters."""
    parts = [tag] + [name if value is None else f'{name}="{value}"' for name, value in attrs]
    text = "<" + " ".join(parts) + ">"
    return text if len(text) <= SNIPPET_LENGTH else text[: SNIPPET_LENGTH - 1] + "…"


class SourceLines:
    """Finds the line of a piece of text in a page's source file, reading the file only when asked."""

    def __init__(self, site_dir: Path | None, source: str | None):
        self.site_dir, self.source = site_dir, source
        self._lines: list[str] | None = None

    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = []
            if self.site_dir is not None and self.source:
                with contextlib.suppress(OSError, UnicodeDecodeError):
                    self._lines = (self.site_dir / self.source).read_text(encoding="utf-8-sig").splitlines()
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
                hits = [number for number, line in self.numbered() if candidate in line]
                if hits:
                    return hits[min(nth, len(hits)) - 1]
        return None

    def numbered(self) -> list[tuple[int, str]]:
        """(number, line), the body's lines before the front matter's: a finding on the page is
        most likely about the body, and a title that quotes the same markup ('How <img> works')
        must not take its line."""
        lines = list(enumerate(self.lines(), 1))
        if lines and lines[0][1].strip() == "---":
            end = next((i for i, (_, line) in enumerate(lines[1:], 1) if line.strip() in ("---", "...")), None)
            if end is not None:
                return lines[end + 1:] + lines[:end + 1]
        return lines


    def find_attribute(self, name: str, value: str, nth: int = 1) -> int | None:
        """The line of the nth attribute name=value as the source may write it: name="value",
        name='value', name=value (also inside {name=value} or {: name="value"} attribute lists)."""
        if not value.strip() or not self.lines():
            return None
        pattern = re.compile(r"(?<![\w-])" + re.escape(name) + r"\s*=\s*(?:\"" + re.escape(value) + r"\"|'"
                             + re.escape(value) + r"'|" + re.escape(value) + r"(?![^\s>}/\"'`]))", re.I)
        hits = [number for number, line in self.numbered() if pattern.search(line)]
        return hits[min(nth, len(hits)) - 1] if hits else None


def start_tag(snippet: str) -> str:
    """'<p class="x">text</p>' -> '<p class="x">': what a raw-HTML source most likely has verbatim."""
    end = snippet.find(">")
    return snippet[: end + 1] if snippet.startswith("<") and end > 0 else ""


def findings_of(found: list[tuple[str, str, int, str, str, int]], seen_html: bool, path: str,
                made_from: tuple[str, ...], site_dir: Path | None,
                allowed_rules: Collection[str] = ()) -> list[Finding]:
    """Findings from what a reader of the whole page found: (rule, message, html line, snippet, needle, nth).
    Those of allowed_rules are left out before any source file is read for their lines."""
    if not seen_html:
        found = [*found, ("html-lang", "the page has no <html> element with a lang attribute", 1, "", "", 1)]
    if allowed_rules and found:
        found = [f for f in found if f[0] not in allowed_rules]
    if not found:
        return []
    source = made_from[0] if len(made_from) == 1 and made_from[0].endswith((".md", ".markdown")) else None
    lines = SourceLines(site_dir, source)
    findings = []
    for rule, message, html_line, snippet, needle, nth in sorted(found, key=lambda f: f[2]):
        if not source:
            line = None
        elif rule in ("lang-invalid", "dir-missing"):  # the needle is a language code: find the attribute
            line = lines.find(snippet, nth=nth) or lines.find_attribute("lang", needle, nth=nth) \
                or lines.find(needle, nth=nth)
        else:
            line = lines.find(snippet, needle, nth=nth)
        findings.append(Finding(
            page=path, rule=rule, message=message, source=source, line=line,
            impact=IMPACT[rule], html_line=html_line, snippet=snippet, origin="fast",
            help_url=RULE_HELP[rule][1], wcag=WCAG.get(rule, ""), needle=needle,
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
