"""`broadsheet doctor`: a checklist with the fix for each problem; exit 1 when something needed is missing."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def site(make_site) -> Path:
    return make_site()  # site.yaml only: the bundled theme, no output yet


@pytest.fixture
def no_overrides(monkeypatch):
    for name in ("BROADSHEET_CHROMIUM", "BROADSHEET_CHROMEDRIVER"):
        monkeypatch.delenv(name, raising=False)


def lines_with(output: str, status: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if line.strip().startswith(status + " ")]


def test_doctor_on_a_ready_machine_and_site_exits_0(site, no_overrides):
    if not shutil.which("chromium") or not shutil.which("chromedriver"):
        pytest.skip("needs Debian's chromium and chromium-driver on PATH (./dev test installs them)")
    result = run("doctor", "--site", site)
    assert result.exit_code == 0, result.output
    assert not lines_with(result.output, "FAIL")
    for found in ("Python 3.", "Chromium ", "ChromeDriver ", "axe-core 4.", "site.yaml: valid", "output folder"):
        assert any(found in line for line in lines_with(result.output, "ok")), found


def test_doctor_with_chromium_missing_names_the_apt_command_and_exits_1(site, tmp_path, monkeypatch, no_overrides):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # a PATH without Chromium
    result = run("doctor", "--site", site)
    assert result.exit_code == 1
    [problem] = [line for line in lines_with(result.output, "FAIL") if "Chromium" in line]
    assert "not found on PATH" in problem
    assert "fix: apt-get install chromium" in result.output


def fake_program(folder: Path, name: str, says: str) -> Path:
    program = folder / name
    program.write_text(f"#!/bin/sh\necho '{says}'\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return program


def test_doctor_finds_a_driver_of_another_release(site, tmp_path, monkeypatch):
    monkeypatch.setenv("BROADSHEET_CHROMIUM", str(fake_program(tmp_path, "chromium", "Chromium 131.0.6778.85")))
    monkeypatch.setenv("BROADSHEET_CHROMEDRIVER", str(fake_program(tmp_path, "chromedriver", "ChromeDriver 120.0.6099.1")))
    result = run("doctor", "--site", site)
    assert result.exit_code == 1
    assert any("131.0.6778.85 and ChromeDriver 120.0.6099.1 are different releases" in line
               for line in lines_with(result.output, "FAIL"))


def test_doctor_shows_every_site_yaml_problem_with_its_line(site, no_overrides):
    (site / "site.yaml").write_text("title: Broken\nbase_url: not a url\nlanguage: en\ntimezone: UTC\n"
                                    "sections: []\nflavour: vanilla\n")
    result = run("doctor", "--site", site)
    assert result.exit_code == 1
    problems = [line for line in lines_with(result.output, "FAIL") if "site.yaml" in line]
    assert any("site.yaml:2: base_url" in line for line in problems)
    assert any("flavour" in line for line in problems)


def test_doctor_says_where_credentials_are_and_never_what_they_are(site, monkeypatch, no_overrides):
    config = site / "site.yaml"
    config.write_text(config.read_text() + "deploy:\n  production: {type: s3, bucket: news-archive}\n"
                      f"  mirror: {{type: rsync, destination: \"{site.parent / 'mirror'}\"}}\n")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEKEYVALUE7")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLESECRET")
    result = run("doctor", "--site", site)
    assert "deploy production (s3): credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY" in result.output
    assert "deploy mirror (rsync): credentials from a local folder" in result.output
    assert "AKIAEXAMPLEKEYVALUE7" not in result.output and "EXAMPLESECRET" not in result.output

    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.setenv("HOME", str(site.parent / "home"))
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    missing = run("doctor", "--site", site)
    [warning] = [line for line in lines_with(missing.output, "warn") if "deploy production" in line]
    assert "none found" in warning and "fix: set AWS_ACCESS_KEY_ID" in missing.output
    assert os.environ.get("AWS_SECRET_ACCESS_KEY") is None
