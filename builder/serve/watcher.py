"""Watch folders and files for changes, tell them apart from editor noise, and debounce them.

The watcher knows nothing about sites: it is given `WatchRoot`s (a kind, a folder or a file and,
optionally, the file endings that count) and calls back with one `Change` per burst. A burst is
every event until `quiet` seconds pass without a new one (or `max_wait` seconds in all), so an
editor's save (temp file + rename, or write + chmod + close) is one change, not five.

Ignored: version-control and tool folders, hidden files (editor swap, lock and temp files such as
`.article.md.swp`, `.#article.md`, `.goutputstream-X`), backups ending in `~`, `*.tmp`, JetBrains'
safe-write files, vim's `4913` probe, and any folder given as `ignore` (the output folder).
"""

from __future__ import annotations

import contextlib
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

IGNORED_FOLDERS = frozenset({".git", ".hg", ".svn", "__pycache__", "node_modules", ".idea", ".vscode", ".venv"})
NOISE_SUFFIXES = (
    "~", ".swp", ".swo", ".swx", ".swpx", ".tmp", ".temp", ".part", ".crdownload", ".kate-swp",
    "___jb_tmp___", "___jb_old___", ".bak", ".orig", ".rej",
)
NOISE_NAMES = frozenset({"4913", "Thumbs.db", "desktop.ini"})
EVENT_TYPES = [FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileClosedEvent,
               DirCreatedEvent, DirDeletedEvent, DirMovedEvent]


def is_noise(name: str) -> bool:
    """A file name that editors, tools or the OS make as a side effect, never content."""
    return (name.startswith((".", "#")) or name.endswith(NOISE_SUFFIXES) or name in NOISE_NAMES)


@dataclass(frozen=True)
class WatchRoot:
    kind: str  # e.g. "content", "config", "theme": reported back, never interpreted here
    path: Path  # a folder (watched with everything in it) or a single file
    suffixes: tuple[str, ...] = ()  # when given, only files with these endings count (folders always do)


@dataclass(frozen=True)
class Change:
    paths: frozenset[Path]
    kinds: frozenset[str]

    def describe(self, relative_to: Path | None = None) -> str:
        def shown(path: Path) -> str:
            if relative_to is not None and path.is_relative_to(relative_to):
                return path.relative_to(relative_to).as_posix()
            return str(path)

        if len(self.paths) == 1:
            return f"{shown(next(iter(self.paths)))} changed"
        names = sorted(shown(p) for p in self.paths)
        more = f" and {len(names) - 2} more" if len(names) > 2 else ""
        return f"{', '.join(names[:2])}{more} changed"


class Debouncer:
    """The timing rule alone, with the clock passed in: a batch is due `quiet` seconds after its
    last event, or `max_wait` seconds after its first."""

    def __init__(self, quiet: float = 0.1, max_wait: float = 2.0):
        self.quiet, self.max_wait = quiet, max_wait
        self.pending: dict[Path, str] = {}
        self._first: float | None = None
        self._last: float | None = None

    def add(self, items: dict[Path, str], now: float) -> None:
        if not items:
            return
        self.pending.update(items)
        self._last = now
        if self._first is None:
            self._first = now

    def deadline(self) -> float | None:
        if not self.pending or self._first is None or self._last is None:
            return None
        return min(self._last + self.quiet, self._first + self.max_wait)

    def take(self, now: float) -> Change | None:
        deadline = self.deadline()
        if deadline is None or now < deadline:
            return None
        change = Change(frozenset(self.pending), frozenset(self.pending.values()))
        self.pending, self._first, self._last = {}, None, None
        return change


class Watcher(FileSystemEventHandler):
    def __init__(self, roots: Iterable[WatchRoot], on_change: Callable[[Change], None], *,
                 ignore: Iterable[Path] = (), quiet: float = 0.1, max_wait: float = 2.0,
                 clock: Callable[[], float] = time.monotonic):
        self.on_change = on_change
        self.ignore = tuple(Path(p).resolve() for p in ignore)
        self.clock = clock
        self._debouncer = Debouncer(quiet, max_wait)
        self._cond = threading.Condition()
        self._stopped = False
        self._roots: tuple[WatchRoot, ...] = ()
        self._watches: dict[tuple[Path, bool], ObservedWatch] = {}
        self._observer = Observer()
        self._thread = threading.Thread(target=self._run, name="broadsheet-debounce", daemon=True)
        self.update(roots)

    # Roots and watches ------------------------------------------------------------------------

    @property
    def roots(self) -> tuple[WatchRoot, ...]:
        return self._roots

    def update(self, roots: Iterable[WatchRoot]) -> None:
        """Watch these roots from now on (after a config change: the theme may be another one)."""
        roots = tuple(sorted({WatchRoot(r.kind, Path(r.path).resolve(), tuple(r.suffixes)) for r in roots},
                             key=lambda r: len(r.path.parts), reverse=True))  # most specific first
        with self._cond:
            self._roots = roots
        self._reschedule()

    def _wanted(self) -> set[tuple[Path, bool]]:
        wanted: set[tuple[Path, bool]] = set()
        for root in self._roots:
            if root.path.is_dir():
                wanted.add((root.path, True))
                continue
            # A file, or a folder that does not exist yet: watch the nearest folder above it.
            parent = root.path.parent
            while not parent.is_dir() and parent != parent.parent:
                parent = parent.parent
            wanted.add((parent, False))
        recursive = [p for p, r in wanted if r]
        return {(p, r) for p, r in wanted
                if not any(p != q and p.is_relative_to(q) for q in recursive) and not (not r and (p, True) in wanted)}

    def _reschedule(self) -> None:
        with self._cond:
            wanted = self._wanted()
            for key in set(self._watches) - wanted:
                with contextlib.suppress(KeyError, OSError):
                    self._observer.unschedule(self._watches.pop(key))
            for path, recursive in wanted - set(self._watches):
                with contextlib.suppress(OSError):  # vanished meanwhile: the next update tries again
                    self._watches[(path, recursive)] = self._observer.schedule(
                        self, str(path), recursive=recursive, event_filter=EVENT_TYPES)

    # Classifying ------------------------------------------------------------------------------

    def classify(self, path: Path, is_directory: bool = False) -> WatchRoot | None:
        """The root a path counts for, or None when the change is noise or outside every root."""
        if any(path == ignored or path.is_relative_to(ignored) for ignored in self.ignore):
            return None
        for root in self._roots:
            if path == root.path:
                return root
            if not path.is_relative_to(root.path):
                continue
            rel = path.relative_to(root.path).parts
            if any(part in IGNORED_FOLDERS or is_noise(part) for part in rel):
                return None
            if root.suffixes and not is_directory and not path.name.lower().endswith(root.suffixes):
                return None
            return root
        return None

    def _pending_root_created(self, path: Path) -> WatchRoot | None:
        """A folder was made on the way to a root that did not exist yet."""
        for root in self._roots:
            if root.path != path and root.path.is_relative_to(path):
                return root
        return None

    def dispatch(self, event: FileSystemEvent) -> None:  # called by watchdog's observer thread
        if event.event_type not in ("created", "deleted", "modified", "moved", "closed"):
            return
        if event.is_directory and event.event_type == "modified":
            return
        paths = [event.src_path] + ([event.dest_path] if event.event_type == "moved" else [])
        found: dict[Path, str] = {}
        reschedule = False
        for raw in paths:
            path = Path(raw.decode() if isinstance(raw, bytes) else raw)
            if not path.is_absolute():
                continue
            root = self.classify(path, event.is_directory)
            if event.is_directory and event.event_type in ("created", "moved"):
                pending = self._pending_root_created(path)
                if pending is not None or (root is not None and path == root.path):
                    reschedule = True
                    root = root or pending
            if root is not None:
                found[path] = root.kind
        if reschedule:
            self._reschedule()
        if found:
            self.notify(found)

    def notify(self, found: dict[Path, str]) -> None:
        """Add changed paths (path -> kind) to the current burst."""
        with self._cond:
            self._debouncer.add(found, self.clock())
            self._cond.notify_all()

    # Running ----------------------------------------------------------------------------------

    def start(self) -> None:
        self._observer.start()
        self._thread.start()

    def stop(self, timeout: float = 10) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        self._observer.stop()
        if self._observer.is_alive():
            self._observer.join(timeout)
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._cond:
                while True:
                    if self._stopped:
                        return
                    now = self.clock()
                    change = self._debouncer.take(now)
                    if change is not None:
                        break
                    deadline = self._debouncer.deadline()
                    self._cond.wait(None if deadline is None else max(deadline - now, 0.001))
            try:
                self.on_change(change)
            except Exception:  # a failing callback must not end the watching
                traceback.print_exc()
