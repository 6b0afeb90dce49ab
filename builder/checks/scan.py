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


def ids_and_links(tag: str, attrs: list[tuple[str, str | None]]) -> tuple[list[str], list[str]]:
    """One start tag's ids and links (href or src), each in the order of its attributes."""
    ids, links = [], []
    for name, value in attrs:
        if value is None:
            continue
        if name == "id" or (tag == "a" and name == "name"):
            ids.append(value)
        elif (tag, name) in LINK_ATTRIBUTES:
            links.append(value)
    return ids, links
