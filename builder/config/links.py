"""`links:` in site.yaml: paths of the same host that are not part of the archive.

`links.outside: [/contact/, /guides/]` names the rest of the organisation's site: links to those
paths are not reported as missing pages. Every other internal link is checked as strictly as ever.
"""

from __future__ import annotations

from typing import Any

from builder.config.reader import Reader


def read_links(r: Reader, value: Any) -> tuple[str, ...]:
    """Path prefixes of the same host that are not part of the archive."""
    links = r.mapping(value, ("links",), {"outside"})
    outside = []
    for i, item in enumerate(r.listing(links.get("outside"), ("links", "outside"))):
        path = r.string(item, ("links", "outside", i))
        if not path.startswith("/") or path.startswith("//") or "?" in path or "#" in path:
            r.error(("links", "outside", i), f"'{path}' is not a path of this host",
                    "write it from the host's root, e.g. /contact/ or /guides/")
        else:
            outside.append(path)
    return tuple(outside)
