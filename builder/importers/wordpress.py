"""A WordPress export (WXR) -> OldSite: posts with their authors, categories, tags, images and old addresses.

SOURCE is the export file, or a folder holding one (*.xml) and, optionally, the site's
wp-content/uploads: then images are copied into static/ at the same paths; without it they stay
where they are (on the old host, which the report says).

- Only items of type `post` are imported; pages, attachments and menu items are not posts (pages
  are counted in the report). `draft`, `pending`, `private` and `future` posts stay drafts.
- Authors (login -> display name), categories (the first decides the section; the others become
  tags) and tags.
- Featured images (`_thumbnail_id`) and every image of an attachment get the alt text WordPress
  stores for the attachment (`_wp_attachment_image_alt`) when the HTML has none.
- `[caption]` shortcodes and Gutenberg image blocks become <figure> with <figcaption> and alt;
  `[embed]` becomes a link; other shortcodes are removed and noted. Gutenberg's block comments
  are stripped; all other HTML is kept, with paragraphs made as WordPress made them (wpautop).
- Old addresses: the item's permalink, and `?p=ID` (as an alias; links to ?p=ID are rewritten).

A file that is not a WXR export, or XML that breaks off, is an error naming the line.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from builder.content.urls import slugify
from builder.importers.frontmatter import parse_date
from builder.importers.model import ImportFailed, OldAuthor, OldImage, OldPost, OldSite
from builder.importers.notes import Notes

NS = {"wp": "http://wordpress.org/export/1.2/", "content": "http://purl.org/rss/1.0/modules/content/",
      "excerpt": "http://wordpress.org/export/1.2/excerpt/", "dc": "http://purl.org/dc/elements/1.1/"}
DRAFT_STATES = {"draft", "pending", "private", "future", "auto-draft"}
_BLOCK_TAGS = ("p", "div", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "table",
               "hr", "dl", "section", "aside", "address", "iframe", "video", "audio", "form", "details", "!--")


def read_wordpress(source: Path) -> OldSite:
    export = _export_file(source)
    try:
        root = ET.parse(export).getroot()
    except ET.ParseError as exc:
        raise ImportFailed(f"the export is not valid XML ({exc.msg if hasattr(exc, 'msg') else exc})",
                           "export the site again (Tools > Export in WordPress); the file may be cut short", export,
                           exc.position[0] if exc.position else None) from None
    channel = root.find("channel")
    if root.tag != "rss" or channel is None or channel.find("wp:wxr_version", NS) is None:
        raise ImportFailed("the file is not a WordPress export (WXR): no <rss><channel> with <wp:wxr_version>",
                           "export the site from WordPress: Tools > Export > All content", export, 1)
    notes = Notes()
    base = _text(channel, "wp:base_blog_url") or _text(channel, "link") or "https://example.org"
    authors = {_text(a, "wp:author_login"): OldAuthor(_text(a, "wp:author_login"),
                                                      _text(a, "wp:author_display_name") or _text(a, "wp:author_login"))
               for a in channel.findall("wp:author", NS)}
    items = channel.findall("item")
    attachments = {_text(i, "wp:post_id"): i for i in items if _text(i, "wp:post_type") == "attachment"}
    alts = {_text(i, "wp:attachment_url"): _meta(i, "_wp_attachment_image_alt") for i in attachments.values()}
    kinds = Counter(_text(i, "wp:post_type") for i in items)
    for kind, count in sorted(kinds.items()):
        if kind not in ("post", "attachment"):
            notes.drop(f"WordPress {kind or 'item'} items (not posts)", export.name, None, f"{count}")
    posts_xml = [i for i in items if _text(i, "wp:post_type") == "post"]
    by_id = {_text(i, "wp:post_id"): _site_path(_text(i, "link"), base) for i in posts_xml}
    offsets = Counter(_offset(i) for i in posts_xml)
    zone_offset = offsets.most_common(1)[0][0] if offsets else 0
    zone = _zone_name(zone_offset)
    uploads = export.parent if (export.parent / "wp-content").is_dir() else None
    lines = _item_lines(export)
    posts = []
    for index, item in enumerate(posts_xml):
        origin = f"{export.name} (post {_text(item, 'wp:post_id')})"
        posts.append(_post(item, origin, lines[index] if index < len(lines) else 1, base, by_id, attachments, alts,
                           notes, zone_offset))
    pages = [_site_path(_text(i, "link"), base) for i in items if _text(i, "wp:post_type") == "page"]
    language = (_text(channel, "language") or "en").split("-")[0].lower() or "en"
    return OldSite(
        engine="wordpress", source=source, title=_text(channel, "title") or export.stem,
        base_url=base.rstrip("/") + "/", language=language, timezone=zone, permalink="the posts' <link>",
        posts=tuple(posts), authors=tuple(a for a in authors.values() if a.key),
        static_roots=(uploads,) if uploads else (), anchor_style="github",
        known_paths=frozenset(p.split("/", 1)[0] for p in pages if p and "?" not in p), notes=notes,
    )


def _export_file(source: Path) -> Path:
    if source.is_file():
        return source
    found = sorted(source.glob("*.xml"))
    if len(found) != 1:
        raise ImportFailed(f"holds {len(found)} .xml files: give the WordPress export file itself",
                           "broadsheet import wordpress export.xml --site NEW_FOLDER", source)
    return found[0]


def _text(element: ET.Element, path: str) -> str:
    found = element.find(path, NS)
    return (found.text or "").strip() if found is not None else ""


def _meta(item: ET.Element, key: str) -> str:
    for meta in item.findall("wp:postmeta", NS):
        if _text(meta, "wp:meta_key") == key:
            return _text(meta, "wp:meta_value")
    return ""


def _site_path(url: str, base: str) -> str:
    """An address of the old site, relative to its root: 'https://x.org/2019/03/a/' -> '2019/03/a/'."""
    parts, root = urlsplit(url), urlsplit(base)
    path = parts.path
    if root.path and root.path != "/" and path.startswith(root.path.rstrip("/") + "/"):
        path = path[len(root.path.rstrip("/")):]
    path = path.lstrip("/")
    return path + ("?" + parts.query if parts.query else "")


def _offset(item: ET.Element) -> int:
    """The post's offset from UTC in hours, from its local and GMT dates."""
    local, gmt = _text(item, "wp:post_date"), _text(item, "wp:post_date_gmt")
    try:
        difference = datetime.fromisoformat(local) - datetime.fromisoformat(gmt)
    except ValueError:
        return 0
    return round(difference / timedelta(hours=1))


def _zone_name(hours: int) -> str:
    """An IANA zone for a fixed offset (the export has no zone name): Etc/GMT-4 is UTC+4."""
    return "UTC" if hours == 0 or abs(hours) > 12 else f"Etc/GMT{'-' if hours > 0 else '+'}{abs(hours)}"


def _item_lines(export: Path) -> list[int]:
    """The line each post item starts on, for the report (ElementTree keeps no lines)."""
    found = []
    try:
        with export.open(encoding="utf-8", errors="replace") as text:
            item_line = None
            for number, line in enumerate(text, 1):
                if "<item>" in line:
                    item_line = number
                if "<wp:post_type><![CDATA[post]]></wp:post_type>" in line or "<wp:post_type>post</wp:post_type>" \
                        in line:
                    found.append(item_line or number)
    except OSError:
        return []
    return found


def _post(item: ET.Element, origin: str, line: int, base: str, by_id: dict[str, str], attachments: dict,
          alts: dict[str, str], notes: Notes, zone_offset: int) -> OldPost:
    post_id = _text(item, "wp:post_id")
    gmt = _text(item, "wp:post_date_gmt")
    local = _text(item, "wp:post_date")
    published = _published(local, gmt, item, zone_offset)
    status = _text(item, "wp:status")
    categories = [c.text.strip() for c in item.findall("category") if c.get("domain") == "category" and c.text]
    tags = [c.text.strip() for c in item.findall("category") if c.get("domain") == "post_tag" and c.text]
    body = convert_content(_text(item, "content:encoded"), origin, line, by_id, base, alts, attachments, notes)
    image = None
    thumbnail = _meta(item, "_thumbnail_id")
    if thumbnail and thumbnail in attachments:
        attachment = attachments[thumbnail]
        url = _text(attachment, "wp:attachment_url")
        image = OldImage(url, _meta(attachment, "_wp_attachment_image_alt") or None, _text(attachment,
                                                                                              "excerpt:encoded"))
    old_url = _site_path(_text(item, "link"), base)
    title = html.unescape(_text(item, "title"))
    slug = _text(item, "wp:post_name") or slugify(title) or f"post-{post_id}"  # a draft has no post_name yet
    if "?" in old_url:  # a draft has no pretty address yet
        old_url = ""
    excerpt = html.unescape(re.sub(r"<[^>]+>", "", _text(item, "excerpt:encoded"))).strip()
    return OldPost(
        origin=origin, line=line, title=title or slug, published=published,
        slug=slug, body=body, body_line=line, old_url=old_url, category=categories[0] if categories else "",
        authors=tuple(a for a in [_text(item, "dc:creator")] if a), tags=tuple([*categories[1:], *tags]),
        summary=excerpt, draft=status in DRAFT_STATES, image=image,
        aliases=(f"?p={post_id}",) if post_id else (),
    )


def _published(local: str, gmt: str, item: ET.Element, zone_offset: int) -> datetime:
    zone = ZoneInfo("UTC")
    try:
        moment = datetime.fromisoformat(gmt).replace(tzinfo=UTC) if gmt and not gmt.startswith("0000") else None
    except ValueError:
        moment = None
    if moment is None:
        moment = parse_date(_text(item, "pubDate"), zone) or parse_date(local, zone) or datetime(1970, 1, 1,
                                                                                                  tzinfo=UTC)
    return moment.astimezone(_fixed(zone_offset if not gmt else _offset(item)))


def _fixed(hours: int):
    from datetime import timezone

    return timezone(timedelta(hours=hours))


# Content ---------------------------------------------------------------------------------------

_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:[^>]*?-->\n?", re.S)
_IMAGE_BLOCK = re.compile(r"<!--\s*wp:image\s*(\{.*?\})?\s*-->(.*?)<!--\s*/wp:image\s*-->", re.S)
_CAPTION = re.compile(r"\[caption([^\]]*)\](.*?)\[/caption\]", re.S)
_SHORTCODE = re.compile(r"\[(/?)([a-z][\w-]*)([^\]]*)\]")
_IMG = re.compile(r"<img\b[^>]*>", re.I)
_ATTR = re.compile(r"""\b([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_P_LINK = re.compile(r"""(href\s*=\s*["'])([^"']*[?&]p=(\d+)[^"']*)(["'])""", re.I)


def convert_content(text: str, origin: str, line: int, by_id: dict[str, str], base: str, alts: dict[str, str],
                    attachments: dict, notes: Notes) -> str:
    text = text.replace("\r\n", "\n")
    text = _IMAGE_BLOCK.sub(lambda m: _image_block(m, alts, attachments, notes), text)
    if n := len(_BLOCK_COMMENT.findall(text)):
        notes.convert("Gutenberg block comments stripped", n)
        text = _BLOCK_COMMENT.sub("", text)
    text = _CAPTION.sub(lambda m: _caption(m, alts, attachments, notes), text)
    text = _IMG.sub(lambda m: _with_alt(m.group(0), alts, attachments), text)
    text = _SHORTCODE.sub(lambda m: _shortcode(m, origin, line, notes), text)
    text = _P_LINK.sub(lambda m: _p_link(m, by_id, base, notes), text)
    return _autop(text)


def _image_block(match: re.Match, alts: dict[str, str], attachments: dict, notes: Notes) -> str:
    settings: dict = {}
    with contextlib.suppress(json.JSONDecodeError):
        settings = json.loads(match.group(1)) if match.group(1) else {}
    inner = match.group(2).strip()
    attachment = attachments.get(str(settings.get("id", "")))
    alt = _meta(attachment, "_wp_attachment_image_alt") if attachment is not None else ""
    inner = _IMG.sub(lambda m: _with_alt(m.group(0), alts, attachments, alt), inner)
    if not inner.startswith("<figure"):
        inner = f"<figure>{inner}</figure>"
    notes.convert("Gutenberg image blocks (figures)")
    return "\n\n" + inner + "\n\n"


def _caption(match: re.Match, alts: dict[str, str], attachments: dict, notes: Notes) -> str:
    inner = match.group(2).strip()
    last_tag = max(inner.rfind(">"), 0)
    image, caption = inner[: last_tag + 1], inner[last_tag + 1:].strip()
    attrs = dict((m.group(1), m.group(2) or m.group(3) or "") for m in _ATTR.finditer(match.group(1)))
    caption = caption or attrs.get("caption", "")
    attachment_id = attrs.get("id", "").removeprefix("attachment_")
    attachment = attachments.get(attachment_id)
    alt = _meta(attachment, "_wp_attachment_image_alt") if attachment is not None else ""
    image = _IMG.sub(lambda m: _with_alt(m.group(0), alts, attachments, alt), image)
    notes.convert("[caption] shortcodes (figures)")
    return f"\n\n<figure>{image}<figcaption>{caption}</figcaption></figure>\n\n"


def _with_alt(tag: str, alts: dict[str, str], attachments: dict, alt: str = "") -> str:
    """An <img> with the alt text WordPress stores for its attachment, when the tag has none."""
    attrs = {m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3) for m in _ATTR.finditer(tag)}
    if (attrs.get("alt") or "").strip():
        return tag
    if not alt:
        wp_id = re.search(r"wp-image-(\d+)", attrs.get("class", ""))
        attachment = attachments.get(wp_id.group(1)) if wp_id else None
        alt = _meta(attachment, "_wp_attachment_image_alt") if attachment is not None else ""
    if not alt:
        src = attrs.get("src", "")
        alt = alts.get(src) or alts.get(re.sub(r"-\d+x\d+(\.\w+)$", r"\1", src), "")
    if not alt:
        # No alt text anywhere: the debt stays visible (no alt attribute at all, never alt="").
        return re.sub(r"\s+alt\s*=\s*(\"\"|'')", "", tag)
    escaped = html.escape(alt, quote=True)
    if re.search(r"\balt\s*=", tag):
        return re.sub(r"\balt\s*=\s*(\"\"|'')", f'alt="{escaped}"', tag, count=1)
    return tag.replace("<img", f'<img alt="{escaped}"', 1)


def _shortcode(match: re.Match, origin: str, line: int, notes: Notes) -> str:
    closing, name = match.group(1), match.group(2)
    if name == "embed":
        return ""  # [embed]URL[/embed]: the URL stays, as a bare link on its own line
    if not closing:
        notes.drop(f"WordPress shortcode [{name}]", origin, line, match.group(0))
    return ""


def _p_link(match: re.Match, by_id: dict[str, str], base: str, notes: Notes) -> str:
    path = by_id.get(match.group(3))
    if path is None or "?" in path:
        return match.group(0)
    notes.convert("links to ?p=ID")
    return f"{match.group(1)}/{path}{match.group(4)}"


def _autop(text: str) -> str:
    """Paragraphs as WordPress's wpautop makes them: a blank line between paragraphs, <br> for a line
    break; a chunk that starts with a block element stays as it is. Lines are unindented outside
    <pre> (Markdown would read four spaces as code)."""
    chunks = re.split(r"\n\s*\n", text.strip())
    out = []
    in_pre = False
    for chunk in chunks:
        if not in_pre and not re.search(r"<pre\b", chunk, re.I):
            chunk = "\n".join(line.lstrip() for line in chunk.split("\n"))
        opens, closes = len(re.findall(r"<pre\b", chunk, re.I)), len(re.findall(r"</pre>", chunk, re.I))
        starts_block = re.match(r"<(" + "|".join(_BLOCK_TAGS) + r")[\s>/]", chunk, re.I) or chunk.startswith("<!--")
        if in_pre or starts_block or not chunk:
            out.append(chunk)
        else:
            out.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
        in_pre = (in_pre or opens > closes) and not (closes > opens)
    return "\n\n".join(out) + "\n"
