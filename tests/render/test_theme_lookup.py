"""Which theme a site gets: its own themes/NAME/, then a theme an installed package offers through the
`broadsheet.themes` entry point group, then the themes bundled with Broadsheet.

The installed packages here are laid out on a sys.path folder as pip lays them out (the package and
its .dist-info with entry_points.txt); tests/packaging builds and installs a real one with pip.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.config.site import parse_config
from builder.errors import BuildFailed
from builder.render.theme_lookup import ENTRY_POINT_GROUP, bundled_themes, find_theme
from tests.support.builds import article, build_into, site_yaml


def theme_copy(target: Path, marker: str) -> Path:
    """The default theme copied to target, its article template marked so a page shows which theme made it."""
    shutil.copytree(bundled_themes() / "default", target)
    template = target / "templates" / "article.html"
    text = template.read_text(encoding="utf-8")
    assert '<article class="article"' in text
    template.write_text(text.replace('<article class="article"', f'<article data-theme="{marker}" class="article"'),
                        encoding="utf-8")
    return target


def install_package(site_packages: Path, distribution: str, entry_points: dict[str, str],
                    package: str | None = None, marker: str | None = None) -> None:
    """An installed distribution offering themes; `package` (a theme copy marked `marker`) is its code."""
    if package is not None:
        theme_copy(site_packages / package, marker or package)
        (site_packages / package / "__init__.py").write_text("", encoding="utf-8")
    info = site_packages / f"{distribution.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {distribution}\nVersion: 1.0\n", encoding="utf-8")
    lines = "".join(f"{name} = {value}\n" for name, value in entry_points.items())
    (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\n{lines}", encoding="utf-8")


@pytest.fixture
def site_packages(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "site-packages"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    return folder


ARTICLES = {"content/politics/vote.md": article("Council votes", "2024-05-02T10:00:00+04:00")}
ARTICLE_PAGE = "politics/2024/05/vote/"


def build_with_theme(root: Path, theme: str, files: dict[str, str | bytes] | None = None):
    return build_into(root, {"site.yaml": site_yaml(extra=f"theme: {theme}\n"), **ARTICLES, **(files or {})})


def test_a_theme_from_an_installed_package_renders_the_pages(tmp_path, site_packages):
    install_package(site_packages, "newsroom-theme", {"newsroom": "newsroom_theme"}, "newsroom_theme", "newsroom")
    built = build_with_theme(tmp_path, "newsroom")
    assert built.html(ARTICLE_PAGE).xpath("//article/@data-theme") == ["newsroom"]
    assert built.html("").xpath("//main")  # the rest of the theme came along with the one template changed


def test_the_sites_own_themes_folder_comes_before_an_installed_package(tmp_path, site_packages):
    install_package(site_packages, "newsroom-theme", {"newsroom": "newsroom_theme"}, "newsroom_theme", "package")
    theme_copy(tmp_path / "site" / "themes" / "newsroom", "site")
    built = build_with_theme(tmp_path, "newsroom")
    assert built.html(ARTICLE_PAGE).xpath("//article/@data-theme") == ["site"]


def test_an_installed_package_comes_before_the_bundled_theme_of_the_same_name(tmp_path, site_packages):
    install_package(site_packages, "house-style", {"default": "house_style"}, "house_style", "house")
    config = parse_config(site_yaml(), tmp_path)
    assert find_theme(config) == site_packages / "house_style"


def test_the_bundled_default_theme_is_package_data(tmp_path):
    """Found through importlib.resources as the package builder.themes, not beside the source files."""
    config = parse_config(site_yaml(), tmp_path)
    root = find_theme(config)
    assert root == bundled_themes() / "default"
    assert (root / "templates" / "base.html").is_file() and (root / "strings" / "en.yaml").is_file()


def lookup_error(config) -> str:
    with pytest.raises(BuildFailed) as failure:
        find_theme(config)
    [error] = failure.value.errors
    assert error.field == "theme" and error.path == config.site_dir / "site.yaml"
    return f"{error.message}\n{error.hint}"


def test_a_missing_theme_names_every_place_it_looked(tmp_path, site_packages):
    install_package(site_packages, "newsroom-theme", {"newsroom": "newsroom_theme"}, "newsroom_theme")
    config = parse_config(site_yaml(extra="theme: nosuch\n"), tmp_path)
    text = lookup_error(config)
    assert "no theme named 'nosuch'" in text
    assert str(tmp_path / "themes" / "nosuch") in text  # the site's own folder
    assert ENTRY_POINT_GROUP in text and "newsroom" in text  # installed packages, and what they offer
    assert str(bundled_themes()) in text and "default" in text  # the bundled themes
    assert "themes/nosuch/" in text  # and how to fix it


def test_two_packages_offering_one_theme_name_is_an_error(tmp_path, site_packages):
    install_package(site_packages, "first-theme", {"newsroom": "first_theme"}, "first_theme")
    install_package(site_packages, "second-theme", {"newsroom": "second_theme"}, "second_theme")
    text = lookup_error(parse_config(site_yaml(extra="theme: newsroom\n"), tmp_path))
    assert "first-theme" in text and "second-theme" in text and "uninstall" in text


def test_an_entry_point_that_names_no_package_is_an_error(tmp_path, site_packages):
    install_package(site_packages, "broken-theme", {"newsroom": "no_such_package_anywhere"})
    text = lookup_error(parse_config(site_yaml(extra="theme: newsroom\n"), tmp_path))
    assert "broken-theme" in text and "no_such_package_anywhere" in text and "cannot be loaded" in text
