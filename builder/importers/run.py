"""`broadsheet import`, in order: read the old site, place its posts, rewrite their links, write the new site.

    old       = read_jekyll | read_hugo | read_wordpress (SOURCE)      engine syntax converted
    sections  = the mapping file given, plus a section for each other category (mapping.py)
    editions  = a language edition per language of a multilingual site (editions.py)
    addresses = the permalink that keeps most old URLs, aliases for the rest (addresses.py)
    bodies    = links, images and anchors rewritten (links.py)
    site      = site.yaml, content/, static/, import-mapping.yaml, import-report.md (site.py)
    debts     = each written article read as the build reads it: what the baseline will accept

The heading shift is set in site.yaml when any post's headings start below h2 or at h1.
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from builder.build.workers import default_jobs, ordered_map
from builder.checks.fast import known_language
from builder.config.site import parse_config
from builder.content.article import ContentContext
from builder.content.parse import read_article
from builder.content.sources import SourceFile
from builder.importers.addresses import Placed, clean_slug, place
from builder.importers.editions import choose_editions, translation_keys
from builder.importers.links import Assets, LinkContext, LinkCounts, heading_ids, rewrite_body, strip_heading_ids
from builder.importers.mapping import MAPPING_NAME, SectionMapping, choose_sections, mapping_text, read_mapping
from builder.importers.model import ImportFailed, OldSite
from builder.importers.report import ImportSummary, report_text
from builder.importers.site import ArticleFile, SiteSettings, check_destination, site_yaml, write_site

REPORT_NAME = "import-report.md"
ENGINES = ("jekyll", "hugo", "wordpress")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg")


@dataclass(frozen=True)
class ImportOptions:
    engine: str  # one of ENGINES
    source: Path  # the old site's folder (a WXR file, or a folder with one, for WordPress)
    dest: Path  # the new site folder: empty or not there yet
    mapping: Path | None = None  # an import-mapping.yaml from an earlier run


@dataclass(frozen=True)
class ImportResult:
    summary: ImportSummary
    report: Path

    def printed(self) -> str:
        return report_text(self.summary, limit=15)


def _reader(engine: str) -> Callable[[Path], OldSite]:
    if engine == "jekyll":
        from builder.importers.jekyll import read_jekyll

        return read_jekyll
    if engine == "hugo":
        from builder.importers.hugo import read_hugo

        return read_hugo
    from builder.importers.wordpress import read_wordpress

    return read_wordpress


def import_site(options: ImportOptions) -> ImportResult:
    started = time.perf_counter()
    if not options.source.exists():
        raise ImportFailed("does not exist", "give the old site's folder (or WXR file)",
                           options.source)
    check_destination(options.source, options.dest)
    given = read_mapping(options.mapping) if options.mapping else None
    old = _reader(options.engine)(options.source)
    notes = old.notes
    zone = ZoneInfo(old.timezone)
    mapping = choose_sections([p.category for p in old.posts], given)
    placed = [_placed(post, mapping, old.language, zone) for post in old.posts]
    languages = Counter(p.lang for p in placed)
    multilingual = len(languages) > 1
    titles = {c.key: c.title for c in [*mapping.sections.values(), mapping.default]}
    used_sections = Counter(p.section for p in placed)
    section_list = tuple((k, titles[k]) for k in sorted(used_sections)) or ((mapping.default.key,
                                                                             mapping.default.title),)
    plan = choose_editions(old, placed, section_list, mapping) if multilingual else None
    addresses = place(placed, zone, {c.key for c in mapping.sections.values()} | {mapping.default.key},
                      multilingual, old.language, plan.prefixes if plan and plan.editions else None)
    keys = translation_keys(addresses.placed, plan) if plan and plan.editions else [""] * len(placed)

    anchor_cache: dict[str, dict[str, str]] = {}
    bodies = {p.path: strip_heading_ids(p.post.body) for p in addresses.placed}
    if custom := sum(len(ids) for _, ids in bodies.values()):
        notes.convert("heading ids {#id} (links to them go to Broadsheet's ids)", custom)

    def anchors(new_path: str) -> dict[str, str]:
        if new_path not in anchor_cache:
            body, ids = bodies.get(new_path, ("", {}))
            anchor_cache[new_path] = heading_ids(body, old.anchor_style, ids) if body else {}
        return anchor_cache[new_path]

    base = urlsplit(old.base_url)
    ctx = LinkContext(base.netloc.lower(), base.path or "/", addresses.old_to_new, anchors, old.static_roots,
                      old.known_paths, _guesser(addresses.placed))
    assets, counts = Assets(), LinkCounts()
    authors = _authors(old)
    files: dict[str, str] = {}
    used_files: set[str] = set()
    articles: list[ArticleFile] = []
    remote_images = 0
    shifted = 0
    for p, key in zip(addresses.placed, keys, strict=True):
        post = p.post
        stripped = bodies[p.path][0]
        body = rewrite_body(stripped, origin=post.origin, body_line=post.body_line, old_url=post.old_url,
                            folders=post.folders, ctx=ctx, assets=assets, counts=counts, notes=notes,
                            own_anchors=anchors(p.path) if "](#" in stripped or 'href="#' in stripped else {})
        image = None
        if post.image is not None:
            src = _lead_image(post.image.src, p, ctx, assets, counts, notes)
            remote_images += src.startswith(("http://", "https://", "//"))
            image = {"src": src, **({"alt": post.image.alt} if post.image.alt else {}),
                     **({"caption": post.image.caption} if post.image.caption else {})}
        remote_images += len(re.findall(r"!\[[^\]]*\]\(\s*<?https?://", body))
        if _top_heading(body) not in (None, 2):
            shifted += 1
        article = ArticleFile(
            path=_file_name(p, multilingual, used_files), title=post.title, date=post.published,
            section=p.section, slug=p.slug, body=body, lang=p.lang if p.lang != old.language else None,
            edition=plan.edition_field(p.lang) if plan and plan.editions else "", translation_key=key,
            authors=tuple(authors.get(a, a) for a in post.authors), tags=post.tags, summary=post.summary,
            draft=post.draft, updated=post.updated, aliases=p.aliases, image=image)
        articles.append(article)
        files[article.path] = article.text()

    settings = SiteSettings(
        title=old.title, base_url=old.base_url, language=old.language, timezone=old.timezone,
        permalink=addresses.permalink, sections=section_list,
        authors=tuple(sorted({(key, a.name, a.bio) for a in old.authors for key in [authors[a.key]]})),
        shift_headings=shifted > 0,
        links_outside=_outside(counts.outside, addresses.placed, used_sections, base.path or "/"),
        redirects_file=any("?" in a for p in addresses.placed for a in p.aliases),
        editions=plan.editions if plan else ())
    files["site.yaml"] = site_yaml(settings, old.engine)
    copies = [(source, "static/" + target) for source, target in assets.files.items()]
    translations = _translations(addresses.placed, articles)
    category_posts = Counter(p.post.category.lower() for p in addresses.placed)
    files[MAPPING_NAME] = mapping_text(mapping, category_posts, dict(languages) if multilingual else {}, translations)

    debts, debt_files = _debts(files, settings, options.dest, {t for _, t in assets.files.items()})
    images = sum(1 for t in assets.files.values() if t.lower().endswith(IMAGE_SUFFIXES))
    summary = ImportSummary(
        engine=old.engine, source=str(options.source), dest=str(options.dest), articles=len(articles),
        drafts=sum(a.draft for a in articles),
        sections=tuple((k, titles[k], n) for k, n in sorted(used_sections.items())),
        authors=len({a for article in articles for a in article.authors}), images_copied=images,
        files_copied=len(assets.files) - images, images_remote=remote_images,
        images_missing=sum(assets.missing.values()), old_host=counts.old_host,
        languages=dict(languages) if multilingual else {},
        translation_groups=len(translations), old_permalink=old.permalink, permalink=addresses.permalink,
        editions=_edition_counts(plan, languages) if plan else (), translations_linked=len(set(keys) - {""}),
        translated_articles=sum(1 for key in keys if key),
        without_edition=dict(plan.without) if plan and plan.editions else {},
        kept=addresses.kept, aliased=addresses.aliased,
        query_aliases=sum("?" in a for p in addresses.placed for a in p.aliases),
        lost=tuple((post.origin, address, why) for post, address, why in addresses.lost),
        links_rewritten=counts.rewritten, links_guessed=counts.guessed, anchors_rewritten=counts.anchors,
        outside=dict(counts.outside),
        shift_headings=shifted, debts=debts, debt_files=debt_files, notes=notes,
        seconds=time.perf_counter() - started)
    files[REPORT_NAME] = report_text(summary)
    write_site(options.dest, files, copies)
    return ImportResult(summary, options.dest / REPORT_NAME)


def _edition_counts(plan, languages: Counter[str]) -> tuple[tuple[str, str, int], ...]:
    """(code, prefix, articles) of each edition."""
    return tuple((e.code, e.prefix, sum(n for lang, n in languages.items()
                                        if plan.by_lang.get(lang, plan.default) == e.code))
                 for e in plan.editions)


def _placed(post, mapping: SectionMapping, site_language: str, zone: ZoneInfo) -> Placed:
    choice = mapping.sections.get(post.category.lower()) if post.category else None
    lang = post.lang if post.lang and known_language(post.lang) else site_language
    return Placed(post, (choice or mapping.default).key, clean_slug(post.slug), lang, post.published.astimezone(zone))


_DATED = re.compile(r"(?:^|/)(\d{4})/(\d\d)/(?:(\d\d)/)?")


def _guesser(placed) -> Callable[[str], str | None]:
    """LinkContext.guess: an address with a date whose last part is a post's old name, and whose date
    is the post's; only when exactly one post fits. An address without a date is never guessed
    (/docs/collector/ is not the post 'collector')."""
    by_name: dict[str, list[Placed]] = defaultdict(list)
    for p in placed:
        name = p.post.old_url.rstrip("/").rsplit("/", 1)[-1]
        by_name[re.sub(r"\.html?$", "", name)].append(p)

    def guess(path: str) -> str | None:
        name = re.sub(r"\.html?$", "", path.rstrip("/").rsplit("/", 1)[-1])
        dated = _DATED.search(path)
        if not dated:
            return None
        year, month, day = dated.groups()
        found = [p for p in by_name.get(name, []) if (p.post.published.year, p.post.published.month) ==
                 (int(year), int(month)) and (day is None or abs(p.post.published.day - int(day)) <= 1)]
        return found[0].path if len(found) == 1 else None

    return guess


def _outside(found: Counter[str], placed, sections, base_path: str) -> tuple[str, ...]:
    """links.outside: first segments of the old site's other pages, never one the new site has; from
    the host's root (under the site's base path)."""
    from builder.config.site import RESERVED_PATHS

    ours = {p.path.split("/", 1)[0] for p in placed} | set(sections) | RESERVED_PATHS | {p.lang for p in placed}
    return tuple(f"{base_path}{path}/" for path in sorted(found) if path not in ours and not path.isdigit())


def _authors(old: OldSite) -> dict[str, str]:
    """Old author key -> key in site.yaml (keys must be lower-case letters, digits and hyphens)."""
    from builder.importers.mapping import section_key

    keys: dict[str, str] = {}
    for author in old.authors:
        keys[author.key] = section_key(author.key, keys.values()) if author.key not in keys else keys[author.key]
    return keys


def _lead_image(src: str, p: Placed, ctx: LinkContext, assets: Assets, counts: LinkCounts, notes) -> str:
    if src.startswith(("http://", "https://", "//")) and urlsplit(src).netloc.lower() != ctx.old_host:
        return src
    from builder.importers.links import rewrite_body as rewrite

    # The same rules as a body image: written as one and read back.
    body = rewrite(f"![]({src})", origin=p.post.origin, body_line=p.post.line, old_url=p.post.old_url,
                   folders=p.post.folders, ctx=ctx, assets=assets, counts=counts, notes=notes, own_anchors={})
    return body[len("![]("):-1]


_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]|$)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")


def _top_heading(body: str) -> int | None:
    """The highest heading level of a Markdown body (ATX and setext, outside fenced code): a line scan,
    as a full parse for this alone would double the import's time."""
    top, fence, previous = None, "", ""
    for line in body.split("\n"):
        if fence:
            fence = "" if line.lstrip().startswith(fence) else fence
            previous = ""
            continue
        if match := _FENCE.match(line):
            fence, previous = match.group(1), ""
            continue
        level = None
        if match := _ATX.match(line):
            level = len(match.group(1))
        elif previous.strip() and not previous.startswith(("    ", "\t")) and (match := _SETEXT.match(line)):
            level = 1 if match.group(1)[0] == "=" else 2
        if level is not None:
            top = level if top is None else min(top, level)
        previous = "" if level is not None else line
    return top


def _file_name(p: Placed, multilingual: bool, used: set[str]) -> str:
    folder = f"content/{p.lang}/" if multilingual else "content/"
    stem = f"{folder}{p.section}/{p.published.year:04d}/{p.slug}"
    name, n = f"{stem}.md", 2
    while name in used:
        name, n = f"{stem}-{n}.md", n + 1
    used.add(name)
    return name


def _translations(placed, articles: list[ArticleFile]) -> list[dict[str, str]]:
    groups: dict[str, dict[str, str]] = defaultdict(dict)
    for p, article in zip(placed, articles, strict=True):
        if p.post.translation_key:
            groups[p.post.translation_key].setdefault(p.lang, article.path)
    return [group for _, group in sorted(groups.items()) if len(group) > 1]


_IMG_WITHOUT_ALT = re.compile(r"<img\b(?![^>]*\balt\s*=)[^>]*>", re.I)


_DEBT_CONTEXT: ContentContext  # set for the forked workers by _debts


def _rules_of(item: tuple[str, str]) -> list[str]:
    rel, text = item
    article = read_article(SourceFile(Path(rel), text, ""), _DEBT_CONTEXT)
    problems = article.debts if not isinstance(article, list) else [e for e in article if e.debt]
    return [problem.debt.rule for problem in problems if problem.debt is not None]


def _debts(files: dict[str, str], settings: SiteSettings, dest: Path, static: set[str]) -> tuple[dict[str, int], int]:
    """Read each article as the build will, with the files the new static/ holds: the debts found.
    In the build's worker processes: this is most of an import's work."""
    global _DEBT_CONTEXT
    config = parse_config(files["site.yaml"], dest)
    _DEBT_CONTEXT = ContentContext(config, {}, frozenset(path for path in static))
    rules: Counter[str] = Counter()
    debt_files = set()
    articles = [(rel, text) for rel, text in files.items() if rel.startswith("content/")]
    for (rel, _), found in zip(articles, ordered_map(_rules_of, articles, default_jobs()), strict=True):
        rules.update(found)
        if found:
            debt_files.add(rel)
    for rel, text in articles:
        # Raw HTML (WordPress bodies) is checked on the built page; an <img> without alt is plain to see here.
        if without_alt := len(_IMG_WITHOUT_ALT.findall(text)):
            rules["img-alt"] += without_alt
            debt_files.add(rel)
    return dict(rules), len(debt_files)

