"""Whole pages of a site with three language editions, compared with stored output: a golden page per edition.

The Trilingual Courier (tests/support/editions.py): Armenian at the root, English under en/,
Arabic (right to left, section names fallen back to Armenian) under ar/. After an intended change,
refresh with `./dev test tests/golden --update-golden` and review the diff in git.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from builder.build.pipeline import BuildOptions, build
from tests.golden.compare import check_golden_page
from tests.support.editions import files
from tests.support.files import write_files

EXPECTED = Path(__file__).parent / "expected-editions"
NOW = datetime(2024, 6, 1, tzinfo=UTC)

PAGES = [
    # Each edition's home page and its page of the story told in all three languages.
    "index.html",
    "en/index.html",
    "ar/index.html",
    "politics/2024/03/budget-hy/index.html",
    "en/politics/2024/03/budget-en/index.html",
    "ar/politics/2024/03/budget-ar/index.html",
    # An English story in the Armenian edition; a section named in another edition's language.
    "politics/2024/01/english-in-hy/index.html",
    "ar/politics/index.html",
    "en/archive/index.html",
    "ar/404.html",
    "ar/feed.xml",
    "en/feed.json",
    "sitemap.xml",
]


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    site = write_files(tmp_path_factory.mktemp("golden-editions"), files())
    out = site / "output"
    build(BuildOptions(site, output_dir=out, now=NOW, jobs=1))
    return out


@pytest.mark.parametrize("page", PAGES)
def test_page_matches_golden_copy(output, page, request):
    check_golden_page(output, EXPECTED, page, request.config.getoption("--update-golden"))
