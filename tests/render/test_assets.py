"""UrlRewriter: references to fingerprinted files are rewritten in final pages; nothing else is touched."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from builder.render.assets import CopiedFile, UrlRewriter


def rewriter(config, base_url: str) -> UrlRewriter:
    files = {
        "assets/style.css": CopiedFile("assets/style.css", "assets/style.0123456789.css", Path("x"), "theme asset", "0"),
        "images/Vote Day.JPG": CopiedFile("images/Vote Day.JPG", "images/Vote Day.abcdef0123.JPG", Path("x"), "s", "a"),
        "files/report.pdf": CopiedFile("files/report.pdf", "files/report.pdf", Path("x"), "static", "b"),
    }
    return UrlRewriter(replace(config, base_url=base_url), files)


@pytest.mark.parametrize("base_url", ["https://example.org/", "https://example.org/archive/"])
def test_references_to_renamed_files_are_rewritten(config, base_url):
    base = base_url.removeprefix("https://example.org")
    rewrite = rewriter(config, base_url)
    page = (f'<link href="{base}assets/style.css"><img src="{base}images/Vote%20Day.JPG" alt="">'
            f'<a href="{base}politics/">Politics</a><a href="{base}files/report.pdf">PDF</a>'
            f'<meta content="{base_url}assets/style.css?v=2#top">'
            f'<p style="background: url({base}assets/style.css)">'
            f'<a href="{base}assets/style.css/not-a-file">x</a><a href="{base}assets/style.cssx">y</a>')
    assert rewrite(page.encode()).decode() == (
        f'<link href="{base}assets/style.0123456789.css"><img src="{base}images/Vote%20Day.abcdef0123.JPG" alt="">'
        f'<a href="{base}politics/">Politics</a><a href="{base}files/report.pdf">PDF</a>'
        f'<meta content="{base_url}assets/style.0123456789.css?v=2#top">'
        f'<p style="background: url({base}assets/style.0123456789.css)">'
        f'<a href="{base}assets/style.css/not-a-file">x</a><a href="{base}assets/style.cssx">y</a>')


def test_a_page_without_references_keeps_its_bytes(config):
    page = b'<a href="/politics/">Politics</a> text about /assets/style.css in prose'
    assert rewriter(config, "https://example.org/")(page) is page


def test_at_the_root_only_references_are_rewritten_not_other_hosts(config):
    rewrite = rewriter(config, "https://example.org/")
    page = '<a href="//cdn.example.net/assets/style.css">cdn</a><a href="https://example.org/assets/style.css">'
    assert rewrite(page.encode()).decode() == (
        '<a href="//cdn.example.net/assets/style.css">cdn</a><a href="https://example.org/assets/style.0123456789.css">')
