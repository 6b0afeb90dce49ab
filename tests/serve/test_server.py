"""The preview server over real HTTP: safety, content types, the readers-writer lock, the event channel."""

from __future__ import annotations

import threading

import pytest

from builder.errors import BuildError, BuildFailed
from builder.serve.server import ReadWriteLock, host_warning, is_loopback, url_path

SECRET = b"top secret"


# --- serving -------------------------------------------------------------------------------------

def test_pages_are_served_under_the_base_path_with_the_client_script(serve):
    served = serve()
    status, headers, body = served.get("/archive/politics/2024/03/vote/")
    assert status == 200
    assert b"<p>first</p>" in body
    script_at, body_end = body.index(b"__broadsheet/client.js"), body.index(b"</body>")
    assert script_at < body_end
    assert headers["content-length"] == str(len(body))
    assert headers["cache-control"] == "no-store"
    assert served.get("/politics/2024/03/vote/")[0] == 404


def test_injection_never_reaches_the_output_folder(serve, output):
    served = serve()
    served.get("/archive/")
    assert b"__broadsheet" not in (output / "index.html").read_bytes()


def test_folder_without_slash_redirects_inside_the_site(serve):
    served = serve()
    status, headers, _ = served.get("/archive/politics")
    assert status == 301 and headers["location"] == "/archive/politics/"
    assert served.get("/archive")[1]["location"] == "/archive/"


def test_undecodable_path_gets_404_not_a_dropped_connection(serve):
    assert serve().get("/archive/x%ff")[0] == 404


def test_protocol_relative_redirect_is_never_made(serve):
    status, headers, _ = serve().get("//politics")
    assert status == 404 and "location" not in headers


@pytest.mark.parametrize("path", [
    "/archive/../secret.txt",
    "/archive/../../secret.txt",
    "/archive/%2e%2e/secret.txt",
    "/archive/%2E%2E/secret.txt",
    "/archive/.%2e/secret.txt",
    "/archive/%2e%2e%2fsecret.txt",
    "/archive/..%2fsecret.txt",
    "/archive/politics%2f..%2f..%2fsecret.txt",
    "/archive/%252e%252e/secret.txt",  # double-encoded: decoded once, it is a file named '%2e%2e'
    "/archive/%252e%252e%252fsecret.txt",
    "/archive/..%252fsecret.txt",
    "/archive/%2e%2e%5csecret.txt",
    "/archive/..\\secret.txt",
    "/archive/index.html%00",
    "/archive/index.html%00.css",
    "/archive/%00/../secret.txt",
    "/archive/index.html\x00",
    "/archive//../secret.txt",
    "/archive/.broadsheet-manifest.json",
    "/archive/%2ebroadsheet-manifest.json",
    "/archive/politics/../.broadsheet-manifest.json",
    "/archive/__broadsheet/../../secret.txt",
    "/archive/__broadsheet/..%2f..%2fsecret.txt",
    "/archive/__broadsheet/%2e%2e/%2e%2e/secret.txt",
])
def test_path_traversal_is_refused(serve, path):
    status, _, body = serve().get(path)
    assert status in (400, 404)
    assert SECRET not in body and b'"secret"' not in body


def test_symlink_out_of_the_output_is_refused(serve, output):
    (output / "leak.txt").symlink_to(output.parent / "secret.txt")
    status, _, body = serve().get("/archive/leak.txt")
    assert status == 404 and SECRET not in body


@pytest.mark.parametrize("path, expected", [
    ("/archive/", "text/html; charset=utf-8"),
    ("/archive/assets/style.css", "text/css; charset=utf-8"),
    ("/archive/assets/app.js", "text/javascript; charset=utf-8"),
    ("/archive/feed.xml", "application/xml; charset=utf-8"),
    ("/archive/feed.json", "application/json"),
    ("/archive/images/logo.svg", "image/svg+xml"),
    ("/archive/images/photo.jpg", "image/jpeg"),
    ("/archive/images/photo.png", "image/png"),
    ("/archive/robots.txt", "text/plain; charset=utf-8"),
    ("/archive/site.webmanifest", "application/manifest+json"),
    ("/archive/fonts/serif.woff2", "font/woff2"),
    ("/archive/no/such/page/", "text/html; charset=utf-8"),
    ("/archive/__broadsheet/client.js", "text/javascript; charset=utf-8"),
    ("/archive/__broadsheet/overlay.css", "text/css; charset=utf-8"),
])
def test_content_types(serve, path, expected):
    status, headers, _ = serve().get(path)
    assert headers["content-type"] == expected
    assert headers["x-content-type-options"] == "nosniff"


def test_only_html_pages_get_the_client(serve):
    served = serve()
    for path in ("/archive/assets/style.css", "/archive/feed.xml", "/archive/feed.json", "/archive/images/logo.svg"):
        assert b"__broadsheet" not in served.get(path)[2], path


def test_missing_page_gets_the_404_page_with_the_client(serve):
    status, _, body = serve().get("/archive/nothing/here/")
    assert status == 404 and b"Not found" in body and b"client.js" in body


def test_missing_page_without_a_404_page_is_still_html_with_the_client(serve, output):
    (output / "404.html").unlink()
    status, headers, body = serve().get("/archive/nothing/")
    assert status == 404 and headers["content-type"].startswith("text/html") and b"client.js" in body


def test_head_has_the_length_of_get_and_no_body(serve):
    served = serve()
    _, get_headers, get_body = served.get("/archive/")
    status, headers, body = served.get("/archive/", method="HEAD")
    assert status == 200 and body == b""
    assert headers["content-length"] == get_headers["content-length"] == str(len(get_body))


def test_writing_methods_are_refused(serve):
    assert serve().get("/archive/", method="POST")[0] == 405


def test_foreign_host_names_are_refused_on_loopback(serve):
    """A web page that rebinds its own DNS name to 127.0.0.1 must not read the preview."""
    served = serve()
    assert served.get("/archive/", host="evil.example")[0] == 403
    assert served.get("/archive/", host="evil.example:8000")[0] == 403
    assert served.get("/archive/__broadsheet/events", host="evil.example")[0] == 403
    for host in (f"127.0.0.1:{served.port}", f"localhost:{served.port}", "localhost", f"[::1]:{served.port}"):
        assert served.get("/archive/", host=host)[0] == 200, host


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True), ("127.0.0.2", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("example.org", False),
])
def test_loopback_hosts_and_the_warning(host, loopback):
    assert is_loopback(host) is loopback
    assert (host_warning(host) is None) is loopback


def test_url_paths_of_output_files():
    assert url_path("/archive/", "index.html") == "/archive/"
    assert url_path("/archive/", "politics/2024/03/vote/index.html") == "/archive/politics/2024/03/vote/"
    assert url_path("/", "feed.xml") == "/feed.xml"
    assert url_path("/", "tags/երևան/index.html") == "/tags/երևան/"


# --- a request during a rebuild -----------------------------------------------------------------

def _in_thread(function, *args):
    result: dict = {}

    def run():
        result["value"] = function(*args)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, result


def test_request_during_a_rebuild_waits_for_it_and_gets_the_new_page(serve):
    served = serve()
    served.build.gate = threading.Event()
    served.build.started.clear()
    served.build.plan({"politics/2024/03/vote/index.html": "<html><body><p>second</p></body></html>",
                       "culture/2024/05/fest/index.html": None})
    builder, _ = _in_thread(served.preview.rebuild, "edit")
    assert served.build.started.wait(20)
    request, result = _in_thread(served.get, "/archive/politics/2024/03/vote/")
    # The request is now parked in the lock: it cannot be answered before the build ends.
    assert served.preview.lock.wait_for_readers_waiting(1, timeout=20)
    assert "value" not in result and served.preview.lock.writing_now
    served.build.gate.set()
    builder.join(20)
    request.join(20)
    status, _, body = result["value"]
    assert status == 200 and b"<p>second</p>" in body and b"first" not in body
    assert served.get("/archive/culture/2024/05/fest/")[0] == 404


def test_request_during_a_failing_rebuild_gets_the_last_good_page_and_the_overlay(serve):
    served = serve()
    served.build.gate = threading.Event()
    served.build.started.clear()
    served.build.plan([BuildError("content/politics/vote.md", 7, "date", "'soon' is not an ISO 8601 date",
                                  "write 2024-03-05")])
    builder, _ = _in_thread(served.preview.rebuild, "edit")
    assert served.build.started.wait(20)
    request, result = _in_thread(served.get, "/archive/politics/2024/03/vote/")
    assert served.preview.lock.wait_for_readers_waiting(1, timeout=20)
    served.build.gate.set()
    builder.join(20)
    request.join(20)
    status, _, body = result["value"]
    assert status == 200 and b"<p>first</p>" in body
    assert b'role="alert"' in body
    assert b"content/politics/vote.md:7</code>: " in body and b"date" in body


def test_a_waiting_writer_goes_before_later_readers():
    lock = ReadWriteLock()
    order: list[str] = []
    reading = lock.reading()
    reading.__enter__()  # a request in flight
    writer_waiting = threading.Event()

    def write():
        writer_waiting.set()
        with lock.writing():
            order.append("write")

    def read():
        with lock.reading():
            order.append("read")

    writer = threading.Thread(target=write)
    writer.start()
    assert writer_waiting.wait(10)
    with lock._cond:
        assert lock._cond.wait_for(lambda: lock._writers_waiting == 1, 10)
    reader = threading.Thread(target=read)
    reader.start()
    assert lock.wait_for_readers_waiting(1, timeout=10)
    reading.__exit__(None, None, None)
    writer.join(10)
    reader.join(10)
    assert order == ["write", "read"]


# --- build failures never stop the server ------------------------------------------------------

def test_a_crash_in_the_build_is_shown_not_fatal(serve):
    served = serve()
    served.build.plan(KeyError("boom"))
    assert served.preview.rebuild("edit") is False
    status, _, body = served.get("/archive/")
    assert status == 200 and b"internal error" in body and b"KeyError" in body
    assert any("Traceback" in line for line in served.lines)
    served.build.plan({"index.html": "<html><body>fixed</body></html>"})
    assert served.preview.rebuild("fix") is True
    body = served.get("/archive/")[2]
    assert b"fixed" in body and b'role="alert"' not in body


def test_the_terminal_shows_each_rebuild(serve):
    served = serve()
    served.build.plan({"index.html": "<html><body>x</body></html>"})
    served.preview.rebuild("content/a.md changed")
    served.build.plan([BuildError("content/a.md", 3, "title", "is empty")])
    served.preview.rebuild("content/a.md changed")
    built, failed = served.lines[-3], served.lines[-2:]
    assert "content/a.md changed: built in" in built and "1 of" in built
    assert "build failed" in failed[0] and "content/a.md:3: title: is empty" in failed[1]


# --- the event channel --------------------------------------------------------------------------

def test_events_list_the_url_paths_that_changed(serve):
    served = serve()
    stream = served.events()
    try:
        hello = stream.next()
        assert hello["changed"] == [] and not hello["all"] and hello["overlay"] is None
        served.build.plan({"politics/2024/03/vote/index.html": "<p>new</p>", "feed.xml": "<rss>new</rss>"})
        served.preview.rebuild("edit")
        message = stream.next()
        assert message["changed"] == ["/archive/feed.xml", "/archive/politics/2024/03/vote/"]
        assert message["generation"] == hello["generation"] + 1 and not message["all"]
    finally:
        stream.close()


def test_a_build_that_changes_nothing_sends_nothing_and_the_next_is_received(serve):
    served = serve()
    stream = served.events()
    try:
        stream.next()
        served.build.plan({})
        served.preview.rebuild("touch")
        served.build.plan({"index.html": "<p>home</p>"})
        served.preview.rebuild("edit")
        assert stream.next()["changed"] == ["/archive/"]
    finally:
        stream.close()


def test_a_page_that_connects_late_gets_what_it_missed(serve):
    served = serve()
    served_from = served.preview.channel.generation
    served.build.plan({"politics/2024/03/vote/index.html": "<p>new</p>"})
    served.preview.rebuild("edit")
    served.build.plan({"culture/2024/05/fest/index.html": "<p>new</p>"})
    served.preview.rebuild("edit")
    stream = served.events(since=served_from)
    try:
        assert stream.next()["changed"] == ["/archive/culture/2024/05/fest/", "/archive/politics/2024/03/vote/"]
    finally:
        stream.close()


def test_a_page_from_another_server_run_reloads(serve):
    stream = serve().events(session="0123456789abcdef", since=1)
    try:
        assert stream.next()["all"] is True
    finally:
        stream.close()


def test_errors_then_the_fix_over_the_channel(serve):
    served = serve()
    stream = served.events()
    try:
        stream.next()
        served.build.plan([BuildError("content/a.md", 2, "title", "is <b>empty</b>", "write a headline")])
        served.preview.rebuild("edit")
        failed = stream.next()
        assert failed["overlay"] and failed["digest"] and failed["changed"] == []
        assert "content/a.md:2" in failed["overlay"] and "&lt;b&gt;empty&lt;/b&gt;" in failed["overlay"]
        served.build.plan({})  # the fix may change no file at all: pages with the overlay still reload
        served.preview.rebuild("fix")
        fixed = stream.next()
        assert fixed["overlay"] is None and fixed["generation"] == failed["generation"] + 1
    finally:
        stream.close()


def test_a_page_that_connects_while_the_build_is_broken_gets_the_overlay(serve):
    served = serve()
    served.build.plan([BuildError("content/a.md", 2, "title", "is empty")])
    served.preview.rebuild("edit")
    stream = served.events()
    try:
        assert "content/a.md:2" in stream.next()["overlay"]
    finally:
        stream.close()


def test_many_changes_reload_every_page(serve):
    served = serve()
    stream = served.events()
    try:
        stream.next()
        served.build.plan({f"tags/t{i}/index.html": "x" for i in range(2100)})
        served.preview.rebuild("template")
        message = stream.next()
        assert message["all"] is True and message["changed"] == []
    finally:
        stream.close()


def test_a_new_base_path_reloads_every_page(serve):
    served = serve()
    stream = served.events()
    try:
        stream.next()
        served.build.base_path = "/news/"
        served.build.plan({"index.html": "<p>home</p>"})
        served.preview.rebuild("site.yaml changed")
        message = stream.next()
        assert message["all"] is True and message["base"] == "/news/"
        assert served.get("/news/")[0] == 200
    finally:
        stream.close()


def test_stopping_the_server_ends_the_event_streams(serve):
    served = serve()
    stream = served.events()
    stream.next()
    served.preview.stop()
    with pytest.raises(EOFError):
        stream.next()
    stream.close()


# --- work a build leaves for later (the search index) ---------------------------------------------


class LaterBuild:
    """Each build leaves later work: `prepare` waits for the test's gate, `finish` writes a file."""

    def __init__(self, root):
        self.root, self.builds, self.finished = root, 0, []
        self.gate, self.preparing = threading.Event(), threading.Event()

    def __call__(self):
        from builder.serve.server import Built

        self.builds += 1
        number = self.builds
        (self.root / "index.html").write_text(f"<p>build {number}</p>", encoding="utf-8")

        def prepare():
            self.preparing.set()
            assert self.gate.wait(20), "the test never opened the gate"

            def finish():
                (self.root / "pagefind.js").write_text(f"index of build {number}", encoding="utf-8")
                self.finished.append(number)
                return Built(("pagefind.js",), 2, "/", note="index made")

            return finish

        return Built(("index.html",), 2, "/", later=prepare)


def test_later_work_runs_once_builds_stop_and_is_dropped_when_a_build_runs_meanwhile(tmp_path):
    from builder.serve.server import Preview

    build = LaterBuild(tmp_path)
    lines: list[str] = []
    preview = Preview(build, tmp_path, echo=lines.append, settle=0.05)
    preview.rebuild("first build")
    preview.start()
    try:
        assert build.preparing.wait(20)  # build 1's later work began
        preview.rebuild("an edit")  # build 2 runs while it prepares
        build.gate.set()
        assert preview.wait_for_later(1, 20), lines
        assert build.finished == [2]  # build 1's result was never switched in
        assert (tmp_path / "pagefind.js").read_text(encoding="utf-8") == "index of build 2"
        assert any("index made in" in line for line in lines)
    finally:
        preview.stop()


def test_later_work_is_dropped_after_a_failed_build(tmp_path):
    from builder.serve.server import Preview

    build = LaterBuild(tmp_path)
    preview = Preview(build, tmp_path, echo=lambda line: None, settle=0.05)
    preview.rebuild("first build")

    def failing():
        raise BuildFailed([BuildError(None, None, "title", "is missing")])

    preview.build = failing
    assert not preview.rebuild("a broken edit")
    build.gate.set()
    preview.start()
    try:
        assert not preview.wait_for_later(1, 0.5)  # nothing runs: the output is as before, the inputs unsure
        assert build.finished == []
    finally:
        preview.stop()
