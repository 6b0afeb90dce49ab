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
SRCSET_TAGS = frozenset({"img", "source"})  # their srcset holds a link per candidate

_SPACE = " \t\n\f\r"


def srcset_urls(value: str) -> list[str]:
    """The URL of each candidate in a srcset, as the HTML standard reads them ("a.jpg 320w, b.jpg 2x").

    A URL is a run of non-space characters (a comma inside one is part of it, as in data: URLs);
    commas at its end close the candidate; otherwise descriptors follow until a comma outside
    parentheses."""
    urls: list[str] = []
    position, end = 0, len(value)
    while position < end:
        while position < end and (value[position] in _SPACE or value[position] == ","):
            position += 1
        start = position
        while position < end and value[position] not in _SPACE:
            position += 1
        url = value[start:position]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            depth = 0
            while position < end and (value[position] != "," or depth):
                depth += {"(": 1, ")": -1 if depth else 0}.get(value[position], 0)
                position += 1
        if url:
            urls.append(url)
    return urls


def ids_and_links(tag: str, attrs: list[tuple[str, str | None]]) -> tuple[list[str], list[str]]:
    """One start tag's ids and links (href, src or srcset candidates), each in the order of its attributes."""
    ids, links = [], []
    for name, value in attrs:
        if value is None:
            continue
        if name == "id" or (tag == "a" and name == "name"):
            ids.append(value)
        elif (tag, name) in LINK_ATTRIBUTES:
            links.append(value)
        elif name == "srcset" and tag in SRCSET_TAGS:
            links.extend(srcset_urls(value))
    return ids, links
