#!/usr/bin/env python3
"""What generated images cost a build: cold builds with and without them, and rebuilds that encode nothing.

    .venv/bin/python benchmarks/images.py [--articles 1000] [--repeat 1] [--jobs N] [--workdir /tmp/broadsheet-bench]

Uses the corpus of benchmarks/run.py with a lead photo per article (`--photos per-article`, in
WORKDIR/nN-photos), each build its own process through /usr/bin/time -v (run.measure). Scenarios,
in this order in every round:

  cold, originals   output removed; site.yaml with `images: {widths: []}`: pages show the originals
  cold, generated   output removed; the default images settings
  no-change         a second build with nothing changed
  retitle           one article's title changed: the full way through the build, every page's key
                    compared, and every image planned again; no image file may be written

For each it prints wall and CPU time, the peak memory of the build's processes, the files the
build wrote and, for the rebuilds, how many generated image files it wrote (their mtimes,
compared with the cold build's). site.yaml and the article are restored afterwards.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import run  # noqa: E402  (same folder)

GENERATED = re.compile(r"\.(\d+w|social)\.[0-9a-f]{10}\.\w+$")
ORIGINALS = "\nimages:\n  widths: []\n"


def generated_files(output: Path) -> dict[str, int]:
    return {str(p.relative_to(output)): p.stat().st_mtime_ns for p in output.rglob("*") if GENERATED.search(p.name)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/broadsheet-bench"))
    args = parser.parse_args(argv)

    site, _, _ = run.ensure_corpus(args.articles, args.workdir, args.seed, "auto", False, "per-article")
    output = run.corpus_dir(args.workdir, args.articles, "per-article") / "images-output"
    config = site / "site.yaml"
    original_config = config.read_text(encoding="utf-8")
    article = next(iter(sorted((site / "content").rglob("*.md"))))
    original_article = article.read_text(encoding="utf-8")
    cli = run._installed_cli()
    subprocess_env = None

    def build(clean: bool) -> run.Run:
        if clean:
            shutil.rmtree(output, ignore_errors=True)
        command = [*cli, "build", "--site", str(site), "--output", str(output), "--timings"]
        if args.jobs:
            command += ["--jobs", str(args.jobs)]
        measured = run.measure(command, env=subprocess_env)
        if measured.exit != 0:
            raise SystemExit(f"the build failed:\n{measured.output[-3000:]}")
        return measured

    results: dict[str, list[tuple[run.Run, int | None]]] = {}
    try:
        for _ in range(args.repeat):
            config.write_text(original_config + ORIGINALS, encoding="utf-8")
            results.setdefault("cold, originals", []).append((build(True), None))
            config.write_text(original_config, encoding="utf-8")
            results.setdefault("cold, generated", []).append((build(True), None))
            before = generated_files(output)
            results.setdefault("no-change", []).append((build(False), _changed(before, output)))
            article.write_text(original_article.replace("title: \"", "title: \"Retitled, ", 1), encoding="utf-8")
            results.setdefault("retitle", []).append((build(False), _changed(before, output)))
            article.write_text(original_article, encoding="utf-8")
    finally:
        config.write_text(original_config, encoding="utf-8")
        article.write_text(original_article, encoding="utf-8")

    files = generated_files(output)
    print(f"{args.articles} articles, a lead photo each ({site}); {len(files)} generated image files, "
          f"{sum((output / f).stat().st_size for f in files) / 2**20:.0f} MB")
    print(f"{'scenario':<18}{'wall s':>8}{'CPU s':>8}{'peak MB':>9}{'others':>8}{'written':>9}{'images':>8}")
    for name, runs in results.items():
        wall = statistics.median(r.wall for r, _ in runs)
        cpu = statistics.median((r.user or 0) + (r.sys or 0) for r, _ in runs)
        peak = max((r.tree_peak_mb or r.max_rss_mb or 0) for r, _ in runs)
        others = statistics.median(r.other_cpu or 0 for r, _ in runs)
        written = runs[-1][0].written
        images = runs[-1][1]
        print(f"{name:<18}{wall:>8.2f}{cpu:>8.2f}{peak:>9.0f}{others:>8.1f}{written if written is not None else '-':>9}"
              f"{images if images is not None else '-':>8}")
    cold_originals = statistics.median(r.wall for r, _ in results["cold, originals"])
    cold_generated = statistics.median(r.wall for r, _ in results["cold, generated"])
    print(f"cold build with generated images: {cold_generated / cold_originals:.2f}x the time without")
    return 0


def _changed(before: dict[str, int], output: Path) -> int:
    """Generated image files written since `before` (new, or with another mtime)."""
    return sum(1 for path, mtime in generated_files(output).items() if before.get(path) != mtime)


if __name__ == "__main__":
    sys.exit(main())
