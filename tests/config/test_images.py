"""`images:` in site.yaml: defaults, and errors that name the key and its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.config import images as images_config
from builder.config.images import ImageSettings
from builder.config.site import parse_config
from builder.errors import BuildFailed

SHOWN = Path("site.yaml")
SITE = "title: Test Gazette\nbase_url: https://example.org/\nsections:\n  - key: politics\n    title: Politics\n"


def settings(text: str, tmp_path: Path) -> ImageSettings:
    return parse_config(SITE + text, tmp_path, SHOWN).images


def errors_of(text: str, tmp_path: Path) -> list[str]:
    with pytest.raises(BuildFailed) as failure:
        parse_config(SITE + text, tmp_path, SHOWN)
    return [str(e) for e in failure.value.errors]


def test_defaults(tmp_path):
    found = settings("", tmp_path)
    assert found == ImageSettings() and found.enabled
    assert (found.widths, found.formats, found.quality) == ((320, 640, 960, 1280, 1920), ("webp",), 80)


def test_settings_are_read_sorted_and_in_the_order_a_picture_offers_them(tmp_path, monkeypatch):
    monkeypatch.setattr(images_config, "avif_supported", lambda: True)
    found = settings("images:\n  widths: [1600, 400, 800]\n  formats: [webp, AVIF]\n  quality: 70\n", tmp_path)
    assert (found.widths, found.formats, found.quality) == ((400, 800, 1600), ("avif", "webp"), 70)


def test_no_widths_turns_generated_images_off(tmp_path):
    assert not settings("images:\n  widths: []\n", tmp_path).enabled
    assert settings("images:\n  formats: []\n", tmp_path).formats == ()  # only the original's format


@pytest.mark.parametrize("text, expected", [
    ("images:\n  widths: [320, 0]\n", "site.yaml:7: images.widths.1: expected a width in pixels from 1 to 8192"),
    ("images:\n  widths: [640, 640]\n", "site.yaml:7: images.widths.1: width 640 is listed twice"),
    ("images:\n  widths: 640\n", "site.yaml:7: images.widths: expected a list"),
    ("images:\n  formats: [jpeg]\n", "site.yaml:7: images.formats.0: 'jpeg' need not be listed"),
    ("images:\n  formats: [heic]\n", "site.yaml:7: images.formats.0: 'heic' is not one of: avif, webp"),
    ("images:\n  quality: 0\n", "site.yaml:7: images.quality: expected a whole number from 1 to 100"),
    ("images:\n  quality: high\n", "site.yaml:7: images.quality: expected a whole number from 1 to 100"),
    ("images:\n  size: 3\n", "site.yaml:7: images.size: unknown key 'size'"),
])
def test_errors_name_the_key_and_line(tmp_path, text, expected):
    assert any(e.startswith(expected) for e in errors_of(text, tmp_path)), errors_of(text, tmp_path)


def test_avif_without_pillow_support_is_an_error_with_the_fix(tmp_path, monkeypatch):
    monkeypatch.setattr(images_config, "avif_supported", lambda: False)
    (error,) = errors_of("images:\n  formats: [avif, webp]\n", tmp_path)
    assert error.startswith("site.yaml:7: images.formats.0: this installation's Pillow cannot write AVIF")
    assert "Pillow 11.3 or later" in error
