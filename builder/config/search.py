"""`search:` in site.yaml: whether the build makes a search index and the theme shows search.

Search is on unless a site turns it off. Off, the site builds as it did before search existed:
no index, no search page, no search field, and the folders search would use are free for sections.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from builder.config.reader import Reader

SEARCH_FOLDER = "search"  # the search pages: search/ of each edition, search/<lang>/ for other languages
BUNDLE_FOLDER = "pagefind"  # Pagefind's bundle: pagefind.js and the index, one per language
# Folders of the bundle whose file names are hashes of their content: cacheable for ever. The other
# files keep their names (pagefind.js finds them by name) and are fetched fresh (the entry file with
# a cache-busting query).
HASHED_BUNDLE_FOLDERS = ("fragment", "index", "filter")
# Top-level folders of the output that search takes, which a section may not.
SEARCH_PATHS = (SEARCH_FOLDER, BUNDLE_FOLDER)


@dataclass(frozen=True)
class SearchSettings:
    enabled: bool = True


def read_search(r: Reader, value: Any) -> SearchSettings:
    section = r.mapping(value, ("search",), {"enabled"})
    enabled = section.get("enabled", True)
    if not isinstance(enabled, bool):
        r.error(("search", "enabled"), f"expected true or false, got {enabled!r}",
                "search is on by default; write enabled: false to build without it")
        enabled = True
    return SearchSettings(enabled=enabled)


def search_page_path(site_language: str, lang: str, edition_prefix: str | None = None) -> str:
    """The site path of the search page for pages in `lang`; it searches articles in `lang`.

    One page per language because the index is one per language (Pagefind loads the index of the
    page's <html lang>). A language edition's page is search/ under the edition's prefix
    (`edition_prefix`: "" for the default edition, "en/" for one at /en/); a language that has
    articles but no edition has search/<lang>/ (the site's own language, search/).
    """
    if edition_prefix is not None:
        return f"{edition_prefix}{SEARCH_FOLDER}/"
    lang = lang.lower()
    return f"{SEARCH_FOLDER}/" if lang == site_language.lower() else f"{SEARCH_FOLDER}/{lang}/"
