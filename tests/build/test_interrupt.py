"""Ctrl-C, for real: SIGINT to a `broadsheet build --jobs 2` process in the middle of rendering.

Before, the build never exited: Pool.__exit__ waited for the thread that feeds the workers, which
waited on the in-flight window for ever. Now it stops within a second, exits 130 and leaves the
output folder as the last build left it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builder.output.layout import STAGING
from tests.support.files import output_state

REPO = Path(__file__).resolve().parents[2]
BROADSHEET = [sys.executable, "-m", "builder"]


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.01)  # polling interval of the condition, not a synchronisation


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A generated corpus, built once: big enough that a --clean build is still rendering when
    the test interrupts it."""
    site = tmp_path_factory.mktemp("interrupt") / "site"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "--articles", "400", "--out", str(site)],
                   check=True, capture_output=True)
    subprocess.run([*BROADSHEET, "build", "--site", str(site), "--jobs", "2", "--no-link-check"], check=True,
                   capture_output=True)
    return site


def staged_pages(out: Path) -> int:
    staging = out / STAGING
    try:
        return sum(len(files) for _, _, files in os.walk(staging))
    except OSError:
        return 0


@pytest.mark.skipif(not hasattr(os, "fork"), reason="parallel builds fork their workers")
def test_ctrl_c_stops_a_parallel_build_within_a_second_and_leaves_the_output(corpus):
    out = corpus / "output"
    before = output_state(out)
    build = subprocess.Popen([*BROADSHEET, "build", "--site", str(corpus), "--jobs", "2", "--clean"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        wait_for(lambda: staged_pages(out) >= 50 or build.poll() is not None, 120, "pages to be rendered")
        assert build.poll() is None, "the build ended before it could be interrupted: make the corpus bigger"
        sent = time.monotonic()
        os.killpg(build.pid, signal.SIGINT)  # to the build's process group, as Ctrl-C in a terminal: workers too
        _, err = build.communicate(timeout=30)
        stopped = time.monotonic() - sent
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
    assert build.returncode == 130, err
    # About 0.2 s on a quiet machine (0.6-1.3 s at a load of 11 on 2 cores); the bound leaves room
    # for a busy CI machine, and a build that hangs never gets near it.
    assert stopped < 3, f"took {stopped:.2f} s to stop"
    assert "Traceback" not in err, err
    assert output_state(out) == before
    assert not (out / STAGING).exists()
