"""The page checks as they were before the one-pass reader: two html.parser passes.

The reference the tests compare builder.checks.page with, and the baseline that
benchmarks/page_checks.py times. The checker and the link scan below are the code the build ran
(builder/checks/fast.py and scan.py) when both were html.parser subclasses; only the helpers that
did not change (language and time validation, snippets, rule tables) come from the package.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from builder.checks.fast import (
    HEADINGS,
    IMPACT,
    RAW_TEXT,
    RULE_HELP,
    VOID,
    WCAG,
    SourceLines,
    known_language,
    normal_text,
    tag_snippet,
    valid_time_value,
)
from builder.checks.findings import Finding
from builder.checks.scan import LINK_ATTRIBUTES, SRCSET_TAGS, PageScan, srcset_urls
from builder.config.languages import text_direction


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
        return tag_snippet(self.tag, self.attr_list)


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
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

    def handle_starttag(self, tag, attr_list):
        line = self.getpos()[0]
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
            captions = {normal_text(c) for c in figure["captions"]}
            for alt, line, image, src in figure["images"]:
                if normal_text(alt) in captions:
                    self.report("alt-caption", f"the alt text of {src or 'an image'} is the same as its caption "
                                f"(\"{alt[:60]}\")", line, image.snippet, alt)


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


class _Scanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scan = PageScan()

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.scan.ids.add(value)
            elif (tag, name) in LINK_ATTRIBUTES:
                self.scan.links.append((value, line))
            elif name == "srcset" and tag in SRCSET_TAGS:
                self.scan.links.extend((url, line) for url in srcset_urls(value))

    handle_startendtag = handle_starttag


def scan_html(html: bytes | str) -> PageScan:
    scanner = _Scanner()
    scanner.feed(html.decode("utf-8") if isinstance(html, bytes) else html)
    scanner.close()
    return scanner.scan


def inspect_page(path: str, html: bytes | str, made_from: tuple[str, ...] = (), *,
                 site_dir: Path | None = None) -> tuple[PageScan, list[Finding]]:
    """What the build got from its two passes: scan_html, then check_page."""
    return scan_html(html), check_page(path, html, made_from, site_dir=site_dir)
