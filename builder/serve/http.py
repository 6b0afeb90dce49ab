"""Serve a built site folder under its base path, safely.

Only files inside the root are served: the request path is decoded once, normalised and checked
against the root after resolving symlinks, so '..', '%2e%2e', '%2f', double-encoded and null-byte
tricks all get a 404. Broadsheet's own files in the output folder ('.broadsheet*') are never
served.

A request is answered in two steps: `prepare` decides the whole response (status, headers and
body) from the files, then it is sent. A subclass can hold a lock around the first step only, so
a slow client never holds up a rebuild.
"""

from __future__ import annotations

import mimetypes
import posixpath
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import unquote, urlsplit

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
    ".webmanifest": "application/manifest+json",
}


def content_type(path: Path) -> str:
    return TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def resolve_request(root: Path, base_path: str, raw_path: str) -> Path | None:
    """The file a request path names, or None when it is outside the site or missing.

    Raises UnicodeDecodeError for a percent-encoding that is not UTF-8 (callers answer 404).
    """
    path = urlsplit(raw_path).path
    if not path.startswith(base_path):
        return None
    decoded = unquote(path[len(base_path):], errors="strict") if "%" in path else path[len(base_path):]
    if "\x00" in decoded or "\\" in decoded:
        return None
    normal = posixpath.normpath("/" + decoded).lstrip("/")
    if normal.startswith("..") or any(part.startswith(".broadsheet") for part in normal.split("/")):
        return None
    root = root.resolve()
    candidate = (root / normal).resolve() if normal not in ("", ".") else root
    if not candidate.is_relative_to(root):
        return None
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def safe_resolve(root: Path, base_path: str, raw_path: str) -> Path | None:
    try:
        return resolve_request(root, base_path, raw_path)
    except (UnicodeDecodeError, ValueError, OSError):
        return None


@dataclass
class Response:
    status: HTTPStatus
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class SiteHandler(BaseHTTPRequestHandler):
    """Subclassed per server with `root` and `base_path` set."""

    root: Path
    base_path: str = "/"
    server_version = "BroadsheetPreview"

    def log_message(self, format, *args):
        pass  # the preview prints its own summary lines

    def do_HEAD(self):
        self.do_GET(head_only=True)

    def do_GET(self, head_only: bool = False):
        self.respond(self.prepare(), head_only)

    # Deciding the response -------------------------------------------------------------------

    def prepare(self) -> Response:
        path = urlsplit(self.path).path
        base_path = self.base_path
        if path == base_path.rstrip("/") and path:
            return self.redirect(base_path)
        if (path.startswith(base_path) and not path.endswith("/") and "//" not in path
                and "." not in path.rsplit("/", 1)[-1]):
            file = safe_resolve(self.root, base_path, self.path)
            if file and file.name == "index.html" and file.parent.name == unquote(path.rsplit("/", 1)[-1]):
                return self.redirect(path + "/")
        file = safe_resolve(self.root, base_path, self.path)
        if file is None:
            return self.not_found()
        return self.file_response(file, HTTPStatus.OK)

    def redirect(self, location: str) -> Response:
        return Response(HTTPStatus.MOVED_PERMANENTLY, headers={"Location": location})

    def not_found(self) -> Response:
        page = self.root / "404.html"
        if page.is_file():
            return self.file_response(page, HTTPStatus.NOT_FOUND)
        body = b"<!doctype html><title>404 Not Found</title><h1>404 Not Found</h1>\n"
        return Response(HTTPStatus.NOT_FOUND, body, {"Content-Type": TYPES[".html"]})

    def body_for(self, file: Path) -> bytes:
        return file.read_bytes()

    def file_response(self, file: Path, status: HTTPStatus) -> Response:
        try:
            body = self.body_for(file)
        except OSError:  # removed between resolving and reading
            if status == HTTPStatus.NOT_FOUND:
                return Response(HTTPStatus.NOT_FOUND, b"404 Not Found\n", {"Content-Type": TYPES[".txt"]})
            return self.not_found()
        return Response(status, body, {"Content-Type": content_type(file)})

    # Sending it ------------------------------------------------------------------------------

    def respond(self, response: Response, head_only: bool = False) -> None:
        self.send_response(response.status)
        headers = {
            "Content-Length": str(len(response.body)),
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
            **response.headers,
        }
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not head_only and response.body:
            self.wfile.write(response.body)
