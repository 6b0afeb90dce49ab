"""Which way through a rebuild the inputs allow, decided once from the stamps and the cache.

- Unchanged: the last build's output is still the site (nothing read but stat data);
- BodiesOnly: only article bodies changed, so only their pages and the feeds that carry them
  are rendered again (build.bodies), from recipes the last full build stored;
- Full: everything else (build.full); every page whose key changed is rendered again.

Stat data is compared first; where it differs, content decides (incremental.stamp): a fresh clone
with a restored cache whose files are the same bytes takes the same way the machine that built it
would.

The body-only way checks more as it goes (the edited articles' metadata, the recipes), and gives
up for the full way when it cannot be sure; nothing else falls back.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.build.context import BuildInputs, ns
from builder.incremental.cache import BuildCache
from builder.incremental.changes import Changes, Touched, article_changes
from builder.incremental.stamp import BuildStamp, output_intact
from builder.output.layout import PRIVATE_PREFIX
from builder.output.manifest import read_stats


@dataclass(frozen=True)
class Unchanged:
    recorded: BuildStamp
    # None: the stamps matched. Otherwise the article files were compared by digest, and these were
    # saved without a byte changed (the cache and the stamp take their new size and mtime).
    touched: tuple[Touched, ...] | None = None


@dataclass(frozen=True)
class BodiesOnly:
    recorded: BuildStamp
    changes: Changes


@dataclass(frozen=True)
class Full:
    rest_content: str | None  # the content stamp of the inputs besides the articles, to record




Way = Unchanged | BodiesOnly | Full


def choose_way(inputs: BuildInputs, cache: BuildCache, recorded: BuildStamp | None) -> Way:
    stamps = inputs.stamps
    options = inputs.options
    if recorded is None or not recorded.in_time(ns(inputs.now)) or not recorded.shows_as(options.drafts,
                                                                                          options.future):
        return Full(inputs.rest_content(cache.file_digest))
    restamp = recorded.rest != stamps.rest.digest
    if restamp:
        # New stat data: an edit, or the same files in a fresh clone with a restored cache. The bytes decide.
        content = inputs.rest_content(cache.file_digest)
        if content != recorded.rest_content:
            return Full(content)
    if not restamp and recorded.content == stamps.content.digest and output_as_recorded(inputs, recorded):
        return Unchanged(recorded)
    changes = article_changes(inputs.sources, cache)
    if changes is None:
        return Full(recorded.rest_content)
    if changes.edited:
        return BodiesOnly(recorded, changes)
    return Unchanged(recorded, changes.touched) if output_as_recorded(inputs, recorded) else Full(recorded.rest_content)


def output_as_recorded(inputs: BuildInputs, recorded: BuildStamp) -> bool:
    """The output folder is as the last build left it."""
    files = read_stats(inputs.output)
    return bool(files) and len(files) == recorded.files and output_intact(inputs.output, files, PRIVATE_PREFIX)
