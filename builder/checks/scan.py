"""What the link checker needs from a page: its ids, and its links with their lines.

checks.page finds them in its one pass over the page (inspect_page, scan_html)."""

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

