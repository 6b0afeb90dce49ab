"""Work spread over forked processes: results in order, and the parent's objects left unscanned.

ordered_map forks only from a process with one thread (see can_fork), and earlier tests in a run
can leave threads behind, so each check runs in an interpreter of its own."""

from __future__ import annotations

import gc
import multiprocessing
import subprocess
import sys
from pathlib import Path

import pytest

from builder.build import workers
from builder.build.workers import can_fork, ordered_map

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("check", ["_in_input_order", "_parent_frozen_in_workers", "_error_unfreezes_the_parent",
                                   "_items_handed_out_as_results_are_taken", "_a_caller_that_stops_ends_the_workers"])
def test_ordered_map(check):
    result = subprocess.run([sys.executable, "-c", f"from tests.build.test_workers import {check}; {check}()"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def _parallel() -> None:
    assert can_fork()
    workers.PARALLEL_THRESHOLD = 2


def _square(n: int) -> int:
    return n * n


def _frozen(_: int) -> int:
    return gc.get_freeze_count()


def _in_input_order() -> None:
    _parallel()
    assert list(ordered_map(_square, range(50), jobs=2, chunksize=3)) == [n * n for n in range(50)]


def _parent_frozen_in_workers() -> None:
    # Frozen objects are never scanned by the cyclic collector, so the workers' collections do not
    # write to (and copy) the memory pages they share with the main process.
    _parallel()
    held = [{"article": n} for n in range(1000)]
    counts = list(ordered_map(_frozen, range(10), jobs=2, chunksize=1))
    assert all(count >= len(held) for count in counts), counts
    assert gc.get_freeze_count() == 0


def _error_unfreezes_the_parent() -> None:
    _parallel()
    try:
        list(ordered_map(lambda n: 1 // (n - 5), range(10), jobs=2, chunksize=1))
    except ZeroDivisionError:
        pass
    else:
        raise AssertionError("the worker's error did not reach the caller")
    assert gc.get_freeze_count() == 0


_started = None


def _count(n: int) -> int:
    with _started.get_lock():
        _started.value += 1
    return n


def _items_handed_out_as_results_are_taken() -> None:
    # A slow caller must not let finished results pile up in its memory: at most the window of
    # IN_FLIGHT_CHUNKS * jobs * chunksize items is handed out beyond what it has taken.
    global _started
    _parallel()
    _started = multiprocessing.Value("i", 0)  # shared with the forked workers
    workers.IN_FLIGHT_CHUNKS = 1
    window = 1 * 2 * 2
    most_ahead = 0
    for taken, _ in enumerate(ordered_map(_count, range(120), jobs=2, chunksize=2), 1):
        sum(range(100_000))  # a caller busy with each result, while the workers could run ahead
        most_ahead = max(most_ahead, _started.value - taken)
    assert _started.value == 120
    assert most_ahead <= window, most_ahead


def _a_caller_that_stops_ends_the_workers() -> None:
    # A caller that fails while handling a result (a full disk while staging a page) closes the
    # iterator: the pool must end then. It used to wait for ever for its feeding thread, which
    # waited on the window of items in flight.
    from contextlib import closing

    _parallel()
    try:
        with closing(ordered_map(_square, range(2000), jobs=2, chunksize=2)) as results:
            for _ in results:
                raise OSError(28, "No space left on device")
    except OSError:
        pass
    assert multiprocessing.active_children() == []
