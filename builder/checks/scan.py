"""One pass over a page's HTML collecting what the checks need: ids, links and their lines."""

from __future__ import annotations

from dataclasses import dataclass, field

from builder.checks.tokens import HtmlEvents


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


class _Scanner(HtmlEvents):
    def __init__(self):
        self.scan = PageScan()

    def handle_starttag(self, tag, attrs):
        collect(self.scan, tag, attrs, self.line)

    handle_startendtag = handle_starttag


def scan_html(html: bytes | str) -> PageScan:
    scanner = _Scanner()
    scanner.feed(html.decode("utf-8") if isinstance(html, bytes) else html)
    scanner.close()
    return scanner.scan
