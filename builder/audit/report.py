"""Audit reports, written beside the output (never inside it, so they are never deployed).

    report.json   every page and finding, for scripts
    junit.xml     one test case per page, for CI (ElementTree, no hand-written XML)
    index.html    self-contained and accessible: findings grouped by rule, filters by rule, impact,
                  section and kind (shown only when JavaScript runs; without it everything is listed),
                  each finding linked to its page and to its source file
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from pathlib import Path

from builder.checks.fast import RULE_HELP
from builder.checks.findings import HINTS, IMPACTS, Finding, impact_rank

REPORT_JSON, REPORT_JUNIT, REPORT_HTML = "report.json", "junit.xml", "index.html"
STATE_NAMES = {"default": "as loaded", "lg-320": "text size LG, 320 px wide", "dark": "dark colour scheme"}


@dataclass(frozen=True)
class RuleGroup:
    rule: str
    kind: str  # violation or incomplete
    impact: str  # the highest impact among its findings
    help: str
    help_url: str
    findings: tuple[Finding, ...]

    @property
    def pages(self) -> list[str]:
        return list(dict.fromkeys(f.page for f in self.findings))

    @property
    def allowed(self) -> str:
        return self.findings[0].allowed

    @property
    def known(self) -> bool:
        """Accepted debts of the site's accessibility baseline: listed apart, never failing."""
        return bool(self.findings[0].known)


def group_by_rule(findings: list[Finding]) -> list[RuleGroup]:
    """Violations first, then needs-review, then known debts; most severe first, then most frequent."""
    groups: dict[tuple[str, str, bool], list[Finding]] = defaultdict(list)
    for finding in findings:
        groups[(finding.kind, finding.rule, bool(finding.known))].append(finding)
    result = []
    for (kind, rule, _known), items in groups.items():
        impact = max((f.impact for f in items), key=impact_rank)
        with_help = next((f for f in items if f.help_url), items[0])
        first = items[0]
        help_text = RULE_HELP[rule][0] if first.origin == "fast" and rule in RULE_HELP else first.message
        if first.origin == "browser":
            help_text = "Content must reflow at 320 px wide without scrolling sideways (WCAG 1.4.10)"
        result.append(RuleGroup(rule, kind, impact, help_text, with_help.help_url, tuple(items)))
    return sorted(result, key=lambda g: (g.known, g.kind != "violation", -impact_rank(g.impact), -len(g.findings),
                                         g.rule))


def write_reports(result, folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"json": folder / REPORT_JSON, "junit": folder / REPORT_JUNIT, "html": folder / REPORT_HTML}
    _write(paths["json"], json.dumps(report_data(result), ensure_ascii=False, indent=1))
    _write(paths["junit"], junit_xml(result))
    _write(paths["html"], html_report(result, folder))
    return paths


def _write(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def report_data(result) -> dict:
    return {
        "site": result.config.title,
        "output": str(result.options.output),
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "axe_version": result.axe_version,
        "tags": list(result.tags),
        "fail_on": result.fail_on,
        "allow": result.allow,
        "passed": not result.failing,
        "baseline": {"file": result.baseline_file, "known": len(result.known)},
        "pages_in_site": result.total_pages,
        "pages_audited": len(result.pages),
        "pages_from_cache": result.cached,
        "workers": result.workers,
        "seconds": round(result.seconds, 3),
        "pages_per_second": round(result.pages_per_second, 2) if result.seconds else None,
        "summary": [
            {"rule": g.rule, "kind": g.kind, "impact": g.impact, "findings": len(g.findings), "pages": len(g.pages),
             "help": g.help, "help_url": g.help_url, "allowed": g.allowed, "known": g.known}
            for g in group_by_rule(result.findings)
        ],
        "pages": [
            {"page": r.page.path, "url": r.page.url_path, "kind": r.page.kind, "section": r.page.section,
             "source": r.page.source, "made_from": list(r.page.made_from), "cached": r.cached,
             "seconds": round(r.seconds, 3),
             "findings": [_finding_json(f) for f in r.findings]}
            for r in result.pages
        ],
    }


def _finding_json(finding: Finding) -> dict:
    data = finding.to_json()
    data.pop("page", None)
    return data


def junit_xml(result) -> str:
    least = impact_rank(result.fail_on)
    suites = ET.Element("testsuites", name="broadsheet audit")
    suite = ET.SubElement(suites, "testsuite", name="accessibility", timestamp=datetime.now(UTC)
                          .isoformat(timespec="seconds"), hostname="localhost")
    failures = errors = 0
    for page in result.pages:
        case = ET.SubElement(suite, "testcase", classname=f"audit.{page.page.kind.split(' ')[0]}",
                             name=page.page.path, file=page.page.source or page.page.path)
        failing = [f for f in page.findings if f.kind == "violation" and not f.allowed and not f.known
                   and impact_rank(f.impact) >= least]
        broken = [f for f in failing if f.rule == "audit-error"]
        failing = [f for f in failing if f.rule != "audit-error"]
        if broken:
            errors += 1
            ET.SubElement(case, "error", type="audit-error", message=broken[0].message).text = \
                "\n".join(_plain(f) for f in broken)
        if failing:
            failures += 1
            rules = ", ".join(dict.fromkeys(f.rule for f in failing))
            failure = ET.SubElement(case, "failure", type="accessibility",
                                    message=f"{len(failing)} violation(s): {rules}")
            failure.text = "\n\n".join(_plain(f) for f in failing)
        rest = [f for f in page.findings if f not in failing and f not in broken]
        if rest:
            ET.SubElement(case, "system-out").text = "\n\n".join(_plain(f) for f in rest)
    suite.set("tests", str(len(result.pages)))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", "0")
    suite.set("time", f"{result.seconds:.3f}")
    for name in ("tests", "failures", "errors", "time"):
        suites.set(name, suite.get(name, ""))
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _plain(f: Finding) -> str:
    head = f"[{f.impact}] {f.rule}"
    if f.kind == "incomplete":
        head += " (needs review)"
    if f.allowed:
        head += f" (allowed: {f.allowed})"
    if f.known:
        head += " (known: in the accessibility baseline)"
    state = f", state: {f.state}" if f.state != "default" else ""
    lines = [f"{head}: {f.message}", f"  where: {f.location()}{state}"]
    if f.target:
        lines.append(f"  element: {f.target}")
    if f.snippet:
        lines.append(f"  html: {f.snippet}")
    if f.detail:
        lines.append("  " + f.detail.replace("\n", "\n  "))
    if f.help_url:
        lines.append(f"  help: {f.help_url}")
    return "\n".join(lines)


# The HTML report ----------------------------------------------------------------------------------

_CSS = """
:root { color-scheme: light; --ink: #1b1b1b; --muted: #4a4a4a; --line: #c8c8c8; --link: #0b4fa8; --bg: #ffffff;
        --soft: #f3f4f6; --bad: #9b1c1c; --good: #17603a; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.5; color: var(--ink);
       background: var(--bg); }
body { margin: 0 auto; max-width: 75rem; padding: 0 1rem 3rem; overflow-wrap: anywhere; }
a { color: var(--link); }
a:focus-visible, select:focus-visible, button:focus-visible, summary:focus-visible {
  outline: 3px solid #1a5fd0; outline-offset: 2px; }
.skip { position: absolute; left: -10000px; top: 0; background: var(--bg); padding: .5rem 1rem; }
.skip:focus { left: 1rem; }
header { border-bottom: 1px solid var(--line); margin-bottom: 1.5rem; }
h1 { font-size: 1.75rem; margin: 1.5rem 0 .5rem; }
h2 { font-size: 1.4rem; margin-top: 2rem; }
h3 { font-size: 1.15rem; margin: 0 0 .25rem; }
.verdict { font-weight: 700; font-size: 1.1rem; }
.verdict.failed { color: var(--bad); }
.verdict.passed { color: var(--good); }
.facts { display: flex; flex-wrap: wrap; gap: .25rem 2rem; padding: 0; list-style: none; color: var(--muted); }
table { border-collapse: collapse; width: 100%; }
.table-scroll { overflow-x: auto; }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
.impact { display: inline-block; border: 1px solid currentColor; border-radius: .25rem; padding: 0 .4rem;
          font-size: .875rem; font-weight: 600; }
.impact.critical, .impact.serious { color: var(--bad); }
.impact.moderate, .impact.minor { color: #5b4200; }
form { background: var(--soft); padding: 1rem; border-radius: .5rem; }
.filter-fields { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-end; }
label { display: flex; flex-direction: column; font-weight: 600; }
select { font: inherit; min-height: 2.25rem; min-width: 12rem; }
button { font: inherit; min-height: 2.25rem; padding: 0 1rem; }
.rule { border-top: 2px solid var(--line); padding-top: 1rem; margin-top: 1.5rem; }
.rule-facts { color: var(--muted); margin: 0 0 .75rem; }
.findings { list-style: none; padding: 0; margin: 0; }
.finding { border: 1px solid var(--line); border-radius: .5rem; padding: .75rem 1rem; margin: .5rem 0; }
.finding dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; }
.finding dt { font-weight: 600; }
.finding dd { margin: 0; }
code, pre { font-family: ui-monospace, "Cascadia Mono", Consolas, monospace; font-size: .875rem; }
pre { white-space: pre-wrap; background: var(--soft); padding: .5rem; margin: 0; border-radius: .25rem; }
.allowed { color: var(--muted); font-style: italic; }
[hidden] { display: none !important; }
@media (forced-colors: active) { .impact { border-color: CanvasText; } }
"""

_JS = """
(function () {
  var form = document.getElementById('filters');
  var status = document.getElementById('filter-status');
  var findings = Array.prototype.slice.call(document.querySelectorAll('.finding'));
  var groups = Array.prototype.slice.call(document.querySelectorAll('.rule'));
  var ranks = {minor: 0, moderate: 1, serious: 2, critical: 3};
  form.hidden = false;
  function apply() {
    var rule = form.elements.rule.value, impact = form.elements.impact.value,
        section = form.elements.section.value, kind = form.elements.kind.value, shown = 0;
    findings.forEach(function (item) {
      var d = item.dataset;
      var ok = (!rule || d.rule === rule) && (!section || d.section === section) && (!kind || d.kind === kind) &&
               (!impact || (ranks[d.impact] || 0) >= ranks[impact]);
      item.hidden = !ok;
      if (ok) shown++;
    });
    groups.forEach(function (group) {
      group.hidden = !group.querySelector('.finding:not([hidden])');
    });
    status.textContent = 'Showing ' + shown + ' of ' + findings.length + ' findings.';
  }
  form.addEventListener('change', apply);
  form.addEventListener('submit', function (event) { event.preventDefault(); apply(); });
  form.addEventListener('reset', function () { setTimeout(apply, 0); });
})();
"""


def _rel(target: Path, folder: Path) -> str:
    return Path(os.path.relpath(target.resolve(), folder.resolve())).as_posix()


def _options(values, labels=None) -> str:
    out = ['<option value="">All</option>']
    for value in values:
        label = (labels or {}).get(value, value)
        out.append(f'<option value="{escape(value)}">{escape(label)}</option>')
    return "".join(out)


def html_report(result, folder: Path) -> str:
    groups = group_by_rule(result.findings)
    failing = result.failing
    output, site_dir = result.options.output, result.config.site_dir
    section_names = {s.key: s.title for s in result.config.sections}
    title = f"Accessibility audit: {result.config.title}"
    verdict = (f"Failed: {len(failing)} violation{'s' if len(failing) != 1 else ''} at or above {result.fail_on}"
               if failing else f"Passed: no violations at or above {result.fail_on}")
    sections = sorted({r.page.section for r in result.pages})
    sections_of = {r.page.path: r.page.section for r in result.pages}
    out = [
        "<!doctype html>",
        '<html lang="en" dir="ltr">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)} — {escape(verdict)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        '<a class="skip" href="#findings-heading">Skip to the findings</a>',
        "<header>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="verdict {"failed" if failing else "passed"}">{escape(verdict)}</p>',
        '<ul class="facts">',
        f"<li>{len(result.pages)} of {result.total_pages} pages audited ({result.cached} from the cache)</li>",
        f"<li>axe-core {escape(result.axe_version)}, rules tagged {escape(', '.join(result.tags))}</li>",
        f"<li>Reader states: {escape('; '.join(STATE_NAMES.values()))}</li>",
        f"<li>Written {escape(datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC'))}</li>",
        "</ul>",
        "</header>",
        "<main>",
        '<section aria-labelledby="summary-heading">',
        '<h2 id="summary-heading">Summary by rule</h2>',
    ]
    if groups:
        out += ['<div class="table-scroll" role="region" aria-label="Table of findings by rule" tabindex="0">',
                "<table>", "<thead><tr>", '<th scope="col">Rule</th><th scope="col">Kind</th>',
                '<th scope="col">Impact</th><th scope="col">Findings</th><th scope="col">Pages</th>',
                "</tr></thead>", "<tbody>"]
        for i, g in enumerate(groups):
            kind = "Violation" if g.kind == "violation" else "Needs review"
            allowed = ' <span class="allowed">(allowed)</span>' if g.allowed else ""
            allowed += ' <span class="allowed">(known debt)</span>' if g.known else ""
            out.append(f'<tr><th scope="row"><a href="#group-{i}">{escape(g.rule)}</a>{allowed}</th><td>{kind}</td>'
                       f'<td><span class="impact {escape(g.impact)}">{escape(g.impact)}</span></td>'
                       f'<td class="number">{len(g.findings)}</td><td class="number">{len(g.pages)}</td></tr>')
        out += ["</tbody>", "</table>", "</div>"]
    else:
        out.append("<p>No findings on any audited page.</p>")
    out.append("</section>")

    out += [
        '<form id="filters" hidden aria-labelledby="filters-heading">',
        '<h2 id="filters-heading">Filter the findings</h2>',
        '<div class="filter-fields">',
        f'<label>Rule<select name="rule">{_options(sorted({g.rule for g in groups}))}</select></label>',
        f'<label>Impact at least<select name="impact">{_options(IMPACTS)}</select></label>',
        f'<label>Section<select name="section">'
        f'{_options([s or "-" for s in sections], {**section_names, "-": "No section"})}</select></label>',
        f'<label>Kind<select name="kind">'
        f'{_options(["violation", "incomplete"], {"violation": "Violations", "incomplete": "Needs review"})}'
        "</select></label>",
        '<button type="reset">Show all</button>',
        "</div>",
        '<p id="filter-status" role="status"></p>',
        "</form>",
        '<section aria-labelledby="findings-heading">',
        '<h2 id="findings-heading" tabindex="-1">Findings</h2>',
    ]
    if not groups:
        out.append("<p>Nothing to show.</p>")
    for i, g in enumerate(groups):
        kind = "violation" if g.kind == "violation" else "needs review"
        out += [f'<section class="rule" id="group-{i}" aria-labelledby="group-{i}-heading">',
                f'<h3 id="group-{i}-heading">{escape(g.rule)}{" (known)" if g.known else ""}'
                f'{": " + escape(g.help) if g.help else ""}</h3>',
                f'<p class="rule-facts">{kind.capitalize()}, impact <span class="impact {escape(g.impact)}">'
                f'{escape(g.impact)}</span>, {len(g.findings)} finding{"s" if len(g.findings) != 1 else ""} on '
                f'{len(g.pages)} page{"s" if len(g.pages) != 1 else ""}.'
                + (f' <a href="{escape(g.help_url)}">How to fix {escape(g.rule)}</a>' if g.help_url else "")
                + (f' <span class="allowed">Allowed: {escape(g.allowed)}</span>' if g.allowed else "")
                + (' <span class="allowed">Known: accepted in the site&#8217;s accessibility baseline; '
                   "it does not fail the audit.</span>" if g.known else "")
                + "</p>",
                '<ul class="findings">']
        for f in g.findings:
            out.append(_finding_html(f, sections_of.get(f.page, ""), folder, output, site_dir))
        out += ["</ul>", "</section>"]
    out += ["</section>", "</main>", f"<script>{_JS}</script>", "</body>", "</html>", ""]
    return "\n".join(line for line in out if line)


def _finding_html(f: Finding, section: str, folder: Path, output: Path, site_dir: Path) -> str:
    section = section or "-"
    rows = [("Page", f'<a href="{escape(_rel(output / f.page, folder))}">{escape(f.page)}</a>')]
    if f.source:
        where = f"{f.source}:{f.line}" if f.line else f.source
        rows.append(("Source", f'<a href="{escape(_rel(site_dir / f.source, folder))}">{escape(where)}</a>'))
    elif f.html_line:
        rows.append(("HTML line", str(f.html_line)))
    rows.append(("Problem", escape(f.message)))
    rows.append(("Impact", f'<span class="impact {escape(f.impact)}">{escape(f.impact)}</span>'
                 + (" (needs review)" if f.kind == "incomplete" else "")))
    if f.state != "default":
        rows.append(("Reader state", escape(STATE_NAMES.get(f.state, f.state))))
    if f.target:
        rows.append(("Element", f"<code>{escape(f.target)}</code>"))
    if f.snippet:
        rows.append(("HTML", f"<pre><code>{escape(f.snippet)}</code></pre>"))
    if f.detail:
        rows.append(("Details", f"<pre>{escape(f.detail)}</pre>"))
    elif f.origin == "fast" and f.rule in HINTS:
        rows.append(("Fix", escape(HINTS[f.rule])))
    if f.allowed:
        rows.append(("Allowed", f'<span class="allowed">{escape(f.allowed)}</span>'))
    if f.known:
        rows.append(("Known", f'<span class="allowed">in the accessibility baseline: {escape(f.known)}</span>'))
    body = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows)
    return (f'<li class="finding" data-rule="{escape(f.rule)}" data-impact="{escape(f.impact)}" '
            f'data-section="{escape(section)}" data-kind="{escape(f.kind)}"><dl>{body}</dl></li>')
