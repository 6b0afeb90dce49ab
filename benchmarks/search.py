#!/usr/bin/env python3
"""Measure search: Pagefind's Python API per call, the index at 1,000 and 10,000 articles, and the
time from typing to results in headless Chromium.

    .venv/bin/python benchmarks/search.py                            # calls, then 1,000 and 10,000 articles
    .venv/bin/python benchmarks/search.py --only calls --calls 40
    .venv/bin/python benchmarks/search.py --only sizes --sizes 1000 --workdir /tmp/search-bench

calls: the same --calls documents (generated here, ~700 words and two headings each, like
    benchmarks/generate.py's articles) indexed by Pagefind's Python API in four ways, each in a
    fresh Pagefind process, in one run: add_html_file awaited one at a time; add_html_file for all
    of them sent at once (asyncio.gather); add_custom_record one at a time; and the way the build
    does it (builder.search.pagefind): written to a folder, one add_directory call. Seconds per
    document, and the start-up and write_files calls apart.

sizes: for each N, a corpus from benchmarks/generate.py (made once in WORKDIR/nN, reused) built
    with search on, in this process, clean. Reported: the build's "search" stage and its parts
    (the key over every document, writing the documents that changed, Pagefind, removing what
    Pagefind left; the rest is moving its files into the staging area), and the whole build's
    time for scale; the bundle's size (bytes and files,
    per language) and what a reader's browser fetches for the first search. Then two rebuilds:
    site.yaml's description changed (the full way runs; nothing the index holds changed, so it
    is kept: the cost is the key) and one article's title changed (the index is made again).

typing: the largest size's output served locally; headless Chromium on the search page; each of
    WORDS typed key by key into the field; the page's own performance measure "broadsheet:search"
    (from the last keystroke to the results and count on screen, including the page's 150 ms
    pause after typing) is read for each. The first word pays for loading the
    language's index and WebAssembly; the median is over the rest.

Wall-clock times on a shared machine carry its noise: compare figures from the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

import builder.build.search as staged_search  # noqa: E402
from builder.audit.browser import chromium  # noqa: E402
from builder.build.pipeline import BuildOptions, build  # noqa: E402
from builder.config.site import load_config  # noqa: E402
from builder.search.pagefind import run_pagefind  # noqa: E402
from builder.serve.http import SiteHandler  # noqa: E402

GENERATOR = REPO / "benchmarks" / "generate.py"
WORDS = ("budget", "council", "museum", "harvest", "flood", "railway", "festival", "pension")
FILLER = ("The council met again on Tuesday to discuss the budget for the coming year, and residents "
          "of the district asked how the new bus lanes, night routes and school repairs would be paid for. ")


# calls -------------------------------------------------------------------------------------------

def documents(count: int) -> list[tuple[str, str]]:
    """(url, html) of `count` articles of some 700 words with two headings each."""
    made = []
    for n in range(count):
        body = "".join(f"<p>{FILLER * 2}Paragraph {n}-{p}.</p>" for p in range(9))
        made.append((f"/news/{n}/", f'<!doctype html><html lang="en"><head><title>Story {n}</title></head><body>'
                                    f"<article data-pagefind-body><h1>Story {n}</h1>{body}<h2 id=\"more\">More</h2>"
                                    f"{body}</article></body></html>"))
    return made


async def _one_by_one(docs, bundle: Path) -> dict:
    from pagefind.index import PagefindIndex

    started = time.perf_counter()
    async with PagefindIndex(config={"output_path": str(bundle)}) as index:
        opened = time.perf_counter()
        for url, html in docs:
            await index.add_html_file(content=html, url=url)
        added = time.perf_counter()
    return {"start_s": opened - started, "add_s": added - opened, "write_s": time.perf_counter() - added}


async def _gathered(docs, bundle: Path) -> dict:
    from pagefind.index import PagefindIndex

    started = time.perf_counter()
    async with PagefindIndex(config={"output_path": str(bundle)}) as index:
        opened = time.perf_counter()
        await asyncio.gather(*(index.add_html_file(content=html, url=url) for url, html in docs))
        added = time.perf_counter()
    return {"start_s": opened - started, "add_s": added - opened, "write_s": time.perf_counter() - added}


async def _records(docs, bundle: Path) -> dict:
    from pagefind.index import PagefindIndex

    started = time.perf_counter()
    async with PagefindIndex(config={"output_path": str(bundle)}) as index:
        opened = time.perf_counter()
        for url, html in docs:
            await index.add_custom_record(url=url, content=html, language="en", meta={"title": url})
        added = time.perf_counter()
    return {"start_s": opened - started, "add_s": added - opened, "write_s": time.perf_counter() - added}


def measure_calls(count: int, work: Path) -> dict:
    docs = documents(count)
    results = {}
    for name, run in (("add_html_file, one at a time", _one_by_one), ("add_html_file, all at once", _gathered),
                      ("add_custom_record, one at a time", _records)):
        shutil.rmtree(work, ignore_errors=True)
        figures = asyncio.run(run(docs, work / "bundle"))
        figures["per_document_s"] = figures["add_s"] / count
        results[name] = figures
    shutil.rmtree(work, ignore_errors=True)
    for url, html in docs:  # the build's way: a folder of documents, one add_directory call
        folder = work / "site" / url.strip("/")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(html, encoding="utf-8")
    started = time.perf_counter()
    run_pagefind(work)
    total = time.perf_counter() - started
    results["folder, one add_directory call (the build)"] = {"total_s": total, "per_document_s": total / count}
    shutil.rmtree(work, ignore_errors=True)
    return {"documents": count, "ways": results}


def report_calls(result: dict) -> None:
    print(f"Pagefind's Python API, {result['documents']} documents:")
    for name, figures in result["ways"].items():
        parts = ", ".join(f"{k.removesuffix('_s')} {v:.2f} s" for k, v in figures.items() if k != "per_document_s")
        print(f"  {name:44} {figures['per_document_s'] * 1000:7.1f} ms a document  ({parts})")


# sizes -------------------------------------------------------------------------------------------

class StageClock:
    """Times the parts of build.search.stage_search_index by wrapping the names it calls."""

    PARTS = ("index_key", "write_documents", "run_pagefind", "remove_bundle", "remove_work")

    def __init__(self):
        self.seconds: dict[str, float] = {}
        for name in self.PARTS:
            setattr(staged_search, name, self._timed(name, getattr(staged_search, name)))

    def _timed(self, name, function):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
        return timed

    def take(self) -> dict[str, float]:
        taken, self.seconds = self.seconds, {}
        return taken


def corpus(workdir: Path, size: int) -> Path:
    site = workdir / f"n{size}"
    if not (site / "benchmark-corpus.json").is_file():
        subprocess.run([sys.executable, str(GENERATOR), "--articles", str(size), "--out", str(site)], check=True,
                       stdout=subprocess.DEVNULL)
    return site


def bundle_size(out: Path) -> dict:
    bundle = out / "pagefind"
    files = [p for p in bundle.rglob("*") if p.is_file() and p.suffix not in (".gz", ".br")]
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    languages = {}
    for lang, facts in entry["languages"].items():
        own = [p for p in files if p.name.startswith(f"{lang}_") or p.name == f"pagefind.{facts['hash']}.pf_meta"]
        languages[lang] = {"pages": facts["page_count"], "files": len(own), "bytes": sum(p.stat().st_size for p in own)}
    first = ["pagefind.js", "pagefind-entry.json", f"pagefind.{entry['languages']['en']['hash']}.pf_meta",
             f"wasm.{entry['languages']['en']['wasm'] or 'unknown'}.pagefind"]
    return {"files": len(files), "bytes": sum(p.stat().st_size for p in files), "languages": languages,
            "first_search_fixed_bytes": sum((bundle / name).stat().st_size for name in first)}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def measure_size(site: Path, clock: StageClock) -> dict:
    out = site / "output"
    started = time.perf_counter()
    result = build(BuildOptions(site, clean=True))
    cold = {"build_s": time.perf_counter() - started, "search_stage_s": result.timings.get("search", 0.0),
            "render_stage_s": result.timings.get("render", 0.0), "parts_s": clock.take()}
    size = bundle_size(out)
    rebuilds = {}
    config = site / "site.yaml"
    manifest = json.loads((site / "benchmark-corpus.json").read_text(encoding="utf-8"))
    article = site / manifest["edit_candidates"][0]
    original_config, original_article = config.read_text(encoding="utf-8"), article.read_text(encoding="utf-8")
    try:
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace("description: ", "description: Benchmark. ", 1), encoding="utf-8")
        started = time.perf_counter()
        result = build(BuildOptions(site))
        rebuilds["site.yaml description (index kept)"] = {
            "build_s": time.perf_counter() - started, "search_stage_s": result.timings.get("search", 0.0),
            "parts_s": clock.take()}
        edit(article, 'title: "', 'title: "Retitled ')
        started = time.perf_counter()
        result = build(BuildOptions(site))
        rebuilds["one title (index made again)"] = {
            "build_s": time.perf_counter() - started, "search_stage_s": result.timings.get("search", 0.0),
            "parts_s": clock.take()}
    finally:
        config.write_text(original_config, encoding="utf-8")
        article.write_text(original_article, encoding="utf-8")
    return {"articles": len(result.archive.pages) if result.archive else None, "cold": cold, "bundle": size,
            "rebuilds": rebuilds}


def report_size(size: int, result: dict) -> None:
    cold, bundle = result["cold"], result["bundle"]
    parts = ", ".join(f"{k} {v:.2f} s" for k, v in cold["parts_s"].items())
    print(f"{size:,} articles: clean build {cold['build_s']:.1f} s (render {cold['render_stage_s']:.1f} s); "
          f"search stage {cold['search_stage_s']:.2f} s ({parts})")
    languages = ", ".join(f"{lang} {f['pages']:,} pages {f['bytes'] / 1e6:.1f} MB" for lang, f in bundle["languages"].items())
    print(f"  bundle: {bundle['bytes'] / 1e6:.1f} MB in {bundle['files']:,} files ({languages}); "
          f"first search fetches {bundle['first_search_fixed_bytes'] / 1e3:.0f} KB + the chunks and fragments it needs")
    for name, figures in result["rebuilds"].items():
        parts = ", ".join(f"{k} {v:.2f} s" for k, v in figures["parts_s"].items())
        print(f"  rebuild, {name}: {figures['build_s']:.1f} s; search stage {figures['search_stage_s']:.2f} s ({parts})")


# typing ------------------------------------------------------------------------------------------

def measure_typing(out: Path, base_path: str, words: tuple[str, ...]) -> dict:
    handler = type("Handler", (SiteHandler,), {"root": out, "base_path": base_path})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    measured = []
    try:
        with chromium() as driver:
            driver.get(f"http://127.0.0.1:{server.server_address[1]}{base_path}search/")
            page = driver.find_element(By.CSS_SELECTOR, "[data-search-page]")
            WebDriverWait(driver, 60).until(lambda d: page.get_attribute("data-search-done") is not None)
            for word in words:
                field = driver.find_element(By.ID, "search-query")
                field.clear()
                for key in word:
                    field.send_keys(key)
                WebDriverWait(driver, 120, poll_frequency=0.01).until(
                    lambda d, word=word: page.get_attribute("data-search-done") == f"q={word}")
                ms = driver.execute_script(
                    "var m = performance.getEntriesByName('broadsheet:search'); return m[m.length - 1].duration")
                count = driver.find_element(By.CSS_SELECTOR, "[data-search-status]").text
                measured.append({"word": word, "ms": ms, "status": count})
    finally:
        server.shutdown()
        server.server_close()
    rest = [m["ms"] for m in measured[1:]]
    return {"rounds": measured, "first_ms": measured[0]["ms"], "median_rest_ms": statistics.median(rest) if rest else None}


def report_typing(size: int, result: dict) -> None:
    rounds = ", ".join(f"{m['word']} {m['ms']:.0f}" for m in result["rounds"])
    print(f"typing to results on the {size:,}-article site (ms, including the 150 ms pause): first "
          f"{result['first_ms']:.0f}, median of the rest {result['median_rest_ms']:.0f} ({rounds})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=("calls", "sizes"), help="measure one part only (sizes includes typing)")
    parser.add_argument("--calls", type=int, default=40, help="documents for the per-call figures (40)")
    parser.add_argument("--sizes", default="1000,10000", help="archive sizes, comma-separated (1000,10000)")
    parser.add_argument("--workdir", type=Path, help="where corpora are kept between runs (default: a temporary folder)")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args(argv)
    figures: dict = {}
    with tempfile.TemporaryDirectory(prefix="broadsheet-search-bench-") as temporary:
        workdir = args.workdir or Path(temporary)
        workdir.mkdir(parents=True, exist_ok=True)
        if args.only in (None, "calls"):
            figures["calls"] = measure_calls(args.calls, workdir / "calls")
            report_calls(figures["calls"])
        if args.only in (None, "sizes"):
            clock = StageClock()
            sizes = [int(s) for s in args.sizes.split(",") if s]
            for size in sizes:
                site = corpus(workdir, size)
                figures[f"n{size}"] = measure_size(site, clock)
                report_size(size, figures[f"n{size}"])
            largest = corpus(workdir, max(sizes))
            build(BuildOptions(largest))  # as the last measurement left it (its edits undone)
            base_path = load_config(largest).base_path
            figures["typing"] = measure_typing(largest / "output", base_path, WORDS)
            report_typing(max(sizes), figures["typing"])
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
