"""Whole pages of a small site, built from in-memory files, compared with stored output.

A change to the theme or the renderer shows up here as a readable diff. After an intended
change, refresh with `./dev test tests/golden --update-golden` and review the diff in git.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from builder.build.pipeline import BuildOptions, build
from tests.golden.compare import check_golden_page

EXPECTED = Path(__file__).parent / "expected"
NOW = datetime(2024, 6, 1, tzinfo=UTC)

FILES = {
    "site.yaml": """\
title: Golden Gazette
description: A tiny archive for golden tests.
base_url: https://example.org/gazette/
language: en
timezone: Asia/Yerevan
pagination:
  per_page: 2
sections:
  - key: politics
    title: Politics
    description: Councils and parliaments.
  - key: culture
    title: Culture
authors:
  - key: anna-hakobyan
    name: Anna Hakobyan
    bio: Political correspondent in Yerevan.
images:  # the picture is 2 pixels wide: two widths give a srcset of two candidates
  widths: [1, 2]
""",
    "content/politics/council-budget.md": """\
---
title: "Council approves </script> budget"
date: 2024-03-05T09:30:00+04:00
updated: 2024-03-06T11:00:00+04:00
section: politics
authors: [anna-hakobyan, Levon Petrosyan]
tags: [budget, Yerevan]
summary: "The city council passed the 2024 budget by 41 votes to 12."
image:
  src: /images/council.png
  alt: "Councillors raise their hands in a wood-panelled chamber"
  caption: "The vote took less than an hour"
  credit: "Photo: Ani Sargsyan"
corrections:
  - date: 2024-03-07T10:00:00+04:00
    text: "An earlier version gave the wrong vote count."
---

The council met on Tuesday. The mayor said [Բարի գալուստ]{lang=hy} to guests.

## What changes

- Buses
- Schools[^1]

![A bar chart of spending by department](/images/council.png "Transport takes the largest share")

[^1]: Forty schools in total.
""",
    "content/politics/schools.md": """\
---
title: "Երևանում 27 դպրոց կամրացվի"
date: 2024-04-18T12:40:00+04:00
section: politics
authors: [anna-hakobyan]
tags: [Yerevan]
lang: hy
summary: "Աշխատանքները կսկսվեն ամռանը։"
---

Քաղաքապետարանը հրապարակել է ցանկը։
""",
    "content/culture/festival.md": """\
---
title: "مهرجان الموسيقى يعود إلى المدينة"
date: 2023-06-12
section: culture
authors: [Layla Haddad]
tags: [music]
lang: ar
summary: "عاد المهرجان بعد غياب ثلاث سنوات."
image:
  src: /images/council.png
  alt: ""
  decorative: true
  caption: "رسم توضيحي"
  credit: "Illustration"
---

عاد المهرجان إلى المدينة.
""",
}

# A 2x1 PNG, so the build can read its size.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000002000000010806000000f4227f8a0000000e49444154789c63606060f80fc2"
    "00060301ffcf87c6700000000049454e44ae426082"
)

PAGES = [
    "politics/2024/03/council-budget/index.html",
    "politics/2024/04/schools/index.html",
    "culture/2023/06/festival/index.html",
    "index.html",
    "politics/index.html",
    "tags/yerevan/index.html",
    "authors/anna-hakobyan/index.html",
    "2024/03/index.html",
    "archive/index.html",
    "404.html",
    "search/index.html",
    "search/ar/index.html",
    "feed.xml",
    "atom.xml",
    "feed.json",
    "sitemap.xml",
]


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    return build_golden_site(tmp_path_factory.mktemp("golden-site"), FILES)


@pytest.fixture(scope="module")
def output_without_search(tmp_path_factory):
    files = {**FILES, "site.yaml": FILES["site.yaml"] + "search:\n  enabled: false\n"}
    return build_golden_site(tmp_path_factory.mktemp("golden-site-without-search"), files)


def build_golden_site(site: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(content, encoding="utf-8")
    (site / "static/images").mkdir(parents=True)
    (site / "static/images/council.png").write_bytes(PNG)
    out = site / "output"
    build(BuildOptions(site, output_dir=out, now=NOW, jobs=1))
    return out


@pytest.mark.parametrize("page", PAGES)
def test_page_matches_golden_copy(output, page, request):
    check_golden_page(output, EXPECTED, page, request.config.getoption("--update-golden"))


BEFORE_EDITIONS = Path(__file__).parent / "single-edition.sha256"


def test_the_whole_site_is_byte_identical_to_its_build_before_language_editions(output_without_search):
    """A site without `languages:` takes the editions' code path as one edition, and must not notice.
    (Without search, which came after editions and adds its pages and a header field.)"""
    output = output_without_search
    from tests.support.files import tree

    lines = BEFORE_EDITIONS.read_text(encoding="utf-8").splitlines()
    before = {path: digest for digest, path in (line.split("  ", 1) for line in lines if not line.startswith("#"))}
    now = tree(output)
    assert sorted(now.keys() - before.keys()) == [] and sorted(before.keys() - now.keys()) == []
    assert sorted(path for path in now if now[path] != before[path]) == []
