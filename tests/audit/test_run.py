"""The audit's HTTP server and what happens when no browser can start (no Chromium needed)."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.audit.axe import axe_script_path
from builder.audit.run import AXE_PATH, AuditFailed, AuditOptions, _server, audit_site
from builder.cli import main
from builder.config.site import load_config

from .fixture_site import build_fixture_site


@pytest.fixture
def served(tmp_path):
    out = tmp_path / "output"
    (out / "news" / "a").mkdir(parents=True)
    (out / "news" / "a" / "index.html").write_text("<html>a</html>")
    (out / "old" / "a").mkdir(parents=True)
    (out / "old" / "a" / "index.html").write_text('<meta http-equiv="Refresh" content="0; url=/g/news/a/">')
    (out / ".broadsheet-manifest.json").write_text("{}")
    (tmp_path / "secret.txt").write_text("outside")
    server = _server(out, "/g/", axe_script_path(), {"old/a/index.html"})
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def get(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, b"", ""


def test_serves_the_output_under_its_base_path_only(served):
    assert get(served + "/g/news/a/")[:2] == (200, b"<html>a</html>")
    assert get(served + "/g/news/a/index.html")[2] == "text/html; charset=utf-8"
    for path in ("/news/a/", "/g/.broadsheet-manifest.json", "/g/../secret.txt", "/g/%2e%2e/secret.txt",
                 "/g/missing/"):
        assert get(served + path)[0] == 404, path


def test_serves_axe_and_switches_off_redirects_for_the_audit(served):
    status, body, kind = get(served + AXE_PATH)
    assert status == 200 and body.startswith(b"/*! axe") and kind.startswith("text/javascript")
    assert get(served + "/g/old/a/")[1] == b'<meta http-equiv="x-audit-refresh" content="0; url=/g/news/a/">'


def test_no_browser_means_the_audit_cannot_run(tmp_path, monkeypatch):
    site, _ = build_fixture_site(tmp_path)
    monkeypatch.setenv("BROADSHEET_CHROMIUM", str(tmp_path / "no-chromium"))
    monkeypatch.setenv("BROADSHEET_CHROMEDRIVER", str(tmp_path / "no-chromedriver"))
    with pytest.raises(AuditFailed, match="apt-get install chromium chromium-driver"):
        audit_site(load_config(site), AuditOptions(site, workers=2, use_cache=False))
    outcome = CliRunner().invoke(main, ["audit", "--site", str(site), "--no-cache"])
    assert outcome.exit_code == 2
    assert "Audit could not run" in outcome.output
    assert not (site / "output" / "audit-report").exists()


def test_the_headless_shell_is_used_only_when_no_browser_is_named(tmp_path, monkeypatch):
    import builder.audit.browser as browser

    shell = tmp_path / "chromium-headless-shell"
    shell.write_text("#!/bin/sh\n")
    shell.chmod(0o755)
    monkeypatch.setattr(browser, "HEADLESS_SHELL", str(shell))
    monkeypatch.delenv("BROADSHEET_CHROMIUM", raising=False)
    assert browser.headless_shell_path() == str(shell)
    monkeypatch.setenv("BROADSHEET_CHROMIUM", "/opt/my/chromium")
    assert browser.headless_shell_path() is None  # the browser named is the one used
    monkeypatch.delenv("BROADSHEET_CHROMIUM")
    shell.unlink()
    assert browser.headless_shell_path() is None


def test_pictures_are_served_as_empty_svgs_of_their_size_when_asked(tmp_path):
    from .fixture_site import png

    out = tmp_path / "output"
    (out / "images").mkdir(parents=True)
    (out / "images" / "chart.png").write_bytes(png(40, 20))
    (out / "images" / "broken.png").write_bytes(b"not a picture")
    servers = {s: _server(out, "/g/", axe_script_path(), set(), stand_ins=s) for s in (False, True)}
    try:
        url = {s: f"http://127.0.0.1:{server.server_address[1]}/g/images/" for s, server in servers.items()}
        assert get(url[False] + "chart.png")[:2] == (200, png(40, 20))
        assert get(url[True] + "chart.png") == (
            200, b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"></svg>', "image/svg+xml")
        assert get(url[True] + "broken.png")[:2] == (200, b"not a picture")  # no size to read: as it is
    finally:
        for server in servers.values():
            server.shutdown()
            server.server_close()


def test_a_stand_in_has_the_size_the_browser_gives_the_picture(tmp_path):
    from PIL import Image

    from builder.audit.run import stand_in

    def jpeg(name: str, **tags) -> Path:
        exif = Image.Exif()
        for tag, value in tags.items():
            exif[{"orientation": 0x0112, "x_resolution": 0x011A}[tag]] = value
        Image.new("RGB", (30, 10), "white").save(tmp_path / name, "JPEG", exif=exif.tobytes())
        return tmp_path / name

    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}"></svg>'
    assert stand_in(jpeg("plain.jpg")) == svg.format(30, 10).encode()
    assert stand_in(jpeg("turned.jpg", orientation=6)) == svg.format(10, 30).encode()  # shown turned a quarter
    assert stand_in(jpeg("72dpi.jpg", x_resolution=72)) == svg.format(30, 10).encode()
    assert stand_in(jpeg("144dpi.jpg", x_resolution=144)) is None  # Chromium may size it by its resolution
