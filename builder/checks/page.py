"""One pass over a rendered page for everything the build checks in it.

The build reads each page once: the ids and links the link checker needs (checks.scan) and the
fast accessibility checks (checks.fast) come from the same pass of the tokenizer.
"""

from __future__ import annotations

from pathlib import Path

from builder.checks.fast import _Checker, findings_of
from builder.checks.findings import Finding
from builder.checks.scan import PageScan, collect


class _Inspector(_Checker):
    def __init__(self):
        super().__init__()
        self.scan = PageScan()

    def handle_starttag(self, tag, attr_list):
        collect(self.scan, tag, attr_list, self.line)
        super().handle_starttag(tag, attr_list)


def inspect_page(path: str, html: bytes | str, made_from: tuple[str, ...] = (), *,
                 site_dir: Path | None = None) -> tuple[PageScan, list[Finding]]:
    """scan_html(html) and check_page(path, html, made_from, site_dir=site_dir), in one pass."""
    inspector = _Inspector()
    inspector.feed(html.decode("utf-8", errors="replace") if isinstance(html, bytes) else html)
    inspector.close()
    return inspector.scan, findings_of(inspector, path, made_from, site_dir)
