"""Feed items of huge articles: past feeds.max_item_bytes they carry the summary and a link, and
the build warns (it does not fail).

Before, a 50 MB article was copied whole into the 9 full-content feeds that list it.
"""

from __future__ import annotations

from click.testing import CliRunner

from builder.cli import main
from tests.support.builds import article, site_yaml
from tests.support.files import write_files

HUGE = "A long paragraph of the inquiry. " * 200 + "\n"  # some 6,600 bytes of HTML
FILES = {
    "site.yaml": site_yaml(extra="feeds:\n  max_item_bytes: 5000\n"),
    "content/politics/inquiry.md": article("Inquiry", "2024-03-05T09:30:00+04:00", body=HUGE,
                                           summary="The inquiry's findings, in short.", tags=["inquiry"]),
    "content/politics/brief.md": article("Brief", "2024-03-04T09:30:00+04:00", body="A short brief.\n",
                                         tags=["inquiry"]),
}


def test_a_huge_article_goes_into_feeds_as_its_summary_and_the_build_warns(build_site):
    built = build_site(FILES)
    for feed in ("feed.xml", "atom.xml", "politics/feed.xml", "tags/inquiry/atom.xml"):
        text = built.path(feed).read_text(encoding="utf-8")
        assert "A long paragraph" not in text and "The inquiry's findings, in short." in text, feed
        assert "A short brief." in text, feed  # a small article still goes in whole
    items = {item["title"]: item for item in built.json("feed.json")["items"]}
    assert "content_html" not in items["Inquiry"] and items["Inquiry"]["content_text"] == items["Inquiry"]["summary"]
    assert items["Inquiry"]["url"].endswith("/politics/2024/03/inquiry/")
    assert "A short brief." in items["Brief"]["content_html"]
    assert "A long paragraph" in built.text("politics/2024/03/inquiry/")  # the page keeps the whole body
    (warning,) = built.result.warnings
    assert (str(warning.path), warning.line, warning.field) == ("content/politics/inquiry.md", 8, "body")
    assert "feeds carry its summary and a link" in warning.message and "max_item_bytes" in warning.hint


def test_the_command_prints_the_warning_and_succeeds(tmp_path):
    site = write_files(tmp_path / "site", FILES)
    result = CliRunner().invoke(main, ["build", "--site", str(site), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "warning: content/politics/inquiry.md:8: body: is " in result.stderr


def test_without_a_huge_article_nothing_changes_and_nothing_is_said(build_site):
    files = {**FILES, "content/politics/inquiry.md": article("Inquiry", "2024-03-05T09:30:00+04:00", body="Short.\n")}
    built = build_site(files)
    assert built.result.warnings == ()
    assert "Short." in built.path("feed.xml").read_text(encoding="utf-8")
