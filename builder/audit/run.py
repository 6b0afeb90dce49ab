"""`broadsheet audit`: serve the output over HTTP on 127.0.0.1, audit every page, report.

Every page gets the fast checks (builder.checks.fast). Pages whose cache key changed are opened in
headless Chromium: one browser per worker thread, reused for all its pages, each page checked in
every reader state (builder.audit.states). Results are cached in the report folder, so a re-audit
opens only the pages that changed.

Audited once and not per page (why that is sound is in builder.audit.states): the shell of each
template (markup outside <main>, <html>, style sheets, hashed by shell_of) and the page-level
rules, on the first page with that shell; and colour contrast per style signature, shared by all
workers and shells, its findings still reported on every page that has them.

Pages that differ only inside <main> (and in head elements that neither render nor run) are given
to the workers together, and a worker swaps each one into the document of the last instead of
loading it, when that is sure to give the same DOM (builder.audit.reuse).

Pictures reach the browsers as stand-ins (stand_in): an empty SVG of each picture's size. Boxes,
load events, srcset choices and the DOM are those of the real pictures (a browser test compares
every element's box on the example site at 1280 px and at 320 px with text size LG), axe reads no
pixel, and the browser has nothing to decode.

Speed, measured with benchmarks/audit_speed.py on a generated 1,000-article corpus (--sample 60
--no-cache: 75 pages, two workers on two cores, each variant alternated with the others in every
round, on a machine busy with other work; the same findings on the corpus, on a copy with defects
planted into 8 articles, 104 findings, and on the example site):
- chromium-headless-shell where installed (builder.audit.browser): 1.20x the pages per second
  (median of 3 rounds: 1.20, 1.09, 1.34; 1.12 and 1.34 in an earlier run)
- pictures as stand-ins: 1.22x (1.22, 0.90, 1.43)
- both: 1.34x (1.34, 1.11, 1.39). The machine's load kept the absolute rates low (1.15 pages/s
  before, 1.45 after, medians); on a quiet machine the audit before did 3.1-3.4 pages/s.
Tried and not kept:
- more browsers than cores: 3 workers gave 0.62-0.85x and 4 workers 0.71-0.85x the pages per
  second of 2, in every round: the browsers wait on nothing but the CPU (their files come over
  loopback, and are cached).
- browsers started with images off (--blink-settings=imagesEnabled=false): an image with alt text
  is then laid out as its text, not as a box of its width and height (the fixture's captioned
  chart: 143x24 px instead of 40x20), so reflow and target sizes could change; and a page swap
  waited for images that never load.
- axe's resultTypes ['violations'], and running the reflow and dark states only on pages with new
  style signatures: see builder.audit.states.

Findings that the site's accessibility baseline accepts (builder.checks.baseline) are marked
`known`: every report lists them apart, and they never fail the audit.

Before a browser is started, the audit looks for Debian's Chromium and ChromeDriver; when one is
missing it stops with one line naming the apt command, not a WebDriver error per worker.
"""

from __future__ import annotations

import collections
import hashlib
import mimetypes
import os
import posixpath
import re
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from builder.audit.cache import AuditCache, page_key
from builder.audit.pages import AssetDigests, Page, list_pages, sample_pages
from builder.audit.reuse import swap_key
from builder.checks.baseline import known_findings, load_baseline
from builder.checks.fast import SourceLines, start_tag
from builder.checks.findings import IMPACTS, Finding, impact_rank
from builder.checks.page import check_page
from builder.config.site import SiteConfig

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

    from builder.audit.states import ContrastMemory, StateRunner

AXE_PATH = "/__broadsheet_audit__/axe.min.js"
# A larger young generation: axe allocates its virtual DOM afresh for every run, and fewer, larger
# scavenges cost 8-11 % less CPU per page (benchmarks/audit_cpu.py). Only the heap's size changes.
AUDIT_FLAGS = ("--js-flags=--min-semi-space-size=32 --max-semi-space-size=64",)
HEADLESS_SHELL = True  # chromium-headless-shell when installed (builder.audit.browser)
STAND_INS = True  # pictures served as empty SVGs of their size (stand_in)
PICTURES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif")
DEFAULT_REPORT_DIR = "audit-report"


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class AuditOptions:
    site_dir: Path
    output_dir: Path | None = None  # default: <site>/output
    report_dir: Path | None = None  # default: <site>/audit-report
    workers: int = field(default_factory=default_workers)
    sample: int | None = None  # audit every template plus this many random pages
    seed: int = 0
    fail_on: str | None = None  # default: site.yaml audit.fail_on
    allow: tuple[tuple[str, str], ...] = ()  # (rule, reason) on top of site.yaml audit.allow
    use_cache: bool = True
    progress: Callable[[int, int, int], None] | None = field(default=None, compare=False)  # done, total, cached

    @property
    def output(self) -> Path:
        return self.output_dir if self.output_dir is not None else self.site_dir / "output"

    @property
    def reports(self) -> Path:
        return self.report_dir if self.report_dir is not None else self.site_dir / DEFAULT_REPORT_DIR


@dataclass
class PageResult:
    page: Page
    findings: list[Finding]
    cached: bool
    browser: bool  # False when only the fast checks ran (audit error before the browser, or none needed)
    seconds: float = 0.0  # time in the browser (0 for a cached page)


@dataclass
class AuditResult:
    config: SiteConfig
    options: AuditOptions
    pages: list[PageResult]
    total_pages: int  # in the output, before sampling
    seconds: float
    axe_version: str
    tags: tuple[str, ...]
    fail_on: str
    allow: dict[str, str]
    workers: int
    baseline_file: str = ""  # the accessibility baseline the findings were matched against, if any

    @property
    def findings(self) -> list[Finding]:
        return [f for p in self.pages for f in p.findings]

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.kind == "violation"]

    @property
    def failing(self) -> list[Finding]:
        """Violations at or above --fail-on that no allow entry excuses."""
        least = impact_rank(self.fail_on)
        return [f for f in self.violations if not f.allowed and not f.known and impact_rank(f.impact) >= least]

    @property
    def known(self) -> list[Finding]:
        """Findings the site's accessibility baseline accepts: reported apart, never failing."""
        return [f for f in self.findings if f.known]

    @property
    def cached(self) -> int:
        return sum(1 for p in self.pages if p.cached)

    @property
    def pages_per_second(self) -> float:
        return len(self.pages) / self.seconds if self.seconds > 0 else float("inf")

    def seconds_by_kind(self) -> dict[str, tuple[int, float]]:
        """Kind of page -> (pages opened in the browser, mean seconds each)."""
        times: dict[str, list[float]] = {}
        for page in self.pages:
            if not page.cached and page.seconds:
                times.setdefault(page.page.kind, []).append(page.seconds)
        return {kind: (len(t), sum(t) / len(t)) for kind, t in sorted(times.items(), key=lambda kv: -len(kv[1]))}

    @property
    def exit_code(self) -> int:
        return 1 if self.failing else 0


class AuditFailed(Exception):
    """The audit could not run (no browser, no output, a report folder inside the output)."""


_REFRESH = re.compile(rb"""(http-equiv\s*=\s*["']?)refresh""", re.I)


class _Handler(BaseHTTPRequestHandler):
    """GET only, files of the output under the base path, and axe.min.js at AXE_PATH. Subclassed per server."""

    root: Path
    base_path: str
    axe: bytes
    no_refresh: frozenset[str]  # redirect pages, served with their refresh switched off
    stand_ins: dict[Path, bytes | None] | None  # pictures served as empty SVGs of their size (None: as they are)
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        path = unquote(urlsplit(self.path).path)
        if path == AXE_PATH:
            return self._send(200, "text/javascript; charset=utf-8", self.axe, "max-age=86400, immutable")
        file = None
        if path.startswith(self.base_path) and "\0" not in path:
            rel = posixpath.normpath("/" + path[len(self.base_path):]).lstrip("/")
            candidate = (self.root / rel).resolve() if rel not in ("", ".") else self.root
            if candidate.is_relative_to(self.root) and not any(p.startswith(".") for p in rel.split("/")):
                if candidate.is_dir() and path.endswith("/"):
                    candidate = candidate / "index.html"
                file = candidate if candidate.is_file() else None
        if file is None:
            return self._send(404, "text/plain; charset=utf-8", b"not found", "no-store")
        if self.stand_ins is not None and file.suffix.lower() in PICTURES:
            if file not in self.stand_ins:
                self.stand_ins[file] = stand_in(file)
            if (svg := self.stand_ins[file]) is not None:
                return self._send(200, "image/svg+xml", svg, "max-age=3600")
        body = file.read_bytes()
        if file.suffix == ".html" and file.relative_to(self.root).as_posix() in self.no_refresh:
            # A redirect page would leave before axe saw it.
            body = _REFRESH.sub(rb"\1x-audit-refresh", body)
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml"):
            kind += "; charset=utf-8"
        # One audit, one server on a new port: nothing changes while it runs, so the browser may cache.
        self._send(200, kind, body, "max-age=3600")

    def _send(self, status: int, kind: str, body: bytes, cache: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        self.end_headers()
        self.wfile.write(body)


def _server(output: Path, base_path: str, axe_file: str, no_refresh: set[str],
            stand_ins: bool = False) -> ThreadingHTTPServer:
    """The output over HTTP on 127.0.0.1, on a free port, in a thread of its own (`stand_ins`: each
    picture as an empty SVG of its size, see stand_in)."""
    handler = type("AuditHandler", (_Handler,), {
        "root": output.resolve(), "base_path": base_path, "axe": Path(axe_file).read_bytes(),
        "no_refresh": frozenset(no_refresh), "stand_ins": {} if stand_ins else None,
    })
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="audit-server", daemon=True).start()
    return server


def stand_in(file: Path) -> bytes | None:
    """An empty SVG of the picture's size, as the browser would orient it; None when its size cannot
    be read (then the picture itself is served).

    An image's box, its load and its DOM are the same with either, so every rule and the reflow
    measurement see what they would with the picture: axe reads no pixel of an image (it reports
    text over one as needing review), and the browser has nothing to decode.
    """
    from PIL import Image

    try:
        with Image.open(file) as picture:
            width, height = picture.size
            exif = picture.getexif()
            if exif.get(0x0112, 1) in (5, 6, 7, 8):  # EXIF orientation: turned a quarter
                width, height = height, width
            resolution = exif.get(0x011A)  # Chromium sizes a picture by an EXIF resolution other than 72 dpi
    except Exception:  # not a picture Pillow can read: serve it as it is
        return None
    if width <= 0 or height <= 0 or (resolution is not None and float(resolution) != 72):
        return None
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"></svg>'.encode()


def _check_report_dir(options: AuditOptions) -> None:
    output, reports = options.output.resolve(), options.reports.resolve()
    if reports == output or reports.is_relative_to(output):
        raise AuditFailed(f"the report folder {options.reports} is inside the output folder {options.output}: "
                          "reports would be deployed with the site; choose a folder beside it")
    if output.is_relative_to(reports):
        raise AuditFailed(f"the report folder {options.reports} contains the output folder {options.output}")


def _axe() -> tuple[str, str]:
    """axe-core's script and version, from axe-selenium-python."""
    try:
        from builder.audit.axe import axe_script_path, axe_version

        return axe_script_path(), axe_version()
    except ImportError as exc:
        raise AuditFailed(f"the audit needs selenium and axe-selenium-python, which come with Broadsheet ({exc}): "
                          "pip install --upgrade broadsheet") from None


def _check_browser() -> None:
    from builder.audit.browser import BrowserMissing, chromedriver_path, chromium_path

    try:
        found = all(Path(path).is_file() for path in (chromium_path(), chromedriver_path()))
    except BrowserMissing:
        found = False
    if not found:
        raise AuditFailed("the audit needs Chromium and ChromeDriver: apt-get install chromium chromium-driver "
                          "(or set BROADSHEET_CHROMIUM and BROADSHEET_CHROMEDRIVER)") from None


def audit_site(config: SiteConfig, options: AuditOptions) -> AuditResult:
    """Audit the built site in options.output. Raises AuditFailed when it cannot run at all."""
    started = time.perf_counter()
    output = options.output.resolve()
    if not output.is_dir():
        raise AuditFailed(f"no built site in {options.output}: run broadsheet build first")
    _check_report_dir(options)
    settings = config.audit
    allow = {**settings.allow, **dict(options.allow)}
    fail_on = options.fail_on or settings.fail_on
    if fail_on not in IMPACTS:
        raise AuditFailed(f"--fail-on must be one of {', '.join(IMPACTS)}")

    from builder.audit.states import STATES

    axe_file, version = _axe()

    all_pages = list_pages(output, config.base_path, {s.key for s in config.sections}, config.site_dir,
                           {e.prefix for e in config.editions if e.prefix})
    pages = sample_pages(all_pages, options.sample, options.seed) if options.sample is not None else all_pages
    cache = AuditCache(options.reports / ".cache", options.use_cache)
    assets = AssetDigests(output, config.base_path)

    results: dict[str, PageResult] = {}
    # page, cache key, fast findings, shell, swap key
    todo: list[tuple[Page, str, list[Finding], str | None, str | None]] = []
    done = 0

    def progress() -> None:
        if options.progress:
            options.progress(done, len(pages), sum(1 for r in results.values() if r.cached))

    for page in pages:
        html = (output / page.path).read_bytes()
        fast = check_page(page.path, html, page.made_from, site_dir=config.site_dir)
        key = page_key(page.url_path, html, assets.of_page(page, html), version, settings.tags, STATES)
        hit = cache.get(key)
        if hit is not None:
            results[page.path] = PageResult(page, fast + _attach(hit, page, config.site_dir), cached=True,
                                            browser=True)
            done += 1
        else:
            todo.append((page, key, fast, shell_of(html), swap_key(html)))
    progress()

    if todo:
        lock = threading.Lock()

        def finished(page: Page, key: str, fast: list[Finding], browser: list[Finding] | None,
                     seconds: float = 0.0) -> None:
            nonlocal done
            with lock:
                if browser is not None and not any(f.rule == "audit-error" for f in browser):
                    cache.put(key, browser)
                results[page.path] = PageResult(page, fast + _attach(browser or [], page, config.site_dir),
                                                cached=False, browser=browser is not None, seconds=seconds)
                done += 1
                progress()

        _check_browser()
        refresh = {p.path for p, *_ in todo if p.kind == "redirect"}
        server = _server(output, config.base_path, axe_file, refresh, stand_ins=STAND_INS)
        try:
            origin = f"http://127.0.0.1:{server.server_address[1]}"
            _run_workers(todo, min(options.workers, len(todo)), origin, axe_file, settings.tags, finished)
        finally:
            server.shutdown()
            server.server_close()

    if options.sample is None and options.use_cache:
        cache.prune()
    ordered = [results[p.path] for p in pages]
    baseline = load_baseline(config.site_dir)
    for result in ordered:
        result.findings = [replace(f, allowed=allow[f.rule]) if f.rule in allow else f for f in result.findings]
        result.findings = known_findings(result.findings, baseline, config.base_path)
    return AuditResult(config, options, ordered, len(all_pages), time.perf_counter() - started, version,
                       settings.tags, fail_on, allow, options.workers,
                       baseline.path.name if baseline.exists else "")


_SHELL_PARTS = re.compile(rb"<html\b[^>]*>|<link\b[^>]*stylesheet[^>]*>|<style\b.*?</style>", re.S | re.I)
_MAIN = re.compile(rb"<main\b.*</main>", re.S | re.I)


def shell_of(html: bytes) -> str | None:
    """What a page shares with the other pages of its template: its markup outside <main>, the
    <html> element and the style sheets (see builder.audit.states). None: no <main> to scope to."""
    head_end = html.find(b"</head>")
    body = html[head_end:] if head_end >= 0 else html
    if not _MAIN.search(body):
        return None
    head = html[:head_end] if head_end >= 0 else b""
    digest = hashlib.sha256(b"".join(_SHELL_PARTS.findall(head)))
    digest.update(_MAIN.sub(b"<main></main>", body))
    return digest.hexdigest()


def _attach(findings: list[Finding], page: Page, site_dir: Path) -> list[Finding]:
    """Browser findings with the page's source file, and the line where the element was written when found."""
    lines = SourceLines(site_dir, page.source)
    return [replace(f, page=page.path, source=page.source,
                    line=lines.find(start_tag(f.snippet)) if page.source and f.snippet else None)
            for f in findings]


class _Jobs:
    """The pages to audit, grouped by the document they can share (their swap key).

    A worker keeps to the group of the document it has open while that has pages, so most pages
    are swapped in rather than loaded; otherwise it takes the largest group no other worker is
    on, and only then helps with one that another worker is on.
    """

    def __init__(self, items) -> None:
        self._lock = threading.Lock()
        self._groups: dict[object, collections.deque] = {}
        self._workers: collections.Counter = collections.Counter()  # group -> workers on it
        for item in items:
            self.put(item)

    @staticmethod
    def _group(item) -> object:
        page, *_, reuse = item
        return reuse if reuse is not None else ("page", page.path)

    def put(self, item, leaving: bool = False) -> None:
        """Back in its group (or in for the first time); `leaving`: by a worker that stops."""
        with self._lock:
            group = self._group(item)
            self._groups.setdefault(group, collections.deque()).append(item)
            if leaving:
                self._workers[group] -= 1

    def take(self, current: object = None):
        """The next item for a worker that was on group `current`, or None when none is left."""
        with self._lock:
            if current is not None:
                self._workers[current] -= 1
            group = current if self._groups.get(current) else min(
                (g for g, items in self._groups.items() if items),
                key=lambda g: (self._workers[g] > 0, -len(self._groups[g])), default=None)
            if group is None:
                return None
            self._workers[group] += 1
            return self._groups[group].popleft()

    def clear(self) -> None:
        with self._lock:
            self._groups.clear()

    def empty(self) -> bool:
        with self._lock:
            return not any(self._groups.values())


def _run_workers(todo, workers: int, origin: str, axe_file: str, tags, finished) -> None:
    """Threads, each owning one browser for all its pages; a browser that dies is replaced once per page."""
    from builder.audit.states import ContrastMemory

    shared = _Shared(_Jobs(todo), origin, Path(axe_file).read_text(encoding="utf-8"), tuple(tags), finished,
                     contrast=ContrastMemory())
    work = lambda: _Worker(shared).run()
    threads = [threading.Thread(target=work, name=f"audit-worker-{i}", daemon=True) for i in range(workers)]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(0.2)
    except KeyboardInterrupt:
        # Let each worker finish its page and close its browser: no Chromium is left behind.
        shared.jobs.clear()
        for thread in threads:
            thread.join(60)
        raise
    jobs, failures = shared.jobs, shared.failures
    if not jobs.empty():
        reason = (getattr(failures[0], "msg", None) or str(failures[0])) if failures else "no worker left"
        reason = " ".join(reason.split("Stacktrace:")[0].split())  # WebDriver appends a C++ stack
        raise AuditFailed(f"the browser audit could not run: {reason}")


@dataclass
class _Shared:
    """What the audit's worker threads share."""

    jobs: _Jobs
    origin: str
    axe_source: str
    tags: tuple[str, ...]
    finished: Callable
    contrast: ContrastMemory  # one for all shells: a signature covers every ancestor's styles
    failures: list[BaseException] = field(default_factory=list)
    retried: set[str] = field(default_factory=set)  # pages whose browser died once already
    shells: set[str | None] = field(default_factory=set)  # shells audited whole
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Worker:
    """One thread's browser and the pages it takes, a shell's pages in a row."""

    def __init__(self, shared: _Shared):
        self.shared = shared
        self.session: AbstractContextManager[WebDriver] | None = None
        self.runner: StateRunner | None = None

    def run(self) -> None:
        shared = self.shared
        item = None
        try:
            while True:
                item = shared.jobs.take(_Jobs._group(item) if item is not None else None)
                if item is None:
                    return
                if self.runner is None and not self._start(item):
                    return
                self._audit(item)
        finally:
            self._stop()

    def _start(self, item) -> bool:
        """A browser for this worker; False (the page left to the others) when none starts."""
        from builder.audit.browser import chromium
        from builder.audit.states import StateRunner

        shared = self.shared
        try:
            self.session = chromium(extra_flags=AUDIT_FLAGS, shell=HEADLESS_SHELL)
            driver = self.session.__enter__()
        except Exception as exc:  # no browser for this worker: leave the page to the others
            self.session = None
            shared.failures.append(exc)
            shared.jobs.put(item, leaving=True)
            return False
        self.runner = StateRunner(driver, shared.origin, shared.origin + AXE_PATH, shared.axe_source, shared.tags)
        return True

    def _stop(self) -> None:
        if self.session is not None:
            self.session.__exit__(None, None, None)
        self.session = self.runner = None

    def _audit(self, item) -> None:
        from builder.audit.axe import AxeError
        from builder.audit.states import PageGone

        shared = self.shared
        page, key, fast, shell, reuse = item
        with shared.lock:  # the first page of a shell is audited whole, the others inside <main>
            whole = shell is None or shell not in shared.shells
            shared.shells.add(shell)
        runner = self.runner
        assert runner is not None  # run() starts one before it hands out a page
        started = time.perf_counter()
        try:
            browser = runner.audit(page.path, page.url_path, None if whole else "main", shared.contrast, reuse)
        except AxeError as exc:
            browser = [Finding(page.path, "audit-error", f"the page could not be audited: {exc}",
                               impact="critical", origin="axe")]
        except PageGone as exc:
            self._stop()
            with shared.lock:
                again = page.path not in shared.retried
                shared.retried.add(page.path)
                if again and whole:
                    shared.shells.discard(shell)
            if again:
                shared.jobs.put(item)
                return
            browser = [Finding(page.path, "audit-error", f"the browser failed on this page: {exc}",
                               impact="critical", origin="browser")]
        shared.finished(page, key, fast, browser, time.perf_counter() - started)
