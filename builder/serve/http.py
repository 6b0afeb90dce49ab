"""Serve a built site folder under its base path, safely.

Only files inside the root are served: the request path is decoded, normalised and checked
against the root after resolving symlinks, so '..', '%2e%2e' and '%2f' tricks all get a 404.
"""

from __future__ import annotations

import mimetypes
import posixpath
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
    """The file a request path names, or None when it is outside the site or missing."""
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


class SiteHandler(BaseHTTPRequestHandler):
    """Subclassed per server with `root` and `base_path` set."""

    root: Path
    base_path: str = "/"
    server_version = "BroadsheetPreview"

    def log_message(self, format, *args):  # noqa: A002 - the preview prints its own summary lines
        pass

    def do_HEAD(self):
        self.do_GET(head_only=True)

    def do_GET(self, head_only: bool = False):
        path = urlsplit(self.path).path
        if path == self.base_path.rstrip("/") and path:
            return self.redirect(self.base_path)
        if path.startswith(self.base_path) and not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
            file = resolve_request(self.root, self.base_path, self.path)
            if file and file.name == "index.html" and file.parent.name == path.rsplit("/", 1)[-1]:
                return self.redirect(path + "/")
        try:
            file = resolve_request(self.root, self.base_path, self.path)
        except UnicodeDecodeError:
            file = None
        if file is None:
            return self.not_found(head_only)
        self.send_file(file, HTTPStatus.OK, head_only)

    def redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def not_found(self, head_only: bool) -> None:
        page = self.root / "404.html"
        if page.is_file():
            return self.send_file(page, HTTPStatus.NOT_FOUND, head_only)
        self.send_error(HTTPStatus.NOT_FOUND)

    def body_for(self, file: Path) -> bytes:
        return file.read_bytes()

    def send_file(self, file: Path, status: HTTPStatus, head_only: bool) -> None:
        body = self.body_for(file)
        self.send_response(status)
        self.send_header("Content-Type", content_type(file))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head_only:
            self.wfile.write(body)
