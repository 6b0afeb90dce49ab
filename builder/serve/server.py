"""The live preview: serve an output folder, rebuild on change, tell open pages to reload.

`Preview` knows nothing about sites. It is handed a build callable that returns a `Built` (the
output files whose bytes changed, the file count, the base path) or raises an exception carrying
`.errors` (objects with path, line, field, message, hint). It

- serves the output folder under the base path with the stdlib ThreadingHTTPServer, refusing
  anything outside it (see http.py), and only to loopback Host names when bound to loopback, so a
  web page cannot read drafts through DNS rebinding;
- runs every build under the write side of a readers-writer lock and reads every file under the
  read side, so a request that arrives during a rebuild waits until it committed or failed and
  never sees half a site; the response is sent after the lock is released;
- pushes one message per build over server-sent events at `<base>__broadsheet/events`: the URL
  paths whose files changed (each page reloads only when it shows one of them), or the error
  overlay. Pages that connect late say which build they were served from and get what they missed;
- adds the overlay and the client script to every HTML page it serves (never to the output);
- runs the work a build left for later (`Built.later`, e.g. the search index) once no change came
  for `settle` seconds: its slow part outside the lock while pages are served, and its commit
  under the write lock, dropped when a build ran in the meantime (that build says what is left).

builder.commands.serve connects it to Broadsheet's build for `broadsheet serve`.
"""

from __future__ import annotations

import ipaddress
import json
import queue
import secrets
import socket
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from http import HTTPStatus
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from builder.errors import BuildError
from builder.serve.http import TYPES, Response, SiteHandler
from builder.serve.overlay import CLIENT_JS, OVERLAY_CSS, RESERVED, debts_html, inject, overlay_digest, overlay_html
from builder.serve.watcher import Change, Watcher, WatchRoot

HISTORY = 512  # builds whose changes a late page can still catch up on
MAX_LISTED = 2000  # more changed files than this: every page reloads
KEEPALIVE_SECONDS = 15.0
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class Built:
    """What a successful build tells the preview."""

    changed: tuple[str, ...]  # files relative to the output folder whose bytes changed, or that went
    files: int = 0  # how many files the site has in all
    base_path: str = "/"
    note: str = ""  # a few words for the terminal, e.g. "1,204 articles"
    # output file -> accepted accessibility debts it shows (objects with path, line, field, message,
    # hint): each page gets a visible note listing them
    debts: Mapping[str, tuple] = field(default_factory=dict)
    # Work the build left for a quiet moment: called outside the lock while pages are served (it must
    # not change what they show), it returns what to run under the write lock to finish it (a Built
    # saying what changed), or None when there is nothing to finish.
    later: Callable[[], Callable[[], Built] | None] | None = None


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_warning(host: str) -> str | None:
    if is_loopback(host):
        return None
    return (f"Warning: listening on {host}, not on this computer only: anyone who can reach this address "
            "can read the preview, drafts and scheduled articles included. Use --host 127.0.0.1 to keep it private.")


def url_path(base_path: str, rel: str) -> str:
    """The URL path (not percent-encoded) that shows an output file: 'a/index.html' -> '<base>a/'."""
    if rel == "index.html":
        rel = ""
    elif rel.endswith("/index.html"):
        rel = rel[: -len("index.html")]
    return base_path + rel


class ReadWriteLock:
    """Many readers or one writer; a waiting writer goes before readers that come after it."""

    def __init__(self):
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0
        self.readers_waiting = 0  # for tests and the terminal

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            self.readers_waiting += 1
            self._cond.notify_all()
            try:
                self._cond.wait_for(lambda: not self._writing and not self._writers_waiting)
            finally:
                self.readers_waiting -= 1
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            try:
                self._cond.wait_for(lambda: not self._writing and not self._readers)
            finally:
                self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()

    @property
    def writing_now(self) -> bool:
        return self._writing

    def wait_for_readers_waiting(self, count: int, timeout: float) -> bool:
        """Block until `count` requests wait for the lock (tests use it instead of sleeping)."""
        with self._cond:
            return self._cond.wait_for(lambda: self.readers_waiting >= count, timeout)


class ReloadChannel:
    """Server-sent events to every open page: one message per build, and a catch-up on connect."""

    def __init__(self, session: str):
        self.session = session
        self.generation = 0  # counts successful builds; a page knows the one it was served from
        self.base_path = "/"
        self._lock = threading.Lock()
        self._clients: set[queue.Queue] = set()
        self._history: deque[tuple[int, frozenset[str] | None]] = deque(maxlen=HISTORY)  # None: everything
        self._overlay: str | None = None
        self._closed = False

    @property
    def clients(self) -> int:
        return len(self._clients)

    def _message(self, changed: Iterable[str] = (), everything: bool = False) -> dict:
        overlay = self._overlay
        return {
            "session": self.session, "generation": self.generation, "base": self.base_path,
            "changed": [] if everything or overlay else sorted(changed), "all": everything and not overlay,
            "overlay": overlay, "digest": overlay_digest(overlay) if overlay else None,
        }

    def _send(self, message: dict) -> None:
        for client in list(self._clients):
            client.put(message)

    def built(self, urls: Iterable[str] | None, base_path: str) -> int:
        """A successful build: `urls` changed (None: every page may have). Returns the generation."""
        with self._lock:
            urls = None if urls is None else frozenset(urls)
            if urls is not None and len(urls) > MAX_LISTED:
                urls = None
            if base_path != self.base_path:
                urls = None
            self.generation += 1
            self.base_path = base_path
            self._history.append((self.generation, urls))
            had_overlay, self._overlay = self._overlay, None
            if urls or urls is None or had_overlay:
                self._send(self._message(urls or (), everything=urls is None))
            return self.generation

    def failed(self, overlay: str) -> None:
        with self._lock:
            self._overlay = overlay
            self._send(self._message())

    @property
    def overlay(self) -> str | None:
        return self._overlay

    def subscribe(self, session: str | None, since: int | None) -> queue.Queue:
        """A queue for one page, holding first what it missed since it was served."""
        client: queue.Queue = queue.Queue()
        with self._lock:
            if self._closed:
                client.put(None)
                return client
            too_old = since is not None and since < self.generation and (
                not self._history or since < self._history[0][0] - 1)
            if session != self.session or since is None or since > self.generation or too_old:
                client.put(self._message(everything=True))
            else:
                missed = [urls for generation, urls in self._history if generation > since]
                if any(urls is None for urls in missed):
                    client.put(self._message(everything=True))
                else:
                    client.put(self._message(frozenset().union(*(urls for urls in missed if urls is not None))))
            self._clients.add(client)
        return client

    def unsubscribe(self, client: queue.Queue) -> None:
        with self._lock:
            self._clients.discard(client)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for client in self._clients:
                client.put(None)
            self._clients.clear()


class PreviewHandler(SiteHandler):
    preview: Preview
    protocol_version = "HTTP/1.1"  # keep-alive: fewer connections per tab besides the event stream
    timeout = 120  # an idle kept-alive connection is closed after this many seconds

    @property
    def root(self) -> Path:  # type: ignore[override]
        return self.preview.root

    @property
    def base_path(self) -> str:  # type: ignore[override]
        return self.preview.base_path

    def do_GET(self, head_only: bool = False):
        if not self.host_allowed():
            return self.respond(Response(HTTPStatus.FORBIDDEN, b"403 Forbidden: unknown Host\n",
                                         {"Content-Type": TYPES[".txt"]}), head_only)
        path = urlsplit(self.path).path
        marker = "/" + RESERVED
        if marker in path:
            return self.reserved(path[path.rindex(marker) + len(marker):], head_only)
        with self.preview.lock.reading():
            self.served = (self.preview.channel.generation, self.preview.channel.overlay)
            response = self.prepare()
        self.respond(response, head_only)

    def do_POST(self):
        self.respond(Response(HTTPStatus.METHOD_NOT_ALLOWED, b"405 Method Not Allowed\n",
                              {"Content-Type": TYPES[".txt"], "Allow": "GET, HEAD"}))

    do_PUT = do_DELETE = do_PATCH = do_POST

    def host_allowed(self) -> bool:
        if not self.preview.check_host:
            return True
        host = (self.headers.get("Host") or "").strip().lower()
        if not host:
            return True
        name = host[1:host.find("]")] if host.startswith("[") else host.rsplit(":", 1)[0]
        return name in self.preview.allowed_hosts or name.endswith(".localhost")

    def body_for(self, file: Path) -> bytes:
        body = file.read_bytes()
        if file.suffix.lower() != ".html":
            return body
        generation, overlay = self.served
        debts = self.preview.debts.get(file.relative_to(self.root).as_posix()) if self.preview.debts else None
        return inject(body, base_path=self.base_path, session=self.preview.channel.session,
                      generation=generation, overlay=overlay, debts=debts_html(debts) if debts else None)

    def not_found(self) -> Response:
        response = super().not_found()
        if (self.root / "404.html").is_file():
            return response
        generation, overlay = self.served
        body = inject(response.body, base_path=self.base_path, session=self.preview.channel.session,
                      generation=generation, overlay=overlay)
        return Response(response.status, body, response.headers)

    def reserved(self, name: str, head_only: bool) -> None:
        if name == "events":
            return self.events(head_only)
        assets = {"client.js": (CLIENT_JS, TYPES[".js"]), "overlay.css": (OVERLAY_CSS, TYPES[".css"])}
        if name in assets:
            text, kind = assets[name]
            return self.respond(Response(HTTPStatus.OK, text.encode("utf-8"), {"Content-Type": kind}), head_only)
        self.respond(Response(HTTPStatus.NOT_FOUND, b"404 Not Found\n", {"Content-Type": TYPES[".txt"]}), head_only)

    def events(self, head_only: bool) -> None:
        query = parse_qs(urlsplit(self.path).query)
        session = (query.get("session") or [""])[0] or None
        since_text = self.headers.get("Last-Event-ID") or (query.get("since") or [""])[0]
        try:
            since = int(since_text) if since_text is not None else None
        except ValueError:
            since = None
        self.close_connection = True
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Connection", "close")
        self.end_headers()
        if head_only:
            return
        client = self.preview.channel.subscribe(session, since)
        try:
            self.wfile.write(b"retry: 1000\n\n")
            self.wfile.flush()
            while True:
                try:
                    message = client.get(timeout=KEEPALIVE_SECONDS)
                except queue.Empty:
                    self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
                    continue
                if message is None:
                    break
                data = json.dumps(message, ensure_ascii=False)
                self.wfile.write(f"id: {message['generation']}\ndata: {data}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError, OSError):
            pass
        finally:
            self.preview.channel.unsubscribe(client)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # The listen backlog. socketserver's default of 5 dropped 12-18 % of 200 concurrent requests
    # (a page and its assets, several tabs, a link checker); the kernel caps it at somaxconn.
    request_queue_size = 256

    def handle_error(self, request, client_address) -> None:
        # A browser that closes a tab or stops a load hangs up mid-response: that is no error, and
        # the preview must not print a traceback for it.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)):
            return
        super().handle_error(request, client_address)


class _Server6(_Server):
    address_family = socket.AF_INET6


def _internal_error(exc: BaseException) -> BuildError:
    return BuildError(None, None, "internal error", f"{type(exc).__name__}: {exc}",
                      "this is a bug in Broadsheet, not in your files: the terminal shows the details")


class Preview:
    """A build callable, an output folder and a server: start(), then rebuild() on every change."""

    def __init__(self, build: Callable[[], Built], root: Path, *, host: str = "127.0.0.1", port: int = 0,
                 watch: Callable[[], Iterable[WatchRoot]] | None = None, ignore: Iterable[Path] = (),
                 quiet: float = 0.1, display_root: Path | None = None,
                 echo: Callable[[str], None] = print, report_errors: Callable[[list], None] | None = None,
                 settle: float = 2.0):
        self.build, self.root = build, Path(root).resolve()
        self.host = host
        self.watch, self.ignore, self.quiet = watch, tuple(ignore), quiet
        self.display_root = display_root
        self.echo = echo
        self.report_errors = report_errors or (lambda errors: echo("\n".join(f"  {e}" for e in errors)))
        self.lock = ReadWriteLock()
        self.channel = ReloadChannel(secrets.token_hex(8))
        self.base_path = "/"
        self.files = 0
        self.errors: list | None = None
        self.debts: Mapping[str, tuple] = {}  # output file -> accepted debts (Built.debts)
        self.builds = 0
        self.check_host = is_loopback(host)
        self.allowed_hosts = {*LOOPBACK_NAMES, host.strip("[]").lower()}
        handler = type("Handler", (PreviewHandler,), {"preview": self})
        server_class = _Server6 if ":" in host else _Server
        self.server = server_class((host.strip("[]"), port), handler)  # bound and listening from here
        self.port = self.server.server_address[1]
        self.watcher: Watcher | None = None
        self._threads: list[threading.Thread] = []
        self._stopped = threading.Event()
        # Work left for later (Built.later): run after `settle` seconds without a build.
        self.settle = settle
        self._later: Callable[[], Callable[[], Built] | None] | None = None
        self._later_cond = threading.Condition()
        self._builds_started = 0
        self._last_build = time.monotonic()
        self.later_done = 0  # finished pieces of later work, for tests and the benchmark

    @property
    def origin(self) -> str:
        host = self.host.strip("[]")
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}"

    @property
    def url(self) -> str:
        return self.origin + self.base_path

    # Building ---------------------------------------------------------------------------------

    def rebuild(self, reason: str = "") -> bool:
        """Build under the write lock, then tell the pages. True when the build worked."""
        started = time.perf_counter()
        crashed = None
        with self._later_cond:
            self._builds_started += 1
        with self.lock.writing():
            try:
                built = self.build()
            except Exception as exc:  # never let a typo, or a bug, stop the preview
                errors = list(getattr(exc, "errors", None) or [])
                if not errors:
                    errors, crashed = [_internal_error(exc)], traceback.format_exc()
                self.errors = errors
                self.channel.failed(overlay_html(errors))
            else:
                self.errors = None
                self.debts = built.debts
                self.files = built.files
                self.base_path = built.base_path
                self.channel.built([url_path(built.base_path, rel) for rel in built.changed], built.base_path)
            self.builds += 1
        with self._later_cond:
            # What the last build left; a failed build changed nothing, but what it left is unsure.
            self._later = built.later if self.errors is None else None
            self._last_build = time.monotonic()
            self._later_cond.notify_all()
        seconds = time.perf_counter() - started
        stamp = datetime.now().strftime("%H:%M:%S")
        head = f"{stamp}  {reason}: " if reason else f"{stamp}  "
        if self.errors is None:
            note = f", {built.note}" if built.note else ""
            self.echo(f"{head}built in {seconds:.2f} s, {len(built.changed)} of {built.files} files changed{note}")
        else:
            self.echo(f"{head}build failed in {seconds:.2f} s; the browser shows the problems")
            if crashed:
                self.echo(crashed.rstrip())
            self.report_errors(self.errors)
        self._update_watches()
        return self.errors is None

    def _run_later(self) -> None:
        """The thread that runs what builds left for later, once things are quiet."""
        while not self._stopped.is_set():
            with self._later_cond:
                while not self._stopped.is_set():
                    wait = self._last_build + self.settle - time.monotonic()
                    if self._later is not None and wait <= 0:
                        break
                    self._later_cond.wait(max(wait, 0.05) if self._later is not None else None)
                if self._stopped.is_set():
                    return
                later, self._later, generation = self._later, None, self._builds_started
            assert later is not None
            started = time.perf_counter()
            try:
                finish = later()
            except Exception as exc:  # the site is as the last build left it; the next build tries again
                self._later_failed(exc)
                continue
            if finish is None:
                continue
            with self.lock.writing():
                if generation != self._builds_started or self._stopped.is_set():
                    continue  # a build ran meanwhile: its own Built says what is left
                try:
                    built = finish()
                except Exception as exc:
                    self._later_failed(exc)
                    continue
                self.files = built.files
                self.channel.built([url_path(built.base_path, rel) for rel in built.changed], built.base_path)
            with self._later_cond:
                self.later_done += 1
                self._later_cond.notify_all()
            stamp = datetime.now().strftime("%H:%M:%S")
            self.echo(f"{stamp}  {built.note or 'finished'} in {time.perf_counter() - started:.2f} s, "
                      f"{len(built.changed)} of {built.files} files changed")

    def _later_failed(self, exc: Exception) -> None:
        stamp = datetime.now().strftime("%H:%M:%S")
        errors = list(getattr(exc, "errors", None) or [])
        self.echo(f"{stamp}  work left for later failed; the next change tries again")
        if errors:
            self.report_errors(errors)
        else:
            self.echo(traceback.format_exc().rstrip())

    def wait_for_later(self, count: int, timeout: float) -> bool:
        """Block until `count` pieces of later work finished (tests use it instead of sleeping)."""
        with self._later_cond:
            return self._later_cond.wait_for(lambda: self.later_done >= count, timeout)

    def on_change(self, change: Change) -> None:
        self.rebuild(change.describe(self.display_root))

    def _update_watches(self) -> None:
        if self.watcher is None or self.watch is None:
            return
        try:
            self.watcher.update(self.watch())
        except Exception:
            traceback.print_exc()

    # Running ----------------------------------------------------------------------------------

    def start(self) -> None:
        """Serve in a background thread and, when given roots to watch, rebuild on change."""
        thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1},
                                  name="broadsheet-preview", daemon=True)
        thread.start()
        self._threads.append(thread)
        later = threading.Thread(target=self._run_later, name="broadsheet-later", daemon=True)
        later.start()
        self._threads.append(later)
        if self.watch is not None:
            self.watcher = Watcher(self.watch(), self.on_change, ignore=[self.root, *self.ignore], quiet=self.quiet)
            self.watcher.start()

    def wait(self) -> None:
        """Block until stop() is called or Ctrl+C."""
        while not self._stopped.wait(0.5):
            pass

    def stop(self) -> None:
        """Stop watching and serving, and end the event streams. Safe to call more than once."""
        if self._stopped.is_set():
            return
        self._stopped.set()
        with self._later_cond:
            self._later_cond.notify_all()
        if self.watcher is not None:
            self.watcher.stop()
        self.channel.close()
        if self._threads:  # shutdown() waits for serve_forever, so only when it runs
            self.server.shutdown()
        self.server.server_close()
        for thread in self._threads:
            # Later work may be inside Pagefind: it changes nothing in the site until it commits,
            # under the lock, which the stopped flag now keeps it from taking.
            thread.join(10 if thread.name != "broadsheet-later" else 1)
