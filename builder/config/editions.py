"""site.yaml's `languages:` -> Edition: one complete site per language, validated once, here.

An edition is what a broadcaster's language service is: a home page, sections, tags, authors, date
archives, feeds and sitemaps under its own URL prefix, with every word of its interface in its own
language. A site without `languages:` is one edition (`single_edition`), and every later stage takes
the same path for it: there is no second code path to keep byte-identical.

    languages:
      - code: hy                    # the first edition is the default: no prefix, the site's root
        sections: {politics: {title: Քաղաքականություն, description: ...}}
      - code: en
        prefix: en                  # its pages live under en/
        title: Meridian Public Broadcasting
        description: ...
        timezone: Europe/London     # when its dates are shown in another time zone than the site's
        fallback: true              # a section without a title here shows the default edition's
        sections: {politics: {title: Politics, description: ...}}
        authors: {anna-hakobyan: {name: Anna Hakobyan, bio: ...}}
        strings: {site_home: Home}  # overrides of the theme's interface text

The top-level title, description, sections and authors are written in the default edition's
language, so the default edition needs no translations. Every other edition translates each
section's title and description; a missing one is an error naming the key and the language,
unless the edition says `fallback: true`: then the default edition's text is shown, marked with
its language so that screen readers pronounce it right (WCAG 3.1.2).

This module imports nothing of site.py (which imports it): sections and authors come in as any
objects with their fields (`Titled`, `Person`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError

from builder.config.languages import is_valid_tag, text_direction
from builder.config.reader import KEY_PATTERN, Reader

EDITION_KEYS = {"code", "name", "title", "description", "prefix", "timezone", "fallback", "sections", "authors",
                "strings"}


class Titled(Protocol):
    key: str
    title: str
    description: str


class Person(Protocol):
    key: str
    name: str
    bio: str


@dataclass(frozen=True)
class EditionSection:
    """A section as an edition names it; `lang` is the language the text is written in: the
    edition's, or the default edition's where it fell back."""

    key: str
    title: str
    description: str
    lang: str


@dataclass(frozen=True)
class EditionAuthor:
    key: str
    name: str
    bio: str
    lang: str  # of the bio, as EditionSection.lang


@dataclass(frozen=True)
class Edition:
    """One language edition: what search (a per-edition index) and `init --languages` build on."""

    code: str  # BCP 47, e.g. "hy", "zh-Hans"
    title: str
    description: str
    prefix: str  # site-relative path of its root: "" (the site's root) or e.g. "en/"
    timezone: ZoneInfo
    sections: tuple[EditionSection, ...]
    authors: Mapping[str, EditionAuthor] = field(default_factory=lambda: MappingProxyType({}))
    strings: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # site.yaml's overrides
    default: bool = True
    # The one edition of a site without `languages:` is a mixed-language site, as Broadsheet sites
    # were before editions: an article page's interface is in the article's language. In a real
    # edition it is in the edition's language (an English story in the Armenian edition keeps an
    # Armenian interface; only the story itself is marked lang="en").
    mixed: bool = False
    line: int | None = None  # where site.yaml declares it, for later errors (missing strings)
    field: str = "language"  # the site.yaml field that declares it, e.g. "languages.2"
    name_given: str = ""  # site.yaml's name for the language, if any (else `name` asks CLDR)

    @property
    def name(self) -> str:
        """The language's name in itself, for the language switcher: "Հայերեն", "English".

        Asked of CLDR only when a page needs it: loading a locale's names costs ~0.25 s, which a
        build with nothing to do must not pay."""
        return self.name_given or native_name(self.code)

    @property
    def dir(self) -> str:
        return text_direction(self.code)

    def section(self, key: str) -> EditionSection | None:
        return next((s for s in self.sections if s.key == key), None)

    def path(self, site_path: str) -> str:
        """A path of this edition: 'politics/' -> 'en/politics/'."""
        return self.prefix + site_path

    def page_language(self, content_lang: str) -> str:
        """The interface language of a page that shows content in `content_lang`."""
        return content_lang if self.mixed else self.code


@lru_cache(maxsize=64)
def native_name(code: str) -> str:
    """The language's name in itself (CLDR), capitalised as a menu item: 'русский' -> 'Русский'."""
    try:
        locale = Locale.parse(code, sep="-")
    except (UnknownLocaleError, ValueError):
        return code
    name = locale.get_display_name(locale) or code
    return name[:1].upper() + name[1:]


def is_known_language(code: str) -> bool:
    """A BCP 47 tag CLDR knows: its dates, numbers and plural rules can be given in it."""
    if not is_valid_tag(code):
        return False
    try:
        Locale.parse(code, sep="-")
    except (UnknownLocaleError, ValueError):
        return False
    return True


@dataclass(frozen=True)
class SiteDefaults:
    """What the top of site.yaml says, in the default edition's language."""

    language: str
    language_given: bool
    title: str
    description: str
    timezone: ZoneInfo
    sections: Sequence[Titled]
    authors: Sequence[Person]
    reserved: frozenset[str]  # top-level folders the build writes itself


def single_edition(defaults: SiteDefaults) -> Edition:
    """The one edition of a site without `languages:`."""
    return Edition(
        code=defaults.language, title=defaults.title,
        description=defaults.description, prefix="", timezone=defaults.timezone,
        sections=tuple(EditionSection(s.key, s.title, s.description, defaults.language) for s in defaults.sections),
        authors=MappingProxyType({a.key: EditionAuthor(a.key, a.name, a.bio, defaults.language)
                                  for a in defaults.authors}),
        mixed=True,
    )


def read_editions(r: Reader, value: Any, defaults: SiteDefaults) -> tuple[Edition, ...]:
    """`languages:` as editions, the default first; every problem reported with its site.yaml line."""
    if value is None:
        return (single_edition(defaults),)
    items = r.listing(value, ("languages",))
    if not items:
        if isinstance(value, list):
            r.error(("languages",), "lists no language", "remove languages: or list at least one edition")
        return (single_edition(defaults),)
    editions: list[Edition] = []
    for index, item in enumerate(items):
        # Fallen-back text is in the default edition's language.
        default_code = editions[0].code if editions else defaults.language
        edition = _edition(r, item, index, defaults, default_code)
        if edition is not None:
            editions.append(edition)
        elif index == 0:
            return (single_edition(defaults),)  # its error is reported; the others cannot be checked against it
    _check_unique(r, editions)
    if editions and defaults.language_given and editions[0].code != defaults.language:
        r.error(("language",), f"is '{defaults.language}', but the default edition (the first under languages:) "
                f"is '{editions[0].code}'", "the site's language is its default edition's: remove language: "
                "or list that edition first")
    return tuple(editions) or (single_edition(defaults),)


def _edition(r: Reader, item: Any, index: int, defaults: SiteDefaults, default_code: str) -> Edition | None:
    keys = ("languages", index)
    is_default = index == 0
    data = r.mapping(item, keys, EDITION_KEYS, {"code"} if is_default else {"code", "title"})
    code = r.string(data.get("code"), (*keys, "code"))
    if not code:
        return None
    if not is_known_language(code):
        r.error((*keys, "code"), f"'{code}' is not a language code CLDR knows",
                "use a BCP 47 tag such as hy, en, ru, ar, fa, zh-Hans or pt-BR")
        return None
    prefix = _prefix(r, data, keys, is_default, defaults)
    fallback = data.get("fallback", False)
    if not isinstance(fallback, bool):
        r.error((*keys, "fallback"), f"expected true or false, got {fallback!r}")
        fallback = False
    return Edition(
        code=code,
        title=r.string(data.get("title"), (*keys, "title")) or defaults.title,
        description=r.string(data.get("description"), (*keys, "description"),
                             defaults.description if is_default else ""),
        prefix=prefix,
        timezone=_timezone(r, data.get("timezone"), keys, defaults.timezone),
        sections=tuple(_sections(r, data.get("sections"), keys, code, is_default, fallback, defaults,
                                 default_code)),
        authors=MappingProxyType(_authors(r, data.get("authors"), keys, code, default_code, defaults)),
        strings=_strings(r, data.get("strings"), keys),
        default=is_default,
        line=r.doc.line(*keys),
        field=f"languages.{index}",
        name_given=r.string(data.get("name"), (*keys, "name")),
    )


def _prefix(r: Reader, data: dict, keys: tuple, is_default: bool, defaults: SiteDefaults) -> str:
    prefix = r.string(data.get("prefix"), (*keys, "prefix")).strip("/")
    if not prefix:
        if not is_default:
            r.error(keys, "missing required key 'prefix'",
                    "only the default (first) edition lives at the site's root; e.g. prefix: en")
        return ""
    if not KEY_PATTERN.match(prefix):
        r.error((*keys, "prefix"), f"'{prefix}' is not a valid prefix",
                "one URL segment of lowercase letters, digits and hyphens, e.g. en or zh-hans")
    elif prefix in {s.key for s in defaults.sections}:
        r.error((*keys, "prefix"), f"'{prefix}' is also a section's key: both would live at /{prefix}/",
                "choose another prefix, or rename the section")
    elif prefix in defaults.reserved or prefix.isdigit():
        r.error((*keys, "prefix"), f"'{prefix}' is used by the site's own pages",
                f"choose another prefix; reserved: {', '.join(sorted(defaults.reserved))} and numbers")
    return prefix + "/"


def _timezone(r: Reader, value: Any, keys: tuple, default: ZoneInfo) -> ZoneInfo:
    if value is None:
        return default
    name = r.string(value, (*keys, "timezone"))
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        r.error((*keys, "timezone"), f"unknown time zone '{name}'", "use an IANA name such as Asia/Yerevan")
        return default


def _text_pair(r: Reader, value: Any, keys: tuple, first: str, second: str) -> tuple[str | None, str | None]:
    """(first, second) of `{first: .., second: ..}`, or (text, None) for plain text."""
    if isinstance(value, dict):
        found = r.mapping(value, keys, {first, second})
        return (r.string(found[first], (*keys, first)) if first in found else None,
                r.string(found[second], (*keys, second)) if second in found else None)
    return r.string(value, keys), None


def _sections(r: Reader, value: Any, keys: tuple, code: str, is_default: bool, fallback: bool,
              defaults: SiteDefaults, source_lang: str) -> Iterable[EditionSection]:
    given = r.mapping(value, (*keys, "sections"), {s.key for s in defaults.sections})
    for section in defaults.sections:
        title, description = _text_pair(r, given.get(section.key), (*keys, "sections", section.key),
                                        "title", "description")
        if is_default:
            yield EditionSection(section.key, title or section.title,
                                 section.description if description is None else description, code)
            continue
        missing = [name for name, text, original in (("title", title, section.title),
                                                     ("description", description, section.description))
                   if original and not text]
        if missing and not fallback:
            r.error((*keys, "sections"), f"no {' or '.join(missing)} in {code} for section '{section.key}'",
                    f"add sections: {{{section.key}: {{title: ..., description: ...}}}} to the {code} edition, "
                    "or fallback: true to show the default edition's text")
        if title and (description or not section.description):
            yield EditionSection(section.key, title, description or "", code)
        else:  # fallen back: the default edition's text, in its language
            yield EditionSection(section.key, section.title, section.description, source_lang)


def _authors(r: Reader, value: Any, keys: tuple, code: str, default_code: str,
             defaults: SiteDefaults) -> dict[str, EditionAuthor]:
    """Authors' names and bios as the edition writes them; an untranslated bio is shown in the
    default edition's language and marked so (a bio is not interface text: no error)."""
    known = {a.key: a for a in defaults.authors}
    given = r.mapping(value, (*keys, "authors"), set(known))
    authors = {}
    for key, person in known.items():
        entry = r.mapping(given.get(key), (*keys, "authors", key), {"name", "bio"})
        name = r.string(entry.get("name"), (*keys, "authors", key, "name")) or person.name
        bio = r.string(entry.get("bio"), (*keys, "authors", key, "bio"))
        translated = bool(bio) or not person.bio
        authors[key] = EditionAuthor(key, name, bio if translated else person.bio, code if translated else default_code)
    return authors


def _strings(r: Reader, value: Any, keys: tuple) -> Mapping[str, str]:
    table = r.mapping(value, (*keys, "strings"), set(value) if isinstance(value, dict) else set())
    found: dict[str, str] = {}
    for key, text in table.items():
        if isinstance(text, dict):  # plural forms: {one: ..., few: ..., other: ...}
            for form, form_text in text.items():
                found[f"{key}.{form}"] = r.string(form_text, (*keys, "strings", key, form))
        else:
            found[str(key)] = r.string(text, (*keys, "strings", key))
    return MappingProxyType(found)


def _check_unique(r: Reader, editions: list[Edition]) -> None:
    codes: dict[str, Edition] = {}
    prefixes: dict[str, Edition] = {}
    for edition in editions:
        index = int(edition.field.rsplit(".", 1)[1])
        if edition.code in codes:
            r.error(("languages", index, "code"), f"a second edition in '{edition.code}'",
                    f"{codes[edition.code].field} is already in {edition.code}; one edition per language")
        codes.setdefault(edition.code, edition)
        if edition.prefix in prefixes and edition.prefix:
            r.error(("languages", index, "prefix"), f"'{edition.prefix.rstrip('/')}' is also the prefix of "
                    f"the {prefixes[edition.prefix].code} edition", "every edition needs a prefix of its own")
        prefixes.setdefault(edition.prefix, edition)
