"""The theme: its files (found by render.theme_lookup) and its UI strings per language merged with site.yaml's.

A site overrides any theme template by putting one with the same name in its own templates/
folder, and any UI string under `strings:` in site.yaml.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from builder.config.languages import language_chain
from builder.config.site import SiteConfig
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
    _merged: dict[str, Mapping[str, str]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def assets_dir(self) -> Path:
        return self.root / "assets"

    def strings_for(self, lang: str) -> Mapping[str, str]:
        """UI strings for a language, falling back per string to the base language, then English.

        Merged once per language: every page looks up some twenty strings."""
        found = self._merged.get(lang)
        if found is None:
            merged: dict[str, str] = {}
            for tag in [FALLBACK_LANGUAGE, *reversed(language_chain(lang))]:
                merged.update(self.strings.get(tag, {}))
            found = self._merged[lang] = MappingProxyType(merged)
        return found


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
        strings[file.stem] = {str(k): str(v) for k, v in _read_yaml(file).items()}
    for lang, overrides in config.strings.items():
        strings[lang] = {**strings.get(lang, {}), **overrides}
    return Theme(
        name=config.theme,
        root=root,
        text_sizes=MappingProxyType(dict(settings.get("text_sizes", {}))),
        strings=MappingProxyType({k: MappingProxyType(v) for k, v in strings.items()}),
    )
