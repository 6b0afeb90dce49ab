"""Pillow: an ImageTask (render.images) -> the bytes of each file it plans. Runs in the build's workers.

Each original is decoded once for all its files. What reaches readers is a new picture, not a
copy of the original:
- the EXIF orientation is applied to the pixels (a phone's sideways photo stands upright);
- EXIF, XMP and IPTC metadata, such as the GPS position of the camera, the camera's serial
  number and the photographer's notes, are left out; only the ICC colour profile is kept;
- CMYK (print) originals are converted to sRGB through their ICC profile when they have one;
  16-bit greyscale is scaled to 8 bits, not clipped to white; palette and greyscale become RGB,
  transparency is kept where the format holds it (PNG, WebP, AVIF) and laid on white in JPEG;
- an original over render.images.MAX_PIXELS is refused before it is decoded.

A JPEG is decoded at the smallest power-of-two reduction that still covers the largest file
it gives (Pillow's draft mode): a 4000-pixel photograph becomes 1920-pixel files about three
times as fast. Encoding is deterministic: the same original and settings give the same bytes.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from builder.content.sources import orientation
from builder.render.images import MAX_PIXELS, ImageTask, Variant

# EXIF orientation -> the transpose that makes the picture upright (as ImageOps.exif_transpose).
_UPRIGHT = {2: "FLIP_LEFT_RIGHT", 3: "ROTATE_180", 4: "FLIP_TOP_BOTTOM", 5: "TRANSPOSE", 6: "ROTATE_270",
            7: "TRANSVERSE", 8: "ROTATE_90"}
_PILLOW_FORMAT = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "avif": "AVIF"}


@dataclass(frozen=True, slots=True)
class ImageFailure:
    """Why an original could not be turned into its files."""

    site_path: str
    message: str
    hint: str


Made = list[tuple[str, bytes]]  # (output path, bytes) of each file made


def make_files(task: ImageTask, variants: tuple[Variant, ...]) -> Made | ImageFailure:
    """The bytes of `variants` (some of task.variants), or why the original cannot give them."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # also checked when planning; this stops a file that lies in its header
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(task.source) as original:
                picture, icc = _upright(original, task)
                resized = _Resized(picture, task)
                return [(v.path, _encode(resized.to(v), v, task.quality, icc)) for v in variants]
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return ImageFailure(task.site_path, f"is over {MAX_PIXELS // 1_000_000} megapixels and is refused, as "
                            "decoding it could exhaust the memory", "scale it down before putting it in static/")
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        return ImageFailure(task.site_path, f"cannot be read: {_reason(exc)}", _REPLACE)


_REPLACE = "the file is damaged or is not a picture: export it again from the original, or replace it"


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text.replace(str(Path.cwd()) + "/", "")


def why_unreadable(site_path: str, source: Path) -> ImageFailure:
    """What is wrong with an image whose size could not be measured (render.images.ImagePlan.unreadable)."""
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(source) as image:
            image.load()
    except Image.DecompressionBombError:
        return ImageFailure(site_path, f"is over {MAX_PIXELS // 1_000_000} megapixels and is refused, as decoding "
                            "it could exhaust the memory", "scale it down before putting it in static/")
    except UnidentifiedImageError:
        return ImageFailure(site_path, "is not a picture Pillow can read (damaged, or in another format than "
                            "its name says)", _REPLACE)
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        return ImageFailure(site_path, f"cannot be read: {_reason(exc)}", _REPLACE)
    return ImageFailure(site_path, "could not be measured", "build again; if it persists, replace the file")


def _upright(original, task: ImageTask):
    """The decoded picture, upright, in RGB or RGBA; and its ICC profile (sRGB is assumed without one)."""
    from PIL import Image, ImageCms

    turn = orientation(original)
    if original.format == "JPEG":
        # Decode at a reduced scale that still covers every file planned (in stored orientation):
        # all of them, not only those wanted now, so a file has the same bytes however it is made.
        needed = max((_needed_width(v, task.size) for v in task.variants), default=task.size[0])
        scale = needed / task.size[0]
        stored = original.size
        original.draft(original.mode, (max(1, round(stored[0] * scale)), max(1, round(stored[1] * scale))))
    picture = original
    picture.load()
    icc = picture.info.get("icc_profile") or None
    if picture.mode == "CMYK":
        converted = None
        if icc:
            try:
                converted = ImageCms.profileToProfile(picture, ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                                                      ImageCms.createProfile("sRGB"), outputMode="RGB")
            except (ImageCms.PyCMSError, OSError):
                converted = None
        picture, icc = (converted, None) if converted is not None else (picture.convert("RGB"), None)
    elif picture.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        picture = picture.convert("I").point(lambda v: v * (1 / 256)).convert("L").convert("RGB")
    elif picture.mode == "F":
        picture = picture.convert("L").convert("RGB")
    if picture.mode not in ("RGB", "RGBA"):
        alpha = picture.mode in ("LA", "PA", "La", "RGBa") or "transparency" in picture.info
        picture = picture.convert("RGBA" if alpha else "RGB")
    if turn in _UPRIGHT:
        picture = picture.transpose(getattr(Image.Transpose, _UPRIGHT[turn]))
    picture.info = {}  # nothing of the original's metadata may travel on into the files
    return picture, icc


def _needed_width(variant: Variant, size: tuple[int, int]) -> int:
    """How wide the decoded original must be, at least, for `variant` (in oriented pixels)."""
    if variant.crop is None:
        return variant.width
    left, _, right, _ = variant.crop
    return min(size[0], -(-variant.width * size[0] // max(1, right - left)))


class _Resized:
    """The picture at each planned size. A width is scaled from the smallest planned width at
    least twice as wide, when there is one, rather than from the original: resizing costs about
    the source's pixels, and Lanczos from twice the size loses no sharpness. The 320 of a
    1600-pixel photo comes from the 640, the 640 from the 1280. On 20 of the benchmark's photos
    (800 to 1600 pixels wide, so mostly the 320 gains) resizing took 18 % less CPU time and making
    every file 20 % less. Which source a width comes from depends only on the plan, so a file has
    the same bytes whichever files are made with it."""

    def __init__(self, picture, task: ImageTask):
        self.picture, self.size = picture, task.size
        self.heights = {v.width: v.height for v in task.variants if v.crop is None}
        self.made: dict[int, object] = {}

    def to(self, variant: Variant):
        from PIL import Image

        if variant.crop is not None:
            scale = self.picture.width / self.size[0]  # below 1 when decoded at a reduced scale
            box = tuple(edge * scale for edge in variant.crop)
            return self.picture.resize((variant.width, variant.height), Image.Resampling.LANCZOS, box=box)
        return self._width(variant.width)

    def _width(self, width: int):
        from PIL import Image

        found = self.made.get(width)
        if found is None:
            larger = min((w for w in self.heights if w >= 2 * width), default=None)
            source = self.picture if larger is None else self._width(larger)
            size = (width, self.heights[width])
            found = source if source.size == size else source.resize(size, Image.Resampling.LANCZOS)
            self.made[width] = found
        return found


def _encode(picture, variant: Variant, quality: int, icc: bytes | None) -> bytes:
    from PIL import Image

    if variant.format == "jpeg" and picture.mode == "RGBA":
        flat = Image.new("RGB", picture.size, "white")
        flat.paste(picture, mask=picture.getchannel("A"))
        picture = flat
    options: dict = {}
    if icc:
        options["icc_profile"] = icc
    if variant.format == "jpeg":
        options.update(quality=quality, optimize=True, progressive=True)
    elif variant.format == "webp":
        options.update(quality=quality, method=4)
    elif variant.format == "avif":
        options.update(quality=quality, speed=6)
    buffer = io.BytesIO()
    picture.save(buffer, _PILLOW_FORMAT[variant.format], **options)
    return buffer.getvalue()
