"""What the preview adds to every HTML page it serves, and only there: never to the output folder.

- `overlay_html`: the build-error overlay, an alert that names every problem as
  `path:line: field: message` with its fix; English, so it is marked lang="en" dir="ltr" and
  lays out the same way on right-to-left pages.
- `OVERLAY_CSS`: its look, scoped to the overlay, with dark, forced-colours and narrow-screen rules.
- `CLIENT_JS`: listens to the server-sent events channel; reloads the page when a file it shows
  changed, shows the overlay when a build fails (focus moves to it; Escape or the button hides it)
  and reloads once the build works again.
- `debts_html`: the note on a page with accepted accessibility debts (the site's baseline): one
  item per debt, so an editor sees what the page still owes its readers. It is a complementary
  landmark at the end of the page, never over it; images without alt text are outlined as well.
- `inject`: puts the stylesheet link, the overlay (while the last build failed), the page's debt
  note and the client script just before `</body>`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from html import escape
from typing import Protocol

RESERVED = "__broadsheet/"  # under the base path: events, client.js, overlay.css
OVERLAY_ID = "broadsheet-overlay"


class Problem(Protocol):
    path: object
    line: int | None
    field: str | None
    message: str
    hint: str


def _location(problem: Problem) -> str:
    path = getattr(problem, "path", None)
    if path is None:
        return ""
    line = getattr(problem, "line", None)
    return f"{path}:{line}" if line else str(path)


def problem_text(problem: Problem) -> str:
    """`path:line: field: message`, leaving out the parts a problem does not have."""
    parts = [p for p in (_location(problem), getattr(problem, "field", None)) if p]
    return ": ".join([*parts, str(getattr(problem, "message", problem))])


def _items(problems: list[Problem]) -> list[str]:
    """One <li> a problem: where, which field, what, and the fix; the overlay and the debts note alike."""
    items = []
    for problem in problems:
        location, field = _location(problem), getattr(problem, "field", None)
        head = f'<code dir="ltr">{escape(location)}</code>: ' if location else ""
        field_html = f'<span class="{OVERLAY_ID}__field">{escape(field)}</span>: ' if field else ""
        hint = getattr(problem, "hint", "")
        hint_html = f'<p class="{OVERLAY_ID}__hint"><strong>Fix:</strong> {escape(hint)}</p>' if hint else ""
        message = escape(str(getattr(problem, "message", problem)))
        items.append(f'<li><p class="{OVERLAY_ID}__problem">{head}{field_html}{message}</p>{hint_html}</li>')
    return items


def overlay_html(problems: Iterable[Problem]) -> str:
    problems = list(problems)
    noun = "problem" if len(problems) == 1 else "problems"
    items = _items(problems)
    return (
        f'<div id="{OVERLAY_ID}" class="{OVERLAY_ID}" role="alert" aria-labelledby="{OVERLAY_ID}-title" '
        f'tabindex="-1" lang="en" dir="ltr">'
        f'<div class="{OVERLAY_ID}__panel">'
        f'<h2 id="{OVERLAY_ID}-title">Build failed: {len(problems)} {noun}</h2>'
        f'<p>The preview still shows the last build that worked. Fix the file and save it: '
        f'this page reloads by itself. Press Escape or Close to hide this message.</p>'
        f'<ol class="{OVERLAY_ID}__list">{"".join(items)}</ol>'
        f'<button type="button" class="{OVERLAY_ID}__close" data-broadsheet-close>Close</button>'
        f"</div></div>"
    )


DEBTS_ID = "broadsheet-debts"


def debts_html(problems: Iterable[Problem]) -> str:
    problems = list(problems)
    noun = "debt" if len(problems) == 1 else "debts"
    items = _items(problems)
    return (
        f'<aside id="{DEBTS_ID}" class="{DEBTS_ID}" aria-labelledby="{DEBTS_ID}-title" lang="en" dir="ltr">'
        f'<h2 id="{DEBTS_ID}-title">Accessibility: {len(problems)} known {noun} on this page</h2>'
        f'<p>The site&#8217;s accessibility baseline accepts {"it" if len(problems) == 1 else "them"} for now, '
        f'so the build passes; readers get the page as it is. This note is shown only in the preview.</p>'
        f'<ol class="{OVERLAY_ID}__list">{"".join(items)}</ol>'
        f"</aside>"
    )


def overlay_digest(html: str) -> str:
    return hashlib.blake2b(html.encode(), digest_size=8).hexdigest()


def inject(page: bytes, *, base_path: str, session: str, generation: int, overlay: str | None,
           debts: str | None = None) -> bytes:
    """The page with the preview's stylesheet, overlay, debt note and client script before its last </body>."""
    prefix = escape(base_path + RESERVED)
    digest = overlay_digest(overlay) if overlay else ""
    parts = [f'<link rel="stylesheet" href="{prefix}overlay.css">']
    if overlay:
        parts.append(overlay.replace(f'id="{OVERLAY_ID}"', f'id="{OVERLAY_ID}" data-digest="{digest}"', 1))
    if debts:
        parts.append(debts)
    parts.append(
        f'<script src="{prefix}client.js" data-base="{escape(base_path)}" data-session="{escape(session)}" '
        f'data-generation="{generation}"></script>'
    )
    snippet = "\n".join(parts).encode("utf-8") + b"\n"
    at = page.lower().rfind(b"</body>")
    if at == -1:
        return page + snippet
    return page[:at] + snippet + page[at:]


OVERLAY_CSS = """\
/* Broadsheet preview: the build error overlay. Injected by `broadsheet serve` only. */
.broadsheet-overlay {
  position: fixed; inset-block-start: 0; inset-inline: 0; z-index: 2147483647;
  box-sizing: border-box; max-block-size: 100vh; max-block-size: 100dvh; overflow: auto;
  padding: 1rem; margin: 0;
  font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; text-align: start;
  color: #1b1b1b; background: #fff5f5;
  border-block-end: 0.25rem solid #b3001b; box-shadow: 0 0.25rem 1rem rgb(0 0 0 / 0.35);
}
.broadsheet-overlay[hidden] { display: none; }
.broadsheet-overlay:focus { outline: 0.2rem solid #0b50c8; outline-offset: -0.35rem; }
.broadsheet-overlay__panel { max-inline-size: 60rem; margin-inline: auto; }
.broadsheet-overlay h2 { margin: 0 0 0.5rem; font-size: 1.3rem; line-height: 1.3; color: #8a0015; }
.broadsheet-overlay p { margin: 0 0 0.5rem; }
.broadsheet-overlay__list { margin: 0 0 1rem; padding-inline-start: 1.75rem; }
.broadsheet-overlay__list li { margin-block-end: 0.75rem; }
.broadsheet-overlay code {
  font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.95em;
  font-weight: 700; overflow-wrap: anywhere; unicode-bidi: isolate;
}
.broadsheet-overlay__field { font-style: italic; }
.broadsheet-overlay__hint { color: #333; }
.broadsheet-overlay__close {
  font: inherit; padding: 0.4rem 1.2rem; min-block-size: 2.75rem; min-inline-size: 2.75rem;
  color: #fff; background: #8a0015; border: 0.125rem solid #8a0015; border-radius: 0.25rem; cursor: pointer;
}
.broadsheet-overlay__close:hover { background: #5e000e; }
.broadsheet-overlay__close:focus-visible { outline: 0.2rem solid #0b50c8; outline-offset: 0.15rem; }
@media (prefers-color-scheme: dark) {
  .broadsheet-overlay { color: #f3f3f3; background: #2b0b10; border-color: #ff7a8a; }
  .broadsheet-overlay h2 { color: #ffb8c1; }
  .broadsheet-overlay__hint { color: #dcdcdc; }
  .broadsheet-overlay__close { color: #1b1b1b; background: #ffb8c1; border-color: #ffb8c1; }
  .broadsheet-overlay__close:hover { background: #ffd9de; }
  .broadsheet-overlay:focus, .broadsheet-overlay__close:focus-visible { outline-color: #8ab4ff; }
}
@media (forced-colors: active) {
  .broadsheet-overlay { border: 0.2rem solid CanvasText; }
  .broadsheet-overlay__close { border-color: ButtonText; }
}
@media (prefers-reduced-motion: no-preference) {
  .broadsheet-overlay { scroll-behavior: smooth; }
}
/* The note on a page with accepted accessibility debts: part of the page's flow, at its end. */
.broadsheet-debts {
  box-sizing: border-box; max-inline-size: 60rem; margin: 2rem auto; padding: 1rem;
  font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; text-align: start;
  color: #1b1b1b; background: #fff8e6; border: 0.2rem dashed #8a5a00; border-radius: 0.25rem;
}
.broadsheet-debts h2 { margin: 0 0 0.5rem; font-size: 1.2rem; line-height: 1.3; color: #5c3b00; }
.broadsheet-debts p { margin: 0 0 0.5rem; }
.broadsheet-debts code {
  font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.95em;
  overflow-wrap: anywhere; unicode-bidi: isolate;
}
html:has(.broadsheet-debts) img:not([alt]) { outline: 0.25rem dashed #8a5a00; outline-offset: 0.1rem; }
@media (prefers-color-scheme: dark) {
  .broadsheet-debts { color: #f3f3f3; background: #2b2108; border-color: #ffc966; }
  .broadsheet-debts h2 { color: #ffd68a; }
  html:has(.broadsheet-debts) img:not([alt]) { outline-color: #ffc966; }
}
@media (forced-colors: active) {
  .broadsheet-debts { border-color: CanvasText; }
  html:has(.broadsheet-debts) img:not([alt]) { outline-color: Highlight; }
}
"""


CLIENT_JS = """\
/* Broadsheet preview: live reload and the build error overlay. Injected by `broadsheet serve` only. */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !window.EventSource || window.broadsheetPreview) { return; }
  var base = me.getAttribute("data-base") || "/";
  var session = me.getAttribute("data-session");
  var OVERLAY = "broadsheet-overlay";
  var state = window.broadsheetPreview = {
    generation: Number(me.getAttribute("data-generation")) || 0,
    messages: 0,
    errors: !!document.getElementById(OVERLAY),
    reloading: false
  };
  var shownDigest = state.errors ? document.getElementById(OVERLAY).getAttribute("data-digest") : null;
  var returnFocus = null;

  function sitePath(url) {
    var parsed;
    try { parsed = new URL(url, location.href); } catch (e) { return null; }
    if (parsed.origin !== location.origin) { return null; }
    var path = parsed.pathname;
    try { path = decodeURIComponent(path); } catch (e) { /* keep it encoded */ }
    return path.replace(/\\/index\\.html$/, "/");
  }

  // Every file this page is made of: itself, its stylesheets, scripts, images and fonts.
  function shownPaths() {
    var paths = {};
    function add(url) { var p = url && sitePath(url); if (p) { paths[p] = true; } }
    add(location.href);
    if (window.performance && performance.getEntriesByType) {
      performance.getEntriesByType("resource").forEach(function (entry) { add(entry.name); });
    }
    var nodes = document.querySelectorAll("img, source[src], link[href], script[src]");
    Array.prototype.forEach.call(nodes, function (node) {
      if (node.tagName === "LINK" && !/(^|\\s)(stylesheet|icon|preload)(\\s|$)/i.test(node.rel)) { return; }
      add(node.currentSrc || node.src || node.href);
    });
    return paths;
  }

  function reload(target) {
    state.reloading = true;
    if (source) { source.close(); }
    if (target) { location.replace(target); } else { location.reload(); }
  }

  function overlay() { return document.getElementById(OVERLAY); }

  function hide() {
    var element = overlay();
    if (!element || element.hidden) { return; }
    element.hidden = true;
    var back = returnFocus;
    returnFocus = null;
    if (back && back !== document.body && document.contains(back) && back.focus) { back.focus(); }
  }

  function wire(element) {
    var close = element.querySelector("[data-broadsheet-close]");
    if (close) { close.addEventListener("click", hide); }
  }

  function reveal(element) {
    if (!returnFocus && document.activeElement && !element.contains(document.activeElement)) {
      returnFocus = document.activeElement;
    }
    element.hidden = false;
    element.focus();
  }

  function show(html, digest) {
    var holder = document.createElement("template");
    holder.innerHTML = html;
    var element = holder.content.firstElementChild;
    element.setAttribute("data-digest", digest);
    var old = overlay();
    if (old) { old.replaceWith(element); } else { document.body.appendChild(element); }
    wire(element);
    reveal(element);
  }

  document.addEventListener("keydown", function (event) {
    var element = overlay();
    if ((event.key === "Escape" || event.key === "Esc") && element && !element.hidden) {
      event.preventDefault();
      hide();
    }
  });

  if (overlay()) {
    wire(overlay());
    reveal(overlay());
  }

  function handle(message) {
    state.messages += 1;
    if (message.session !== session) { return reload(); }
    if (message.overlay) {
      state.errors = true;
      state.generation = message.generation;
      if (message.digest !== shownDigest) {
        shownDigest = message.digest;
        show(message.overlay, message.digest);
      }
      return;
    }
    if (message.base && message.base !== base && location.pathname.indexOf(base) === 0) {
      return reload(message.base + location.pathname.slice(base.length) + location.search + location.hash);
    }
    if (state.errors || message.all) { return reload(); }
    var changed = message.changed || [];
    if (changed.length) {
      var paths = shownPaths();
      for (var i = 0; i < changed.length; i += 1) {
        if (paths[changed[i]]) { return reload(); }
      }
    }
    state.generation = message.generation;
  }

  var source = new EventSource(base + "__broadsheet/events?session=" + encodeURIComponent(session) +
                               "&since=" + state.generation);
  source.onmessage = function (event) {
    if (state.reloading) { return; }
    try { handle(JSON.parse(event.data)); } catch (e) { if (window.console) { console.error(e); } }
  };
}());
"""
