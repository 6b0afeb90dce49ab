"""One page in one browser, in every state a reader can put it in, judged by axe-core.

    default  the page as it loads: every rule of the configured tags
    lg-320   text size LG in a 320 px wide viewport: horizontal overflow is a reflow failure
             (WCAG 1.4.10, rule `reflow-320`), and the rules that depend on layout run again
    dark     prefers-color-scheme: dark: the colour rules run again (skipped when no style sheet
             of the page has a dark scheme, as the result could not differ)

axe is loaded once per page load, from the audit server (so the browser caches the compiled
script), and the later states run only the rules their change can affect. A result already
reported in an earlier state is not reported again.

Pages made from one template share a shell: everything outside <main> (skip links, header, text
size controls, navigation, footer), the <html> element and the style sheets. The first page of
each shell is audited whole; the others only inside <main>, in every state (the reflow
measurement always takes the whole page). What axe leaves out then is the shell itself, already
judged with the same markup and styles, and the page-level rules (landmarks, bypass,
page-has-heading-one, region), which the shell's markup decides; `lang` and headings of every
page are still checked by the build's fast checks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from selenium.common.exceptions import JavascriptException, TimeoutException, WebDriverException

from builder.audit.axe import AxeError
from builder.checks.findings import Finding

STATES = ("default", "lg-320", "dark")
STATE_RULES = {
    "lg-320": ("target-size", "scrollable-region-focusable"),
    "dark": ("color-contrast", "link-in-text-block"),
}
REFLOW_RULE = "reflow-320"
REFLOW_HELP = "https://www.w3.org/WAI/WCAG22/Understanding/reflow.html"
SNIPPET_LENGTH = 300

# Each step is one round trip to the browser: an async function whose rejection comes back as
# {ok: false, error} at once (never a hang until the script timeout).
_STEP = """
const done = arguments[arguments.length - 1];
const args = Array.prototype.slice.call(arguments, 0, -1);
(async (...args) => { %s })(...args).then(
  value => done({ok: true, value}),
  error => done({ok: false, error: String(error && error.stack || error)}));
"""

# Load axe (cached by the browser) unless it is there, work out which state rules the tags
# enable, and run every rule of the tags on the page as it loaded.
_DEFAULT = _STEP % """
const [src, options, stateRules, tags, scope] = args;
if (!window.axe) {
  const loaded = await new Promise(resolve => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = () => { script.remove(); resolve(true); };
    script.onerror = () => { script.remove(); resolve(false); };
    (document.head || document.documentElement).appendChild(script);
  });
  if (!loaded || !window.axe) return {noAxe: true};
}
const enabled = new Set(axe.getRules(tags).map(r => r.ruleId));
const rules = {};
for (const [state, list] of Object.entries(stateRules)) rules[state] = list.filter(r => enabled.has(r));
const settings = JSON.parse(options);
// axe preloads the CSS object model (fetching every style sheet again) for any run, but only
// rules marked preload read it; no-autoplay-audio needs just the media. Keep the CSSOM when any
// other preloading rule is enabled (e.g. the experimental css-orientation-lock, when asked for).
// A rule with a tag axe leaves out unless asked for (experimental, deprecated) does not run.
const excluded = (axe._audit && axe._audit.tagExclude) || ['experimental', 'deprecated'];
const runs = r => enabled.has(r.id) && !r.tags.some(t => excluded.includes(t) && !tags.includes(t));
const preloading = (axe._audit && axe._audit.rules || []).filter(r => r.preload && runs(r));
if (preloading.every(r => r.id === 'no-autoplay-audio')) settings.preload = {assets: ['media']};
return {rules, results: await axe.run(scope ? {include: [[scope]]} : document, settings),
        preload: preloading.map(r => r.id)};
"""

# In a 320 px viewport: text size LG, horizontal overflow and its outermost culprits (not inside
# something that scrolls or clips them), the layout rules, then text size back and whether any
# style sheet has a dark scheme.
_LG_320 = _STEP % """
const [options, scope] = args;
const root = document.documentElement;
const before = root.dataset.textSize;
root.dataset.textSize = 'lg';
const width = window.innerWidth;
const scrollWidth = Math.max(root.scrollWidth, document.body ? document.body.scrollWidth : 0);
const culprits = [];
if (scrollWidth > width && document.body) {
  const wide = el => el.getBoundingClientRect().right > width + 1;
  const clipped = el => {
    for (let p = el.parentElement; p && p !== document.body && p !== root; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll('*')) {
    if (culprits.length >= 5) break;
    if (!wide(el) || (el.parentElement !== document.body && wide(el.parentElement)) || clipped(el)) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    let target;
    try { target = axe.utils.getSelector(el); } catch (e) { target = el.tagName.toLowerCase(); }
    culprits.push({target, html: el.outerHTML.slice(0, 300), right: Math.round(rect.right)});
  }
}
const results = options ? await axe.run(scope ? {include: [[scope]]} : document, JSON.parse(options)) : null;
if (before === undefined) delete root.dataset.textSize; else root.dataset.textSize = before;
return {reflow: {overflow: scrollWidth > width, scrollWidth, width, culprits}, results, dark: hasDarkScheme()};

function hasDarkScheme() {
  const pattern = /prefers-color-scheme/;
  const seen = new Set();
  const scan = list => {
    for (const rule of list || []) {
      if (rule.media && pattern.test(rule.conditionText || rule.media.mediaText)) return true;
      if (rule.styleSheet && !seen.has(rule.styleSheet)) {
        seen.add(rule.styleSheet);
        if (sheet(rule.styleSheet)) return true;
      }
      if (rule.cssRules && scan(rule.cssRules)) return true;
    }
    return false;
  };
  const sheet = s => { try { return scan(s.cssRules); } catch (e) { return true; } };
  for (const s of document.styleSheets) {
    if ((s.media && pattern.test(s.media.mediaText)) || sheet(s)) return true;
  }
  const meta = document.querySelector('meta[name="color-scheme"]');
  return Boolean(meta && /dark/.test(meta.content)) || /dark/.test(getComputedStyle(root).colorScheme || '');
}
"""

_AXE = _STEP % """
const [options, scope] = args;
return {results: await axe.run(scope ? {include: [[scope]]} : document, JSON.parse(options)), url: location.href};
"""


AXE_OPTIONS = {"resultTypes": ["violations", "incomplete"], "performanceTimer": False, "xpath": False,
               "ancestry": False, "elementRef": False, "absolutePaths": False}


class PageGone(RuntimeError):
    """The browser or its driver died; the page can be tried again in a new browser."""


@dataclass
class StateRunner:
    """Audits pages in one browser. Not thread-safe: one per worker."""

    driver: object
    origin: str  # http://127.0.0.1:PORT of the audit server
    axe_url: str  # where the audit server serves axe.min.js
    axe_source: str  # the script itself, when loading it by URL fails (e.g. a strict CSP)
    tags: tuple[str, ...]
    _dark: bool = False  # the browser still emulates the dark scheme

    def audit(self, page: str, url_path: str, scope: str | None = None) -> list[Finding]:
        """Findings of axe and the reflow check on one page, in every state; raises AxeError or PageGone.

        `scope`: a selector (e.g. "main") when the rest of the page, its shell, was already audited
        on another page: axe then checks only that part (page-level rules are left out too).
        """
        driver = self.driver
        try:
            if self._dark:
                driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
                self._dark = False
            url = self.origin + url_path
            driver.get(url)
            tags = list(self.tags)
            default = {**AXE_OPTIONS, "runOnly": {"type": "tag", "values": tags}}
            step = self._step(_DEFAULT, self.axe_url, json.dumps(default), STATE_RULES, tags, scope)
            if step.get("noAxe"):  # the page would not load axe by URL (a strict CSP): paste it in
                driver.execute_script(self.axe_source)
                step = self._step(_DEFAULT, self.axe_url, json.dumps(default), STATE_RULES, tags, scope)
            rules = step["rules"]
            findings = self._findings(page, "default", step["results"])

            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                   {"width": 320, "height": 720, "deviceScaleFactor": 1, "mobile": False})
            try:
                lg = self._step(_LG_320, self._options(rules["lg-320"]), scope)
            finally:
                driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
            findings += self._reflow(page, lg["reflow"])
            findings += self._findings(page, "lg-320", lg["results"])

            last_url = None
            if rules["dark"] and lg["dark"]:
                driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                                       {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
                self._dark = True
                dark = self._step(_AXE, self._options(rules["dark"]), scope)
                findings += self._findings(page, "dark", dark["results"])
                last_url = dark["url"]
            if (last_url or driver.current_url).split("#")[0] != url:
                raise AxeError(f"the page navigated away to {last_url or driver.current_url} during the audit")
        except (JavascriptException, TimeoutException) as exc:
            raise AxeError(f"{type(exc).__name__}: {exc.msg or exc}") from None
        except WebDriverException as exc:
            raise PageGone(str(exc.msg or exc)) from None
        return _unique(findings)

    def reset(self) -> None:
        """Back to the default state (for a browser that is used for something else afterwards)."""
        self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
        self._dark = False

    def _step(self, script: str, *args) -> dict:
        outcome = self.driver.execute_async_script(script, *args)
        if not outcome or not outcome.get("ok"):
            raise AxeError(f"axe-core failed on {self.driver.current_url}: {(outcome or {}).get('error', 'no result')}")
        return outcome["value"]

    @staticmethod
    def _options(rules: list[str]) -> str | None:
        # No state rule reads the CSS object model: preload would fetch every style sheet again.
        if not rules:
            return None
        return json.dumps({**AXE_OPTIONS, "preload": False, "runOnly": {"type": "rule", "values": rules}})

    def _findings(self, page: str, state: str, results: dict | None) -> list[Finding]:
        findings = []
        for kind, key in (("violation", "violations"), ("incomplete", "incomplete")):
            for rule in (results or {}).get(key, []):
                for node in rule.get("nodes", []):
                    findings.append(Finding(
                        page=page, rule=rule["id"], message=rule.get("help") or rule.get("description", ""),
                        impact=node.get("impact") or rule.get("impact") or "minor",
                        target=" ".join(_target(t) for t in node.get("target", [])),
                        snippet=_short(node.get("html", "")), help_url=rule.get("helpUrl", ""),
                        kind=kind, state=state, origin="axe", detail=node.get("failureSummary") or "",
                        wcag=",".join(t for t in rule.get("tags", []) if _criterion(t)),
                    ))
        return findings

    def _reflow(self, page: str, result: dict) -> list[Finding]:
        if not result or not result.get("overflow"):
            return []
        culprits = result.get("culprits") or [{"target": "html", "html": "", "right": result["scrollWidth"]}]
        message = (f"the page scrolls sideways at 320 px wide with text size LG "
                   f"({result['scrollWidth']} px of content in a {result['width']} px viewport)")
        return [Finding(page=page, rule=REFLOW_RULE, message=message, impact="serious", target=c["target"],
                        snippet=_short(c.get("html", "")), help_url=REFLOW_HELP, state="lg-320", origin="browser",
                        detail=f"this element reaches {c.get('right')} px", wcag="wcag1410")
                for c in culprits]


def _target(target) -> str:
    return " ".join(target) if isinstance(target, list) else str(target)


def _criterion(tag: str) -> bool:
    return tag.startswith("wcag") and tag[4:].isdigit()


def _short(html: str) -> str:
    return html if len(html) <= SNIPPET_LENGTH else html[: SNIPPET_LENGTH - 1] + "…"


def _unique(findings: list[Finding]) -> list[Finding]:
    """The first of each (kind, rule, target, detail): a later state repeating a result adds nothing."""
    seen, unique = set(), []
    for finding in findings:
        key = (finding.kind, finding.rule, finding.target, finding.detail)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique
