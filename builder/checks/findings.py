"""One accessibility finding: what is wrong, on which page, and where it was written.

The fast checks (every build, no browser) and the axe audit (real Chromium) both report these, so
the terminal, the JSON, JUnit and HTML reports and the build's error list all read one shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from builder.errors import BuildError, Debt

# axe-core's impact levels, least severe first.
IMPACTS = ("minor", "moderate", "serious", "critical")


def impact_rank(impact: str | None) -> int:
    """0 for minor .. 3 for critical; -1 for no impact (axe leaves some 'needs review' results without)."""
    return IMPACTS.index(impact) if impact in IMPACTS else -1


@dataclass(frozen=True)
class Finding:
    page: str  # output-relative file, e.g. "politics/2024/03/vote/index.html"
    rule: str  # e.g. "img-alt" (fast check), "color-contrast" (axe), "reflow-320"
    message: str
    source: str | None = None  # the source file behind the page (relative to the site), when known
    line: int | None = None  # the line in `source`, when known
    impact: str = "serious"
    html_line: int | None = None  # the line in the page's HTML, when known
    target: str = ""  # a CSS selector of the element
    snippet: str = ""  # the element's HTML, shortened
    help_url: str = ""
    detail: str = ""  # what exactly fails, e.g. axe's failure summary with the colours and ratio
    wcag: str = ""  # WCAG success criteria as axe tags, comma-separated, e.g. "wcag143"
    kind: str = "violation"  # "violation", or "incomplete" (axe could not decide: needs review)
    state: str = "default"  # the reader state the page was in: "default", "lg-320", "dark"
    origin: str = "fast"  # "fast" (checks on the HTML), "axe" or "browser" (in Chromium)
    allowed: str = ""  # the reason from site.yaml when the rule is allowed, else ""
    needle: str = ""  # what identifies the offending element: its src, its text, the #id it links to
    known: str = ""  # the accessibility baseline entry it matches ("file: rule: needle"), else ""

    def location(self) -> str:
        """'content/x.md:12', 'content/x.md', or the page with its HTML line."""
        if self.source:
            return f"{self.source}:{self.line}" if self.line else self.source
        return f"{self.page}:{self.html_line}" if self.html_line else self.page

    def as_build_error(self) -> BuildError:
        """For the build's error list: the source file and line when known, else the page."""
        where = f" (in {self.page})" if self.source else ""
        if self.source:
            path, line = Path(self.source), self.line
        else:
            path, line = Path(self.page), self.html_line
        return BuildError(path, line, self.rule, self.message + where, HINTS.get(self.rule, ""),
                          Debt(self.rule, self.needle, "page"))

    def to_json(self) -> dict:
        return {k: v for k, v in self.__dict__.items()}

    @classmethod
    def from_json(cls, data: dict) -> Finding:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


HINTS = {
    "img-alt": "describe the picture in alt, or write alt=\"\" if it is decorative",
    "alt-caption": "screen readers would read it twice: let the alt describe the picture and the caption add context",
    "html-lang": "set lang on <html> to the page's language (BCP 47, e.g. en, hy, ar)",
    "lang-invalid": "use a BCP 47 language tag such as en, hy, ru, ar, fa, pt-BR",
    "dir-missing": "add dir=\"rtl\" to the element (or an ancestor) holding right-to-left text",
    "heading-order": "go down one heading level at a time (h2 after h1, h3 after h2)",
    "multiple-h1": "a page has one h1, its title; use h2 for the other headings",
    "empty-link": "give the link text, or an image with alt text, or aria-label",
    "empty-button": "give the button text or aria-label",
    "duplicate-id": "ids must be unique in a page; rename one of them",
    "skip-link-target": "point the link at an element id that exists on the page",
    "time-datetime": "give <time> a datetime such as 2024-03-05 or 2024-03-05T09:30:00+04:00",
}
