#!/usr/bin/env python3
"""Pages per second of a cold `broadsheet audit --sample N --no-cache`, per variant, and whether each
variant finds exactly what the first one finds.

    python benchmarks/generate.py --articles 1000 --out /tmp/corpus && broadsheet build --site /tmp/corpus
    .venv/bin/python benchmarks/audit_speed.py --site /tmp/corpus --sample 60 --rounds 3 \\
        --variants before,now [--planted] [--example]

Each round runs every variant once, in turn, so that all of them see the same machine (a noisy
one, with two cores): the ratios are taken per round against the first variant, and their median
is reported. A variant is a set of the audit's levers (VARIANTS below: browser, flags, workers,
which reader states run where); `before` is the audit as it was before issue 20's levers.

The findings compared are (page, rule, kind, state, target, snippet, detail) of every finding. The
corpus has none, so `--planted` also audits a copy of its output with defects written into the
<main> of some sampled articles (an image without alt, faint text, text lost only in the dark, a box
wider than a phone, an empty link and button, text on a background image...), and `--example` the
example site in this repository; each variant must find on them exactly what the first finds.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import builder.audit.run as run
import builder.audit.states as states
from builder.audit.pages import list_pages, sample_pages
from builder.audit.run import AuditOptions, audit_site
from builder.config.site import load_config

REPO = Path(__file__).resolve().parents[1]


def _patch(stack: ExitStack, target, name: str, value) -> None:
    stack.enter_context(mock.patch.object(target, name, value))


def _before(stack: ExitStack) -> None:
    """The audit before issue 20's levers: the full Chromium, sent the pictures themselves."""
    _patch(stack, run, "HEADLESS_SHELL", False)
    _patch(stack, run, "STAND_INS", False)


def _no_shell(stack: ExitStack) -> None:
    _patch(stack, run, "HEADLESS_SHELL", False)


def _pictures(stack: ExitStack) -> None:
    _patch(stack, run, "STAND_INS", False)


def _no_images(stack: ExitStack) -> None:
    """Browsers started with images switched off: tried and not kept, as an image with alt text then
    shows its text instead of a box of its width and height (so layout changes); the swap of a page
    waits for images that never load, up to 10 s each, so swaps are off too."""
    _patch(stack, run, "AUDIT_FLAGS", (*run.AUDIT_FLAGS, "--blink-settings=imagesEnabled=false"))
    _patch(stack, run, "swap_key", lambda html: None)


def _violations_only(stack: ExitStack) -> None:
    _patch(stack, states, "AXE_OPTIONS", {**states.AXE_OPTIONS, "resultTypes": ["violations"]})


def _skip_states(stack: ExitStack) -> None:
    """Not a lever but its bound: no reflow, layout or dark run on pages audited inside <main> (the
    two viewport switches still happen). Unsound: it misses what those states find there."""
    skip = "const [options, scope] = args;\nif (scope) return {reflow: {overflow: false}, results: null, dark: false};"
    _patch(stack, states, "_LG_320", states._LG_320.replace("const [options, scope] = args;", skip))


def _nothing(stack: ExitStack) -> None:
    pass


# name -> (workers, what it changes from the code as it is now)
VARIANTS: dict[str, tuple[int, Callable[[ExitStack], None]]] = {
    "before": (2, _before),
    "now": (2, _nothing),
    "workers3": (3, _nothing),
    "workers4": (4, _nothing),
    "noshell": (2, _no_shell),
    "pictures": (2, _pictures),
    "noimages": (2, _no_images),
    "violations": (2, _violations_only),
    "skipstates": (2, _skip_states),
}


@contextmanager
def variant(name: str) -> Iterator[int]:
    workers, patch = VARIANTS[name]
    with ExitStack() as stack:
        patch(stack)
        yield workers


def audit(site: Path, output: Path, reports: Path, workers: int, sample: int | None):
    return audit_site(load_config(site), AuditOptions(site, output_dir=output, report_dir=reports, workers=workers,
                                                      sample=sample, use_cache=False))


def findings(result) -> set[tuple]:
    return {(f.page, f.rule, f.kind, f.state, f.target, f.snippet, f.detail) for f in result.findings}


PLANTED = """
<p><img src="{image}" width="40" height="20"></p>
<p style="color: #b0b0b0">This planted text is hard to read.</p>
<style>@media (prefers-color-scheme: dark) {{ .planted-dark {{ color: #3a3a3a; }} }}</style>
<p class="planted-dark">Only dark mode hides this planted text.</p>
<div style="width: 700px">A planted fixed-width box.</div>
<p>An empty link <a href="{home}"></a> and an empty button <button type="button"></button>.</p>
<p lang="english">A made-up language.</p>
<p style="background-image: url({image}); color: #777777">Planted text on a photo.</p>
<p style="background-image: url({image}); color: #777777">More planted text on a photo.</p>
"""


def plant(site: Path, output: Path, into: Path, sample: int) -> int:
    """A copy of `output` with PLANTED in the <main> of every third sampled article; returns how many."""
    if into.exists():
        shutil.rmtree(into)
    shutil.copytree(output, into, copy_function=os.link)  # hard links: the pages planted into are rewritten
    config = load_config(site)
    pages = sample_pages(list_pages(output, config.base_path, {s.key for s in config.sections}, site), sample, 0)
    articles = [p for p in pages if p.kind == "article"][::3]
    for page in articles:
        file = into / page.path
        html = file.read_text(encoding="utf-8")
        image = re.search(r'<img\b[^>]*\bsrc="([^"]+)"', html)
        block = PLANTED.format(image=image.group(1) if image else config.base_path + "missing.png",
                               home=config.base_path)
        file.unlink()
        file.write_text(html.replace("</main>", block + "</main>", 1), encoding="utf-8")
    return len(articles)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, required=True, help="a built site, e.g. a generated corpus")
    parser.add_argument("--sample", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--variants", default="before,now", help=f"comma-separated, of: {', '.join(VARIANTS)}")
    parser.add_argument("--planted", action="store_true", help="also compare findings on a copy with planted defects")
    parser.add_argument("--example", action="store_true", help="also compare findings on the example site")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "audit-speed")
    args = parser.parse_args()
    names = args.variants.split(",")
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        parser.error(f"unknown variant(s): {', '.join(unknown)}")
    args.work.mkdir(parents=True, exist_ok=True)
    reports = args.work / "report"

    rates: dict[str, list[float]] = {n: [] for n in names}
    ratios: dict[str, list[float]] = {n: [] for n in names}
    for number in range(1, args.rounds + 1):
        first = None
        for name in names:
            with variant(name) as workers:
                result = audit(args.site, args.site / "output", reports, workers, args.sample)
            rate = result.pages_per_second
            first = first or rate
            rates[name].append(rate)
            ratios[name].append(rate / first)
            print(f"round {number}  {name:12} {len(result.pages)} pages in {result.seconds:5.1f} s: "
                  f"{rate:4.2f} pages/s ({rate / first:.2f}x)  "
                  f"{len(result.findings)} findings", flush=True)

    print(f"\ncold audit, --sample {args.sample} --no-cache, {args.rounds} round(s) "
          "(median pages/s, median ratio to the first variant):")
    for name in names:
        print(f"  {name:12} {statistics.median(rates[name]):5.2f} pages/s  {statistics.median(ratios[name]):.2f}x")

    checks = []
    if args.planted:
        planted = args.work / "planted"
        count = plant(args.site, args.site / "output", planted, args.sample)
        checks.append((f"corpus with defects planted in {count} articles", args.site, planted, args.sample))
    if args.example:
        from builder.build.pipeline import BuildOptions, build

        example = args.work / "example"
        build(BuildOptions(REPO, output_dir=example))
        checks.append(("example site", REPO, example, None))
    same = True
    for label, site, output, sample in checks:
        seen: dict[str, set] = {}
        for name in names:
            with variant(name) as workers:
                seen[name] = findings(audit(site, output, reports, workers, sample))
        base = seen[names[0]]
        rules = sorted({(kind, rule, state) for _, rule, kind, state, *_ in base})
        print(f"\n{label}: {len(base)} findings with {names[0]} "
              f"({', '.join(f'{k} {r} ({s})' for k, r, s in rules) or 'none'})")
        for name in names[1:]:
            missing, extra = base - seen[name], seen[name] - base
            same = same and not missing and not extra
            print(f"  {name:12} " + ("the same findings" if not missing and not extra else
                                     f"DIFFERENT: {len(missing)} missing, {len(extra)} more"))
            for finding in sorted(missing)[:5]:
                print(f"      missing {finding[:5]}")
            for finding in sorted(extra)[:5]:
                print(f"      more    {finding[:5]}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
