"""Where the theme that site.yaml names is found, in this order:

1. the site's own `themes/NAME/` folder;
2. an installed package that offers a theme of that name through the `broadsheet.themes` entry
   point group (a newsroom publishes its theme as a pip package: the entry point's value names the
   package whose folder holds templates/, assets/, strings/ and theme.yaml);
3. the themes bundled with Broadsheet (the package `builder.themes`).

Installed themes are read through importlib.resources, never through a path relative to this file,
so a wheel finds them exactly as a checkout does. Jinja's FileSystemLoader, the build's stamp and
the preview's watcher need a real folder: an installed (unzipped) package is one; a package inside
a zip file is unpacked once per process by importlib.resources.as_file.

A theme that is not found names every place that was looked in and what each offers.
"""

from __future__ import annotations

import atexit
import contextlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources
from importlib.resources.abc import Traversable
from pathlib import Path

from builder.config.site import SiteConfig
from builder.errors import BuildError, BuildFailed

ENTRY_POINT_GROUP = "broadsheet.themes"
BUNDLED_PACKAGE = "builder.themes"

# Folders unpacked from zip files, removed when the process ends.
_unpacked = contextlib.ExitStack()
atexit.register(_unpacked.close)


def real_folder(resource: Traversable) -> Path:
    """A folder on disk for a package resource: the resource itself when the package is installed as
    files, else an unpacked copy that lasts as long as the process."""
    if isinstance(resource, Path):
        return resource
    return _unpacked.enter_context(resources.as_file(resource))


@lru_cache(maxsize=1)
def bundled_themes() -> Path:
    """The folder of the themes that ship with Broadsheet (themes/ in the repository)."""
    return real_folder(resources.files(BUNDLED_PACKAGE))


@dataclass(frozen=True)
class ThemeOffer:
    """A theme an installed package offers through the entry point group."""

    name: str
    package: str  # the entry point's value: the package whose folder is the theme
    distribution: str  # the pip package that declares it


def theme_offers() -> dict[str, list[ThemeOffer]]:
    """Every theme installed packages offer, by name (a name two packages offer has two offers)."""
    offers: dict[str, list[ThemeOffer]] = {}
    for point in metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = point.dist.name if point.dist is not None else "an unknown package"
        offers.setdefault(point.name, []).append(ThemeOffer(point.name, point.value, dist))
    return offers


def _error(config: SiteConfig, message: str, hint: str) -> BuildFailed:
    return BuildFailed([BuildError(config.site_dir / "site.yaml", None, "theme", message, hint)])


def _offered_root(config: SiteConfig, offers: list[ThemeOffer]) -> Path:
    if len(offers) > 1:
        names = ", ".join(sorted(o.distribution for o in offers))
        raise _error(config, f"more than one installed package offers the theme '{config.theme}': {names}",
                     "uninstall all but one of them, or copy the theme you want into themes/ in the site")
    offer = offers[0]
    try:
        root = real_folder(resources.files(offer.package))
    except (ImportError, TypeError, ValueError) as exc:
        raise _error(config, f"the package {offer.distribution} offers the theme '{config.theme}' as "
                             f"'{offer.package}', which cannot be loaded ({exc})",
                     f"the entry point in {ENTRY_POINT_GROUP} must name an importable package, e.g. "
                     f"'{offer.name} = \"newsroom_theme\"'; reinstall {offer.distribution}") from None
    if not (root / "templates").is_dir():
        raise _error(config, f"the theme '{config.theme}' of the package {offer.distribution} has no "
                             f"templates/ folder in {root}",
                     f"put the theme's templates/ in the package {offer.package}, and make sure the "
                     "package's build ships them as package data")
    return root


def find_theme(config: SiteConfig) -> Path:
    """The root folder of the theme site.yaml names (see the module docstring for the order)."""
    name = config.theme
    own = config.site_dir / "themes" / name
    if (own / "templates").is_dir():
        return own
    offers = theme_offers()
    if name in offers:
        return _offered_root(config, offers[name])
    bundled = bundled_themes()
    if (bundled / name / "templates").is_dir():
        return bundled / name
    bundled_names = sorted(p.name for p in bundled.iterdir() if (p / "templates").is_dir())
    offered = ", ".join(sorted(offers)) or "none"
    looked = (f"looked in {own}/ (no templates/ folder there); among the themes installed packages "
              f"offer through {ENTRY_POINT_GROUP} ({offered}); and among the themes bundled with "
              f"Broadsheet in {bundled} ({', '.join(bundled_names) or 'none'})")
    if name == "default":
        hint = f"{looked}. The default theme should be bundled: reinstall Broadsheet"
    else:
        hint = f"{looked}. Put the theme in themes/{name}/, install the package that offers it, or use theme: default"
    raise _error(config, f"no theme named '{name}'", hint)
