#!/usr/bin/env python3
"""Time a CI-like build: a fresh clone with the last run's output folder restored, against a cold build.

    .venv/bin/python benchmarks/ci_cache.py --articles 10000
    .venv/bin/python benchmarks/ci_cache.py --articles 1000 --workdir /tmp/ci-cache

What CI does with the cache the workflow of `broadsheet init --ci github` keeps:

1. `benchmarks/generate.py` writes the site, committed to a git repository ("origin");
2. run 1: a fresh clone, a cold build, its output/ kept (the cache a CI run saves);
3. one article's body is edited and committed in origin;
4. run 2: a fresh clone at another path, the kept output/ restored into it (`cp -a`, which keeps
   mtimes as GitHub's cache does; with `--whole-seconds` mtimes are cut to whole seconds, as
   GitLab's zip cache does), then a build;
5. run 3: a fresh clone, a cold build: the reference for run 2's bytes and time.

Each build is `broadsheet build --timings` in its own process, timed with Python's clock. The way
the build took is read from its stage timings (`edit`: bodies only; `setup` alone: nothing
changed; `parse`: the full way).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BROADSHEET = [sys.executable, "-m", "builder"]
GIT = ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.org", "-c", "commit.gpgsign=false"]


def build(site: Path) -> dict:
    started = time.perf_counter()
    done = subprocess.run([*BROADSHEET, "build", "--site", str(site), "--timings"], capture_output=True, text=True,
                          check=True, cwd=site)
    seconds = time.perf_counter() - started
    built = next(line for line in done.stdout.splitlines() if line.startswith("Built"))
    stages = [line.split()[0] for line in done.stdout.splitlines() if line.startswith("  ") and line.endswith(" s")]
    way = "bodies only" if "edit" in stages else "full" if "parse" in stages else "nothing changed"
    return {"seconds": round(seconds, 2), "way": way, "report": built}


def tree(output: Path) -> dict[str, str]:
    return {p.relative_to(output).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(output.rglob("*")) if p.is_file() and not p.relative_to(output).parts[0].startswith(".")}


def clone(origin: Path, target: Path) -> Path:
    """A fresh clone, its files dated 10 s ago: in CI the install steps run between checkout and build,
    and a build never vouches for files changed within 2 s of it."""
    subprocess.run(["git", "clone", "--quiet", str(origin), str(target)], check=True)
    then = time.time_ns() - 10_000_000_000
    for path in target.rglob("*"):
        if path.is_file() and ".git" not in path.relative_to(target).parts:
            os.utime(path, ns=(then, then))
    return target


def cut_to_whole_seconds(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            stat = path.stat()
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns // 1_000_000_000 * 1_000_000_000))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/broadsheet-ci-cache"))
    parser.add_argument("--whole-seconds", action="store_true", help="restore with mtimes cut to whole seconds")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    work = args.workdir
    shutil.rmtree(work, ignore_errors=True)
    origin = work / "origin"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "--articles", str(args.articles),
                    "--out", str(origin), "--quiet"], check=True)
    subprocess.run(["git", "init", "--quiet", str(origin)], check=True)
    subprocess.run([*GIT, "-C", str(origin), "add", "-A"], check=True)
    subprocess.run([*GIT, "-C", str(origin), "commit", "--quiet", "-m", "site"], check=True)

    first = clone(origin, work / "run1")
    cold = build(first)
    kept = work / "kept-output"
    shutil.copytree(first / "output", kept, symlinks=True)  # copy2: mtimes kept

    candidate = json.loads((origin / "benchmark-corpus.json").read_text())["edit_candidates"][0]
    article = origin / candidate
    article.write_text(article.read_text(encoding="utf-8") + "\nOne more sentence for the record.\n", encoding="utf-8")
    subprocess.run([*GIT, "-C", str(origin), "commit", "--quiet", "-am", "one article"], check=True)

    second = clone(origin, work / "elsewhere" / "run2")
    shutil.copytree(kept, second / "output", symlinks=True)
    if args.whole_seconds:
        cut_to_whole_seconds(second / "output")
    warm = build(second)

    third = clone(origin, work / "run3")
    reference = build(third)
    same = tree(second / "output") == tree(third / "output")

    figures = {"articles": args.articles, "cold_first_run": cold, "restored_cache_after_one_edit": warm,
               "cold_after_one_edit": reference, "byte_identical": same,
               "ratio": round(reference["seconds"] / warm["seconds"], 1)}
    for name in ("cold_first_run", "restored_cache_after_one_edit", "cold_after_one_edit"):
        print(f"{name:32} {figures[name]['seconds']:7.2f} s  {figures[name]['way']:16} {figures[name]['report']}")
    print(f"cold / restored: {figures['ratio']}x; byte-identical to the cold build: {same}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
