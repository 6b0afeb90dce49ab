"""One run reports every problem, and the accessibility baseline lets an archive build with its old debts."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.build.pipeline import BuildOptions, build
from builder.checks.baseline import BASELINE_NAME, load_baseline, write_baseline
from builder.errors import BuildFailed
from tests.support.builds import FIXED_NOW, article, site_yaml
from tests.support.files import age_new_files, png, site_state, write_files

OLD = article("Old story", "2019-03-05T10:00:00+04:00",
              body="Intro.\n\n### Background\n\n![](/images/gone.jpg)\n\nSee [the new one](/politics/2024/01/new/) and [a gone one](/nowhere/).\n",
              image={"src": "/images/lead.png", "caption": "A photo"})
NEW = article("New", "2024-01-02T10:00:00+04:00", body="## Fine\n\nBack to [the old one](/politics/2019/03/old/#background).\n")
BROKEN = article("Broken", "not a date", body="[gone](/news/nowhere/)\n")
PNG = png(1, 1)


def site(tmp_path: Path, **files: str | bytes) -> Path:
    everything = {"site.yaml": site_yaml(), "content/politics/old.md": OLD, "content/politics/new.md": NEW,
                  "static/images/lead.png": PNG}
    return write_files(tmp_path / "site", {**everything, **files})


def run(folder: Path, **options):
    return build(BuildOptions(folder, output_dir=folder.parent / "out", now=FIXED_NOW, jobs=1, **options))


def failure(folder: Path, **options) -> BuildFailed:
    with pytest.raises(BuildFailed) as caught:
        run(folder, **options)
    return caught.value


def lines(failed: BuildFailed) -> list[str]:
    return [f"{e.location()}: {e.field}: {e.message}" for e in failed.errors]


def accept_everything(folder: Path) -> None:
    survey = run(folder, drafts=True, future=True, survey=True)
    write_baseline(folder / BASELINE_NAME, survey.debts.judgement.found)


def test_one_run_reports_front_matter_body_page_and_link_problems_together(tmp_path):
    folder = site(tmp_path, **{"content/politics/broken.md": BROKEN})
    found = lines(failure(folder))
    assert found == [
        "content/politics/broken.md:3: date: 'not a date' is not an ISO 8601 date",
        "content/politics/old.md:5: image: missing required field 'alt'",
        "content/politics/old.md:10: heading-order: h3 (\"Background\") follows h1: heading level h2 skipped "
        "(in politics/2019/03/old/index.html)",
        "content/politics/old.md:12: body: image '/images/gone.jpg' has no alt text",
        "content/politics/old.md:12: body: '/images/gone.jpg' does not exist",
        "content/politics/old.md:14: body: broken link to /news/nowhere/: no such page in the site",
    ]
    assert not (tmp_path / "out" / "index.html").exists()  # nothing was published


def test_a_failed_build_leaves_the_last_output_as_it_was(tmp_path):
    folder = site(tmp_path)
    accept_everything(folder)
    run(folder)
    before = site_state(tmp_path / "out")
    (folder / "content/politics/new.md").write_text(NEW + "\n![](/images/new.jpg)\n", encoding="utf-8")
    assert "image '/images/new.jpg' has no alt text" in "\n".join(lines(failure(folder)))
    assert site_state(tmp_path / "out") == before


def test_with_the_baseline_the_archive_builds_and_the_debts_stay_visible(tmp_path):
    folder = site(tmp_path)
    accept_everything(folder)
    result = run(folder)
    judgement = result.debts.judgement
    assert (judgement.known_count, judgement.known_files, judgement.new, judgement.fixed) == (5, 1, [], {})
    page = (tmp_path / "out/politics/2019/03/old/index.html").read_text(encoding="utf-8")
    lead = page[page.index('<figure class="lead-image">'):page.index("</figure>")]
    assert '<img src="/news/images/lead.1w.' in lead and "alt=" not in lead  # no alt="": axe sees it
    assert '<img src="/news/images/gone.jpg" loading="lazy"' in page
    assert set(result.debts.pages) == {"politics/2019/03/old/index.html"}  # the preview's note


def test_a_new_debt_fails_a_fixed_one_is_reported_and_update_removes_it(tmp_path):
    from builder.checks.baseline import updated

    folder = site(tmp_path)
    accept_everything(folder)
    run(folder)
    old = folder / "content/politics/old.md"
    old.write_text(OLD.replace("### Background", "## Background"), encoding="utf-8")
    (folder / "content/politics/new.md").write_text(NEW + "\n![](https://example.com/x.jpg)\n", encoding="utf-8")
    failed = failure(folder)
    assert lines(failed) == ["content/politics/new.md:11: body: image 'https://example.com/x.jpg' has no alt text"]
    assert failed.note == ("4 known accessibility debts in 1 file; 1 new; 1 debt fixed: run `broadsheet baseline "
                           "--update` to drop it from accessibility-baseline.yaml")
    (folder / "content/politics/new.md").write_text(NEW, encoding="utf-8")
    age_new_files(folder, 1)
    judgement = run(folder).debts.judgement
    assert [key.rule for key in judgement.fixed] == ["heading-order"]
    again = run(folder)
    assert again.archive is None and again.debts.judgement.fixed_count == 1  # nothing read: the last report
    write_baseline(folder / BASELINE_NAME, updated(load_baseline(folder), judgement))
    judgement = run(folder).debts.judgement
    assert (judgement.known_count, judgement.fixed) == (4, {})


def test_debts_of_pages_that_were_not_rendered_again_still_count(tmp_path):
    folder = site(tmp_path)
    accept_everything(folder)
    run(folder)
    (folder / "content/politics/third.md").write_text(article("Third", "2024-02-01T10:00:00+04:00"), encoding="utf-8")
    result = run(folder)
    assert result.rendered < result.pages  # the old article's page was kept
    assert (result.debts.judgement.known_count, result.debts.judgement.fixed) == (5, {})


def test_without_a_baseline_nothing_changes_for_a_site_without_debts(tmp_path):
    folder = write_files(tmp_path / "site", {"site.yaml": site_yaml(), "content/politics/new.md": NEW.replace(
        "/politics/2019/03/old/#background", "/politics/")})
    result = run(folder)
    assert result.debts.judgement.known == [] and result.debts.judgement.fixed == {}


def test_heading_shift_in_site_yaml_renders_h3_bodies_from_h2(tmp_path):
    folder = site(tmp_path)
    (folder / "site.yaml").write_text(site_yaml(extra="content: {headings: shift}\n"), encoding="utf-8")
    found = lines(failure(folder))
    assert not any("heading-order" in line for line in found)
    assert (folder / "content/politics/old.md").read_text(encoding="utf-8") == OLD  # the file is untouched
