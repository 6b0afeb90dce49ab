"""The error overlay and what is injected into served pages."""

from __future__ import annotations

from pathlib import Path

from builder.errors import BuildError
from builder.serve.overlay import CLIENT_JS, OVERLAY_CSS, inject, overlay_html, problem_text

ERRORS = [
    BuildError(Path("content/politics/vote.md"), 7, "image.alt", "is the same as the caption",
               "let the alt describe the picture"),
    BuildError(Path("site.yaml"), None, "theme", "no theme named 'x'"),
    BuildError(None, None, None, "two pages would be written to a/index.html"),
]


def test_problem_text_is_path_line_field_message():
    assert problem_text(ERRORS[0]) == "content/politics/vote.md:7: image.alt: is the same as the caption"
    assert problem_text(ERRORS[1]) == "site.yaml: theme: no theme named 'x'"
    assert problem_text(ERRORS[2]) == "two pages would be written to a/index.html"


def test_overlay_is_an_alert_with_a_heading_every_problem_its_fix_and_a_button():
    html = overlay_html(ERRORS)
    assert 'role="alert"' in html and 'tabindex="-1"' in html and 'aria-labelledby="broadsheet-overlay-title"' in html
    assert '<h2 id="broadsheet-overlay-title">Build failed: 3 problems</h2>' in html
    assert '<code dir="ltr">content/politics/vote.md:7</code>: ' in html
    assert "<strong>Fix:</strong> let the alt describe the picture" in html
    assert '<button type="button"' in html and ">Close</button>" in html
    assert 'lang="en" dir="ltr"' in html
    assert "Build failed: 1 problem<" in overlay_html(ERRORS[:1])


def test_overlay_escapes_everything():
    html = overlay_html([BuildError(Path("content/<x>.md"), 1, "<f>", "<script>alert(1)</script>", "<b>")])
    assert "<script>" not in html and "<b>" not in html and "<x>" not in html and "<f>" not in html
    assert "&lt;script&gt;" in html


def test_injection_goes_before_the_last_body_end_tag():
    page = b"<html><body><p>x</p><script>var s = '</body>';</script></BODY></html>"
    result = inject(page, base_path="/archive/", session="abc", generation=4, overlay=None)
    head, tail = result.rsplit(b"</BODY>", 1)
    assert tail == b"</html>"
    assert b'src="/archive/__broadsheet/client.js"' in head and b'data-generation="4"' in head
    assert b'href="/archive/__broadsheet/overlay.css"' in head
    assert b"broadsheet-overlay" not in head.split(b"overlay.css")[1]


def test_injection_without_a_body_end_tag_appends():
    result = inject(b"<p>x</p>", base_path="/", session="abc", generation=1, overlay=overlay_html(ERRORS))
    assert result.startswith(b"<p>x</p>") and b'role="alert"' in result and b"data-digest=" in result


def test_client_and_styles_cover_keyboard_dark_mode_and_rtl():
    assert "Escape" in CLIENT_JS and ".focus()" in CLIENT_JS and "EventSource" in CLIENT_JS
    assert "prefers-color-scheme: dark" in OVERLAY_CSS and "forced-colors" in OVERLAY_CSS
    assert "inset-inline" in OVERLAY_CSS and "left:" not in OVERLAY_CSS and "right:" not in OVERLAY_CSS
