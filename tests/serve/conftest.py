"""Fixtures for the preview server: a fake build that writes files on command, and raw HTTP."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from builder.errors import BuildError, BuildFailed
from builder.serve.server import Built, Preview


class FakeBuild:
    """A build callable: each call applies the next planned step (files to write, or errors).

    `gate`, when set, makes the build wait for it: `started` tells the test the build is running.
    """

    def __init__(self, root: Path, base_path: str = "/archive/"):
        self.root, self.base_path = root, base_path
        self.steps: list[dict[str, str | None] | list[BuildError] | Exception] = []
        self.calls = 0
        self.gate: threading.Event | None = None
        self.started = threading.Event()

    def plan(self, step) -> None:
        self.steps.append(step)

    def __call__(self) -> Built:
        self.calls += 1
        self.started.set()
        if self.gate is not None:
            assert self.gate.wait(20), "the test never opened the gate"
        step = self.steps.pop(0) if self.steps else {}
        if isinstance(step, Exception):
            raise step
        if isinstance(step, list):
            raise BuildFailed(step)
        changed = []
        for rel, text in step.items():
            target = self.root / rel
            if text is None:
                target.unlink(missing_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
            changed.append(rel)
        files = sum(1 for p in self.root.rglob("*") if p.is_file())
        return Built(tuple(changed), files, self.base_path)


SITE_FILES = {
    "index.html": "<!doctype html><html lang=en><title>Home</title><body><main><h1>Home</h1></main></body></html>",
    "404.html": "<!doctype html><html lang=en><title>Not found</title><body><main><h1>Not found</h1></main></body></html>",
    "politics/index.html": "<!doctype html><html><title>Politics</title><body><h1>Politics</h1></body></html>",
    "politics/2024/03/vote/index.html": "<!doctype html><html><title>Vote</title><body><p>first</p></body></html>",
    "culture/2024/05/fest/index.html": "<!doctype html><html><title>Fest</title><body><p>fest</p></body></html>",
    "assets/style.css": "body { color: black }",
    "assets/app.js": "console.log(1)",
    "feed.xml": "<rss/>",
    "feed.json": "{}",
    "images/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    "images/photo.jpg": "jpeg",
    "images/photo.png": "png",
    "robots.txt": "User-agent: *",
    "site.webmanifest": "{}",
    "fonts/serif.woff2": "font",
    ".broadsheet-manifest.json": '{"secret": true}',
}


@dataclass
class Served:
    preview: Preview
    build: FakeBuild
    root: Path
    lines: list[str] = field(default_factory=list)

    @property
    def port(self) -> int:
        return self.preview.port

    def get(self, path: str, *, method: str = "GET", host: str | None = None):
        """(status, headers, body) for a request sent byte for byte as given."""
        return raw_request(self.port, path, method=method, host=host)

    def events(self, session: str | None = None, since: int | None = None) -> EventStream:
        session = self.preview.channel.session if session is None else session
        since = self.preview.channel.generation if since is None else since
        return EventStream(self.port, f"/archive/__broadsheet/events?session={session}&since={since}")


def raw_request(port: int, path: str, *, method: str = "GET", host: str | None = None, timeout: float = 20):
    host = host or f"127.0.0.1:{port}"
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode("latin-1"))
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return status, headers, body


class EventStream:
    """A server-sent events connection read message by message."""

    def __init__(self, port: int, path: str, timeout: float = 20):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.connection.request("GET", path)
        self.response = self.connection.getresponse()

    def next(self) -> dict:
        data = []
        while True:
            line = self.response.fp.readline()
            if not line:
                raise EOFError("the event stream ended")
            line = line.decode("utf-8").rstrip("\n")
            if line.startswith("data:"):
                data.append(line[5:].strip())
            elif line == "" and data:
                return json.loads("\n".join(data))

    def close(self) -> None:
        self.connection.close()


@pytest.fixture
def output(tmp_path) -> Path:
    root = tmp_path / "output"
    for rel, text in SITE_FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    (tmp_path / "secret.txt").write_text("top secret, outside the output")
    return root


@pytest.fixture
def serve(output) -> Callable[..., Served]:
    """A started Preview over `output` with a FakeBuild; its first build has run."""
    started: list[Preview] = []

    def start(**options) -> Served:
        build = FakeBuild(output)
        lines: list[str] = []
        preview = Preview(build, output, echo=lines.append, **options)
        started.append(preview)
        preview.rebuild("first build")
        preview.start()
        return Served(preview, build, output, lines)

    yield start
    for preview in started:
        preview.stop()
