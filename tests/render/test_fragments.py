"""{% cache %}: a part is rendered once per store and key, and a page is the same with or without it."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import jinja2
import pytest

from builder.build.pipeline import BuildOptions, build
from builder.render import fragments
from builder.render.fragments import FragmentCache

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def env() -> jinja2.Environment:
    return jinja2.Environment(extensions=[FragmentCache], autoescape=True)


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self) -> int:
        self.calls += 1
        return self.calls


def test_a_part_is_rendered_once_per_key(env):
    template = env.from_string("{% cache key %}<b>{{ key }} {{ count() }}</b>{% endcache %}")
    count, store = Counter(), {}
    pages = [template.render(key=key, count=count, fragment_cache=store) for key in ("a", "b", "a", "a", "b")]
    assert pages == ["<b>a 1</b>", "<b>b 2</b>", "<b>a 1</b>", "<b>a 1</b>", "<b>b 2</b>"]
    assert count.calls == 2


def test_parts_with_the_same_keys_in_other_places_are_other_parts(env):
    template = env.from_string("{% cache k %}1:{{ count() }}{% endcache %} {% cache k %}2:{{ count() }}{% endcache %}")
    store = {}
    assert template.render(k=1, count=Counter(), fragment_cache=store) == "1:1 2:2"
    assert template.render(k=1, count=Counter(), fragment_cache=store) == "1:1 2:2"  # both from the store


def test_a_part_sees_macro_arguments_and_loop_variables(env):
    template = env.from_string(
        "{% macro item(x, level) %}{% cache x, level %}<h{{ level }}>{{ x }}</h{{ level }}>{% endcache %}{% endmacro %}"
        "{% for x in xs %}{{ item(x, 2) }}{% endfor %}")
    assert template.render(xs=["a", "<b>", "a"], fragment_cache={}) == "<h2>a</h2><h2>&lt;b&gt;</h2><h2>a</h2>"


def test_without_a_store_or_with_an_unhashable_key_every_part_is_rendered(env):
    template = env.from_string("{% cache key %}{{ count() }}{% endcache %}")
    count = Counter()
    assert [template.render(key="a", count=count) for _ in range(2)] == ["1", "2"]
    assert [template.render(key=["a"], count=count, fragment_cache={}) for _ in range(2)] == ["3", "4"]


def test_a_part_without_keys_is_rendered_once_per_store(env):
    template = env.from_string("{% cache %}{{ count() }}{% endcache %}")
    count, first, second = Counter(), {}, {}
    assert [template.render(count=count, fragment_cache=first) for _ in range(2)] == ["1", "1"]
    assert template.render(count=count, fragment_cache=second) == "2"


def test_a_full_store_forgets_its_oldest_half(env, monkeypatch):
    monkeypatch.setattr(fragments, "MAX_FRAGMENTS", 4)
    template = env.from_string("{% cache key %}{{ count() }}{% endcache %}")
    count, store = Counter(), {}
    for key in "abcde":
        template.render(key=key, count=count, fragment_cache=store)
    assert len(store) == 3 and count.calls == 5
    assert template.render(key="d", count=count, fragment_cache=store) == "4"  # kept
    assert template.render(key="a", count=count, fragment_cache=store) == "6"  # forgotten: rendered again


def test_the_example_site_is_byte_identical_with_and_without_the_cache(tmp_path, monkeypatch):
    """The default theme's keys name everything its cached parts show (languages, scripts, nav marks)."""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "content", site / "content")
    shutil.copy(ROOT / "site.yaml", site / "site.yaml")
    if (ROOT / "static").is_dir():
        shutil.copytree(ROOT / "static", site / "static")
    now = datetime(2026, 11, 1, tzinfo=UTC)
    calls = Counter()
    original = FragmentCache._fragment

    def counted(context, where, keys, caller):
        calls()
        return original(context, where, keys, caller)

    monkeypatch.setattr(FragmentCache, "_fragment", staticmethod(counted))
    build(BuildOptions(site, output_dir=tmp_path / "cached", now=now, jobs=1))
    monkeypatch.setattr(FragmentCache, "_fragment", staticmethod(lambda context, where, keys, caller: caller()))
    build(BuildOptions(site, output_dir=tmp_path / "uncached", now=now, jobs=1))

    def files(root: Path) -> dict[str, bytes]:
        # Pagefind's bundle is left out: its bytes differ between runs (Pagefind issue #638).
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
                if p.is_file() and not p.relative_to(root).parts[0].startswith((".broadsheet", "pagefind"))}

    cached, uncached = files(tmp_path / "cached"), files(tmp_path / "uncached")
    shells = sum(1 for name, data in cached.items() if name.endswith(".html") and b'class="site-header"' in data)
    assert shells > 100 and calls.calls >= 3 * shells  # head, header and footer of every page, at least
    assert sorted(k for k in cached.keys() | uncached.keys() if cached.get(k) != uncached.get(k)) == []


def test_a_second_build_in_the_same_process_shows_new_titles(tmp_path):
    """`broadsheet serve` builds many times in one process: nothing cached outlives its build."""
    site = tmp_path / "site"
    (site / "content/news").mkdir(parents=True)
    (site / "site.yaml").write_text("title: Daily\nbase_url: https://example.org/\nlanguage: en\n"
                                    "sections:\n  - key: news\n    title: News\n", encoding="utf-8")
    story = site / "content/news/story.md"
    now = datetime(2025, 1, 1, tzinfo=UTC)
    for title in ("Bridge opens", "Bridge opens late"):
        story.write_text(f"---\ntitle: {title}\ndate: 2024-05-01T10:00:00Z\nsection: news\n"
                         f"summary: The river crossing.\n---\n\nText.\n", encoding="utf-8")
        build(BuildOptions(site, output_dir=site / "output", now=now, jobs=1, clean=True))
        section = (site / "output/news/index.html").read_text(encoding="utf-8")
        assert f">{title}</a></h2>" in section
