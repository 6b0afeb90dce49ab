"""Run axe-core on the page a driver has open, through axe-selenium-python.

Two known defects of axe-selenium-python are worked around here rather than inherited:
- `Axe.run` pastes its options into JavaScript with Python's repr, so True becomes an undefined
  name; we always pass options as JSON text.
- its script has no rejection handler, so an axe error hangs until the script timeout; we run
  axe with our own script that reports a rejection as an error at once.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from axe_selenium_python import Axe

DEFAULT_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")
IMPACTS = ("minor", "moderate", "serious", "critical")

_RUN = """
const [context, options, done] = arguments;
axe.run(context || document, JSON.parse(options))
  .then(results => done({ok: true, results}))
  .catch(error => done({ok: false, error: String(error && error.stack || error)}));
"""


class AxeError(RuntimeError):
    pass


@dataclass(frozen=True)
class AxeNode:
    target: str
    html: str
    summary: str


@dataclass(frozen=True)
class AxeResult:
    rule: str
    impact: str | None
    description: str
    help_url: str
    nodes: tuple[AxeNode, ...]


@dataclass(frozen=True)
class AxeReport:
    url: str
    violations: tuple[AxeResult, ...]
    incomplete: tuple[AxeResult, ...]
    version: str


def axe_script_path() -> str:
    """The axe-core script bundled with axe-selenium-python."""
    return Axe(None).script_url


def axe_version() -> str:
    """The bundled axe-core version, read from the banner of the script itself."""
    with open(axe_script_path(), encoding="utf-8") as script:
        match = re.search(r"axe v([\w.-]+)", script.read(200))
    return match.group(1) if match else "unknown"


def run_injected(driver, options: dict, context=None) -> dict:
    """axe.run on a page where axe is already loaded: the raw results, or AxeError at once on a rejection.

    The options go to the page as JSON text and are parsed there, never pasted in as code.
    """
    outcome = driver.execute_async_script(_RUN, context, json.dumps(options))
    if not outcome or not outcome.get("ok"):
        raise AxeError(f"axe-core failed on {driver.current_url}: {(outcome or {}).get('error', 'no result')}")
    return outcome["results"]


def _results(raw: list[dict]) -> tuple[AxeResult, ...]:
    return tuple(
        AxeResult(
            rule=r["id"],
            impact=r.get("impact"),
            description=r.get("help") or r.get("description", ""),
            help_url=r.get("helpUrl", ""),
            nodes=tuple(
                AxeNode(" ".join(map(str, n.get("target", []))), n.get("html", ""), n.get("failureSummary", ""))
                for n in r.get("nodes", [])
            ),
        )
        for r in raw
    )


def run_axe(driver, tags: tuple[str, ...] = DEFAULT_TAGS, context: str | None = None) -> AxeReport:
    """axe-core on the current page with the given rule tags."""
    axe = Axe(driver)
    axe.inject()
    results = run_injected(driver, {"runOnly": {"type": "tag", "values": list(tags)},
                                    "resultTypes": ["violations", "incomplete"]}, context)
    return AxeReport(
        url=driver.current_url,
        violations=_results(results.get("violations", [])),
        incomplete=_results(results.get("incomplete", [])),
        version=results.get("testEngine", {}).get("version", ""),
    )


def describe(report: AxeReport) -> str:
    lines = [f"{report.url}: {len(report.violations)} violation(s)"]
    for v in report.violations:
        lines.append(f"  [{v.impact}] {v.rule}: {v.description} ({v.help_url})")
        for node in v.nodes[:5]:
            lines.append(f"      {node.target}: {node.html[:160]}")
    return "\n".join(lines)
