"""The live preview (serve/) handed Broadsheet's build as its build callable, for `broadsheet serve`.

serve/ knows nothing of sites: this module is where the preview meets the build. Every rebuild is
a call to `builder.build.pipeline.build`, which is incremental: it parses only the files that
changed and renders only the pages whose inputs changed, and its report lists the files whose
bytes changed. Those are what the open pages compare themselves against.

The preview's builds leave the search index for later (`BuildOptions.defer_search`): an edit is
shown first, and once nothing changed for a moment the index is made again while the preview
serves, then switched in (build.search.SearchCatchUp, run by serve/ as the build's `later` work).

Pages with accessibility debts that the site's baseline accepts get a note listing them (the
preview's serve/ adds it; the output is never changed): a page whose list changed counts as
changed, so an open page shows its new list.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import click

from builder.build.options import BuildOptions, BuildResult
from builder.build.pipeline import build
from builder.build.search import SearchCatchUp
from builder.config.site import CONFIG_NAME, load_config
from builder.console import print_errors
from builder.content.sources import ARTICLE_SUFFIXES, list_sources
from builder.render.theme import find_theme
from builder.serve.server import Built, Preview, host_warning
from builder.serve.watcher import WatchRoot


class SiteBuild:
    """Call it to build; `watch_roots()` says which files the build reads."""

    def __init__(self, site_dir: Path, *, drafts: bool = True, output_dir: Path | None = None, **options):
        # Drafts and scheduled articles go together: the preview shows either everything an editor
        # is working on, or exactly what readers would see.
        options.setdefault("defer_search", True)
        self.options = BuildOptions(Path(site_dir), output_dir, drafts=drafts, future=drafts, **options)
        self.site_dir = Path(site_dir).resolve()
        self.output = self.options.output.resolve()
        self._theme_root: Path | None = None
        self.articles = 0
        self.result: BuildResult | None = None  # the last successful build
        self.debts: dict[str, tuple] = {}  # output file -> the accepted debts it shows
        self.search_seconds: float | None = None  # the last search catch-up, prepare to commit

    def __call__(self) -> Built:
        result = build(self.options)
        self.result = result
        report = result.report
        self.articles = result.articles
        noun = "article" if self.articles == 1 else "articles"
        changed = [*report.written, *report.deleted]
        # Precompressed siblings (page.html.gz, .br) change with their file and no page loads them.
        listed = set(changed)
        changed = [rel for rel in changed if not (rel.endswith((".gz", ".br")) and rel[:-3] in listed)]
        debts = dict(result.debts.pages)
        changed += sorted(page for page in debts.keys() | self.debts.keys()
                          if debts.get(page) != self.debts.get(page) and page not in listed)
        self.debts = debts
        return Built(
            changed=tuple(changed),
            files=result.pages,
            base_path=result.config.base_path,
            note=f"{self.articles:,} {noun}" + (f", {result.debts.known:,} known accessibility debts"
                                                 if result.debts.known else ""),
            debts=debts,
            later=self._search_later(result.search_catch_up),
        )

    def _search_later(self, catch_up: SearchCatchUp | None) -> Callable[[], Callable[[], Built] | None] | None:
        """The search index this build left behind, made while the preview serves (Built.later)."""
        if catch_up is None:
            return None

        def prepare() -> Callable[[], Built]:
            started = time.perf_counter()
            catch_up.prepare(nice=10)  # Pagefind yields the CPU to the edits that come meanwhile

            def commit() -> Built:
                try:
                    done = catch_up.commit()
                except BaseException:
                    catch_up.discard()
                    raise
                changed = [*done.report.written, *done.report.deleted]
                self.search_seconds = time.perf_counter() - started
                return Built(changed=tuple(changed), files=done.files, base_path=self.result.config.base_path
                             if self.result else "/", note="search index " + ("made again" if done.remade
                                                                              else "was up to date"))

            return commit

        return prepare

    def watch_roots(self) -> list[WatchRoot]:
        """content/ (Markdown files only), static/, templates/, the theme and site.yaml."""
        site = self.site_dir
        content, static, templates = site / "content", site / "static", site / "templates"
        try:
            config = load_config(site)
            content, static, templates = config.content_dir, config.static_dir, config.templates_dir
            self._theme_root = find_theme(config)
        except Exception:
            pass  # a broken site.yaml: keep watching what we know, site.yaml above all
        roots = [
            WatchRoot("config", site / CONFIG_NAME),
            WatchRoot("content", content, tuple(ARTICLE_SUFFIXES)),
            WatchRoot("static", static),
            WatchRoot("templates", templates),
        ]
        if self._theme_root is not None:
            roots.append(WatchRoot("theme", self._theme_root))
        return roots

    def count_articles(self) -> int:
        try:
            return len(list_sources(self.site_dir, self.site_dir / "content"))
        except OSError:
            return 0


STAGES = {"parse": "Reading articles", "render": "Rendering pages"}


@contextmanager
def first_build_progress(site: SiteBuild, echo: Callable[[str], None], every: float = 2.0) -> Iterator[None]:
    """Say what the first build is doing and, every few seconds while it is long, how far it got.

    Plain lines from the build's own progress callback: no thread draws them, so the first build
    may still fork worker processes (the build does so only while it is the process's only thread).
    """
    total = site.count_articles()
    echo(f"Building {total:,} article{'s' if total != 1 else ''} from {site.site_dir} ...")
    started = time.perf_counter()
    last = {"shown": started}

    def progress(stage: str, done: int, count: int) -> None:
        now = time.perf_counter()
        if now - last["shown"] >= every or (done == count and now - started >= every):
            last["shown"] = now
            echo(f"  {STAGES.get(stage, stage)}: {done:,} of {count:,} ({now - started:.0f} s)")

    before = site.options
    site.options = replace(before, progress=progress)
    try:
        yield
    finally:
        site.options = before


def run_preview(site_dir: Path, *, host: str, port: int, drafts: bool, open_browser: bool) -> int:
    """`broadsheet serve`: build, serve, watch and rebuild until Ctrl+C. Returns the exit code."""
    import webbrowser

    if warning := host_warning(host):
        click.secho(warning, fg="yellow", err=True)
    site = SiteBuild(site_dir, drafts=drafts)
    try:
        preview = Preview(site, site.output, host=host, port=port, watch=site.watch_roots, ignore=[site.output],
                          display_root=site.site_dir, echo=click.echo, report_errors=print_errors)
    except OSError as exc:
        click.secho(f"Cannot listen on {host}:{port}: {exc.strerror or exc}", fg="red", err=True)
        click.echo("Use another --port, or --port 0 for any free one.", err=True)
        return 1
    # The first build runs before any other thread starts, so it may use several processes.
    with first_build_progress(site, click.echo):
        preview.rebuild("first build")
    preview.start()
    shown = "drafts and scheduled articles included" if drafts else "as published: no drafts or scheduled articles"
    click.secho(f"Serving {preview.url}  ({shown}; Ctrl+C to stop)", bold=True)
    if open_browser:
        webbrowser.open(preview.url)
    try:
        preview.wait()
    except KeyboardInterrupt:
        click.echo("Stopping.")
    finally:
        preview.stop()
    return 0
