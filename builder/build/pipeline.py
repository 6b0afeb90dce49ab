"""The build, top to bottom: config -> sources -> content -> archive -> render -> write.

First the stamp of every input (builder.incremental.stamp) is compared with the last build's: when nothing
changed, the output is already the site, and the build ends before reading any article. Otherwise
builder.build.full parses what changed, renders what changed into a staging area, and checks it all;
only then does the writer swap the new files in, so a failed build leaves the site as it was.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from builder.incremental.cache import BuildCache, code_fingerprint
from builder.incremental.changes import article_changes
from builder.config.site import CONFIG_NAME, SiteConfig, load_config
from builder.output.manifest import read_stats
from builder.content.sources import SourceEntry, list_sources
from builder.incremental.stamp import InputStamp, files_stamp, input_stamp, output_intact, trustworthy
from builder.render.templates import Theme, load_theme
from builder.build.workers import default_jobs
from builder.output.layout import CACHE_NAME, PRIVATE_PREFIX, check_output_dir
from builder.output.writer import WriteReport

if TYPE_CHECKING:
    from builder.content.archive import Archive


@dataclass(frozen=True)
class BuildOptions:
    site_dir: Path
    output_dir: Path | None = None  # default: <site>/output
    drafts: bool = False
    future: bool = False
    check_links: bool = True
    now: datetime | None = None  # the moment that decides what is scheduled or expired; default: now
    jobs: int = field(default_factory=default_jobs)
    clean: bool = False  # ignore the cache and the previous output's fingerprints
    progress: Callable[[str, int, int], None] | None = field(default=None, compare=False)  # stage, done, total

    @property
    def output(self) -> Path:
        return self.output_dir if self.output_dir is not None else self.site_dir / "output"


@dataclass(frozen=True)
class BuildResult:
    config: SiteConfig
    archive: Archive | None  # None when nothing changed since the last build and nothing was read
    report: WriteReport
    pages: int
    rendered: int
    seconds: float
    timings: dict[str, float]
    articles: int  # articles that have a page


class _Timer:
    def __init__(self):
        self.timings: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - self._last
        self._last = now


def _cache_context(code: str, config_text: bytes, table_labels: dict[str, str]) -> str:
    """What parsing depends on besides the article file: Broadsheet's code, site.yaml, table labels."""
    digest = hashlib.blake2b(digest_size=16)
    for part in (code, config_text, sorted(table_labels.items())):
        digest.update(repr(part).encode("utf-8", "surrogatepass") + b"\x1f")
    return digest.hexdigest()


# Nothing changed ---------------------------------------------------------------------------------

def _ns(moment: datetime) -> int:
    return int(moment.timestamp()) * 1_000_000_000 + moment.microsecond * 1000


def _build_stamps(options: BuildOptions, config: SiteConfig, theme: Theme, code: str, config_text: bytes,
                  sources: list[SourceEntry]) -> tuple[InputStamp, InputStamp]:
    """(everything but the articles, the articles): edits to articles alone may take a shorter way.

    The articles' part is the listing every later stage uses (nothing else under content/ is read)."""
    settings = f"drafts={options.drafts} future={options.future} links={options.check_links}".encode()
    rest = input_stamp([config.static_dir, config.templates_dir, theme.root],
                       exact=[code.encode(), config_text, settings], output_dir=options.output)
    return rest, files_stamp((e.name, e.size, e.mtime_ns) for e in sources)


def _in_time(recorded: dict, now: datetime) -> bool:
    until = recorded["until"] if recorded["until"] is not None else 1 << 80
    return recorded["now"] <= _ns(now) < until


def _unchanged_build(options: BuildOptions, recorded: dict | None, rest: InputStamp, content: InputStamp,
                     now: datetime) -> bool:
    """Whether the last build's output is still exactly the site these inputs make."""
    if not recorded or recorded.get("rest") != rest.digest or recorded.get("content") != content.digest:
        return False
    return _in_time(recorded, now) and _intact(options, recorded)


def _intact(options: BuildOptions, recorded: dict) -> bool:
    """The output folder is as the last build left it."""
    files = read_stats(options.output)
    return bool(files) and len(files) == recorded["files"] and output_intact(options.output, files, PRIVATE_PREFIX)


def _record(rest: InputStamp, content: InputStamp, started_ns: int, **facts) -> dict:
    # A part whose files changed within the clock's resolution of this build is not vouched for.
    return {"rest": rest.digest if trustworthy(rest, started_ns) else None,
            "content": content.digest if trustworthy(content, started_ns) else None, **facts}


def build(options: BuildOptions) -> BuildResult:
    timer = _Timer()
    started = time.perf_counter()
    site_dir = options.site_dir.resolve()
    config = load_config(site_dir)
    check_output_dir(options.output, site_dir)
    theme = load_theme(config)
    options.output.mkdir(parents=True, exist_ok=True)
    code = code_fingerprint()
    config_text = (site_dir / CONFIG_NAME).read_bytes()
    table_labels = {lang: strings["table"] for lang, strings in theme.strings.items() if "table" in strings}
    cache = BuildCache(options.output.resolve() / CACHE_NAME, context=_cache_context(code, config_text, table_labels))
    try:
        now = options.now or datetime.now(timezone.utc)
        started_ns = time.time_ns()
        sources = list_sources(config.site_dir, config.content_dir)
        rest, content = _build_stamps(options, config, theme, code, config_text, sources)
        recorded = None if options.clean else cache.stamp()
        if options.clean:
            cache.clear()
        elif _unchanged_build(options, recorded, rest, content, now):
            timer.lap("setup")
            return BuildResult(config, None, WriteReport(unchanged=recorded["files"]), recorded["pages"], 0,
                               time.perf_counter() - started, timer.timings, recorded["articles"])
        if recorded and recorded.get("rest") == rest.digest and _in_time(recorded, now):
            changes = article_changes(sources, cache)
            if changes is not None and not changes.edited and _intact(options, recorded):
                cache.touch(changes.touched)  # saved, but no byte changed
                cache.store_stamp({**recorded, **_record(rest, content, started_ns)})
                timer.lap("setup")
                return BuildResult(config, None, WriteReport(unchanged=recorded["files"]), recorded["pages"], 0,
                                   time.perf_counter() - started, timer.timings, recorded["articles"])
            if changes is not None and changes.edited:
                # Imported only now: a build with nothing to do should not pay for loading the renderer.
                from builder.build.bodies import rebuild_bodies

                edit = rebuild_bodies(options, config, theme, cache, recorded, changes, table_labels, now)
                if edit is not None:
                    cache.store_stamp({**recorded, **_record(rest, content, started_ns), "files": edit.files})
                    timer.lap("edit")
                    return BuildResult(config, None, edit.report, edit.pages, edit.rendered,
                                       time.perf_counter() - started, timer.timings, edit.articles)
        from builder.build.full import build_site

        built = build_site(options, config, theme, cache, code, table_labels, now, timer.lap, sources)
        report = built.writer.commit({"drafts": options.drafts, "future": options.future})
        cache.store_page_ids(built.page_ids, report.deleted)
        cache.store_recipes(built.recipes())
        until = built.next_change
        cache.store_stamp(_record(rest, content, started_ns, now=_ns(now), until=_ns(until) if until else None,
                                  files=len(built.writer.files), pages=built.pages, articles=len(built.archive.pages)))
        timer.lap("write")
    finally:
        cache.close()
    return BuildResult(config, built.archive, report, built.pages, built.rendered, time.perf_counter() - started,
                       timer.timings, len(built.archive.pages))
