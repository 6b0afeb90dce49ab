"""`content:` and `links:` in site.yaml: how article bodies are rendered and how links are checked.

Both exist for archives written for another engine:
- `content.headings: shift` renders each body's headings so that its top level is h2, keeping
  their relative structure (an old site whose posts start at h3, or at h1); the files stay as
  they are. `keep` (the default) renders them as written.
- `links.outside: [/contact/, /guides/]` names paths of the same host that are not part of the
  archive (the rest of the organisation's site): links to them are not reported as missing
  pages. Every other internal link is checked as strictly as ever.
"""

from __future__ import annotations

from typing import Any

from builder.config.reader import Reader

HEADINGS = ("keep", "shift")


def read_content(r: Reader, value: Any) -> bool:
    """Whether body headings are shifted so that the top level is h2."""
    content = r.mapping(value, ("content",), {"headings"})
    headings = r.string(content.get("headings"), ("content", "headings"), "keep")
    if headings not in HEADINGS:
        r.error(("content", "headings"), f"'{headings}' is not one of: {', '.join(HEADINGS)}",
                "shift: the top heading level of every body becomes h2; keep: as written")
    return headings == "shift"


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
