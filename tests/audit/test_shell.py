"""Pages of one template share a shell: what lies outside <main>, the <html> element, the styles."""

from __future__ import annotations

from builder.audit.run import shell_of

PAGE = """<!doctype html><html lang="{lang}"><head><title>{title}</title><meta name="description" content="{title}">
<link rel="stylesheet" href="/{css}"></head><body><header><nav>{nav}</nav></header>
<main id="main">{body}</main><footer>Footer</footer></body></html>"""


def page(lang="en", title="A", css="site.css", nav="Menu", body="<p>One</p>") -> bytes:
    return PAGE.format(lang=lang, title=title, css=css, nav=nav, body=body).encode()


def test_the_content_title_and_meta_are_not_the_shell():
    assert shell_of(page()) == shell_of(page(title="B", body="<h1>Other</h1><p>Two</p>"))


def test_markup_outside_main_language_and_styles_are():
    base = shell_of(page())
    assert base != shell_of(page(nav="Menu!"))
    assert base != shell_of(page(lang="hy"))
    assert base != shell_of(page(css="site.abc123.css"))


def test_no_main_no_shell():
    assert shell_of(b"<html lang=en><body><p>Redirecting</p></body></html>") is None
