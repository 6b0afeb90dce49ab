"""Work spread over forked processes: results in order, and the parent's objects left unscanned."""

from __future__ import annotations

import gc
import multiprocessing

import pytest

from builder import workers
from builder.workers import can_fork, ordered_map


def _square(n: int) -> int:
    return n * n


def _frozen(_: int) -> int:
    return gc.get_freeze_count()


@pytest.fixture
def parallel(monkeypatch):
    if not can_fork():
        pytest.skip("this process cannot fork safely")
    monkeypatch.setattr(workers, "PARALLEL_THRESHOLD", 2)


def test_results_come_back_in_input_order(parallel):
    assert list(ordered_map(_square, range(50), jobs=2, chunksize=3)) == [n * n for n in range(50)]


def test_workers_see_the_parents_objects_frozen_and_the_parent_gets_them_back(parallel):
    # Frozen objects are never scanned by the cyclic collector, so the workers' collections do not
    # write to (and copy) the memory pages they share with the main process.
    held = [{"article": n} for n in range(1000)]
    counts = list(ordered_map(_frozen, range(10), jobs=2, chunksize=1))
    assert all(count >= len(held) for count in counts)
    assert gc.get_freeze_count() == 0


def test_an_error_in_a_worker_unfreezes_the_parent(parallel):
    with pytest.raises(ZeroDivisionError):
        list(ordered_map(lambda n: 1 // (n - 5), range(10), jobs=2, chunksize=1))
    assert gc.get_freeze_count() == 0


def test_items_are_handed_out_only_as_results_are_taken(parallel, monkeypatch):
    # A slow caller must not let finished results pile up in its memory: at most the window of
    # IN_FLIGHT_CHUNKS * jobs * chunksize items is handed out beyond what it has taken.
    global _started
    _started = multiprocessing.Value("i", 0)  # shared with the forked workers
    monkeypatch.setattr(workers, "IN_FLIGHT_CHUNKS", 1)
    window = 1 * 2 * 2
    most_ahead = 0
    for taken, _ in enumerate(ordered_map(_count, range(120), jobs=2, chunksize=2), 1):
        sum(range(100_000))  # a caller busy with each result, while the workers could run ahead
        most_ahead = max(most_ahead, _started.value - taken)
    assert _started.value == 120
    assert most_ahead <= window


_started = None


def _count(n: int) -> int:
    with _started.get_lock():
        _started.value += 1
    return n
