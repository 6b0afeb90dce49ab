"""The link check of a whole build: broken body links and anchors name their Markdown line."""

from __future__ import annotations

import socket

import pytest

from builder.errors import BuildFailed
from builder.output.layout import STAGING
from tests.support.builds import article, build_into
from tests.support.files import output_state, write_files

OTHER = article("Other story", "2024-05-01T10:00:00+04:00",
                body="Intro.\n\n## Details\n\nThe details.\n\n## Մանրամասներ\n\nՏեքստ։\n", tags=["Երևան"])


def line_of(text: str, needle: str) -> int:
    """1-based line of the only line containing `needle`."""
    found = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(found) == 1, (needle, found)
    return found[0]


def failure(build_site, files: dict, **options) -> BuildFailed:
    with pytest.raises(BuildFailed) as caught:
        build_site({"content/politics/other.md": OTHER, **files}, **options)
    return caught.value


BROKEN = [
    # name, body, the text of the line the error must name
    ("missing page",
     "Intro.\n\nA paragraph that points\nat a [missing page](/politics/2099/01/nowhere/) on its second line.\n",
     "/politics/2099/01/nowhere/"),
    ("missing anchor", "Intro.\n\nSee [the details](/politics/2024/05/other/#no-such-part).\n", "#no-such-part"),
    ("missing section", "Text.\n\n- one\n- two, in [science](/science/)\n", "(/science/)"),
    ("relative", "Text.\n\n> Quoted,\n> with a [relative link](../nope/).\n", "../nope/"),
    ("table cell", "Text.\n\n| a | b |\n|---|---|\n| [x](/nope-table/) | y |\n", "/nope-table/"),
    ("static file", "See [the report](/files/missing.pdf).\n", "/files/missing.pdf"),
    ("unknown tag", "See [a topic](/tags/%D5%A5/).\n", "/tags/%D5%A5/"),
]


@pytest.mark.parametrize("name, body, needle", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_body_link_fails_the_build_at_its_markdown_line(build_site, name, body, needle):
    text = article("Broken", "2024-05-02T10:00:00+04:00", body=body, summary="A story with a bad link.")
    error = failure(build_site, {"content/politics/broken.md": text})
    (problem,) = error.errors
    assert str(problem.path) == "content/politics/broken.md"
    assert problem.line == line_of(text, needle)
    assert f"content/politics/broken.md:{line_of(text, needle)}: body: broken link" in str(error)


def test_same_page_anchor_without_target_names_its_line(build_site):
    text = article("Broken", "2024-05-02T10:00:00+04:00", body="Intro.\n\nJump [down](#nowhere).\n")
    error = failure(build_site, {"content/politics/broken.md": text})
    assert f"content/politics/broken.md:{line_of(text, '#nowhere')}:" in str(error)
    assert "nowhere" in str(error)


def test_every_broken_link_of_every_file_is_reported_at_once(build_site):
    first = article("First", "2024-05-02T10:00:00+04:00", body="[a](/nope-a/)\n\n[b](/politics/2024/05/other/#gone)\n")
    second = article("Second", "2024-05-03T10:00:00+04:00", section="culture", body="Fine.\n\n[c](/nope-c/)\n")
    error = failure(build_site, {"content/politics/first.md": first, "content/culture/second.md": second})
    assert [(str(e.path), e.line) for e in error.errors] == [
        ("content/culture/second.md", line_of(second, "/nope-c/")),
        ("content/politics/first.md", line_of(first, "/nope-a/")),
        ("content/politics/first.md", line_of(first, "#gone")),
    ]


def test_broken_link_in_raw_html_of_the_body_names_its_markdown_line(build_site):
    text = article("Broken", "2024-05-02T10:00:00+04:00",
                   body='Intro.\n\n<p>Raw <a href="/news/politics/2099/01/nowhere/">link</a></p>\n')
    error = failure(build_site, {"content/politics/broken.md": text})
    (problem,) = error.errors
    assert (str(problem.path), problem.line) == ("content/politics/broken.md", line_of(text, "nowhere"))


def test_working_links_pass(build_site):
    body = """\
Links that all resolve:

- [an article](/politics/2024/05/other/) and [its heading](/politics/2024/05/other/#details)
- [a section](/politics/), [the archive](/archive/), [a month](/2024/05/) and [a feed](/politics/atom.xml)
- [a topic](/tags/երևան/), [the same, encoded](/tags/%D5%A5%D6%80%D6%87%D5%A1%D5%B6/)
- [an Armenian heading](/politics/2024/05/other/#մանրամասներ), [encoded](/politics/2024/05/other/#%D5%B4%D5%A1%D5%B6%D6%80%D5%A1%D5%B4%D5%A1%D5%BD%D5%B6%D5%A5%D6%80)
- [a file](/files/report.pdf), [with a query](/politics/?page=1), [home](/)
- [relative](../other/), [here](#own-heading), <a href="/news/culture/">raw HTML with the base path</a>

## Own heading

Text.
"""
    built = build_site({"content/politics/other.md": OTHER, "static/files/report.pdf": b"%PDF-1.4\n",
                        "content/politics/fine.md": article("Fine", "2024-05-02T10:00:00+04:00", body=body)})
    hrefs = built.html("politics/2024/05/fine/").xpath("//div[contains(@class, 'article-body')]//a/@href")
    assert "/news/politics/2024/05/other/#details" in hrefs
    assert "/news/files/report.pdf" in hrefs


def test_link_to_an_unpublished_article_is_broken_until_it_is_built(build_site):
    draft = article("Draft", "2024-05-03T10:00:00+04:00", draft=True)
    text = article("Linker", "2024-05-02T10:00:00+04:00", body="See [the draft](/politics/2024/05/draft/).\n")
    files = {"content/politics/draft.md": draft, "content/politics/linker.md": text}
    error = failure(build_site, files)
    assert [(str(e.path), e.line) for e in error.errors] == \
        [("content/politics/linker.md", line_of(text, "/politics/2024/05/draft/"))]
    build_site({"content/politics/other.md": OTHER, **files}, drafts=True)


def test_link_to_an_expired_article_still_works(build_site):
    expired = article("Expired", "2024-04-01T10:00:00+04:00", expires="2024-05-01T00:00:00+04:00")
    text = article("Linker", "2024-05-02T10:00:00+04:00", body="See [it](/politics/2024/04/expired/).\n")
    built = build_site({"content/politics/expired.md": expired, "content/politics/linker.md": text})
    assert built.exists("politics/2024/04/expired/")


def test_check_links_false_skips_the_check(build_site):
    text = article("Broken", "2024-05-02T10:00:00+04:00",
                   body="[a](/nope/) and [b](/politics/2024/05/other/#gone)\n")
    built = build_site({"content/politics/other.md": OTHER, "content/politics/broken.md": text},
                       check_links=False)
    hrefs = built.html("politics/2024/05/broken/").xpath("//div[contains(@class, 'article-body')]//a/@href")
    assert hrefs == ["/news/nope/", "/news/politics/2024/05/other/#gone"]


def test_external_links_are_not_fetched(build_site, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError(f"the build tried to open a connection: {args!r}")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    body = ("[gone](https://no-such-host.invalid/page) [proto](//cdn.invalid/x.js) "
            "[mail](mailto:desk@example.org) [phone](tel:+37410000000) <https://example.invalid/auto>\n")
    built = build_site({"content/politics/ext.md": article("External", "2024-05-02T10:00:00+04:00", body=body)})
    hrefs = built.html("politics/2024/05/ext/").xpath("//div[contains(@class, 'article-body')]//a/@href")
    assert "https://no-such-host.invalid/page" in hrefs


def test_failed_link_check_leaves_the_previous_output_untouched(tmp_path):
    root = tmp_path / "site-and-output"
    good = article("Good", "2024-05-02T10:00:00+04:00", body="See [other](/politics/2024/05/other/).\n")
    built = build_into(root, {"content/politics/other.md": OTHER, "content/politics/good.md": good})
    before = output_state(built.out)
    assert "politics/2024/05/good/index.html" in before

    # Edit the article to break its link, and add a new one: neither may reach the output.
    broken = article("Good, edited", "2024-05-02T10:00:00+04:00", body="See [other](/politics/2024/05/gone/).\n")
    write_files(built.site, {"content/politics/good.md": broken,
                             "content/culture/new.md": article("New", "2024-05-03T10:00:00+04:00", section="culture")})
    with pytest.raises(BuildFailed) as caught:
        build_into(root, {})
    assert [(str(e.path), e.line) for e in caught.value.errors] == \
        [("content/politics/good.md", line_of(broken, "/politics/2024/05/gone/"))]
    assert output_state(built.out) == before
    assert not (built.out / STAGING).exists()

    # Fixing the link builds the new state.
    write_files(built.site, {"content/politics/good.md": good.replace("Good", "Good, fixed")})
    build_into(root, {})
    assert "Good, fixed" in built.text("politics/2024/05/good/")
    assert built.exists("culture/2024/05/new/")
