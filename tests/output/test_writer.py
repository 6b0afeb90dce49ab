"""Writing the output folder: staged, atomic, incremental, and never outside the folder."""

from __future__ import annotations

import os

import pytest

from builder.errors import BuildFailed
from builder.output.layout import MANIFEST, STAGING, check_output_dir
from builder.output.manifest import Manifest, read_entries
from builder.output.writer import OutputWriter
from builder.render.jobs import OutputPage
from tests.support.files import tree_state


def read_manifest(output):
    with Manifest(output) as manifest:
        return manifest.entries(made_from=True)


def write(output, pages):
    writer = OutputWriter(output)
    for page in pages:
        writer.stage(page)
    return writer.commit()


def site_pages(**changes: bytes) -> list[OutputPage]:
    contents = {
        "index.html": b"<h1>Home</h1>",
        "politics/index.html": b"<h1>Politics</h1>",
        "politics/2024/03/vote/index.html": b"<h1>Vote</h1>",
        **changes,
    }
    return [OutputPage(path, content) for path, content in contents.items() if content is not None]


@pytest.fixture
def output(tmp_path):
    folder = tmp_path / "output"
    folder.mkdir()
    return folder


def test_first_write_creates_every_file_and_a_manifest(output):
    report = write(output, site_pages())
    assert sorted(report.written) == ["index.html", "politics/2024/03/vote/index.html", "politics/index.html"]
    assert (output / "politics/2024/03/vote/index.html").read_bytes() == b"<h1>Vote</h1>"
    assert set(read_manifest(output)) == set(report.written)
    assert not (output / STAGING).exists()


def test_second_write_of_the_same_pages_writes_nothing(output):
    write(output, site_pages())
    before = tree_state(output)
    report = write(output, site_pages())
    assert report.written == [] and report.deleted == []
    assert report.unchanged == 3
    after = tree_state(output)
    del before[MANIFEST], after[MANIFEST]
    assert after == before  # same bytes, same mtimes


def test_changed_page_is_rewritten_and_others_left_alone(output):
    write(output, site_pages())
    before = tree_state(output)
    report = write(output, site_pages(**{"politics/index.html": b"<h1>Politics, page 1</h1>"}))
    assert report.written == ["politics/index.html"]
    assert (output / "politics/index.html").read_bytes() == b"<h1>Politics, page 1</h1>"
    after = tree_state(output)
    assert after["index.html"] == before["index.html"]
    assert after["politics/2024/03/vote/index.html"] == before["politics/2024/03/vote/index.html"]


def test_stale_files_and_their_empty_folders_are_deleted(output):
    write(output, site_pages())
    report = write(output, site_pages(**{"politics/2024/03/vote/index.html": None}))
    assert report.deleted == ["politics/2024/03/vote/index.html"]
    assert not (output / "politics/2024").exists()
    assert (output / "politics/index.html").exists()
    assert "politics/2024/03/vote/index.html" not in read_manifest(output)


def test_hand_edited_output_file_is_rewritten(output):
    write(output, site_pages())
    (output / "index.html").write_bytes(b"<h1>Edited by hand</h1>")
    report = write(output, site_pages())
    assert report.written == ["index.html"]
    assert (output / "index.html").read_bytes() == b"<h1>Home</h1>"


def test_hand_edit_of_the_same_size_is_rewritten(output):
    write(output, site_pages())
    target = output / "index.html"
    target.write_bytes(b"<h1>Hxxx</h1>")
    stat = target.stat()
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert write(output, site_pages()).written == ["index.html"]
    assert target.read_bytes() == b"<h1>Home</h1>"


def test_deleted_output_file_is_written_again(output):
    write(output, site_pages())
    (output / "index.html").unlink()
    assert write(output, site_pages()).written == ["index.html"]
    assert (output / "index.html").exists()


def test_abort_leaves_the_previous_output_byte_identical(output):
    write(output, site_pages())
    before = tree_state(output)
    writer = OutputWriter(output)
    for page in site_pages(**{"index.html": b"<h1>New home</h1>", "culture/index.html": b"<h1>Culture</h1>"}):
        writer.stage(page)
    writer.abort()
    assert tree_state(output) == before
    assert not (output / STAGING).exists()


def test_nothing_is_visible_before_commit(output):
    write(output, site_pages())
    before = tree_state(output)
    writer = OutputWriter(output)
    writer.stage(OutputPage("index.html", b"<h1>New home</h1>"))
    assert {k: v for k, v in tree_state(output).items() if not k.startswith(STAGING)} == before
    writer.commit()
    assert (output / "index.html").read_bytes() == b"<h1>New home</h1>"


def test_leftover_staging_from_a_killed_build_is_cleared(output):
    (output / STAGING / "junk").mkdir(parents=True)
    (output / STAGING / "junk" / "a.html").write_text("x")
    write(output, site_pages())
    assert not (output / STAGING).exists()


def test_copied_files_are_written_from_their_source(output, tmp_path):
    source = tmp_path / "photo.jpg"
    source.write_bytes(b"\xff\xd8 jpeg bytes")
    write(output, [OutputPage("images/photo.jpg", source=source)])
    assert (output / "images/photo.jpg").read_bytes() == b"\xff\xd8 jpeg bytes"
    assert write(output, [OutputPage("images/photo.jpg", source=source)]).written == []


def test_page_replacing_a_folder_of_the_same_name(output):
    write(output, [OutputPage("feed/index.html", b"x")])
    write(output, [OutputPage("feed", b"y")])
    assert (output / "feed").read_bytes() == b"y"


def test_folder_replacing_a_file_of_the_same_name(output):
    write(output, [OutputPage("feed", b"y")])
    write(output, [OutputPage("feed/index.html", b"x")])
    assert (output / "feed/index.html").read_bytes() == b"x"


def test_corrupt_manifest_means_everything_is_rewritten(output):
    write(output, site_pages())
    (output / MANIFEST).write_text("{not a database", encoding="utf-8")
    assert read_entries(output) == {}
    assert len(write(output, site_pages()).written) == 3
    assert set(read_manifest(output)) == {p.path for p in site_pages()}


@pytest.mark.parametrize("path", ["../escape.html", "a/../../escape.html", "/etc/passwd", "",
                                  MANIFEST, f"{STAGING}/x.html"])
def test_paths_outside_the_output_folder_are_refused(output, path):
    writer = OutputWriter(output)
    with pytest.raises(BuildFailed) as failure:
        writer.stage(OutputPage(path, b"x"))
    assert "refusing to write outside the output folder" in str(failure.value)
    writer.abort()
    assert not (output.parent / "escape.html").exists()


def test_two_pages_for_one_path_are_refused(output):
    writer = OutputWriter(output)
    writer.stage(OutputPage("politics/index.html", b"a", made_from=("content/a.md",)))
    with pytest.raises(BuildFailed) as failure:
        writer.stage(OutputPage("politics/index.html", b"b", made_from=("content/b.md",)))
    assert "two pages would be written to politics/index.html" in str(failure.value)
    assert "content/b.md" in str(failure.value)


def test_is_current_needs_the_same_key_and_an_intact_file(output):
    writer = OutputWriter(output)
    writer.stage(OutputPage("index.html", b"<h1>Home</h1>"), key="k1")
    writer.commit()
    assert OutputWriter(output).is_current("index.html", "k1")
    assert not OutputWriter(output).is_current("index.html", "k2")
    assert not OutputWriter(output).is_current("other.html", "k1")
    (output / "index.html").write_bytes(b"<h1>Edited</h1>")
    assert not OutputWriter(output).is_current("index.html", "k1")


def test_kept_file_stays_and_stays_in_the_manifest(output):
    writer = OutputWriter(output)
    writer.stage(OutputPage("index.html", b"<h1>Home</h1>"), key="k1")
    writer.commit()
    before = tree_state(output)["index.html"]
    writer = OutputWriter(output)
    writer.keep("index.html", "k1", ())
    report = writer.commit()
    assert (report.written, report.deleted, report.unchanged) == ([], [], 1)
    assert tree_state(output)["index.html"] == before
    assert OutputWriter(output).is_current("index.html", "k1")


@pytest.mark.parametrize("name", [".broadsheet-cache.sqlite", ".broadsheet-anything"])
def test_private_files_are_not_writable_as_pages(output, name):
    with pytest.raises(BuildFailed):
        OutputWriter(output).stage(OutputPage(name, b"x"))


def test_private_files_at_the_top_survive_stale_cleanup(output):
    (output / ".broadsheet-cache.sqlite").write_bytes(b"cache")
    write(output, site_pages())
    write(output, site_pages())
    assert (output / ".broadsheet-cache.sqlite").read_bytes() == b"cache"


def test_hidden_files_deeper_down_are_stale_like_any_other(output):
    write(output, site_pages())
    (output / "politics" / ".broadsheet-manifest.json").write_text("planted")
    assert write(output, site_pages()).deleted == ["politics/.broadsheet-manifest.json"]


# --- which folders may be used as output -------------------------------------------------------

def test_missing_or_empty_folder_may_be_used(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    check_output_dir(tmp_path / "new-output", site)
    (tmp_path / "empty").mkdir()
    check_output_dir(tmp_path / "empty", site)


def test_folder_holding_only_broadsheet_bookkeeping_may_be_used(tmp_path):
    folder = tmp_path / "output"
    folder.mkdir()
    (folder / ".broadsheet-cache.sqlite").write_bytes(b"")  # left by a first build that failed
    check_output_dir(folder, tmp_path / "site")


def test_folder_made_by_broadsheet_may_be_reused(tmp_path, output):
    write(output, site_pages())
    check_output_dir(output, tmp_path / "site")


def test_non_empty_folder_without_manifest_is_refused_and_left_untouched(tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "thesis.docx").write_bytes(b"years of work")
    before = tree_state(folder)
    with pytest.raises(BuildFailed) as failure:
        check_output_dir(folder, tmp_path / "site")
    assert "not made by Broadsheet" in failure.value.errors[0].message
    assert failure.value.errors[0].field == "--output"
    assert tree_state(folder) == before


def test_output_equal_to_the_site_folder_is_refused(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    with pytest.raises(BuildFailed) as failure:
        check_output_dir(site, site)
    assert "contains the site itself" in failure.value.errors[0].message


def test_output_containing_the_site_folder_is_refused(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    with pytest.raises(BuildFailed):
        check_output_dir(tmp_path, site)


def test_output_given_with_dots_is_resolved_before_comparing(tmp_path):
    site = tmp_path / "site"
    (site / "sub").mkdir(parents=True)
    with pytest.raises(BuildFailed):
        check_output_dir(site / "sub" / "..", site)


@pytest.mark.parametrize("inside", ["content", "site.yaml", ".git"])
def test_folder_that_looks_like_a_site_or_repository_is_refused(tmp_path, inside):
    folder = tmp_path / "other"
    folder.mkdir()
    (folder / MANIFEST).write_text("{}")
    (folder / inside).mkdir()
    with pytest.raises(BuildFailed) as failure:
        check_output_dir(folder, tmp_path / "site")
    assert inside in failure.value.errors[0].message


def test_output_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "out").write_text("x")
    with pytest.raises(BuildFailed) as failure:
        check_output_dir(tmp_path / "out", tmp_path / "site")
    assert failure.value.errors[0].message == "is a file, not a folder"


def test_source_names_are_kept_once_however_many_files_name_them(tmp_path):
    writer = OutputWriter(tmp_path / "output")
    source = "content/politics/2024/vote.md"
    writer.stage(OutputPage("politics/index.html", b"<p>list</p>", made_from=("".join(["content/", source[8:]]),)))
    writer.stage(OutputPage("tags/vote/index.html", b"<p>tag</p>", made_from=("".join(["content/", source[8:]]),)))
    one, two = writer.files["politics/index.html"].made_from, writer.files["tags/vote/index.html"].made_from
    assert one == two == (source,) and one[0] is two[0]
    writer.commit()
    assert read_manifest(tmp_path / "output")["tags/vote/index.html"].made_from == (source,)


def test_manifest_records_each_written_file_as_it_is_on_disk(output):
    # New folders move in whole; sizes and mtimes noted while staging must still describe the files.
    write(output, site_pages())
    write(output, site_pages(**{"politics/2025/01/budget/index.html": b"<h1>Budget</h1>",
                                "culture/index.html": b"<h1>Culture</h1>"}))
    manifest = read_manifest(output)
    assert set(manifest) == {"index.html", "politics/index.html", "politics/2024/03/vote/index.html",
                             "politics/2025/01/budget/index.html", "culture/index.html"}
    for rel, entry in manifest.items():
        stat = (output / rel).stat()
        assert (entry.size, entry.mtime_ns) == (stat.st_size, stat.st_mtime_ns), rel


def test_new_folder_beside_a_stale_file_of_its_name(output):
    write(output, [OutputPage("archive/2024", b"old page")])
    report = write(output, [OutputPage("archive/2024/03/index.html", b"March")])
    assert (output / "archive/2024/03/index.html").read_bytes() == b"March"
    assert "archive/2024" in report.deleted


def test_stale_symbolic_link_is_removed_and_its_target_left_alone(output, tmp_path):
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "keep.txt").write_text("not ours")
    write(output, site_pages())
    (output / "politics/linked").symlink_to(target, target_is_directory=True)
    report = write(output, site_pages())
    assert "politics/linked" in report.deleted
    assert not os.path.lexists(output / "politics/linked")
    assert (target / "keep.txt").read_text() == "not ours"


def test_a_clean_build_rewrites_everything_and_keeps_nothing_stale(output):
    write(output, site_pages())
    (output / "left-over.html").write_text("stale")
    writer = OutputWriter(output, reuse=False)
    assert writer.previous == {}
    for page in site_pages():
        writer.stage(page)
    report = writer.commit()
    assert sorted(report.written) == sorted(p.path for p in site_pages())
    assert report.deleted == ["left-over.html"]
    assert set(read_manifest(output)) == {p.path for p in site_pages()}


def test_an_output_of_an_earlier_version_is_taken_over(tmp_path):
    # Its JSON manifest proves the folder is ours; the first build writes the new one, removes the
    # old one, and with it every file no page makes now.
    output = tmp_path / "output"
    output.mkdir()
    (output / ".broadsheet-manifest.json").write_text('{"version": 2, "files": {}}')
    (output / "old-page.html").write_text("from an earlier version")
    check_output_dir(output, tmp_path / "site")
    report = write(output, site_pages())
    assert report.deleted == ["old-page.html"]
    assert not (output / ".broadsheet-manifest.json").exists()
    assert set(read_manifest(output)) == {p.path for p in site_pages()}


# Files made together inside the output folder (Pagefind's bundle) --------------------------------

def made_files(output, files: dict[str, bytes]):
    """Files as a tool writes them into the output's private area: (path in the site, file)."""
    work = output / ".broadsheet-work"
    made = []
    for path, data in files.items():
        (work / path).parent.mkdir(parents=True, exist_ok=True)
        (work / path).write_bytes(data)
        made.append((f"bundle/{path}", work / path))
    return made


def test_files_made_in_the_output_are_moved_in_not_copied(output):
    writer = OutputWriter(output, precompress_min=1)
    for path, file in made_files(output, {"fragment/a.pf": b"AAAA", "entry.json": b'{"a": 1}'}):
        writer.stage_moved(path, file, "key-1")
    work = output / ".broadsheet-work"
    assert not (work / "fragment/a.pf").exists()  # moved into the staging area
    assert (work / "entry.json").exists()  # compressible: copied, with its .gz and .br
    writer.commit()
    assert (output / "bundle/fragment/a.pf").read_bytes() == b"AAAA"
    entries = read_manifest(output)
    assert entries["bundle/fragment/a.pf"].key == "key-1"
    assert {"bundle/entry.json", "bundle/entry.json.gz", "bundle/entry.json.br"} <= set(entries)


def test_a_whole_folder_is_kept_while_its_key_is_the_same_and_every_file_intact(output):
    writer = OutputWriter(output)
    for path, file in made_files(output, {"fragment/a.pf": b"AAAA", "fragment/b.pf": b"BBBB"}):
        writer.stage_moved(path, file, "key-1")
    writer.commit()
    again = OutputWriter(output)
    assert not again.keep_folder("bundle/", "key-2")  # other inputs: made again
    assert again.keep_folder("bundle/", "key-1")
    again.commit()
    assert (output / "bundle/fragment/b.pf").read_bytes() == b"BBBB"
    (output / "bundle/fragment/b.pf").write_bytes(b"edited by hand")
    assert not OutputWriter(output).keep_folder("bundle/", "key-1")  # one file changed: none is kept


def test_a_made_file_the_output_has_already_is_left_in_place(output):
    writer = OutputWriter(output)
    for path, file in made_files(output, {"fragment/a.pf": b"AAAA"}):
        writer.stage_moved(path, file, "key-1")
    writer.commit()
    before = (output / "bundle/fragment/a.pf").stat().st_mtime_ns
    again = OutputWriter(output)
    for path, file in made_files(output, {"fragment/a.pf": b"AAAA"}):
        again.stage_moved(path, file, "key-2")
    report = again.commit()
    assert report.written == [] and (output / "bundle/fragment/a.pf").stat().st_mtime_ns == before
    assert read_manifest(output)["bundle/fragment/a.pf"].key == "key-2"
