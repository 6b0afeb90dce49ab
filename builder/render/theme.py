"""The theme: its files (found by render.theme_lookup) and its UI strings per language merged with site.yaml's.

A site overrides any theme template by putting one with the same name in its own templates/
folder, and any UI string under `strings:` in site.yaml (or under an edition's `strings:`).

A string that counts something has its plural forms, by CLDR category, e.g. in Russian

    article_count: {one: "{count} статья", few: "{count} статьи", many: "{count} статей", other: ...}

and `Theme.count` picks the form by the language's CLDR plural rules (Babel). They are kept
flattened ("article_count.few") so that every language's strings stay one mapping of text.

A site without `languages:` falls back to English, string by string, as it always has. An
edition does not: every string the theme's English file has must exist in the edition's
language, or the build stops and says which (an English word in a Japanese edition is a bug,
not a fallback).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from babel.numbers import format_decimal

from builder.config.languages import language_chain, locale_for
from builder.config.site import CONFIG_NAME, SiteConfig
from builder.config.yamltext import YamlSyntaxError, parse_yaml
from builder.content.sources import links_leading_out
from builder.errors import BuildError, BuildFailed
from builder.render.theme_lookup import find_theme

FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class Theme:
    name: str
    root: Path
    text_sizes: Mapping[str, float]
    strings: Mapping[str, Mapping[str, str]]  # language -> key -> text, theme files merged with site.yaml
    edition_assets: tuple[str, ...] = ()  # assets/ files only a site with `languages:` gets (theme.yaml)
    _merged: dict[str, Mapping[str, str]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def assets_dir(self) -> Path:
        return self.root / "assets"

    def strings_for(self, lang: str) -> Mapping[str, str]:
        """UI strings for a language, falling back per string to the base language, then English.

        Merged once per language: every page looks up some twenty strings."""
        found = self._merged.get(lang)
        if found is None:
            layers = [FALLBACK_LANGUAGE, *reversed(language_chain(lang))]
            found = self._merged[lang] = MappingProxyType(merge_strings(self.strings.get(tag, {}) for tag in layers))
        return found

    def count(self, lang: str, key: str, number: int) -> str:
        """A string with {count}, in the plural form `number` takes in `lang` (CLDR rules).

        A plain string (no plural forms) is filled in as it always was; plural forms get the
        number written as the language writes numbers (grouping)."""
        strings = self.strings_for(lang)
        if f"{key}.other" in strings:
            locale = locale_for(lang)
            text = strings.get(f"{key}.{locale.plural_form(number)}") or strings[f"{key}.other"]
            return text.replace("{count}", format_decimal(number, locale=locale))
        return strings.get(key, "{count}").replace("{count}", str(number))


def base_key(key: str) -> str:
    """'article_count.few' -> 'article_count': the string a plural form belongs to."""
    return key.split(".", 1)[0]


def merge_strings(layers) -> dict[str, str]:
    """Layers of strings, later ones winning; a later layer's string replaces all of an earlier
    one's forms (plain text after plural forms, or the reverse)."""
    merged: dict[str, str] = {}
    for layer in layers:
        bases = {base_key(key) for key in layer}
        if any("." in key or f"{key}.other" in merged for key in layer):
            merged = {k: v for k, v in merged.items() if base_key(k) not in bases}
        merged.update(layer)
    return merged


def flatten_strings(table: dict) -> dict[str, str]:
    """A strings file as one mapping of text: plural forms become 'key.form'."""
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update({f"{key}.{form}": str(text) for form, text in value.items()})
        else:
            flat[str(key)] = str(value)
    return flat


def _read_yaml(path: Path):
    try:
        return parse_yaml(path.read_text(encoding="utf-8")).data or {}
    except YamlSyntaxError as exc:
        raise BuildFailed([BuildError(path, exc.line, None, str(exc))]) from None


def load_theme(config: SiteConfig) -> Theme:
    root = find_theme(config)
    # The site's own templates and theme are user files: none of them may lead out of the site.
    # A bundled theme, or one an installed package offers, is software the newsroom installed.
    errors = links_leading_out(config.site_dir, config.templates_dir, "templates/")
    if root == config.site_dir / "themes" / config.theme:
        errors += links_leading_out(config.site_dir, root, f"themes/{config.theme}/")
    if errors:
        raise BuildFailed(errors)
    settings = _read_yaml(root / "theme.yaml") if (root / "theme.yaml").exists() else {}
    strings: dict[str, dict[str, str]] = {}
    for file in sorted((root / "strings").glob("*.yaml")):
        strings[file.stem] = flatten_strings(_read_yaml(file))
    for lang, overrides in config.strings.items():
        strings[lang] = merge_strings([strings.get(lang, {}), overrides])
    for edition in config.editions:
        if edition.strings:
            strings[edition.code] = merge_strings([strings.get(edition.code, {}), edition.strings])
    theme = Theme(
        name=config.theme,
        root=root,
        text_sizes=MappingProxyType(dict(settings.get("text_sizes", {}))),
        strings=MappingProxyType({k: MappingProxyType(v) for k, v in strings.items()}),
        edition_assets=tuple(str(name) for name in settings.get("edition_assets", ())),
    )
    if errors := missing_strings(theme, config):
        raise BuildFailed(errors)
    return theme


def missing_strings(theme: Theme, config: SiteConfig) -> list[BuildError]:
    """Every string of the theme's English file that an edition's language lacks, as errors."""
    required = {base_key(key) for key in theme.strings.get(FALLBACK_LANGUAGE, {})}
    errors = []
    for edition in config.editions:
        if edition.mixed:
            continue  # a site without `languages:` keeps falling back to English, as before editions
        own = merge_strings(theme.strings.get(tag, {}) for tag in reversed(language_chain(edition.code)))
        missing = sorted(required - {base_key(key) for key in own})
        missing += sorted(base_key(k) for k in own if k.endswith(".one") and f"{base_key(k)}.other" not in own)
        if missing:
            shown = ", ".join(missing[:8]) + (f" and {len(missing) - 8} more" if len(missing) > 8 else "")
            errors.append(BuildError(config.site_dir / CONFIG_NAME, edition.line, f"{edition.field}.strings",
                                     f"the {edition.code} edition has no interface text for: {shown}",
                                     f"add them to the edition's strings: in site.yaml, or to "
                                     f"themes/{theme.name}/strings/{edition.code}.yaml (plural forms need 'other')"))
    return errors
