"""benchmarks/preview_latency.py on a site whose output is already built, and across body-only rebuilds.

Neither way reads the archive (build.way): the benchmark must find the article it edits without one.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from builder.commands.preview import SiteBuild
from tests.serve.sites import copy_example_site
from tests.support.files import age_new_files

pytestmark = pytest.mark.browser

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import preview_latency  # noqa: E402


def test_the_latency_benchmark_runs_on_a_built_site_and_after_body_edits(tmp_path):
    site = copy_example_site(tmp_path / "site")
    age_new_files(site, 1)  # inputs older than the clock's resolution: the stamps of the build are trusted
    first = SiteBuild(site)
    first()
    again = SiteBuild(site)
    again()
    assert again.result is not None and again.result.archive is None  # the preview's first build reads nothing

    result = preview_latency.measure(site, "", repeat=2, label="example site, built before")

    assert result["articles"] == first.result.articles
    assert len(result["rounds_s"]) == 2
    assert result["article"].endswith(".md")
    # The preview's builds left the search index for later; the benchmark waited for it.
    assert result["search"] and result["search_up_to_date_s"] is not None
    assert result["search_up_to_date_s"] > max(result["rounds_s"])
