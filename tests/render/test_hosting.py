"""Output ready for hosting: fingerprinted file names, precompressed siblings, _headers."""

from __future__ import annotations

import gzip
import re
import shutil
from datetime import UTC, datetime

import brotli
import pytest

from builder.build.pipeline import BuildOptions, build
from builder.render.theme_lookup import bundled_themes
from tests.support.files import tree, write_files
from tests.support.herald import SITE_YAML, article_text

NOW = datetime(2025, 1, 1, tzinfo=UTC)


def png(width: int) -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (width, 4), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def site(tmp_path):
    body = "Text.\n\n![A red bar across the page](/images/bar.png \"The bar of the vote\")\n"
    return write_files(tmp_path / "site", {
        "site.yaml": SITE_YAML + "hosting:\n  headers: true\n  precompress: true\n  precompress_min_bytes: 200\n",
        "content/politics/vote.md": article_text("Vote", body=body),
        "static/images/bar.png": png(10),
        "static/files/report.pdf": b"%PDF-1.4 not really",
    })


def build_site(site, out):
    return build(BuildOptions(site, output_dir=out, now=NOW, jobs=1))


ORIGINALS_SHOWN = "images:\n  widths: []\n"  # no generated sizes: pages show the fingerprinted original


def test_assets_and_shown_images_get_content_hashed_names_and_references_follow(site, tmp_path):
    out = tmp_path / "out"
    (site / "site.yaml").write_text(SITE_YAML + ORIGINALS_SHOWN, encoding="utf-8")
    build_site(site, out)
    files = set(tree(out))
    css = [f for f in files if re.fullmatch(r"assets/style\.[0-9a-f]{10}\.css", f)]
    image = [f for f in files if re.fullmatch(r"images/bar\.[0-9a-f]{10}\.png", f)]
    assert css and image and "assets/style.css" not in files and "images/bar.png" not in files
    assert "files/report.pdf" in files  # not shown by any article: keeps its name, others link to it
    page = (out / "politics/2024/03/vote/index.html").read_text(encoding="utf-8")
    assert f'href="/news/{css[0]}"' in page and f'src="/news/{image[0]}"' in page
    assert "/news/images/bar.png" not in (out / "feed.xml").read_text(encoding="utf-8")


def test_a_changed_image_gets_a_new_name_everywhere_and_the_old_file_goes(site, tmp_path):
    out = tmp_path / "out"
    (site / "site.yaml").write_text(SITE_YAML + ORIGINALS_SHOWN, encoding="utf-8")
    build_site(site, out)
    old = next(p for p in tree(out) if p.startswith("images/bar."))
    (site / "static/images/bar.png").write_bytes(png(12))
    build_site(site, out)
    new = next(p for p in tree(out) if p.startswith("images/bar."))
    assert new != old and not (out / old).exists()
    assert new in (out / "politics/2024/03/vote/index.html").read_text(encoding="utf-8")
    assert new in (out / "feed.xml").read_text(encoding="utf-8")


def test_a_theme_stylesheet_change_renames_it_on_every_page(site, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(bundled_themes() / "default", site / "themes/default")
    build_site(site, out)
    style = site / "themes/default/assets/style.css"
    style.write_text(style.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    build_site(site, out)
    css = next(p for p in tree(out) if p.startswith("assets/style."))
    for page in ("index.html", "politics/2024/03/vote/index.html", "404.html"):
        assert css in (out / page).read_text(encoding="utf-8")


def test_precompressed_siblings_hold_the_same_bytes_and_follow_changes(site, tmp_path):
    out = tmp_path / "out"
    build_site(site, out)
    for page in ("index.html", "feed.xml", next(p for p in tree(out) if p.startswith("assets/style."))):
        original = (out / page).read_bytes()
        assert gzip.decompress((out / f"{page}.gz").read_bytes()) == original
        assert brotli.decompress((out / f"{page}.br").read_bytes()) == original
    assert not (out / (next(p for p in tree(out) if p.startswith("images/bar.")) + ".gz")).exists()

    again = build_site(site, out)
    assert again.report.written == []
    story = site / "content/politics/vote.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nA new line.\n", encoding="utf-8")
    build_site(site, out)
    page = out / "politics/2024/03/vote/index.html"
    assert gzip.decompress((out / "politics/2024/03/vote/index.html.gz").read_bytes()) == page.read_bytes()


def test_turning_precompression_off_removes_the_siblings(site, tmp_path):
    out = tmp_path / "out"
    build_site(site, out)
    (site / "site.yaml").write_text(SITE_YAML + "hosting:\n  headers: true\n", encoding="utf-8")
    build_site(site, out)
    assert not [p for p in tree(out) if p.endswith((".gz", ".br"))]


def test_headers_file_marks_fingerprinted_files_immutable(site, tmp_path):
    out = tmp_path / "out"
    build_site(site, out)
    headers = (out / "_headers").read_text(encoding="utf-8")
    images = [p for p in tree(out) if p.startswith("images/bar.")]
    assert len(images) == 3  # the original (fingerprinted), and 10 pixels wide as WebP and as PNG
    for image in images:
        assert f"/news/{image}\n  Cache-Control: public, max-age=31536000, immutable" in headers
    assert "/news/files/report.pdf" not in headers
