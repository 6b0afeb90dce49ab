#!/usr/bin/env python3
"""Time and size of the generated images in each format: is AVIF worth its encoding time?

    .venv/bin/python benchmarks/image_formats.py [--images static/images] [--widths 320,640,960,1280,1920]
                                                  [--quality 80] [--repeat 3]

Takes the JPEG and PNG photographs under --images (default: the example site's, 1200x675) and
makes, with Broadsheet's own code (render.images plans, render.imagefiles encodes), each width of
the settings in every format: the original's JPEG fallback, WebP and AVIF (when this Pillow can
write AVIF). For each format it prints the CPU time of this process (time.process_time, the best
of --repeat rounds; formats alternate inside each round, so a busy machine slows them alike) and
the bytes of all the files, and both as a ratio to WebP, the default.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from builder.config.images import ImageSettings, avif_supported
from builder.content.sources import scan_static
from builder.render.assets import CopiedFile
from builder.render.imagefiles import ImageFailure, make_files
from builder.render.images import ImageTask, plan_images

REPO = Path(__file__).resolve().parents[1]


def tasks(folder: Path, settings: ImageSettings) -> list[ImageTask]:
    static = {p: f for p, f in scan_static(folder).items() if p.lower().endswith((".jpg", ".jpeg", ".png"))}
    files = {p: CopiedFile(p, p, f.path, p, str(n)) for n, (p, f) in enumerate(static.items())}
    sizes = {p: f.dimensions for p, f in static.items() if f.dimensions}
    return list(plan_images(settings, "https://example.org/", "/", files, sizes, list(files)).tasks)


def encode(found: list[ImageTask], format: str) -> tuple[float, int, int]:
    """(CPU seconds, bytes, files) of every file of `format`."""
    started = time.process_time()
    total = count = 0
    for task in found:
        made = make_files(task, tuple(v for v in task.variants if v.format == format))
        assert not isinstance(made, ImageFailure), made
        total += sum(len(data) for _, data in made)
        count += len(made)
    return time.process_time() - started, total, count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--images", type=Path, default=REPO / "static" / "images")
    parser.add_argument("--widths", default="320,640,960,1280,1920")
    parser.add_argument("--quality", type=int, default=80)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    modern = ("avif", "webp") if avif_supported() else ("webp",)
    settings = ImageSettings(tuple(int(w) for w in args.widths.split(",")), modern, args.quality)
    found = tasks(args.images, settings)
    fallback = sorted({v.format for t in found for v in t.variants} - set(modern))
    formats = [*fallback, *modern]
    best: dict[str, tuple[float, int, int]] = {}
    for _ in range(args.repeat):
        for format in formats:
            seconds, size, count = encode(found, format)
            if format not in best or seconds < best[format][0]:
                best[format] = (seconds, size, count)
    print(f"{len(found)} originals from {args.images}, widths {args.widths}, quality {args.quality}"
          f"{'' if avif_supported() else ' (this Pillow cannot write AVIF)'}")
    webp_seconds, webp_bytes, _ = best["webp"]
    print(f"{'format':<8}{'files':>7}{'CPU s':>9}{'x WebP':>8}{'KB':>10}{'x WebP':>8}")
    for format in formats:
        seconds, size, count = best[format]
        print(f"{format:<8}{count:>7}{seconds:>9.2f}{seconds / webp_seconds:>8.2f}{size / 1024:>10.0f}"
              f"{size / webp_bytes:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
