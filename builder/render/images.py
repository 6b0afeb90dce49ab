"""Responsive images, planned: the files each local image becomes, their names, and what markup says of them.

Pure: settings, each image's digest and size (as a browser shows it, EXIF orientation applied)
in; names, sizes and tasks out. The pixels are made by render.imagefiles, in the build's worker
processes, from the ImageTasks planned here.

- Widths: each width of `images.widths` that is narrower than the original, and the original's
  own width in place of the wider ones, so nothing is ever scaled up. Formats: those of
  `images.formats` (WebP by default) and the original's own format as the fallback.
- JPEG, PNG and WebP originals are resized; GIF (often animated), AVIF and SVG are shown as they are.
- Names keep the original's ("vote.jpg" -> "vote.640w.3fa2b1c9e0.webp"): the hash covers the
  original's bytes, the quality, the width, the format and the crop, so a file's name changes
  whenever its bytes would, and hosts may cache every generated file for ever (they are listed
  as immutable in _headers). They are hashed also with `hosting.fingerprint: false`: nobody
  links to them by hand.
- The social image (og:image, twitter:image) of an article is 1200x630, cropped from the lead
  image around `image.focus` (fractions of the width and height) or its centre.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from builder.config.images import ImageSettings
from builder.content.article import Article
from builder.content.urls import href
from builder.digests import fingerprint
from builder.render.assets import HASH_LENGTH, CopiedFile

RESIZED = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".webp": "webp"}  # suffix -> the original's format
MIME = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "avif": "image/avif"}
SUFFIX = {"jpeg": ".jpg", "png": ".png", "webp": ".webp", "avif": ".avif"}
MAX_PIXELS = 100_000_000  # larger originals are refused: decoding one takes 400 MB or more
SOCIAL_SIZE = (1200, 630)
# Part of every generated file's name: raise it when the same settings would make other bytes,
# and every image is made again. Broadsheet's version is not part of it, so an upgrade does not
# re-encode an archive's photographs.
ENCODER_VERSION = 1

Focus = tuple[float, float]
CENTRE: Focus = (0.5, 0.5)


@dataclass(frozen=True, slots=True)
class Variant:
    """One generated file."""

    path: str  # in the output folder, e.g. "images/2024/vote.640w.3fa2b1c9e0.webp"
    key: str  # fingerprint of everything its bytes depend on (the writer's key)
    width: int
    height: int
    format: str  # jpeg, png, webp or avif
    crop: tuple[int, int, int, int] | None = None  # (left, top, right, bottom) of the oriented original


@dataclass(frozen=True, slots=True)
class ImageTask:
    """One original and every file made from it: decoded once, in a worker."""

    site_path: str  # "images/2024/vote.jpg"
    source: Path
    origin: str  # as messages name it: "static/images/2024/vote.jpg"
    size: tuple[int, int]  # as measured, orientation applied
    quality: int
    variants: tuple[Variant, ...]


@dataclass(frozen=True, slots=True)
class PictureSource:
    type: str  # "image/webp"
    srcset: str


@dataclass(frozen=True, slots=True)
class Picture:
    """What a <picture> says of one image: a <source> per modern format, and the fallback <img>."""

    sources: tuple[PictureSource, ...]  # the smallest format first: the browser takes the first it knows
    src: str  # the fallback <img>'s src: its largest file
    srcset: str  # the fallback's widths
    width: int  # of the original as shown (orientation applied)
    height: int


@dataclass(frozen=True, slots=True)
class SocialImage:
    url: str  # absolute: social networks fetch it from elsewhere
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class ImageProblem:
    """An image that cannot be planned; the build names every article that shows it."""

    site_path: str
    message: str
    hint: str


@dataclass(frozen=True)
class ImagePlan:
    pictures: Mapping[str, Picture] = field(default_factory=dict)  # by the original's site path
    social: Mapping[tuple[str, Focus], SocialImage] = field(default_factory=dict)  # by (site path, focus)
    tasks: tuple[ImageTask, ...] = ()
    unreadable: tuple[str, ...] = ()  # shown images with no measured size: render.imagefiles says why
    problems: tuple[ImageProblem, ...] = ()

    def picture(self, src: str) -> Picture | None:
        """The picture of an image as front matter or Markdown names it ("/images/x.jpg")."""
        site_path = local_path(src)
        return self.pictures.get(site_path) if site_path is not None else None

    def social_image(self, src: str, focus: Focus | None) -> SocialImage | None:
        site_path = local_path(src)
        return self.social.get((site_path, focus or CENTRE)) if site_path is not None else None

    def key(self, site_paths: Iterable[str]) -> tuple[Picture | None, ...]:
        """What a page's key must hold of the images it shows (their names change with their bytes)."""
        return tuple(self.pictures.get(path) for path in site_paths)

    @property
    def files(self) -> tuple[Variant, ...]:
        return tuple(v for task in self.tasks for v in task.variants)


NO_IMAGES = ImagePlan()


def local_path(src: str) -> str | None:
    """The site path of an image as front matter or Markdown names it: "/images/x.jpg" -> "images/x.jpg"."""
    return src[1:] if src.startswith("/") and not src.startswith("//") else None


def lead_images(articles: Iterable[Article]) -> list[tuple[str, Focus | None]]:
    """(site path, focus) of the local lead images, for plan_images' social images."""
    return [(path, a.image.focus) for a in articles if a.image and (path := local_path(a.image.src)) is not None]


def is_resized(site_path: str) -> bool:
    return PurePosixPath(site_path).suffix.lower() in RESIZED


def plan_images(settings: ImageSettings, base_url: str, base_path: str, files: Mapping[str, CopiedFile],
                sizes: Mapping[str, tuple[int, int]], shown: Iterable[str],
                leads: Iterable[tuple[str, Focus | None]] = ()) -> ImagePlan:
    """The generated files of the images articles show (`shown`: site paths), and their markup.

    `leads`: (site path, focus) of every lead image, which also gets a social image."""
    if not settings.enabled:
        return NO_IMAGES
    crops: dict[str, set[Focus]] = {}
    for site_path, focus in leads:
        crops.setdefault(site_path, set()).add(focus or CENTRE)
    pictures: dict[str, Picture] = {}
    social: dict[tuple[str, Focus], SocialImage] = {}
    tasks: list[ImageTask] = []
    unreadable: list[str] = []
    problems: list[ImageProblem] = []
    for site_path in sorted(set(shown) | crops.keys()):
        file = files.get(site_path)
        if file is None or not is_resized(site_path):
            continue
        size = sizes.get(site_path)
        if size is None:
            unreadable.append(site_path)
            continue
        if size[0] * size[1] > MAX_PIXELS:
            problems.append(ImageProblem(
                site_path, f"is {size[0]}x{size[1]} pixels ({size[0] * size[1] / 1e6:.0f} megapixels); images over "
                f"{MAX_PIXELS // 1_000_000} megapixels are refused, as decoding one could exhaust the memory",
                "scale it down before putting it in static/; 6000 pixels on the long side is plenty for any screen"))
            continue
        variants = list(_widths(settings, file, size))
        picture = _picture(settings, base_path, file, size, variants)
        if site_path in shown:
            pictures[site_path] = picture
        for focus in sorted(crops.get(site_path, ())):
            variant = _social(settings, file, size, focus)
            variants.append(variant)
            social[(site_path, focus)] = SocialImage(base_url + href("", variant.path), variant.width, variant.height)
        tasks.append(ImageTask(site_path, file.source, file.origin, size, settings.quality, tuple(variants)))
    return ImagePlan(pictures, social, tuple(tasks), tuple(unreadable), tuple(problems))


def _formats(settings: ImageSettings, site_path: str) -> tuple[str, ...]:
    """Formats to make, the fallback (the original's own) last."""
    original = RESIZED[PurePosixPath(site_path).suffix.lower()]
    return (*(f for f in settings.formats if f != original), original)


def _variant(settings: ImageSettings, file: CopiedFile, width: int, height: int, format: str, label: str,
             crop: tuple[int, int, int, int] | None = None) -> Variant:
    key = fingerprint("image", ENCODER_VERSION, file.digest, settings.quality, width, height, format, crop)
    path = PurePosixPath(file.site_path)
    name = f"{path.stem}.{label}.{key[:HASH_LENGTH]}{SUFFIX[format]}"
    return Variant(str(path.with_name(name)), key, width, height, format, crop)


def _widths(settings: ImageSettings, file: CopiedFile, size: tuple[int, int]) -> Iterable[Variant]:
    width, height = size
    widths = sorted({min(w, width) for w in settings.widths})
    for format in _formats(settings, file.site_path):
        for w in widths:
            yield _variant(settings, file, w, max(1, round(height * w / width)), format, f"{w}w")


def _picture(settings: ImageSettings, base_path: str, file: CopiedFile, size: tuple[int, int],
             variants: list[Variant]) -> Picture:
    by_format: dict[str, list[Variant]] = {}
    for variant in variants:
        by_format.setdefault(variant.format, []).append(variant)
    srcset = {f: ", ".join(f"{href(base_path, v.path)} {v.width}w" for v in found) for f, found in by_format.items()}
    *modern, fallback = _formats(settings, file.site_path)
    sources = tuple(PictureSource(MIME[f], srcset[f]) for f in modern)
    return Picture(sources, href(base_path, by_format[fallback][-1].path), srcset[fallback], *size)


def social_crop(size: tuple[int, int], focus: Focus) -> tuple[int, int, int, int]:
    """The largest box of the social image's shape inside the picture, centred on `focus` as far
    as the edges allow."""
    width, height = size
    target = SOCIAL_SIZE[0] / SOCIAL_SIZE[1]
    box_w, box_h = (round(height * target), height) if width / height > target else (width, round(width / target))
    box_w, box_h = max(1, min(box_w, width)), max(1, min(box_h, height))
    left = min(max(round(focus[0] * width - box_w / 2), 0), width - box_w)
    top = min(max(round(focus[1] * height - box_h / 2), 0), height - box_h)
    return left, top, left + box_w, top + box_h


def _social(settings: ImageSettings, file: CopiedFile, size: tuple[int, int], focus: Focus) -> Variant:
    # JPEG whatever the original: every network reads it, few read WebP, and a photograph as PNG is huge.
    return _variant(settings, file, *SOCIAL_SIZE, "jpeg", "social", social_crop(size, focus))
