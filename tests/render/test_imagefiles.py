"""Making the planned files with Pillow (render.imagefiles): orientation, metadata, colour, bad input."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from builder.config.images import ImageSettings
from builder.content.sources import scan_static
from builder.render.assets import CopiedFile
from builder.render.imagefiles import ImageFailure, make_files, why_unreadable
from builder.render.images import ImageTask, plan_images
from tests.support.files import jpeg

GPS_IFD = 0x8825
DEFAULTS = ImageSettings()
ORIENTATION = 0x0112


def task_for(tmp_path: Path, name: str, data: bytes, settings: ImageSettings = DEFAULTS,
             focus=None, lead: bool = True) -> ImageTask:
    """Plan the file as a build would: measured by scan_static, shown as a lead image."""
    static = tmp_path / "static"
    (static / "images").mkdir(parents=True, exist_ok=True)
    (static / "images" / name).write_bytes(data)
    found = scan_static(static)
    site_path = f"images/{name}"
    file = CopiedFile(site_path, site_path, found[site_path].path, f"static/{site_path}", "0" * 64)
    sizes = {site_path: found[site_path].dimensions} if found[site_path].dimensions else {}
    plan = plan_images(settings, "https://example.org/", "/", {site_path: file}, sizes, [site_path],
                       [(site_path, focus)] if lead else [])
    assert not plan.problems and not plan.unreadable, (plan.problems, plan.unreadable)
    (task,) = plan.tasks.values()
    return task


def made(task: ImageTask) -> dict[str, Image.Image]:
    result = make_files(task, task.variants)
    assert not isinstance(result, ImageFailure), result
    files = {}
    for path, data in result:
        image = Image.open(io.BytesIO(data))
        image.load()
        files[path] = image
    return files


def sideways_photo(**save) -> bytes:
    """60x40, red on the left, blue on the right, stored sideways: EXIF orientation 6 (turn 90° clockwise)."""
    image = Image.new("RGB", (60, 40), "blue")
    image.paste("red", (0, 0, 30, 40))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (40.0, 11.0, 0.0), 3: "E", 4: (44.0, 30.0, 0.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=95, **save)
    return buffer.getvalue()


def near(colour, expected, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour[:3], expected, strict=True))


def test_every_planned_file_is_made_at_its_size_and_format(tmp_path):
    task = task_for(tmp_path, "wide.jpg", jpeg(2000, 1000, "green"), focus=(0.2, 0.5))
    files = made(task)
    assert {(v.width, v.height, v.format) for v in task.variants} == {
        (w, w // 2, f) for w in (320, 640, 960, 1280, 1920) for f in ("webp", "jpeg")} | {(1200, 630, "jpeg")}
    for variant in task.variants:
        image = files[variant.path]
        assert (image.width, image.height) == (variant.width, variant.height)
        assert image.format == {"webp": "WEBP", "jpeg": "JPEG"}[variant.format]
        assert near(image.getpixel((image.width // 2, image.height // 2)), (0, 128, 0))


def test_exif_orientation_is_applied_and_the_size_is_the_upright_one(tmp_path):
    task = task_for(tmp_path, "sideways.jpg", sideways_photo())
    assert task.size == (40, 60)  # as a browser shows it: turned upright
    for path, image in made(task).items():
        if ".social." in path:
            continue
        assert image.size == (40, 60), path
        # Turned 90° clockwise: what was the left (red) is now the top.
        assert near(image.getpixel((20, 5)), (255, 0, 0)) and near(image.getpixel((20, 55)), (0, 0, 255)), path


def test_gps_position_and_other_metadata_are_not_in_generated_files(tmp_path):
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    original = sideways_photo(icc_profile=srgb, comment=b"shot near the safe house")
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the original has them
    task = task_for(tmp_path, "located.jpg", original)
    result = make_files(task, task.variants)
    assert not isinstance(result, ImageFailure)
    for path, data in result:
        image = Image.open(io.BytesIO(data))
        assert not image.getexif(), path
        assert b"Exif" not in data and b"safe house" not in data and b"GPS" not in data, path
        assert image.info.get("icc_profile") == srgb, path  # the colour profile stays: colours stay right


def test_cmyk_becomes_rgb_with_the_right_colours(tmp_path):
    cyan = Image.new("CMYK", (50, 50), (255, 0, 0, 0))
    buffer = io.BytesIO()
    cyan.save(buffer, "JPEG", quality=95)
    for path, image in made(task_for(tmp_path, "print.jpg", buffer.getvalue())).items():
        assert image.mode in ("RGB", "RGBA"), path
        assert near(image.getpixel((25, 25)), (0, 255, 255)), (path, image.getpixel((25, 25)))


def test_sixteen_bit_greyscale_is_scaled_not_clipped(tmp_path):
    grey = Image.new("I;16", (40, 20), 40_000)  # 61 % of full scale: 156 of 255, not white
    buffer = io.BytesIO()
    grey.save(buffer, "PNG")
    for path, image in made(task_for(tmp_path, "scan.png", buffer.getvalue())).items():
        assert near(image.getpixel((10, 10)), (156, 156, 156), tolerance=6), (path, image.getpixel((10, 10)))


def test_transparency_stays_where_the_format_holds_it_and_lies_on_white_in_jpeg(tmp_path):
    logo = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    logo.paste((200, 0, 0, 255), (10, 10, 30, 30))
    buffer = io.BytesIO()
    logo.save(buffer, "PNG")
    for path, image in made(task_for(tmp_path, "logo.png", buffer.getvalue())).items():
        corner = image.convert("RGBA").getpixel((1, 1))
        if path.endswith(".jpg"):  # the social image
            assert near(corner, (255, 255, 255)), path
        else:
            assert image.mode == "RGBA" and corner[3] == 0, path


def test_the_same_original_and_settings_give_the_same_bytes(tmp_path):
    task = task_for(tmp_path, "photo.jpg", sideways_photo())
    assert make_files(task, task.variants) == make_files(task, task.variants)


def test_a_truncated_image_is_an_error_not_a_crash(tmp_path):
    whole = jpeg(400, 300, "orange", quality=95)
    task = task_for(tmp_path, "cut.jpg", whole[: len(whole) // 2])  # the header is whole: it is measured
    failure = make_files(task, task.variants)
    assert isinstance(failure, ImageFailure) and failure.site_path == "images/cut.jpg"
    assert "truncated" in failure.message and "export it again" in failure.hint


@pytest.mark.parametrize("data, says", [
    (b"GIF89a but not really", "not a picture Pillow can read"),
    (b"<html>an error page saved as a photo</html>", "not a picture Pillow can read"),
])
def test_a_file_pillow_cannot_read_says_so(tmp_path, data, says):
    (tmp_path / "x.jpg").write_bytes(data)
    assert says in why_unreadable("images/x.jpg", tmp_path / "x.jpg").message


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a size in its header and holds one row of pixels: a decompression bomb's shape."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * (width + 1)))
            + chunk(b"IEND", b""))


def test_an_enormous_image_is_refused_before_it_is_decoded(tmp_path):
    # Too large for Pillow even to open (over twice its limit): measured as nothing, then explained.
    (tmp_path / "bomb.png").write_bytes(png_header_only(30_000, 30_000))
    failure = why_unreadable("images/bomb.png", tmp_path / "bomb.png")
    assert "over 100 megapixels" in failure.message and "scale it down" in failure.hint
    # One that claims less than it holds (replaced after it was measured) is refused when opened.
    task = task_for(tmp_path, "small.png", png_header_only(100, 100))
    (tmp_path / "static/images/small.png").write_bytes(png_header_only(12_000, 10_000))
    failure = make_files(task, task.variants)
    assert isinstance(failure, ImageFailure) and "over 100 megapixels" in failure.message


def test_a_file_has_the_same_bytes_made_alone_or_with_the_others(tmp_path):
    # A rebuild makes only the files it lacks: each must be what a clean build makes. A large JPEG
    # is decoded at a reduced scale, and small widths are scaled from larger ones.
    noise = Image.effect_noise((1000, 500), 60)
    buffer = io.BytesIO()
    Image.merge("RGB", (noise, noise.transpose(Image.Transpose.FLIP_LEFT_RIGHT), noise)).save(buffer, "JPEG")
    task = task_for(tmp_path, "large.jpg", buffer.getvalue(), ImageSettings(widths=(100, 200, 400)), lead=False)
    together = make_files(task, task.variants)
    assert not isinstance(together, ImageFailure)
    for variant, (path, data) in zip(task.variants, together, strict=True):
        assert make_files(task, (variant,)) == [(path, data)], path
