#!/usr/bin/env python3
"""Time the listing of static files for an archive with a photo per article.

    .venv/bin/python benchmarks/static_scan.py --images 10000 [--dir /tmp/static-scan] [--repeat 3]

Every build, and every one-article rebuild, lists static/ and needs the width and height of each
image (to reserve its space on the page). The benchmark corpus shares a few photos between all its
articles; a newsroom's archive has one or more per article. This writes N small JPEGs (once,
deterministic) in folders by year, then times builder.content.sources.scan_static reading every image's
header ("measure all", as a first or --clean build does) against scan_static given the sizes an
earlier build measured ("measured before", every later build). CPU time of this process
(time.process_time), alternating the two in each round, the best round of each counted.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from builder.content.sources import scan_static


def write_images(folder: Path, count: int) -> None:
    from PIL import Image

    marker = folder / f".made-{count}"
    if marker.exists():
        return
    for n in range(count):
        path = folder / f"{2000 + n % 25}" / f"photo-{n:06d}.jpg"
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (64 + n % 7, 48 + n % 5), (n % 256, 80, 120)).save(path, "JPEG", quality=60)
    marker.touch()


def cpu(action) -> tuple[float, object]:
    start = time.process_time()
    result = action()
    return time.process_time() - start, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--images", type=int, default=10_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/static-scan"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = args.dir / f"n{args.images}"
    write_images(folder, args.images)

    first = scan_static(folder)
    measured = {rel: (f.size, f.mtime_ns, f.dimensions) for rel, f in first.items()}
    best = {"measure all": float("inf"), "measured before": float("inf")}
    for _ in range(args.repeat):
        seconds, all_measured = cpu(lambda: scan_static(folder))
        best["measure all"] = min(best["measure all"], seconds)
        seconds, reused = cpu(lambda: scan_static(folder, measured))
        best["measured before"] = min(best["measured before"], seconds)
        assert reused == all_measured == first
    print(f"{len(first):,} static files, best of {args.repeat} rounds, CPU seconds")
    for name, seconds in best.items():
        print(f"  {name:16s} {seconds:7.3f} s  {seconds / len(first) * 1e6:6.1f} µs a file")
    print(f"  ratio            {best['measure all'] / best['measured before']:7.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
