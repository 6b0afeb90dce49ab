"""broadsheet import: bad input gives one clear error and writes nothing; the mapping file; the command."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main
from builder.importers.model import ImportFailed
from builder.importers.run import ImportOptions, import_site
from tests.importers.sites import WXR, jekyll_site, wordpress_site
from tests.support.files import tree_state, write_files


def failure(engine: str, source: Path, dest: Path, **options) -> ImportFailed:
    with pytest.raises(ImportFailed) as caught:
        import_site(ImportOptions(engine, source, dest, **options))
    return caught.value


def test_a_corrupt_export_names_its_line_and_nothing_is_written(tmp_path):
    source = write_files(tmp_path / "old", {"export.xml": WXR[: WXR.index("<item>", 2000)] + "<item><title>Cut"})
    before = tree_state(source)
    error = failure("wordpress", source / "export.xml", tmp_path / "new")
    assert error.message.startswith("the export is not valid XML")
    assert error.path == source / "export.xml" and error.line and error.line > 10
    assert "export the site again" in error.hint
    assert not (tmp_path / "new").exists() and tree_state(source) == before
    assert not list(tmp_path.glob(".new.importing-*"))


def test_an_xml_file_that_is_not_a_wordpress_export(tmp_path):
    source = write_files(tmp_path, {"feed.xml": "<rss><channel><title>x</title></channel></rss>"})
    assert "not a WordPress export (WXR)" in failure("wordpress", source / "feed.xml", tmp_path / "new").message


def test_a_jekyll_site_without_posts(tmp_path):
    source = write_files(tmp_path / "old", {"_config.yml": "title: x\n", "index.md": "hi\n"})
    error = failure("jekyll", source, tmp_path / "new")
    assert error.message == "no _posts folder: it does not look like a Jekyll site" and error.path == source
    assert "_config.yml and _posts/" in error.hint


def test_dest_must_be_empty_and_outside_the_source(tmp_path):
    source = jekyll_site(tmp_path / "old")
    dest = write_files(tmp_path / "new", {"notes.txt": "mine\n"})
    error = failure("jekyll", source, dest)
    assert (error.message, error.path) == ("is not empty", dest) and (dest / "notes.txt").read_text() == "mine\n"
    before = tree_state(source)
    assert "inside the old site" in failure("jekyll", source, source / "new").message
    assert tree_state(source) == before


def test_an_unreadable_image_is_reported_with_its_post_and_line(tmp_path, monkeypatch):
    source = jekyll_site(tmp_path / "old")
    (source / "assets/img/chart.png").write_bytes(b"not a picture")  # the figure in the first post
    real_open = Path.open

    def refuse_ferry(self, *args, **kwargs):
        if self.name == "ferry.png":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse_ferry)
    result = import_site(ImportOptions("jekyll", source, tmp_path / "new"))
    problems = {(p.kind.split(" (")[0], p.origin, p.line) for p in result.summary.notes.problems}
    assert ("image that cannot be read as an image", "_posts/2019-03-05-ferry-returns.md", 20) in problems
    assert ("file that cannot be read", "_posts/2019-03-05-ferry-returns.md", 1) in problems  # the lead image
    assert not (tmp_path / "new/static/assets/img/ferry.png").exists()
    assert (tmp_path / "new/static/assets/img/chart.png").read_bytes() == b"not a picture"


def test_a_second_run_reads_the_edited_mapping(tmp_path):
    source = jekyll_site(tmp_path / "old")
    import_site(ImportOptions("jekyll", source, tmp_path / "first"))
    mapping = tmp_path / "first/import-mapping.yaml"
    text = mapping.read_text(encoding="utf-8")
    assert '"harbour": {key: harbour, title: "Harbour"}  # 2 posts' in text
    mapping.write_text(text.replace('{key: harbour, title: "Harbour"}', '{key: port, title: "The port"}'),
                       encoding="utf-8")
    import_site(ImportOptions("jekyll", source, tmp_path / "second", mapping=mapping))
    assert '{key: port, title: "The port"}' in (tmp_path / "second/site.yaml").read_text(encoding="utf-8")
    assert (tmp_path / "second/content/port/2019/ferry-returns.md").is_file()
    mapping.write_text("sections:\n  harbour: {key: tags}\n", encoding="utf-8")
    error = failure("jekyll", source, tmp_path / "third", mapping=mapping)
    assert error.message == "'tags' cannot be a section key" and error.line == 2


def test_the_command_prints_the_report_and_one_line_on_failure(tmp_path):
    source = wordpress_site(tmp_path / "old")
    runner = CliRunner()
    done = runner.invoke(main, ["import", "wordpress", str(source), "--site", str(tmp_path / "new")])
    assert done.exit_code == 0, done.output
    assert "# Import from WordPress" in done.stdout and "- 3 articles (1 draft, which stay drafts)" in done.stdout
    assert f"Report: {tmp_path / 'new' / 'import-report.md'}" in done.stdout
    again = runner.invoke(main, ["import", "wordpress", str(source), "--site", str(tmp_path / "new")])
    assert again.exit_code == 1
    assert again.stderr.splitlines()[0] == f"Import failed: {tmp_path / 'new'}: is not empty"
