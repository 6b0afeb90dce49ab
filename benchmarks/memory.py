"""Where the build process's memory goes: traced Python memory and RSS at the end of every stage.

    .venv/bin/python benchmarks/generate.py --articles 4000 --out /tmp/m4k
    .venv/bin/python benchmarks/memory.py --site /tmp/m4k            # a cold build, 2 processes
    .venv/bin/python benchmarks/memory.py --site /tmp/m4k --top 30 --stage render

    .venv/bin/python benchmarks/memory.py --site /tmp/m4k --pss   # the memory of the whole build

With --pss the build runs as `broadsheet build --clean` in processes of its own, and the proportional
set size (PSS, /proc/PID/smaps_rollup) of the build and its workers is summed every second: pages
that forked workers share with the main process count once in the sum, where the RSS of each
process counts them in full. Reading smaps_rollup walks a process's page tables, so this mode
samples slowly and its figures are memory, not time.

Otherwise the build runs in this process under tracemalloc (standard library), which makes it 2-3 times
slower; the figures are sizes, not times. Worker processes are forked from this one and are not
traced: what they hold is their share of this process's pages plus the page they render. For
every stage the table shows the Python memory still allocated, the process's RSS (VmRSS) and its
peak so far (VmHWM) from /proc/self/status. Then, for one stage, the source lines holding the
most memory, in bytes per article.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from run import descendants  # noqa: E402 - benchmarks/run.py, beside this file


def _status(field: str) -> int:
    """A VmRSS-style figure of this process, in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def _kb(pid: int, field: str, file: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def pss_of_build(site: Path, jobs: int, output: Path | None) -> int:
    """Build `site` in processes of its own; print the peak summed PSS and the largest peak RSS."""
    command = [str(Path(sys.executable).parent / "broadsheet"), "build", "--site", str(site), "--clean",
               "--jobs", str(jobs), *(["--output", str(output)] if output else [])]
    build = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    peak_pss = peak_rss = 0
    while build.poll() is None:
        pids = [build.pid, *descendants(build.pid)]
        peak_pss = max(peak_pss, sum(_kb(pid, "Pss", "smaps_rollup") for pid in pids))
        peak_rss = max(peak_rss, *(_kb(pid, "VmHWM", "status") for pid in pids))
        time.sleep(1.0)
    print(f"build exit {build.returncode}: peak PSS of all its processes {peak_pss / 1024:.0f} MB; "
          f"largest process's peak RSS {peak_rss / 1024:.0f} MB (sampled every second)")
    return build.returncode


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--stage", default="render", help="the stage whose allocation sites are listed")
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--frames", type=int, default=1, help="stack frames per allocation site")
    parser.add_argument("--rss-only", action="store_true",
                        help="no tracemalloc: only RSS and its peak per stage, at full speed")
    parser.add_argument("--output", type=Path, help="with --pss: the output folder (default <site>/output)")
    parser.add_argument("--pss", action="store_true",
                        help="run `broadsheet build --clean` and sample the PSS of all its processes")
    args = parser.parse_args(argv)
    if args.pss:
        return pss_of_build(args.site, args.jobs, args.output)

    from builder.build import pipeline
    from builder.build.context import StageTimer
    from builder.build.options import BuildOptions

    snapshots: dict[str, tracemalloc.Snapshot] = {}
    rows: list[tuple[str, int, int, int, int]] = []
    original_lap = StageTimer.lap

    def lap(self, stage: str) -> None:
        original_lap(self, stage)
        current, peak = tracemalloc.get_traced_memory() if tracemalloc.is_tracing() else (0, 0)
        rows.append((stage, current, peak, _status("VmRSS"), _status("VmHWM")))
        if tracemalloc.is_tracing():
            if stage == args.stage:
                snapshots[stage] = tracemalloc.take_snapshot()
            tracemalloc.reset_peak()

    StageTimer.lap = lap  # type: ignore[method-assign]
    if not args.rss_only:
        tracemalloc.start(args.frames)
    result = pipeline.build(BuildOptions(site_dir=args.site, clean=True,
                                         jobs=args.jobs))
    articles = max(result.articles, 1)
    mb = 1 << 20
    print(f"{result.articles} articles, {result.pages} pages, {len(result.report.written)} files written\n")
    print(f"{'stage':<8} {'traced MB':>10} {'peak MB':>8} {'RSS MB':>7} {'HWM MB':>7} {'KB/article':>11}")
    for stage, current, peak, rss, hwm in rows:
        print(f"{stage:<8} {current / mb:>10.1f} {peak / mb:>8.1f} {rss / mb:>7.1f} {hwm / mb:>7.1f} "
              f"{current / articles / 1024:>11.2f}")
    snapshot = snapshots.get(args.stage)
    if snapshot is not None:
        print(f"\nAt the end of '{args.stage}', bytes per article by source line:")
        for stat in snapshot.statistics("traceback")[:args.top]:
            where = " <- ".join(f"{Path(f.filename).name}:{f.lineno}" for f in stat.traceback)
            print(f"{stat.size / articles:>9.0f}  {stat.count / articles:>7.1f} blocks  {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
