#!/usr/bin/env python3
"""Build a site into a fresh folder and print one digest of everything it wrote.

    python benchmarks/output_digest.py --site . --now 2026-10-01T00:00:00+00:00
    python benchmarks/output_digest.py --site /tmp/corpus --list > files.txt

Two versions of Broadsheet that print the same digest for a site wrote the same bytes to the same
paths. Broadsheet's own files in the output folder (cache, manifest, staging) are left out: they
are not part of the site. `--now` fixes the moment the build stands at, so that scheduled and
expired articles and the news sitemap do not depend on when this runs.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from builder.build.pipeline import BuildOptions, build
from builder.output.layout import PRIVATE_PREFIX


def site_files(output: Path) -> list[tuple[str, str]]:
    """(path, sha256) of every file of the site, sorted by path."""
    found = []
    for file in output.rglob("*"):
        relative = file.relative_to(output)
        if file.is_file() and not relative.parts[0].startswith(PRIVATE_PREFIX):
            found.append((relative.as_posix(), hashlib.sha256(file.read_bytes()).hexdigest()))
    return sorted(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, default=Path("."))
    parser.add_argument("--now", default="2026-10-01T00:00:00+00:00", help="ISO moment the build stands at")
    parser.add_argument("--list", action="store_true", help="print every file's digest, not only the total")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="broadsheet-digest-") as folder:
        output = Path(folder) / "output"
        started = time.perf_counter()
        build(BuildOptions(args.site, output_dir=output, now=datetime.fromisoformat(args.now)))
        seconds = time.perf_counter() - started
        files = site_files(output)
    total = hashlib.sha256("".join(f"{path}\0{digest}\n" for path, digest in files).encode()).hexdigest()
    if args.list:
        for path, digest in files:
            print(digest, path)
    print(f"{total}  {len(files)} files  built in {seconds:.1f} s")


if __name__ == "__main__":
    main()
