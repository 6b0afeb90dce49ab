"""Raw HTML in article bodies under each `content.raw_html` mode, in pages and in feeds.

Before: <script>, onerror=, javascript: links and any <iframe> were published as written, in
pages and in feeds; an unclosed comment or <textarea> hid the rest of the page.
"""

from __future__ import annotations

import pytest

from builder.errors import BuildFailed
from tests.support.builds import article, build_into, site_yaml
from tests.support.files import output_state

ATTACK = """\
Before the attack.

<script>document.title = "owned"</script>

<img src="/news/x.png" alt="a picture" onerror="alert(1)">

<a href="javascript:alert(2)">click</a> and <span onmouseover="alert(3)">hover</span>

<style>body { display: none }</style>

<details><summary>More</summary>

<p lang="hy" dir="ltr">Բարեւ</p>

</details>

<figure><img src="/news/x.png" alt="A chart"><figcaption>Votes by year</figcaption></figure>

<p>The <abbr title="Parliament">NA</abbr> met on <time datetime="2024-03-05">5 March</time>.</p>

After the attack.
"""
DANGEROUS = ("<script", "onerror", "javascript:", "onmouseover", "<style")
KEPT = ("<details>", "<summary>More</summary>", '<p lang="hy" dir="ltr">Բարեւ</p>', "<figcaption>Votes by year",
        '<abbr title="Parliament">NA</abbr>', '<time datetime="2024-03-05">', "After the attack.")
FEEDS = ("feed.xml", "atom.xml", "feed.json", "politics/feed.xml", "politics/atom.xml", "politics/feed.json")
PAGE = "politics/2024/03/raw/"


def _site(mode: str | None, body: str, embeds: str = "") -> dict[str, str | bytes]:
    content = f"content:\n  raw_html: {mode}\n{embeds}" if mode else ""
    return {"site.yaml": site_yaml(extra=content), "static/x.png": b"\x89PNG\r\n\x1a\n",
            "content/politics/raw.md": article("Raw", "2024-03-05T09:30:00+04:00", body=body)}


def _article_body(built) -> str:
    html = built.text(PAGE)
    return html[html.index("Before the attack."):html.index("After the attack.") + 20]


@pytest.mark.parametrize("mode", [None, "sanitize"])
def test_sanitize_is_the_default_and_removes_what_runs_script(tmp_path, mode):
    built = build_into(tmp_path, _site(mode, ATTACK))
    body = _article_body(built)
    assert not [word for word in DANGEROUS if word in body.lower()], body
    assert all(kept in body for kept in KEPT), body
    for feed in FEEDS:
        text = built.path(feed).read_text(encoding="utf-8")
        assert "Before the attack." in text and not [w for w in DANGEROUS if w in text.lower()], feed


def test_allow_publishes_the_page_as_written_but_feeds_get_the_sanitized_body(tmp_path):
    built = build_into(tmp_path, _site("allow", ATTACK))
    body = _article_body(built)
    assert '<script>document.title = "owned"</script>' in body and 'onerror="alert(1)"' in body
    for feed in FEEDS:
        text = built.path(feed).read_text(encoding="utf-8")
        assert "Before the attack." in text and "After the attack." in text
        assert not [word for word in DANGEROUS if word in text.lower()], feed


def test_forbid_makes_every_line_of_raw_html_an_error(tmp_path):
    with pytest.raises(BuildFailed) as failed:
        build_into(tmp_path, _site("forbid", ATTACK))
    lines = [e.line for e in failed.value.errors if e.field == "body"]
    body_start = 7  # the front matter's six lines and the blank line after it
    assert lines == [body_start + n for n in range(2, 19, 2)], [str(e) for e in failed.value.errors]
    assert all("content.raw_html" in e.message for e in failed.value.errors)


def test_markdown_without_raw_html_is_the_same_bytes_in_every_mode(tmp_path):
    body = "Plain *Markdown* with [a link](https://example.org/) and a table:\n\n| a | b |\n|--:|:-:|\n| 1 | 2 |\n"
    pages = {mode: build_into(tmp_path / str(mode), _site(mode, body)).text(PAGE)
             for mode in (None, "sanitize", "allow", "forbid")}
    assert len(set(pages.values())) == 1


EMBEDS = "  embeds: [www.youtube-nocookie.com]\n"
VIDEO = '<iframe src="https://www.youtube-nocookie.com/embed/abc" title="Video: the vote" width="560"></iframe>'


def test_an_iframe_from_a_listed_host_with_a_title_is_kept(tmp_path):
    built = build_into(tmp_path, _site("sanitize", f"Before the attack.\n\n{VIDEO}\n\nAfter the attack.\n", EMBEDS))
    assert VIDEO in _article_body(built)


@pytest.mark.parametrize(("frame", "message"), [
    ('<iframe src="https://evil.example/x" title="A game"></iframe>', "from 'evil.example'"),
    ('<iframe src="http://www.youtube-nocookie.com/embed/abc" title="Video"></iframe>', "content.embeds"),
    ('<iframe src="https://www.youtube-nocookie.com/embed/abc"></iframe>', "without a title"),
    ('<iframe src="https://www.youtube-nocookie.com/embed/abc" title="  "></iframe>', "without a title"),
])
def test_an_iframe_from_another_host_or_without_a_title_is_an_error_at_its_line(tmp_path, frame, message):
    with pytest.raises(BuildFailed) as failed:
        build_into(tmp_path, _site("sanitize", f"First.\n\nSecond.\n\n{frame}\n", EMBEDS))
    (error,) = failed.value.errors
    assert (str(error.path), error.line, error.field) == ("content/politics/raw.md", 11, "body")
    assert message in error.message


def test_an_untitled_iframe_is_an_error_in_allow_mode_too(tmp_path):
    with pytest.raises(BuildFailed) as failed:
        build_into(tmp_path, _site("allow", 'Text.\n\n<iframe src="https://any.example/"></iframe>\n'))
    assert [(e.line, e.message) for e in failed.value.errors] == [(9, "an <iframe> without a title")]


@pytest.mark.parametrize("mode", ["sanitize", "allow"])
@pytest.mark.parametrize(("opening", "line", "what"), [
    ("<!-- note to the editor", 9, "comment"), ("<textarea>", 9, "<textarea>"),
    ("Inline <textarea> here.", 9, "<textarea>"), ("<script>", 9, "<script>"), ("<template>", 9, "<template>"),
    ("<noscript>", 9, "<noscript>"),
])
def test_markup_left_open_is_an_error_with_its_line_and_the_output_stays(tmp_path, mode, opening, line, what):
    built = build_into(tmp_path, _site(mode, "Fine.\n"))
    before = output_state(built.out)
    body = f"First paragraph.\n\n{opening}\n\nThe rest of the article.\n"
    with pytest.raises(BuildFailed) as failed:
        build_into(tmp_path, _site(mode, body))
    (error,) = failed.value.errors
    assert (error.line, error.field) == (line, "body") and what in error.message and "never closed" in error.message
    assert output_state(built.out) == before


def test_closed_comments_and_raw_text_elements_are_fine(tmp_path):
    body = "Before the attack.\n\n<!-- a note -->\n\n<textarea>\n\n</textarea>\n\n<!---->\n\nAfter the attack.\n"
    built = build_into(tmp_path, _site("allow", body))
    assert "After the attack." in _article_body(built)


@pytest.mark.parametrize(("yaml", "message"), [
    ("content:\n  raw_html: trust\n", "'trust' is not one of: sanitize, allow, forbid"),
    ("content:\n  embeds: [https://www.youtube.com/]\n", "is not a host name"),
    ("content:\n  raw: allow\n", "unknown key"),
])
def test_content_settings_are_checked(tmp_path, yaml, message):
    files = _site(None, "Text.\n")
    files["site.yaml"] = site_yaml(extra=yaml)
    with pytest.raises(BuildFailed) as failed:
        build_into(tmp_path, files)
    assert any(message in e.message and str(e.path).endswith("site.yaml") and e.line for e in failed.value.errors), \
        [str(e) for e in failed.value.errors]
