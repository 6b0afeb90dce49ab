"""Hugo shortcodes in a page body -> Markdown, with every one it could not keep counted.

    {{< figure src="a.png" alt="..." caption="..." >}}   an image on a line of its own (a figure)
    {{< youtube id="w7Ft2ymGmfc" title="..." >}}         a link to the video (no embed: no script, no
                                                          third-party frame in the archive)
    {{< ref "blog/2024/post.md" >}}, relref              the page's old address (links.py rewrites it)
    {{< highlight go "linenos=table" >}}...{{< /highlight >}}   a fenced code block
    {{% param "name" %}}                                  the page's or the site's parameter, as text
    {{</* name */>}}                                      the shortcode as text (Hugo's escape)

Any other shortcode is removed and noted with its line: one with a closing tag keeps the text
between, except `comment`, which is dropped with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from builder.importers.notes import Notes, line_at

_SHORTCODE = re.compile(r"\{\{([<%])(/\*)?\s*(/)?\s*([\w./-]+)(.*?)\s*(\*/)?(/)?\s*[>%]\}\}", re.S)
_PARAM = re.compile(r"""(?:([\w-]+)\s*=\s*)?(?:"((?:[^"\\]|\\.)*)"|`([^`]*)`|'([^']*)'|([^\s"'`]+))""")


@dataclass(frozen=True)
class ShortcodeContext:
    origin: str
    first_line: int
    ref: Callable[[str], str | None]  # old address of a page by the path Hugo's ref takes
    page: Mapping[str, object] = field(default_factory=dict)  # the page's front matter
    site: Mapping[str, object] = field(default_factory=dict)  # the site's params


def params(text: str) -> tuple[list[str], dict[str, str]]:
    positional, named = [], {}
    for match in _PARAM.finditer(text):
        value = next((g for g in match.groups()[1:] if g is not None), "")
        value = value.replace('\\"', '"')
        if match.group(1):
            named[match.group(1)] = value
        else:
            positional.append(value)
    return positional, named


def convert_shortcodes(text: str, ctx: ShortcodeContext, notes: Notes) -> str:
    out: list[str] = []
    position = 0
    while (match := _SHORTCODE.search(text, position)) is not None:
        out.append(text[position:match.start()])
        position = match.end()
        line = line_at(text, match.start(), ctx.first_line)
        if match.group(2):  # {{</* x */>}}: Hugo prints the shortcode itself
            mark = match.group(1)
            out.append("{{" + mark + " " + (match.group(3) or "") + match.group(4) + match.group(5).rstrip() + " "
                       + (">" if mark == "<" else "%") + "}}")
            notes.convert("Hugo escaped shortcode, kept as text")
            continue
        closing, name, args = bool(match.group(3)), match.group(4), match.group(5)
        if closing:
            notes.drop(f"shortcode {{{{< /{name} >}}}} without its opening", ctx.origin, line, match.group(0))
            continue
        inner, after = _inner(text, position, name)
        handled = _convert(name, args, inner, ctx, notes, line)
        if handled is not None:
            out.append(handled)
            if inner is not None:
                position = after
            continue
        if inner is not None:
            position = after
            if name == "comment":
                notes.drop("shortcode {{< comment >}} (with its text)", ctx.origin, line, match.group(0))
            else:
                out.append(convert_shortcodes(inner, ShortcodeContext(ctx.origin, line, ctx.ref, ctx.page, ctx.site),
                                              notes))
                notes.drop(f"shortcode {{{{< {name} >}}}} (its text kept)", ctx.origin, line, match.group(0))
        else:
            notes.drop(f"shortcode {{{{< {name} >}}}}", ctx.origin, line, match.group(0))
    out.append(text[position:])
    return "".join(out)


def _inner(text: str, position: int, name: str) -> tuple[str | None, int]:
    """The text up to the closing tag of `name`, and where the tag ends; None when there is none."""
    closing = re.compile(r"\{\{[<%]\s*/\s*" + re.escape(name) + r"\s*[>%]\}\}")
    opening = re.compile(r"\{\{[<%]\s*" + re.escape(name) + r"\b")
    depth, at = 1, position
    while True:
        end = closing.search(text, at)
        if end is None:
            return None, position
        nested = opening.search(text, at, end.start())
        if nested is not None:
            depth += 1
            at = nested.end()
            continue
        depth -= 1
        if depth == 0:
            return text[position:end.start()], end.end()
        at = end.end()


def _convert(name: str, args: str, inner: str | None, ctx: ShortcodeContext, notes: Notes, line: int) -> str | None:
    positional, named = params(args)
    if name == "figure":
        src = named.get("src") or (positional[0] if positional else "")
        if not src:
            return None
        alt = named.get("alt", "")
        caption = named.get("caption") or named.get("title") or ""
        title = ' "' + _inline(caption).replace('"', "&quot;") + '"' if caption else ""
        notes.convert("Hugo {{< figure >}}")
        return f"![{alt.replace('[', '').replace(']', '')}]({src}{title})"  # its own line makes it a figure
    if name == "youtube":
        video = named.get("id") or (positional[0] if positional else "")
        if not video:
            return None
        label = named.get("title") or "the video"
        notes.convert("Hugo {{< youtube >}} (a link to the video)")
        return f"[Watch {label} on YouTube](https://www.youtube.com/watch?v={video})"
    if name in ("ref", "relref"):
        target = named.get("path") or (positional[0] if positional else "")
        path, _, fragment = target.partition("#")
        found = ctx.ref(path) if path else ""
        if found is None:
            notes.problem(f"{{{{< {name} >}}}} to a page that is not in the import", ctx.origin, line, target)
            return "/" + path.strip("/").removesuffix(".md").removesuffix("/index") + "/" + (
                "#" + fragment if fragment else "")
        notes.convert(f"Hugo {{{{< {name} >}}}}")
        return (found or "") + ("#" + fragment if fragment else "")
    if name == "highlight" and inner is not None:
        language = positional[0] if positional else ""
        fence = "~~~~" if "```" in inner else "```"
        notes.convert("Hugo {{< highlight >}}")
        return f"{fence}{language}\n{inner.strip(chr(10))}\n{fence}"
    if name == "param":
        key = named.get("name") or (positional[0] if positional else "")
        value = _lookup(ctx.page, key)
        if value is None:
            params_ = ctx.page.get("params")
            value = _lookup(params_, key) if isinstance(params_, dict) else None
        if value is None:
            value = _lookup(ctx.site, key)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            notes.convert("Hugo {{% param %}}")
            return str(value).strip()
        notes.problem("{{% param %}} whose value is not plain text (removed)", ctx.origin, line, key)
        return ""
    return None


def _lookup(data, key: str):
    for part in key.split("."):
        if not isinstance(data, dict):
            return None
        data = next((v for k, v in data.items() if str(k).lower() == part.lower()), None)
    return data


def _inline(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", text).split())
