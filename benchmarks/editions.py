#!/usr/bin/env python3
"""What language editions cost: the same corpus built as one site and as four editions, in one run.

    python benchmarks/editions.py --articles 3000
    python benchmarks/editions.py --corpus /tmp/corpus --runs 3

The corpus (benchmarks/generate.py) is ~80 % English with Armenian, Russian and Arabic articles.
As editions it gets `languages:` (English the default; Armenian, Russian and Arabic under their
prefixes, falling back on the English section names) and every non-English article shares a
translation_key with an English one, so the editions' listings, feeds, switchers, hreflang and the
reciprocity check all do their work. Both are clean builds (--clean, one process: -j 1, so that
the figures are CPU, not scheduling), measured with /usr/bin/time -v: wall, user+sys CPU and the
largest process's peak memory. The machine's other work shows in wall time; compare CPU.

Both skip the link check (--no-link-check): the corpus links articles by their address at the
root, and the articles that move into an edition's folder would be reported as broken links, as
they would be on a real site that adopts editions without aliases.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EDITIONS = """
languages:
  - code: en
  - code: hy
    prefix: hy
    title: Բենչմարք
    fallback: true
  - code: ru
    prefix: ru
    title: Бенчмарк
    fallback: true
  - code: ar
    prefix: ar
    title: مقياس الأداء
    fallback: true
"""
LANG = re.compile(r"^lang: (\S+)$", re.M)


def as_editions(site: Path) -> int:
    """Turn a generated corpus into four editions; returns the number of translation pairs."""
    config = site / "site.yaml"
    text = re.sub(r"^language: .*\n", "", config.read_text(encoding="utf-8"), flags=re.M)
    config.write_text(text + EDITIONS, encoding="utf-8")
    english, other = [], []
    for path in sorted((site / "content").rglob("*.md")):
        found = LANG.search(path.read_text(encoding="utf-8").split("\n---", 1)[0])
        (other if found and found.group(1) != "en" else english).append(path)
    for number, (foreign, native) in enumerate(zip(other, english, strict=False)):
        for path in (foreign, native):
            head, rest = path.read_text(encoding="utf-8").split("\n---", 1)
            path.write_text(f"{head}\ntranslation_key: pair-{number}\n---{rest}", encoding="utf-8")
    return min(len(other), len(english))


def measure(site: Path, output: Path) -> dict[str, float]:
    command = ["/usr/bin/time", "-v", sys.executable, "-m", "builder", "build", "--site", str(site),
               "--output", str(output), "--clean", "-j", "1", "--no-link-check"]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=True)
    report = done.stderr

    def number(label: str) -> float:
        return float(re.search(rf"{label}: ([\d.:]+)", report).group(1).split(":")[-1])

    elapsed = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", report).group(1)
    parts = [float(p) for p in elapsed.split(":")]
    wall = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    files = int(re.search(r"into (\d+) files", done.stdout).group(1))
    return {"wall": wall, "cpu": number("User time \\(seconds\\)") + number("System time \\(seconds\\)"),
            "rss": number("Maximum resident set size \\(kbytes\\)") / 1024, "files": files}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--corpus", type=Path, help="an existing generated corpus (left unchanged)")
    parser.add_argument("--runs", type=int, default=1, help="builds of each; the fastest CPU time is shown")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="broadsheet-editions-") as folder:
        work = Path(folder)
        single = work / "single"
        if args.corpus:
            shutil.copytree(args.corpus, single)
        else:
            subprocess.run([sys.executable, str(REPO / "benchmarks/generate.py"), "--articles", str(args.articles),
                            "--out", str(single), "--quiet"], check=True)
        editions = work / "editions"
        shutil.copytree(single, editions)
        pairs = as_editions(editions)
        print(f"corpus: {sum(1 for _ in (single / 'content').rglob('*.md'))} articles; as editions: "
              f"{pairs} translation pairs")
        results = {}
        for name, site in (("one site", single), ("four editions", editions)):
            runs = [measure(site, work / f"out-{name}-{n}") for n in range(args.runs)]
            best = min(runs, key=lambda r: r["cpu"])
            results[name] = best
            print(f"{name:14} {best['files']:6d} files  wall {best['wall']:6.1f} s  cpu {best['cpu']:6.1f} s  "
                  f"({best['cpu'] * 1000 / best['files']:.2f} ms a file)  peak {best['rss']:6.0f} MB")
        one, four = results["one site"], results["four editions"]
        print(f"four editions / one site: cpu x{four['cpu'] / one['cpu']:.2f}, files x{four['files'] / one['files']:.2f}, "
              f"cpu a file x{(four['cpu'] / four['files']) / (one['cpu'] / one['files']):.2f}, "
              f"peak memory x{four['rss'] / one['rss']:.2f}")


if __name__ == "__main__":
    main()
