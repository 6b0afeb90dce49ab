"""The build cache's memory of image sizes: what scan_static measured, kept for the next build."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from builder.content.sources import StaticFile
from builder.incremental.cache import BuildCache

OLD = 1_600_000_000_000_000_000


def image(name: str, size: int = 10, dimensions=(4, 3), mtime_ns: int = OLD) -> StaticFile:
    return StaticFile(name, Path("/static") / name, size, dimensions, mtime_ns)


def test_image_sizes_are_kept_and_forgotten_with_their_files(tmp_path):
    cache = BuildCache(tmp_path / "cache.sqlite", context="a")
    static = {f.url_path: f for f in (image("a.png"), image("broken.jpg", dimensions=None), image("notes.txt", 5, None))}
    cache.store_image_sizes(static, {})
    measured = cache.image_sizes()
    assert measured == {"a.png": (10, OLD, (4, 3)), "broken.jpg": (10, OLD, None)}  # images only

    cache.store_image_sizes({"a.png": image("a.png", 12, (8, 6), OLD + 1)}, measured)
    assert cache.image_sizes() == {"a.png": (12, OLD + 1, (8, 6))}
    cache.close()


def test_an_image_changed_just_now_is_not_kept(tmp_path):
    # It may change again within its mtime's resolution, keeping both size and mtime.
    cache = BuildCache(tmp_path / "cache.sqlite", context="a")
    cache.store_image_sizes({"a.png": image("a.png", mtime_ns=time.time_ns())}, {})
    assert cache.image_sizes() == {}
    cache.close()


def test_image_sizes_go_with_the_rest_of_the_cache_when_the_context_changes(tmp_path):
    cache = BuildCache(tmp_path / "cache.sqlite", context="a")
    cache.store_image_sizes({"a.png": image("a.png")}, {})
    cache.close()
    cache = BuildCache(tmp_path / "cache.sqlite", context="b")
    assert cache.image_sizes() == {}
    cache.close()


def test_a_clean_build_measures_every_image_again(tmp_path):
    cache = BuildCache(tmp_path / "cache.sqlite", context="a")
    cache.store_image_sizes({"a.png": image("a.png")}, {})
    cache.clear()
    assert cache.image_sizes() == {}
    cache.close()


def test_a_failed_clean_build_keeps_what_the_cache_knew(tmp_path):
    """--clean ignores the cache; clearing it first lost everything when the clean build then failed."""
    from builder.build.pipeline import BuildOptions, build
    from builder.errors import BuildFailed
    from builder.output.layout import CACHE_NAME
    from tests.support.builds import FIXED_NOW, article, site_yaml
    from tests.support.files import write_files

    site = write_files(tmp_path / "site", {
        "site.yaml": site_yaml(),
        **{f"content/politics/s{n}.md": article(f"S{n}", f"2024-03-0{n + 1}T09:30:00+04:00") for n in range(3)}})
    out = tmp_path / "out"
    build(BuildOptions(site, output_dir=out, now=FIXED_NOW, jobs=1))
    known = out / CACHE_NAME

    def rows() -> dict:
        import sqlite3

        with sqlite3.connect(known) as db:
            return {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                    for table in ("articles", "recipes", "page_ids", "file_digests")}

    before = rows()
    assert before["articles"] == 3
    (site / "content/politics/broken.md").write_text("---\ntitle: Broken\n---\n\nNo date, no section.\n",
                                                     encoding="utf-8")
    with pytest.raises(BuildFailed):
        build(BuildOptions(site, output_dir=out, now=FIXED_NOW, jobs=1, clean=True))
    after = rows()
    assert after["articles"] >= 3 and after["recipes"] == before["recipes"] and after["page_ids"] == before["page_ids"]
