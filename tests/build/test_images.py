"""Generated images in whole builds: the files, the markup, rebuilds that re-encode nothing, bad input."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from builder.build.pipeline import BuildOptions, build
from builder.errors import BuildFailed
from tests.support.builds import BASE_PATH, Built, article, site_yaml
from tests.support.files import age_new_files, diff, jpeg, png, tree, write_files

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
LEAD = "politics/2024/05/vote/"
WITH_FIGURE = "culture/2024/05/fair/"


def sideways_jpeg(width: int, height: int) -> bytes:
    """Stored `width` x `height`, shown turned a quarter (EXIF orientation 6): height x width."""
    exif = Image.Exif()
    exif[0x0112] = 6
    return jpeg(width, height, "teal", exif=exif)


FILES = {
    "static/images/vote.jpg": jpeg(1500, 1000, "navy"),
    "static/images/fair.png": png(700, 400, "orange"),
    "static/images/portrait.jpg": sideways_jpeg(900, 600),
    "static/images/anim.gif": b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
    "content/politics/vote.md": article(
        "The vote", "2024-05-05T09:30:00+04:00",
        image={"src": "/images/vote.jpg", "alt": "Hands raised in the chamber", "focus": [0.3, 0.5]}),
    "content/culture/fair.md": article(
        "The fair", "2024-05-06T09:30:00+04:00", section="culture",
        body="Intro.\n\n![Stalls along the river](/images/fair.png \"The fair opened on Sunday\")\n\n"
             "![A portrait of the organiser](/images/portrait.jpg)\n"),
}


def build_site(site: Path, out: Path, **options):
    return build(BuildOptions(site, output_dir=out, now=NOW, jobs=options.pop("jobs", 1), **options))


@pytest.fixture
def site(tmp_path) -> Path:
    root = write_files(tmp_path / "site", {"site.yaml": site_yaml(), **FILES})
    age_new_files(root, 1)
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    root = tmp_path_factory.mktemp("images")
    site = write_files(root / "site", {"site.yaml": site_yaml(), **FILES})
    return Built(site, root / "out", build_site(site, root / "out"))


def candidates(srcset: str) -> list[tuple[str, int]]:
    return [(url, int(width.removesuffix("w"))) for url, width in (c.split() for c in srcset.split(", "))]


def opened(built: Built, url: str) -> Image.Image:
    assert url.startswith(BASE_PATH), url
    return Image.open(io.BytesIO((built.out / url.removeprefix(BASE_PATH)).read_bytes()))


def pictures(built: Built, page: str):
    return built.html(page).xpath("//picture")


def test_every_candidate_exists_at_its_width_and_in_its_format(built):
    found = 0
    for page in (LEAD, WITH_FIGURE, ""):
        for picture in pictures(built, page):
            (img,) = picture.xpath(".//img")
            for srcset, kind in [*((s.get("srcset"), s.get("type")) for s in picture.xpath(".//source")),
                                 (img.get("srcset"), None)]:
                for url, width in candidates(srcset):
                    image = opened(built, url)
                    found += 1
                    assert image.width == width, url
                    if kind:
                        assert Image.MIME[image.format] == kind, url
                    # The aspect ratio of the <img>'s width and height, so nothing jumps as it loads.
                    assert abs(image.height / image.width - int(img.get("height")) / int(img.get("width"))) < 0.01
    assert found > 20


def test_widths_and_formats_follow_the_settings_and_the_original(built):
    lead = pictures(built, LEAD)[0]
    (webp,) = lead.xpath(".//source")
    assert webp.get("type") == "image/webp"
    assert [w for _, w in candidates(webp.get("srcset"))] == [320, 640, 960, 1280, 1500]  # not beyond the original
    img = lead.xpath(".//img")[0]
    assert img.get("src").endswith(".1500w." + img.get("src").split(".")[-2] + ".jpg")
    figure = pictures(built, WITH_FIGURE)[0]
    assert [w for _, w in candidates(figure.xpath(".//img/@srcset")[0])] == [320, 640, 700]
    assert figure.xpath(".//img/@src")[0].endswith(".png")  # a PNG's fallback is PNG


def test_the_img_has_the_size_of_the_original_as_shown(built):
    lead = built.html(LEAD).xpath("//*[contains(@class, 'lead-image')]//img")[0]
    assert (lead.get("width"), lead.get("height")) == ("1500", "1000")
    fair, portrait = built.html(WITH_FIGURE).xpath("//figure//img")
    assert (fair.get("width"), fair.get("height")) == ("700", "400")
    assert (portrait.get("width"), portrait.get("height")) == ("600", "900")  # EXIF orientation applied
    upright = [u for u, _ in candidates(portrait.get("srcset"))][-1]
    assert opened(built, upright).size == (600, 900)


def test_the_lead_image_comes_first_and_the_others_wait(built):
    lead = built.html(LEAD).xpath("//*[contains(@class, 'lead-image')]//img")[0]
    assert lead.get("fetchpriority") == "high" and lead.get("loading") is None
    for img in built.html(WITH_FIGURE).xpath("//figure//img") + built.html("").xpath("//li//img"):
        assert (img.get("loading"), img.get("decoding"), img.get("fetchpriority")) == ("lazy", "async", None)


def test_figure_caption_and_alt_stay_as_they_were(built):
    figure = built.html(WITH_FIGURE).xpath("//figure")[0]
    assert figure.xpath(".//img/@alt") == ["Stalls along the river"]
    assert figure.xpath("./figcaption/text()") == ["The fair opened on Sunday"]
    assert built.html(LEAD).xpath("//*[contains(@class, 'lead-image')]//img/@alt") == ["Hands raised in the chamber"]


def test_the_social_image_is_cropped_to_1200_by_630(built):
    doc = built.html(LEAD)
    (url,) = doc.xpath("//meta[@property='og:image']/@content")
    assert doc.xpath("//meta[@name='twitter:image']/@content") == [url]
    image = opened(built, url.removeprefix("https://example.org"))
    assert (image.format, image.size) == ("JPEG", (1200, 630))


def test_gifs_and_unshown_files_are_copied_as_they_are(built):
    files = set(tree(built.out))
    assert "images/anim.gif" in files and "images/vote.jpg" in files
    assert not [f for f in files if f.startswith("images/anim.")and f != "images/anim.gif"]


def test_a_remote_image_is_left_as_it_is_with_the_size_front_matter_gives(tmp_path):
    remote = article("Remote", "2024-05-07T09:00:00+04:00", image={
        "src": "https://cdn.example.net/photo.jpg", "alt": "A harbour at dawn", "width": 1600, "height": 900})
    site = write_files(tmp_path / "site", {"site.yaml": site_yaml(), "content/politics/remote.md": remote})
    build_site(site, tmp_path / "out")
    doc = Built(site, tmp_path / "out", None).html("politics/2024/05/remote/")
    (img,) = doc.xpath("//*[contains(@class, 'lead-image')]//img")
    assert (img.get("src"), img.get("width"), img.get("height")) == ("https://cdn.example.net/photo.jpg", "1600", "900")
    assert not doc.xpath("//picture")
    assert doc.xpath("//meta[@property='og:image']/@content") == ["https://cdn.example.net/photo.jpg"]


def test_without_widths_pages_show_the_originals(tmp_path):
    site = write_files(tmp_path / "site", {"site.yaml": site_yaml(extra="images:\n  widths: []\n"), **FILES})
    build_site(site, tmp_path / "out")
    out = Built(site, tmp_path / "out", None)
    assert not pictures(out, LEAD) and not pictures(out, WITH_FIGURE)
    assert out.html(LEAD).xpath("//*[contains(@class, 'lead-image')]//img/@src") == ["/news/images/vote.jpg"]
    assert sorted(f for f in tree(tmp_path / "out") if f.startswith("images/")) == [
        "images/anim.gif", "images/fair.png", "images/portrait.jpg", "images/vote.jpg"]


def generated(out: Path) -> dict[str, int]:
    """Generated image files and their mtimes."""
    return {f: (out / f).stat().st_mtime_ns for f in tree(out) if re.search(r"\.(\d+w|social)\.[0-9a-f]{10}\.", f)}


def test_a_rebuild_encodes_no_unchanged_image(site, tmp_path):
    out = tmp_path / "out"
    build_site(site, out)
    before = generated(out)
    assert len(before) == 3 * 2 * 3 + 1 + 2  # 3 images x 2 formats x their widths, a social image, 700w twice
    # A new article and a changed title: the full way, with every page's key checked again.
    write_files(site, {"content/politics/more.md": article("More", "2024-05-07T09:00:00+04:00")})
    (site / "content/politics/vote.md").write_text(
        (site / "content/politics/vote.md").read_text(encoding="utf-8").replace("The vote", "The final vote"),
        encoding="utf-8")
    age_new_files(site, 2)
    result = build_site(site, out, jobs=2)
    assert generated(out) == before
    assert not [f for f in result.report.written if f in before]


def test_a_changed_image_replaces_its_files_and_a_deleted_one_takes_them_away(site, tmp_path):
    out = tmp_path / "out"
    build_site(site, out)
    before = generated(out)
    (site / "static/images/fair.png").write_bytes(png(700, 400, "purple"))
    age_new_files(site, 2)
    build_site(site, out)
    after = generated(out)
    fair = lambda files: {f for f in files if f.startswith("images/fair.")}
    assert fair(before) and fair(after) and not fair(before) & fair(after)
    assert {f: t for f, t in after.items() if f not in fair(after)} == {f: t for f, t in before.items()
                                                                       if f not in fair(before)}
    # The article stops showing the photo, which is deleted: its files go too.
    (site / "content/culture/fair.md").write_text(article("The fair", "2024-05-06T09:30:00+04:00", section="culture"),
                                                  encoding="utf-8")
    (site / "static/images/fair.png").unlink()
    age_new_files(site, 3)
    build_site(site, out)
    assert not [f for f in tree(out) if f.startswith("images/fair.")]


def test_parallel_incremental_and_clean_builds_give_the_same_files(site, tmp_path):
    build_site(site, tmp_path / "one", jobs=1)
    build_site(site, tmp_path / "two", jobs=2)
    assert diff(tree(tmp_path / "one"), tree(tmp_path / "two")) == []


def test_a_body_edit_takes_the_short_way_and_keeps_the_pictures(site, tmp_path):
    out = tmp_path / "out"
    build_site(site, out)
    for name in ("content/culture/fair.md", "content/politics/vote.md"):
        path = site / name
        path.write_text(path.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    age_new_files(site, 2)
    result = build_site(site, out)
    assert result.archive is None and "edit" in result.timings  # builder.build.bodies did it
    build_site(site, tmp_path / "clean")
    assert diff(tree(out), tree(tmp_path / "clean")) == []


def failure(site: Path, tmp_path: Path, files: dict) -> BuildFailed:
    write_files(site, files)
    with pytest.raises(BuildFailed) as caught:
        build_site(site, tmp_path / "out")
    return caught.value


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_a_corrupt_image_names_every_article_that_shows_it_and_the_line(site, tmp_path):
    also = article("Also", "2024-05-08T09:00:00+04:00", body="Text.\n\n![The chamber, empty](/images/vote.jpg)\n")
    error = failure(site, tmp_path, {"static/images/vote.jpg": b"\xff\xd8\xff not a jpeg at all",
                                     "content/politics/also.md": also})
    by_file = {str(e.path): e for e in error.errors}
    assert set(by_file) == {"content/politics/vote.md", "content/politics/also.md"}
    lead, body = by_file["content/politics/vote.md"], by_file["content/politics/also.md"]
    assert (lead.field, lead.line) == ("image.src", line_of(site / "content/politics/vote.md", "/images/vote.jpg"))
    assert (body.field, body.line) == ("body", line_of(site / "content/politics/also.md", "/images/vote.jpg"))
    assert "image '/images/vote.jpg' is not a picture Pillow can read" in lead.message
    assert "export it again" in lead.hint
    assert tree(tmp_path / "out") == {}  # nothing half-written (only the build's own bookkeeping)


def test_a_truncated_image_and_a_broken_link_are_reported_together(site, tmp_path):
    whole = png(700, 400, "orange")
    broken = article("Broken", "2024-05-08T09:00:00+04:00", body="See [this](/nowhere/).\n")
    error = failure(site, tmp_path, {"static/images/fair.png": whole[: len(whole) - 40],
                                     "content/politics/broken.md": broken})
    messages = {(str(e.path), e.message.split(":")[0]) for e in error.errors}
    assert ("content/culture/fair.md", "image '/images/fair.png' cannot be read") in messages
    assert ("content/politics/broken.md", "broken link to /news/nowhere/") in messages


def test_an_enormous_image_is_refused(site, tmp_path):
    huge = Image.new("1", (11_000, 10_000))  # 110 megapixels, 14 MB as pixels, a few KB as a file
    buffer = io.BytesIO()
    huge.save(buffer, "PNG")
    error = failure(site, tmp_path, {"static/images/fair.png": buffer.getvalue()})
    (problem,) = error.errors
    assert str(problem.path) == "content/culture/fair.md" and "(110 megapixels)" in problem.message
    assert "over 100 megapixels are refused" in problem.message
