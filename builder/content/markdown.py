"""Markdown body -> HTML with the metadata later stages need (headings, links, images).

Pure: the same text and settings always give the same result. Problems come back as
BodyProblems with lines relative to the body; the caller turns them into file:line errors. Each
is an accessibility debt (checks.baseline): it names its rule and the needle that identifies it.

An image written without alt text is rendered without an alt attribute, never with alt="": an
empty alt tells screen readers to skip an informative picture and silences axe-core, which would
hide the debt instead of showing it.

`shift_headings` (site.yaml `content.headings: shift`) moves a body's headings so that its top
level is h2, keeping their relative structure: an archive whose bodies start at h3, or at h1,
renders correctly without editing its files. It runs before the anchors are made, so a heading
moved from h1 gets an id like any other.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from typing import NamedTuple, cast

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.footnote import footnote_plugin

from builder.config.content import ContentSettings
from builder.content.rawhtml import check_raw_html, sanitize


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    id: str


@dataclass(frozen=True, slots=True)
class Link:
    href: str
    line: int  # body line


@dataclass(frozen=True, slots=True)
class BodyImage:
    src: str  # as written in the Markdown
    alt: str
    caption: str
    line: int


class BodyProblem(NamedTuple):
    line: int  # body line
    message: str
    hint: str
    rule: str  # the page check it corresponds to: img-alt, alt-caption, multiple-h1
    needle: str  # what identifies it in the file: the image address, the alt text, the heading text


@dataclass(frozen=True, slots=True)
class Rendered:
    html: str
    headings: tuple[Heading, ...] = ()
    links: tuple[Link, ...] = ()
    images: tuple[BodyImage, ...] = ()
    problems: tuple[BodyProblem, ...] = field(default=(), compare=False)  # accessibility debts
    # Problems that make the page impossible, never a debt: raw markup that would hide the rest of
    # the page, nesting past the limit. (body line, message, hint)
    errors: tuple[tuple[int, str, str], ...] = field(default=(), compare=False)


@dataclass(frozen=True, slots=True)
class RenderSettings:
    base_path: str = "/"
    # width and height of local images by their path under the site root, to reserve their space
    image_sizes: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    content: ContentSettings = ContentSettings()  # what raw HTML may do (builder.content.rawhtml)


def _slug(text: str) -> str:
    return re.sub(r"[^\w\- ]", "", text.strip().lower(), flags=re.UNICODE).replace(" ", "-")


# markdown-it stops reading a block nested deeper than its limit and drops the rest of it without a
# word: its default of 20 lost the text of 20 levels of quotes or 10 of nested lists. Past this
# bound (some 98 quotes or 49 lists deep, far beyond any real article) the body is an error.
MAX_NESTING = 100


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = (
        MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING})
        .enable("table")
        .use(footnote_plugin)
        .use(anchors_plugin, min_level=2, max_level=6, slug_func=_slug)
        .use(attrs_plugin, spans=True)
    )
    md.core.ruler.before("anchor", "shift_headings", _shift_headings)
    md.add_render_rule("paragraph_open", _render_paragraph_open)
    md.add_render_rule("paragraph_close", _render_paragraph_close)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("table_open", _render_table_open)
    md.add_render_rule("table_close", _render_table_close)
    return md


def _shift_headings(state) -> None:
    """Move every heading by the same number of levels so that the highest is h2 (capped at h6)."""
    if not state.env.get("shift_headings"):
        return
    levels = [int(t.tag[1]) for t in state.tokens if t.type == "heading_open"]
    delta = 2 - min(levels) if levels else 0
    if delta:
        for token in state.tokens:
            if token.type in ("heading_open", "heading_close"):
                token.tag = f"h{min(6, int(token.tag[1]) + delta)}"


def _render_paragraph_open(self, tokens, idx, options, env):
    if tokens[idx].meta.get("figure"):
        return "<figure>\n"
    return self.renderToken(tokens, idx, options, env)


def _render_paragraph_close(self, tokens, idx, options, env):
    if tokens[idx].meta.get("figure"):
        return "</figure>\n"
    return self.renderToken(tokens, idx, options, env)


def _render_table_open(self, tokens, idx, options, env):
    # A wide table scrolls inside its own focusable region instead of widening the page (WCAG 1.4.10).
    label = escape(env.get("table_label", "Table"))
    return '<div class="table-scroll" tabindex="0" role="region" aria-label="' + label + '">\n<table>\n'


def _render_table_close(self, tokens, idx, options, env):
    return "</table>\n</div>\n"


def _render_image(self, tokens, idx, options, env):
    token = tokens[idx]
    src = token.attrGet("src") or ""
    alt = self.renderInlineAsText(token.children or [], options, env)
    attrs = [f'src="{escape(src)}"']
    if alt.strip():  # no alt text is a debt the page must still show (see the module's docstring)
        attrs.append(f'alt="{escape(alt)}"')
    size = token.meta.get("size")
    if size:
        attrs.append(f'width="{size[0]}" height="{size[1]}"')
    attrs.append('loading="lazy" decoding="async"')
    img = f"<img {' '.join(attrs)}>"
    caption = token.attrGet("title")
    if token.meta.get("figure") and caption:
        return f"{img}\n<figcaption>{escape(caption)}</figcaption>"
    return img


def _local_path(href: str, base_path: str) -> str | None:
    """The site-root-relative path of a local URL, or None for external ones."""
    if href.startswith(base_path):
        return href[len(base_path):]
    return None


def _normalise(text: str) -> str:
    return " ".join(text.casefold().split()).strip(" .")


def render_markdown(body: str, settings: RenderSettings = RenderSettings(), table_label: str = "Table") -> Rendered:
    md = _parser()
    env: dict = {"table_label": table_label, "shift_headings": settings.content.shift_headings}
    tokens = md.parse(body, env)
    raw = check_raw_html(tokens, settings.content)
    errors = list(raw.problems) + _too_deep(tokens)
    found = _Found()
    line = 1
    for index, token in enumerate(tokens):
        if token.map:
            line = token.map[0] + 1
        if token.type == "heading_open":
            level = int(token.tag[1])
            text = tokens[index + 1].content
            if level == 1:
                found.problems.append(BodyProblem(
                    line, f"a level-1 heading ('# {text}') in the body",
                    "the headline is the page's only h1: start body headings at '##' "
                    "(or set content.headings: shift in site.yaml)", "multiple-h1", text))
            found.headings.append(Heading(level, text, str(token.attrGet("id") or "")))
        elif token.type == "paragraph_open":
            inline = tokens[index + 1]
            children = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
            if len(children) == 1 and children[0].type == "image":
                token.meta["figure"] = tokens[index + 2].meta["figure"] = children[0].meta["figure"] = True
        elif token.type == "inline":
            _read_inline(token, line, md, env, settings, found)
    html = md.renderer.render(tokens, md.options, env)
    if raw.needs_cleaning:
        html = sanitize(html, settings.content)
    return Rendered(html, tuple(found.headings), tuple(found.links), tuple(found.images), tuple(found.problems),
                    tuple(errors))


def _too_deep(tokens: list[Token]) -> list[tuple[int, str, str]]:
    """A problem when the body reaches the nesting limit, where markdown-it would drop its text."""
    line = 1
    for token in tokens:
        if token.map:
            line = token.map[0] + 1
        if token.level >= MAX_NESTING - 1:
            return [(line, f"quotes or lists are nested more than {MAX_NESTING - 2} levels deep here, "
                           "and the text inside would be lost", "nest them less deeply")]
    return []


@dataclass
class _Found:
    """What a body's tokens hold besides its HTML."""

    problems: list[BodyProblem] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    images: list[BodyImage] = field(default_factory=list)


def _read_inline(token: Token, line: int, md: MarkdownIt, env: dict, settings: RenderSettings, found: _Found) -> None:
    """Links and images of one inline token, with their lines; images get their size and are checked."""
    for child in _walk(token.children or []):
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "link_open":
            found.links.append(Link(_rebase(child, "href", settings.base_path), line))
        elif child.type == "image":
            written = child.attrGet("src") or ""
            src = _rebase(child, "src", settings.base_path)
            alt = cast(RendererHTML, md.renderer).renderInlineAsText(child.children or [], md.options, env).strip()
            caption = (child.attrGet("title") or "").strip()
            local = _local_path(src, settings.base_path)
            if local is not None and local in settings.image_sizes:
                child.meta["size"] = settings.image_sizes[local]
            found.images.append(BodyImage(written, alt, caption, line))
            if not alt:
                found.problems.append(BodyProblem(
                    line, f"image '{written}' has no alt text",
                    f'describe the picture: ![What the photo shows]({written} "Caption")', "img-alt", written))
            elif caption and _normalise(alt) == _normalise(caption):
                found.problems.append(BodyProblem(
                    line, f"image '{written}' has the same alt text and caption",
                    "screen readers would read it twice: let the alt describe the picture and the caption add context",
                    "alt-caption", alt))


def _walk(tokens: list[Token]):
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def _rebase(token: Token, attr: str, base_path: str) -> str:
    """Site-root-relative URLs ('/images/a.jpg') move under the site's base path."""
    value = str(token.attrGet(attr) or "")
    if value.startswith("/") and not value.startswith("//") and base_path != "/":
        value = base_path + value[1:]
        token.attrSet(attr, value)
    return value
