"""Jekyll's Liquid in a post body -> plain Markdown, with every tag it could not keep counted.

Liquid runs before Markdown in Jekyll, so it is read here as Jekyll reads it, from the start of
the body to the end (code fences too), except inside `{% raw %}`. What has a Markdown equivalent
is converted:

    {% highlight ruby %}...{% endhighlight %}    a fenced code block
    {% raw %}...{% endraw %}                     its text, as it is
    {% link _posts/2019-01-02-a.md %}            the post's old address (importers.links rewrites it)
    {% post_url 2019-01-02-a %}                  the same
    {% include figure.html src=... alt=... %}    an image on a line of its own (a figure with caption)
    {{ site.x }}, {{ page.x }}                   the value, when it is plain text
    {{ "/a/b" | relative_url }}                  the path

Every other tag is removed and noted with its line: block tags that make text (for, capture,
comment, tablerow) with their contents, others (if, unless, case) keeping the text between them.
A translation of Liquid is not attempted: an archive's posts use a handful of tags, and a wrong
guess would put wrong text in an article.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from builder.importers.notes import Notes, line_at

_TOKEN = re.compile(r"\{%-?\s*(?P<tag>\w+)(?P<args>.*?)-?%\}|\{\{-?(?P<expr>.*?)-?\}\}", re.S)
_DROP_BODY = {"for": "endfor", "capture": "endcapture", "comment": "endcomment", "tablerow": "endtablerow"}
_KEEP_BODY = {"if", "endif", "unless", "endunless", "case", "endcase", "when", "else", "elsif", "assign",
              "increment", "decrement", "cycle", "break", "continue"}
_PARAM = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
_FIGURE_NAMES = re.compile(r"figure|image|img|picture|photo", re.I)


@dataclass(frozen=True)
class LiquidContext:
    """What a post's Liquid may refer to."""

    origin: str  # the post's file, for notes
    first_line: int  # the file line the body starts on
    post_url: Callable[[str], str | None]  # old address of a post by file name (without extension)
    link: Callable[[str], str | None]  # old address of a file of the site by its path
    site: Mapping[str, object] = field(default_factory=dict)  # _config.yml
    page: Mapping[str, object] = field(default_factory=dict)  # the post's front matter


def convert_liquid(text: str, ctx: LiquidContext, notes: Notes) -> str:
    out: list[str] = []
    position = 0
    while True:
        match = _TOKEN.search(text, position)
        if match is None:
            out.append(text[position:])
            return "".join(out)
        out.append(text[position:match.start()])
        position = match.end()
        line = line_at(text, match.start(), ctx.first_line)
        if match.group("expr") is not None:
            out.append(_expression(match.group("expr"), match.group(0), ctx, notes, line))
            continue
        tag, args = match.group("tag"), match.group("args").strip()
        if tag == "raw":
            end = re.compile(r"\{%-?\s*endraw\s*-?%\}").search(text, position)
            stop = end.start() if end else len(text)
            out.append(text[position:stop])
            position = end.end() if end else len(text)
            notes.convert("Liquid {% raw %}")
        elif tag == "highlight":
            position = _highlight(text, position, args, out, notes)
        elif tag in ("link", "post_url"):
            out.append(_address(tag, args, ctx, notes, line))
        elif tag == "include":
            out.append(_include(args, ctx, notes, line))
        elif tag in _DROP_BODY:
            end = re.compile(r"\{%-?\s*" + _DROP_BODY[tag] + r"\s*-?%\}").search(text, position)
            dropped = text[match.start():end.end() if end else len(text)]
            position = end.end() if end else len(text)
            notes.drop(f"Liquid {{% {tag} %}} block", ctx.origin, line, dropped)
        else:
            kind = "Liquid tag" if tag in _KEEP_BODY else "unknown Liquid tag"
            notes.drop(f"{kind} {{% {tag} %}}", ctx.origin, line, match.group(0))


def _highlight(text: str, position: int, args: str, out: list[str], notes: Notes) -> int:
    end = re.compile(r"\{%-?\s*endhighlight\s*-?%\}").search(text, position)
    code = text[position:end.start() if end else len(text)].strip("\n")
    language = args.split()[0] if args.split() else ""
    fence = "~~~~" if "```" in code else "```"
    before = "".join(out)
    lead = "" if not before or before.endswith("\n") else "\n"
    out.append(f"{lead}{fence}{language}\n{code}\n{fence}")  # as many lines as the tags took
    notes.convert("Liquid {% highlight %}")
    return end.end() if end else len(text)


def _address(tag: str, args: str, ctx: LiquidContext, notes: Notes, line: int) -> str:
    name = args.strip().strip("\"'")
    found = ctx.post_url(name) if tag == "post_url" else ctx.link(name)
    if found is None:
        notes.problem(f"Liquid {{% {tag} %}} to a file that is not in the import", ctx.origin, line, name)
        return guess_address(name)
    notes.convert(f"Liquid {{% {tag} %}}")
    return found


def guess_address(path: str) -> str:
    """Where Jekyll most likely put a page that is not imported: `_docs/history.md` -> `/docs/history/`."""
    path = path.strip("/")
    path = re.sub(r"\.(md|markdown|html?)$", "", path)
    path = path.lstrip("_")
    if path.endswith("index"):
        path = path[: -len("index")]
    return "/" + path.strip("/") + ("/" if path.strip("/") else "")


def _include(args: str, ctx: LiquidContext, notes: Notes, line: int) -> str:
    name, _, rest = args.partition(" ")
    params = {m.group(1): next(g for g in m.groups()[1:] if g is not None) for m in _PARAM.finditer(rest)}
    src = next((params[k] for k in ("src", "url", "image", "file", "path", "img") if k in params), "")
    if not _FIGURE_NAMES.search(name) or not src:
        notes.drop("Liquid {% include %}", ctx.origin, line, f"{{% include {args} %}}")
        return ""
    alt = next((params[k] for k in ("alt", "description", "alt_text") if k in params), "")
    caption = next((params[k] for k in ("caption", "title") if k in params), "")
    notes.convert("Liquid {% include %} of a figure")
    title = ' "' + caption.replace('"', "&quot;") + '"' if caption else ""
    return f"![{_escape_alt(alt)}]({src}{title})"  # on a line of its own, as the include was: a figure


def _escape_alt(alt: str) -> str:
    return alt.replace("[", "\\[").replace("]", "\\]")


def _expression(expr: str, written: str, ctx: LiquidContext, notes: Notes, line: int) -> str:
    value, *filters = [part.strip() for part in expr.split("|")]
    text: object = None
    if value[:1] in "\"'" and value[-1:] == value[:1]:
        text = value[1:-1]
    elif value.startswith(("site.", "page.")):
        source = ctx.site if value.startswith("site.") else ctx.page
        text = source.get(value.split(".", 1)[1])
        if value in ("site.baseurl", "site.url") and text is not None:
            text = ""  # links are written from the site's root; the new site adds its base path
    names = [f.split(":")[0].strip() for f in filters]
    if isinstance(text, (str, int, float)) and not isinstance(text, bool) and \
            all(n in ("relative_url", "absolute_url", "escape", "xml_escape", "strip") for n in names):
        notes.convert("Liquid {{ value }}")
        return str(text)
    notes.drop("Liquid output {{ ... }}", ctx.origin, line, written)
    return ""
