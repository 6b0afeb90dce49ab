#!/usr/bin/env python3
"""Measure `broadsheet serve`'s save-to-visible latency in headless Chromium.

    .venv/bin/python benchmarks/preview_latency.py                       # example site + 10,000 articles
    .venv/bin/python benchmarks/preview_latency.py --only example
    .venv/bin/python benchmarks/preview_latency.py --only generated --articles 10000 --corpus /tmp/corpus10k

For each site: the preview (the same Preview + SiteBuild that `broadsheet serve` runs, watching
the files) is started on a copy of the site, one article is opened in headless Chromium, and then
`--repeat` times (default 5) a paragraph with a unique word is appended to that article's Markdown
file. The latency is the time from the write returning to the word being in the page's text, as
seen by polling the browser every 10 ms (so the figures carry up to ~10 ms of polling error on top).
Each round waits for the previous one to be visible. Reports every round, the median, and how much
of it was the build itself (the rest is the 100 ms debounce, the event, the reload and rendering).

With search on (the default; `--search off` turns it off in the copy's site.yaml), the preview shows
an edit before the search index has it, and makes the index again once no edit came for 2 s: the
report says how long after the last save the index was up to date.

- example: the repository's site.yaml, content/ and static/, copied to a temporary folder (the
  repository itself is never written to).
- generated: `benchmarks/generate.py --articles N --out DIR` (skipped, and said so, when
  generate.py is not there); the article edited is the first of its manifest's edit candidates.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from builder.audit.browser import chromium  # noqa: E402
from builder.commands.preview import SiteBuild  # noqa: E402
from builder.serve.server import Preview  # noqa: E402

GENERATOR = REPO / "benchmarks" / "generate.py"


class TimedBuild:
    """The preview's build callable, timed."""

    def __init__(self, build: SiteBuild):
        self.build, self.seconds = build, []

    def __call__(self):
        started = time.perf_counter()
        try:
            return self.build()
        finally:
            self.seconds.append(time.perf_counter() - started)

    def __getattr__(self, name):
        return getattr(self.build, name)


def copy_example(dest: Path) -> tuple[Path, str]:
    dest.mkdir(parents=True)
    shutil.copy2(REPO / "site.yaml", dest / "site.yaml")
    shutil.copytree(REPO / "content", dest / "content")
    if (REPO / "static").is_dir():
        shutil.copytree(REPO / "static", dest / "static")
    if (REPO / "templates").is_dir():
        shutil.copytree(REPO / "templates", dest / "templates")
    return dest, ""


def generated(dest: Path, articles: int, corpus: Path | None) -> tuple[Path, str] | None:
    if corpus is None:
        if not GENERATOR.is_file():
            return None
        subprocess.run([sys.executable, str(GENERATOR), "--articles", str(articles), "--out", str(dest)], check=True)
        corpus = dest
    manifest = json.loads((corpus / "benchmark-corpus.json").read_text(encoding="utf-8"))
    return corpus, manifest["edit_candidates"][0]


def pin_code_fingerprint() -> None:
    """Fingerprint Broadsheet's code once, as loaded, instead of re-reading builder/*.py per build.

    The build cache is keyed by the code on disk; in a checkout others are editing, a rebuild during
    the measurement would otherwise turn into a full rebuild. The running process uses the code it
    loaded, so the pinned value is the right one for it.
    """
    import functools

    from builder.build import pipeline

    if hasattr(pipeline, "code_fingerprint"):
        pipeline.code_fingerprint = functools.cache(pipeline.code_fingerprint)


def pick_article(site: Path, article_file: str = ""):
    """The article to edit: `article_file` (relative to the site), or the first English article that
    is not a draft. Parsed here, not taken from the first build: a build that finds its output up to
    date, or that redoes only an article's body, reads no archive."""
    from builder.config.site import load_config
    from builder.content.article import Article, ContentContext
    from builder.content.parse import parse_article
    from builder.content.sources import SourceFile, list_sources, read_source, scan_static

    config = load_config(site)
    static = scan_static(config.static_dir)
    ctx = ContentContext(config=config, image_sizes={k: v.dimensions for k, v in static.items() if v.dimensions},
                         static_paths=frozenset(static))
    for entry in list_sources(config.site_dir, config.content_dir):
        if article_file and entry.name != article_file:
            continue
        source = read_source(entry)
        article = parse_article(source, ctx) if isinstance(source, SourceFile) else None
        if isinstance(article, Article) and (article_file or (article.lang == "en" and not article.draft)):
            return article
    raise SystemExit(f"{site}: no article to edit" + (f" at {article_file}" if article_file else ""))


def set_search(site: Path, enabled: bool) -> None:
    import yaml

    config = site / "site.yaml"
    data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    if data.get("search", {}).get("enabled", True) != enabled:
        data.setdefault("search", {})["enabled"] = enabled
        config.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def measure(site: Path, article_file: str, repeat: int, label: str, search: bool = True) -> dict:
    set_search(site, search)
    pin_code_fingerprint()
    build = SiteBuild(site)
    timed = TimedBuild(build)
    lines: list[str] = []
    preview = Preview(timed, build.output, watch=build.watch_roots, display_root=build.site_dir, echo=lines.append)
    started = time.perf_counter()
    if not preview.rebuild("first build"):
        raise SystemExit(f"{label}: the first build failed:\n" + "\n".join(lines[:20]))
    first_build = time.perf_counter() - started
    preview.start()
    try:
        article = pick_article(site, article_file)
        source = site / article.source
        url = preview.url + article.path
        rounds, builds = [], []
        search_s = None
        with chromium() as driver:
            driver.get(url)
            WebDriverWait(driver, 60, poll_frequency=0.01).until(lambda d: d.execute_script(
                "return !!window.broadsheetPreview && window.broadsheetPreview.messages > 0"))
            for _ in range(repeat):
                word = f"Latency{uuid.uuid4().hex[:10]}"
                text = source.read_text(encoding="utf-8") + f"\nA paragraph with {word} in it.\n"
                before = len(timed.seconds)
                source.write_text(text, encoding="utf-8")
                written = time.perf_counter()
                WebDriverWait(driver, 1800, poll_frequency=0.01).until(lambda d, word=word: d.execute_script(
                    "return document.readyState !== 'loading' && !!document.body"
                    " && document.body.innerText.indexOf(arguments[0]) >= 0", word))
                rounds.append(time.perf_counter() - written)
                builds.append(sum(timed.seconds[before:]))
            if build.result is not None and build.result.search_catch_up is not None:
                done = preview.later_done
                if preview.wait_for_later(done + 1, 3600):
                    search_s = time.perf_counter() - written
    finally:
        preview.stop()
    return {
        "site": label, "articles": build.articles, "files": preview.files,
        "first_build_s": first_build, "rounds_s": rounds, "median_s": statistics.median(rounds),
        "build_median_s": statistics.median(builds), "article": str(article.source),
        "last_build_stages_s": dict(build.result.timings) if build.result else {},
        "search": search, "search_up_to_date_s": search_s,
    }


def report(result: dict) -> None:
    rounds = ", ".join(f"{r * 1000:.0f}" for r in result["rounds_s"])
    print(f"{result['site']}: {result['articles']:,} articles, {result['files']:,} files; "
          f"first build {result['first_build_s']:.1f} s; edited {result['article']}")
    print(f"  save-to-visible: median {result['median_s'] * 1000:.0f} ms (rounds: {rounds} ms); "
          f"of which the incremental build: median {result['build_median_s'] * 1000:.0f} ms")
    stages = ", ".join(f"{k} {v * 1000:.0f}" for k, v in result["last_build_stages_s"].items())
    print(f"  last build by stage (ms): {stages}")
    if result["search_up_to_date_s"] is not None:
        print(f"  search index up to date {result['search_up_to_date_s']:.1f} s after the last save "
              "(2 s of quiet, then Pagefind over the archive while the preview serves)")
    elif not result["search"]:
        print("  search: off")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=("example", "generated"), help="measure one site only")
    parser.add_argument("--articles", type=int, default=10000, help="size of the generated archive (10000)")
    parser.add_argument("--corpus", type=Path, help="an existing generate.py corpus to use (it is edited! "
                        "--search off writes its site.yaml)")
    parser.add_argument("--repeat", type=int, default=5, help="edits per site (5); the median is reported")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--search", choices=("on", "off"), default="on",
                        help="search in the site.yaml of the site measured (on)")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="broadsheet-latency-") as work:
        work = Path(work)
        if args.only in (None, "example"):
            site, article = copy_example(work / "example")
            results.append(measure(site, article, args.repeat, "example site", args.search == "on"))
            report(results[-1])
        if args.only in (None, "generated"):
            found = generated(work / "generated", args.articles, args.corpus)
            if found is None:
                print(f"generated archive: skipped, {GENERATOR.relative_to(REPO)} is not there")
            else:
                site, article = found
                results.append(measure(site, article, args.repeat, f"generated archive ({args.articles:,})",
                                       args.search == "on"))
                report(results[-1])
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
