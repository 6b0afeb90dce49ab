"""The fast checks: each rule on small pages, then the fixture site's output with file:line."""

from __future__ import annotations

import time

import pytest

from builder.audit.pages import read_manifest
from builder.checks.fast import RULES, known_language, valid_time_value
from builder.checks.findings import Finding
from builder.checks.page import check_page
from tests.audit.fixture_site import DEFECTS, article_page, build_fixture_site, defect_line, write_fixture_site


def page(body: str, lang: str = "en", head: str = "") -> str:
    return (f'<!doctype html>\n<html lang="{lang}">\n<head><title>T</title>{head}</head>\n<body>\n'
            f'<a href="#main">Skip</a>\n<main id="main">\n<h1>Title</h1>\n{body}\n</main>\n</body>\n</html>\n')


def rules(html: str) -> list[str]:
    return [f.rule for f in check_page("p/index.html", html.encode())]


def test_a_clean_page_has_no_findings():
    html = page('<h2>A</h2><h3>B</h3><h2>C</h2><p><img src="a.jpg" alt=""> <a href="/x/">X</a>'
                '<button aria-label="Close"><svg aria-hidden="true"></svg></button>'
                '<a href="/y/"><img src="y.png" alt="Y"></a><a href="/z/"><svg><title>Search</title></svg></a>'
                '<time datetime="2024-03-05T09:30:00+04:00">5 March</time><time>2024-03</time>'
                '<span lang="ar" dir="rtl">مرحبا</span><bdi lang="fa">سلام</bdi>'
                '<figure><img src="c.jpg" alt="Council members vote"><figcaption>The budget passed</figcaption></figure>')
    assert rules(html) == []


@pytest.mark.parametrize(("body", "rule"), [
    ('<img src="a.jpg">', "img-alt"),
    ('<figure><img src="a.jpg" alt="The vote"><figcaption>The  vote.</figcaption></figure>', "alt-caption"),
    ('<figure><img src="a.jpg" alt="The vote"><figcaption>The vote <small>Photo: A</small></figcaption></figure>',
     "alt-caption"),
    ('<p lang="english">x</p>', "lang-invalid"),
    ('<p lang="xx">x</p>', "lang-invalid"),
    ('<p lang="ar">مرحبا</p>', "dir-missing"),
    ('<div dir="ltr"><p lang="fa">سلام</p></div>', "dir-missing"),
    ("<h3>Skipped</h3>", "heading-order"),
    ('<div role="heading" aria-level="4">Skipped</div>', "heading-order"),
    ("<h1>Again</h1>", "multiple-h1"),
    ('<a href="/x/"></a>', "empty-link"),
    ('<a href="/x/"><img src="i.png" alt=""></a>', "empty-link"),
    ('<a href="/x/"><span aria-hidden="true">→</span></a>', "empty-link"),
    ("<button></button>", "empty-button"),
    ('<input type="button">', "empty-button"),
    ('<p id="main">x</p>', "duplicate-id"),
    ('<a href="#nowhere">Jump</a>', "skip-link-target"),
    ("<time>yesterday</time>", "time-datetime"),
    ('<time datetime="2024-02-30">x</time>', "time-datetime"),
    ('<time datetime="5 March 2024">x</time>', "time-datetime"),
])
def test_each_defect_is_found_once(body, rule):
    assert rules(page(body)) == [rule]


def test_html_lang_missing_empty_or_invalid():
    assert rules(page("").replace(' lang="en"', "")) == ["html-lang"]
    assert rules(page("", lang="")) == ["html-lang"]
    assert rules(page("", lang="english")) == ["lang-invalid"]
    assert rules(page("", lang="ar")) == ["dir-missing"]
    assert rules(page("", lang="ar").replace('lang="ar"', 'lang="ar" dir="rtl"')) == []


def test_hidden_content_is_not_judged_for_names_and_headings():
    assert rules(page('<div hidden><a href="/x/"></a><h4>x</h4></div><a href="/y/" aria-hidden="true"></a>')) == []


def test_top_and_named_anchors_are_valid_targets():
    assert rules(page('<a href="#top">Top</a><a name="old"></a><a href="#old">Old</a>')) == []


@pytest.mark.parametrize("value", ["2024", "2024-03", "2024-03-05", "--03-05", "03-05", "09:30", "09:30:15.250",
                                   "2024-03-05T09:30", "2024-03-05 09:30:00", "2024-03-05T09:30:00Z",
                                   "2024-03-05T09:30:00+04:00", "+0400", "2024-W10", "2020-W53", "PT1H30M",
                                   "P2D", "1h 30m", "2w"])
def test_valid_time_values(value):
    assert valid_time_value(value)


@pytest.mark.parametrize("value", ["", "yesterday", "2024-13-01", "2023-02-29", "24:00", "09:60", "2021-W53",
                                   "P", "PT", "2024-03-05T09:30+25:00", "5 March 2024"])
def test_invalid_time_values(value):
    assert not valid_time_value(value)


def test_known_languages():
    assert all(known_language(t) for t in ("en", "hy", "ar", "fa", "pt-BR", "sr-Latn", "ast", "zh-Hant-TW"))
    assert not any(known_language(t) for t in ("", "xx", "english", "e", "en_US", "12"))


def test_findings_carry_page_line_impact_and_snippet():
    html = page('<img src="/archive/images/a.jpg" width="4">')
    [finding] = check_page("x/index.html", html.encode())
    assert finding == Finding(
        page="x/index.html", rule="img-alt", message="image /archive/images/a.jpg has no alt attribute",
        impact="critical", html_line=html.splitlines().index('<img src="/archive/images/a.jpg" width="4">') + 1,
        snippet='<img src="/archive/images/a.jpg" width="4">', origin="fast",
        help_url="https://www.w3.org/WAI/WCAG22/Understanding/non-text-content.html", wcag="wcag111",
        needle="/archive/images/a.jpg")
    error = finding.as_build_error()
    assert (str(error.path), error.line, error.field) == ("x/index.html", finding.html_line, "img-alt")
    assert (error.debt.rule, error.debt.needle, error.debt.origin) == ("img-alt", "/archive/images/a.jpg", "page")


def test_every_rule_has_an_impact_and_help():
    from builder.checks.fast import IMPACT, RULE_HELP
    from builder.checks.findings import HINTS, IMPACTS

    assert set(RULES) == set(RULE_HELP) == set(HINTS)
    assert all(IMPACT[r] in IMPACTS for r in RULES)


def test_source_line_found_in_the_markdown(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text(
        '---\ntitle: "Id and id"\n---\n\nText.\n\n<p id="x">1</p>\n\n<p id="x">2</p>\n\n![](/images/a.jpg)\n')
    html = page('<p id="x">1</p><p id="x">2</p><img src="/archive/images/a.jpg">')
    found = {f.rule: f for f in check_page("a/index.html", html.encode(), ("content/a.md",), site_dir=tmp_path)}
    assert (found["duplicate-id"].source, found["duplicate-id"].line) == ("content/a.md", 9)
    assert (found["img-alt"].source, found["img-alt"].line) == ("content/a.md", 11)
    error = found["img-alt"].as_build_error()
    assert (str(error.path), error.line) == ("content/a.md", 11)
    assert "a/index.html" in error.message


def test_listing_pages_name_no_single_source():
    html = page("<img src='a.jpg'>")
    [finding] = check_page("index.html", html.encode(), ("content/a.md", "content/b.md"))
    assert finding.source is None and finding.line is None


def test_fast_enough_for_every_build():
    """Within a small factor of html.parser reading the page and doing nothing (timed alike, so load cancels out)."""
    from html.parser import HTMLParser

    body = "\n".join(f'<p>Paragraph {i} <a href="/p{i}/">link</a> <time datetime="2024-03-05">x</time></p>'
                     for i in range(600))
    html = page(body).encode()  # about 50 KB, a long article

    def parse_only():
        parser = HTMLParser(convert_charrefs=True)
        parser.feed(html.decode())
        parser.close()

    def best(fn) -> float:
        times = []
        for _ in range(7):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        return min(times)

    assert best(lambda: check_page("x/index.html", html)) < 3 * best(parse_only)


@pytest.fixture(scope="module")
def fixture_output(tmp_path_factory):
    site, result = build_fixture_site(tmp_path_factory.mktemp("fixture"))
    return site, result


def test_fixture_site_yields_exactly_the_expected_findings(fixture_output):
    site, _ = fixture_output
    output = site / "output"
    manifest = read_manifest(output)
    found = []
    for file in sorted(output.rglob("*.html")):
        rel = file.relative_to(output).as_posix()
        found += check_page(rel, file.read_bytes(), manifest.get(rel, ()), site_dir=site)
    expected = {(article_page(d), rule, f"content/news/{d.slug}.md", defect_line(d)) for d in DEFECTS for rule in d.fast}
    expected.add(("404.html", "html-lang", None, None))
    assert {(f.page, f.rule, f.source, f.line) for f in found} == expected
    assert len(found) == len(expected)


def test_the_build_fails_on_every_fast_finding_with_file_and_line(tmp_path):
    from builder.build.pipeline import BuildOptions, build
    from builder.errors import BuildFailed

    site = write_fixture_site(tmp_path)
    with pytest.raises(BuildFailed) as failure:
        build(BuildOptions(site, check_links=False, jobs=1))
    found = {(str(e.path), e.line, e.field) for e in failure.value.errors}
    expected = {(f"content/news/{d.slug}.md", defect_line(d), rule) for d in DEFECTS for rule in d.fast}
    expected.add(("404.html", 2, "html-lang"))
    assert found == expected
