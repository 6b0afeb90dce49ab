#!/usr/bin/env python3
"""Time the build's per-page checks: the two html.parser passes (as before) against the one pass.

    .venv/bin/python benchmarks/generate.py --articles 1000 --out /tmp/pc/site
    .venv/bin/broadsheet build --site /tmp/pc/site --no-link-check
    .venv/bin/python benchmarks/page_checks.py /tmp/pc/site/output [--repeat 3]

Both read every .html page of the output. "html.parser, two passes" is the implementation the
build ran before builder/checks/page.py (kept as the tests' oracle in
tests/checks/html_parser_oracle.py): the link scan, then the fast checks, each an html.parser
subclass. "one pass" is builder.checks.page.inspect_page. Both give the same scans and findings
(checked here on every page as well). CPU time of this process (time.process_time), alternating
the two in each round, the best round of each counted, so other work on the machine matters less.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository, for tests.checks

from builder.checks.page import inspect_page
from tests.checks import html_parser_oracle as oracle


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", nargs="?", default="output", type=Path, help="a built site's output folder")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of each (default 3)")
    args = parser.parse_args()
    pages = [(p.relative_to(args.output).as_posix(), p.read_text(encoding="utf-8"))
             for p in sorted(args.output.rglob("*.html"))]
    if not pages:
        sys.exit(f"no .html pages under {args.output}")

    for path, html in pages:
        new, old = inspect_page(path, html), oracle.inspect_page(path, html)
        if (new[0].ids, new[0].links, new[1]) != (old[0].ids, old[0].links, old[1]):
            sys.exit(f"{path}: the one pass and html.parser disagree")

    readers = {"html.parser, two passes": oracle.inspect_page, "one pass": inspect_page}
    best = {label: float("inf") for label in readers}
    for _ in range(args.repeat):
        for label, inspect in readers.items():
            started = time.process_time()
            for path, html in pages:
                inspect(path, html)
            best[label] = min(best[label], (time.process_time() - started) / len(pages) * 1000)

    print(f"{len(pages)} pages, {sum(len(h) for _, h in pages) / len(pages) / 1024:.1f} KB each on average, "
          f"best of {args.repeat} rounds (CPU time)")
    for label, ms in best.items():
        print(f"  {label:<24} {ms:6.3f} ms/page")
    print(f"  speed-up: {best['html.parser, two passes'] / best['one pass']:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
