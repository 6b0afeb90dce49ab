"""Content files -> Articles, in worker processes, from the build cache where nothing changed.

A file is parsed again when its bytes changed, or when a file it shows (an image's size) did;
everything else comes from the cache without reading the file. Parsed bodies go to the cache as
they come, so the main process holds only the metadata listings need.

A file with a problem that makes its page impossible is left out, and its problems are returned
with the articles, not raised: the build goes on to render and check the other articles, so that
one run reports every problem of the site.
"""

from __future__ import annotations

import time
from contextlib import closing

from builder.build.options import Progress
from builder.build.workers import ordered_map
from builder.content.article import Article, ContentContext, still_valid
from builder.content.parse import read_article
from builder.content.sources import SourceEntry, read_source
from builder.errors import BuildError
from builder.incremental.cache import BuildCache, without_body
from builder.incremental.stamp import RACY_WINDOW_NS

_PARSE_CONTEXT: ContentContext  # set for the forked workers by read_articles


def _parse_one(job: tuple[SourceEntry, str | None]):
    """Read and parse one file (in a worker). An unchanged digest returns no article."""
    entry, cached_digest = job
    source = read_source(entry)
    if isinstance(source, BuildError):
        return entry, None, [source]
    if source.digest == cached_digest:
        return entry, source.digest, None
    return entry, source.digest, read_article(source, _PARSE_CONTEXT)


def report_progress(progress: Progress | None, stage: str, done: int, total: int) -> None:
    if progress and (done == total or done % 250 == 0):
        progress(stage, done, total)


STORE_BATCH = 500  # parsed articles held, with their bodies, before the cache takes them


def read_articles(ctx: ContentContext, entries: list[SourceEntry], cache: BuildCache, jobs: int,
                  progress: Progress | None = None) -> tuple[list[Article], list[BuildError]]:
    """Every article that can have a page, from the cache where its file and the files it shows are
    unchanged; and the problems of the files left out."""
    global _PARSE_CONTEXT
    cached = cache.articles()
    articles: list[Article] = []
    todo: list[tuple[SourceEntry, str | None]] = []
    # A file changed within the clock's resolution of its last read can keep its size and mtime
    # (the "racy git" problem): recent files are always read and compared by digest.
    racy_after = time.time_ns() - RACY_WINDOW_NS
    for entry in entries:
        hit = cached.get(entry.name)
        if (hit and hit.size == entry.size and hit.mtime_ns == entry.mtime_ns and entry.mtime_ns < racy_after
                and still_valid(hit.article, ctx)):
            articles.append(hit.article)
        else:
            todo.append((entry, hit.digest if hit is not None and still_valid(hit.article, ctx) else None))

    _PARSE_CONTEXT = ctx
    errors: list[BuildError] = []
    parsed, touched = [], []
    with closing(ordered_map(_parse_one, todo, jobs)) as results:
        for done, (entry, digest, result) in enumerate(results, 1):
            report_progress(progress, "parse", done, len(todo))
            name = entry.name
            if result is None:
                articles.append(cached[name].article)
                touched.append((name, entry.size, entry.mtime_ns))
            elif isinstance(result, Article):
                parsed.append((name, entry.size, entry.mtime_ns, digest, result))
                articles.append(without_body(result))
                if len(parsed) == STORE_BATCH:  # bodies go to the cache as they come, not all held at once
                    cache.store(parsed)
                    parsed.clear()
            else:
                errors.extend(result)
    cache.store(parsed)
    cache.touch(touched)
    cache.forget(set(cached) - {e.name for e in entries})
    return articles, errors
