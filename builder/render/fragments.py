"""`{% cache key, ... %}...{% endcache %}`: a part of a template rendered once per build and key.

Most of a page is the same on thousands of pages: the site header and footer on every page of a
language, an article's teaser on each of the eight or so listings that show it. Rendering them
again for every page was much of the Jinja time of a large build. A theme marks such a part
and lists what it depends on besides what is fixed for the whole build (site.yaml, the theme, its
strings); the part is rendered the first time a key is seen and reused after that:

    {% cache item, level, page.lang, page.dir %} ... {% endcache %}

It is Hugo's `partialCached` for Jinja: the theme author declares the keys, so a key that leaves
out something the part shows makes pages wrong. Keys must be hashable (the views are frozen
dataclasses); with an unhashable key the part is rendered every time.

The store is the `fragment_cache` mapping in the render context, which the renderer creates anew
for each build, so nothing outlives the inputs it was made from (`broadsheet serve` keeps one
Jinja environment for many builds). Without one, every part is rendered every time. A
FragmentStore also lists the parts each page used, in order, so that the build's page checks can
read each part once (builder.checks.page).
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from itertools import islice

from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.runtime import Context

FRAGMENT_CACHE = "fragment_cache"  # the name of the store in the render context
# 1-2 KB each (a teaser in a non-Latin script): 25 MB at most a process. At 10,000 articles a
# worker meets about 25,000 parts; at 100,000 the workers' memory matters more than the last hits.
MAX_FRAGMENTS = 16_000


def forget_oldest_half(memo: MutableMapping) -> None:
    """Make room in a full memo. Pages are rendered in listing order, so the parts met last are the
    likeliest to come again (dicts keep their order of insertion)."""
    for key in list(islice(memo, len(memo) // 2)):
        del memo[key]


class FragmentStore(dict):
    """Parts by (place, keys), and the parts used since `used` was last cleared."""

    def __init__(self):
        super().__init__()
        self.used: list[str] = []


class FragmentCache(Extension):
    tags = {"cache"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        keys: list[nodes.Expr] = []
        while parser.stream.current.type != "block_end":
            if keys:
                parser.stream.expect("comma")
            keys.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        # The place of the tag is part of the key: two parts with the same keys are different parts.
        number = parser.broadsheet_fragments = getattr(parser, "broadsheet_fragments", 0) + 1
        where = nodes.Const(f"{parser.name}:{lineno}:{number}")
        call = self.call_method("_fragment", [nodes.ContextReference(), where, nodes.Tuple(keys, "load")])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    @staticmethod
    def _fragment(context: Context, where: str, keys: tuple, caller: Callable[[], str]) -> str:
        store: MutableMapping | None = context.get(FRAGMENT_CACHE)
        if store is None:
            return caller()
        key = (where, keys)
        try:
            found = store.get(key)
        except TypeError:  # an unhashable key
            return caller()
        if found is None:
            if len(store) >= MAX_FRAGMENTS:
                forget_oldest_half(store)
            # A plain str: Jinja writes a call block's result as it is, and the page checks can
            # use this very object as the part's text (Renderer.take_parts) instead of a copy.
            found = store[key] = str(caller())
        used = getattr(store, "used", None)
        if used is not None:
            used.append(found)
        return found
