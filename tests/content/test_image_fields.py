"""Front matter for responsive images: image.focus, and width and height of remote images."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from builder.content.sources import scan_static
from tests.content.test_parse import PATH, image_article, problems
from tests.support.files import jpeg


def test_focus_is_kept_as_fractions(article):
    assert article(image="{src: /images/vote.jpg, alt: A photo, focus: [0.25, 1]}").image.focus == (0.25, 1.0)
    assert article(image="{src: /images/vote.jpg, alt: A photo}").image.focus is None


@pytest.mark.parametrize("focus", ["[0.5]", "[1.5, 0.5]", "[-0.1, 0.5]", "centre", "[true, 0.5]", "{x: 1}"])
def test_a_focus_that_is_not_a_point_in_the_picture(parse, focus):
    assert problems(parse(image_article("src: /images/vote.jpg", "alt: A photo", f"focus: {focus}"))) == [
        f"{PATH}:8: image.focus: expected [x, y] with numbers from 0 to 1, got {parse_value(focus)!r}"]


def parse_value(text: str):
    import yaml

    return yaml.safe_load(text)


def test_a_remote_image_takes_its_size_from_front_matter(article, build_site):
    image = article(image="{src: 'https://cdn.example.org/x.jpg', alt: A photo, width: 1600, height: 900}").image
    assert (image.width, image.height) == (1600, 900)


@pytest.mark.parametrize("lines, expected", [
    (["src: https://cdn.example.org/x.jpg", "alt: A photo", "width: 1600"], f"{PATH}:5: image: missing field 'height'"),
    (["src: https://cdn.example.org/x.jpg", "alt: A photo", "width: 0", "height: 9"],
     f"{PATH}:8: image.width: expected a whole number of pixels, got 0"),
    (["src: /images/vote.jpg", "alt: A photo", "width: 1600", "height: 900"],
     f"{PATH}:8: image.width: is measured from the file for a local image"),
])
def test_a_given_size_that_cannot_be_used(parse, lines, expected):
    assert problems(parse(image_article(*lines))) == [expected]


def test_a_sideways_photo_is_measured_as_it_is_shown(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 8  # turn 90° anticlockwise
    (tmp_path / "sideways.jpg").write_bytes(jpeg(300, 200, exif=exif))
    (tmp_path / "upright.jpg").write_bytes(jpeg(300, 200))
    png = io.BytesIO()
    Image.new("RGB", (300, 200)).save(png, "PNG", exif=exif)  # a PNG's EXIF is not read: it follows the pixels
    (tmp_path / "shot.png").write_bytes(png.getvalue())
    found = scan_static(tmp_path)
    assert found["sideways.jpg"].dimensions == (200, 300)
    assert found["upright.jpg"].dimensions == (300, 200)
    assert found["shot.png"].dimensions == (300, 200)
