"""A multilingual old site -> language editions: which languages get one, under which prefix, with which titles.

- The old site's default language is the default edition, at the site's root (under a prefix only
  when every one of its old addresses had one, e.g. a Jekyll site with en/_posts and ja/_posts
  published under /en/ and /ja/).
- Every other language is an edition under the prefix its old addresses had (Hugo: /<lang>/ for
  every language but the default one; else the prefix all its posts' addresses share), else under
  its lower-case tag. Its title is the old site's title in that language (Hugo's
  languages.<lang>.title), else the site's title. Its sections are named as the old site named
  them in that language (Hugo's <section>/_index.md); where one is not known, `fallback: true`
  shows the default edition's title.
- An edition needs the theme's interface text in its language. A language the bundled theme has
  no text for, but a script of which it has (zh -> zh-Hans), becomes an edition in that tag, and
  its articles say `edition:`; a language with none stays in the default edition, marked with its
  `lang:`, as every language was before editions, and the report says so.
- Translations (one old translation key) share a `translation_key`: one article per edition,
  since the build rejects two of one edition (or of one language) with the same key.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from builder.config.languages import language_chain
from builder.config.reader import KEY_PATTERN
from builder.config.site import RESERVED_PATHS
from builder.importers.addresses import Placed
from builder.importers.mapping import SectionMapping
from builder.importers.model import OldSite
from builder.importers.site import EditionSettings

THEME = "default"  # the theme an imported site.yaml names (none: the default)


@dataclass(frozen=True)
class EditionPlan:
    editions: tuple[EditionSettings, ...] = ()  # the default first; none: no editions
    by_lang: Mapping[str, str] = field(default_factory=dict)  # post language -> its edition's code
    prefixes: Mapping[str, str] = field(default_factory=dict)  # post language -> "ja/" ("" at the root)
    without: Mapping[str, int] = field(default_factory=dict)  # languages with no edition -> posts

    @property
    def default(self) -> str:
        return self.editions[0].code if self.editions else ""

    def edition_field(self, lang: str) -> str:
        """`edition:` for an article in `lang`: its edition's code when the build would not find it
        from the language (an edition in another tag), else ""."""
        code = self.by_lang.get(lang, self.default)
        codes = [e.code for e in self.editions]
        natural = next((tag for tag in language_chain(lang) if tag in codes), self.default)
        return "" if natural == code else code


@lru_cache(maxsize=1)
def interface_languages() -> frozenset[str]:
    """Tags the bundled theme has interface text for: only these can be editions."""
    from builder.render.theme_lookup import bundled_themes

    return frozenset(file.stem for file in (bundled_themes() / THEME / "strings").glob("*.yaml"))


def edition_code(lang: str, available: Iterable[str]) -> str | None:
    """The edition tag for a language: itself when the theme speaks it (or its base language), else
    its likely script's tag (zh -> zh-Hans) when the theme has that; None when neither."""
    known = {tag.lower(): tag for tag in available}
    if any(tag.lower() in known for tag in language_chain(lang)):
        return lang
    try:
        locale = Locale.parse(lang, sep="-")
    except (UnknownLocaleError, ValueError):
        return None
    likely = str(get_global("likely_subtags").get(locale.language, "")).split("_")
    script = locale.script or (likely[1] if len(likely) > 2 else "")
    for tag in (f"{locale.language}-{script}-{locale.territory}", f"{locale.language}-{script}"):
        if script and tag.lower() in known:
            return known[tag.lower()]
    return None


def choose_editions(old: OldSite, placed: Sequence[Placed], sections: Iterable[tuple[str, str]],
                    mapping: SectionMapping, available: Iterable[str] | None = None) -> EditionPlan:
    """The editions of a site whose posts are in several languages (see the module's docstring)."""
    available = frozenset(interface_languages() if available is None else available)
    counts = Counter(p.lang for p in placed)
    if len(counts) < 2 or edition_code(old.language, available) != old.language:
        return EditionPlan()  # one language, or a default language the theme cannot speak: as before
    keys = {c.key for c in mapping.sections.values()} | {mapping.default.key}
    used = [key for key, _ in sections]
    editions: list[EditionSettings] = []
    by_lang: dict[str, str] = {}
    prefixes: dict[str, str] = {}
    without: dict[str, int] = {}
    taken: set[str] = set()
    for lang in [old.language, *sorted(lang for lang in counts if lang != old.language)]:
        default = lang == old.language
        code = lang if default else edition_code(lang, available)
        if code is None or code in by_lang.values():
            without[lang] = counts[lang]
            continue
        prefix = _prefix(lang, _old_prefix(old, lang, placed), default, keys, taken)
        taken.add(prefix)
        by_lang[lang], prefixes[lang] = code, prefix + "/" if prefix else ""
        if default:
            editions.append(EditionSettings(code, prefix, ""))
            continue
        titles = _section_titles(old.section_titles.get(lang, {}), mapping)
        editions.append(EditionSettings(
            code, prefix, old.language_titles.get(lang) or old.title,
            sections=tuple((key, titles[key]) for key in used if key in titles),
            fallback=any(key not in titles for key in used)))
    if len(editions) < 2:
        return EditionPlan()
    return EditionPlan(tuple(editions), by_lang, prefixes, without)


def _old_prefix(old: OldSite, lang: str, placed: Sequence[Placed]) -> str | None:
    """The first segment of this language's old addresses: as the engine says, else the one all its
    posts' addresses share when it is the language's tag; None when they had none."""
    if lang in old.language_prefixes:
        return old.language_prefixes[lang]
    if old.language_prefixes:  # the engine named the languages with a prefix: not this one
        return None
    firsts = {p.post.old_url.lstrip("/").split("/", 1)[0].lower() for p in placed if p.lang == lang}
    return lang.lower() if firsts == {lang.lower()} else None


def _prefix(lang: str, old_prefix: str | None, default: bool, sections: set[str], taken: set[str]) -> str:
    """A valid prefix: the old one, else (but for the default edition) the lower-case tag."""
    tries = [old_prefix.lower()] if old_prefix else []
    if default:
        return next((p for p in tries if _valid(p, sections, taken)), "")
    tries += [lang.lower(), f"{lang.lower()}-edition"]
    return next((p for p in tries if _valid(p, sections, taken)), f"edition-{len(taken) + 1}")


def _valid(prefix: str, sections: set[str], taken: set[str]) -> bool:
    return bool(KEY_PATTERN.match(prefix)) and prefix not in sections and prefix not in RESERVED_PATHS \
        and not prefix.isdigit() and prefix not in taken


def _section_titles(titles: Mapping[str, str], mapping: SectionMapping) -> dict[str, str]:
    """Section key -> title, from the old site's titles by category or folder."""
    found: dict[str, str] = {}
    for category, title in titles.items():
        choice = mapping.sections.get(category.lower()) or (mapping.default if not category else None)
        if choice is not None:
            found.setdefault(choice.key, title)
    return found


def translation_keys(placed: Sequence[Placed], plan: EditionPlan) -> list[str]:
    """The translation_key of each placed post ("" for none): a shared key for the posts of one old
    translation key in different editions, the first of each edition (its own language first)."""
    groups: dict[str, list[int]] = {}
    for index, p in enumerate(placed):
        if p.post.translation_key:
            groups.setdefault(p.post.translation_key, []).append(index)
    keys = [""] * len(placed)
    for key, members in groups.items():
        chosen: dict[str, int] = {}
        for index in sorted(members, key=lambda i: placed[i].lang not in plan.by_lang):
            chosen.setdefault(plan.by_lang.get(placed[index].lang, plan.default), index)
        if len(chosen) > 1:
            for index in chosen.values():
                keys[index] = key
    return keys
