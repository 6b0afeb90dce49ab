"""Work spread over processes: parsing articles and rendering pages.

Processes are forked after the inputs are in memory, so workers share them without copying;
each returns plain results and the main process stays the only writer. Output is identical to a
serial build because every result is put back in input order.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from typing import TypeVar

# Below this many items, starting processes costs more than it saves.
PARALLEL_THRESHOLD = 200

T = TypeVar("T")
R = TypeVar("R")
_task: Callable  # set for the forked workers by ordered_map
IN_FLIGHT_CHUNKS = 4  # chunks per worker handed out and not yet taken back by the caller


def _run(item):
    return _task(item)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def can_fork() -> bool:
    # Forking a process that runs other threads (the preview server, the file watcher) can copy a
    # held lock into the child; such builds stay in one process.
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def ordered_map(task: Callable[[T], R], items: Iterable[T], jobs: int, chunksize: int = 16,
                threshold: int | None = None) -> Generator[R]:
    """task(item) for every item, in order, in `jobs` processes when that pays off: from
    `threshold` items (default PARALLEL_THRESHOLD; fewer for heavy tasks, such as encoding an image).

    A caller that may stop early (an error while it handles a result) must close the iterator
    (contextlib.closing), so that the workers end then and not when the generator is collected."""
    items = list(items)
    if jobs <= 1 or len(items) < (PARALLEL_THRESHOLD if threshold is None else threshold) or not can_fork():
        yield from map(task, items)
        return
    global _task
    _task = task
    context = multiprocessing.get_context("fork")
    # Forked workers share the main process's memory until a page is written to, and the cyclic
    # garbage collector writes to every object it scans: without this, each worker of a
    # 100,000-article build soon held its own copy of everything (each process's PSS about equal
    # to its RSS). Frozen objects are never scanned, in the workers or in the main process.
    gc.freeze()
    window = threading.Semaphore(IN_FLIGHT_CHUNKS * jobs * chunksize)
    stopped = threading.Event()

    def fed() -> Iterator[T]:
        # Pool.imap reads its input as fast as it can and keeps every result the caller has not
        # taken yet. When the main process falls behind (writing pages, or on a busy machine),
        # rendered pages piled up in its memory; now an item is handed out only when a result
        # has been taken, so at most this window is in flight.
        for item in items:
            while not window.acquire(timeout=0.1):
                if stopped.is_set():
                    return
            yield item

    try:
        with context.Pool(jobs, initializer=_ignore_interrupts) as pool:
            try:
                for result in pool.imap(_run, fed(), chunksize=chunksize):
                    window.release()
                    yield result
            finally:
                # Before the pool's exit: terminate() waits for the thread that feeds the workers,
                # and that thread waits on the window until it sees this. Set only after the
                # `with`, a Ctrl-C, an error in the caller or a full disk left the build hanging.
                stopped.set()
    finally:
        gc.unfreeze()


def _ignore_interrupts() -> None:
    # Ctrl-C reaches every process of the terminal's group: the main process stops the build and
    # ends the workers, which would otherwise each print a KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
