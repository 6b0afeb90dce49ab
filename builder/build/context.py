"""What every way through a build reads first, once: settings, theme, the article list and the stamps.

`read_inputs` does the work that every build does, also one that ends because nothing changed:
site.yaml, the theme's files, one listing of content/ and the stat data of every input. What a
way reads beyond that (articles, templates, static files) it reads itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from builder.build.options import BuildOptions
from builder.checks.baseline import Baseline, load_baseline
from builder.config.site import CONFIG_NAME, SiteConfig, load_config
from builder.content.sources import SourceEntry, list_sources
from builder.incremental.cache import BuildCache
from builder.incremental.keys import cache_context, code_fingerprint
from builder.incremental.stamp import InputStamps, content_stamp, files_stamp, input_stamp
from builder.output.layout import CACHE_NAME, TEMPLATE_CACHE, check_output_dir
from builder.output.switch import roll_forward
from builder.render.theme import Theme, load_theme

if TYPE_CHECKING:
    from builder.content.article import ContentContext


@dataclass(frozen=True)
class BuildInputs:
    options: BuildOptions
    config: SiteConfig
    theme: Theme
    code: str  # fingerprint of Broadsheet's code that shapes the output
    config_text: bytes  # site.yaml as it is
    table_labels: Mapping[str, str]  # language -> the name of a table region, which parsing writes
    now: datetime  # the moment the build stands at: what is scheduled, what has expired
    started_ns: int  # wall clock when the inputs were listed: files changed after it are not vouched for
    sources: list[SourceEntry]  # every article file, listed once for every stage
    stamps: InputStamps
    baseline: Baseline  # the accessibility debts the site accepts (builder.checks.baseline)

    @property
    def output(self) -> Path:
        return self.options.output.resolve()

    def rest_content(self, digest_of: Callable[[Path], str]) -> str:
        """The content stamp of what `stamps.rest` stamps by stat data (see incremental.stamp)."""
        return content_stamp(_rest_roots(self.config, self.theme), exact=_rest_exact(self.options, self.code,
                             self.config_text, self.baseline), output_dir=self.options.output, digest_of=digest_of)

    @property
    def templates_cache(self) -> Path:
        """Where compiled templates are kept between builds."""
        return self.output / TEMPLATE_CACHE

    def content_context(self, image_sizes: Mapping[str, tuple[int, int]],
                        static_paths: frozenset[str]) -> ContentContext:
        from builder.content.article import ContentContext  # not for a build that reads no article

        return ContentContext(config=self.config, image_sizes=image_sizes, static_paths=static_paths,
                              table_labels=self.table_labels)


def read_inputs(options: BuildOptions) -> BuildInputs:
    site_dir = options.site_dir.resolve()
    config = load_config(site_dir)
    check_output_dir(options.output, site_dir)
    roll_forward(options.output)  # a build killed while switching its files in is finished first
    theme = load_theme(config)
    options.output.mkdir(parents=True, exist_ok=True)
    code = code_fingerprint()
    config_text = (site_dir / CONFIG_NAME).read_bytes()
    baseline = load_baseline(site_dir)
    table_labels = {lang: strings["table"] for lang, strings in theme.strings.items() if "table" in strings}
    now = options.now or datetime.now(UTC)
    started_ns = time.time_ns()
    sources = list_sources(config.site_dir, config.content_dir)
    rest = input_stamp([root for _, root in _rest_roots(config, theme)],
                       exact=_rest_exact(options, code, config_text, baseline), output_dir=options.output)
    # The articles' part is the listing every later stage uses: nothing else under content/ is read.
    content = files_stamp((e.name, e.size, e.mtime_ns) for e in sources)
    return BuildInputs(options, config, theme, code, config_text, table_labels, now, started_ns, sources,
                       InputStamps(rest, content), baseline)


def _rest_roots(config: SiteConfig, theme: Theme) -> list[tuple[str, Path]]:
    """Every input besides the articles and site.yaml, by the name of its folder."""
    return [("static", config.static_dir), ("templates", config.templates_dir), ("theme", theme.root)]


def _rest_exact(options: BuildOptions, code: str, config_text: bytes, baseline: Baseline) -> list[bytes]:
    # Drafts and future are recorded in the stamp apart (BuildStamp.shows_as): with no draft and no
    # scheduled article, a preview (which shows them) reuses the output of `broadsheet build`.
    settings = f"links={options.check_links}".encode()
    baseline_text = baseline.path.read_bytes() if baseline.exists else b"no baseline"
    return [code.encode(), config_text, settings, baseline_text]


def open_cache(inputs: BuildInputs) -> BuildCache:
    return BuildCache(inputs.output / CACHE_NAME, context=cache_context(inputs.code, inputs.config_text,
                                                                        inputs.table_labels))


def ns(moment: datetime) -> int:
    """A moment as nanoseconds since the epoch, exactly (no float)."""
    return int(moment.timestamp()) * 1_000_000_000 + moment.microsecond * 1000


@dataclass
class StageTimer:
    """Seconds spent per stage, for `build --timings`."""

    timings: dict[str, float] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)
    _last: float = field(default_factory=time.perf_counter)

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - self._last
        self._last = now

    def total(self) -> float:
        return time.perf_counter() - self.started
