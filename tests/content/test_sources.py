"""Finding article and static files: what is read, what is skipped, and how text is decoded."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from builder.content import sources
from builder.content.sources import read_sources, scan_static
from builder.errors import BuildFailed


def test_articles_are_found_sorted_with_site_relative_paths(make_site):
    site = make_site({"content/politics/b.md": "b", "content/culture/a.markdown": "a", "content/politics/x.txt": "x"})
    sources = read_sources(site, site / "content")
    assert [s.path.as_posix() for s in sources] == ["content/culture/a.markdown", "content/politics/b.md"]


def test_hidden_and_underscore_files_and_folders_are_skipped(make_site):
    site = make_site({"content/.draft.md": "x", "content/_notes.md": "x", "content/_templates/a.md": "x",
                      "content/.git/b.md": "x", "content/politics/ok.md": "ok"})
    assert [s.path.as_posix() for s in read_sources(site, site / "content")] == ["content/politics/ok.md"]


def test_missing_content_folder_gives_no_articles(make_site):
    site = make_site({})
    assert read_sources(site, site / "content") == []


def test_bom_is_dropped_and_crlf_normalised(make_site):
    site = make_site({"content/a.md": "\ufeff---\r\ntitle: x\r\n---\r\n".encode("utf-8")})
    (source,) = read_sources(site, site / "content")
    assert source.text == "---\ntitle: x\n---\n"


def test_digest_changes_with_the_bytes(make_site):
    site = make_site({"content/a.md": "one"})
    first = read_sources(site, site / "content")[0].digest
    (site / "content/a.md").write_text("two")
    assert read_sources(site, site / "content")[0].digest != first


def test_non_utf8_files_are_errors_at_the_line_of_the_first_bad_byte(make_site):
    site = make_site({"content/a.md": b"---\ntitle: ok\nsummary: caf\xe9\n---\n", "content/b.md": b"\xff",
                      "content/c.md": "fine"})
    with pytest.raises(BuildFailed) as failure:
        read_sources(site, site / "content")
    assert [(e.path.as_posix(), e.line, e.message) for e in failure.value.errors] == [
        ("content/a.md", 3, "the file is not UTF-8 text"), ("content/b.md", 1, "the file is not UTF-8 text")]


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


def test_static_files_by_url_path_with_image_sizes(make_site):
    site = make_site({"static/images/2024/vote.png": png(12, 7), "static/robots.txt": "x",
                      "static/images/broken.jpg": b"not an image", "static/.DS_Store": b"x",
                      "static/_drafts/a.png": png(1, 1)})
    found = scan_static(site / "static")
    assert sorted(found) == ["images/2024/vote.png", "images/broken.jpg", "robots.txt"]
    assert found["images/2024/vote.png"].dimensions == (12, 7)
    assert found["images/broken.jpg"].dimensions is None
    assert found["robots.txt"].dimensions is None
    assert found["robots.txt"].size == 1


def test_missing_static_folder_gives_no_files(make_site):
    site = make_site({})
    assert scan_static(site / "static") == {}


def test_images_measured_before_are_not_opened_again(make_site, monkeypatch):
    site = make_site({"static/a.png": png(12, 7), "static/b.png": png(3, 4)})
    first = scan_static(site / "static")
    measured = {rel: (f.size, f.mtime_ns, f.dimensions) for rel, f in first.items()}
    opened = []
    real = sources._dimensions
    monkeypatch.setattr(sources, "_dimensions", lambda path: opened.append(path.name) or real(path))
    assert scan_static(site / "static", measured) == first and opened == []
    (site / "static/b.png").write_bytes(png(30, 40))
    again = scan_static(site / "static", measured)
    assert opened == ["b.png"] and again["b.png"].dimensions == (30, 40) and again["a.png"].dimensions == (12, 7)


def test_static_files_in_path_order_with_links_inside_the_site_followed(make_site):
    site = make_site({"static/a-b.txt": "x", "static/a/b.txt": "x", "static/a/c/d.txt": "x", "static/z.txt": "x",
                      "shared/e.txt": "x"})
    (site / "static/linked").symlink_to(site / "shared", target_is_directory=True)
    (site / "static/linked.txt").symlink_to(site / "shared/e.txt")
    found = scan_static(site / "static")
    assert list(found) == ["a/b.txt", "a/c/d.txt", "a-b.txt", "linked/e.txt", "linked.txt", "z.txt"]
    assert found["linked/e.txt"].path == site / "static/linked/e.txt"
