"""Work spread over processes: parsing articles and rendering pages.

Processes are forked after the inputs are in memory, so workers share them without copying;
each returns plain results and the main process stays the only writer. Output is identical to a
serial build because every result is put back in input order.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items, starting processes costs more than it saves.
PARALLEL_THRESHOLD = 200

_task: Callable | None = None


def _run(item):
    return _task(item)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def can_fork() -> bool:
    # Forking a process that runs other threads (the preview server, the file watcher) can copy a
    # held lock into the child; such builds stay in one process.
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def ordered_map(task: Callable[[T], R], items: Iterable[T], jobs: int, chunksize: int = 16) -> Iterator[R]:
    """task(item) for every item, in order, in `jobs` processes when that pays off."""
    items = list(items)
    if jobs <= 1 or len(items) < PARALLEL_THRESHOLD or not can_fork():
        yield from map(task, items)
        return
    global _task
    _task = task
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs) as pool:
        yield from pool.imap(_run, items, chunksize=chunksize)
    _task = None
