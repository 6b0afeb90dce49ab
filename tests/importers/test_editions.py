"""importers.editions and the address choice with editions: small made-up posts, no build."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from builder.importers.addresses import Placed, place
from builder.importers.editions import choose_editions, edition_code, translation_keys
from builder.importers.mapping import SectionChoice, SectionMapping
from builder.importers.model import OldPost, OldSite

THEME = {"en", "fr", "ja", "zh-Hans"}
MAPPING = SectionMapping({"posts": SectionChoice("posts", "Posts")})


def post(lang: str, name: str, old_url: str, key: str = "", aliases: tuple[str, ...] = ()) -> Placed:
    moment = datetime(2022, 6, 10, tzinfo=UTC)
    old = OldPost(origin=f"{lang}/{name}.md", line=1, title=name, published=moment, slug=name, body="", body_line=1,
                  old_url=old_url, category="posts", lang=lang, translation_key=key, aliases=aliases)
    return Placed(old, "posts", name, lang, moment)


def site(posts: list[Placed], **fields) -> OldSite:
    return OldSite(engine="hugo", source=Path("."), title="Lighthouse", base_url="https://x.example/", language="en",
                   timezone="UTC", permalink="", posts=tuple(p.post for p in posts), **fields)


def test_edition_tags_the_theme_can_speak():
    assert edition_code("ja", THEME) == "ja"
    assert edition_code("fr-ca", THEME) == "fr-ca"  # its base language has the text
    assert edition_code("zh", THEME) == "zh-Hans"  # its likely script does
    assert edition_code("zh-cn", THEME) == "zh-Hans"
    assert edition_code("bn", THEME) is None


def test_prefixes_titles_and_section_titles_come_from_the_old_site():
    posts = [post("en", "storm", "posts/storm/", "posts/storm"), post("ja", "storm", "ja/posts/storm/", "posts/storm"),
             post("zh", "storm", "zh/posts/storm/", "posts/storm"), post("bn", "storm", "bn/posts/storm/")]
    old = site(posts, language_prefixes={"ja": "ja", "zh": "zh", "bn": "bn"}, language_titles={"ja": "灯台"},
               section_titles={"ja": {"posts": "投稿"}})
    plan = choose_editions(old, posts, [("posts", "Posts")], MAPPING, THEME)
    assert [(e.code, e.prefix, e.title, e.sections, e.fallback) for e in plan.editions] == [
        ("en", "", "", (), False),
        ("ja", "ja", "灯台", (("posts", "投稿"),), False),  # every section named in Japanese: no fallback
        ("zh-Hans", "zh", "Lighthouse", (), True),
    ]
    assert dict(plan.without) == {"bn": 1}
    assert [plan.edition_field(lang) for lang in ("en", "ja", "zh", "bn")] == ["", "", "zh-Hans", ""]
    # the posts of one translation key, one per edition; bn stays in the en edition, which has its key
    assert translation_keys(posts, plan) == ["posts/storm", "posts/storm", "posts/storm", ""]


def test_old_addresses_under_a_language_prefix_are_kept_exactly():
    posts = [post("en", "storm", "posts/storm/", "posts/storm", aliases=("old/storm/",)),
             post("ja", "storm", "ja/posts/storm/", "posts/storm", aliases=("old/storm/", "posts/storm-ja/")),
             post("ja", "calm", "ja/posts/calm/")]
    old = site(posts, language_prefixes={"ja": "ja"})
    plan = choose_editions(old, posts, [("posts", "Posts")], MAPPING, THEME)
    found = place(posts, ZoneInfo("UTC"), {"posts"}, True, "en", plan.prefixes)
    assert found.permalink == "/{section}/{slug}/"
    assert [p.path for p in found.placed] == ["posts/storm/", "ja/posts/storm/", "ja/posts/calm/"]
    assert found.kept == 3
    assert [p.aliases for p in found.placed] == [("old/storm/",), ("posts/storm-ja/",), ()]
    assert [(post.origin, why) for post, _, why in found.lost] == [("ja/storm.md", "en/storm.md had it too")]


def test_a_post_of_the_root_edition_never_takes_an_address_under_another_editions_prefix():
    # under /{slug}/, the en post "ja" would be /ja/, the ja edition's home: that pattern is not a candidate
    posts = [post("en", "ja", "ja/"), post("ja", "storm", "ja/storm/")]
    plan = choose_editions(site(posts, language_prefixes={"ja": "ja"}), posts, [("posts", "Posts")], MAPPING, THEME)
    found = place(posts, ZoneInfo("UTC"), {"posts"}, True, "en", plan.prefixes)
    assert not found.placed[0].path.startswith("ja/")
    assert found.placed[1].path.startswith("ja/")


def test_a_language_whose_old_addresses_had_no_prefix_gets_its_tag_and_two_of_one_language_never_share_a_key():
    posts = [post("en", "storm", "2022/storm.html", "storm"), post("fr", "tempete", "2022/tempete.html", "storm"),
             post("fr", "orage", "2022/orage.html", "storm")]
    plan = choose_editions(site(posts), posts, [("posts", "Posts")], MAPPING, THEME)
    assert [(e.code, e.prefix) for e in plan.editions] == [("en", ""), ("fr", "fr")]
    assert translation_keys(posts, plan) == ["storm", "storm", ""]


def test_one_language_or_a_default_language_without_interface_text_makes_no_editions():
    one = [post("en", "storm", "posts/storm/")]
    assert choose_editions(site(one), one, [("posts", "Posts")], MAPPING, THEME).editions == ()
    posts = [post("bn", "storm", "posts/storm/"), post("ja", "storm", "ja/posts/storm/")]
    old = OldSite(engine="hugo", source=Path("."), title="x", base_url="https://x.example/", language="bn",
                  timezone="UTC", permalink="", posts=())
    assert choose_editions(old, posts, [("posts", "Posts")], MAPPING, THEME).editions == ()


def test_a_language_without_an_edition_stays_in_the_default_one_with_a_slug_suffix():
    posts = [post("en", "storm", "posts/storm/", "k"), post("ja", "storm", "ja/posts/storm/", "k"),
             post("bn", "storm", "bn/posts/storm/", "k")]
    plan = choose_editions(site(posts, language_prefixes={"ja": "ja", "bn": "bn"}), posts, [("posts", "Posts")],
                           MAPPING, THEME)
    found = place(posts, ZoneInfo("UTC"), {"posts"}, True, "en", plan.prefixes)
    assert [(p.path, p.aliases) for p in found.placed] == [
        ("posts/storm/", ()), ("ja/posts/storm/", ()), ("posts/storm-bn/", ("bn/posts/storm/",))]
    assert translation_keys(found.placed, plan) == ["k", "k", ""]  # bn would be a second key in the en edition
