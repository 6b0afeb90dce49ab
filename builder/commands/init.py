"""`broadsheet init [DIR]`: a new site that builds, and passes the audit, at once.

It writes site.yaml, one welcome article in the site's language (with a captioned picture whose
text alternative describes it), static/, a .gitignore (output/, the audit report), requirements.txt
(the Broadsheet version the site is built with, on which CI keys its cache), a README for the
newsroom and, with --ci, a CI workflow. With --edition, site.yaml has `languages:` and each
edition gets its welcome article, the translations linked by one translation_key. The starter
files are package data (commands/starter/).

Every question is also an option. The defaults come from the machine's locale and time zone, and
nothing is asked when stdin is not a terminal. A folder with files in it is refused, unless
--existing: then only missing files are added and no file that is there is ever changed.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
import yaml

import builder
from builder.commands.common import stdin_is_terminal
from builder.config.languages import is_valid_tag
from builder.config.site import CONFIG_NAME, Section, SiteConfig, load_config, parse_config
from builder.console import print_errors
from builder.errors import BuildError, BuildFailed

STARTER = "builder.commands"  # the package whose starter/ folder holds the files init copies
CI_FILES = {"github": (".github/workflows/broadsheet.yml", "github.yml"), "gitlab": (".gitlab-ci.yml", "gitlab.yml")}
IGNORED_WHEN_EMPTY = {".git"}  # `git init` first is common: such a folder still counts as empty
DEFAULT_SECTION = "news"
DEFAULT_BASE_URL = "https://example.org/"
FLAGS = {"title": "--title", "base_url": "--base-url", "language": "--language", "timezone": "--timezone",
         "sections": "--section", "languages": "--edition"}
WELCOME_KEY = "welcome"  # the translation_key of the welcome articles of a site with editions


@dataclass(frozen=True)
class NewSite:
    title: str
    base_url: str
    language: str
    timezone: str
    sections: tuple[Section, ...]
    editions: tuple[str, ...] = ()  # language editions besides the default one (`language`), in order


def guess_language(env: Mapping[str, str]) -> str:
    """The language of the machine's locale ('hy_AM.UTF-8' -> 'hy'), or English."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        code = value.split(".")[0].split("@")[0].split("_")[0].lower()
        if code and code not in ("c", "posix") and is_valid_tag(code):
            return code
    return "en"


def _zone(name: str) -> str | None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def guess_timezone(env: Mapping[str, str], etc: Path = Path("/etc")) -> str:
    """The machine's time zone by its IANA name: $TZ, /etc/timezone or where /etc/localtime points."""
    candidates = [env.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        candidates.append((etc / "timezone").read_text(encoding="utf-8").strip())
    try:
        target = os.readlink(etc / "localtime")
        candidates.append(target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else "")
    except OSError:
        pass
    return next((name for name in candidates if name and "/" in name and _zone(name)), "UTC")


def guess_title(folder: Path) -> str:
    name = folder.resolve().name.replace("-", " ").replace("_", " ").strip()
    return name[:1].upper() + name[1:] if name else "News archive"


def parse_section(value: str) -> Section:
    """'politics' or 'politics=Politics and power'."""
    key, _, title = value.partition("=")
    key = key.strip()
    return Section(key, title.strip() or key.replace("-", " ").capitalize())


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML string, escapes and all


def edition_prefix(code: str) -> str:
    """The URL segment of an edition: its language tag in lower case ("zh-Hans" -> "zh-hans")."""
    return code.lower()


def _languages_yaml(site: NewSite) -> str:
    if not site.editions:
        return ""
    key = site.sections[0].key if site.sections else DEFAULT_SECTION
    lines = ["# The language editions: the first is the default, at the site's root; each other one lives",
             "# under its prefix, with every word of its interface in its language (README, Language editions).",
             "languages:", f"  - code: {_q(site.language)}"]
    for code in site.editions:
        lines += [f"  - code: {_q(code)}", f"    prefix: {_q(edition_prefix(code))}",
                  f"    title: {_q(site.title)}  # the site's name in this language",
                  f"    fallback: true  # until the sections are translated here: sections: {{{key}: {{title: ...}}}}"]
    return "\n".join(lines) + "\n"


def site_yaml(site: NewSite) -> str:
    sections = "".join(f"  - key: {_q(s.key)}\n    title: {_q(s.title)}\n" for s in site.sections)
    return (
        f"# The settings of {site.title}; Broadsheet's README lists every key.\n"
        f"title: {_q(site.title)}\n"
        f"base_url: {_q(site.base_url)}  # the address the site is published at\n"
        f"language: {_q(site.language)}  # of the site; an article may set its own with lang:\n"
        f"timezone: {_q(site.timezone)}  # article dates without a time zone are read in this one\n"
        f"sections:\n{sections}"
        f"{_languages_yaml(site)}"
        "# authors:\n"
        "#   - key: anna-hakobyan\n"
        "#     name: Anna Hakobyan\n"
        "# deploy:  # broadsheet deploy TARGET; credentials never go here\n"
        '#   production: {type: rsync, destination: "user@host:/var/www/archive/"}\n'
    )


def _starter(name: str) -> bytes:
    return (resources.files(STARTER) / "starter" / name).read_bytes()


def welcome_article(site: NewSite, section: str, now: datetime, edition: str | None = None) -> tuple[str, str]:
    """(path, text) of the welcome article, in the site's language or else in English; with
    `edition`, the one of that language edition (a translation of the default edition's)."""
    texts = yaml.safe_load(_starter("welcome.yaml"))
    code = edition or site.language
    language = code.split("-")[0].lower()
    words = texts.get(language) or texts["en"]
    name = f"welcome-{edition_prefix(edition)}.md" if edition else "welcome.md"
    path = f"content/{section}/{now.year:04d}/{name}"
    fill = lambda text: text.replace("{site}", site.title).replace("{path}", path)
    meta: dict = {"title": fill(words["title"]), "date": now.replace(microsecond=0).isoformat(), "section": section,
                  "summary": fill(words["summary"]), "tags": ["welcome"]}
    if language not in texts:
        meta["lang"] = "en"  # the text is English, and screen readers must read it as English
    if edition:
        # An edition's pages have their own prefix, so every welcome article can have the one slug.
        meta.update({"edition": edition, "slug": "welcome"})
    if site.editions and language in texts:
        # Only a text in the edition's own language is a translation: an edition without a welcome
        # text of its own carries the English one, which is not a second English version.
        meta["translation_key"] = WELCOME_KEY
    meta["image"] = {"src": "/images/welcome.jpg", "alt": words["alt"], "caption": words["caption"]}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1_000)
    return path, f"---\n{front}---\n\n{fill(words['body'])}"


def _has_articles(folder: Path) -> bool:
    content = folder / "content"
    return content.is_dir() and any(p.suffix in (".md", ".markdown") for p in content.rglob("*"))


def starter_files(folder: Path, site: NewSite, now: datetime, ci: str | None, *,
                  config_exists: bool) -> dict[str, bytes]:
    """Every file init would write, by its path in the folder."""
    files: dict[str, bytes] = {}
    if not config_exists:
        files[CONFIG_NAME] = site_yaml(site).encode()
    if not _has_articles(folder):  # never a welcome article in an archive that has articles
        for edition in (None, *site.editions):
            path, text = welcome_article(site, site.sections[0].key, now, edition)
            files[path] = text.encode()
        files["static/images/welcome.jpg"] = _starter("welcome.jpg")
    files[".gitignore"] = (b"# Made by broadsheet build and broadsheet audit; CI keeps them in its cache.\n"
                           b"/output/\n/audit-report/\n")
    files["requirements.txt"] = (f"# The Broadsheet this site is built with (CI keys its build cache on this file).\n"
                                 f"broadsheet=={builder.__version__}\n").encode()
    files["README.md"] = _starter("README.md").decode().replace("{site}", site.title).encode()
    if ci:
        target, template = CI_FILES[ci]
        files[target] = _starter(template)
    return files


def write_new_files(folder: Path, files: dict[str, bytes]) -> tuple[list[str], list[str]]:
    """Write the files that are not there; (written, kept). An existing file is never opened for writing."""
    written, kept = [], []
    for rel, data in files.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(target, "xb") as handle:  # "x": never replace a file
                handle.write(data)
        except FileExistsError:
            kept.append(rel)
            continue
        written.append(rel)
    return written, kept


def check_site(site: NewSite, folder: Path) -> SiteConfig:
    """The answers as the build will read them: every problem at once, named by its option."""
    try:
        return parse_config(site_yaml(site), folder.resolve())
    except BuildFailed as failure:
        errors = []
        for error in failure.errors:
            top = (error.field or "").split(".")[0].split("[")[0]
            errors.append(BuildError(None, None, FLAGS.get(top, error.field), error.message, error.hint))
        raise BuildFailed(errors) from None


def _ask(value: str | None, question: str, default: str, interactive: bool) -> str:
    if value is not None:
        return value
    return click.prompt(question, default=default) if interactive else default


def gather(folder: Path, title: str | None, base_url: str | None, language: str | None, timezone: str | None,
           sections: tuple[str, ...], interactive: bool, editions: tuple[str, ...] = ()) -> NewSite:
    env = os.environ
    title = _ask(title, "Site title", guess_title(folder), interactive)
    base_url = _ask(base_url, "Address it will be published at", DEFAULT_BASE_URL, interactive)
    language = _ask(language, "Language (e.g. en, hy, ru, ar)", guess_language(env), interactive)
    timezone = _ask(timezone, "Time zone", guess_timezone(env), interactive)
    if not sections:
        answer = _ask(None, "First sections, comma-separated", DEFAULT_SECTION, interactive)
        sections = tuple(s for s in (part.strip() for part in answer.split(",")) if s)
    return NewSite(title.strip(), base_url.strip(), language.strip(), timezone.strip(),
                   tuple(parse_section(s) for s in sections) or (parse_section(DEFAULT_SECTION),),
                   tuple(dict.fromkeys(e.strip() for e in editions if e.strip())))


def _refusal(folder: Path) -> BuildError | None:
    if folder.exists() and not folder.is_dir():
        return BuildError(folder, None, "DIR", "is a file, not a folder", "choose a folder for the new site")
    if folder.is_dir() and any(p.name not in IGNORED_WHEN_EMPTY for p in folder.iterdir()):
        return BuildError(folder, None, "DIR", "the folder is not empty",
                          "choose a new or empty folder, or add only the missing files with --existing")
    return None


@click.command()
@click.argument("directory", required=False, default=Path("."), type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", help="The site's title.  [default: from the folder's name]")
@click.option("--base-url", help=f"The address the site is published at.  [default: {DEFAULT_BASE_URL}]")
@click.option("--language", help="The site's language (BCP 47, e.g. hy, en, ru, ar).  [default: the locale's]")
@click.option("--timezone", help="IANA time zone for article dates, e.g. Asia/Yerevan.  [default: the machine's]")
@click.option("--section", "sections", multiple=True, metavar="KEY[=TITLE]",
              help=f"A first section; repeat for several.  [default: {DEFAULT_SECTION}]")
@click.option("--edition", "editions", multiple=True, metavar="LANGUAGE",
              help="Another language edition (BCP 47, e.g. en, ar), published under /LANGUAGE/; repeat for "
                   "several. --language is the default edition, at the site's root.")
@click.option("--ci", type=click.Choice(sorted(CI_FILES)), help="Also write a CI workflow that builds, audits "
              "and deploys, with the build cache kept between runs.")
@click.option("--existing", is_flag=True, help="Use a folder that has files: add only the missing ones.")
def init(directory: Path, title: str | None, base_url: str | None, language: str | None, timezone: str | None,
         sections: tuple[str, ...], editions: tuple[str, ...], ci: str | None, existing: bool) -> None:
    """Create a new site in DIR (default: here) that builds and passes the audit at once.

    Asks for what is not given as an option when run in a terminal; otherwise uses the defaults
    (the locale's language, the machine's time zone, a section called news). Refuses a folder
    that is not empty unless --existing, which only adds missing files.
    """
    if not existing and (refusal := _refusal(directory)):
        print_errors([refusal], "Nothing written")
        sys.exit(1)
    interactive = stdin_is_terminal()
    config_exists = (directory / CONFIG_NAME).is_file()
    try:
        if config_exists:  # --existing in a site: the files added follow its site.yaml
            config = load_config(directory)
            site = NewSite(config.title, config.base_url, config.language, config.timezone.key, config.sections,
                           tuple(e.code for e in config.editions[1:]))
            if not site.sections:
                raise BuildFailed([BuildError(directory / CONFIG_NAME, None, "sections", "has no section",
                                              "add one, e.g. sections: [{key: news, title: News}]")])
        else:
            site = gather(directory, title, base_url, language, timezone, sections, interactive, editions)
            config = check_site(site, directory)
    except BuildFailed as failure:
        print_errors(failure.errors, "Nothing written")
        sys.exit(1)
    now = datetime.now(config.timezone)
    written, kept = write_new_files(directory, starter_files(directory, site, now, ci, config_exists=config_exists))
    (directory / "static").mkdir(exist_ok=True)
    click.echo(f"{'Added to' if existing else 'Created a site in'} {directory.resolve()}:")
    for rel in written:
        click.echo(f"  {rel}")
    if kept:
        click.echo(f"Kept as they were: {', '.join(kept)}")
    where = "" if directory.resolve() == Path.cwd() else f"cd {directory} && "
    click.echo(f"Next: {where}broadsheet serve   (then broadsheet new \"A headline\" for the first article)")
