"""Internal links, images and #anchors of the imported bodies, rewritten for the new site.

Every link and image address in a body (Markdown inline links and images, reference definitions,
and href/src attributes of raw HTML) is read as the old site would have served it, relative to
the post's old address or from the old site's root, on its own host too. Then:
- an old post's address (or one of its aliases) becomes the post's new address; an address that
  ends in a post's date and name (an older permalink, a link written by hand) does too;
- a file of the old site (an image, a PDF) is copied into static/ at the same path and linked
  from there; a page bundle's image (Hugo) is copied beside the old address of its post;
- a #anchor that the old engine generated (kramdown, GitHub and Hugo slug rules) becomes the id
  Broadsheet gives the same heading;
- anything else stays as it was: a missing file or page is then a link debt the build reports,
  a path of the old site that was not a post is listed for `links.outside`, and a full address
  on the old host (a WordPress upload when the uploads folder is not there) keeps working while
  the old host does, which the report counts.
Links are written from the site's root ("/politics/2019/..."): Broadsheet adds the base path.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from builder.content.markdown import render_markdown
from builder.importers.addresses import normal_address
from builder.importers.notes import Notes, line_at

# ](dest "title") and ](<dest>), reference definitions, src/href attributes
_INLINE = re.compile(r"(\]\(\s*)(<[^>\n]*>|[^\s)]+)")
_REFERENCE = re.compile(r"^( {0,3}\[[^\]\n]+\]:\s*)(<[^>\n]*>|\S+)", re.M)
_ATTRIBUTE = re.compile(r"""(\b(?:href|src)\s*=\s*)("[^"]*"|'[^']*')""", re.I)
_FENCE = re.compile(r"^(```|~~~)[^\n]*\n.*?^\1[^\n]*$", re.M | re.S)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg")


@dataclass
class Assets:
    """Files of the old site to copy into static/: source file -> path under static/."""

    files: dict[Path, str] = field(default_factory=dict)
    missing: Counter[str] = field(default_factory=Counter)

    def add(self, source: Path, target: str) -> str:
        self.files.setdefault(source, target)
        return "/" + self.files[source]


@dataclass(frozen=True)
class LinkContext:
    old_host: str  # netloc of the old site, to recognise its absolute links
    old_base: str  # the old site's base path, "/" or "/blog/"
    old_to_new: Mapping[str, str]  # normalised old address -> new address
    anchors: Callable[[str], Mapping[str, str]]  # new address -> {old id: new id}
    roots: tuple[Path, ...]  # folders whose files were served from the old site's root
    known_paths: frozenset[str]  # first segments of old pages that were not imported
    # An address no post had, matched to a post by its date and name (the old site changed its
    # permalink once, or the link was written by hand): the post's new address, or None.
    guess: Callable[[str], str | None] = lambda path: None


@dataclass
class LinkCounts:
    rewritten: int = 0
    guessed: int = 0  # of them, matched by the post's date and name (LinkContext.guess)
    old_host: int = 0  # full addresses on the old host that stay as they are (files not in the import)
    anchors: int = 0
    outside: Counter[str] = field(default_factory=Counter)  # first path segment -> links


def rewrite_body(body: str, *, origin: str, body_line: int, old_url: str, folders: tuple[Path, ...], ctx: LinkContext,
                 assets: Assets, counts: LinkCounts, notes: Notes, own_anchors: Mapping[str, str]) -> str:
    """The body with every internal address rewritten (see the module's docstring)."""
    fences = [(m.start(), m.end()) for m in _FENCE.finditer(body)]

    def rewrite(match: re.Match, image_hint: bool) -> str:
        if any(start <= match.start() < end for start, end in fences):
            return match.group(0)
        lead, written = match.group(1), match.group(2)
        quote = written[0] if written[:1] in "\"'<" else ""
        address = written[1:-1] if quote else written
        new = _rewrite(address, image_hint or _looks_like_image(body, match.start()), origin,
                       line_at(body, match.start(), body_line), old_url, folders, ctx, assets, counts, notes,
                       own_anchors)
        if new == address:
            return match.group(0)
        close = ">" if quote == "<" else quote
        return f"{lead}{quote}{new}{close}"

    body = _INLINE.sub(lambda m: rewrite(m, False), body)
    body = _REFERENCE.sub(lambda m: rewrite(m, False), body)
    return _ATTRIBUTE.sub(lambda m: rewrite(m, m.group(1).lower().startswith("src")), body)


def _looks_like_image(body: str, position: int) -> bool:
    start = body.rfind("![", 0, position)
    return start != -1 and "\n\n" not in body[start:position] and "](" not in body[start:position - 1]


def _rewrite(address: str, image: bool, origin: str, line: int, old_url: str, folders: tuple[Path, ...],
             ctx: LinkContext,
             assets: Assets, counts: LinkCounts, notes: Notes, own_anchors: Mapping[str, str]) -> str:
    parts = urlsplit(address)
    other_host = parts.netloc and parts.netloc.lower() != ctx.old_host
    if (parts.scheme and parts.scheme not in ("http", "https")) or other_host:
        return address  # mailto:, data:, another host
    if not parts.path:  # "#id" on the same page
        return _same_page(address, parts.fragment, own_anchors, counts)
    path = unquote(parts.path)
    if not path.startswith("/"):
        for folder in folders:  # a page bundle's file, or one beside the post
            if (folder / path).is_file():
                target = posixpath.normpath(posixpath.join(_dir(old_url), path))
                return _copy(folder / path, target, assets, notes, origin, line)
        path = posixpath.normpath(posixpath.join("/" + _dir(old_url), path))
    elif path.startswith(ctx.old_base) and ctx.old_base != "/":
        path = "/" + path[len(ctx.old_base):]
    site_path = path.lstrip("/")
    new = _to_post(site_path, unquote(parts.fragment), ctx, counts)
    if new is not None:
        return new
    fragment = "#" + parts.fragment if parts.fragment else ""
    copied = _to_file(site_path, ctx, assets, notes, origin, line)
    if copied is not None:
        return copied + fragment
    if parts.netloc:  # a full address of the old host that is neither a post nor a file here: kept
        counts.old_host += 1
        return address
    if image or site_path.lower().endswith(IMAGE_SUFFIXES):
        assets.missing[origin] += 1
        notes.problem("image or file that is not in the old site (left as it was)", origin, line, address)
    elif site_path.split("/", 1)[0] in ctx.known_paths:
        counts.outside[site_path.split("/", 1)[0]] += 1
    # From the site's root, as the new site reads it (the old base path and the post's folder gone).
    return "/" + site_path + ("?" + parts.query if parts.query else "") + fragment


def _same_page(address: str, fragment: str, own_anchors: Mapping[str, str], counts: LinkCounts) -> str:
    translated = own_anchors.get(unquote(fragment))
    if translated and translated != fragment:
        counts.anchors += 1
        return "#" + translated
    return address


def _to_post(site_path: str, fragment: str, ctx: LinkContext, counts: LinkCounts) -> str | None:
    """The new address of the post an old address (or a guess from its date and name) names."""
    new = ctx.old_to_new.get(normal_address(site_path))
    if new is None:
        new = ctx.guess(site_path)
        if new is None:
            return None
        counts.guessed += 1
    counts.rewritten += 1
    if fragment:
        translated = ctx.anchors(new).get(fragment, fragment)
        if translated != fragment:
            counts.anchors += 1
        fragment = translated
    return "/" + new + ("#" + fragment if fragment else "")


def _to_file(site_path: str, ctx: LinkContext, assets: Assets, notes: Notes, origin: str, line: int) -> str | None:
    """A file of the old site, copied to the same path under static/."""
    if not site_path or _private(site_path):
        return None
    for root in ctx.roots:
        if (root / site_path).is_file():
            return _copy(root / site_path, site_path, assets, notes, origin, line)
    return None


def _dir(old_url: str) -> str:
    """The folder an old page's relative links start from."""
    return old_url if old_url.endswith("/") else posixpath.dirname(old_url)


def _private(path: str) -> bool:
    return any(part.startswith(("_", ".")) for part in path.split("/"))


def _copy(source: Path, target: str, assets: Assets, notes: Notes, origin: str, line: int) -> str:
    target = target.lstrip("/")
    if source in assets.files:
        return "/" + assets.files[source]
    try:
        with source.open("rb") as file:
            head = file.read(64 * 1024)
    except OSError as exc:
        notes.problem(f"file that cannot be read ({exc.strerror or exc}; not copied)", origin, line, str(source))
        return "/" + target
    if target.lower().endswith(IMAGE_SUFFIXES[:-1]) and not _readable_image(source, head):
        notes.problem("image that cannot be read as an image (copied as it is)", origin, line, str(source))
    return assets.add(source, target)


def _readable_image(source: Path, head: bytes) -> bool:
    from io import BytesIO

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(BytesIO(head) if len(head) < 64 * 1024 else source) as image:
            image.size  # noqa: B018 (reading the header is the check)
    except (OSError, UnidentifiedImageError, ValueError):
        return False
    return True


# Anchors ----------------------------------------------------------------------------------------

_HEADING_ATTRIBUTES = re.compile(r"^( {0,3}#{1,6}[ \t][^\n]*?)[ \t]+\{:?[ \t]*([^}\n]*)\}[ \t]*$", re.M)


def strip_heading_ids(body: str) -> tuple[str, dict[str, str]]:
    """Heading attribute lists (`## Title {#custom-id .class}`, kramdown's `{: #id}`), which Broadsheet
    does not read, removed; and {the heading as written: its custom id} for the anchors."""
    custom: dict[str, str] = {}

    def strip(match: re.Match) -> str:
        ids = re.findall(r"#([\w-]+)", match.group(2))
        if ids:
            custom[plain_heading(match.group(1).lstrip(" #"))] = ids[0]
        return match.group(1)

    return _HEADING_ATTRIBUTES.sub(strip, body), custom


def heading_ids(body: str, style: str, custom: Mapping[str, str] | None = None) -> dict[str, str]:
    """{id the old engine gave a heading: id Broadsheet gives it} for the body's headings. `custom`:
    the ids the old body set itself (strip_heading_ids)."""
    headings = render_markdown(body).headings
    seen: Counter[str] = Counter()
    found: dict[str, str] = {}
    for heading in headings:
        written = plain_heading(heading.text)
        if custom and written in custom and heading.id:
            found.setdefault(custom[written], heading.id)
        old = old_heading_id(written, style)
        n = seen[old]
        seen[old] += 1
        key = old if n == 0 else f"{old}-{n}"
        if heading.id and key not in found:
            found[key] = heading.id
    return found


def plain_heading(text: str) -> str:
    """A heading's inline Markdown as the text engines slug: emphasis, code marks and link targets gone."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\{[#:.][^}]*\}\s*$", "", text)  # a kramdown or attribute list
    return re.sub(r"[*`]|(?<!\w)_|_(?!\w)", "", text).strip()


def old_heading_id(text: str, style: str) -> str:
    if style == "kramdown":  # kramdown's own parser: ASCII letters and digits, no leading non-letter
        text = re.sub(r"^[^a-zA-Z]+", "", text)
        text = re.sub(r"[^a-zA-Z0-9 -]", "", text).replace(" ", "-").lower()
        return text or "section"
    text = unicodedata.normalize("NFC", text).lower()
    text = "".join(c for c in text if c.isalnum() or c in " -_" or unicodedata.category(c)[0] == "M")
    return text.replace(" ", "-")
