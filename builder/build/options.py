"""What a build is asked to do (BuildOptions) and what it reports (BuildResult)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from builder.build.debts import NO_DEBTS, BuildDebts
from builder.build.workers import default_jobs
from builder.config.site import SiteConfig
from builder.errors import BuildError
from builder.output.writer import WriteReport

if TYPE_CHECKING:
    from builder.build.search import SearchCatchUp
    from builder.content.archive import Archive
    from builder.content.article import Article

Progress = Callable[[str, int, int], None]  # stage, done, total


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
    progress: Progress | None = field(default=None, compare=False)
    # Build and check everything, judge every debt against the baseline without failing on the
    # debts, and write nothing: what `broadsheet baseline` needs. Other problems still fail it.
    survey: bool = False
    # Leave the search index as the last build made it, and record that it is behind (the preview:
    # an edit is shown before Pagefind runs; build.search.SearchCatchUp brings the index up to date).
    defer_search: bool = False

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
    warnings: tuple[BuildError, ...] = ()  # printed, but the build succeeded (e.g. a huge article)
    debts: BuildDebts = NO_DEBTS  # the accessibility and link debts, judged against the baseline
    # With defer_search, when the search index may not hold what the pages say: what brings it up to date.
    search_catch_up: SearchCatchUp | None = None


@dataclass(frozen=True)
class Outcome:
    """What one way through a build did (build.way); the pipeline adds the time it took."""

    report: WriteReport
    pages: int  # output files the site has
    rendered: int  # of them rendered this time
    articles: int  # articles that have a page
    files: int  # in the output folder, as the manifest lists them now
    archive: Archive | None = None  # when the way built one
    warnings: tuple[BuildError, ...] = ()
    debts: BuildDebts = NO_DEBTS


def size_warnings(articles: Iterable[Article], config: SiteConfig) -> tuple[BuildError, ...]:
    """Articles whose body is past feeds.max_item_bytes: a build succeeds, but says so, since
    their feed items carry only the summary and a link (a 50 MB article went into 9 feeds)."""
    return tuple(BuildError(a.source, a.body_line, "body",
                            f"is {a.body_bytes:,} bytes of HTML; feeds carry its summary and a link instead",
                            f"past feeds.max_item_bytes ({config.feed_max_item_bytes} bytes) in site.yaml: "
                            "split the article, or raise the limit")
                 for a in sorted(articles, key=lambda a: str(a.source))
                 if config.feed_full_content and a.body_bytes > config.feed_max_item_bytes)
