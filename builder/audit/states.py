"""One page in one browser, in every state a reader can put it in, judged by axe-core.

    default  the page as it loads: every rule of the configured tags
    lg-320   text size LG in a 320 px wide viewport: horizontal overflow is a reflow failure
             (WCAG 1.4.10, rule `reflow-320`), and the rules that depend on layout run again
    dark     prefers-color-scheme: dark: the colour rules run again (skipped when no style sheet
             of the page has a dark scheme, as the result could not differ)

axe is loaded once per document, from the audit server (so the browser caches the compiled
script), and the later states run only the rules their change can affect. A page is swapped into
the document of the page before when builder.audit.reuse says it may be, and loaded otherwise. A result already
reported in an earlier state is not reported again.

Pages made from one template share a shell: everything outside <main> (skip links, header, text
size controls, navigation, footer), the <html> element and the style sheets. The first page of
each shell is audited whole; the others only inside <main>, in every state (the reflow
measurement always takes the whole page). What axe leaves out then is the shell itself, already
judged with the same markup and styles, and the page-level rules (landmarks, bypass,
page-has-heading-one, region), which the shell's markup decides; `lang` and headings of every
page are still checked by the build's fast checks.

Colour contrast, the dearest rule (its per-element work is most of a run's cost), is judged once
per style signature inside <main> (see _CONTRAST): on later pages axe's color-contrast skips the
elements whose signature it has already judged in the same state, and their findings are copied
onto this page's element, with axe's own selector and snippet. A signature is every computed
style colour contrast reads, for the element and each ancestor up to <html>, so two elements with
one signature are judged alike; what depends on position (elements out of normal flow, overlaps,
clipping) is never skipped. The findings are the same as a full run's: the browser tests compare
both on the defect fixture.

The lg-320 and dark states run on every page, not only on pages whose style signatures are new.
Skipping both on every page audited inside <main> was measured as a bound (the two viewport
switches kept): 1.15-1.3x the pages per second of the same audit with them (benchmarks/
audit_speed.py, variant skipstates). It is not sound, and on the corpus copy with planted defects
it missed them: whether a page scrolls sideways at 320 px depends on content widths that no
computed style records (a wide table, a long word, a box or an image of fixed width: the planted
700 px box was missed), and a signature taken in the light scheme does not decide the dark one
(a dark rule may select by class, as the fixture's .dark-trap, whose light signature is that of
any paragraph: the planted dark-only text was missed). A sound skip of the dark state would need a
key made of each element's markup up to <html> (tag and every attribute, and the text of every
style sheet), would hold only while no style rule that selects by position (:nth-child, +, ~,
:has) sets more than box sizes, and would need axe's own text-block test for link-in-text-block.

AXE_OPTIONS asks for violations and incomplete results: axe builds selectors for every node of the
types asked for and for one node of each other type, so passes already cost none. With
["violations"] alone, an incomplete rule kept one node per page (on the planted copy, 8 incomplete
color-contrast findings of pages with two paragraphs on photos went missing) and the audit was no
faster (0.73x and 0.90x in the two rounds, within the noise).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote

from selenium.common.exceptions import JavascriptException, TimeoutException, WebDriverException

from builder.audit import reuse as _reuse
from builder.audit.axe import AxeError
from builder.checks.findings import Finding

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

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

# Colour contrast, the dearest rule by far (about 1 ms per element with text), scoped to the page's
# content and judged once per style signature per shell and state. An element's signature covers
# what axe's color-contrast reads: its tag and own computed colour, font, shadow, stroke, opacity,
# blending, clipping and pseudo-element styles, the same for every ancestor up to <html>, and
# whether its own text has letters or digits. Elements that are out of normal flow (positioned,
# floated, transformed, negative margins), inside such or inside a clipping box, overlapped by an
# element out of flow anywhere on the page, form controls or anything outside plain content
# markup, with a role, disabled or inert, or with symbol-only text have no signature and are always
# checked by axe. `known` maps the signatures judged on earlier pages to their findings, which are
# reported again with this page's element.
_CONTRAST = r"""
async function contrastRun(context, options, scope, known) {
  // axe.run(context, options), with color-contrast left out on the elements of `scope` whose
  // signature is in `known` (their findings are copied from it), learning the new signatures.
  const root = document.querySelector(scope);
  if (!root) return {...(await axe.run(context, options)), learned: {}};
  const CONTENT = new Set(('a abbr article aside b bdi bdo blockquote br caption cite code data dd del details ' +
    'dfn div dl dt em figcaption figure footer h1 h2 h3 h4 h5 h6 header hgroup hr i ins kbd li main mark ' +
    'nav ol p picture q rp rt ruby s samp section small span strong sub summary sup table tbody td tfoot ' +
    'th thead time tr u ul var wbr img').split(' '));
  const PROPS = ['color', 'background-color', 'background-image', 'background-clip', 'background-blend-mode',
    'opacity', 'mix-blend-mode', 'filter', 'backdrop-filter', 'mask-image', 'isolation', 'font-size',
    'font-weight', 'font-family', 'font-style', 'font-variant', 'text-shadow', '-webkit-text-stroke-width',
    '-webkit-text-stroke-color', '-webkit-text-fill-color', 'visibility', 'display', 'position', 'z-index',
    'overflow-x', 'overflow-y', 'clip', 'clip-path', 'content-visibility', 'text-indent', 'text-overflow',
    'white-space', 'forced-color-adjust'];
  const PSEUDO = ['content', 'color', 'background-color', 'background-image', 'position', 'display',
    'opacity', 'width', 'height'];
  const hash = str => {
    let h1 = 0xdeadbeef, h2 = 0x41c6ce57;
    for (let i = 0; i < str.length; i++) {
      const c = str.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761); h2 = Math.imul(h2 ^ c, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (h2 >>> 0).toString(36) + (h1 >>> 0).toString(36);
  };
  const moved = cs => cs.position === 'absolute' || cs.position === 'fixed' || cs.position === 'sticky' ||
    (cs.position === 'relative' && ['top', 'right', 'bottom', 'left'].some(p => !['auto', '0px'].includes(cs[p]))) ||
    cs.float !== 'none' || cs.transform !== 'none' || cs.translate !== 'none' || cs.rotate !== 'none' ||
    cs.scale !== 'none'
    || ['margin-top', 'margin-right', 'margin-bottom', 'margin-left'].some(p => parseFloat(cs.getPropertyValue(p)) < 0);
  const textKind = el => {
    let text = '';
    for (const n of el.childNodes) if (n.nodeType === 3) text += n.data;
    text = text.trim();
    if (!text) return 'none';
    return /[\p{L}\p{N}]/u.test(text) && !/[\u{10000}-\u{10FFFF}\p{Co}\p{So}]/u.test(text) ? 'text' : null;
  };
  // Everything out of normal flow anywhere on the page, with its descendants: what may overlap.
  const overlays = [];
  for (const el of document.querySelectorAll('body *')) {
    if (overlays.length && overlays[overlays.length - 1].el.contains(el)) {
      const r = el.getBoundingClientRect();
      if (r.width && r.height) overlays[overlays.length - 1].rects.push(r);
      continue;
    }
    if (moved(getComputedStyle(el))) {
      const r = el.getBoundingClientRect();
      overlays.push({el, rects: r.width && r.height ? [r] : []});
    }
  }
  const overlapped = el => {
    const r = el.getBoundingClientRect();
    return overlays.some(o => !o.el.contains(el) && !el.contains(o.el) && o.rects.some(q =>
      q.left < r.right && r.left < q.right && q.top < r.bottom && r.top < q.bottom));
  };
  const memo = new Map();
  const clips = cs => cs.overflowX !== 'visible' || cs.overflowY !== 'visible';
  const chain = el => {  // the signature of el and its ancestors, or null
    if (memo.has(el)) return memo.get(el);
    const parent = el.parentElement;
    let sig = parent ? chain(parent) : '';
    if (sig !== null) {
      const cs = getComputedStyle(el);
      const inside = root.contains(el);
      if (inside && (!CONTENT.has(el.localName) || moved(cs) || clips(cs) ||
          ['role', 'aria-disabled', 'inert', 'contenteditable', 'disabled'].some(a => el.hasAttribute(a)))) {
        sig = null;
      } else {
        const parts = [el.localName];
        for (const a of ['dir', 'lang', 'hidden', 'aria-hidden', 'tabindex']) parts.push(el.getAttribute(a));
        for (const p of PROPS) parts.push(cs.getPropertyValue(p));
        for (const pseudo of ['::before', '::after']) {
          const ps = getComputedStyle(el, pseudo);
          if (ps.content !== 'none' && ps.content !== 'normal')
            for (const p of PSEUDO) parts.push(ps.getPropertyValue(p));
        }
        sig = hash(sig + '/' + parts.join(';'));
      }
    }
    memo.set(el, sig);
    return sig;
  };
  // Which elements axe must judge: everything without a signature, and the first of each new one.
  const skip = new Set(), fresh = new Map(), seen = new Set(), replicas = [];  // fresh: element -> new signature
  for (const el of [root, ...root.querySelectorAll('*')]) {
    const sig = chain(el);
    if (sig === null) continue;
    const kind = textKind(el);
    if (kind !== 'text' || overlapped(el)) continue;
    const full = sig + ':' + kind;
    if (Object.prototype.hasOwnProperty.call(known, full)) { skip.add(el); replicas.push([el, known[full]]); }
    else if (!seen.has(full)) { seen.add(full); fresh.set(el, full); }
  }
  const rule = axe._audit.rules.find(r => r.id === 'color-contrast');
  const matches = rule.matches;
  rule.matches = function (node, ...rest) { return !skip.has(node) && matches.call(this, node, ...rest); };
  let results;
  try {
    results = await axe.run(context, {...options, elementRef: true});
  } finally {
    rule.matches = matches;
  }
  const found = new Map();
  for (const type of ['violations', 'incomplete']) {
    for (const r of results[type]) {
      r.nodes = r.nodes.map(node => {
        const {element, impact, html, target, failureSummary} = node;
        if (r.id === 'color-contrast') {
          const list = found.get(element) || [];
          list.push({type, id: r.id, help: r.help, description: r.description, helpUrl: r.helpUrl,
                     tags: r.tags, impact: impact || r.impact, failureSummary});
          found.set(element, list);
        }
        return {impact, html, target, failureSummary};
      });
    }
  }
  const learned = {};
  for (const [el, sig] of fresh) learned[sig] = found.get(el) || [];
  // A copied finding names its element as axe would: set axe up on the document (as a run does)
  // for its selector and snippet.
  const copies = replicas.filter(([, outcomes]) => outcomes.length);
  if (copies.length) axe.setup(document);
  try {
    for (const [el, outcomes] of copies) addCopies(el, outcomes);
  } finally {
    if (copies.length) axe.teardown();
  }
  return {results: {violations: results.violations, incomplete: results.incomplete}, learned,
          checked: fresh.size, replicated: replicas.length};

  function addCopies(el, outcomes) {
    const dq = new axe.utils.DqElement(el, {absolutePaths: false});
    for (const o of outcomes) {
      let entry = results[o.type].find(r => r.id === o.id);
      if (!entry) {
        entry = {id: o.id, help: o.help, description: o.description, helpUrl: o.helpUrl, tags: o.tags,
                 impact: o.impact, nodes: []};
        results[o.type].push(entry);
      }
      entry.nodes.push({impact: o.impact, html: dq.source, target: dq.selector, failureSummary: o.failureSummary});
    }
  }
}
"""

# Load axe (cached by the browser) unless it is there, work out which state rules the tags
# enable, and run every rule of the tags on the page as it loaded.
_DEFAULT = _STEP % """
const [src, options, stateRules, tags, scope, contrast] = args;
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
const context = scope ? {include: [[scope]]} : document;
if (scope && contrast && enabled.has('color-contrast')) {
  const {results, ...rest} = await contrastRun(context, settings, scope, contrast);
  return {rules, results, ...rest};
}
return {rules, results: await axe.run(context, settings)};
""" + _CONTRAST

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
const [options, scope, contrast] = args;
const settings = JSON.parse(options);
const context = scope ? {include: [[scope]]} : document;
if (scope && contrast && settings.runOnly.values.includes('color-contrast')) {
  return {...(await contrastRun(context, settings, scope, contrast)), url: location.href};
}
return {results: await axe.run(context, settings), url: location.href};
""" + _CONTRAST


_HOST = _STEP % _reuse.HOST
_SWAP = _STEP % _reuse.SWAP

AXE_OPTIONS = {"resultTypes": ["violations", "incomplete"], "performanceTimer": False, "xpath": False,
               "ancestry": False, "elementRef": False, "absolutePaths": False}


class ContrastMemory:
    """Colour contrast findings by style signature, per reader state, for the pages of one shell.

    Shared by the worker threads; a signature two workers meet at once is simply judged twice.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._known: dict[str, dict[str, list]] = {}

    def known(self, state: str) -> dict[str, list]:
        with self._lock:
            return dict(self._known.get(state, {}))

    def learn(self, state: str, learned: dict[str, list]) -> None:
        with self._lock:
            self._known.setdefault(state, {}).update(learned)


class PageGone(RuntimeError):
    """The browser or its driver died; the page can be tried again in a new browser."""


@dataclass
class StateRunner:
    """Audits pages in one browser. Not thread-safe: one per worker."""

    driver: WebDriver
    origin: str  # http://127.0.0.1:PORT of the audit server
    axe_url: str  # where the audit server serves axe.min.js
    axe_source: str  # the script itself, when loading it by URL fails (e.g. a strict CSP)
    tags: tuple[str, ...]
    _dark: bool = False  # the browser still emulates the dark scheme
    _watch: str | None = None  # the id of the script that watches what page scripts read (builder.audit.reuse)
    _host: str | None = None  # the reuse key of the document open now, when it may take the next page
    swaps: int = 0  # pages audited in the document of an earlier one

    def audit(self, page: str, url_path: str, scope: str | None = None,
              contrast: ContrastMemory | None = None, reuse: str | None = None) -> list[Finding]:
        """Findings of axe and the reflow check on one page, in every state; raises AxeError or PageGone.

        `scope`: a selector (e.g. "main") when the rest of the page, its shell, was already audited
        on another page: axe then checks only that part (page-level rules are left out too).
        `contrast`: with a scope, the colour contrast judged by style signature on earlier pages
        of the same shell (see _CONTRAST); it learns this page's new signatures.
        `reuse`: the page's builder.audit.reuse.swap_key: with the key of the document open now, the
        page is swapped into it instead of loaded.
        """
        driver = self.driver
        try:
            if self._dark:
                driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
                self._dark = False
            url = self.origin + url_path
            self._open(url, reuse)
            tags = list(self.tags)
            default = {**AXE_OPTIONS, "runOnly": {"type": "tag", "values": tags}}
            known = contrast.known("default") if contrast and scope else None
            step = self._step(_DEFAULT, self.axe_url, json.dumps(default), STATE_RULES, tags, scope, known)
            if step.get("noAxe"):  # the page would not load axe by URL (a strict CSP): paste it in
                driver.execute_script(self.axe_source)
                step = self._step(_DEFAULT, self.axe_url, json.dumps(default), STATE_RULES, tags, scope, known)
            if contrast and step.get("learned"):
                contrast.learn("default", step["learned"])
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
                known = contrast.known("dark") if contrast and scope else None
                dark = self._step(_AXE, self._options(rules["dark"]), scope, known)
                if contrast and dark.get("learned"):
                    contrast.learn("dark", dark["learned"])
                findings += self._findings(page, "dark", dark["results"])
                last_url = dark["url"]
            # The browser reports the address percent-encoded ('/tags/%D5%A5...'), the page list as written.
            if unquote((last_url or driver.current_url).split("#")[0]) != unquote(url):
                raise AxeError(f"the page navigated away to {last_url or driver.current_url} during the audit")
        except (JavascriptException, TimeoutException) as exc:
            raise AxeError(f"{type(exc).__name__}: {exc.msg or exc}") from None
        except WebDriverException as exc:
            raise PageGone(str(exc.msg or exc)) from None
        return _unique(findings)

    def _open(self, url: str, reuse: str | None) -> None:
        """The page in the browser: swapped into the open document when it may be, loaded otherwise."""
        if reuse is not None and reuse == self._host:
            self._host = None
            try:
                swapped = bool(self._step(_SWAP, url, reuse))
            except (AxeError, JavascriptException, TimeoutException):  # then a load, as for any other page
                swapped = False
            if swapped:
                self._host = reuse
                self.swaps += 1
                return
        if reuse is not None and self._watch is None:
            self._watch = self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                                                      {"source": _reuse.WATCH})["identifier"]
        self._host = None
        self.driver.get(url)
        if self._watch is not None:
            try:
                self._host = reuse if self._step(_HOST, reuse) else None
            except (AxeError, JavascriptException, TimeoutException):
                self._host = None

    def reset(self) -> None:
        """Back to the default state (for a browser that is used for something else afterwards)."""
        self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
        self._dark = False
        if self._watch is not None:
            self.driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": self._watch})
            self._watch = self._host = None

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
