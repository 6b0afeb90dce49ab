"""A full disk while the build writes: one line naming the file and the fix, and output/ untouched.

Before, ENOSPC came out of the writer as a traceback, with the staged files left behind.
"""

from __future__ import annotations

import errno

from click.testing import CliRunner

import builder.output.writer as writer_module
from builder.cli import main
from builder.output.layout import STAGING
from tests.support.builds import article, site_yaml
from tests.support.files import output_state, write_files


def test_a_full_disk_is_a_one_line_error_and_the_output_stays(tmp_path, monkeypatch):
    site = write_files(tmp_path / "site", {
        "site.yaml": site_yaml(),
        **{f"content/politics/s{n}.md": article(f"Story {n}", f"2024-03-0{n + 1}T09:30:00+04:00") for n in range(5)},
    })
    out = tmp_path / "out"
    args = ["build", "--site", str(site), "--output", str(out), "--jobs", "1"]
    assert CliRunner().invoke(main, args).exit_code == 0
    before = output_state(out)

    real_open, calls = open, []

    def filling_open(file, mode="r", *rest, **options):
        if "w" in mode and STAGING in str(file):
            calls.append(file)
            if len(calls) > 3:
                raise OSError(errno.ENOSPC, "No space left on device", str(file))
        return real_open(file, mode, *rest, **options)

    monkeypatch.setattr(writer_module, "open", filling_open, raising=False)
    result = CliRunner().invoke(main, [*args, "--clean"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert "output: could not be written: No space left on device" in result.stderr
    assert "make room on the disk" in result.stderr
    assert output_state(out) == before
    assert not (out / STAGING).exists()
