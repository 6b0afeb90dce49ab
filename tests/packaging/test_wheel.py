"""What the wheel and the sdist hold, checked against the source tree, and the metadata users see."""

from __future__ import annotations

import email.parser
import tarfile
from pathlib import Path

import builder
from tests.packaging.conftest import REPO, Dist

DIST_INFO = f"broadsheet-{builder.__version__}.dist-info"


def source_files(root: Path) -> dict[str, Path]:
    """Every file under root by its path relative to root, less Python's byte-code caches."""
    return {f.relative_to(root).as_posix(): f for f in sorted(root.rglob("*"))
            if f.is_file() and "__pycache__" not in f.parts and f.suffix != ".pyc"}


def test_the_sdist_and_the_wheel_carry_the_one_version(dist: Dist):
    assert dist.sdist.name == f"broadsheet-{builder.__version__}.tar.gz"
    assert dist.wheel.name == f"broadsheet-{builder.__version__}-py3-none-any.whl"


def test_the_wheel_holds_every_file_of_the_bundled_themes(dist: Dist):
    """A theme file added to themes/ and not shipped fails here (and so does one shipped changed)."""
    names = dist.wheel_names()
    shipped = {n.removeprefix("builder/themes/") for n in names if n.startswith("builder/themes/")}
    expected = source_files(REPO / "themes")
    assert {n for n in expected if n.startswith("default/")} >= {
        "default/theme.yaml", "default/templates/base.html", "default/assets/style.css", "default/strings/en.yaml"}
    assert shipped == set(expected)
    for name, file in expected.items():
        assert dist.wheel_file(f"builder/themes/{name}") == file.read_bytes(), name


def test_the_wheel_holds_every_file_of_builder(dist: Dist):
    """Every module, and every file read at run time (the starter site `broadsheet init` writes)."""
    names = dist.wheel_names()
    files = {f"builder/{n}" for n in source_files(REPO / "builder")}
    assert "builder/commands/starter/welcome.yaml" in files
    assert files <= names, sorted(files - names)


def test_the_wheel_has_the_metadata_a_user_expects(dist: Dist):
    metadata = email.parser.Parser().parsestr(dist.wheel_file(f"{DIST_INFO}/METADATA").decode())
    assert metadata["Name"] == "broadsheet" and metadata["Version"] == builder.__version__
    assert metadata["License-Expression"] == "MIT" and metadata["License-File"] == "LICENSE"
    assert dist.wheel_file(f"{DIST_INFO}/licenses/LICENSE") == (REPO / "LICENSE").read_bytes()
    assert metadata["Description-Content-Type"] == "text/markdown"
    assert metadata.get_payload().strip() == (REPO / "README.md").read_text(encoding="utf-8").strip()
    assert "Programming Language :: Python :: 3.12" in metadata.get_all("Classifier")
    requires = " ".join(metadata.get_all("Requires-Dist"))
    assert "jinja2" in requires and "selenium" in requires and "axe-selenium-python" in requires  # audit works
    scripts = dist.wheel_file(f"{DIST_INFO}/entry_points.txt").decode()
    assert "broadsheet = builder.cli:main" in scripts


def test_the_sdist_holds_what_the_wheel_is_built_from(dist: Dist):
    with tarfile.open(dist.sdist) as archive:
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
    assert {"pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md", "themes/default/templates/base.html",
            "builder/cli.py"} <= names
    assert not any(n.startswith("tests/") for n in names)
