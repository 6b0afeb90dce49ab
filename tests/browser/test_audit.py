"""`broadsheet audit` in real headless Chromium: the fixture site's known defects, the cache, exit
codes, the HTML report judged by axe itself, and the example site without a single violation."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.audit.axe import AxeError, axe_script_path, run_injected
from builder.audit.browser import BrowserMissing, chromium, headless_shell_path
from builder.audit.report import write_reports
from builder.audit.run import AuditOptions, _server, audit_site
from builder.audit.states import StateRunner
from builder.build.pipeline import BuildOptions, build
from builder.cli import main
from builder.config.site import load_config

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the fixture site shared with tests/audit
from audit.fixture_site import (
    ALLOW_FAST_RULES,
    DEFECTS,
    REDIRECT_PAGE,
    SITE_YAML,
    article_page,
    build_fixture_site,
    defect_line,
    write_fixture_site,
)

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser

EXPECTED_AXE_INCOMPLETE: set = set()


@pytest.fixture(scope="module")
def chrome():
    with chromium() as driver:
        yield driver


@pytest.fixture(scope="module")
def chrome_without_js():
    with chromium(javascript=False) as driver:
        yield driver


@pytest.fixture(scope="module")
def fixture_audit(tmp_path_factory):
    site, _ = build_fixture_site(tmp_path_factory.mktemp("audit-fixture"))
    result = audit_site(load_config(site), AuditOptions(site, workers=2))
    reports = write_reports(result, result.options.reports)
    return site, result, reports


def expected_violations() -> set[tuple]:
    expected = set()
    for d in DEFECTS:
        source, line = f"content/news/{d.slug}.md", defect_line(d)
        expected |= {(article_page(d), rule, "fast", "default", source, line) for rule in d.fast}
        origin = "browser" if d.state == "lg-320" else "axe"
        expected |= {(article_page(d), rule, origin, d.state, source, line) for rule in d.axe}
    expected.add(("404.html", "html-lang", "fast", "default", None, None))
    expected.add(("404.html", "html-has-lang", "axe", "default", None, None))
    return expected


def test_fixture_site_yields_exactly_the_expected_findings(fixture_audit):
    site, result, _ = fixture_audit
    found = [(f.page, f.rule, f.origin, f.state, f.source, f.line) for f in result.violations]
    assert sorted(found) == sorted(expected_violations())
    assert {(f.page, f.rule) for f in result.findings if f.kind == "incomplete"} == EXPECTED_AXE_INCOMPLETE
    assert len(result.pages) == result.total_pages == len(list((site / "output").rglob("*.html")))
    assert result.cached == 0
    pages = {p.page.path: p for p in result.pages}
    assert pages[REDIRECT_PAGE].page.kind == "redirect" and pages[REDIRECT_PAGE].findings == []


def test_axe_findings_name_rule_impact_target_snippet_help_and_source(fixture_audit):
    _, result, _ = fixture_audit
    [contrast] = [f for f in result.violations if f.rule == "color-contrast" and f.state == "default"]
    assert contrast.page == "news/2024/03/low-contrast/index.html"
    assert contrast.impact == "serious" and contrast.target and "#b0b0b0" in contrast.snippet
    assert contrast.help_url.startswith("https://dequeuniversity.com/rules/axe/")
    assert "contrast" in contrast.detail and contrast.wcag == "wcag143"
    assert (contrast.source, contrast.line) == ("content/news/low-contrast.md", 10)
    [reflow] = [f for f in result.violations if f.rule == "reflow-320"]
    assert reflow.target == "div" and "700px" in reflow.snippet and reflow.wcag == "wcag1410"


def test_unchanged_reaudit_is_served_from_the_cache(fixture_audit, tmp_path):
    site, first, _ = fixture_audit
    copy = tmp_path / "site"
    shutil.copytree(site, copy)  # cache keys do not depend on where the site is
    again = audit_site(load_config(copy), AuditOptions(copy, workers=2))
    assert again.cached == len(again.pages) == len(first.pages)
    assert sorted(map(repr, again.findings)) == sorted(map(repr, first.findings))
    assert again.seconds < 5

    page = copy / "output" / article_page(DEFECTS[-1])
    page.write_bytes(page.read_bytes().replace(b"More text.", b"More text, changed."))
    changed = audit_site(load_config(copy), AuditOptions(copy, workers=2))
    assert changed.cached == len(changed.pages) - 1
    assert [p.page.path for p in changed.pages if not p.cached] == [article_page(DEFECTS[-1])]


def test_exit_codes_per_fail_on_and_allow(fixture_audit):
    site, _, _ = fixture_audit
    runner = CliRunner()

    def run(*args):
        return runner.invoke(main, ["audit", "--site", str(site), "--workers", "2", *args])

    assert run().exit_code == 1
    assert run("--fail-on", "critical").exit_code == 1
    critical = ["image-alt", "img-alt", "button-name", "empty-button"]
    allowed = [a for rule in critical for a in ("--allow", f"{rule}=fixture defect")]
    outcome = run("--fail-on", "critical", *allowed)
    assert outcome.exit_code == 0, outcome.output
    assert "Audit passed: no violations at or above critical" in outcome.output
    assert "22 from the cache" in outcome.output or "from the cache" in outcome.output
    assert run("--fail-on", "serious", *allowed).exit_code == 1
    assert run("--allow", "image-alt").exit_code == 2  # no reason
    assert run("--report-dir", str(site / "output" / "r")).exit_code == 2

    yaml = site / "site.yaml"
    original = yaml.read_text()
    try:
        yaml.write_text(original + "audit:\n  fail_on: critical\n  allow:\n"
                        + "".join(f"    - {{rule: {rule}, reason: fixture defect}}\n" for rule in critical))
        assert run().exit_code == 0
        assert run("--fail-on", "minor").exit_code == 1
        yaml.write_text(original + "audit:\n  allow:\n    - {rule: region}\n")
        outcome = run()
        assert outcome.exit_code == 1 and "audit.allow.0: missing required key 'reason'" in outcome.output
    finally:
        yaml.write_text(original)


def _every_detail(result) -> set[tuple]:
    return {(f.page, f.rule, f.kind, f.state, f.origin, f.target, f.snippet, f.detail, f.line) for f in result.findings}


@pytest.mark.skipif(headless_shell_path() is None, reason="chromium-headless-shell is not installed")
def test_the_headless_shell_and_picture_stand_ins_find_exactly_what_the_audit_found_without(
        fixture_audit, monkeypatch):
    """The audit runs Debian's chromium-headless-shell when it is installed and sends it stand-ins
    for pictures (fixture_audit did both); every finding on the defect fixture is the same as with
    the full Chromium and the pictures themselves."""
    import builder.audit.run as run

    with chromium(shell=True) as shell:
        assert shell.capabilities["browserName"] == "chrome-headless-shell"
    site, with_levers, _ = fixture_audit
    monkeypatch.setattr(run, "HEADLESS_SHELL", False)
    monkeypatch.setattr(run, "STAND_INS", False)
    before = audit_site(load_config(site), AuditOptions(site, workers=2, use_cache=False))
    assert _every_detail(with_levers) == _every_detail(before)
    assert {f.rule for f in before.violations} >= {"image-alt", "color-contrast", "reflow-320"}


def test_a_headless_shell_that_does_not_start_leaves_the_audit_to_the_full_browser(tmp_path, monkeypatch):
    import builder.audit.browser as browser

    broken = tmp_path / "chromium-headless-shell"
    broken.write_text("#!/bin/sh\nexit 1\n")
    broken.chmod(0o755)
    monkeypatch.delenv("BROADSHEET_CHROMIUM", raising=False)
    monkeypatch.setattr(browser, "HEADLESS_SHELL", str(broken))
    with chromium(shell=True) as driver:
        assert driver.capabilities["browserName"] != "chrome-headless-shell"
        driver.get("data:text/html,<p>ok</p>")
        assert driver.execute_script("return document.querySelector('p').textContent") == "ok"


def test_sample_audits_every_template_plus_n_pages(fixture_audit):
    site, result, _ = fixture_audit
    sampled = audit_site(load_config(site), AuditOptions(site, workers=2, sample=3, seed=7))
    templates = {p.page.template for p in result.pages}
    assert {p.page.template for p in sampled.pages} == templates
    assert len(sampled.pages) == len(templates) + 3
    assert sampled.total_pages == len(result.pages)


def test_build_then_audit(fixture_audit):
    site, _, _ = fixture_audit
    build_args = ["build", "--site", str(site), "--no-link-check", "--audit"]
    outcome = CliRunner().invoke(main, build_args)
    assert outcome.exit_code == 1 and "Build failed" in outcome.output  # the fast checks run in every build
    assert "Audit" not in outcome.output

    yaml = site / "site.yaml"
    original = yaml.read_text()
    try:
        yaml.write_text(original + ALLOW_FAST_RULES)
        outcome = CliRunner().invoke(main, build_args)
    finally:
        yaml.write_text(original)
    assert outcome.exit_code == 1, outcome.output  # axe still finds what the allowed fast rules do not cover
    assert "Built " in outcome.output and "Audit failed" in outcome.output and "(allowed)" in outcome.output
    assert not any(p.name == "audit-report" for p in (site / "output").iterdir())


def test_the_html_report_passes_axe_in_every_state(fixture_audit, chrome):
    browser = chrome
    site, _, reports = fixture_audit
    folder = reports["html"].parent
    server = _server(folder, "/", axe_script_path(), set())
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    runner = StateRunner(browser, origin, origin + "/__broadsheet_audit__/axe.min.js",
                         Path(axe_script_path()).read_text(encoding="utf-8"),
                         ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"))
    try:
        findings = runner.audit("index.html", "/index.html")
        assert [f for f in findings if f.kind == "violation"] == []

        # The filters work: the form appears, and choosing an impact hides what is less severe.
        browser.set_window_size(1280, 900)
        browser.get(origin + "/index.html")
        assert browser.execute_script("return document.getElementById('filters').hidden") is False
        browser.execute_script("const s = document.querySelector('select[name=impact]'); s.value = 'critical';"
                               "s.dispatchEvent(new Event('change', {bubbles: true}));")
        shown = browser.execute_script(
            "return [...document.querySelectorAll('.finding:not([hidden])')].map(e => e.dataset.impact)")
        assert shown and set(shown) == {"critical"}
        status = browser.execute_script("return document.getElementById('filter-status').textContent")
        assert status.startswith(f"Showing {len(shown)} of ")
    finally:
        runner.reset()
        server.shutdown()
        server.server_close()


def test_without_javascript_the_report_shows_every_finding(fixture_audit, chrome_without_js):
    _, result, reports = fixture_audit
    chrome_without_js.get(reports["html"].as_uri())
    findings = chrome_without_js.find_elements("css selector", ".finding")
    assert len(findings) == len(result.findings)
    assert all(f.is_displayed() for f in findings)
    assert not chrome_without_js.find_element("id", "filters").is_displayed()


def test_a_rejected_axe_promise_is_an_error_at_once(chrome, tmp_path):
    browser = chrome
    (tmp_path / "index.html").write_text('<!doctype html><html lang="en"><title>x</title><main>x</main></html>')
    server = _server(tmp_path, "/", axe_script_path(), set())
    try:
        browser.get(f"http://127.0.0.1:{server.server_address[1]}/")
        browser.execute_script(Path(axe_script_path()).read_text(encoding="utf-8"))
        # Options go as JSON text: Python's True would break a pasted-in repr.
        results = run_injected(browser, {"runOnly": {"type": "rule", "values": ["html-has-lang"]}, "iframes": True})
        assert results["violations"] == []
        started = time.perf_counter()
        with pytest.raises(AxeError, match="unknown rule"):
            run_injected(browser, {"runOnly": {"type": "rule", "values": ["no-such-rule"]}})
        assert time.perf_counter() - started < 5
    finally:
        server.shutdown()
        server.server_close()


def test_the_example_site_has_no_violations(tmp_path):
    output = tmp_path / "output"
    build(BuildOptions(REPO, output_dir=output))
    result = audit_site(load_config(REPO), AuditOptions(REPO, output_dir=output, report_dir=tmp_path / "report",
                                                        workers=2, use_cache=False))
    pages = [p for p in output.rglob("*.html") if not p.relative_to(output).parts[0].startswith(".broadsheet")]
    assert len(result.pages) == len(pages) > 50  # every page, and not the documents search indexed
    problems = "\n".join(f"{f.page}: [{f.impact}] {f.rule} ({f.state}) {f.target} {f.message}" for f in result.violations)
    assert result.violations == [], problems
    assert result.exit_code == 0


def test_a_defect_in_the_shell_is_reported_once_per_shell(tmp_path):
    """Pages share their template's shell; it is audited whole once, the rest of its pages inside <main>."""
    from builder.audit.run import shell_of

    site = write_fixture_site(tmp_path)
    base = site / "themes/fixture/templates/base.html"
    base.write_text(base.read_text(encoding="utf-8").replace(
        "<footer><p>", '<footer><p style="color: #c4c4c4">Faint print in every footer.</p><p>'), encoding="utf-8")
    (site / "site.yaml").write_text(SITE_YAML + ALLOW_FAST_RULES, encoding="utf-8")
    build(BuildOptions(site, check_links=False, jobs=1))
    (site / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    result = audit_site(load_config(site), AuditOptions(site, workers=2, use_cache=False))
    footer = [f for f in result.violations if f.rule == "color-contrast" and "footer" in f.target]
    html = {p.page.path: (site / "output" / p.page.path).read_bytes() for p in result.pages}
    shells = {shell_of(page) for page in html.values() if b"Faint print" in page}
    assert footer, "a defect in the shell must be found"
    assert len({f.page for f in footer}) == len(shells) < sum(b"Faint print" in page for page in html.values())
    # the defects inside <main> are all still found, on their own pages
    found = {(f.page, f.rule) for f in result.violations if f.origin == "axe" and "footer" not in f.target}
    assert {(article_page(d), rule) for d in DEFECTS for rule in d.axe if d.state != "lg-320"} <= found


def test_contrast_judged_once_per_style_is_still_reported_on_every_page(tmp_path, monkeypatch):
    """Colour contrast is judged once per style signature; later pages with the same styles get the
    finding again, on their own element, exactly as a full axe run on each page reports it."""
    import builder.audit.states as states

    site = write_fixture_site(tmp_path)
    news = site / "content" / "news"
    copies = []
    for n in range(3):
        for slug in ("low-contrast", "dark-contrast"):
            text = (news / f"{slug}.md").read_text(encoding="utf-8")
            copy = f"{slug}-{n}"
            (news / f"{copy}.md").write_text(
                text.replace("This text is hard", f"Copy {n} is hard").replace("Only dark mode", f"Copy {n}: dark mode"),
                encoding="utf-8")
            copies.append(copy)
    (site / "site.yaml").write_text(SITE_YAML + ALLOW_FAST_RULES, encoding="utf-8")
    build(BuildOptions(site, check_links=False, jobs=1))
    (site / "site.yaml").write_text(SITE_YAML, encoding="utf-8")

    seen_known: list[dict] = []

    class Spy(states.ContrastMemory):
        def known(self, state):
            known = super().known(state)
            seen_known.append(known)
            return known

    class Off(states.ContrastMemory):
        def known(self, state):
            return None

    def findings(memory) -> set[tuple]:
        monkeypatch.setattr(states, "ContrastMemory", memory)
        result = audit_site(load_config(site), AuditOptions(site, workers=1, use_cache=False))
        return {(f.page, f.rule, f.state, f.target, f.snippet, f.detail, f.line) for f in result.findings}

    by_style, full = findings(Spy), findings(Off)
    assert by_style == full
    # the shortcut was taken: a known failing signature was handed to a later page
    assert any(outcomes for known in seen_known for outcomes in known.values())
    contrast = {(page, state) for page, rule, state, *_ in by_style if rule == "color-contrast"}
    for copy in copies:
        state = "dark" if copy.startswith("dark") else "default"
        assert (f"news/2024/03/{copy}/index.html", state) in contrast


def test_a_baselined_debt_is_still_reported_by_axe_and_known_to_the_audit(tmp_path):
    """A photo without alt text is rendered without an alt attribute (never alt=""), so axe-core still
    reports it; the accessibility baseline then marks it known and the audit passes."""
    from builder.checks.baseline import BASELINE_NAME, write_baseline
    from tests.support.builds import article, site_yaml
    from tests.support.files import write_files

    site = write_files(tmp_path / "site", {
        "site.yaml": site_yaml(),
        "content/politics/old.md": article("Old story", "2019-03-05T10:00:00+04:00",
                                           body="Intro.\n\n![](/images/photo.png)\n"),
        "static/images/photo.png": _png(),
    })
    survey = build(BuildOptions(site, survey=True, jobs=1))
    write_baseline(site / BASELINE_NAME, survey.debts.judgement.found)
    build(BuildOptions(site, jobs=1))
    result = audit_site(load_config(site), AuditOptions(site, workers=1, use_cache=False))
    image_alt = [f for f in result.findings if f.rule == "image-alt" and f.origin == "axe"]
    assert image_alt and all(f.source == "content/politics/old.md" for f in image_alt)
    assert all(f.known == "content/politics/old.md: img-alt: /images/photo.png" for f in image_alt)
    assert result.failing == [] and result.exit_code == 0


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_pictures_served_as_stand_ins_give_every_element_the_same_box(example_site, browser, tmp_path):
    """The audit serves each picture as an empty SVG of its size (builder.audit.run.stand_in): every
    element of pages with photos (srcset, lazy loading, figures) has the box it has with the real
    pictures, at full width and at 320 px with text size LG, where the reflow check measures."""
    from PIL import Image

    from builder.audit.run import stand_in

    assert stand_in(tmp_path) is None  # not a picture: served as it is
    photos = [p for p in example_site.root.rglob("*") if p.suffix in (".jpg", ".webp")]
    assert photos
    for photo in photos:  # every one is served as a stand-in of its size
        with Image.open(photo) as picture:
            width, height = picture.size
        assert stand_in(photo) == f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"></svg>'.encode()
    pages = [example_site.article(with_image=True), example_site.article(lang="ar", with_image=True), ""]
    boxes = """return [...document.querySelectorAll('body *')].map(e => {
                 const r = e.getBoundingClientRect(); return [e.tagName, r.x, r.y, r.width, r.height]; })"""
    servers = [_server(example_site.root, example_site.base_path, axe_script_path(), set(), stand_ins=s)
               for s in (False, True)]
    loaded = 0
    try:
        for path in pages:
            for width, size in ((1280, None), (320, "lg")):
                seen = []
                for server in servers:
                    browser.set_window_size(width, 900)
                    browser.get(f"http://127.0.0.1:{server.server_address[1]}{example_site.base_path}{path}")
                    if size:
                        browser.execute_script("document.documentElement.dataset.textSize = arguments[0]", size)
                    seen.append(browser.execute_script(boxes))
                    images = browser.execute_script(
                        "return [...document.images].filter(i => i.loading !== 'lazy')"
                        ".map(i => [i.complete, i.naturalWidth > 0, i.currentSrc])")
                    assert all(complete and natural for complete, natural, _ in images), images
                    loaded += len(images)
                assert seen[0] == seen[1], (path, width)
        assert loaded >= 2 * len(pages)  # both servers' pictures (srcset choices at each width) were in view
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
        browser.set_window_size(1280, 900)


def test_a_session_leaves_no_profile_behind_even_when_the_browser_does_not_start(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    with chromium() as driver:
        driver.get("about:blank")
        assert list(tmp_path.iterdir())  # the session's profile, while it runs
    assert list(tmp_path.iterdir()) == []

    def missing() -> str:
        raise BrowserMissing("no Chromium here")

    monkeypatch.setattr("builder.audit.browser.chromium_path", missing)
    with pytest.raises(BrowserMissing), chromium():
        pass
    assert list(tmp_path.iterdir()) == []
