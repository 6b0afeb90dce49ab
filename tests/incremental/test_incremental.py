"""Incremental builds are byte-identical to clean builds, whatever sequence of edits came before."""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from builder.build.pipeline import BuildOptions, build
from builder.render.theme_lookup import bundled_themes
from tests.support.files import age_new_files, diff, tree, write_files
from tests.support.herald import SITE_YAML, article_text

NOW = datetime(2025, 1, 1, tzinfo=UTC)
TAGS = st.sampled_from(["budget", "elections", "music", "water", "Երևան"])
WORDS = st.sampled_from(["council", "vote", "festival", "river", "Սևան", "выборы", "مهرجان"])


class EditSequence(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="broadsheet-incremental-"))
        self.site = write_files(self.root / "site", {
            "site.yaml": SITE_YAML,
            "content/politics/first.md": article_text("First story", tags=("budget", "elections")),
            "content/culture/second.md": article_text("Second story", section="culture", date="2023-12-31T23:30:00+04:00"),
        })
        self.counter = 0
        self.step = 0

    def teardown(self):
        shutil.rmtree(self.root, ignore_errors=True)

    def articles(self) -> list[Path]:
        return sorted((self.site / "content").rglob("*.md"))

    # Edits

    @rule(title=WORDS, section=st.sampled_from(["politics", "culture"]), tags=st.lists(TAGS, max_size=3),
          day=st.integers(1, 28))
    def add(self, title, section, tags, day):
        self.counter += 1
        path = self.site / "content" / section / f"added-{self.counter}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article_text(f"{title} {self.counter}", section=section, tags=tuple(tags),
                                     date=f"2024-02-{day:02d}T10:00:00+04:00"), encoding="utf-8")

    @precondition(lambda self: self.articles())
    @rule(data=st.data(), word=WORDS)
    def edit_body(self, data, word):
        path = data.draw(st.sampled_from(self.articles()))
        path.write_text(path.read_text(encoding="utf-8") + f"\nMore about the {word}.\n", encoding="utf-8")

    @precondition(lambda self: self.articles())
    @rule(data=st.data(), word=WORDS)
    def edit_title(self, data, word):
        path = data.draw(st.sampled_from(self.articles()))
        text = path.read_text(encoding="utf-8")
        start = text.index('title: "') + len('title: "')
        path.write_text(text[:start] + word + " " + text[start:], encoding="utf-8")

    @precondition(lambda self: self.articles())
    @rule(data=st.data(), month=st.integers(1, 12))
    def change_date(self, data, month):
        path = data.draw(st.sampled_from(self.articles()))
        lines = path.read_text(encoding="utf-8").split("\n")
        lines = [f"date: 2022-{month:02d}-15T08:00:00+04:00" if line.startswith("date:") else line for line in lines]
        path.write_text("\n".join(lines), encoding="utf-8")

    @precondition(lambda self: self.articles())
    @rule(data=st.data())
    def change_section(self, data):
        path = data.draw(st.sampled_from(self.articles()))
        text = path.read_text(encoding="utf-8")
        swapped = text.replace("section: politics", "section: @").replace("section: culture", "section: politics")
        path.write_text(swapped.replace("section: @", "section: culture"), encoding="utf-8")

    @precondition(lambda self: self.articles())
    @rule(data=st.data(), tags=st.lists(TAGS, max_size=3, unique=True))
    def set_tags(self, data, tags):
        path = data.draw(st.sampled_from(self.articles()))
        lines = path.read_text(encoding="utf-8").split("\n")
        lines = [f"tags: [{', '.join(tags)}]" if line.startswith("tags:") else line for line in lines]
        path.write_text("\n".join(lines), encoding="utf-8")

    @precondition(lambda self: len(self.articles()) > 1)
    @rule(data=st.data())
    def delete(self, data):
        data.draw(st.sampled_from(self.articles())).unlink()

    @precondition(lambda self: self.articles())
    @rule(data=st.data())
    def rename(self, data):
        path = data.draw(st.sampled_from(self.articles()))
        self.counter += 1
        path.rename(path.with_name(f"renamed-{self.counter}.md"))

    @precondition(lambda self: self.articles())
    @rule(data=st.data())
    def toggle_draft(self, data):
        path = data.draw(st.sampled_from(self.articles()))
        text = path.read_text(encoding="utf-8")
        if "draft: true\n" in text:
            text = text.replace("draft: true\n", "")
        else:
            text = text.replace("---\n\n", "draft: true\n---\n\n", 1)
        path.write_text(text, encoding="utf-8")

    @rule(word=WORDS)
    def edit_template(self, word):
        override = self.site / "templates" / "article.html"
        if not override.exists():
            override.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(bundled_themes() / "default" / "templates" / "article.html", override)
        override.write_text(override.read_text(encoding="utf-8") + f"\n<!-- {word} -->\n", encoding="utf-8")

    @rule(per_page=st.integers(1, 3), word=WORDS)
    def edit_site_yaml(self, per_page, word):
        text = SITE_YAML.replace("per_page: 2", f"per_page: {per_page}")
        (self.site / "site.yaml").write_text(text.replace("Engine Test Herald", f"Herald of the {word}"),
                                             encoding="utf-8")

    # The property

    @invariant()
    def incremental_equals_clean(self):
        incremental = self.root / "incremental"
        clean = self.root / "clean"
        shutil.rmtree(clean, ignore_errors=True)
        self.step += 1
        age_new_files(self.site, self.step)  # so that the second build below can trust its input stamp
        build(BuildOptions(self.site, output_dir=incremental, now=NOW, jobs=1))
        again = build(BuildOptions(self.site, output_dir=incremental, now=NOW, jobs=1))
        assert again.archive is None and again.rendered == 0, "nothing changed, yet the build read the articles"
        build(BuildOptions(self.site, output_dir=clean, now=NOW, jobs=1))
        assert diff(tree(incremental), tree(clean)) == []


EditSequence.TestCase.settings = settings(
    max_examples=12, stateful_step_count=8, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_incremental_build_equals_clean_build = EditSequence.TestCase


# Editions and translations ----------------------------------------------------------------------

EDITIONS_YAML = SITE_YAML.replace("language: en\n", "") + """\
languages:
  - code: en
  - code: hy
    prefix: hy
    title: Շարժիչի փորձնական լրատու
    sections:
      politics: {title: Քաղաքականություն}
      culture: {title: Մշակույթ}
  - code: ar
    prefix: ar
    title: نشرة اختبار المحرك
    fallback: true
"""
LANGS = st.sampled_from(["en", "hy", "ar"])


def front_matter(text: str, key: str) -> str | None:
    head = text.split("\n---\n", 1)[0]
    return next((line.split(":", 1)[1].strip() for line in head.split("\n") if line.startswith(f"{key}:")), None)


def set_field(text: str, key: str, value: str | None) -> str:
    """The article with one front-matter field set (None: removed)."""
    head, rest = text.split("\n---\n", 1)
    lines = [line for line in head.split("\n") if not line.startswith(f"{key}:")]
    if value is not None:
        lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n---\n" + rest


class EditionEditSequence(EditSequence):
    """The same edits on a site of three editions, plus translating, re-keying and moving stories
    between editions: the switchers and alternates of every sibling must follow."""

    def __init__(self):
        super().__init__()
        (self.site / "site.yaml").write_text(EDITIONS_YAML, encoding="utf-8")

    def languages_of(self, key: str) -> set[str]:
        found = set()
        for path in self.articles():
            text = path.read_text(encoding="utf-8")
            if front_matter(text, "translation_key") == key:
                found.add(front_matter(text, "lang") or "en")
        return found

    @precondition(lambda self: self.articles())
    @rule(data=st.data(), lang=LANGS)
    def translate(self, data, lang):
        path = data.draw(st.sampled_from(self.articles()))
        text = path.read_text(encoding="utf-8")
        key = front_matter(text, "translation_key")
        if key is None:
            self.counter += 1
            key = f"story-{self.counter}"
            path.write_text(set_field(text, "translation_key", key), encoding="utf-8")
            text = path.read_text(encoding="utf-8")
        if lang in self.languages_of(key):
            return
        self.counter += 1
        translated = set_field(set_field(text, "lang", lang), "translation_key", key)
        path.with_name(f"translated-{self.counter}.md").write_text(translated, encoding="utf-8")

    @precondition(lambda self: self.articles())
    @rule(data=st.data())
    def drop_translation_key(self, data):
        path = data.draw(st.sampled_from(self.articles()))
        path.write_text(set_field(path.read_text(encoding="utf-8"), "translation_key", None), encoding="utf-8")

    @precondition(lambda self: self.articles())
    @rule(data=st.data(), lang=LANGS)
    def move_to_another_edition(self, data, lang):
        path = data.draw(st.sampled_from(self.articles()))
        text = path.read_text(encoding="utf-8")
        key = front_matter(text, "translation_key")
        if key is not None and lang in self.languages_of(key):
            return
        path.write_text(set_field(text, "lang", lang), encoding="utf-8")

    @rule(per_page=st.integers(1, 3), word=WORDS)
    def edit_site_yaml(self, per_page, word):
        text = EDITIONS_YAML.replace("per_page: 2", f"per_page: {per_page}")
        (self.site / "site.yaml").write_text(text.replace("نشرة اختبار المحرك", f"نشرة {word}"), encoding="utf-8")


EditionEditSequence.TestCase.settings = settings(
    max_examples=6, stateful_step_count=8, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_incremental_build_equals_clean_build_with_editions = EditionEditSequence.TestCase
