"""What the audit reads from an output folder: pages, their kinds and sources, samples, cache keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.audit.cache import AuditCache, page_key
from builder.audit.pages import AssetDigests, list_pages, read_manifest, sample_pages
from builder.checks.findings import Finding
from builder.output.manifest import ManifestEntry, write_manifest

from .fixture_site import DEFECTS, article_page, build_fixture_site


def write_sources(root: Path, made_from: dict[str, tuple[str, ...]]) -> None:
    """A manifest that names the sources of some files (the audit reads nothing else from it)."""
    write_manifest(root, {path: ManifestEntry("0" * 64, "", 0, 0, sources) for path, sources in made_from.items()}, {})


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


@pytest.fixture
def output(tmp_path) -> Path:
    out = tmp_path / "output"
    write(out, {
        "index.html": "<html>home</html>",
        "page/2/index.html": "<html>home 2</html>",
        "404.html": "<html>404</html>",
        "news/index.html": "<html>section</html>",
        "news/page/2/index.html": "<html>section 2</html>",
        "news/2024/03/vote/index.html": '<html dir="rtl"><link rel="stylesheet" href="/a/assets/site.css"></html>',
        "news/2024/03/old/index.html": '<html><meta http-equiv="refresh" content="0; url=/a/x/"></html>',
        "tags/budget/index.html": "<html>tag</html>",
        "authors/anna/index.html": "<html>author</html>",
        "2024/03/index.html": "<html>month</html>",
        "archive/index.html": "<html>archive</html>",
        "about.html": "<html>other</html>",
        ".broadsheet-staging/x.html": "<html>hidden</html>",
        "assets/site.css": "@import 'more.css'; body { background: url(bg.png) }",
        "assets/more.css": "p { color: red }",
        "assets/bg.png": "png",
    })
    write_sources(out, {
        "news/2024/03/vote/index.html": ("content/news/vote.md",),
        "news/2024/03/old/index.html": ("content/news/vote.md",),
        "news/index.html": ("content/news/vote.md",),
    })
    return out


def test_pages_kinds_sections_and_sources(output, tmp_path):
    (tmp_path / "content" / "news").mkdir(parents=True)
    (tmp_path / "content" / "news" / "vote.md").write_text("---\ntitle: Vote\nsection: news\n---\nText.\n")
    pages = {p.path: p for p in list_pages(output, "/a/", {"news"}, tmp_path)}
    assert {path: p.template for path, p in pages.items()} == {
        "404.html": "404", "index.html": "home", "page/2/index.html": "home (page 2+)",
        "news/index.html": "section", "news/page/2/index.html": "section (page 2+)",
        "news/2024/03/vote/index.html": "article (rtl)", "news/2024/03/old/index.html": "redirect",
        "tags/budget/index.html": "tag", "authors/anna/index.html": "author", "2024/03/index.html": "date",
        "archive/index.html": "archive", "about.html": "other",
    }
    vote = pages["news/2024/03/vote/index.html"]
    assert (vote.url_path, vote.section, vote.source) == ("/a/news/2024/03/vote/", "news", "content/news/vote.md")
    assert pages["news/index.html"].source is None  # a listing is not made from one article
    assert pages["news/index.html"].section == "news"
    assert pages["about.html"].url_path == "/a/about.html"


def test_sample_covers_every_template_plus_random_pages(output):
    pages = list_pages(output, "/a/", {"news"})
    templates = {p.template for p in pages}
    sample = sample_pages(pages, 0, seed=1)
    assert {p.template for p in sample} == templates and len(sample) == len(templates)
    more = sample_pages(pages, 100, seed=1)
    assert more == pages
    assert sample_pages(pages, 0, seed=1) == sample_pages(pages, 0, seed=2)  # templates are not random


def test_random_part_depends_on_the_seed(tmp_path):
    out = tmp_path / "o"
    write(out, {f"news/2024/03/a{i}/index.html": "<html></html>" for i in range(30)})
    write_sources(out, {f"news/2024/03/a{i}/index.html": (f"content/a{i}.md",) for i in range(30)})
    pages = list_pages(out, "/", {"news"})
    assert len(sample_pages(pages, 5, seed=1)) == 6
    assert sample_pages(pages, 5, seed=1) == sample_pages(pages, 5, seed=1)
    assert sample_pages(pages, 5, seed=1) != sample_pages(pages, 5, seed=2)


def test_asset_digests_follow_css_imports(output):
    digests = AssetDigests(output, "/a/")
    [vote] = [p for p in list_pages(output, "/a/") if p.path.endswith("vote/index.html")]
    html = (output / vote.path).read_bytes()
    before = digests.of_page(vote, html)
    assert [url for url, _ in before] == ["/a/assets/site.css"]
    (output / "assets" / "more.css").write_text("p { color: blue }")
    assert AssetDigests(output, "/a/").of_page(vote, html) != before
    (output / "assets" / "bg.png").write_text("other")
    assert AssetDigests(output, "/a/").digest("/a/assets/site.css") != dict(before)["/a/assets/site.css"]


def test_cache_key_changes_with_each_input():
    base = dict(path="/a/", html=b"<html></html>", assets=[("/a/s.css", "1")], axe_version="4.10.2",
                tags=("wcag2a",), states=("default",))
    key = page_key(**base)
    for change in (dict(path="/b/"), dict(html=b"<html> </html>"), dict(assets=[("/a/s.css", "2")]),
                   dict(axe_version="4.11.0"), dict(tags=("wcag2aa",)), dict(states=("default", "dark"))):
        assert page_key(**{**base, **change}) != key
    assert page_key(**base) == key


def test_cache_round_trip_and_prune(tmp_path):
    cache = AuditCache(tmp_path / ".cache")
    finding = Finding("p/index.html", "color-contrast", "Low contrast", impact="serious", origin="axe", state="dark",
                      target=".x", detail="ratio 2.1")
    assert cache.get("k1") is None
    cache.put("k1", [finding])
    cache.put("k2", [])
    fresh = AuditCache(tmp_path / ".cache")
    assert fresh.get("k1") == [finding]
    assert fresh.prune() == 1  # k2 was not used by this run
    assert AuditCache(tmp_path / ".cache").get("k2") is None
    assert AuditCache(tmp_path / ".cache", enabled=False).get("k1") is None
    (tmp_path / ".cache" / "k1.json").write_text("{broken")
    assert AuditCache(tmp_path / ".cache").get("k1") is None


def test_manifest_of_a_real_build(tmp_path):
    site, _ = build_fixture_site(tmp_path)
    manifest = read_manifest(site / "output")
    for defect in DEFECTS:
        assert manifest[article_page(defect)] == (f"content/news/{defect.slug}.md",)
    pages = list_pages(site / "output", "/gazette/", {"news"}, site)
    kinds = {p.path: p.kind for p in pages}
    assert kinds["404.html"] == "404" and kinds["index.html"] == "home" and kinds["news/index.html"] == "section"
    assert all(kinds[article_page(d)] == "article" for d in DEFECTS)
    assert all(p.section == "news" for p in pages if p.kind == "article")


def test_pages_of_a_language_edition_are_the_kind_they_would_be_at_the_root(tmp_path):
    out = tmp_path / "o"
    write(out, {"en/index.html": "<html></html>", "en/404.html": "<html></html>",
                "en/tags/budget/index.html": "<html></html>", "en/news/page/2/index.html": "<html></html>",
                "en/2024/index.html": "<html></html>", "en/archive/index.html": "<html></html>"})
    write_sources(out, {"en/tags/budget/index.html": ("content/news/vote.md",)})
    pages = {p.path: p.template for p in list_pages(out, "/", {"news"}, prefixes={"en/"})}
    assert pages == {"en/index.html": "home", "en/404.html": "404", "en/tags/budget/index.html": "tag",
                     "en/news/page/2/index.html": "section (page 2+)", "en/2024/index.html": "date",
                     "en/archive/index.html": "archive"}
