#!/usr/bin/env python3
"""Measure Broadsheet builds on generated corpora: cold, no-change and one-change rebuilds.

    .venv/bin/python benchmarks/run.py --sizes 1000,10000
    .venv/bin/python benchmarks/run.py --sizes 1000 --repeat 3 --json /tmp/bench.json
    .venv/bin/python benchmarks/run.py --ref f417332     # the engine of an older commit

For each size N the corpus is generated once (benchmarks/generate.py) into WORKDIR/nN/site and
reused while the generator and its parameters are unchanged. Every build is its own process, run
through /usr/bin/time -v (wall clock time and the largest process's peak RSS); while it runs, the
memory of the whole process tree (workers included) is sampled from /proc. The engine's bytecode
is compiled first (python -m compileall), as installing it with pip does. Scenarios, in order:

  cold       output folder (with its cache) removed, and --clean when the build has it
  no-change  a second build with nothing changed
  edit       one sentence added to the body of one article
  add        one new article, dated after every other one (so it tops every listing it is in)
  delete     one article removed (one that no other article links to)
  template   the theme's article.html overridden by <site>/templates/article.html with one
             extra HTML comment; removed again afterwards

Every change is undone at the end, even when a build fails, so the corpus stays reusable.

When `hugo` is on PATH the same corpus is also built with Hugo and a minimal equivalent theme
written by this script (WORKDIR/nN/hugo): cold builds alternate Broadsheet, Hugo, Broadsheet,
Hugo, ... and the table gives our cold time as a ratio to Hugo's from the same run.

Prints a table (with rich when it is installed) and, with --json FILE, writes every number.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
GENERATOR = HERE / "generate.py"
sys.path.insert(0, str(HERE))
import generate  # noqa: E402  (same folder; standard library only)

SCENARIOS = ("cold", "no-change", "edit", "add", "delete", "template")
GNU_TIME = "/usr/bin/time"
BUILT_LINE = re.compile(r"into (\d+) files.*?\((\d+) written, (\d+) unchanged, (\d+) removed")
RENDERED = re.compile(r"(\d+) rendered\)")  # engines that render only what changed say how much they did

# The targets of issue #6, on the 2-core reference machine.
TARGETS = [  # (articles, scenario, metric, limit, label)
    (10_000, "cold", "wall", 15.0, "cold build < 15 s"),
    (10_000, "no-change", "wall", 1.0, "no-change rebuild < 1 s"),
    (10_000, "edit", "wall", 0.5, "one-article edit < 0.5 s"),
    (100_000, "cold", "linear", 1.2, "cold build within 1.2x of 10 x the 10k figure"),
    (100_000, "cold", "memory", 1024.0, "peak memory < 1 GB"),
]


# ---------------------------------------------------------------------------------------------
# One measured process

@dataclass
class Run:
    wall: float  # seconds, from /usr/bin/time (or our own clock without it)
    user: float | None
    sys: float | None
    max_rss_mb: float | None  # largest single process (what time -v reports)
    tree_peak_mb: float | None  # peak of the whole process tree's memory, sampled
    files: int | None  # files the build produced in total
    written: int | None
    unchanged: int | None = None
    removed: int | None = None
    rendered: int | None = None
    other_cpu: float | None = None  # CPU seconds other processes used meanwhile: noise from other work
    exit: int = 0
    output: str = ""

    @property
    def pages_per_second(self) -> float | None:
        if self.written is None or not self.wall:
            return None
        return self.written / self.wall


class TreeMemory(threading.Thread):
    """Samples the summed RSS of a process and all its descendants from /proc.

    RSS, not PSS: reading smaps_rollup of a large process costs tens of milliseconds and takes its
    memory-map lock, which would slow the build being measured. Pages that forked workers still
    share are counted once per process, so the sum is an upper bound; time -v's largest process
    is the lower bound.
    """

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kb = 0
        self.available = Path("/proc/self/statm").exists()
        self._done = threading.Event()
        self._page_kb = os.sysconf("SC_PAGE_SIZE") // 1024 if self.available else 4

    def stop(self) -> float | None:
        self._done.set()
        self.join()
        return self.peak_kb / 1024 if self.available and self.peak_kb else None

    def run(self) -> None:
        if not self.available:
            return
        while not self._done.is_set():
            total = sum(_rss_pages(pid) for pid in descendants(self.pid)) * self._page_kb
            self.peak_kb = max(self.peak_kb, total)
            self._done.wait(self.interval)


def descendants(root: int) -> list[int]:
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tasks:
            try:
                with open(f"/proc/{pid}/task/{tid}/children") as handle:
                    kids = [int(x) for x in handle.read().split()]
            except (OSError, ValueError):
                continue
            out.extend(kids)
            todo.extend(kids)
    return out


def _rss_pages(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0


def _machine_busy() -> float | None:
    """CPU seconds all processors have spent busy since boot (/proc/stat), or None off Linux."""
    try:
        with open("/proc/stat") as handle:
            fields = [int(x) for x in handle.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle and iowait
    busy = sum(fields[:8]) - idle  # user nice system idle iowait irq softirq steal
    return busy / os.sysconf("SC_CLK_TCK")


def _clock(text: str) -> float:
    """'1:02:03.45' or '2:03.45' -> seconds."""
    seconds = 0.0
    for part in text.strip().split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def measure(command: list[str], env: dict | None = None, cwd: Path | None = None) -> Run:
    """Run one command through /usr/bin/time -v and the memory sampler."""
    use_time = Path(GNU_TIME).exists()
    busy_before = _machine_busy()
    with tempfile.NamedTemporaryFile("r", suffix=".time", delete=False) as report:
        report_path = report.name
    try:
        full = [GNU_TIME, "-v", "-o", report_path, *command] if use_time else command
        started = time.perf_counter()
        # A session of its own, so an interrupted benchmark can stop the build and its workers too.
        process = subprocess.Popen(full, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=cwd,
                                   start_new_session=True)
        sampler = TreeMemory(process.pid)
        sampler.start()
        try:
            output, _ = process.communicate()
        except BaseException:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait()
            sampler.stop()
            raise
        elapsed = time.perf_counter() - started
        tree_peak = sampler.stop()
        busy_after = _machine_busy()
        text = output.decode("utf-8", "replace")
        stats = Path(report_path).read_text(errors="replace") if use_time else ""
    finally:
        os.unlink(report_path)

    def field_(name: str) -> str | None:
        match = re.search(rf"^\s*{re.escape(name)}:\s*(.+)$", stats, re.M)
        return match.group(1).strip() if match else None

    clock = field_("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    wall = _clock(clock) if clock else elapsed
    rss = field_("Maximum resident set size (kbytes)")
    user, system = field_("User time (seconds)"), field_("System time (seconds)")
    run = Run(wall=wall, user=float(user) if user else None, sys=float(system) if system else None,
              max_rss_mb=int(rss) / 1024 if rss else None, tree_peak_mb=tree_peak, files=None, written=None,
              exit=process.returncode, output=text)
    if busy_before is not None and busy_after is not None and run.user is not None and run.sys is not None:
        run.other_cpu = max(0.0, round(busy_after - busy_before - run.user - run.sys, 2))
    if match := BUILT_LINE.search(text):
        run.files, run.written, run.unchanged, run.removed = (int(g) for g in match.groups())
    if match := RENDERED.search(text):
        run.rendered = int(match.group(1))
    return run


# ---------------------------------------------------------------------------------------------
# The engines under test

@dataclass
class Engine:
    label: str
    command: list[str]
    env: dict
    root: Path  # source tree: where its bundled themes are
    cwd: Path  # builds run here: `python -m` puts the current folder first on sys.path
    commit: str
    dirty: bool
    help_text: str = ""

    def supports(self, option: str) -> bool:
        return re.search(rf"(^|\s){re.escape(option)}\b", self.help_text) is not None

    def build_command(self, site: Path, output: Path, clean: bool, jobs: int | None) -> list[str]:
        command = [*self.command, "build", "--site", str(site), "--output", str(output)]
        if clean and self.supports("--clean"):
            command.append("--clean")
        if jobs and self.supports("--jobs"):
            command += ["--jobs", str(jobs)]
        return command


def engine_fingerprint(engine: Engine) -> str:
    """Which engine built an output: its commit, and its code when the working tree has changes."""
    digest = hashlib.sha256(" ".join(engine.command).encode())
    if engine.dirty:
        for path in sorted((engine.root / "builder").rglob("*.py")):
            digest.update(path.read_bytes())
    return f"{engine.commit} {digest.hexdigest()[:16]}"


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True, check=True).stdout.strip()


def find_engine(ref: str | None, workdir: Path, broadsheet: str | None) -> Engine:
    env = dict(os.environ)
    if ref:
        sha = _git("rev-parse", "--verify", f"{ref}^{{commit}}")
        root = workdir / "engines" / sha[:12]
        if not (root / "builder" / "__init__.py").exists():
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir(parents=True)
            archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", sha],
                                     capture_output=True, check=True).stdout
            subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)
        python = _venv_python()
        env["PYTHONPATH"] = str(root) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        engine = Engine(f"{ref} ({sha[:9]})", [python, "-m", "builder"], env, root, root, sha, False)
        where = subprocess.run([python, "-c", "import builder; print(builder.__file__)"], capture_output=True,
                               text=True, env=env, cwd=root).stdout.strip()
        if not Path(where).resolve().is_relative_to(root.resolve()):
            sys.exit(f"error: the build would import {where or 'nothing'}, not the export of {ref} in {root}")
    else:
        command = [broadsheet] if broadsheet else _installed_cli()
        try:
            sha = _git("rev-parse", "HEAD")
            dirty = bool(_git("status", "--porcelain", "--", "builder", "themes", "pyproject.toml"))
        except (subprocess.CalledProcessError, FileNotFoundError):
            sha, dirty = "unknown", False
        engine = Engine(f"working tree ({sha[:9]}{', modified' if dirty else ''})", command, env, REPO, workdir,
                        sha, dirty)
    # Bytecode, as pip writes it on install: where PYTHONDONTWRITEBYTECODE is set, every build
    # would compile Broadsheet's modules again (about 0.2 s of a one-article rebuild).
    package = (root if ref else REPO) / "builder"
    if package.is_dir() and not broadsheet:
        subprocess.run([_venv_python(), "-m", "compileall", "-q", str(package)], check=False,
                       capture_output=True)
    result = subprocess.run([*engine.command, "build", "--help"], capture_output=True, text=True, env=engine.env,
                            cwd=engine.cwd)
    if result.returncode != 0:
        sys.exit(f"error: cannot run {' '.join(engine.command)}:\n{result.stderr or result.stdout}")
    engine.help_text = result.stdout
    return engine


def _venv_python() -> str:
    for candidate in (REPO / ".venv" / "bin" / "python", Path(sys.executable)):
        if candidate.exists():
            return str(candidate)
    return sys.executable


def _installed_cli() -> list[str]:
    for candidate in (Path(sys.executable).parent / "broadsheet", REPO / ".venv" / "bin" / "broadsheet"):
        if candidate.exists():
            return [str(candidate)]
    if found := shutil.which("broadsheet"):
        return [found]
    return [_venv_python(), "-m", "builder"]


# ---------------------------------------------------------------------------------------------
# Corpora

def generator_digest() -> str:
    return hashlib.sha256(GENERATOR.read_bytes()).hexdigest()[:16]


def corpus_dir(workdir: Path, n: int, photos: str) -> Path:
    return workdir / (f"n{n}" if photos == "shared" else f"n{n}-photos")


def ensure_corpus(n: int, workdir: Path, seed: int, theme: str, regenerate: bool,
                  photos: str = "shared") -> tuple[Path, dict, float | None]:
    """The corpus for n articles, generated unless an identical one is already there."""
    base = corpus_dir(workdir, n, photos)
    site = base / "site"
    stamp = base / "corpus-stamp.json"
    dirty = base / "corpus-dirty"
    wanted = {"articles": n, "seed": seed, "theme": theme, "generator": generator_digest()}
    if photos != "shared":
        wanted["photos"] = photos
    if (not regenerate and not dirty.exists() and stamp.exists() and (site / generate.MANIFEST).exists()
            and json.loads(stamp.read_text()) == wanted):
            return site, json.loads((site / generate.MANIFEST).read_text()), None
    base.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)
    dirty.unlink(missing_ok=True)
    log(f"n={n}: generating the corpus into {site} ...")
    started = time.perf_counter()
    # The generator's own process, so its speed is measured as a user would run it.
    subprocess.run([sys.executable, str(GENERATOR), "--articles", str(n), "--out", str(site), "--seed", str(seed),
                    "--theme", theme, "--photos", photos, "--quiet"], check=True)
    seconds = time.perf_counter() - started
    stamp.write_text(json.dumps(wanted))
    return site, json.loads((site / generate.MANIFEST).read_text()), seconds


class Changes:
    """The one-file changes of the scenarios, each undone by restore()."""

    def __init__(self, site: Path, manifest: dict, engine_root: Path, marker: Path):
        self.site, self.manifest, self.engine_root, self.marker = site, manifest, engine_root, marker
        self.originals: dict[Path, bytes | None] = {}  # None: the file did not exist
        self.made_templates_dir = False

    def _remember(self, path: Path) -> None:
        if path not in self.originals:
            self.marker.touch()
            self.originals[path] = path.read_bytes() if path.exists() else None

    def edit(self, number: int) -> str:
        rel = self.manifest["edit_candidates"][number % len(self.manifest["edit_candidates"])]
        path = self.site / rel
        self._remember(path)
        lines = path.read_text(encoding="utf-8").split("\n")
        body_start = lines.index("---", 1) + 1
        for i in range(body_start, len(lines)):
            line = lines[i]
            if line.strip() and not line.startswith(("#", ">", "-", "!", "|")) and not line[0].isdigit():
                lines[i] = line + f" This sentence was changed by the benchmark, run {number + 1}."
                break
        path.write_text("\n".join(lines), encoding="utf-8")
        return rel

    def add(self, number: int) -> str:
        source = self.site / self.manifest["edit_candidates"][0]
        text = (self.originals.get(source) or source.read_bytes()).decode("utf-8")
        lines = text.split("\n")
        end = lines.index("---", 1)
        newest = datetime.fromisoformat(self.manifest["newest"]) + timedelta(hours=number + 1)
        front = []
        skipping = False
        for line in lines[1:end]:
            key = line.split(":", 1)[0]
            if line.startswith(" ") and skipping:
                continue
            skipping = key in ("updated", "aliases", "corrections", "date", "title")
            if skipping:
                continue
            front.append(line)
        section = next(line.split(":", 1)[1].strip() for line in front if line.startswith("section:"))
        rel = f"content/{section}/{newest.year:04d}/benchmark-added-{number + 1}.md"
        path = self.site / rel
        self._remember(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        head = [f'title: "Added by the benchmark, run {number + 1}"',
                f"date: {newest.isoformat()}{generate.utc_offset(newest)}"]
        path.write_text("\n".join(["---", *head, *front, "---", *lines[end + 1:]]), encoding="utf-8")
        return rel

    def delete(self, number: int) -> str:
        rel = self.manifest["delete_candidates"][number % len(self.manifest["delete_candidates"])]
        path = self.site / rel
        self._remember(path)
        path.unlink()
        return rel

    def template(self, number: int) -> str:
        theme = self.manifest["theme"]
        for root in (self.site / "themes" / theme, self.engine_root / "themes" / theme):
            original = root / "templates" / "article.html"
            if original.exists():
                break
        else:
            raise RuntimeError(f"no article.html in theme '{theme}'")
        target = self.site / "templates" / "article.html"
        if not target.parent.exists():
            self.made_templates_dir = True
            target.parent.mkdir(parents=True)
        self._remember(target)
        text = original.read_text(encoding="utf-8")
        comment = f"<!-- benchmark template change {number + 1} -->"
        # In a template that extends another, only text inside a block reaches the page.
        block = re.search(r"{%-?\s*block\s+\w+\s*-?%}", text) if "{% extends" in text or "{%- extends" in text else None
        if block:
            text = text[: block.end()] + comment + text[block.end():]
        elif "</body>" in text:
            text = text.replace("</body>", comment + "</body>", 1)
        else:
            text += comment + "\n"
        target.write_text(text, encoding="utf-8")
        return "templates/article.html"

    def restore(self) -> None:
        for path, data in self.originals.items():
            if data is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(data)
        templates = self.site / "templates"
        if self.made_templates_dir and templates.is_dir() and not any(templates.iterdir()):
            templates.rmdir()
        self.originals.clear()
        self.marker.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------
# Hugo

HUGO_LAYOUTS = {
    "_default/baseof.html": """\
<!DOCTYPE html>
<html lang="{{ with .Params.lang }}{{ . }}{{ else }}{{ site.LanguageCode }}{{ end }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} — {{ site.Title }}{{ end }}</title>
{{ with .Params.summary }}<meta name="description" content="{{ . }}">{{ end }}
<link rel="canonical" href="{{ .Permalink }}">
{{ range .AlternativeOutputFormats }}<link rel="{{ .Rel }}" type="{{ .MediaType.Type }}" href="{{ .Permalink }}">{{ end }}
{{ if .IsPage }}<meta property="og:title" content="{{ .Title }}"><meta property="og:url" content="{{ .Permalink }}">
<meta property="article:published_time" content="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">
{{ range .Params.tags }}<meta property="article:tag" content="{{ . }}">{{ end }}{{ end }}
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body>
<nav class="skip-links" aria-label="Accessibility links"><a href="#content">Skip to content</a> <a href="#site-nav">Skip to navigation</a></nav>
<header><p><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></p>
<nav id="site-nav"><ul>{{ range site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></nav>
</header>
<main id="content">{{ block "main" . }}{{ end }}</main>
<footer><p>{{ site.Params.description }}</p></footer>
</body>
</html>
""",
    "_default/single.html": """\
{{ define "main" }}
<article>
<p><a href="{{ .CurrentSection.RelPermalink }}">{{ .CurrentSection.Title }}</a></p>
<h1>{{ .Title }}</h1>
{{ with .Params.summary }}<p class="summary">{{ . }}</p>{{ end }}
<p>{{ range $i, $a := .GetTerms "authors" }}{{ if $i }}, {{ end }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</p>
<p><time datetime="{{ .Date.Format "2006-01-02T15:04" }}">{{ .Date.Format "2 January 2006, 15:04" }}</time></p>
{{ with .Params.image }}<figure><img src="{{ .src | relURL }}" alt="{{ .alt }}"><figcaption>{{ .caption }} {{ .credit }}</figcaption></figure>{{ end }}
{{ .Content }}
<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
</article>
<nav>
{{ with .PrevInSection }}<p>Previous: <a href="{{ .RelPermalink }}">{{ .Title }}</a></p>{{ end }}
{{ with .NextInSection }}<p>Next: <a href="{{ .RelPermalink }}">{{ .Title }}</a></p>{{ end }}
{{/* Related: the newest articles of its first tag. Hugo's own .Related, which scores every page
     sharing a tag, took 10 of the 20 s of a 10k build: ours looks only at neighbours in time. */}}
{{ with .GetTerms "tags" }}{{ with index . 0 }}<h2>Related</h2><ul>{{ range first 4 .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2 January 2006" }}</time></li>{{ end }}</ul>{{ end }}{{ end }}
</nav>
{{ end }}
""",
    "_default/list.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ with .Description }}<p>{{ . }}</p>{{ end }}
{{ $paginator := .Paginate .RegularPages }}
<ul>{{ range $paginator.Pages }}{{ partial "item.html" . }}{{ end }}</ul>
{{ template "_internal/pagination.html" . }}
{{ end }}
""",
    "_default/terms.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
""",
    "index.html": """\
{{ define "main" }}
<h1>{{ site.Title }}</h1>
{{ $paginator := .Paginate site.RegularPages }}
{{ if eq $paginator.PageNumber 1 }}{{ range site.Sections }}<section><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<ul>{{ range first 3 .RegularPages }}{{ partial "item.html" . }}{{ end }}</ul></section>{{ end }}{{ end }}
<ul>{{ range $paginator.Pages }}{{ partial "item.html" . }}{{ end }}</ul>
{{ template "_internal/pagination.html" . }}
{{ end }}
""",
    "partials/item.html": """\
<li><article><h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>
<p><a href="{{ .CurrentSection.RelPermalink }}">{{ .CurrentSection.Title }}</a> · <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
{{ with .Params.image }}<img src="{{ .src | relURL }}" alt="{{ .alt }}" loading="lazy">{{ end }}
{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}</article></li>
""",
    "404.html": """{{ define "main" }}<h1>Page not found</h1>{{ end }}\n""",
}


def hugo_version() -> str | None:
    if not shutil.which("hugo"):
        return None
    result = subprocess.run(["hugo", "version"], capture_output=True, text=True)
    return result.stdout.strip() or None


def write_hugo_project(base: Path, site: Path) -> Path:
    """A Hugo project that reads the corpus' content/ and static/ where they are."""
    project = base / "hugo"
    shutil.rmtree(project, ignore_errors=True)
    theme = project / "themes" / "bench"
    for name, text in HUGO_LAYOUTS.items():
        path = theme / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (theme / "static").mkdir(parents=True, exist_ok=True)
    (theme / "static" / "style.css").write_text(generate.STANDIN_ASSETS["style.css"], encoding="utf-8")
    sections = [s[0] for s in generate.SECTIONS]
    permalinks = "\n".join(f'{s} = "/:section/:year/:month/:filename/"' for s in sections)
    config = f"""\
baseURL = "https://news.example.org/archive/"
languageCode = "en"
title = "Meridian Public Broadcasting (benchmark corpus)"
theme = "bench"
timeZone = "Asia/Yerevan"
contentDir = {json.dumps(str(site / "content"))}
staticDir = {json.dumps(str(site / "static"))}
paginate = 10
rssLimit = 20
enableRobotsTXT = true

[params]
description = "A generated archive for measuring build speed."

[taxonomies]
tag = "tags"
author = "authors"

[permalinks]
{permalinks}

[markup.goldmark.renderer]
unsafe = true
"""
    (project / "config.toml").write_text(config, encoding="utf-8")
    return project


def hugo_build(project: Path, output: Path, cache: Path) -> Run:
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    run = measure(["hugo", "--source", str(project), "--destination", str(output), "--cacheDir", str(cache),
                   "--quiet"])
    if run.exit == 0:
        run.files = run.written = sum(1 for p in output.rglob("*") if p.is_file())
    return run


# ---------------------------------------------------------------------------------------------
# The benchmark

@dataclass
class Result:
    articles: int
    scenario: str
    tool: str  # "broadsheet" or "hugo"
    runs: list[Run] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    def median(self, attr: str) -> float | None:
        values = [getattr(r, attr) for r in self.runs if getattr(r, attr) is not None]
        return statistics.median(values) if values else None

    @property
    def pages_per_second(self) -> float | None:
        values = [r.pages_per_second for r in self.runs if r.pages_per_second is not None]
        return statistics.median(values) if values else None

    @property
    def cpu(self) -> float | None:
        values = [r.user + r.sys for r in self.runs if r.user is not None and r.sys is not None]
        return statistics.median(values) if values else None

    def peak_memory(self) -> float | None:
        """The whole tree's sampled peak, or time -v's largest process when sampling was unavailable."""
        tree = [r.tree_peak_mb for r in self.runs if r.tree_peak_mb]
        rss = [r.max_rss_mb for r in self.runs if r.max_rss_mb]
        return max(tree + rss) if tree or rss else None


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class BuildFailedError(RuntimeError):
    pass


def run_size(n: int, args, engine: Engine, hugo: str | None) -> tuple[list[Result], dict]:
    theme = args.theme
    if theme == "auto":
        has_default = (engine.root / "themes" / "default" / "templates" / "article.html").is_file()
        theme = "default" if has_default else "standin"
    site, manifest, gen_seconds = ensure_corpus(n, args.workdir, args.seed, theme, args.regenerate, args.photos)
    base = corpus_dir(args.workdir, n, args.photos)
    output = base / "out"
    info = {"articles": n, "site": str(site), "theme": manifest["theme"], "standin_theme": manifest["standin_theme"],
            "words": manifest["words"], "megabytes": round(manifest["bytes"] / 1e6, 1),
            "languages": manifest["languages"], "generate_seconds": round(gen_seconds, 2) if gen_seconds else None}
    results = {s: Result(n, s, "broadsheet") for s in SCENARIOS if s in args.scenarios}
    hugo_result = Result(n, "cold", "hugo") if hugo and "cold" in args.scenarios else None
    hugo_project = write_hugo_project(base, site) if hugo_result else None

    def build(scenario: str, number: int, clean: bool = False) -> Run:
        if clean:
            shutil.rmtree(output, ignore_errors=True)
        run = measure(engine.build_command(site, output, clean, args.jobs), env=engine.env, cwd=engine.cwd)
        if run.exit != 0:
            raise BuildFailedError(f"n={n} {scenario}: the build failed (exit {run.exit}):\n{run.output[-4000:]}")
        if run.files is None:  # an output line we cannot read: count the files instead
            run.files = sum(1 for p in output.rglob("*") if p.is_file() and not p.name.startswith(".broadsheet"))
        extra = f", {run.written} written" if run.written is not None else ""
        log(f"n={n} {scenario} #{number + 1}: {run.wall:.2f} s{extra}")
        return run

    changes = Changes(site, manifest, engine.root, base / "corpus-dirty")
    try:
        for number in range(args.repeat):
            if "cold" in results:
                results["cold"].runs.append(build("cold", number, clean=True))
            if hugo_result:
                run = hugo_build(hugo_project, base / "hugo-out", base / "hugo-cache")
                if run.exit != 0:
                    log(f"n={n}: Hugo failed (exit {run.exit}); no comparison:\n{run.output[-2000:]}")
                    hugo_result = None
                else:
                    hugo_result.runs.append(run)
                    log(f"n={n} hugo cold #{number + 1}: {run.wall:.2f} s, {run.files} files")
        # The rebuild scenarios start from a site this engine built: another version may keep its
        # manifest and cache in another form, or refuse a folder it does not recognise.
        built_by, engine_id = base / "out-engine", engine_fingerprint(engine)
        if "cold" in results:
            built_by.write_text(engine_id)
        rebuilds = [s for s in ("no-change", "edit", "add", "delete", "template") if s in results]
        if rebuilds and (not output.exists() or not built_by.exists() or built_by.read_text() != engine_id):
            build("setup", 0, clean=True)
            built_by.write_text(engine_id)
        for scenario in ("no-change", "edit", "add", "delete", "template"):
            if scenario not in results:
                continue
            for number in range(args.repeat):
                if scenario != "no-change":
                    results[scenario].changed.append(getattr(changes, scenario)(number))
                results[scenario].runs.append(build(scenario, number))
    finally:
        changes.restore()
    out = list(results.values()) + ([hugo_result] if hugo_result and hugo_result.runs else [])
    return out, info


def evaluate(results: list[Result]) -> list[dict]:
    by_key = {(r.articles, r.scenario, r.tool): r for r in results}
    verdicts = []
    for n, scenario, metric, limit, label in TARGETS:
        result = by_key.get((n, scenario, "broadsheet"))
        if result is None or not result.runs:
            continue
        if metric == "wall":
            value, target = result.median("wall"), limit
            unit = "s"
        elif metric == "memory":
            value, target, unit = result.peak_memory(), limit, "MB"
        else:  # linear: compare with 10 x the 10k cold build of the same run
            small = by_key.get((n // 10, scenario, "broadsheet"))
            if small is None or not small.runs:
                verdicts.append({"articles": n, "target": label, "value": None, "limit": None, "ratio": None,
                                 "ok": None, "note": f"needs --sizes to include {n // 10}"})
                continue
            value, target, unit = result.median("wall"), limit * (n // (n // 10)) * small.median("wall"), "s"
        if value is None:
            continue
        verdicts.append({"articles": n, "target": label, "value": round(value, 3), "limit": round(target, 3),
                         "unit": unit, "ratio": round(value / target, 2), "ok": value <= target})
    return verdicts


def hugo_ratios(results: list[Result]) -> dict[int, dict[str, float]]:
    """Our cold build time over Hugo's: the median of the ratios of neighbouring runs (A B A B ...),
    which shared the machine's conditions; also the same for CPU time."""
    out = {}
    for r in results:
        if r.tool != "hugo":
            continue
        ours = next((o for o in results if o.articles == r.articles and o.scenario == "cold"
                     and o.tool == "broadsheet"), None)
        if not ours or not ours.runs:
            continue
        pairs = list(zip(ours.runs, r.runs, strict=False))
        ratio = {"wall": statistics.median(a.wall / b.wall for a, b in pairs if b.wall)}
        cpu = [(a.user + a.sys) / (b.user + b.sys) for a, b in pairs
               if None not in (a.user, a.sys, b.user, b.sys) and (b.user + b.sys)]
        if cpu:
            ratio["cpu"] = statistics.median(cpu)
        out[r.articles] = ratio
    return out


# ---------------------------------------------------------------------------------------------
# Output

def _fmt(value, digits: int = 2, suffix: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}{suffix}"
    return f"{value:,}{suffix}"


def table_rows(results: list[Result], ratios: dict[int, dict[str, float]]) -> list[list[str]]:
    rows = []
    for r in results:
        walls = [run.wall for run in r.runs]
        spread = f" ({min(walls):.2f}–{max(walls):.2f})" if len(walls) > 1 else ""
        name = r.scenario if r.tool == "broadsheet" else f"{r.scenario} (hugo)"
        note = ""
        if r.tool == "hugo" and r.articles in ratios:
            ratio = ratios[r.articles]
            note = f"ours / Hugo: {ratio['wall']:.1f}x" + (f" (cpu {ratio['cpu']:.1f}x)" if "cpu" in ratio else "")
        others = [x.other_cpu / x.wall for x in r.runs if x.other_cpu is not None and x.wall]
        rows.append([
            f"{r.articles:,}", name, f"{r.median('wall'):.2f}{spread}", _fmt(r.cpu), _fmt(r.median("max_rss_mb"), 0),
            _fmt(max((x.tree_peak_mb for x in r.runs if x.tree_peak_mb), default=None), 0),
            _fmt(int(r.median("rendered")) if r.median("rendered") is not None else None),
            _fmt(int(r.median("written")) if r.median("written") is not None else None),
            _fmt(int(r.median("files")) if r.median("files") is not None else None),
            _fmt(r.pages_per_second, 0), _fmt(statistics.median(others) if others else None, 1), note,
        ])
    return rows


HEADERS = ["articles", "scenario", "wall s", "cpu s", "max RSS MB", "tree peak MB", "rendered", "written", "files",
           "written/s", "others", "note"]
LEFT = (1, 11)


def print_report(results: list[Result], verdicts: list[dict], ratios: dict[int, dict[str, float]], meta: dict) -> None:
    rows = table_rows(results, ratios)
    title = (f"Broadsheet build benchmark — {meta['engine']['label']}, {meta['machine']['cpus']} CPUs, "
             f"{meta['params']['repeat']} run(s) per scenario (median)")
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        Console = None
    if Console is not None:
        console = Console()
        if not console.is_terminal:
            console = Console(width=200)
        table = Table(title=title)
        for i, header in enumerate(HEADERS):
            table.add_column(header, justify="left" if i in LEFT else "right", no_wrap=header != "note")
        for row in rows:
            table.add_row(*row)
        console.print(table)
    else:
        print(title)
        widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(HEADERS)]
        print("  ".join(h.ljust(w) if i in LEFT else h.rjust(w) for i, (h, w) in enumerate(zip(HEADERS, widths, strict=False))))
        for row in rows:
            print("  ".join(c.ljust(w) if i in LEFT else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=False))))
    print("max RSS: largest single process (/usr/bin/time -v); tree peak: RSS of all the build's processes "
          "summed, sampled every 0.2 s;\nrendered: pages the build rendered (when it says); "
          "written/s: files written per second of wall time;\n"
          f"others: CPUs that other processes kept busy meanwhile (of {meta['machine']['cpus']})")
    others = [run.other_cpu / run.wall for r in results for run in r.runs if run.other_cpu is not None and run.wall]
    if others and max(others) > 0.2:
        print(f"the machine was shared (other processes kept up to {max(others):.1f} CPUs busy): expect noise, "
              "and compare cpu s as well as wall s")
    for corpus in meta["corpora"]:
        if corpus["standin_theme"]:
            print(f"note: n={corpus['articles']} was built with the corpus' stand-in theme "
                  f"(the engine has no bundled default theme)")
    if verdicts:
        print("\nTargets (issue #6, 2-core machine):")
        for v in verdicts:
            if v["ok"] is None:
                print(f"  {v['articles']:>7,}  {v['target']:<48} n/a ({v['note']})")
                continue
            status = "ok" if v["ok"] else "MISSED"
            print(f"  {v['articles']:>7,}  {v['target']:<48} {v['value']:>9.2f} {v['unit']} "
                  f"/ {v['limit']:.2f} {v['unit']} = {v['ratio']:.2f}x  {status}")


def machine_info() -> dict:
    info = {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="article counts, comma-separated (default 1000,10000)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/broadsheet-bench"),
                        help="corpora, outputs and Hugo projects go here (default /tmp/broadsheet-bench)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per scenario; the table shows medians (default 1)")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help=f"subset of {','.join(SCENARIOS)}")
    parser.add_argument("--json", type=Path, help="also write every measurement to this JSON file")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--theme", choices=("auto", "default", "standin"), default="auto",
                        help="corpus theme: the bundled default, the generator's stand-in, or auto (default: "
                             "the bundled one when the engine has it)")
    parser.add_argument("--jobs", type=int, help="pass --jobs N to the build (default: the build's own default)")
    parser.add_argument("--ref", help="measure the engine of this git commit (exported into WORKDIR/engines/) "
                                      "instead of the installed one")
    parser.add_argument("--broadsheet", help="the broadsheet command to measure (default: the one beside this "
                                             "Python, else .venv/bin/broadsheet)")
    parser.add_argument("--hugo", choices=("auto", "off"), default="auto",
                        help="compare cold builds with Hugo when it is on PATH (default auto)")
    parser.add_argument("--regenerate", action="store_true", help="generate the corpora again even if unchanged")
    parser.add_argument("--photos", choices=("shared", "per-article"), default="shared",
                        help="corpus lead images: 20 shared by all articles (the default), or one file per "
                             "article as in a real archive (its own corpus, WORKDIR/nN-photos)")
    args = parser.parse_args(argv)
    # `kill PID` stops the benchmark cleanly: builds stopped, corpus changes undone.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes: expected numbers like 1000,10000, got {args.sizes!r}")
    args.scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    if unknown := [s for s in args.scenarios if s not in SCENARIOS]:
        parser.error(f"--scenarios: unknown {', '.join(unknown)}; choose from {', '.join(SCENARIOS)}")
    if args.repeat < 1 or any(n < 1 for n in sizes):
        parser.error("--repeat and --sizes must be positive")
    args.workdir = args.workdir.resolve()
    args.workdir.mkdir(parents=True, exist_ok=True)

    engine = find_engine(args.ref, args.workdir, args.broadsheet)
    hugo = hugo_version() if args.hugo == "auto" else None
    log(f"engine: {engine.label}: {' '.join(engine.command)}" + (f"; {hugo}" if hugo else "; no Hugo comparison"))
    if not Path(GNU_TIME).exists():
        log(f"note: {GNU_TIME} not found (Debian package 'time'); timing with Python's clock, no max RSS")

    results: list[Result] = []
    corpora = []
    failed = None
    for n in sizes:
        try:
            size_results, info = run_size(n, args, engine, hugo)
        except BuildFailedError as exc:
            failed = str(exc)
            log(failed)
            break
        results += size_results
        corpora.append(info)

    verdicts = evaluate(results)
    ratios = hugo_ratios(results)
    meta = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "engine": {"label": engine.label, "command": engine.command, "commit": engine.commit, "modified": engine.dirty},
        "hugo": hugo,
        "params": {"sizes": sizes, "repeat": args.repeat, "seed": args.seed, "jobs": args.jobs,
                   "scenarios": args.scenarios, "photos": args.photos},
        "corpora": corpora,
    }
    if results:
        print_report(results, verdicts, ratios, meta)
    if args.json:
        data = {**meta, "results": [
            {"articles": r.articles, "scenario": r.scenario, "tool": r.tool, "changed": r.changed,
             "wall_s": r.median("wall"), "cpu_s": r.cpu, "max_rss_mb": r.median("max_rss_mb"),
             "peak_memory_mb": r.peak_memory(), "written": r.median("written"), "files": r.median("files"),
             "written_per_s": r.pages_per_second,
             "runs": [{k: v for k, v in asdict(run).items() if k != "output"} for run in r.runs]}
            for r in results],
            "hugo_ratio": {str(n): {k: round(v, 2) for k, v in ratio.items()} for n, ratio in ratios.items()},
            "targets": verdicts, "failed": failed}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        log(f"wrote {args.json}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
