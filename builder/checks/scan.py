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


class _Scanner(HtmlEvents):
    def __init__(self):
        self.scan = PageScan()

    def handle_starttag(self, tag, attrs):
        line = self.line
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.scan.ids.add(value)
            elif (tag, name) in LINK_ATTRIBUTES:
                self.scan.links.append((value, line))

    handle_startendtag = handle_starttag


def scan_html(html: bytes | str) -> PageScan:
    scanner = _Scanner()
    scanner.feed(html.decode("utf-8") if isinstance(html, bytes) else html)
    scanner.close()
    return scanner.scan
