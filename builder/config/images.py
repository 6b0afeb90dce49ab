"""`images:` in site.yaml: the widths, formats and quality of the image files a build generates.

A news page is mostly photographs: a 4000-pixel original must not reach a 320-pixel phone. The
build writes every local image an article shows in these widths (never wider than the original),
in the modern formats listed here and in the original's own format as the fallback.

AVIF is offered where Pillow can write it (`PIL.features.check("avif")`, true in the wheels of
Pillow 11.3 and later) but is not on by default. On the example site's photographs
(benchmarks/image_formats.py) it took 7 times WebP's CPU time at the same quality number and gave
1.4 times its bytes: the two scales differ, and AVIF needs about quality 50 to come out at 60 %
of WebP's bytes, still 7 times slower. On a 100,000-photo archive that is hours of a cold build
for a format every browser that reads AVIF can replace with WebP. A site that wants it lists it
(with a quality chosen for it; one number applies to every lossy format).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from builder.config.reader import Reader, describe

MODERN_FORMATS = ("avif", "webp")  # in the order a <picture> offers them: the smallest first
DEFAULT_WIDTHS = (320, 640, 960, 1280, 1920)
LARGEST_WIDTH = 8192  # beyond any screen: a typo such as 19200 would only cost time and disk


@dataclass(frozen=True)
class ImageSettings:
    """`images:` in site.yaml. `widths: []` turns generated images off: originals are shown as they are."""

    widths: tuple[int, ...] = DEFAULT_WIDTHS  # ascending, distinct
    formats: tuple[str, ...] = ("webp",)  # besides the original's format, in MODERN_FORMATS order
    quality: int = 80  # 1-100, for every lossy format (PNG stays lossless)

    @property
    def enabled(self) -> bool:
        return bool(self.widths)


def avif_supported() -> bool:
    from PIL import features  # here: most builds never ask

    return bool(features.check("avif"))


def read_images(r: Reader, value: Any) -> ImageSettings:
    section = r.mapping(value, ("images",), {"widths", "formats", "quality"})
    defaults = ImageSettings()
    widths: list[int] = []
    raw_widths = section.get("widths")
    for i, width in enumerate(r.listing(raw_widths, ("images", "widths"))):
        if isinstance(width, bool) or not isinstance(width, int) or not 1 <= width <= LARGEST_WIDTH:
            r.error(("images", "widths", i), f"expected a width in pixels from 1 to {LARGEST_WIDTH}, got {width!r}",
                    "e.g. widths: [320, 640, 960, 1280, 1920]")
        elif width in widths:
            r.error(("images", "widths", i), f"width {width} is listed twice")
        else:
            widths.append(width)
    formats: list[str] = []
    raw_formats = section.get("formats")
    for i, name in enumerate(r.listing(raw_formats, ("images", "formats"))):
        name = r.string(name, ("images", "formats", i)).lower()
        if name in ("jpeg", "jpg", "png", "gif", "original"):
            r.error(("images", "formats", i), f"'{name}' need not be listed",
                    "the original's own format is always the fallback; list only avif and webp")
        elif name not in MODERN_FORMATS:
            r.error(("images", "formats", i), f"'{name}' is not one of: {', '.join(MODERN_FORMATS)}")
        elif name in formats:
            r.error(("images", "formats", i), f"format '{name}' is listed twice")
        elif name == "avif" and not avif_supported():
            r.error(("images", "formats", i), "this installation's Pillow cannot write AVIF",
                    "install Pillow 11.3 or later (its wheels include AVIF), or leave avif out")
        else:
            formats.append(name)
    quality = section.get("quality", defaults.quality)
    if isinstance(quality, bool) or not isinstance(quality, int) or not 1 <= quality <= 100:
        r.error(("images", "quality"), f"expected a whole number from 1 to 100, got {describe(quality)}",
                "80 suits photographs; higher costs bytes that few readers can see")
        quality = defaults.quality
    return ImageSettings(
        widths=tuple(sorted(widths)) if raw_widths is not None else defaults.widths,
        formats=tuple(f for f in MODERN_FORMATS if f in formats) if raw_formats is not None else defaults.formats,
        quality=quality,
    )
