"""Files copied into the site, and their fingerprinted names.

With `hosting.fingerprint` (the default), theme assets and the static files that articles show
get content-hashed names ("assets/style.3fa2b1c9.css"), so hosts can cache them for ever; every
reference in pages and feeds is rewritten. Other static files keep their names, because people
and other sites link to them (favicon.ico, PDFs).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from builder.config.site import SiteConfig
from builder.content.sources import StaticFile
from builder.render.theme import Theme

FINGERPRINTED_SUFFIXES = {".css", ".js", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".woff", ".woff2"}
HASH_LENGTH = 10

Digest = Callable[[Path], str]  # a file's sha256, cached by the caller


@dataclass(frozen=True)
class CopiedFile:
    site_path: str  # as referenced in sources and templates: "assets/style.css", "images/x.jpg"
    output_path: str  # where it is written: the same, or with a fingerprint
    source: Path
    origin: str  # as shown in messages: "static/images/x.jpg" or "theme asset"
    digest: str


def fingerprinted(site_path: str, digest: str) -> str:
    path = PurePosixPath(site_path)
    return str(path.with_name(f"{path.stem}.{digest[:HASH_LENGTH]}{path.suffix}"))


def copied_files(config: SiteConfig, theme: Theme, static: Mapping[str, StaticFile], referenced: Iterable[str],
                 digest: Digest) -> dict[str, CopiedFile]:
    """Theme assets under assets/ and static files at the site root, by site path.

    A theme's assets/search/ folder belongs to search: a site without search does not get it."""
    referenced = set(referenced)
    files: list[tuple[str, Path, str, bool]] = []
    if theme.assets_dir.is_dir():
        # Assets that came with language editions (theme.yaml's edition_assets) are left out of a
        # site without `languages:`, whose output stays as it was before editions; the search
        # page's are left out of a site without search.
        skipped = set() if not config.default_edition.mixed else set(theme.edition_assets)
        files += [(f"assets/{name}", f, "theme asset", True)
                  for f in sorted(theme.assets_dir.rglob("*"))
                  if f.is_file() and (name := f.relative_to(theme.assets_dir).as_posix()) not in skipped
                  and (config.search.enabled or not f.is_relative_to(theme.assets_dir / "search"))]
    files += [(e.url_path, e.path, f"static/{e.url_path}", e.url_path in referenced) for e in static.values()]
    result = {}
    for site_path, source, origin, rename in files:
        sha = digest(source)
        rename = rename and config.fingerprint and PurePosixPath(site_path).suffix.lower() in FINGERPRINTED_SUFFIXES
        output = fingerprinted(site_path, sha) if rename else site_path
        result[site_path] = CopiedFile(site_path, output, source, origin, sha)
    return result


class UrlRewriter:
    """Rewrites references to renamed files in final HTML, XML and JSON: one pass per page."""

    def __init__(self, config: SiteConfig, files: Mapping[str, CopiedFile]):
        self.renamed = {p: f.output_path for p, f in files.items() if f.output_path != p}
        # Absolute URLs contain the same base path, so one literal prefix finds both kinds and lets
        # the regex engine skip ahead quickly (this runs over every page). A bare "/" also starts
        # "//host": then a match must follow a quote, a parenthesis, "=" or the site's origin.
        self.prefix = config.base_path
        # Only names with a suffix that gets a fingerprint: the many links to pages ("/politics/")
        # are passed over inside the regex engine instead of each costing a Python call.
        suffixes = "|".join(sorted(re.escape(s[1:]) for s in FINGERPRINTED_SUFFIXES))
        path = re.escape(self.prefix) + r"([^\"'()\s?#<>]+\.(?i:" + suffixes + r"))(?![^\"'()\s?#<>])"
        if self.prefix == "/":
            origin = "{0.scheme}://{0.netloc}".format(urlsplit(config.base_url))
            path = r"(?:(?<=[\"'(=])|(?<=" + re.escape(origin) + "))" + path
        self.pattern = re.compile(path)

    def __call__(self, text: bytes) -> bytes:
        if not self.renamed:
            return text
        decoded = text.decode("utf-8")
        rewritten = self.pattern.sub(self._replace, decoded)
        return text if rewritten == decoded else rewritten.encode("utf-8")

    def _replace(self, match: re.Match) -> str:
        path = match.group(1)
        new = self.renamed.get(unquote(path) if "%" in path else path)
        return self.prefix + quote(new, safe="/") if new else match.group(0)

    def names(self, site_paths: Iterable[str]) -> list[str]:
        """The output names of referenced files, for page keys."""
        return [self.renamed.get(p, p) for p in site_paths]
