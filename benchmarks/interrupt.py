#!/usr/bin/env python3
"""How long a parallel build takes to stop after Ctrl-C, and what it leaves behind.

    python benchmarks/interrupt.py --articles 1000 --repeat 5

Generates a corpus (benchmarks/generate.py) and builds it once, then starts `broadsheet build
--jobs 2 --clean` REPEAT times, sends SIGINT to its process group (as a terminal's Ctrl-C does)
once the staging folder holds --staged files, and reports the seconds until the process ended,
its exit code, and whether the output folder is as the first build left it. Python's own timers.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def state(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file() and not p.name.startswith(".broadsheet")}


def staged(out: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(out / ".broadsheet-staging"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--staged", type=int, default=200, help="interrupt once this many files are staged")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/broadsheet-interrupt"))
    args = parser.parse_args()
    site = args.workdir / f"n{args.articles}"
    if not (site / "site.yaml").exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--articles", str(args.articles), "--out", str(site)],
                       check=True, stdout=subprocess.DEVNULL)
    build = [sys.executable, "-m", "builder", "build", "--site", str(site), "--jobs", "2"]
    subprocess.run(build, check=True, stdout=subprocess.DEVNULL)
    out = site / "output"
    before = state(out)
    times = []
    for run in range(args.repeat):
        process = subprocess.Popen([*build, "--clean"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                   text=True, start_new_session=True)
        while staged(out) < args.staged and process.poll() is None:
            time.sleep(0.005)
        sent = time.perf_counter()
        os.killpg(process.pid, signal.SIGINT)
        process.communicate(timeout=120)
        times.append(time.perf_counter() - sent)
        print(f"run {run + 1}: stopped in {times[-1]:.3f} s, exit {process.returncode}, "
              f"output {'as it was' if state(out) == before else 'CHANGED'}")
    print(f"median {statistics.median(times):.3f} s, max {max(times):.3f} s; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
