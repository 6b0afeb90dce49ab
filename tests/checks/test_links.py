"""The link checker decides links as they come, keeps only undecided ones, and still finds every broken one."""

from __future__ import annotations

from builder.checks.links import LinkChecker
from builder.checks.scan import PageScan


def checker(**kwargs) -> LinkChecker:
    return LinkChecker("/news/", lambda page, made_from, href: None, **kwargs)


def test_links_to_expected_files_are_decided_at_once():
    links = checker()
    links.expect(["index.html", "politics/index.html", "assets/site.css"])
    links.add_page("index.html", PageScan({"main"}, [("/news/politics/", 3), ("#main", 4), ("/news/assets/site.css", 5),
                                                     ("https://example.org/", 6)]), ())
    assert links.links == []  # nothing held in memory
    assert links.errors() == []


def test_broken_links_are_reported_with_page_and_line():
    links = checker()
    links.expect(["index.html", "politics/index.html"])
    links.add_page("index.html", PageScan({"main"}, [("/news/sport/", 7), ("#nowhere", 8), ("/news/politics/#x", 9)]), ())
    links.add_page("politics/index.html", PageScan({"y"}, []), ())
    messages = sorted((str(e.path), e.line, e.message) for e in links.errors())
    assert messages == [
        ("index.html", 7, "broken link to /news/sport/: no such page in the site"),
        ("index.html", 8, "broken link to #nowhere: the page has no element with id 'nowhere'"),
        ("index.html", 9, "broken link to /news/politics/#x: the page has no element with id 'x'"),
    ]


def test_an_anchor_on_a_page_scanned_later_waits_for_it():
    links = checker()
    links.expect(["index.html", "politics/index.html"])
    links.add_page("index.html", PageScan(set(), [("/news/politics/#latest", 2)]), ())
    assert len(links.links) == 1  # undecided until the page is scanned
    links.add_page("politics/index.html", PageScan({"latest"}, []), ())
    assert links.errors() == []


def test_without_expect_links_wait_for_their_pages():
    links = checker()
    links.add_page("index.html", PageScan(set(), [("/news/politics/", 2)]), ())
    links.add_file("politics/index.html")
    assert links.errors() == []


def test_anchor_on_a_page_kept_from_the_last_build_uses_its_known_ids():
    links = checker(known_ids=lambda path: {"kept"} if path == "old/index.html" else None)
    links.expect(["index.html", "old/index.html"])
    links.add_page("index.html", PageScan(set(), [("/news/old/#kept", 2), ("/news/old/#gone", 3)]), ())
    assert [e.line for e in links.errors()] == [3]


def test_pages_with_the_same_ids_share_one_set_and_one_copy_of_each_id():
    links = checker()
    links.expect(["a/index.html", "b/index.html", "c/index.html"])
    first = links.add_page("a/index.html", PageScan({"main", "nav"}, []), ())
    second = links.add_page("b/index.html", PageScan({"".join(["ma", "in"]), "nav"}, []), ())
    third = links.add_page("c/index.html", PageScan({"".join(["ma", "in"]), "heading-1"}, []), ())
    assert first is second and first == ("main", "nav")
    assert third == ("heading-1", "main")
    assert next(i for i in third if i == "main") is next(i for i in first if i == "main")
    links.add_page("d/index.html", PageScan(set(), [("/news/b/#nav", 1), ("/news/c/#nav", 2)]), ())
    assert [e.line for e in links.errors()] == [2]


def test_files_known_elsewhere_are_asked_about_only_when_linked():
    asked = []
    existing = {"old/index.html", "kept/index.html", "assets/site.css"}
    links = checker(known_file=lambda path: asked.append(path) or path in existing,
                    known_ids=lambda path: {"top"} if path == "old/index.html" else None)
    links.add_page("new/index.html", PageScan(set(), [("/news/old/#top", 2), ("/news/kept", 3), ("/news/gone/", 4),
                                                       ("/news/assets/site.css", 5), ("/news/old/#nope", 6)]), ())
    assert [(e.line, e.message.split(":")[1].strip()) for e in links.errors()] == [
        (4, "no such page in the site"), (6, "the page has no element with id 'nope'")]
    assert set(asked) <= {"old/index.html", "kept", "kept/index.html", "gone/index.html", "gone/index.html/index.html",
                          "assets/site.css"}


def test_text_fragment_directives_are_not_ids():
    links = checker()
    links.expect(["index.html", "a/index.html"])
    links.add_page("a/index.html", PageScan({"intro"}, []), ())
    links.add_page("index.html", PageScan(set(), [
        ("/news/a/#:~:text=Direct%20File", 2),  # a directive alone: only the page must exist
        ("/news/a/#intro:~:text=x", 3),  # an id before the directive: it must exist
        ("#:~:text=here", 4),
        ("/news/a/#missing:~:text=x", 5),
    ]), ())
    assert [(e.line, e.message) for e in links.errors()] == [
        (5, "broken link to /news/a/#missing:~:text=x: the page has no element with id 'missing'")]


def test_paths_outside_the_archive_are_not_checked_and_the_hint_names_the_setting():
    links = checker(outside=("/contact/", "/guides"))
    links.expect(["index.html"])
    links.add_page("index.html", PageScan(set(), [("/contact/", 1), ("/contact/form/", 2), ("/guides", 3),
                                                  ("/guides/x/#y", 4), ("/guidesx/", 5), ("/news/gone/", 6)]), ())
    errors = links.errors()
    assert [(e.line, e.message) for e in errors] == [
        (5, "broken link to /guidesx/: no such page in the site"), (6, "broken link to /news/gone/: no such page in the site")]
    assert "links.outside in site.yaml" in errors[0].hint
    assert (errors[1].debt.rule, errors[1].debt.needle) == ("broken-link", "/news/gone/")


def test_without_outside_paths_links_outside_the_base_path_stay_broken():
    links = checker()
    links.expect(["index.html"])
    links.add_page("index.html", PageScan(set(), [("/contact/", 1)]), ())
    assert [e.line for e in links.errors()] == [1]
