"""SourceFile -> Article: front matter validated, body rendered. Pure, one file at a time.

Every problem in a file is reported, each as path:line: field: message, so an editor can fix a
whole file in one pass.

Problems are of two kinds. Most make the page impossible (invalid YAML, a missing title or date,
an unknown section, a field of the wrong type): the file is left out. Accessibility and link
problems (an image without alt text, an alt text equal to its caption, a level-1 heading in the
body, an image file that does not exist) do not: `read_article` returns the article with them as
its `debts`, so the build can render and check its page and let an accessibility baseline accept
them (builder.checks.baseline). `parse_article` treats both kinds alike, as errors.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, tzinfo
from pathlib import PurePosixPath
from typing import Any

from builder.config.editions import Edition
from builder.config.languages import is_valid_tag, language_chain, text_direction
from builder.config.site import SiteConfig
from builder.config.yamltext import YamlSyntaxError
from builder.content.article import (
    TAG_CLASH_HINT,
    Article,
    AuthorRef,
    ContentContext,
    Correction,
    Image,
    Tag,
    Timestamp,
    same_tag_name,
)
from builder.content.frontmatter import FrontMatterError, split_front_matter
from builder.content.markdown import Rendered, RenderSettings, render_markdown
from builder.content.sources import SourceFile
from builder.content.urls import article_path, is_valid_slug, slugify
from builder.errors import BuildError, Debt

FIELDS = {
    "title", "date", "updated", "section", "authors", "tags", "summary", "lang", "slug", "draft", "image",
    "expires", "corrections", "aliases", "edition", "translation_key",
}
IMAGE_FIELDS = {"src", "alt", "caption", "credit", "decorative", "focus", "width", "height"}
# A week inside the calendar's ends: later stages add and subtract days (the news sitemap's window,
# the site's time zone), and 9999-12-31 overflowed there with a traceback.
EARLIEST = datetime(1, 1, 8, tzinfo=UTC)
LATEST = datetime(9999, 12, 24, tzinfo=UTC)


class _Fields:
    def __init__(self, source: SourceFile, meta):
        self.source, self.meta = source, meta
        self.errors: list[BuildError] = []  # the page cannot be made
        self.debts: list[BuildError] = []  # the page can be made, with an accessibility or link debt

    def error(self, keys: tuple, message: str, hint: str = "") -> None:
        name = ".".join(str(k) for k in keys) or None
        self.errors.append(BuildError(self.source.path, self.meta.line(*keys), name, message, hint))

    def debt(self, field: str, line: int | None, message: str, hint: str, rule: str, needle: str) -> None:
        self.debts.append(BuildError(self.source.path, line, field, message, hint, Debt(rule, needle, "content")))

    def text(self, data: dict, keys: tuple, required: bool = False) -> str:
        value = data.get(keys[-1])
        if value is None:
            if required:
                self.error(keys[:-1], f"missing required field '{keys[-1]}'")
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.error(keys, f"expected text, got {type(value).__name__}")
            return ""
        value = str(value).strip()
        if required and not value:
            self.error(keys, "must not be empty")
        return value

    def text_list(self, data: dict, key: str) -> list[tuple[int, str]]:
        value = data.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.error((key,), f"expected a list, got {type(value).__name__}", f"write {key}: [first, second]")
            return []
        out = []
        for i, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, (str, int, float)) or not str(item).strip():
                self.error((key, i), f"expected a name, got {item!r}")
            else:
                out.append((i, str(item).strip()))
        return out

    def moment(self, data: dict, key: str, tz: tzinfo, required: bool = False) -> Timestamp | None:
        value = data.get(key)
        if value is None:
            if required:
                self.error((), f"missing required field '{key}'", f"e.g. {key}: 2024-03-05T09:30:00+04:00")
            return None
        date_only = False
        if isinstance(value, datetime):
            moment = value
        elif isinstance(value, date):
            moment, date_only = datetime.combine(value, time()), True
        elif isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value.strip())
            except ValueError:
                self.error((key,), f"'{value}' is not an ISO 8601 date",
                           "write 2024-03-05, 2024-03-05T09:30 or 2024-03-05T09:30:00+04:00")
                return None
            date_only = not any(sep in value.strip() for sep in "T t:")
        else:
            self.error((key,), f"expected a date, got {type(value).__name__}")
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=tz)
        try:
            in_range = EARLIEST <= moment.astimezone(UTC) <= LATEST
        except OverflowError:  # 0001-01-01T00:00+14:00 is before the calendar starts in UTC
            in_range = False
        if not in_range:
            self.error((key,), f"'{value}' is outside the dates a site can have",
                       f"write a date between {EARLIEST:%Y-%m-%d} and {LATEST:%Y-%m-%d}")
            return None
        return Timestamp(moment, date_only)


def parse_article(source: SourceFile, ctx: ContentContext) -> Article | list[BuildError]:
    """The article, or every problem of the file (debts included) when it has any."""
    article = read_article(source, ctx)
    if isinstance(article, Article) and article.debts:
        return sorted(article.debts, key=lambda e: e.line or 0)
    return article


def read_article(source: SourceFile, ctx: ContentContext) -> Article | list[BuildError]:
    """The article with its debts; or, when a problem makes its page impossible, every problem."""
    config = ctx.config
    try:
        split = split_front_matter(source.text)
    except FrontMatterError as exc:
        return [BuildError(source.path, exc.line, None, str(exc), exc.hint)]
    except YamlSyntaxError as exc:  # without a line of its own: the front matter's first
        return [BuildError(source.path, exc.line or 2, None, str(exc))]
    f = _Fields(source, split.meta)
    data = split.meta.data
    if not isinstance(data, dict):
        return [BuildError(source.path, 2, None, "the front matter must be a mapping of fields",
                           "e.g. title: ..., date: ..., section: ...")]
    for key in data:
        if key not in FIELDS:
            f.error((key,), f"unknown field '{key}'", f"known fields: {', '.join(sorted(FIELDS))}")

    title = f.text(data, ("title",), required=True) or ""
    lang = _lang(f, data, config)
    edition = _edition(f, data, config, lang)
    if not data.get("lang"):
        lang = edition.code  # an article placed in an edition is in its language unless it says otherwise
    tz = edition.timezone  # of dates written without an offset, and of the date in the address
    published = f.moment(data, "date", tz, required=True)
    updated = f.moment(data, "updated", tz)
    if published and updated and updated.value < published.value:
        f.error(("updated",), "is earlier than the publication date")
    section = _section(f, data, config)
    translation_key = f.text(data, ("translation_key",))
    slug = f.text(data, ("slug",)) or slugify(PurePosixPath(source.path).stem)
    if not is_valid_slug(slug):
        f.error(("slug",), f"'{slug}' is not a valid slug",
                "use letters, digits and hyphens, e.g. council-votes-budget")
    image = _image(f, data.get("image"), ctx)
    expires = f.moment(data, "expires", tz)
    if published and expires and expires.value <= published.value:
        f.error(("expires",), "is not after the publication date")
    (tags, tag_lines), authors, summary = _tags(f, data), _authors(f, data, config, edition), f.text(data, ("summary",))
    draft = _flag(f, data, "draft")
    corrections, aliases = _corrections(f, data.get("corrections"), tz), _aliases(f, data.get("aliases"))
    rendered = _body(f, split.body, split.body_line, lang, ctx)

    if f.errors or published is None or not title:
        return sorted([*f.errors, *f.debts], key=lambda e: e.line or 0)
    return Article(
        source=PurePosixPath(source.path),
        digest=source.digest,
        title=title,
        published=published,
        updated=updated,
        section=section,
        lang=lang,
        dir=text_direction(lang),
        slug=slug,
        image=image,
        body=rendered,
        path=edition.path(article_path(config.article_permalink, section=section,
                                       published=published.value.astimezone(tz), slug=slug, lang=lang)),
        expires=expires,
        body_line=split.body_line,
        static_refs=_static_refs(image, rendered, ctx),
        authors=authors,
        tags=tags,
        summary=summary,
        draft=draft,
        corrections=corrections,
        aliases=aliases,
        tag_lines=tag_lines,
        body_bytes=len(rendered.html.encode("utf-8")),
        debts=tuple(f.debts),
        edition=edition.code,
        translation_key=translation_key,
        translation_line=(split.meta.line("translation_key") or 0) if translation_key else 0,
    )


def _edition(f: _Fields, data: dict, config: SiteConfig, lang: str) -> Edition:
    """The edition named by `edition:`, else the one in the article's language, else the default."""
    code = f.text(data, ("edition",))
    if code:
        found = config.edition(code)
        if found is None:
            f.error(("edition",), f"no edition '{code}' in site.yaml",
                    f"editions: {', '.join(e.code for e in config.editions)}")
        return found or config.default_edition
    for tag in language_chain(lang):
        found = config.edition(tag)
        if found is not None:
            return found
    return config.default_edition


def _section(f: _Fields, data: dict, config: SiteConfig) -> str:
    section = f.text(data, ("section",), required=True) or ""
    if section and config.section(section) is None:
        f.error(("section",), f"unknown section '{section}'",
                f"sections in site.yaml: {', '.join(s.key for s in config.sections)}")
    return section


def _lang(f: _Fields, data: dict, config: SiteConfig) -> str:
    lang = f.text(data, ("lang",)) or config.language
    if not is_valid_tag(lang):
        f.error(("lang",), f"'{lang}' is not a BCP 47 language tag", "e.g. en, hy, ru, ar, fa, pt-BR")
        lang = config.language
    return lang


def _authors(f: _Fields, data: dict, config: SiteConfig, edition: Edition) -> tuple[AuthorRef, ...]:
    """Authors as the article's edition names them (site.yaml's authors), or as written."""
    authors = []
    for i, name in f.text_list(data, "authors"):
        key = slugify(name)
        match = config.author(name) or next((a for a in config.authors if a.key == key or a.name == name), None)
        if match:
            named = edition.authors.get(match.key)
            authors.append(AuthorRef(match.key, named.name, named.bio) if named else
                           AuthorRef(match.key, match.name, match.bio))
        elif key:
            authors.append(AuthorRef(key, name))
        else:
            f.error(("authors", i), f"'{name}' cannot be made into an author page address")
    return tuple(authors)


def _tags(f: _Fields, data: dict) -> tuple[tuple[Tag, ...], tuple[int | None, ...]]:
    """The tags and the line of each. Two names that differ only in case are one tag; two that
    differ otherwise but give the same address ('C' and 'C++' both /tags/c/) are an error."""
    tags: list[Tag] = []
    lines: list[int | None] = []
    for i, name in f.text_list(data, "tags"):
        if key := slugify(name):
            same = next((t for t in tags if t.key == key), None)
            if same is None:
                tags.append(Tag(key, name))
                lines.append(f.meta.line("tags", i))
            elif same_tag_name(same.name, name):
                continue
            else:
                f.error(("tags", i), f"'{name}' and '{same.name}' would share one tag page, /tags/{key}/",
                        TAG_CLASH_HINT)
        else:
            f.error(("tags", i), f"'{name}' cannot be made into a tag page address")
    return tuple(tags), tuple(lines)



def _flag(f: _Fields, data: dict, key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        f.error((key,), f"expected true or false, got {value!r}")
        return False
    return value


def _body(f: _Fields, body: str, body_line: int, lang: str, ctx: ContentContext) -> Rendered:
    rendered = render_markdown(body, RenderSettings(ctx.config.base_path, ctx.image_sizes, ctx.config.content),
                               ctx.table_label(lang))
    for line, message, hint in rendered.errors:
        f.errors.append(BuildError(f.source.path, body_line + line - 1, "body", message, hint))
    for problem in rendered.problems:
        f.debt("body", body_line + problem.line - 1, problem.message, problem.hint, problem.rule, problem.needle)
    for body_image in rendered.images:
        _check_local(f, body_image.src, ctx, ("body",), body_line + body_image.line - 1)
    return rendered


def _static_refs(image: Image | None, rendered: Rendered, ctx: ContentContext):
    srcs = [image.src] if image else []
    srcs += [i.src for i in rendered.images]
    refs = {src.lstrip("/") for src in srcs if src.startswith("/") and not src.startswith("//")}
    return tuple((ref, ctx.image_sizes.get(ref)) for ref in sorted(refs))


def _corrections(f: _Fields, value: Any, tz: tzinfo) -> tuple[Correction, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        f.error(("corrections",), "expected a list of corrections",
                'e.g. corrections: [{date: 2024-03-06, text: "An earlier version gave the wrong vote count."}]')
        return ()
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            f.error(("corrections", i), "expected date and text fields")
            continue
        for key in item:
            if key not in ("date", "text"):
                f.error(("corrections", i, key), f"unknown field '{key}'", "a correction has date and text")
        stamp = f.moment(item, "date", tz)
        if stamp is None and "date" not in item:
            f.error(("corrections", i), "missing required field 'date'")
        text = f.text(item, ("corrections", i, "text"), required=True)
        if stamp and text:
            out.append(Correction(stamp, text))
    return tuple(sorted(out, key=lambda c: c.date.value))


# An old address of the site's root with one query parameter, as WordPress's /?p=123: no static file
# can answer it, so it gets no redirect page, only a line in _redirects (render.hosting) for hosts
# that match queries.
_QUERY_ALIAS = re.compile(r"^/\?[A-Za-z0-9_.-]+=[A-Za-z0-9_.%-]+$")


def _aliases(f: _Fields, value: Any) -> tuple[str, ...]:
    out = []
    for i, alias in f.text_list({"aliases": value}, "aliases"):
        query = "?" in alias and _QUERY_ALIAS.match(alias)
        if not alias.startswith("/") or ".." in alias.split("/") or ("?" in alias and not query) or "#" in alias:
            f.error(("aliases", i), f"'{alias}' is not a site path",
                    "write the old address from the site root, e.g. /news/2019/old-slug/ (or /?p=123)")
        else:
            out.append(alias.lstrip("/"))
    return tuple(out)


def _image(f: _Fields, value: Any, ctx: ContentContext) -> Image | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        f.error(("image",), "expected src, alt, caption and credit fields",
                'e.g. image: {src: /images/vote.jpg, alt: "What the photo shows", caption: "...", credit: "..."}')
        return None
    for key in value:
        if key not in IMAGE_FIELDS:
            f.error(("image", key), f"unknown field '{key}'", f"image fields: {', '.join(sorted(IMAGE_FIELDS))}")
    src = f.text(value, ("image", "src"), required=True)
    alt: str | None = f.text(value, ("image", "alt"))
    caption = f.text(value, ("image", "caption"))
    credit = f.text(value, ("image", "credit"))
    decorative = value.get("decorative", False)
    if not isinstance(decorative, bool):
        f.error(("image", "decorative"), f"expected true or false, got {decorative!r}")
        decorative = False
    if "alt" not in value:
        f.debt("image", f.meta.line("image"), "missing required field 'alt'",
               "describe what the picture shows; for a purely decorative picture write alt: \"\" and decorative: true",
               "img-alt", src)
        alt = None
    elif not alt and not decorative:
        f.debt("image.alt", f.meta.line("image", "alt"), "is empty",
               "describe what the picture shows; an empty alt is allowed only with decorative: true", "img-alt", src)
        alt = None
    elif alt and decorative:
        f.error(("image", "decorative"), "a decorative image must have alt: \"\"",
                "remove decorative: true or the alt text")
    elif alt and caption and " ".join(alt.casefold().split()) == " ".join(caption.casefold().split()):
        f.debt("image.alt", f.meta.line("image", "alt"), "is the same as the caption",
               "screen readers would read it twice: let the alt describe the picture and the caption add context",
               "alt-caption", alt)
    if src:
        _check_local(f, src, ctx, ("image", "src"))
    given = _given_size(f, value, remote=src.startswith(("http://", "https://")))
    size = ctx.image_sizes.get(src.lstrip("/")) if src.startswith("/") else given
    width, height = size or (None, None)
    return Image(src, alt, caption, credit, decorative, width, height, _focus(f, value.get("focus")))


def _given_size(f: _Fields, value: dict, remote: bool) -> tuple[int, int] | None:
    """width and height of a remote image, as the front matter gives them (local ones are measured)."""
    given = {key: value[key] for key in ("width", "height") if key in value}
    if not given:
        return None
    if not remote:
        f.error(("image", next(iter(given))), "is measured from the file for a local image",
                "remove width and height; they are for images on other sites (http or https)")
        return None
    for key, number in given.items():
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            f.error(("image", key), f"expected a whole number of pixels, got {number!r}")
            return None
    if len(given) == 1:
        f.error(("image",), f"missing field '{'height' if 'width' in given else 'width'}'",
                "give both width and height, or neither")
        return None
    return given["width"], given["height"]


def _focus(f: _Fields, value: Any) -> tuple[float, float] | None:
    """image.focus: [x, y], the point crops keep in view, as fractions of the width and height."""
    if value is None:
        return None
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1 for v in value)):
        f.error(("image", "focus"), f"expected [x, y] with numbers from 0 to 1, got {value!r}",
                "e.g. focus: [0.5, 0.3] keeps the point halfway across and a third down in view")
        return None
    return float(value[0]), float(value[1])


def _check_local(f: _Fields, src: str, ctx: ContentContext, keys: tuple, line: int | None = None) -> None:
    """A local image must exist under static/, so a typo fails the build instead of a broken page."""
    if src.startswith(("http://", "https://", "data:")):
        return
    field, line = ".".join(keys), line or f.meta.line(*keys)
    parts = src.split("?")[0].split("#")[0].split("/")
    hint = "write the path of a file under static/ starting with '/', e.g. /images/2024/vote.jpg"
    if ".." in parts or "." in parts or "\\" in src:
        # An error, never a debt; and the hint never echoes such a path: "put the file at
        # static/../../etc/passwd" invites a mistake.
        f.errors.append(BuildError(f.source.path, line, field, f"'{src}' is not a site path", hint))
    elif src.startswith("//") or not src.startswith("/"):
        f.debt(field, line, f"'{src}' is not a site path", hint, "broken-link", src)
    elif src.lstrip("/") not in ctx.static_paths:
        f.debt(field, line, f"'{src}' does not exist", f"put the file at static/{src.lstrip('/')}", "broken-link", src)
