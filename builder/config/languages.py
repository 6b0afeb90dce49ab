"""Language tags: validation, text direction and display names, from CLDR via Babel."""

from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global

# BCP 47 language-tag shape (RFC 5646), without grandfathered tags.
_BCP47 = re.compile(
    r"^[a-zA-Z]{2,3}(-[a-zA-Z]{3}){0,3}"  # language, extlang
    r"(-[a-zA-Z]{4})?"  # script
    r"(-([a-zA-Z]{2}|[0-9]{3}))?"  # region
    r"(-([a-zA-Z0-9]{5,8}|[0-9][a-zA-Z0-9]{3}))*"  # variants
    r"(-[0-9a-wyzA-WYZ](-[a-zA-Z0-9]{2,8})+)*"  # extensions
    r"(-x(-[a-zA-Z0-9]{1,8})+)?$"
)

# Scripts written right to left, for tags whose script CLDR cannot tell us.
_RTL_SCRIPTS = {"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg", "Mand", "Samr"}


def is_valid_tag(tag: str) -> bool:
    return bool(_BCP47.match(tag))


@lru_cache(maxsize=256)
def locale_for(tag: str) -> Locale:
    """The closest CLDR locale for a tag ('hy-AM' -> hy_AM, 'sr-Latn' -> sr_Latn, 'xx' -> en)."""
    parts = tag.split("-")
    while parts:
        try:
            return Locale.parse("_".join(parts))
        except (UnknownLocaleError, ValueError):
            parts.pop()
    return Locale.parse("en")


@lru_cache(maxsize=256)
def text_direction(tag: str) -> str:
    """'rtl' or 'ltr' for a language tag: from its script, written or the likely one (CLDR).

    Not from the locale's own data: loading a locale takes 20-30 ms, and a page that names four
    languages made a one-article rebuild load four. This gives CLDR's answer for every locale
    Babel has, except Mongolian in Mongolian script, where CLDR says "ttb" (vertical), which is
    no value of HTML's dir."""
    parts = tag.split("-")
    scripts = [part.title() for part in parts[1:] if len(part) == 4 and part.isalpha()]
    if not scripts:
        likely = get_global("likely_subtags")
        language, region = parts[0].lower(), next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
        for key in ([f"{language}_{region}"] if region else []) + [language]:
            if key in likely:
                scripts = [p for p in likely[key].split("_")[1:] if len(p) == 4]
                break
    return "rtl" if scripts and scripts[0] in _RTL_SCRIPTS else "ltr"


def language_chain(tag: str) -> list[str]:
    """Tags to look up UI strings with, most specific first: 'hy-AM' -> ['hy-AM', 'hy']."""
    parts = tag.split("-")
    return ["-".join(parts[:end]) for end in range(len(parts), 0, -1)]
