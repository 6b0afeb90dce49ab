"""URL shapes: slugs, article permalinks and links under the site's base path.

Every URL inside the site is built here from a site-relative path such as "politics/" so that the
base path is applied in exactly one place.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from urllib.parse import quote


def _slug_char(char: str) -> bool:
    # Letters, combining marks (Devanagari and Thai vowel signs, Arabic harakat) and digits.
    return unicodedata.category(char)[0] in "LMN"


def is_valid_slug(slug: str) -> bool:
    return bool(slug) and _slug_char(slug[0]) and all(_slug_char(c) or c in "-_" for c in slug)


def slugify(text: str) -> str:
    """A URL segment from any text; letters of every script are kept ('Երևան' stays 'երևան')."""
    text = unicodedata.normalize("NFC", text).strip().lower()
    text = "".join(c if _slug_char(c) or c in "-_" else " " if c.isspace() else "" for c in text)
    text = re.sub(r"[\s_-]+", "-", text).strip("-")
    while text and not _slug_char(text[0]):  # a mark cannot start a slug once its base is gone
        text = text[1:].lstrip("-")
    return unicodedata.normalize("NFC", text)  # removed punctuation can bring a letter and its mark together


def article_path(pattern: str, *, section: str, published: datetime, slug: str, lang: str) -> str:
    """The site-relative path of an article page, e.g. 'politics/2024/03/council-vote/'."""
    path = pattern.format(
        section=section, yyyy=f"{published.year:04d}", mm=f"{published.month:02d}",
        dd=f"{published.day:02d}", slug=slug, lang=lang,
    )
    return path.lstrip("/")


def href(base_path: str, site_path: str) -> str:
    """A root-relative link for a site-relative path, percent-encoded: works under any base path."""
    return quote(base_path + site_path, safe="/#?=&%")


def absolute(base_url: str, site_path: str) -> str:
    return base_url + quote(site_path, safe="/#?=&%")


def output_file(site_path: str) -> str:
    """The file that serves a site-relative path: 'a/b/' -> 'a/b/index.html'."""
    return site_path + "index.html" if site_path == "" or site_path.endswith("/") else site_path
