"""A Jekyll site -> OldSite: _config.yml, every _posts folder, authors from _data.

- `_config.yml`: title, url and baseurl (the new base_url), permalink (the old addresses),
  timezone and lang.
- Posts: every `_posts` folder (`_posts/`, `news/_posts/`, `en/news/_posts/`), files named
  YYYY-MM-DD-title.ext; the date comes from the front matter or the file name. Folders above a
  `_posts` are categories, as in Jekyll, except a language folder (`en/`, `ja/`), which gives the
  post its language: a multilingual layout with one `_posts` per language.
- Categories (the first one decides the section, the others become tags), tags, `author` as a
  key of `_data/authors.yml` (or `team.yml`, `members.yml`) or as a name, `published: false` (a
  draft), `permalink` and `redirect_from` (more old addresses), `image` and `excerpt`.
- Liquid in bodies: importers.liquid.

Old addresses are computed as Jekyll computes them (`Jekyll::URL`): the built-in styles (date,
pretty, ordinal, none) and any pattern of :year, :month, :day, :i_month, :i_day, :short_year,
:y_day, :hour, :minute, :second, :title, :slug, :categories and :output_ext.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from builder.checks.fast import known_language
from builder.config.yamltext import YamlSyntaxError, parse_yaml
from builder.content.urls import slugify
from builder.importers.frontmatter import FrontMatterProblem, parse_date, split_old, text_list
from builder.importers.liquid import LiquidContext, convert_liquid
from builder.importers.model import ImportFailed, OldAuthor, OldImage, OldPost, OldSite
from builder.importers.notes import Notes

POST_NAME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-(.+)\.(md|markdown|mkd|mkdn|mdown|html|htm)$", re.I)
STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
KNOWN_FIELDS = {"title", "date", "categories", "category", "tags", "tag", "author", "authors", "published", "permalink",
                "redirect_from", "image", "excerpt", "description", "lang", "language", "slug", "layout",
                "last_modified_at", "updated"}
QUIET_FIELDS = {"layout"}  # every Jekyll post has one; it means nothing without the old theme


def read_jekyll(source: Path) -> OldSite:
    config = _config(source)
    zone = _zone(config.get("timezone"))
    folders = sorted(p for p in source.rglob("_posts") if p.is_dir() and not _hidden(p.relative_to(source)))
    if not folders:
        raise ImportFailed("no _posts folder: it does not look like a Jekyll site",
                           "give the folder with _config.yml and _posts/ (or language folders such as en/_posts/)",
                           source)
    notes = Notes()
    if not config:
        notes.problem("no _config.yml: the title and base_url in site.yaml are placeholders, set them", "_config.yml",
                      None)
    site_lang = str(config.get("lang") or config.get("language") or "en")
    permalink = str(config.get("permalink") or "date")
    drafts: list[tuple[Path, str, str | None, list[str]]] = []
    for folder in folders:
        parts = list(folder.relative_to(source).parts[:-1])  # Jekyll's categories from folders
        lang = parts[0] if parts and _is_language(parts[0]) and len(folders) > 1 else None
        for file in sorted(folder.rglob("*")):
            if not file.is_file() or _hidden(file.relative_to(folder)):
                continue
            if not POST_NAME.match(file.name):
                notes.drop("file in _posts without a YYYY-MM-DD-title name", _shown(source, file), None)
                continue
            drafts.append((file, _shown(source, file), lang, parts))

    first_pass = [_read_meta(file, shown, lang, parts, zone, permalink, config, notes)
                  for file, shown, lang, parts in drafts]
    read = [r for r in first_pass if r is not None]
    by_stem = {r["file"].stem: r["old_url"] for r in read}
    by_path = {r["shown"]: r["old_url"] for r in read}

    def post_url(name: str) -> str | None:
        stem = name.rsplit("/", 1)[-1]
        found = by_stem.get(stem)
        return "/" + found if found is not None else None

    def link(path: str) -> str | None:
        found = by_path.get(path.strip().lstrip("/"))
        return "/" + found if found is not None else None

    posts = []
    for r in read:
        ctx = LiquidContext(r["shown"], r["body_line"], post_url, link, config, r["meta"])
        body = convert_liquid(r["body"], ctx, notes)
        posts.append(OldPost(
            origin=r["shown"], line=1, title=r["title"], published=r["published"], slug=r["slug"], body=body,
            body_line=r["body_line"], old_url=r["old_url"], category=r["category"], lang=r["lang"],
            authors=tuple(r["authors"]), tags=tuple(r["tags"]), summary=r["summary"], draft=r["draft"],
            updated=r["updated"], image=r["image"], aliases=tuple(r["aliases"]), folders=(r["file"].parent,),
            translation_key=r["file"].name if r["lang"] else "",
        ))
    url = str(config.get("url") or "https://example.org").rstrip("/")
    base = "/" + str(config.get("baseurl") or "").strip("/")
    return OldSite(
        engine="jekyll", source=source, title=str(config.get("title") or source.name),
        base_url=url + (base.rstrip("/") + "/"), language=site_lang if known_language(site_lang) else "en",
        timezone=zone.key, permalink=permalink, posts=tuple(posts), authors=_authors(source, notes),
        static_roots=(source,), known_paths=_known_paths(source), anchor_style=_anchor_style(config), notes=notes,
    )


def _anchor_style(config: dict) -> str:
    """How the old site made heading ids: Jekyll's kramdown reads GitHub Flavored Markdown unless
    _config.yml says `kramdown: {input: kramdown}` (then kramdown's own rules)."""
    kramdown = config.get("kramdown")
    read = str(kramdown.get("input") or "GFM") if isinstance(kramdown, dict) else "GFM"
    return "kramdown" if read.lower() == "kramdown" else "github"


def _config(source: Path) -> dict[str, Any]:
    for name in ("_config.yml", "_config.yaml"):
        path = source / name
        if path.is_file():
            try:
                data = parse_yaml(path.read_text(encoding="utf-8")).data
            except (YamlSyntaxError, UnicodeDecodeError) as exc:
                raise ImportFailed(f"cannot be read: {exc}", "fix the file, or move it away to use defaults",
                                   path, getattr(exc, "line", None)) from None
            return data if isinstance(data, dict) else {}
    return {}


def _zone(name: Any) -> ZoneInfo:
    try:
        return ZoneInfo(str(name)) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _hidden(rel: Path) -> bool:
    return any(part.startswith(".") or part in ("_site", "node_modules", "vendor") for part in rel.parts)


def _is_language(segment: str) -> bool:
    return len(segment) <= 8 and known_language(segment)


def _shown(source: Path, file: Path) -> str:
    return file.relative_to(source).as_posix()


def _read_meta(file: Path, shown: str, lang: str | None, folders: list[str], zone: ZoneInfo, permalink: str,
               config: dict, notes: Notes) -> dict | None:
    """A post's fields and old address; its body is converted once every post's address is known."""
    match = POST_NAME.match(file.name)
    assert match is not None
    try:
        text = file.read_text(encoding="utf-8")
        old = split_old(text)
    except UnicodeDecodeError:
        notes.problem("post that is not UTF-8 text (left out)", shown, None)
        return None
    except FrontMatterProblem as exc:
        notes.problem(f"post with broken front matter (left out): {exc}", shown, exc.line)
        return None
    meta = old.meta
    for key in sorted(set(meta) - KNOWN_FIELDS):
        notes.drop(f"front matter field '{key}'", shown, old.lines.get(key))
    title_part = match.group(4)
    published = parse_date(meta.get("date"), zone) if meta.get("date") is not None else None
    if published is None:
        if meta.get("date") is not None:
            notes.problem("date that cannot be read (the file name's date is used)", shown, old.lines.get("date"),
                          str(meta.get("date")))
        published = datetime(int(match.group(1)), int(match.group(2)), int(match.group(3)), tzinfo=zone)
    own = [*_jekyll_list(meta.get("categories")), *_jekyll_list(meta.get("category"))]
    url_categories = list(dict.fromkeys(c for c in [*folders, *own] if c))
    cats = [c for c in url_categories if c != lang]  # a language folder is not a section
    slug = str(meta.get("slug") or title_part)
    own_lang = str(meta.get("lang") or meta.get("language") or "") or lang
    url_pattern = str(meta.get("permalink") or permalink)
    old_url = jekyll_url(url_pattern, published if config.get("timezone") is None else published.astimezone(zone),
                         title_part, slug, url_categories, ".html")
    return {
        "file": file, "shown": shown, "meta": meta, "body": old.body, "body_line": old.body_line,
        "title": str(meta.get("title") or title_part.replace("-", " ").strip().capitalize()),
        "published": published, "slug": slug, "old_url": old_url, "category": cats[0] if cats else "",
        "lang": own_lang, "authors": text_list(meta.get("authors")) or text_list(meta.get("author")),
        "tags": [*cats[1:], *_jekyll_list(meta.get("tags")), *_jekyll_list(meta.get("tag"))],
        "summary": str(meta.get("excerpt") or meta.get("description") or "").strip(),
        "draft": meta.get("published") is False,
        "updated": parse_date(meta.get("last_modified_at") or meta.get("updated"), zone),
        "image": _image(meta.get("image")),
        "aliases": [a.lstrip("/") for a in text_list(meta.get("redirect_from")) if a.startswith("/")],
    }


def _jekyll_list(value: Any) -> list[str]:
    """Jekyll reads `categories: a b` as two categories."""
    if isinstance(value, str):
        return value.split()
    return text_list(value)


def _image(value: Any) -> OldImage | None:
    if isinstance(value, str) and value.strip():
        return OldImage(value.strip(), None)
    if isinstance(value, dict):
        src = next((str(value[k]) for k in ("path", "src", "url", "feature") if value.get(k)), "")
        alt = value.get("alt")
        if src:
            return OldImage(src, str(alt).strip() if isinstance(alt, str) and alt.strip() else None,
                            str(value.get("caption") or ""))
    return None


def jekyll_url(pattern: str, moment: datetime, title: str, slug: str, categories: list[str], ext: str = ".html") -> str:
    """The site-relative address Jekyll gives a post: 'release/2013/05/06/jekyll-1-0-0-released.html'."""
    pattern = STYLES.get(pattern, pattern)
    values = {
        "year": f"{moment.year:04d}", "month": f"{moment.month:02d}", "day": f"{moment.day:02d}",
        "i_month": str(moment.month), "i_day": str(moment.day), "short_year": f"{moment.year % 100:02d}",
        "y_day": f"{moment.timetuple().tm_yday:03d}", "hour": f"{moment.hour:02d}", "minute": f"{moment.minute:02d}",
        "second": f"{moment.second:02d}", "title": title, "slug": slugify(slug),
        "categories": "/".join(dict.fromkeys(c.lower() for c in categories)), "output_ext": ext,
        "week": f"{moment.isocalendar()[1]:02d}", "short_day": moment.strftime("%a"),
    }
    url = re.sub(r":(\w+)", lambda m: values.get(m.group(1), m.group(0)), pattern)
    url = re.sub(r"/+", "/", url)
    return url.lstrip("/")


def _authors(source: Path, notes: Notes) -> tuple[OldAuthor, ...]:
    for name in ("authors.yml", "authors.yaml", "team.yml", "team.yaml", "members.yml", "members.yaml"):
        path = source / "_data" / name
        if not path.is_file():
            continue
        try:
            data = parse_yaml(path.read_text(encoding="utf-8")).data
        except (YamlSyntaxError, UnicodeDecodeError) as exc:
            notes.problem(f"author data that cannot be read: {exc}", f"_data/{name}", getattr(exc, "line", None))
            return ()
        items = data.items() if isinstance(data, dict) else (
            (str(d.get("key") or d.get("id") or d.get("username") or d.get("name") or ""), d)
            for d in data if isinstance(d, dict)) if isinstance(data, list) else ()
        found = []
        for key, info in items:
            info = info if isinstance(info, dict) else {"name": str(info)}
            name = str(info.get("name") or info.get("display_name") or key)
            bio = str(info.get("bio") or info.get("description") or "").strip()
            if key:
                found.append(OldAuthor(str(key), name, bio))
        return tuple(found)
    return ()


def _known_paths(source: Path) -> frozenset[str]:
    """First path segments of the old site's other pages and folders: links to them leave the archive."""
    found = set()
    for entry in source.iterdir():
        name = entry.name
        if name.startswith((".", "_")) or name in ("Gemfile", "Gemfile.lock", "node_modules", "vendor"):
            continue
        if entry.is_dir() and not _is_language(name):
            found.add(name)
        elif entry.suffix.lower() in (".md", ".markdown", ".html") and entry.stem not in ("index", "404"):
            found.add(entry.stem)
    return frozenset(found)
