#!/usr/bin/env python3
"""What a distributed build would move: the sizes behind docs/scaling.md.

    .venv/bin/broadsheet build --site /tmp/corpus            # a generated corpus (benchmarks/generate.py)
    .venv/bin/python benchmarks/model_sizes.py /tmp/corpus

Reads the build cache of a built site and prints the average Markdown file, the pickled
`Article` (what a parse task returns, and what the archive sent to render workers is made of),
the CPU time of building the archive model, and the files and HTML bytes of the output.
"""

from __future__ import annotations

import argparse
import pickle
import time
from pathlib import Path

from builder.build.context import open_cache, read_inputs
from builder.build.pipeline import BuildOptions
from builder.content.archive import build_archive


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    inputs = read_inputs(BuildOptions(args.site))
    articles = [hit.article for hit in open_cache(inputs).articles().values()]
    if not articles:
        raise SystemExit(f"{args.site} has no build cache: build it first")
    count = len(articles)
    markdown = sum((args.site / a.source).stat().st_size for a in articles)
    pickled = sum(len(pickle.dumps(a)) for a in articles)
    started = time.process_time()
    for _ in range(args.repeat):
        build_archive(inputs.config, articles, now=inputs.now)
    archive_ms = (time.process_time() - started) / args.repeat * 1000
    output = inputs.options.output
    files = [p for p in output.rglob("*") if p.is_file() and not p.relative_to(output).parts[0].startswith(".")
             and p.suffix not in (".gz", ".br") and p.relative_to(output).parts[0] != "pagefind"]
    html = sum(p.stat().st_size for p in files if p.suffix == ".html")
    print(f"{count} articles")
    print(f"  Markdown            {markdown / count:8.0f} B an article")
    print(f"  pickled Article     {pickled / count:8.0f} B an article")
    print(f"  archive model       {archive_ms:8.0f} ms CPU")
    print(f"  output              {len(files):8d} files (no .gz/.br, no search bundle), {html / 1e6:.1f} MB of HTML")


if __name__ == "__main__":
    main()
