"""Every internal link and #anchor in the output must resolve; a broken one names its source line.

Pages are added as they stream past; `errors()` runs once every page is known. External links
are never fetched. A large archive has millions of links, so a link is checked as soon as it can be
and only the undecided ones are kept: call `expect` with every file the build will write, and a
link is decided when it is added, unless it points at an #anchor of a page not yet scanned.

Not checked, because they are not addresses of the archive: external links, paths of the same
host listed under `links.outside` in site.yaml (the rest of the organisation's site), and text
fragment directives (`#:~:text=...`, which browsers use to highlight text, not to find an id; the
part before `:~:`, if any, is still an id that must exist).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from builder.checks.scan import PageScan
from builder.errors import BuildError, Debt

FRAGMENT_DIRECTIVE = ":~:"
NO_PAGE_HINT = "fix the address or remove the link"
OUTSIDE_HINT = ("; if it is a page of the wider site, not of this archive, list its path under links.outside "
                "in site.yaml")
LEFT_OUT_HINT = "; it may be the page of an article left out of this build because of its errors (see above)"

# (page path, href) -> (source file, line) when the link comes from an article body, else None
SourceOf = Callable[[str, tuple[str, ...], str], tuple[Path, int] | None]


# Resolved hrefs kept for reuse. The template links that repeat on every page are a few hundred;
# the rest (teasers, neighbours) mostly appear on a handful of pages, so more would only hold memory.
TARGETS_KEPT = 20_000


@dataclass(frozen=True)
class _Link:
    page: str
    href: str
    target: str  # output-relative file path
    fragment: str
    html_line: int
    made_from: tuple[str, ...]


class LinkChecker:
    def __init__(self, base_path: str, source_of: SourceOf,
                 known_ids: Callable[[str], set[str] | None] = lambda path: None,
                 known_file: Callable[[str], bool] = lambda path: False, outside: tuple[str, ...] = ()):
        self.base_path = base_path
        self.outside = tuple(p.rstrip("/") for p in outside)  # links.outside, without the final slash
        self.source_of = source_of
        self.known_ids = known_ids  # ids of pages not scanned in this build (from the cache)
        # Files that exist without being expected or added: a rebuild of a few pages asks the
        # manifest about the few files their links point at instead of listing every file.
        self.known_file = known_file
        self.files: set[str] = set()
        self.ids: dict[str, tuple[str, ...] | set[str] | None] = {}
        self.links: list[_Link] = []
        self._targets: dict[object, tuple[str | None, str]] = {}
        self._id_sets: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._id_names: dict[str, str] = {}

    def target_ids(self, path: str) -> Collection[str] | None:
        if path not in self.ids:
            self.ids[path] = self.known_ids(path) if path.endswith(".html") else None
        return self.ids[path]

    def expect(self, paths) -> None:
        """Files the build will write (pages not yet added included): links to them resolve at once."""
        self.files.update(paths)

    def add_file(self, path: str) -> None:
        self.files.add(path)

    def add_page(self, path: str, scan: PageScan, made_from: tuple[str, ...]) -> tuple[str, ...]:
        """Check the page's links; its ids, as the checker keeps them, are returned to share."""
        self.files.add(path)
        ids = self.ids[path] = self._shared_ids(scan.ids)
        self.add_links(path, scan.links, made_from)
        return ids

    def _shared_ids(self, ids) -> tuple[str, ...]:
        # Every page's ids stay until the end of the build: one copy of each id text, and one
        # tuple for all pages with the same ids (the listing pages of a template have the same
        # ones). A sorted tuple, not a frozenset: a page has a dozen ids, looked up only for links
        # with a #fragment, and a frozenset of a dozen takes 728 bytes where the tuple takes 152.
        names = self._id_names
        shared = tuple(sorted([names.setdefault(i, i) for i in ids]))
        return self._id_sets.setdefault(shared, shared)

    def add_links(self, path: str, links: list[tuple[str, int]], made_from: tuple[str, ...]) -> None:
        page_dir = posixpath.dirname(self.base_path + path.removesuffix("index.html"))
        for href, line in links:
            # Most links are the same few hundred template links on every page: resolve each once.
            key = (page_dir, href) if not href.startswith("/") else href
            resolved = self._targets.get(key)
            if resolved is None:
                if len(self._targets) > TARGETS_KEPT:
                    self._targets.clear()
                resolved = self._targets[key] = self._resolve(page_dir, href)
            target, fragment = resolved
            if target is None:  # external
                continue
            if not target:  # the page itself
                target = path
            if self._resolved(target, fragment):
                continue
            self.links.append(_Link(path, href, target, fragment, line, made_from))

    def _resolve(self, page_dir: str, href: str) -> tuple[str | None, str]:
        """(output file, #fragment) a link points at: None for external links, "" for the page itself."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith(("mailto:", "tel:", "data:", "javascript:")):
            return None, ""
        fragment = unquote(parts.fragment).split(FRAGMENT_DIRECTIVE, 1)[0]
        if not parts.path:
            return "", fragment
        url_path = posixpath.normpath(posixpath.join(page_dir, parts.path))
        if parts.path.endswith("/") and not url_path.endswith("/"):
            url_path += "/"
        if self.outside and any(url_path == p or url_path.startswith(p + "/") for p in self.outside):
            return None, ""  # links.outside: the same host, but not the archive
        if not url_path.startswith(self.base_path) and url_path + "/" != self.base_path:
            return "\0outside", fragment
        rel = unquote(url_path[len(self.base_path):])
        return (rel + "index.html" if rel.endswith("/") or rel == "" else rel), fragment

    def _resolved(self, target: str, fragment: str) -> bool:
        """True when the link is known to be good now; False when broken or not yet decidable."""
        if target not in self.files and not self.known_file(target):
            return False
        if not fragment or not target.endswith(".html"):
            return True
        ids = self.ids.get(target)  # only pages scanned in this build: a kept page's ids come later
        return ids is not None and fragment in ids

    def _exists(self, path: str) -> bool:
        return path in self.files or self.known_file(path)

    def errors(self, left_out: bool = False) -> list[BuildError]:
        """Every broken link. `left_out`: some articles were not built (their errors are reported),
        so a link to a missing page may be a link to one of them, which the hint says."""
        errors: dict[str, BuildError] = {}
        for link in self.links:
            target = link.target
            if not self._exists(target) and self._exists(target + "/index.html"):
                target += "/index.html"
            if not self._exists(target):
                problem = f"broken link to {link.href}: no such page in the site"
                page_like = target.endswith(".html") or "." not in posixpath.basename(target)
                rule, extra = "broken-link", (OUTSIDE_HINT + (LEFT_OUT_HINT if left_out else "")) if page_like else ""
            elif link.fragment and (ids := self.target_ids(target)) is not None and link.fragment not in ids:
                problem = f"broken link to {link.href}: the page has no element with id '{link.fragment}'"
                rule, extra = "broken-anchor", ""
            else:
                continue
            source = self.source_of(link.page, link.made_from, link.href)
            debt = Debt(rule, link.href, "links")
            if source:
                error = BuildError(source[0], source[1], "body", problem, NO_PAGE_HINT + extra, debt)
            else:
                error = BuildError(Path(link.page), link.html_line, "link", problem,
                                   "the link comes from a template; fix the template or the page it points to"
                                   + extra, debt)
            errors.setdefault(str(error), error)
        return list(errors.values())
