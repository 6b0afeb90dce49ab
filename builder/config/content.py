"""`content:` in site.yaml: what raw HTML in article bodies may do, which hosts may be embedded, and
how body headings are leveled.

    content:
      raw_html: sanitize          # the default; or allow (published as written), or forbid (an error)
      embeds: [www.youtube-nocookie.com, player.vimeo.com]   # hosts an <iframe> may show
      headings: keep              # or shift: each body's top heading level becomes h2

`content.headings: shift` exists for archives written for another engine (posts that start at h3,
or at h1): their relative structure is kept and the files stay as they are.

`sanitize` is the default for every site that does not say otherwise: a newsroom imports thousands
of old bodies that nobody reads line by line, and one `<script>` among them would run on the site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from builder.config.reader import Reader

RAW_HTML_MODES = ("sanitize", "allow", "forbid")
HEADINGS = ("keep", "shift")
HOST_PATTERN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


@dataclass(frozen=True)
class ContentSettings:
    raw_html: str = "sanitize"  # one of RAW_HTML_MODES
    embeds: tuple[str, ...] = ()  # hosts (lowercase) whose pages an <iframe> may show, over https
    shift_headings: bool = False  # content.headings: shift


def read_content(r: Reader, value: Any) -> ContentSettings:
    section = r.mapping(value, ("content",), {"raw_html", "embeds", "headings"})
    mode = r.string(section.get("raw_html"), ("content", "raw_html"), "sanitize")
    if mode not in RAW_HTML_MODES:
        r.error(("content", "raw_html"), f"'{mode}' is not one of: {', '.join(RAW_HTML_MODES)}",
                "sanitize keeps safe markup, allow publishes it as written, forbid makes raw HTML an error")
        mode = "sanitize"
    hosts = []
    for i, host in enumerate(r.listing(section.get("embeds"), ("content", "embeds"))):
        host = r.string(host, ("content", "embeds", i)).strip().lower()
        if not HOST_PATTERN.match(host):
            r.error(("content", "embeds", i), f"'{host}' is not a host name",
                    "write the host alone, e.g. www.youtube-nocookie.com (no https://, no path)")
        elif host not in hosts:
            hosts.append(host)
    headings = r.string(section.get("headings"), ("content", "headings"), "keep")
    if headings not in HEADINGS:
        r.error(("content", "headings"), f"'{headings}' is not one of: {', '.join(HEADINGS)}",
                "shift: the top heading level of every body becomes h2; keep: as written")
    return ContentSettings(mode, tuple(hosts), headings == "shift")
