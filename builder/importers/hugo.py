"""A Hugo site -> OldSite: its configuration, every dated page of content/, page bundles and translations.

- Configuration: hugo.toml|yaml|json or config.toml|yaml|json, at the top or in config/_default/;
  keys are read as Hugo reads them, in any case (baseURL, timeZone, defaultContentLanguage,
  languages with their contentDir, permalinks, uglyURLs, params).
- Pages: every Markdown (or HTML) file under the content folder with a date, with YAML (---),
  TOML (+++) or JSON front matter. A leaf bundle (a folder with index.md) is one page, and its
  other files are its resources (images beside the post). _index.md files are list pages, and
  pages without a date are not posts: both are noted, not imported.
- Languages: a content folder per language (contentDir, or content/en, content/ja when the
  folders are the configured languages), or a language suffix in the file name (post.ja.md). The
  same path in each language (or the same translationKey) is one post in several languages: the
  import links them as translations in language editions. Each language's title
  (languages.<lang>.title) and its sections' titles (the title of <section>/_index.md in each
  language) name its edition.
- The first folder is the section. Front matter: title, date (publishDate, pubDate), lastmod,
  draft, slug, url, aliases, tags, categories (tags), author(s), summary or description, and
  images (images, image, featured_image, cover.image).
- Shortcodes in bodies: importers.shortcodes.

Old addresses are computed as Hugo computes them: `url`, else the section's permalink pattern
(:year, :month, :monthname, :day, :weekday, :yearday, :section, :sections, :title, :slug,
:filename, :contentbasename), else the file's path with `slug` for its last part; lower case,
and /<lang>/ in front for every language but the default one.
"""

from __future__ import annotations

import json
import re
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from builder.checks.fast import known_language
from builder.config.yamltext import YamlSyntaxError, parse_yaml
from builder.content.urls import slugify
from builder.importers.frontmatter import FrontMatterProblem, parse_date, split_old, text_list
from builder.importers.model import ImportFailed, OldImage, OldPost, OldSite
from builder.importers.notes import Notes
from builder.importers.shortcodes import ShortcodeContext, convert_shortcodes

CONTENT_SUFFIXES = (".md", ".markdown", ".html", ".htm")
CONFIG_NAMES = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml",
                "config.json")
KNOWN_FIELDS = {"title", "date", "publishdate", "pubdate", "published", "lastmod", "modified", "draft", "slug", "url",
                "aliases", "tags", "categories", "author", "authors", "summary", "description", "images", "image",
                "featured_image", "cover", "linktitle", "weight", "type", "layout", "lang", "translationkey",
                "params", "keywords"}
QUIET_FIELDS = {"linktitle", "weight", "type", "layout", "keywords"}


def read_hugo(source: Path) -> OldSite:
    config = _config(source)
    get = lambda key, default=None: next((v for k, v in config.items() if k.lower() == key), default)
    zone = _zone(get("timezone"))
    notes = Notes()
    default_lang = str(get("defaultcontentlanguage") or "en").lower()
    in_subdir = get("defaultcontentlanguageinsubdir") is True
    roots = _language_roots(source, get("contentdir") or "content", get("languages") or {}, default_lang)
    if not roots:
        raise ImportFailed("no content folder: it does not look like a Hugo site",
                           "give the folder with hugo.toml (or config.toml) and content/", source)
    permalinks = {str(k).strip("/").lower(): str(v) for k, v in (get("permalinks") or {}).items()
                  if isinstance(v, str)}
    if isinstance((get("permalinks") or {}).get("page"), dict):  # Hugo 0.123: permalinks.page.<section>
        permalinks.update({str(k).strip("/").lower(): str(v) for k, v in get("permalinks")["page"].items()})
    ugly = get("uglyurls") is True
    pages = _pages(source, roots, default_lang, zone, notes)

    by_ref: dict[tuple[str, str], str] = {}
    for page in pages:
        old = _old_url(page, permalinks, default_lang, in_subdir, ugly)
        page["old_url"] = old
        for key in _ref_keys(page["rel"]):
            by_ref.setdefault((page["lang"], key), "/" + old)
            by_ref.setdefault((page["lang"], key.rsplit("/", 1)[-1]), "/" + old)

    def ref_in(lang: str):
        """Hugo's ref: the page in the referring page's language, else in the default one."""
        def ref(path: str) -> str | None:
            key = path.strip().strip("/").lower()
            key = re.sub(r"\.(md|markdown|html?)$", "", key).removesuffix("/index")
            return by_ref.get((lang, key)) or by_ref.get((default_lang, key))
        return ref

    site_params = get("params") or {}
    posts = []
    for page in pages:
        ctx = ShortcodeContext(page["shown"], page["body_line"], ref_in(page["lang"]), page["meta"], site_params)
        body = convert_shortcodes(page["body"], ctx, notes)
        posts.append(OldPost(
            origin=page["shown"], line=1, title=page["title"], published=page["published"], slug=page["slug"],
            body=body, body_line=page["body_line"], old_url=page["old_url"], category=page["section"],
            lang=page["lang"], authors=tuple(page["authors"]), tags=tuple(page["tags"]), summary=page["summary"],
            draft=page["draft"], updated=page["updated"], image=page["image"],
            aliases=tuple(_aliases(page["meta"].get("aliases"), page["old_url"], page["lang"], default_lang,
                                   in_subdir)),
            folders=(page["file"].parent, *_default_bundle(page, roots, default_lang)),
            translation_key=page["translation_key"],
        ))
    base_url = str(get("baseurl") or "https://example.org/")
    if not get("baseurl"):
        notes.problem("no baseURL in the configuration: base_url in site.yaml is a placeholder, set it",
                      "hugo configuration", None)
    site_lang = default_lang if known_language(default_lang) else "en"
    languages = {page["lang"] for page in pages}
    return OldSite(
        engine="hugo", source=source, title=str(get("title") or source.name),
        base_url=base_url if base_url.endswith("/") else base_url + "/", language=site_lang, timezone=zone.key,
        permalink=", ".join(f"{k}: {v}" for k, v in sorted(permalinks.items())) or "/:sections/:filename/",
        posts=tuple(posts), static_roots=tuple(p for p in (source / "static",) if p.is_dir()),
        known_paths=_known_paths(roots), anchor_style="hugo", notes=notes,
        language_prefixes={lang: lang for lang in languages if lang != default_lang or in_subdir},
        language_titles=_language_titles(get("languages")),
        section_titles=_section_titles(roots),
    )


def _language_titles(languages: Any) -> dict[str, str]:
    """languages.<lang>.title of the configuration: the site's title in each language that gives one."""
    found = {}
    for lang, settings in (languages.items() if isinstance(languages, dict) else ()):
        title = next((v for k, v in settings.items() if k.lower() == "title"), None) \
            if isinstance(settings, dict) else None
        if isinstance(title, str) and title.strip():
            found[str(lang).lower()] = title.strip()
    return found


def _section_titles(roots: list[tuple[str, Path]]) -> dict[str, dict[str, str]]:
    """The title of each section's list page (content/<section>/_index.md, or _index.<lang>.md), by
    language: what the section is called in that language."""
    found: dict[str, dict[str, str]] = {}
    for lang, root in roots:
        for file in sorted(root.glob("*/_index.*")):
            parts = file.name.split(".")
            if file.suffix.lower() not in CONTENT_SUFFIXES or len(parts) > 3 or _hidden(file.relative_to(root)):
                continue
            page_lang = parts[1].lower() if len(parts) == 3 and known_language(parts[1]) else lang
            try:
                meta = split_old(file.read_text(encoding="utf-8")).meta
            except (UnicodeDecodeError, FrontMatterProblem):
                continue
            title = next((v for k, v in meta.items() if str(k).lower() == "title"), None)
            if isinstance(title, str) and title.strip():
                found.setdefault(page_lang, {}).setdefault(file.parent.name.lower(), title.strip())
    return found


def _pages(source: Path, roots: list[tuple[str, Path]], default_lang: str, zone: ZoneInfo, notes: Notes) -> list[dict]:
    pages = []
    for lang, root in roots:
        for file in sorted(root.rglob("*")):
            rel = file.relative_to(root)
            if not file.is_file() or file.suffix.lower() not in CONTENT_SUFFIXES or _hidden(rel):
                continue
            if file.stem.split(".")[0] == "_index":
                notes.drop("list page (_index), not a post", _shown(source, file), None)
                continue
            if file.stem.split(".")[0] != "index" and (file.parent / "index.md").is_file():
                continue  # a resource of a leaf bundle
            page = _read_page(source, file, rel, lang, default_lang, zone, notes)
            if page is not None:
                pages.append(page)
    return pages


def _config(source: Path) -> dict[str, Any]:
    for folder in (source, source / "config" / "_default"):
        for name in CONFIG_NAMES:
            path = folder / name
            if path.is_file():
                return _read_config(path)
    return {}


def _read_config(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".toml":
            data = tomllib.loads(text)
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            data = parse_yaml(text).data
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, YamlSyntaxError, UnicodeDecodeError) as exc:
        raise ImportFailed(f"cannot be read: {exc}", "fix the configuration file", path,
                           getattr(exc, "line", None) or getattr(exc, "lineno", None)) from None
    return data if isinstance(data, dict) else {}


def _zone(name: Any) -> ZoneInfo:
    try:
        return ZoneInfo(str(name)) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _language_roots(source: Path, content_dir: str, languages: dict, default_lang: str) -> list[tuple[str, Path]]:
    """(language, folder) of each content root; one root in the default language without languages."""
    roots = []
    for lang, settings in (languages.items() if isinstance(languages, dict) else ()):
        folder = next((v for k, v in settings.items() if k.lower() == "contentdir"), None) \
            if isinstance(settings, dict) else None
        if folder and (source / folder).is_dir():
            roots.append((str(lang).lower(), source / folder))
    if roots:
        return roots
    content = source / content_dir
    if not content.is_dir():
        return []
    configured = {str(k).lower() for k in languages} if isinstance(languages, dict) else set()
    folders = [p for p in sorted(content.iterdir()) if p.is_dir()]
    by_language = [p for p in folders if p.name.lower() in configured]
    if by_language and len(by_language) == len(folders):  # content/en, content/ja: one folder per language
        return [(p.name.lower(), p) for p in by_language]
    return [(default_lang, content)]


def _hidden(rel: Path) -> bool:
    return any(part.startswith((".", "_")) and part != "_index.md" for part in rel.parts[:-1]) or \
        rel.name.startswith(".")


def _shown(source: Path, file: Path) -> str:
    return file.relative_to(source).as_posix()


def _read_page(source: Path, file: Path, rel: Path, lang: str, default_lang: str, zone: ZoneInfo,
               notes: Notes) -> dict | None:
    shown = _shown(source, file)
    try:
        old = split_old(file.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        notes.problem("page that is not UTF-8 text (left out)", shown, None)
        return None
    except FrontMatterProblem as exc:
        notes.problem(f"page with broken front matter (left out): {exc}", shown, exc.line)
        return None
    meta = {str(k).lower(): v for k, v in old.meta.items()}
    lines = {str(k).lower(): v for k, v in old.lines.items()}
    for key in sorted(set(meta) - KNOWN_FIELDS - QUIET_FIELDS):
        notes.drop(f"front matter field '{key}'", shown, lines.get(key))
    raw_date = next((meta[k] for k in ("date", "publishdate", "pubdate", "published") if meta.get(k)), None)
    published = parse_date(raw_date, zone)
    if published is None:
        notes.drop("page without a date (not a post)", shown, lines.get("date"))
        return None
    parts = file.name.split(".")
    file_lang = parts[-2].lower() if len(parts) > 2 and known_language(parts[-2]) else None
    lang = str(meta.get("lang") or file_lang or lang).lower()
    stem = parts[0]
    bundle = stem == "index"
    name = rel.parent.name if bundle else stem
    section = rel.parts[0] if len(rel.parts) > 1 else ""
    key_rel = (rel.parent if bundle else rel.parent / stem).as_posix()
    return {
        "file": file, "shown": shown, "rel": rel, "meta": meta, "body": old.body, "body_line": old.body_line,
        "title": str(meta.get("title") or name.replace("-", " ").capitalize()).strip(),
        "published": published, "slug": str(meta.get("slug") or name), "name": name, "section": section,
        "lang": lang, "bundle": bundle, "authors": _authors(meta), "tags": [*text_list(meta.get("tags")),
                                                                             *text_list(meta.get("categories"))],
        "summary": str(meta.get("summary") or meta.get("description") or "").strip(),
        "draft": meta.get("draft") is True,
        "updated": parse_date(meta.get("lastmod") or meta.get("modified"), zone),
        "image": _image(meta), "translation_key": str(meta.get("translationkey") or key_rel),
    }


def _authors(meta: dict) -> list[str]:
    names = text_list(meta.get("authors")) or text_list(meta.get("author"))
    found = []
    for name in names:
        name = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", name)  # a Markdown link around the name
        found += [part.strip() for part in re.split(r",(?![^()]*\))|\s+and\s+", name) if part.strip()]
    return found


def _image(meta: dict) -> OldImage | None:
    images = meta.get("images")
    if isinstance(images, list) and images and isinstance(images[0], str):
        return OldImage(images[0], None)
    for key in ("image", "featured_image"):
        if isinstance(meta.get(key), str) and meta[key].strip():
            return OldImage(meta[key].strip(), None)
    cover = meta.get("cover")
    if isinstance(cover, dict) and isinstance(cover.get("image"), str):
        alt = cover.get("alt")
        return OldImage(cover["image"], alt.strip() if isinstance(alt, str) and alt.strip() else None,
                        str(cover.get("caption") or ""))
    return None


def _old_url(page: dict, permalinks: dict[str, str], default_lang: str, in_subdir: bool, ugly: bool) -> str:
    meta = page["meta"]
    prefix = f"{page['lang']}/" if page["lang"] != default_lang or in_subdir else ""
    if isinstance(meta.get("url"), str) and meta["url"].strip():
        url = meta["url"].strip().lstrip("/")
        return url if url.endswith(("/", ".html")) else url + "/"
    pattern = permalinks.get(page["section"].lower())
    rel: Path = page["rel"]
    if pattern:
        path = _permalink(pattern, page)
    else:
        folder = (rel.parent.parent if page["bundle"] else rel.parent).as_posix()
        last = slugify(str(meta["slug"])) if meta.get("slug") else page["name"]
        path = "/".join(p for p in (folder if folder != "." else "", last) if p)
    path = path.strip("/").lower().replace(" ", "-")
    return prefix + path + (".html" if ugly else "/")


def _permalink(pattern: str, page: dict) -> str:
    moment: datetime = page["published"]
    rel: Path = page["rel"]
    sections = (rel.parent.parent if page["bundle"] else rel.parent).as_posix()
    values = {
        "year": f"{moment.year:04d}", "month": f"{moment.month:02d}", "monthname": moment.strftime("%B").lower(),
        "day": f"{moment.day:02d}", "weekday": str(moment.isoweekday() % 7), "weekdayname": moment.strftime("%A"),
        "yearday": str(moment.timetuple().tm_yday), "section": page["section"], "sections": sections,
        "title": slugify(page["title"]), "slug": slugify(str(page["meta"].get("slug") or page["title"])),
        "filename": page["name"], "contentbasename": page["name"],
    }
    return re.sub(r":(\w+)", lambda m: values.get(m.group(1).lower(), m.group(0)), pattern)


def _aliases(value: Any, old_url: str, lang: str, default_lang: str, in_subdir: bool) -> list[str]:
    found = []
    for alias in text_list(value):
        if alias.startswith(("http://", "https://")):
            continue
        if alias.startswith("/"):
            path = alias.lstrip("/")
        else:  # relative to the page's folder
            path = old_url.rstrip("/").rsplit("/", 1)[0] + "/" + alias if "/" in old_url.rstrip("/") else alias
        found.append(path if path.endswith(("/", ".html")) else path + "/")
    return found


def _default_bundle(page: dict, roots: list[tuple[str, Path]], default_lang: str) -> list[Path]:
    """The same folder in the default language's content, whose files an untranslated bundle shares."""
    if page["lang"] == default_lang:
        return []
    return [root / page["rel"].parent for lang, root in roots if lang == default_lang
            and (root / page["rel"].parent).is_dir()]


def _ref_keys(rel: Path) -> list[str]:
    """The paths a ref shortcode may name this page by."""
    path = rel.as_posix().lower()
    path = re.sub(r"\.(md|markdown|html?)$", "", path)
    path = re.sub(r"\.[a-z]{2}(-[a-z]+)?$", "", path)  # a language suffix
    return [path, path.removesuffix("/index")]


def _known_paths(roots: list[tuple[str, Path]]) -> frozenset[str]:
    return frozenset(p.name.lower() for _, root in roots for p in root.iterdir() if p.is_dir())
