"""The preview on Broadsheet's real build: a copy of the example site, edited on disk."""

from __future__ import annotations

import socket
import threading
from dataclasses import replace

import pytest
from click.testing import CliRunner

from builder.cli import main
from builder.commands.preview import SiteBuild, run_preview
from builder.serve.server import Preview
from tests.serve.conftest import EventStream
from tests.serve.sites import copy_example_site

ARTICLE = "content/politics/2024/yerevan-transport-budget.md"
ARTICLE_URL = "/archive/en/politics/2024/03/yerevan-transport-budget/"
OTHER_URL = "/archive/culture/2023/06/translation-festival/"


@pytest.fixture
def site(tmp_path):
    return copy_example_site(tmp_path / "site", stub_theme=True)


def test_a_body_edit_changes_that_page_and_what_lists_it_not_other_articles(site):
    build = SiteBuild(site)
    first = build()
    assert first.base_path == "/archive/" and "index.html" in first.changed and first.files > 100
    assert build().changed == ()
    path = site / ARTICLE
    path.write_text(path.read_text(encoding="utf-8") + "\nA new closing paragraph.\n", encoding="utf-8")
    changed = build().changed
    assert "en/politics/2024/03/yerevan-transport-budget/index.html" in changed
    assert "culture/2023/06/translation-festival/index.html" not in changed
    assert len(changed) < first.files / 4


def test_drafts_and_scheduled_articles_are_in_the_preview_by_default(site):
    draft = site / "content/politics/2024/draft-piece.md"
    draft.write_text('---\ntitle: "Unfinished"\ndate: 2024-05-01T10:00:00+04:00\nsection: politics\n'
                     'summary: "Not yet."\ndraft: true\n---\n\nWork in progress.\n', encoding="utf-8")
    future = site / "content/politics/2024/future-piece.md"
    future.write_text('---\ntitle: "Tomorrow"\ndate: 2099-05-01T10:00:00+04:00\nsection: politics\n'
                      'summary: "Later."\n---\n\nEmbargoed.\n', encoding="utf-8")
    shown = SiteBuild(site)()
    assert "politics/2024/05/draft-piece/index.html" in shown.changed
    assert "politics/2099/05/future-piece/index.html" in shown.changed
    hidden = SiteBuild(site, drafts=False)()
    assert "politics/2024/05/draft-piece/index.html" in hidden.changed  # removed
    assert not (site / "output/politics/2024/05/draft-piece/index.html").exists()
    assert not (site / "output/politics/2099/05/future-piece/index.html").exists()


def test_watch_roots(site):
    roots = {root.kind: root for root in SiteBuild(site).watch_roots()}
    assert roots["content"].path == site.resolve() / "content" and ".md" in roots["content"].suffixes
    assert roots["config"].path == site.resolve() / "site.yaml"
    assert roots["theme"].path == site.resolve() / "themes/default"
    assert roots["templates"].path == site.resolve() / "templates"
    (site / "site.yaml").write_text("title: [broken\n", encoding="utf-8")
    assert {root.kind for root in SiteBuild(site).watch_roots()} >= {"config", "content", "static", "templates"}


@pytest.fixture
def live(site):
    build = SiteBuild(site)
    lines: list[str] = []
    # settle: the search index the builds leave for later is not made during these tests, whose
    # event streams expect the message of each edit next (test_an_edit_is_shown_before_... makes it).
    preview = Preview(build, build.output, watch=build.watch_roots, display_root=build.site_dir, echo=lines.append,
                      settle=3600)
    preview.rebuild("first build")
    preview.start()
    preview.lines = lines
    yield preview
    preview.stop()


def events(preview: Preview) -> EventStream:
    stream = EventStream(preview.port, f"/archive/__broadsheet/events?session={preview.channel.session}"
                                       f"&since={preview.channel.generation}")
    assert stream.next()["changed"] == []
    return stream


def test_saving_an_article_tells_its_page_and_not_an_unrelated_one(live, site):
    stream = events(live)
    try:
        path = site / ARTICLE
        path.write_text(path.read_text(encoding="utf-8") + "\nFresh words.\n", encoding="utf-8")
        message = stream.next()
        assert ARTICLE_URL in message["changed"] and OTHER_URL not in message["changed"]
        assert any(f"{ARTICLE} changed: built in" in line for line in live.lines)
    finally:
        stream.close()


def test_broken_front_matter_then_the_fix(live, site):
    stream = events(live)
    path = site / ARTICLE
    good = path.read_text(encoding="utf-8")
    try:
        path.write_text(good.replace("date: 2024-03-05T09:30:00+04:00", "date: next tuesday"), encoding="utf-8")
        failed = stream.next()
        assert f"{ARTICLE}:3</code>: " in failed["overlay"] and "ISO 8601" in failed["overlay"]
        assert any("build failed" in line for line in live.lines)
        body = _get(live, ARTICLE_URL)
        assert b'role="alert"' in body and f"{ARTICLE}:3".encode() in body
        path.write_text(good + "\nFixed.\n", encoding="utf-8")
        fixed = stream.next()
        assert fixed["overlay"] is None and ARTICLE_URL in fixed["changed"]
        assert b'role="alert"' not in _get(live, ARTICLE_URL)
    finally:
        stream.close()


def test_a_template_edit_rebuilds_what_uses_it(live, site):
    stream = events(live)
    try:
        template = site / "themes/default/templates/article.html"
        template.write_text(template.read_text().replace("<h1>", '<h1 class="edited">'), encoding="utf-8")
        message = stream.next()
        assert message["all"] or (ARTICLE_URL in message["changed"] and OTHER_URL in message["changed"])
        assert b'class="edited"' in _get(live, ARTICLE_URL)
    finally:
        stream.close()


def test_a_page_with_accepted_debts_shows_editors_a_note_for_each(site):
    from builder.build.pipeline import build as run_build
    from builder.checks.baseline import BASELINE_NAME, write_baseline
    from builder.commands.preview import SiteBuild as Build

    path = site / ARTICLE
    path.write_text(path.read_text(encoding="utf-8") + "\n![](/images/nowhere.jpg)\n", encoding="utf-8")
    survey = run_build(replace(Build(site).options, survey=True))
    write_baseline(site / BASELINE_NAME, survey.debts.judgement.found)
    build = Build(site)
    preview = Preview(build, build.output, display_root=build.site_dir, echo=lambda line: None)
    assert preview.rebuild("first build")
    preview.start()
    try:
        page = _get(preview, ARTICLE_URL).decode()
        note = page[page.index('<aside id="broadsheet-debts"'):]
        assert "2 known debts on this page" in note and note.count("<li>") == 2
        assert "has no alt text" in note and "does not exist" in note
        assert '<img src="/archive/images/nowhere.jpg" loading="lazy"' in page  # no alt="" hides it from axe
        assert b"broadsheet-debts" not in _get(preview, OTHER_URL)
        assert b"broadsheet-debts" not in (build.output / ARTICLE_URL.removeprefix("/archive/") / "index.html"
                                           ).read_bytes()  # the output itself has no note
    finally:
        preview.stop()


def _get(preview: Preview, path: str) -> bytes:
    from tests.serve.conftest import raw_request

    return raw_request(preview.port, path)[2]


def test_serve_warns_off_loopback_and_fails_cleanly_on_a_taken_port(site):
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--site", str(site), "--host", "0.0.0.0", "--port", str(port)])
        assert result.exit_code == 1
        assert "Warning: listening on 0.0.0.0" in result.output
        assert "Cannot listen on 0.0.0.0" in result.output


def test_run_preview_serves_until_stopped(site, monkeypatch):
    """The command's own loop: first build, URL, then serving until Ctrl+C (here: a stop)."""
    started = threading.Event()
    made: list[Preview] = []
    original_start = Preview.start

    def start(self):
        made.append(self)
        original_start(self)
        started.set()

    monkeypatch.setattr(Preview, "start", start)
    outcome: dict = {}
    thread = threading.Thread(target=lambda: outcome.setdefault(
        "code", run_preview(site, host="127.0.0.1", port=0, drafts=True, open_browser=False)), daemon=True)
    thread.start()
    assert started.wait(30)
    assert b"Yerevan council" in _get(made[0], ARTICLE_URL)
    made[0].stop()
    thread.join(20)
    assert outcome["code"] == 0


def test_the_preview_reuses_the_output_of_broadsheet_build_when_the_site_has_no_draft_or_scheduled_article(site):
    from builder.build.pipeline import BuildOptions, build
    from tests.support.files import age_new_files

    age_new_files(site, 1)  # inputs older than the clock's resolution: the build's stamps are trusted
    published = build(BuildOptions(site))
    assert published.archive is not None
    preview = SiteBuild(site)
    assert preview().changed == ()
    assert preview.result is not None and preview.result.archive is None  # nothing read, nothing rendered
    # The other way round the output is built again: its manifest would say "drafts" and deploy refuse it.
    again = build(BuildOptions(site))
    assert again.archive is None


def test_the_preview_does_not_reuse_a_build_that_left_a_draft_or_a_scheduled_article_out(site):
    from builder.build.pipeline import BuildOptions, build
    from tests.support.files import age_new_files

    (site / "content/politics/2024/future-piece.md").write_text(
        '---\ntitle: "Tomorrow"\ndate: 2099-05-01T10:00:00+04:00\nsection: politics\n'
        'summary: "Later."\n---\n\nEmbargoed.\n', encoding="utf-8")
    age_new_files(site, 1)
    build(BuildOptions(site))
    assert not (site / "output/politics/2099/05/future-piece/index.html").exists()
    preview = SiteBuild(site)
    assert "politics/2099/05/future-piece/index.html" in preview().changed
    assert preview.result is not None and preview.result.archive is not None
    assert (site / "output/politics/2099/05/future-piece/index.html").is_file()


def test_an_edit_is_shown_before_the_search_index_which_catches_up_once_edits_stop(site):
    from builder.build.pipeline import BuildOptions, build
    from tests.support.pagefind import fragments

    def indexed(word: str) -> bool:
        return any(word in record["content"] for record in fragments(site / "output")
                   if record["url"].endswith("/yerevan-transport-budget/"))

    site_build = SiteBuild(site)
    lines: list[str] = []
    preview = Preview(site_build, site_build.output, watch=site_build.watch_roots, display_root=site_build.site_dir,
                      echo=lines.append, settle=0.3)
    assert preview.rebuild("first build")
    assert not (site / "output/pagefind").exists()  # the pages first: no index yet
    preview.start()
    try:
        assert preview.wait_for_later(1, 300), lines
        assert (site / "output/pagefind/pagefind-entry.json").is_file()
        stream = events(preview)
        try:
            path = site / ARTICLE
            path.write_text(path.read_text(encoding="utf-8") + "\nZanzibarish words.\n", encoding="utf-8")
            message = stream.next()
            assert ARTICLE_URL in message["changed"] and not any("pagefind" in url for url in message["changed"])
            assert b"Zanzibarish" in _get(preview, ARTICLE_URL)
            assert not indexed("Zanzibarish")  # the index is the last one, whole
            assert preview.wait_for_later(2, 300), lines
            assert indexed("Zanzibarish")
            assert any(url.startswith("/archive/pagefind/") for url in stream.next()["changed"])
        finally:
            stream.close()
    finally:
        preview.stop()
    # What the preview left is what a build makes: one with the same options has nothing to do.
    again = build(BuildOptions(site, drafts=True, future=True))
    assert again.archive is None and again.report.written == []
