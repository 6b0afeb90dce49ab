"""`broadsheet init`: from an empty folder to a site that builds and passes the audit."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import builder
from builder.cli import main
from builder.commands import init as init_module
from builder.commands.init import guess_language, guess_timezone
from tests.support.files import tree_state
from tests.support.gazette import article_text

LOCALE = {"LANG": "hy_AM.UTF-8", "TZ": "Asia/Yerevan", "LC_ALL": "", "LC_MESSAGES": ""}


def run(*args, input: str | None = None, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input, env=env, catch_exceptions=False)


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


@pytest.mark.browser
def test_init_in_an_empty_folder_then_build_and_audit_all_exit_0(tmp_path):
    site = tmp_path / "gazette"
    created = run("init", site, "--language", "en", "--timezone", "Europe/London")
    assert created.exit_code == 0, created.output
    assert run("build", "--site", site).exit_code == 0
    audited = run("audit", "--site", site)
    assert audited.exit_code == 0, audited.output
    assert "Audit passed" in audited.output


def test_init_writes_a_ready_site(tmp_path):
    site = tmp_path / "gazette"
    result = run("init", site, "--language", "en", "--timezone", "Europe/London", "--section", "politics",
                 "--section", "culture=Culture and arts")
    assert result.exit_code == 0, result.output
    config = yaml.safe_load((site / "site.yaml").read_text(encoding="utf-8"))
    assert config["title"] == "Gazette" and config["timezone"] == "Europe/London"
    assert config["sections"] == [{"key": "politics", "title": "Politics"},
                                  {"key": "culture", "title": "Culture and arts"}]
    [welcome] = (site / "content" / "politics").rglob("welcome.md")
    meta = front_matter(welcome)
    assert meta["section"] == "politics" and "lang" not in meta
    assert (site / "static" / meta["image"]["src"].lstrip("/")).is_file()
    assert len(meta["image"]["alt"]) > 60 and meta["image"]["caption"] and meta["image"]["alt"] != meta["image"]["caption"]
    ignored = (site / ".gitignore").read_text().splitlines()
    assert "/output/" in ignored and "/audit-report/" in ignored
    assert f"broadsheet=={builder.__version__}" in (site / "requirements.txt").read_text()
    assert "broadsheet new" in (site / "README.md").read_text()
    assert not (site / ".github").exists() and not (site / ".gitlab-ci.yml").exists()


def test_init_without_a_terminal_takes_the_machines_defaults_and_asks_nothing(tmp_path):
    site = tmp_path / "hayastan-news"
    result = run("init", site, input="", env=LOCALE)  # CliRunner's stdin is no terminal
    assert result.exit_code == 0, result.output
    for question in ("Site title", "published at", "Language", "Time zone", "First sections"):
        assert question not in result.output
    config = yaml.safe_load((site / "site.yaml").read_text(encoding="utf-8"))
    assert (config["language"], config["timezone"], config["title"]) == ("hy", "Asia/Yerevan", "Hayastan news")
    [welcome] = (site / "content" / "news").rglob("welcome.md")
    assert front_matter(welcome)["title"].startswith("Բարի գալուստ")
    assert run("build", "--site", site).exit_code == 0


def test_init_at_a_terminal_asks_each_question(tmp_path, monkeypatch):
    monkeypatch.setattr(init_module, "stdin_is_terminal", lambda: True)
    site = tmp_path / "site"
    answers = "Вечерний курьер\nhttps://news.example.net/archive/\nru\nEurope/Moscow\npolitics, sport\n"
    result = run("init", site, input=answers, env=LOCALE)
    assert result.exit_code == 0, result.output
    for question in ("Site title", "published at", "Language", "Time zone", "First sections"):
        assert question in result.output
    config = yaml.safe_load((site / "site.yaml").read_text(encoding="utf-8"))
    assert config["title"] == "Вечерний курьер" and config["base_url"] == "https://news.example.net/archive/"
    assert [s["key"] for s in config["sections"]] == ["politics", "sport"]
    [welcome] = (site / "content" / "politics").rglob("welcome.md")
    assert front_matter(welcome)["title"] == "Добро пожаловать в архив «Вечерний курьер»"
    assert run("build", "--site", site).exit_code == 0


def test_a_language_without_a_welcome_text_gets_the_english_one_marked_as_english(tmp_path):
    site = tmp_path / "site"
    assert run("init", site, "--language", "de", "--timezone", "Europe/Berlin").exit_code == 0
    [welcome] = (site / "content").rglob("welcome.md")
    meta = front_matter(welcome)
    assert meta["lang"] == "en" and meta["title"].startswith("Welcome")
    assert run("build", "--site", site).exit_code == 0


def test_init_refuses_a_folder_with_files_and_writes_nothing(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "notes.txt").write_text("the editor's notes")
    before = tree_state(site)
    result = run("init", site)
    assert result.exit_code == 1
    assert "not empty" in result.stderr and "--existing" in result.stderr
    assert tree_state(site) == before


def test_a_folder_with_only_a_git_repository_counts_as_empty(tmp_path):
    site = tmp_path / "site"
    (site / ".git").mkdir(parents=True)
    assert run("init", site, "--language", "en").exit_code == 0


def test_init_existing_adds_only_the_missing_files(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "README.md").write_text("Our own notes.\n")
    result = run("init", site, "--existing", "--language", "en", "--timezone", "UTC")
    assert result.exit_code == 0, result.output
    assert (site / "README.md").read_text() == "Our own notes.\n"
    assert "Kept as they were: README.md" in result.output
    assert (site / "site.yaml").is_file() and list((site / "content").rglob("welcome.md"))


def test_init_existing_in_a_site_adds_ci_and_no_welcome_article(tmp_path, make_site):
    site = make_site({"content/politics/council-vote.md": article_text("The council met.\n")}, theme=True)
    config_before = (site / "site.yaml").read_bytes()
    result = run("init", site, "--existing", "--ci", "gitlab")
    assert result.exit_code == 0, result.output
    assert (site / "site.yaml").read_bytes() == config_before
    assert not list((site / "content").rglob("welcome.md")) and not (site / "static/images/welcome.jpg").exists()
    ci = yaml.safe_load((site / ".gitlab-ci.yml").read_text())
    assert "broadsheet audit --fail-on serious" in ci["site"]["script"]
    assert ci["site"]["cache"]["key"] == {"files": ["requirements.txt"], "prefix": "$CI_COMMIT_REF_SLUG"}
    assert ci["site"]["artifacts"]["reports"]["junit"] == "audit-report/junit.xml"


def test_init_names_the_option_of_each_bad_answer(tmp_path):
    site = tmp_path / "site"
    result = run("init", site, "--language", "english language", "--timezone", "Mars/Olympus_Mons",
                 "--base-url", "news.example.org")
    assert result.exit_code == 1
    for option in ("--language", "--timezone", "--base-url"):
        assert option in result.stderr
    assert not site.exists() or not any(site.iterdir())


def test_the_machines_locale_and_time_zone(tmp_path):
    assert guess_language({"LANG": "fa_IR.UTF-8"}) == "fa"
    assert guess_language({"LC_ALL": "C.UTF-8", "LANG": "ru_RU.UTF-8"}) == "ru"
    assert guess_language({"LANG": "C"}) == "en" and guess_language({}) == "en"
    etc = tmp_path / "etc"
    etc.mkdir()
    os.symlink("/usr/share/zoneinfo/America/Argentina/Buenos_Aires", etc / "localtime")
    assert guess_timezone({}, etc) == "America/Argentina/Buenos_Aires"
    assert guess_timezone({"TZ": "Asia/Yerevan"}, etc) == "Asia/Yerevan"
    assert guess_timezone({"TZ": "Nowhere/Special"}, tmp_path / "no-etc") == "UTC"


def test_init_with_editions_writes_languages_and_a_welcome_article_in_each_linked_as_translations(tmp_path):
    site = tmp_path / "meridian"
    result = run("init", site, "--language", "hy", "--edition", "en", "--edition", "ar", "--edition", "zh-Hans",
                 "--timezone", "Asia/Yerevan", "--section", "politics=Քաղաքականություն")
    assert result.exit_code == 0, result.output
    config = yaml.safe_load((site / "site.yaml").read_text(encoding="utf-8"))
    assert [(e["code"], e.get("prefix")) for e in config["languages"]] == [
        ("hy", None), ("en", "en"), ("ar", "ar"), ("zh-Hans", "zh-hans")]
    welcomes = {front_matter(p).get("edition", "hy"): front_matter(p) for p in (site / "content").rglob("welcome*.md")}
    assert set(welcomes) == {"hy", "en", "ar", "zh-Hans"}
    assert {code for code, meta in welcomes.items() if meta.get("translation_key") == "welcome"} == {"hy", "en", "ar"}
    assert welcomes["ar"]["title"] != welcomes["en"]["title"]  # Arabic has its own welcome text
    # No Chinese text: the English one, marked as English, and not a second English translation.
    assert welcomes["zh-Hans"]["lang"] == "en" and "translation_key" not in welcomes["zh-Hans"]
    assert run("build", "--site", site).exit_code == 0
    arabic = (site / "output/ar/politics").rglob("welcome/index.html")
    page = next(arabic).read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in page
    assert 'hreflang="en" href="https://example.org/en/politics/' in page
    assert 'hreflang="zh-Hans"' not in page
    assert (site / "output/zh-hans/index.html").is_file()


def test_init_names_the_edition_option_of_a_bad_edition(tmp_path):
    result = run("init", tmp_path / "site", "--language", "en", "--edition", "english please", "--timezone", "UTC")
    assert result.exit_code == 1 and "--edition" in result.stderr
