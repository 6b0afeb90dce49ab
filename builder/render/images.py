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

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

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
    """One original and every file made from it: decoded once, in a worker.

    A build holds one for every photo an archive shows, so it keeps what the files are made of,
    not the files: `variants` names them when asked (widths, formats and focuses are tuples that
    every photo of the same shape shares). Planning 20,000 photos took 4.5 s of CPU and kept
    3.9 KB a photo when the files and pictures were made up front; 0.1 s and 235 bytes now."""

    site_path: str  # "images/2024/vote.jpg"
    source: Path
    origin: str  # as messages name it: "static/images/2024/vote.jpg"
    size: tuple[int, int]  # as measured, orientation applied
    digest: str  # sha256 of the original
    quality: int
    widths: tuple[int, ...]  # ascending, none wider than the original; () for a lead image shown nowhere
    formats: tuple[str, ...]  # modern formats first, the fallback (the original's own) last
    focuses: tuple[Focus, ...] = ()  # a social image is cropped around each

    @property
    def variants(self) -> tuple[Variant, ...]:
        width, height = self.size
        resized = [self._variant(w, max(1, round(height * w / width)), f, f"{w}w")
                   for f in self.formats for w in self.widths]
        return (*resized, *(self.social(focus) for focus in self.focuses))

    def social(self, focus: Focus) -> Variant:
        # JPEG whatever the original: every network reads it, few read WebP, and a photograph as PNG is huge.
        return self._variant(*SOCIAL_SIZE, "jpeg", "social", social_crop(self.size, focus))

    def _variant(self, width: int, height: int, format: str, label: str,
                 crop: tuple[int, int, int, int] | None = None) -> Variant:
        key = fingerprint("image", ENCODER_VERSION, self.digest, self.quality, width, height, format, crop)
        folder, slash, name = self.site_path.rpartition("/")
        stem = name.rpartition(".")[0] or name
        return Variant(f"{folder}{slash}{stem}.{label}.{key[:HASH_LENGTH]}{SUFFIX[format]}", key, width, height,
                       format, crop)


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


PICTURES_KEPT = 4096


@dataclass(frozen=True)
class ImagePlan:
    base_url: str = ""
    base_path: str = "/"
    tasks: Mapping[str, ImageTask] = field(default_factory=dict)  # by the original's site path
    shown: frozenset[str] = frozenset()  # originals pages show as <picture> (a lead image may only be cropped)
    unreadable: tuple[str, ...] = ()  # shown images with no measured size: render.imagefiles says why
    problems: tuple[ImageProblem, ...] = ()
    # The last pictures made, by site path: a page's key and its neighbours' teasers ask for the same
    # few again and again (at 10,000 articles 24,000 asks, 23 s of a 62 s preview build, most of them
    # for a photo asked before). Bounded: an archive with a photo per article keeps some, not all.
    _pictures: dict[str, Picture | None] = field(default_factory=dict, compare=False, repr=False)

    def picture(self, src: str) -> Picture | None:
        """The picture of an image as front matter or Markdown names it ("/images/x.jpg")."""
        site_path = local_path(src)
        return self._picture(site_path) if site_path is not None else None

    def social_image(self, src: str, focus: Focus | None) -> SocialImage | None:
        site_path = local_path(src)
        task = self.tasks.get(site_path) if site_path is not None else None
        if task is None or (focus or CENTRE) not in task.focuses:
            return None
        variant = task.social(focus or CENTRE)
        return SocialImage(self.base_url + href("", variant.path), variant.width, variant.height)

    def key(self, site_paths: Iterable[str]) -> tuple[Picture | None, ...]:
        """What a page's key must hold of the images it shows (their names change with their bytes)."""
        return tuple(self._picture(path) for path in site_paths)

    @property
    def files(self) -> Iterator[Variant]:
        return (v for task in self.tasks.values() for v in task.variants)

    def _picture(self, site_path: str) -> Picture | None:
        """Made when asked (~0.9 ms) and kept among the last PICTURES_KEPT (each takes 850 bytes)."""
        pictures = self._pictures
        if site_path in pictures:
            return pictures[site_path]
        if len(pictures) >= PICTURES_KEPT:
            pictures.clear()
        picture = pictures[site_path] = self._make_picture(site_path)
        return picture

    def _make_picture(self, site_path: str) -> Picture | None:
        task = self.tasks.get(site_path)
        if task is None or not task.widths:
            return None
        by_format: dict[str, list[Variant]] = {}
        for variant in task.variants:
            if variant.crop is None:
                by_format.setdefault(variant.format, []).append(variant)
        srcset = {f: ", ".join(f"{href(self.base_path, v.path)} {v.width}w" for v in found)
                  for f, found in by_format.items()}
        *modern, fallback = task.formats
        sources = tuple(PictureSource(MIME[f], srcset[f]) for f in modern)
        return Picture(sources, href(self.base_path, by_format[fallback][-1].path), srcset[fallback], *task.size)


NO_IMAGES = ImagePlan()


def local_path(src: str) -> str | None:
    """The site path of an image as front matter or Markdown names it: "/images/x.jpg" -> "images/x.jpg"."""
    return src[1:] if src.startswith("/") and not src.startswith("//") else None


def lead_images(articles: Iterable[Article]) -> list[tuple[str, Focus | None]]:
    """(site path, focus) of the local lead images, for plan_images' social images."""
    return [(path, a.image.focus) for a in articles if a.image and (path := local_path(a.image.src)) is not None]


def original_format(site_path: str) -> str | None:
    """The format of an original that is resized (JPEG, PNG, WebP), by its name; None for others."""
    dot = site_path.rfind(".")
    return RESIZED.get(site_path[dot:].lower()) if dot > site_path.rfind("/") else None


def plan_images(settings: ImageSettings, base_url: str, base_path: str, files: Mapping[str, CopiedFile],
                sizes: Mapping[str, tuple[int, int]], shown: Iterable[str],
                leads: Iterable[tuple[str, Focus | None]] = ()) -> ImagePlan:
    """The generated files of the images articles show (`shown`: site paths), and their markup.

    `leads`: (site path, focus) of every lead image, which also gets a social image."""
    if not settings.enabled:
        return NO_IMAGES
    shown = frozenset(shown)
    crops: dict[str, set[Focus]] = {}
    for site_path, focus in leads:
        crops.setdefault(site_path, set()).add(focus or CENTRE)
    shared: dict[tuple, tuple] = {}  # one tuple for all photos of the same widths, formats or focuses
    tasks: dict[str, ImageTask] = {}
    unreadable: list[str] = []
    problems: list[ImageProblem] = []
    for site_path in sorted(shown | crops.keys()):
        file, original = files.get(site_path), original_format(site_path)
        if file is None or original is None:
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
        widths = tuple(sorted({min(w, size[0]) for w in settings.widths})) if site_path in shown else ()
        formats = (*(f for f in settings.formats if f != original), original)
        focuses = tuple(sorted(crops.get(site_path, ())))
        tasks[site_path] = ImageTask(site_path, file.source, file.origin, size, file.digest, settings.quality,
                                     shared.setdefault(widths, widths), shared.setdefault(formats, formats),
                                     shared.setdefault(focuses, focuses))
    return ImagePlan(base_url, base_path, tasks, shown, tuple(unreadable), tuple(problems))


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
