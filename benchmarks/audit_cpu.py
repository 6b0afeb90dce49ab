#!/usr/bin/env python3
"""Where the CPU of `broadsheet audit` goes: per process kind and per step, in CPU seconds.

    .venv/bin/broadsheet build --site . --output /tmp/ex/output
    .venv/bin/python benchmarks/audit_cpu.py --site . --output /tmp/ex/output [--workers 2] [--repeat 1] [--sample 60]

Runs the audit in this process (no cache) with every browser call wrapped: around each call the
CPU time of the worker's Python thread and of each process of its browser (chromedriver, the
browser process, renderers, GPU and utility processes; from /proc, every thread summed, in
nanoseconds) is read, and the difference is charged to the step the call made: navigation, the
default axe run, the text size/viewport switch, the lg-320 step (reflow and layout rules), the
dark switch and run. What the browser does between calls (late timers, painting) is charged to
"between". CPU seconds, not wall time: the machine may be busy with other work.

`--variant NAME=FLAGS` (repeatable) adds Chromium flags for one more round, alternating with the
plain one in the same run, so that both see the same machine; their findings must be the same.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import builder.audit.browser as browser_module
import builder.audit.states as states
from builder.audit.run import AuditOptions, audit_site
from builder.config.site import load_config

TICK = os.sysconf("SC_CLK_TCK")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = defaultdict(list)
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as stat:
                    fields = stat.read().rsplit(b")", 1)[1].split()
                tree[int(fields[1])].append(int(name))
            except OSError:
                pass
    return tree


def _kind(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as file:
            args = file.read().replace(b"\0", b" ").split()  # child processes rewrite theirs with spaces
    except OSError:
        return "gone"
    if not args:
        return "gone"
    if b"chromedriver" in args[0]:
        return "chromedriver"
    for arg in args:
        if arg.startswith(b"--type="):
            kind = arg[7:].decode()
            if kind == "utility":
                service = next((a for a in args if a.startswith(b"--utility-sub-type=")), b"=?")
                return "utility:" + service.split(b"=")[1].decode().split(".")[-1]
            return kind
    return "browser"


def _cpu(pid: int) -> float:
    """CPU seconds of a process: utime+stime of its threads, which includes threads that ended."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK
    except OSError:
        return 0.0


def _threads_ns(pid: int, by_thread: bool) -> dict[str, float]:
    """CPU seconds of a process from its live threads' schedstat (nanoseconds, not ticks), by thread name."""
    out: dict[str, float] = defaultdict(float)
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as file:
                ns = int(file.read().split()[0])
            name = ""
            if by_thread:
                with open(f"/proc/{pid}/task/{tid}/comm") as file:
                    name = file.read().strip()
                    name = "main" if tid == str(pid) else name.rstrip("0123456789")
            out[name] += ns / 1e9
        except OSError:
            pass
    return out


class Tree:
    """The processes of one browser session, found again when the browser starts new ones."""

    by_thread = False

    def __init__(self, root: int):
        self.root = root
        self.kinds: dict[int, str] = {}

    def pids(self) -> list[int]:
        tree, found, todo = _children(), [], [self.root]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo += tree.get(pid, [])
        return found

    def sample(self) -> dict[str, float]:
        out: dict[str, float] = defaultdict(float)
        for pid in self.pids():
            if pid not in self.kinds:
                self.kinds[pid] = _kind(pid)
            for thread, seconds in _threads_ns(pid, self.by_thread).items():
                out[f"{self.kinds[pid]}:{thread}" if thread else self.kinds[pid]] += seconds
        return out


class Ledger:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.cpu: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))  # step -> process -> s
        self.calls: dict[str, int] = defaultdict(int)
        self.overhead = 0.0  # this profiler's own reading of /proc

    def add(self, step: str, before: dict[str, float], after: dict[str, float]) -> None:
        with self.lock:
            self.calls[step] += 1
            for kind in set(before) | set(after):
                self.cpu[step][kind] += max(0.0, after.get(kind, 0.0) - before.get(kind, 0.0))


def _step_name(method: str, args: tuple) -> str:
    if method == "get":
        return "navigate"
    if method == "execute_cdp_cmd":
        cmd, params = args[0], args[1] if len(args) > 1 else {}
        if cmd == "Emulation.setDeviceMetricsOverride":
            return "switch: 320 px"
        if cmd == "Emulation.clearDeviceMetricsOverride":
            return "switch: back to full width"
        if cmd == "Emulation.setEmulatedMedia":
            return "switch: dark" if params.get("features") else "switch: light"
        return "cdp " + cmd
    script = args[0] if args else ""
    names = {"_DEFAULT": "axe: default", "_LG_320": "lg-320: reflow + layout rules", "_AXE": "axe: dark",
             "_SWAP": "swap in the next <main>", "_HOST": "check a loaded page as host"}
    for name, label in names.items():
        if script is getattr(states, name, None):
            return label
    return "script: other"


class Profiled:
    """A driver whose calls are charged to the ledger."""

    def __init__(self, driver, ledger: Ledger):
        self._driver, self._ledger = driver, ledger
        self._tree = Tree(driver.service.process.pid)
        self._last = None
        self._overhead = 0.0

    def __getattr__(self, name):
        value = getattr(self._driver, name)
        if name not in ("get", "execute_async_script", "execute_script", "execute_cdp_cmd"):
            return value

        def call(*args):
            before = self._snapshot()
            if self._last is not None:
                self._ledger.add("between calls", self._last, before)
            try:
                return value(*args)
            finally:
                after = self._snapshot()
                self._ledger.add(_step_name(name, args), before, after)
                self._last = after
        return call

    def _snapshot(self) -> dict[str, float]:
        # The worker's own CPU without this profiler's reading of /proc.
        started = time.thread_time()
        snap = self._tree.sample()
        snap["python (worker thread)"] = started - self._overhead
        spent = time.thread_time() - started
        self._overhead += spent
        with self._ledger.lock:
            self._ledger.overhead += spent
        return snap


@contextmanager
def _profiled_chromium(original, ledger: Ledger, flags: tuple[str, ...]):
    def chromium(**kwargs):
        @contextmanager
        def session():
            with original(**{**kwargs, "extra_flags": (*kwargs.get("extra_flags", ()), *flags)}) as driver:
                yield Profiled(driver, ledger)
        return session()
    browser_module.chromium = chromium
    try:
        yield
    finally:
        browser_module.chromium = original


def run(site: Path, output: Path, reports: Path, workers: int, flags: tuple[str, ...], sample: int | None = None):
    ledger = Ledger()
    original = browser_module.chromium
    started_cpu = time.process_time()
    with _profiled_chromium(original, ledger, flags):
        result = audit_site(load_config(site), AuditOptions(site, output_dir=output, report_dir=reports,
                                                            workers=workers, use_cache=False, sample=sample))
    return result, ledger, time.process_time() - started_cpu


def report(label: str, result, ledger: Ledger, process_cpu: float) -> float:
    pages = len(result.pages)
    kinds = sorted({k for per in ledger.cpu.values() for k in per})
    total_by_kind = {k: sum(per.get(k, 0.0) for per in ledger.cpu.values()) for k in kinds}
    kinds.sort(key=lambda k: -total_by_kind[k])
    listed, kinds = kinds, kinds[:8]
    print(f"\n== {label}: {pages} pages, {result.seconds:.1f} s wall, {len(result.violations)} violations")
    print(f"{'ms CPU per page':34}" + "".join(f"{k[:14]:>15}" for k in kinds) + f"{'all':>10}")
    steps = sorted(ledger.cpu, key=lambda s: -sum(ledger.cpu[s].values()))
    for step in steps:
        row = ledger.cpu[step]
        print(f"{step[:28]:28}{ledger.calls[step] / pages:5.1f}x "
              + "".join(f"{1000 * row.get(k, 0.0) / pages:15.1f}" for k in kinds)
              + f"{1000 * sum(row.values()) / pages:10.1f}")
    total = sum(total_by_kind.values())
    print(f"{'all steps':34}" + "".join(f"{1000 * total_by_kind[k] / pages:15.1f}" for k in kinds)
          + f"{1000 * total / pages:10.1f}")
    if len(listed) > len(kinds):
        print("by process (and thread), ms CPU per page: " + ", ".join(
            f"{k} {1000 * total_by_kind[k] / pages:.1f}" for k in listed if total_by_kind[k] * 1000 / pages >= 0.5))
    python = sum(v for k, v in total_by_kind.items() if k.startswith("python"))
    others = process_cpu - python - ledger.overhead
    print(f"python outside the workers' browser calls (fast checks, server, report): {1000 * others / pages:.1f} ms/page")
    whole = total + others
    print(f"total {whole / pages * 1000:.0f} ms CPU per page -> {pages / whole * 2:.1f} pages/s on 2 idle cores "
          f"(if the CPU were the only limit)")
    return whole / pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=Path("."))
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--report-dir", type=Path, default=Path("/tmp/audit-cpu-report"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--sample", type=int, help="audit one page of every template plus this many (as --sample)")
    parser.add_argument("--threads", action="store_true", help="split each process by thread name")
    parser.add_argument("--variant", action="append", default=[], help="NAME=--flag1;--flag2 (Chromium flags, separated by ;)")
    args = parser.parse_args()
    Tree.by_thread = args.threads
    variants = [("plain", ())] + [(v.split("=", 1)[0], tuple(v.split("=", 1)[1].split(";"))) for v in args.variant]
    totals: dict[str, list[float]] = defaultdict(list)
    findings: dict[str, set] = {}
    for _ in range(args.repeat):
        for label, flags in variants:
            result, ledger, cpu = run(args.site, args.output, args.report_dir, args.workers, flags, args.sample)
            totals[label].append(report(label, result, ledger, cpu))
            found = {(f.page, f.rule, f.state, f.target, f.detail) for f in result.findings}
            if findings.setdefault(label, found) != found:
                print(f"!! {label}: findings differ between rounds")
    base = findings["plain"]
    print("\nsummary (best round, ms CPU per page):")
    for label, values in totals.items():
        same = "same findings" if findings[label] == base else "DIFFERENT FINDINGS"
        print(f"  {label:24} {1000 * min(values):7.0f}  ({same})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
