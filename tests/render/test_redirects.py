"""Aliases: redirect pages at old addresses, the _redirects file, and addresses two files claim."""

from __future__ import annotations

import pytest

from builder.errors import BuildFailed
from tests.support.builds import absolute, article, build_into, site_once, site_yaml, url
from tests.support.files import output_state, write_files

NEW = "politics/2024/05/council-vote/"
CONTENT = {
    "content/politics/council-vote.md": article(
        "Council votes & \"wins\"", "2024-05-01T10:00:00+04:00", tags=["Budget"],
        aliases=["/news-archive/2019/council/", "/politics/old-council-vote/", "/old/page.html"]),
    "content/culture/festival.md": article("Festival", "2024-04-01T10:00:00+04:00", section="culture", lang="hy",
                                           aliases=["/culture/fest/"]),
}
ALIASES = ["news-archive/2019/council/", "politics/old-council-vote/", "old/page.html"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return site_once(tmp_path_factory, "redirects", CONTENT)


@pytest.fixture(scope="module")
def hosted(tmp_path_factory):
    files = {**CONTENT, "site.yaml": site_yaml(extra="hosting:\n  redirects: true\n  fingerprint: false\n")}
    return site_once(tmp_path_factory, "redirects-hosted", files)


@pytest.mark.parametrize("alias", ALIASES)
def test_redirect_page_at_the_old_address(site, alias):
    assert site.exists(alias)
    doc = site.html(alias)
    target = url(NEW)
    assert doc.xpath("//head/meta[@http-equiv='refresh']/@content") == [f"0; url={target}"]
    assert doc.xpath("//head/link[@rel='canonical']/@href") == [absolute(NEW)]
    assert doc.xpath("//head/meta[@name='robots']/@content") == ["noindex"]
    # A visible link for everyone the refresh does not move: named by the article's title.
    links = doc.xpath("//main//a")
    assert [(a.get("href"), a.text_content()) for a in links] == [(target, 'Council votes & "wins"')]
    assert doc.xpath("string(//h1)").strip() == "This page has moved"


def test_redirect_page_is_in_the_article_language(site):
    doc = site.html("culture/fest/")
    assert doc.get("lang") == "hy"
    assert doc.xpath("//main//a/@href") == [url("culture/2024/04/festival/")]


def test_the_article_itself_is_unchanged_at_its_new_address(site):
    doc = site.html(NEW)
    assert doc.xpath("//head/meta[@http-equiv='refresh']") == []
    assert doc.xpath("string(//h1)") == 'Council votes & "wins"'


def test_no_redirects_file_by_default(site):
    assert not site.exists("_redirects")


def test_redirects_file_with_permanent_redirects(hosted):
    lines = hosted.text("_redirects").splitlines()
    assert lines == sorted([
        f"/news/news-archive/2019/council/ /news/{NEW} 301",
        f"/news/politics/old-council-vote/ /news/{NEW} 301",
        f"/news/old/page.html /news/{NEW} 301",
        "/news/culture/fest/ /news/culture/2024/04/festival/ 301",
    ])
    for line in lines:
        source, target, status = line.split(" ")
        assert hosted.exists(target.removeprefix("/news/"))
    # The redirect pages are still written, for hosts that ignore _redirects.
    assert hosted.exists("news-archive/2019/council/")


def test_redirect_pages_are_not_in_the_sitemap_or_listings(site):
    sitemap = site.text("sitemap.xml")
    for alias in ALIASES:
        assert absolute(alias) not in sitemap
    assert url(ALIASES[0]) not in site.text("")


def test_alias_that_is_another_articles_address_is_an_error_naming_both_files(build_site):
    files = {
        "content/politics/first.md": article("First", "2024-05-01T10:00:00+04:00"),
        "content/politics/second.md": article("Second", "2024-05-02T10:00:00+04:00",
                                              aliases=["/politics/2024/05/first/"]),
    }
    with pytest.raises(BuildFailed) as failure:
        build_site(files)
    (error,) = failure.value.errors
    text = str(error)
    assert "content/politics/first.md" in text and "content/politics/second.md" in text
    assert "/politics/2024/05/first/" in text
    assert error.field == "aliases"


def test_two_articles_with_the_same_alias_is_an_error_naming_both_files(build_site):
    files = {
        "content/politics/first.md": article("First", "2024-05-01T10:00:00+04:00", aliases=["/old/story/"]),
        "content/culture/second.md": article("Second", "2024-05-02T10:00:00+04:00", section="culture",
                                             aliases=["/old/story/"]),
    }
    with pytest.raises(BuildFailed) as failure:
        build_site(files)
    text = str(failure.value)
    assert "content/politics/first.md" in text and "content/culture/second.md" in text
    assert "/old/story/" in text


def test_failed_alias_check_leaves_the_previous_output_alone(tmp_path):
    root = tmp_path / "again"
    built = build_into(root, {"content/politics/first.md": article("First", "2024-05-01T10:00:00+04:00")})
    before = output_state(built.out)
    write_files(built.site, {"content/politics/second.md": article(
        "Second", "2024-05-02T10:00:00+04:00", aliases=["/politics/2024/05/first/"])})
    with pytest.raises(BuildFailed):
        build_into(root, {})
    assert output_state(built.out) == before


@pytest.mark.parametrize("alias", ["/politics/", "/tags/budget/", "/2024/05/", "/archive/", "/feed.xml"])
def test_alias_over_a_generated_page_is_an_error(build_site, alias):
    files = {"content/politics/one.md": article("One", "2024-05-01T10:00:00+04:00", tags=["Budget"],
                                                aliases=[alias])}
    with pytest.raises(BuildFailed) as failure:
        build_site(files)
    assert alias.lstrip("/") in str(failure.value)


@pytest.mark.parametrize("alias", ["politics/old/", "/../etc/", "/old/?id=3", "/old/#top"])
def test_alias_must_be_a_site_path(build_site, alias):
    files = {"content/politics/one.md": article("One", "2024-05-01T10:00:00+04:00", aliases=[alias])}
    with pytest.raises(BuildFailed) as failure:
        build_site(files)
    (error,) = failure.value.errors
    assert str(error.path) == "content/politics/one.md" and error.field == "aliases.0"


def test_a_query_alias_of_the_root_is_a_redirects_line_not_a_page(build_site):
    files = {"site.yaml": site_yaml(extra="hosting:\n  redirects: true\n  fingerprint: false\n"),
             "content/politics/one.md": article("One", "2024-05-01T10:00:00+04:00", aliases=["/?p=123"])}
    built = build_site(files)
    assert "/news/ p=123 /news/politics/2024/05/one/ 301" in built.text("_redirects").splitlines()
    assert sorted(p for p in built.html_pages() if "?" in p) == []
