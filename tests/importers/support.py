"""Import a site, accept its debts, build it: what every importer's end-to-end test does."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from builder.build.pipeline import BuildOptions, BuildResult, build
from builder.checks.baseline import BASELINE_NAME, write_baseline
from builder.importers.run import ImportOptions, ImportResult, import_site

NOW = datetime(2030, 1, 1, tzinfo=UTC)  # after every post of the fixtures and corpora


@dataclass
class Imported:
    site: Path
    result: ImportResult
    build: BuildResult

    @property
    def out(self) -> Path:
        return self.site / "output"

    def served(self, old: str) -> Path | None:
        """The output file a static host serves for an old address (site-relative), or None."""
        path = old.lstrip("/")
        candidate = self.out / (path + "index.html" if path.endswith("/") or not path else path)
        return candidate if candidate.is_file() else None

    def lands_on(self, old: str) -> str:
        """Where an old address takes a reader: the page itself, or the target of its redirect page."""
        file = self.served(old)
        assert file is not None, f"/{old} is not served"
        text = file.read_text(encoding="utf-8")
        refresh = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', text)
        return refresh.group(1) if refresh else "/" + old.lstrip("/")

    def article(self, rel: str) -> str:
        return (self.site / rel).read_text(encoding="utf-8")


def import_and_build(engine: str, source: Path, tmp: Path, **options) -> Imported:
    """Import into tmp/site, write a baseline of what the survey finds, then build (which must pass)."""
    site = tmp / "site"
    result = import_site(ImportOptions(engine, source, site, **options))
    survey = build(BuildOptions(site, drafts=True, future=True, survey=True, now=NOW, jobs=1))
    write_baseline(site / BASELINE_NAME, survey.debts.judgement.found)
    built = build(BuildOptions(site, now=NOW, jobs=1))
    return Imported(site, result, built)
