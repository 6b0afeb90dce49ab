"""A single-language old site imports exactly as it did before language editions.

The whole output of the Jekyll and WordPress fixtures (every text file, and the names of the copied
files) is compared with what the importer wrote before editions existed, kept in expected/. The
report's timing and folders are the only parts that differ between runs, and are left out.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from builder.importers.run import ImportOptions, import_site
from tests.importers.sites import jekyll_site, wordpress_site

EXPECTED = Path(__file__).parent / "expected"


def snapshot(site: Path) -> str:
    """Every file of an imported site folder, text in full, other files by name."""
    out = []
    for file in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = file.relative_to(site).as_posix()
        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            out.append(f"=== {rel} (binary, {file.stat().st_size} bytes)")
            continue
        text = re.sub(r"From `[^`]*` into `[^`]*` in [\d.]+ s\.", "From SOURCE into DEST.", text)
        text = text.replace(str(site), "DEST")
        out.append(f"=== {rel}\n{text}")
    return "\n".join(out) + "\n"


def imported(engine: str, tmp: Path) -> Path:
    old = jekyll_site(tmp / "old") if engine == "jekyll" else wordpress_site(tmp / "old") / "courier.xml"
    site = tmp / "site"
    import_site(ImportOptions(engine, old, site))
    return site


@pytest.mark.parametrize("engine", ["jekyll", "wordpress"])
def test_a_single_language_site_imports_as_before_editions(engine, tmp_path):
    expected = (EXPECTED / f"{engine}-single-language.txt").read_text(encoding="utf-8")
    assert snapshot(imported(engine, tmp_path)) == expected
