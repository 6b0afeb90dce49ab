"""An installed Broadsheet, outside the checkout: build, serve and audit the example site's content,
the same bytes as the checkout's own (editable) install, with pip and with pipx; a theme published
as a package of its own."""

from __future__ import annotations

import filecmp
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

import builder
from tests.packaging.conftest import REPO, Venv, clean_env, copy_example_site, run

PRIVATE = ".broadsheet"  # the build's own files in the output (cache, manifest), not part of the site


def site_files(output: Path) -> dict[str, bytes]:
    """Every file a build publishes but Pagefind's bundle, whose bytes differ between runs (Pagefind
    issue #638; tests/search checks what it holds)."""
    return {f.relative_to(output).as_posix(): f.read_bytes() for f in sorted(output.rglob("*"))
            if f.is_file() and f.relative_to(output).parts[0] not in ("pagefind",)
            and not f.relative_to(output).parts[0].startswith(PRIVATE)}


def assert_same_site(one: Path, other: Path) -> None:
    mine, theirs = site_files(one), site_files(other)
    assert sorted(mine) == sorted(theirs)
    different = [name for name in mine if mine[name] != theirs[name]]
    assert not different, f"{len(different)} files differ, e.g. {different[:5]}"


@pytest.fixture(scope="module")
def wheel_site(installed: Venv, tmp_path_factory) -> Path:
    """The example site's content in a folder outside the checkout, built by the installed wheel."""
    site = copy_example_site(tmp_path_factory.mktemp("wheel") / "site")
    run([installed.broadsheet, "build", "--site", site], cwd=site)
    return site


def test_the_installed_wheel_runs_from_its_own_files(installed: Venv, tmp_path):
    code = ("import builder, builder.render.theme_lookup as t; print(builder.__file__); "
            "print(t.bundled_themes()); print(builder.__version__)")
    module, themes, version = run([installed.python, "-c", code], cwd=tmp_path).stdout.split()
    assert Path(module).is_relative_to(installed.root) and Path(themes).is_relative_to(installed.root)
    assert not Path(module).is_relative_to(REPO)
    assert version == builder.__version__
    assert builder.__version__ in run([installed.broadsheet, "--version"], cwd=tmp_path).stdout


def test_the_installed_wheel_builds_the_same_bytes_as_the_checkout(wheel_site: Path, tmp_path):
    assert (wheel_site / "output" / "index.html").is_file()
    checkout_site = copy_example_site(tmp_path / "elsewhere" / "site")
    run([sys.executable, "-m", "builder", "build", "--site", checkout_site], cwd=checkout_site)
    assert_same_site(wheel_site / "output", checkout_site / "output")


@pytest.mark.browser
def test_the_installed_wheel_audits_a_sample(installed: Venv, wheel_site: Path):
    done = run([installed.broadsheet, "audit", "--site", wheel_site, "--sample", "5"], cwd=wheel_site, timeout=400)
    assert "Audit passed" in done.stdout
    assert (wheel_site / "audit-report" / "junit.xml").is_file()


def read_lines(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def test_the_installed_wheel_serves_the_site(installed: Venv, wheel_site: Path):
    server = subprocess.Popen([str(installed.broadsheet), "serve", "--site", str(wheel_site), "--port", "0",
                               "--no-drafts"], cwd=wheel_site, env=clean_env(), stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=read_lines, args=(server.stdout, lines), daemon=True).start()
    seen = []
    try:
        deadline = time.monotonic() + 120
        url = None
        while url is None:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            assert line is not None, "serve stopped:\n" + "".join(seen)
            seen.append(line)
            if line.startswith("Serving "):
                url = line.split()[1]
        with urllib.request.urlopen(url, timeout=30) as response:
            page = response.read().decode()
        assert response.status == 200 and "«Մերիդիան» հանրային հեռարձակող" in page  # the default edition
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        finally:
            if server.poll() is None:
                server.kill()


def test_pipx_installs_a_working_broadsheet(dist, wheel_site: Path, tmp_path):
    pipx = {"PIPX_HOME": str(tmp_path / "pipx"), "PIPX_BIN_DIR": str(tmp_path / "bin"),
            "PIPX_MAN_DIR": str(tmp_path / "man")}
    run([sys.executable, "-m", "pipx", "install", dist.wheel], cwd=tmp_path, timeout=600, **pipx)
    broadsheet = tmp_path / "bin" / "broadsheet"
    assert builder.__version__ in run([broadsheet, "--version"], cwd=tmp_path).stdout
    site = copy_example_site(tmp_path / "site")
    run([broadsheet, "build", "--site", site], cwd=site)
    assert_same_site(site / "output", wheel_site / "output")


THEME_PYPROJECT = """\
[build-system]
requires = ["setuptools>=77"]
build-backend = "setuptools.build_meta"

[project]
name = "newsroom-theme"
version = "1.0"

[project.entry-points."broadsheet.themes"]
newsroom = "newsroom_theme"

[tool.setuptools]
packages = ["newsroom_theme"]

[tool.setuptools.package-data]
newsroom_theme = ["**/*"]
"""


def test_a_theme_published_as_a_package_is_used_by_name(installed: Venv, wheel_site: Path, tmp_path):
    """A newsroom's theme as a pip package: built with `python -m build`, installed, named in site.yaml."""
    source = tmp_path / "newsroom-theme"
    package = source / "newsroom_theme"
    shutil.copytree(REPO / "themes" / "default", package, ignore=shutil.ignore_patterns("__pycache__"))
    (package / "__init__.py").write_text("", encoding="utf-8")
    template = package / "templates" / "article.html"
    template.write_text(template.read_text(encoding="utf-8").replace(
        '<article class="article"', '<article data-theme="newsroom" class="article"'), encoding="utf-8")
    (source / "pyproject.toml").write_text(THEME_PYPROJECT, encoding="utf-8")
    run([sys.executable, "-m", "build", "--wheel", "--outdir", tmp_path / "dist", source], cwd=tmp_path, timeout=600)
    installed.install("--no-deps", *(tmp_path / "dist").glob("*.whl"), cwd=tmp_path)

    site = copy_example_site(tmp_path / "site")
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("theme: default", "theme: newsroom"),
                      encoding="utf-8")
    run([installed.broadsheet, "build", "--site", site], cwd=site)
    articles = [p for p in (site / "output").rglob("index.html") if b'<article data-theme="newsroom"' in p.read_bytes()]
    assert articles, "no page was made with the installed theme's article template"
    # Every page the changed template does not make is as the bundled theme makes it.
    same = filecmp.cmp(site / "output" / "404.html", wheel_site / "output" / "404.html", shallow=False)
    assert same


def test_the_installed_wheel_starts_a_site_and_checks_the_machine(installed: Venv, tmp_path):
    """init's starter files and doctor's checks come from the installed package."""
    run([installed.broadsheet, "init", "paper", "--language", "hy", "--timezone", "Asia/Yerevan"], cwd=tmp_path)
    site = tmp_path / "paper"
    run([installed.broadsheet, "build"], cwd=site)
    assert (site / "output" / "index.html").is_file() and (site / "output" / "images").is_dir()
    doctor = subprocess.run([str(installed.broadsheet), "doctor"], cwd=site, env=clean_env(), capture_output=True,
                            text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert "site.yaml: valid" in doctor.stdout and str(installed.root) in doctor.stdout  # the installed theme
