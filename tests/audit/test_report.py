"""Reports and the verdict, from an audit result made by hand (no browser)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console

from builder.audit.pages import Page
from builder.audit.report import group_by_rule, html_report, junit_xml, report_data, write_reports
from builder.audit.run import AuditFailed, AuditOptions, AuditResult, PageResult, audit_site
from builder.audit.terminal import print_summary
from builder.checks.findings import Finding
from builder.config.site import parse_config

SITE = "title: Gazette\nbase_url: https://example.org/g/\nsections:\n  - {key: news, title: News}\n"


def result(tmp_path: Path, fail_on: str = "minor", allow: dict | None = None) -> AuditResult:
    config = parse_config(SITE, tmp_path)
    article = Page("news/2024/03/a/index.html", "/g/news/2024/03/a/", "article", "news", ("content/news/a.md",))
    home = Page("index.html", "/g/", "home", "", ("content/news/a.md", "content/news/b.md"))
    findings = [
        Finding(article.path, "image-alt", "Images must have alternate text", "content/news/a.md", 9, "critical",
                target="img", snippet='<img src="x.png">', help_url="https://dequeuniversity.com/rules/axe/4.10/image-alt",
                origin="axe", wcag="wcag111"),
        Finding(article.path, "color-contrast", "Elements must meet minimum color contrast ratio thresholds",
                "content/news/a.md", None, "serious", target=".faint", snippet="<p class=\"faint\">a & b</p>",
                state="dark", origin="axe", detail="Fix any of the following:\n  ratio 2.1"),
        Finding(article.path, "heading-order", "h4 follows h2", "content/news/a.md", 12, "moderate", html_line=40,
                origin="fast"),
        Finding(article.path, "region", "All page content should be contained by landmarks", impact="moderate",
                kind="incomplete", origin="axe"),
    ]
    home_findings = [Finding(home.path, "duplicate-id", 'id "x" is already used on line 3', impact="minor",
                             html_line=7, origin="fast")]
    allow = allow or {}
    pages = [PageResult(article, [replace(f, allowed=allow.get(f.rule, "")) for f in findings], cached=False,
                        browser=True),
             PageResult(home, [replace(f, allowed=allow.get(f.rule, "")) for f in home_findings], cached=True,
                        browser=True)]
    options = AuditOptions(tmp_path, report_dir=tmp_path / "audit-report")
    return AuditResult(config, options, pages, 3, 2.0, "4.10.2", config.audit.tags, fail_on, allow, 2)


@pytest.mark.parametrize(("fail_on", "failing", "code"), [
    ("minor", {"image-alt", "color-contrast", "heading-order", "duplicate-id"}, 1),
    ("moderate", {"image-alt", "color-contrast", "heading-order"}, 1),
    ("serious", {"image-alt", "color-contrast"}, 1),
    ("critical", {"image-alt"}, 1),
])
def test_fail_on_decides_what_fails(tmp_path, fail_on, failing, code):
    audit = result(tmp_path, fail_on)
    assert {f.rule for f in audit.failing} == failing
    assert audit.exit_code == code


def test_needs_review_never_fails_and_allowed_rules_do_not_count(tmp_path):
    audit = result(tmp_path, "critical", allow={"image-alt": "legacy scans, #12"})
    assert audit.failing == [] and audit.exit_code == 0
    assert [f.allowed for f in audit.findings if f.rule == "image-alt"] == ["legacy scans, #12"]


def test_groups_by_rule_most_severe_first(tmp_path):
    groups = group_by_rule(result(tmp_path).findings)
    assert [(g.kind, g.rule) for g in groups] == [
        ("violation", "image-alt"), ("violation", "color-contrast"), ("violation", "heading-order"),
        ("violation", "duplicate-id"), ("incomplete", "region")]
    assert groups[2].help == "Heading levels must go down one at a time"  # fast rules get their own description


def test_json_report(tmp_path):
    data = json.loads(json.dumps(report_data(result(tmp_path))))
    assert data["passed"] is False and data["fail_on"] == "minor" and data["axe_version"] == "4.10.2"
    assert (data["pages_audited"], data["pages_in_site"], data["pages_from_cache"]) == (2, 3, 1)
    assert data["pages_per_second"] == 1.0
    assert data["summary"][0] == {"rule": "image-alt", "kind": "violation", "impact": "critical", "findings": 1,
                                  "pages": 1, "help": "Images must have alternate text",
                                  "help_url": "https://dequeuniversity.com/rules/axe/4.10/image-alt", "allowed": "",
                                  "known": False}
    article = data["pages"][0]
    assert (article["page"], article["source"], article["section"]) == (
        "news/2024/03/a/index.html", "content/news/a.md", "news")
    assert article["findings"][0]["rule"] == "image-alt" and article["findings"][0]["line"] == 9


def test_junit_report(tmp_path):
    root = ET.fromstring(junit_xml(result(tmp_path, "serious")))
    suite = root.find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "1", "0")
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    failure = cases["news/2024/03/a/index.html"].find("failure")
    assert failure.get("message") == "2 violation(s): image-alt, color-contrast"
    assert "content/news/a.md:9" in failure.text and "state: dark" in failure.text
    assert cases["news/2024/03/a/index.html"].get("file") == "content/news/a.md"
    assert cases["index.html"].find("failure") is None  # only a minor finding, below --fail-on serious
    assert "duplicate-id" in cases["index.html"].find("system-out").text


def test_html_report_is_self_contained_and_links_pages_and_sources(tmp_path):
    audit = result(tmp_path)
    folder = tmp_path / "audit-report"
    html = html_report(audit, folder)
    assert not re.search(r"<(link|script|img)\b[^>]*\b(src|href)=", html)  # styles and script inline
    assert '<form id="filters" hidden' in html  # filters appear only when the script runs
    assert html.count('<li class="finding"') == 5
    assert ('data-rule="color-contrast" data-impact="serious" data-section="news" data-kind="violation"' in html)
    assert 'href="../output/news/2024/03/a/index.html"' in html
    assert 'href="../content/news/a.md">content/news/a.md:9</a>' in html
    assert "&lt;p class=&quot;faint&quot;&gt;a &amp; b&lt;/p&gt;" in html
    assert "dark colour scheme" in html
    assert 'data-section="-"' in html  # a page of no section


def test_write_reports_and_terminal_summary(tmp_path):
    audit = result(tmp_path)
    audit.pages[0].seconds = 0.5
    paths = write_reports(audit, tmp_path / "audit-report")
    assert sorted(p.name for p in paths.values()) == ["index.html", "junit.xml", "report.json"]
    console = Console(record=True, width=200)
    print_summary(console, audit, paths)
    text = console.export_text()
    assert "image-alt" in text and "needs review" in text
    assert "Audited 2 of 3 pages (1 from the cache) in 2.00 s with 2 workers: 1.0 pages/s" in text
    assert "Browser time per page: article 0.50 s (1)" in text
    assert "Audit failed: 4 violations of 4 rules at or above minor" in text


def test_reports_never_go_inside_the_output(tmp_path):
    (tmp_path / "output").mkdir()
    config = parse_config(SITE, tmp_path)
    for inside in (tmp_path / "output", tmp_path / "output" / "reports"):
        with pytest.raises(AuditFailed, match="inside the output"):
            audit_site(config, AuditOptions(tmp_path, report_dir=inside))
    with pytest.raises(AuditFailed, match="no built site"):
        audit_site(config, AuditOptions(tmp_path, output_dir=tmp_path / "missing"))


def test_known_debts_are_listed_apart_in_every_report_and_never_fail(tmp_path):
    from builder.checks.baseline import known_findings, parse_baseline

    audit = result(tmp_path, "critical")
    baseline = parse_baseline("version: 1\ndebts:\n  content/news/a.md:\n    - {rule: img-alt, needle: x.png}\n",
                              tmp_path / "accessibility-baseline.yaml")
    for page in audit.pages:
        page.findings = known_findings(page.findings, baseline, "/g/")
    audit.baseline_file = "accessibility-baseline.yaml"
    assert [f.rule for f in audit.known] == ["image-alt"]
    assert audit.failing == [] and audit.exit_code == 0  # the only critical finding is a known debt
    groups = group_by_rule(audit.findings)
    assert (groups[-1].rule, groups[-1].known) == ("image-alt", True)  # after every other group
    data = report_data(audit)
    assert data["baseline"] == {"file": "accessibility-baseline.yaml", "known": 1}
    assert data["summary"][-1]["known"] is True
    assert data["pages"][0]["findings"][0]["known"] == "content/news/a.md: img-alt: x.png"
    junit = ET.fromstring(junit_xml(audit))
    assert junit.find("testsuite").get("failures") == "0"
    assert "(known: in the accessibility baseline)" in junit_xml(audit)
    assert "image-alt (known)" in html_report(audit, tmp_path / "audit-report")
    console = Console(record=True, width=200)
    print_summary(console, audit, {})
    assert "1 finding known: accepted in accessibility-baseline.yaml, not failing the audit" in console.export_text()


def test_a_missing_chromium_is_one_line_with_the_apt_command(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from builder.audit import browser
    from builder.cli import main
    from tests.support.builds import article, build_into

    built = build_into(tmp_path / "s", {"content/politics/a.md": article("A", "2024-01-02T10:00:00+04:00")})
    monkeypatch.delenv("BROADSHEET_CHROMIUM", raising=False)
    monkeypatch.setattr(browser, "CHROMIUM_NAMES", ("no-such-chromium",))  # nothing on PATH has this name
    result = CliRunner().invoke(main, ["audit", "--site", str(built.site), "--output", str(built.out),
                                       "--report-dir", str(tmp_path / "reports"), "--no-cache"])
    assert result.exit_code == 2
    assert result.stderr.strip() == ("Audit could not run: the audit needs Chromium and ChromeDriver: apt-get install "
                                     "chromium chromium-driver (or set BROADSHEET_CHROMIUM and BROADSHEET_CHROMEDRIVER)")
