"""The next page of a template in the document of the last one: its <main> swapped in, no navigation.

A navigation costs the browser about as much as the default axe run (a new document, axe loaded and
compiled again, the first frames painted). Pages whose documents differ only inside <main>, and in
head elements that neither render nor run (title, description, canonical, feeds, JSON-LD), can be
audited in one document: the first is loaded as usual, the next one's <main> is fetched, parsed and
put in place of the last one's, with the URL, the title and the scroll position of the new page.
The result is the DOM a fresh load of that page gives, on two conditions checked in the browser:

- the page's scripts leave <main> alone: at load, its markup is still what the page's own HTML
  says, and no script read anything inside it (DOM queries that returned a node of <main>,
  walking into it, reading its text or styles, observing it). Queries by selector, id, tag, class
  or name over a part of the document that holds <main> are remembered, and a page whose <main>
  has a match for one of them is loaded instead, as those scripts would have seen it.
- the new <main> has no script or noscript of its own (those would not run, or parse differently),
  nor frames, objects or style sheet links (a load would wait for them; only images are awaited).

Whatever else, a page for which reuse is not sure (other shell, no <main>, a check that fails) is
loaded by navigation as before. Scripts that act on <main> only later (timers after the load
event) are not seen; the audit of a freshly loaded page would not see them either.
"""

from __future__ import annotations

import hashlib
import re

# Head elements that neither render nor run: they may differ between pages that share a document.
_INERT_HEAD = re.compile(
    rb"<title\b[^>]*>.*?</title\s*>"
    rb"|<script\b[^>]*\btype\s*=\s*[\"']?application/ld\+json[^>]*>.*?</script\s*>"
    rb"|<meta\b[^>]*>|<link\b[^>]*>", re.S | re.I)
_META_NAME = re.compile(rb"""\b(name|property|http-equiv|charset)\s*=\s*["']?([^"'\s>]*)""", re.I)
_LINK_REL = re.compile(rb"""\brel\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*))""", re.I)
_INERT_META = {b"description", b"author", b"keywords", b"robots", b"generator", b"twitter", b"og", b"article",
               b"news_keywords", b"google", b"googlebot", b"format-detection", b"application-name"}
_INERT_LINKS = {b"canonical", b"alternate", b"prev", b"next", b"author", b"license", b"shortlink", b"icon",
                b"shortcut", b"apple-touch-icon", b"mask-icon", b"manifest", b"me", b"search", b"help",
                b"bookmark", b"tag", b"pingback"}
_MAIN = re.compile(rb"<main\b.*</main\s*>", re.S | re.I)
_MAIN_OPEN = re.compile(rb"<main\b", re.I)
# Would not run, would parse otherwise (noscript), or would finish loading after the swap returns.
_NOT_SWAPPABLE = re.compile(rb"<(?:script|noscript|iframe|frame|object|embed|link)\b", re.I)


def _inert(match: re.Match) -> bytes:
    tag = match.group(0)
    lower = tag[:6].lower()
    if lower.startswith(b"<meta"):
        attrs = {k.lower(): v.lower() for k, v in _META_NAME.findall(tag)}
        name = attrs.get(b"name") or attrs.get(b"property") or b""
        inert = b"http-equiv" not in attrs and b"charset" not in attrs and (
            name in _INERT_META or name.split(b":")[0] in _INERT_META)
        return b"" if inert else tag
    if lower.startswith(b"<link"):
        found = _LINK_REL.search(tag)
        rel = set(b"".join(found.groups(b"")).lower().split()) if found else set()
        # rel="alternate stylesheet" is a style sheet: only links that are nothing but inert go.
        return b"" if rel and rel <= _INERT_LINKS else tag
    return b""  # a title or JSON-LD


def swap_key(html: bytes) -> str | None:
    """Pages with one key can share a document (see the module's note); None: always navigate."""
    head_end = html.find(b"</head>")
    if head_end < 0:
        return None
    body = html[head_end:]
    main = _MAIN.search(body)
    if main is None or len(_MAIN_OPEN.findall(body)) != 1 or _NOT_SWAPPABLE.search(main.group(0)):
        return None
    digest = hashlib.sha256(_INERT_HEAD.sub(_inert, html[:head_end]))
    digest.update(b"\0" + body[:main.start()] + b"<main></main>" + body[main.end():])
    return digest.hexdigest()


# Installed before any script of every new document (Page.addScriptToEvaluateOnNewDocument): records
# what the page's own scripts read, until the audit's first step stops it and puts the DOM's own
# functions back, so axe runs on the untouched DOM. See the module's note for what counts.
WATCH = r"""
(() => {
  if (window.__broadsheetReads || window !== window.top) return;  // frames are never swapped
  const reads = window.__broadsheetReads = {touched: false, queries: [], restore: []};
  const main = () => document.querySelector.__original
    ? document.querySelector.__original.call(document, 'main') : null;
  const inside = node => { const m = main(); return !!(m && node && node.nodeType && m.contains(node)); };
  const holds = node => { const m = main(); return !!(m && node && node.nodeType && node !== m && node.contains(m)); };
  const seen = value => {
    if (!value || typeof value !== 'object') return false;
    if (value.nodeType) return inside(value);
    if (typeof value.length === 'number') for (let i = 0; i < value.length; i++) if (inside(value[i])) return true;
    return false;
  };
  const wrap = (proto, name, kind) => {
    const own = Object.getOwnPropertyDescriptor(proto, name);
    if (!own) return;
    const original = own.value || own.get;
    const watched = function (...args) {
      const result = original.apply(this, args);
      if (reads.touched) return result;
      if (kind === 'all' || inside(this) || seen(result) || (kind === 'text' && holds(this))
          || (kind === 'observe' && (inside(args[0]) || holds(args[0])))
          || (kind === 'walk' && (holds(args[0]) || inside(args[0])))) reads.touched = true;
      else if (kind === 'query' && /:has\(/i.test(String(args[0]))) reads.touched = true;
      else if (kind === 'query' && (this === document || holds(this))) reads.queries.push([name, String(args[0])]);
      return result;
    };
    watched.__original = original;
    Object.defineProperty(proto, name, own.value ? {...own, value: watched} : {...own, get: watched});
    reads.restore.push(() => Object.defineProperty(proto, name, own));
  };
  for (const proto of [Document.prototype, Element.prototype, DocumentFragment.prototype]) {
    for (const name of ['querySelector', 'querySelectorAll', 'getElementsByTagName', 'getElementsByClassName',
                        'getElementsByName', 'getElementById', 'closest', 'matches']) {
      wrap(proto, name, 'query');
    }
    wrap(proto, 'getElementsByTagNameNS', 'all');
  }
  for (const name of ['firstChild', 'lastChild', 'childNodes', 'nextSibling', 'previousSibling'])
    wrap(Node.prototype, name, 'get');
  for (const name of ['children', 'firstElementChild', 'lastElementChild', 'nextElementSibling',
                      'previousElementSibling'])
    wrap(Element.prototype, name, 'get');
  wrap(Node.prototype, 'textContent', 'text');
  wrap(Element.prototype, 'innerHTML', 'text');
  wrap(Element.prototype, 'outerHTML', 'text');
  wrap(HTMLElement.prototype, 'innerText', 'text');
  for (const name of ['images', 'links', 'forms', 'anchors', 'all', 'embeds', 'plugins'])
    wrap(Document.prototype, name, 'all');
  wrap(Document.prototype, 'createTreeWalker', 'walk');
  wrap(Document.prototype, 'createNodeIterator', 'walk');
  wrap(Document.prototype, 'elementFromPoint', 'get');
  wrap(Document.prototype, 'elementsFromPoint', 'get');
  for (const Observer of [MutationObserver, IntersectionObserver, ResizeObserver])
    wrap(Observer.prototype, 'observe', 'observe');
  const computed = window.getComputedStyle;
  window.getComputedStyle = function (element, ...rest) {
    if (inside(element)) reads.touched = true;
    return computed.call(this, element, ...rest);
  };
  reads.restore.push(() => { window.getComputedStyle = computed; });
})();
"""

# After a navigation: the DOM's own functions back, and whether this document may take the next
# page's <main> (its scripts left <main> as the page's HTML has it and read nothing inside it).
HOST = """
const [key] = args;
const reads = window.__broadsheetReads;
if (reads) {
  for (const undo of reads.restore.reverse()) undo();
  reads.restore = [];
}
if (!key || !reads || reads.touched) return false;
const live = document.querySelectorAll('main');
if (live.length !== 1) return false;
const response = await fetch(location.href);
if (!response.ok) return false;
const source = new DOMParser().parseFromString(await response.text(), 'text/html').querySelectorAll('main');
if (source.length !== 1 || source[0].outerHTML !== live[0].outerHTML) return false;
window.__broadsheetHost = {key, queries: [...new Map(reads.queries.map(q => [q.join('\\0'), q])).values()]};
return true;
"""

# The next page's <main> in place of this one's; false when it cannot be sure (then: navigate).
SWAP = """
const [url, key] = args;
const host = window.__broadsheetHost;
if (!host || host.key !== key) return false;
window.__broadsheetHost = null;  // a swap that does not finish leaves no host behind
const response = await fetch(url, {cache: 'no-store'});
if (!response.ok) return false;
const page = new DOMParser().parseFromString(await response.text(), 'text/html');
const incoming = page.querySelectorAll('main'), current = document.querySelectorAll('main');
if (incoming.length !== 1 || current.length !== 1) return false;
history.replaceState(null, '', url);  // before the adoption: relative URLs resolve against the new page
document.title = page.title;
const main = document.adoptNode(incoming[0]);
current[0].replaceWith(main);
const selector = ([name, arg]) => {
  switch (name) {
    case 'getElementById': return '#' + CSS.escape(arg);
    case 'getElementsByTagName': return arg === '*' ? '*' : CSS.escape(arg);
    case 'getElementsByClassName': return arg.trim().split(/\\s+/).map(c => '.' + CSS.escape(c)).join('') || '*';
    case 'getElementsByName': return '[name="' + CSS.escape(arg) + '"]';
    default: return arg;
  }
};
try {
  // What the page's scripts looked for at load would have found something in this <main>.
  if (host.queries.some(query => { const s = selector(query); return main.matches(s) || main.querySelector(s); }))
    return false;
} catch (e) {
  return false;
}
window.scrollTo(0, 0);
if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
// A load waits for the images (and the lazy ones in view); so does the swap, for at most 10 s.
const images = [...main.querySelectorAll('img')];
if (images.some(img => img.loading === 'lazy' && !img.complete))  // lazy loading starts after a frame
  await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
const inView = img => { const r = img.getBoundingClientRect(); return r.bottom >= 0 && r.top <= innerHeight; };
const pending = images.filter(img => !img.complete && (img.loading !== 'lazy' || inView(img)));
const loaded = Promise.all(pending.map(img => new Promise(resolve => {
  img.addEventListener('load', resolve, {once: true});
  img.addEventListener('error', resolve, {once: true});
  if (img.complete) resolve();
})));
const late = await Promise.race([loaded.then(() => false),
                                 new Promise(resolve => setTimeout(() => resolve(true), 10000))]);
if (late) return false;
window.__broadsheetHost = host;
return true;
"""
