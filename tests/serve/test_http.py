"""The preview server: only files inside the output folder, under the base path, never hidden ones."""

from __future__ import annotations

import http.client
import os
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.serve.http import SiteHandler, content_type, resolve_request


@pytest.fixture
def root(tmp_path) -> Path:
    site = tmp_path / "output"
    files = {
        "index.html": "home",
        "404.html": "not found page",
        "politics/index.html": "politics",
        "politics/2024/03/vote/index.html": "vote",
        "tags/երևան/index.html": "yerevan",
        "assets/style.css": "body{}",
        "images/photo one.jpg": "jpeg",
        ".broadsheet-manifest.json": "{}",
        ".broadsheet-staging/index.html": "staged",
    }
    for rel, text in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    (tmp_path / "secret.txt").write_text("outside the site")
    return site


# --- resolve_request ----------------------------------------------------------------------------

def test_root_serves_index_html(root):
    assert resolve_request(root, "/", "/") == root.resolve() / "index.html"


def test_folder_serves_its_index_html(root):
    assert resolve_request(root, "/", "/politics/") == root.resolve() / "politics/index.html"
    assert resolve_request(root, "/", "/politics/2024/03/vote/") == root.resolve() / "politics/2024/03/vote/index.html"


def test_file_is_served(root):
    assert resolve_request(root, "/", "/assets/style.css") == root.resolve() / "assets/style.css"


def test_query_and_fragment_are_ignored(root):
    assert resolve_request(root, "/", "/assets/style.css?v=3#x") == root.resolve() / "assets/style.css"


def test_percent_encoded_names_are_decoded(root):
    assert resolve_request(root, "/", "/" + quote("tags/երևան/")) == root.resolve() / "tags/երևան/index.html"
    assert resolve_request(root, "/", "/images/photo%20one.jpg") == root.resolve() / "images/photo one.jpg"


def test_missing_file_is_none(root):
    assert resolve_request(root, "/", "/nothing/here/") is None
    assert resolve_request(root, "/", "/assets/nothing.css") is None


def test_folder_without_index_is_none(root):
    (root / "empty").mkdir()
    assert resolve_request(root, "/", "/empty/") is None


@pytest.mark.parametrize("raw", [
    "/../secret.txt",
    "/politics/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/.%2e/secret.txt",
    "/politics%2f..%2f..%2fsecret.txt",
    "/%2f..%2fsecret.txt",
    "/..%2fsecret.txt",
    "/..%5csecret.txt",
    "/politics\\..\\..\\secret.txt",
    "/%5c..%5csecret.txt",
    "/index.html%00.css",
    "/index.html\x00",
    "//secret.txt",
])
def test_paths_escaping_the_root_are_refused(root, raw):
    assert resolve_request(root, "/", raw) is None


@pytest.mark.parametrize("raw", [
    "/.broadsheet-manifest.json",
    "/.broadsheet-staging/index.html",
    "/.broadsheet-staging/",
    "/%2ebroadsheet-manifest.json",
    "/politics/../.broadsheet-manifest.json",
])
def test_broadsheet_hidden_files_are_refused(root, raw):
    assert resolve_request(root, "/", raw) is None


def test_symlink_out_of_the_root_is_refused(root):
    os.symlink(root.parent / "secret.txt", root / "link.txt")
    assert resolve_request(root, "/", "/link.txt") is None


def test_base_path_is_stripped(root):
    assert resolve_request(root, "/archive/", "/archive/") == root.resolve() / "index.html"
    assert resolve_request(root, "/archive/", "/archive/politics/") == root.resolve() / "politics/index.html"


@pytest.mark.parametrize("raw", ["/", "/politics/", "/archives/politics/", "/arch/", "/archive", "/ARCHIVE/"])
def test_paths_outside_the_base_path_are_refused(root, raw):
    assert resolve_request(root, "/archive/", raw) is None


def test_traversal_after_the_base_path_is_refused(root):
    assert resolve_request(root, "/archive/", "/archive/../secret.txt") is None
    assert resolve_request(root, "/archive/", "/archive/%2e%2e/secret.txt") is None


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from([".", "..", "/", "\\", "%2e", "%2E", "%2f", "%5c", "%00", "%25", "politics",
                                  "secret.txt", ".broadsheet-manifest.json", ".broadsheet-staging", "index.html"]),
                max_size=12).map("".join))
def test_no_request_path_leaves_the_root(root, text):
    for raw in ("/" + text, "/" + quote(text)):
        try:
            found = resolve_request(root, "/", raw)
        except UnicodeDecodeError:
            continue
        assert found is None or (found.is_relative_to(root.resolve()) and ".broadsheet" not in found.as_posix())


# --- content types ------------------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("index.html", "text/html; charset=utf-8"),
    ("INDEX.HTML", "text/html; charset=utf-8"),
    ("style.css", "text/css; charset=utf-8"),
    ("app.js", "text/javascript; charset=utf-8"),
    ("feed.json", "application/json"),
    ("feed.xml", "application/xml; charset=utf-8"),
    ("logo.svg", "image/svg+xml"),
    ("robots.txt", "text/plain; charset=utf-8"),
    ("site.webmanifest", "application/manifest+json"),
    ("photo.jpg", "image/jpeg"),
    ("photo.png", "image/png"),
    ("file.unknownext", "application/octet-stream"),
    ("_redirects", "application/octet-stream"),
])
def test_content_types(name, expected):
    assert content_type(Path(name)) == expected


# --- the handler over HTTP ----------------------------------------------------------------------

@pytest.fixture
def serve(root):
    servers = []

    def start(base_path: str = "/"):
        handler = type("Handler", (SiteHandler,), {"root": root, "base_path": base_path})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        servers.append(server)

        def request(path: str, method: str = "GET"):
            connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=5)
            connection.request(method, path)
            response = connection.getresponse()
            body = response.read()
            connection.close()
            return response, body

        return request

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_http_serves_pages_with_type_and_safety_headers(serve):
    request = serve()
    response, body = request("/politics/")
    assert response.status == 200 and body == b"politics"
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Cache-Control") == "no-store"
    assert response.getheader("Content-Length") == str(len(body))


def test_http_folder_without_slash_redirects(serve):
    response, _ = serve()("/politics")
    assert response.status == 301
    assert response.getheader("Location") == "/politics/"


def test_http_base_path_without_slash_redirects(serve):
    response, _ = serve("/archive/")("/archive")
    assert response.status == 301
    assert response.getheader("Location") == "/archive/"


def test_http_serves_under_the_base_path_only(serve):
    request = serve("/archive/")
    assert request("/archive/politics/")[1] == b"politics"
    assert request("/politics/")[0].status == 404


def test_http_missing_page_gets_the_404_page(serve):
    response, body = serve()("/no/such/page/")
    assert response.status == 404
    assert body == b"not found page"


def test_http_traversal_gets_404(serve):
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/.broadsheet-manifest.json"):
        response, body = serve()(path)
        assert response.status == 404 and b"outside" not in body and body != b"{}"


def test_http_head_has_headers_but_no_body(serve):
    response, body = serve()("/", method="HEAD")
    assert response.status == 200
    assert response.getheader("Content-Length") == "4"
    assert body == b""


def test_http_undecodable_path_gets_404(serve):
    response, _ = serve()("/x%ff")
    assert response.status == 404
