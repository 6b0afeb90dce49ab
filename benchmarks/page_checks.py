#!/usr/bin/env python3
"""Time the build's per-page checks: html.parser (as before) against the one-pass tokenizer.

    .venv/bin/python benchmarks/generate.py --articles 1000 --out /tmp/pc/site
    .venv/bin/broadsheet build --site /tmp/pc/site
    .venv/bin/python benchmarks/page_checks.py /tmp/pc/site/output

Both read every .html page of the output with the same checkers (builder.checks.fast and the
link scan); "html.parser" runs two passes through the standard library's parser, as the build did
before builder/checks/tokens.py, "one pass" is builder.checks.page.inspect_page. CPU time of this
process (time.process_time), so other processes on the machine matter less.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from builder.checks.fast import _Checker, findings_of
from builder.checks.page import inspect_page
from builder.checks.scan import _Scanner
from builder.checks.tokens import feed_with_html_parser


def with_html_parser(path: str, html: str):
    scanner, checker = _Scanner(), _Checker()
    feed_with_html_parser(scanner, html)
    feed_with_html_parser(checker, html)
    return scanner.scan, findings_of(checker, path, (), None)


def main() -> int:
    output = Path(sys.argv[1] if len(sys.argv) > 1 else "output")
    pages = [(p.relative_to(output).as_posix(), p.read_text(encoding="utf-8")) for p in sorted(output.rglob("*.html"))]
    if not pages:
        sys.exit(f"no .html pages under {output}")
    timings = {}
    for label, check in (("html.parser, two passes", with_html_parser), ("one pass", inspect_page)):
        started = time.process_time()
        for path, html in pages:
            check(path, html)
        timings[label] = (time.process_time() - started) / len(pages) * 1000
    print(f"{len(pages)} pages, {sum(len(h) for _, h in pages) / len(pages) / 1024:.1f} KB each on average")
    for label, ms in timings.items():
        print(f"  {label:<24} {ms:6.2f} ms/page")
    print(f"  speed-up: {timings['html.parser, two passes'] / timings['one pass']:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
