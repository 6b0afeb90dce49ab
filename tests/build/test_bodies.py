"""Edits to article bodies take the short way (builder.build.bodies) and give the bytes of a clean build."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from builder.build.pipeline import BuildOptions, build
from builder.errors import BuildFailed
from tests.support.files import age_new_files, diff, jpeg, tree, write_files
from tests.support.herald import SITE_YAML, article_text

NOW = datetime(2025, 1, 1, tzinfo=UTC)
OLD_STORY = "content/culture/old.md"  # older than the feed_limit articles of each of its listings
NEW_STORY = "content/politics/new.md"  # the newest: in every feed it belongs to


@pytest.fixture
def site(tmp_path):
    files = {"site.yaml": SITE_YAML,
             OLD_STORY: article_text("Old story", section="culture", date="2020-02-03T10:00:00+04:00", body="## Background\n\nOld text."),
             NEW_STORY: article_text("New story", date="2024-12-30T10:00:00+04:00", tags=("budget", "water"),
                                     body="## Background\n\nNew text, see [the old story](/culture/2020/02/old/).")}
    for n in range(30):  # enough to push the old story out of the feeds
        files[f"content/culture/c{n}.md"] = article_text(f"Culture {n}", section="culture",
                                                        date=f"2024-{1 + n % 12:02d}-{1 + n % 27:02d}T08:00:00+04:00")
    root = write_files(tmp_path / "site", files)
    age_new_files(root, 1)
    return root


class Step:
    def __init__(self, site: Path):
        self.site, self.step = site, 1

    def edit(self, name: str, old: str, new: str) -> None:
        path = self.site / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        self.step += 1
        age_new_files(self.site, self.step)

    def build(self):
        return build(BuildOptions(self.site, now=NOW, jobs=1))

    def equals_clean(self, tmp: Path) -> None:
        clean = tmp / f"clean{self.step}"
        build(BuildOptions(self.site, output_dir=clean, now=NOW, jobs=1))
        assert diff(tree(self.site / "output"), tree(clean)) == []


@pytest.fixture
def steps(site):
    step = Step(site)
    step.build()
    return step


def _short_way(result) -> bool:
    return result.archive is None and "edit" in result.timings


def test_body_edit_of_an_old_article_rerenders_its_page_only(steps, tmp_path):
    page = next((steps.site / "output/culture/2020").rglob("index.html"))
    home = steps.site / "output/index.html"
    home_mtime = home.stat().st_mtime_ns
    steps.edit(OLD_STORY, "Old text.", "Old text, with a correction of a name.")
    result = steps.build()
    assert _short_way(result) and result.rendered == 1
    assert "correction of a name" in page.read_text(encoding="utf-8")
    assert home.stat().st_mtime_ns == home_mtime
    steps.equals_clean(tmp_path)


def test_body_edit_of_a_recent_article_rerenders_its_feeds(steps, tmp_path):
    steps.edit(NEW_STORY, "New text", "Newer text")
    result = steps.build()
    assert _short_way(result) and result.rendered > 1
    assert "Newer text" in (steps.site / "output/feed.json").read_text(encoding="utf-8")
    steps.equals_clean(tmp_path)
    # and again: the feed recipes were brought up to date by the first edit
    steps.edit(NEW_STORY, "Newer text", "Newest text")
    assert _short_way(steps.build())
    steps.equals_clean(tmp_path)


def test_two_bodies_in_the_same_feeds(steps, tmp_path):
    steps.edit(NEW_STORY, "New text", "Changed text")
    steps.edit("content/culture/c0.md", "Body text.", "Changed culture text.")
    assert _short_way(steps.build())
    steps.equals_clean(tmp_path)


@pytest.mark.parametrize("old, new", [
    ('title: "Old story"', 'title: "Old story, retitled"'),  # shown in listings
    ("## Background", "## Context"),  # the page's ids change: links from elsewhere may break
    ("Old text.", "Old text with ![a photo](/images/new.jpg)."),  # a new file to show
], ids=["title", "heading-id", "new-image"])
def test_other_edits_take_the_full_build(steps, tmp_path, old, new):
    if "images" in new:
        write_files(steps.site, {"static/images/new.jpg": jpeg()})
    steps.edit(OLD_STORY, old, new)
    result = steps.build()
    assert result.archive is not None
    steps.equals_clean(tmp_path)


def test_a_broken_link_in_an_edited_body_is_reported_at_its_line(steps):
    steps.edit(OLD_STORY, "Old text.", "Old text, see [this](/no-such-page/).")
    with pytest.raises(BuildFailed) as failure:
        steps.build()
    (error,) = failure.value.errors
    assert str(error.path) == OLD_STORY and error.line == 12 and "no-such-page" in error.message


def test_a_failed_check_leaves_the_site_as_it_was(steps):
    before = tree(steps.site / "output")
    steps.edit(OLD_STORY, "Old text.", 'Old text. <img src="/x.png">')
    with pytest.raises(BuildFailed):
        steps.build()
    assert tree(steps.site / "output") == before


def test_a_damaged_output_is_repaired_when_an_article_was_only_touched(steps):
    page = steps.site / "output/politics/index.html"
    good = page.read_bytes()
    page.unlink()
    os.utime(steps.site / OLD_STORY)  # now: not trusted, read again, unchanged
    steps.build()
    assert page.read_bytes() == good


def test_compressed_copies_come_and_go_with_the_size_of_an_edited_page(steps, tmp_path):
    page = next((steps.site / "output/culture/2020").rglob("index.html"))
    limit = page.stat().st_size + 200
    with open(steps.site / "site.yaml", "a", encoding="utf-8") as config:
        config.write(f"hosting:\n  precompress: true\n  precompress_min_bytes: {limit}\n")
    steps.step += 1
    age_new_files(steps.site, steps.step)
    steps.build()
    assert not page.with_name("index.html.gz").exists()

    steps.edit(OLD_STORY, "Old text.", "Old text. " + "A much longer correction. " * 20)
    assert _short_way(steps.build())
    assert page.with_name("index.html.gz").exists() and page.with_name("index.html.br").exists()
    steps.equals_clean(tmp_path)
    _nothing_to_do(steps)

    steps.edit(OLD_STORY, "A much longer correction. " * 20, "")
    assert _short_way(steps.build())
    assert not page.with_name("index.html.gz").exists() and not page.with_name("index.html.br").exists()
    steps.equals_clean(tmp_path)
    _nothing_to_do(steps)


def _nothing_to_do(steps: Step) -> None:
    """The next build finds the output as the manifest, as the last edit left it, describes it."""
    steps.step += 1
    age_new_files(steps.site, steps.step)
    result = steps.build()
    assert result.archive is None and result.rendered == 0 and result.report.written == []


def _png(width: int, height: int) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


def test_an_image_replaced_along_with_a_body_edit_is_measured_again(steps, tmp_path):
    # The short way takes the static files from the last full build: only while none changed.
    write_files(steps.site, {"static/images/photo.png": _png(40, 30)})
    steps.edit(OLD_STORY, "Old text.", 'Old text.\n\n![A photo of the square](/images/photo.png "The square")')
    steps.build()
    page = next((steps.site / "output/culture/2020").rglob("index.html"))
    assert 'width="40" height="30"' in page.read_text(encoding="utf-8")

    write_files(steps.site, {"static/images/photo.png": _png(80, 60)})
    steps.edit(OLD_STORY, "Old text.", "Old text, corrected.")
    assert not _short_way(steps.build())
    assert 'width="80" height="60"' in page.read_text(encoding="utf-8")
    steps.equals_clean(tmp_path)

    steps.edit(OLD_STORY, "Old text, corrected.", "Old text, corrected again.")
    assert _short_way(steps.build())
    assert 'width="80" height="60"' in page.read_text(encoding="utf-8")
    steps.equals_clean(tmp_path)


def test_a_body_edit_next_to_articles_with_lead_images_takes_the_short_way(tmp_path):
    """The page shows its neighbours' lead pictures (responsive images): the short way plans them
    too, or its key for the page differs from the full build's and every such edit took the full way."""
    def with_lead(title: str, date: str, body: str = "Body text.") -> str:
        text = article_text(title, section="culture", date=date, body=body)
        return text.replace('summary: "A summary."', 'summary: "A summary."\nimage:\n  src: /images/lead.jpg\n'
                            '  alt: "A square with a fountain."')

    root = write_files(tmp_path / "site", {
        "site.yaml": SITE_YAML, "static/images/lead.jpg": jpeg(1200, 800),
        "content/culture/a.md": with_lead("Before", "2020-02-01T10:00:00+04:00"),
        OLD_STORY: article_text("Old story", section="culture", date="2020-02-03T10:00:00+04:00", body="Old text."),
        "content/culture/b.md": with_lead("After", "2020-02-05T10:00:00+04:00"),
    })
    age_new_files(root, 1)
    step = Step(root)
    step.build()
    page = (root / "output/culture/2020/02/old/index.html").read_text(encoding="utf-8")
    assert "<picture" in page or "srcset" in page  # the neighbours' teasers show their pictures
    step.edit(OLD_STORY, "Old text.", "Old text, corrected.")
    assert _short_way(step.build())
    step.equals_clean(tmp_path)
