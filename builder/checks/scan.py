"""What the link checker needs from a page: its ids, and its links with their lines."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PageScan:
    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, int]] = field(default_factory=list)  # (href or src, line in the HTML)


LINK_ATTRIBUTES = {("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("source", "src"),
                   ("area", "href"), ("video", "src"), ("audio", "src")}


def collect(scan: PageScan, tag: str, attrs: list[tuple[str, str | None]], line: int) -> None:
    """Add one start tag's ids and links to a scan."""
    for name, value in attrs:
        if value is None:
            continue
        if name == "id" or (tag == "a" and name == "name"):
            scan.ids.add(value)
        elif (tag, name) in LINK_ATTRIBUTES:
            scan.links.append((value, line))


def scan_html(html: bytes | str) -> PageScan:
    """The ids and links of a page. The one pass of checks.page, which also runs the fast checks:
    callers that want both use inspect_page."""
    from builder.checks.page import read_page  # it builds on this module

    return read_page(html.decode("utf-8") if isinstance(html, bytes) else html).scan
