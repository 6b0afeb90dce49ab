"""The import report: what came in, what was converted, what was dropped (file:line), what it owes.

Printed at the end of `broadsheet import` (the long lists shortened) and written whole to
import-report.md in the new site folder, for the editors who will work through it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from builder.importers.notes import Dropped, Notes
from builder.importers.site import ENGINE_NAMES

SHOWN_WHEN_PRINTED = 15


@dataclass(frozen=True)
class ImportSummary:
    engine: str
    source: str
    dest: str
    articles: int
    drafts: int
    sections: tuple[tuple[str, str, int], ...]  # key, title, posts
    authors: int
    images_copied: int
    files_copied: int
    images_remote: int
    images_missing: int
    old_host: int  # images and links still on the old host
    languages: dict[str, int]
    translation_groups: int
    old_permalink: str
    permalink: str
    kept: int
    aliased: int
    query_aliases: int
    lost: tuple[tuple[str, str, str], ...]  # origin, old address, why
    links_rewritten: int
    links_guessed: int  # of them, matched to a post by its date and name
    anchors_rewritten: int
    outside: dict[str, int]  # first path segment -> links
    shift_headings: int  # posts whose headings start below h2 or at h1 (0: no shift needed)
    debts: dict[str, int]  # rule -> accessibility debts found
    debt_files: int
    notes: Notes = field(default_factory=Notes)
    seconds: float = 0.0
    editions: tuple[tuple[str, str, int], ...] = ()  # code, prefix ("" at the root), articles
    translations_linked: int = 0  # groups of translations given one translation_key
    translated_articles: int = 0  # the articles in them
    without_edition: dict[str, int] = field(default_factory=dict)  # language -> posts left in the default edition


RULE_NAMES = {
    "img-alt": "images without alt text", "alt-caption": "alt text equal to the caption",
    "multiple-h1": "level-1 headings in a body", "broken-link": "missing images or files",
}


def report_text(s: ImportSummary, limit: int | None = None) -> str:
    out = [f"# Import from {ENGINE_NAMES.get(s.engine, s.engine)}", "",
           f"From `{s.source}` into `{s.dest}` in {s.seconds:.1f} s.", "", "## What came in", ""]
    out.append(f"- {_n(s.articles, 'article')} ({_n(s.drafts, 'draft')}, which stay drafts)")
    out.append(f"- {len(s.sections)} sections: " + ", ".join(f"{title} (`{key}`, {n})" for key, title, n in s.sections)
               + " - chosen in import-mapping.yaml")
    out.append(f"- {s.authors} authors")
    out.append(f"- {s.images_copied} images and {s.files_copied} other files copied into static/; "
               f"{s.images_remote} remote images left remote; {s.images_missing} images missing in the old site")
    if s.old_host:
        out.append(f"- {s.old_host} images and links still point at the old host: they work only while it does "
                   "(for WordPress, put wp-content/uploads beside the export and import again)")
    if s.languages:
        out.append("- languages: " + ", ".join(f"{lang} ({n})" for lang, n in sorted(s.languages.items()))
                   + f"; {s.translation_groups} posts exist in more than one language (see import-mapping.yaml)")
    if s.editions:
        out.append("- language editions (`languages:` in site.yaml): " + ", ".join(
            f"{code} ({f'under /{prefix}/' if prefix else 'at the root'}, {_n(n, 'article')})"
            for code, prefix, n in s.editions)
            + f"; {_n(s.translations_linked, 'translation')} linked ({s.translated_articles} articles sharing a "
            "`translation_key` with their other languages)")
    for lang, n in sorted(s.without_edition.items()):
        out.append(f"- no edition in {lang}: the theme has no interface text in it, so its {_n(n, 'post')} stay in "
                   f"the {s.editions[0][0]} edition, marked `lang: {lang}` (add the theme's strings in {lang} and "
                   "import again to give it an edition)")
    out += ["", "## Addresses", "",
            f"- The old permalink `{s.old_permalink}` is reproduced by `{s.permalink}` for {s.kept} of "
            f"{s.articles} articles;",
            f"- {s.aliased} other old addresses become aliases (redirect pages);"]
    if s.query_aliases:
        out.append(f"- {s.query_aliases} of them have a query (/?p=123): no static file can answer those, so "
                   "site.yaml turns hosting.redirects on and they are lines of _redirects, which Netlify reads; "
                   "on another host, ask it to redirect them (import-mapping.yaml does not list them: the "
                   "articles' aliases do);")
    if s.lost:
        out.append(f"- {len(s.lost)} old addresses cannot be kept:")
        out += _items([f"`{origin}`: {address} ({why})" for origin, address, why in s.lost], limit)
    else:
        out.append("- every old address keeps working.")
    out.append(f"- {s.links_rewritten} internal links rewritten to the new addresses ({s.links_guessed} of them "
               f"matched to a post by its date and name), {s.anchors_rewritten} #anchors translated to Broadsheet's "
               "heading ids.")
    if s.outside:
        out.append("- Links to pages of the old site that are not posts (set as `links.outside` in site.yaml; "
                   "remove a path there if those pages are gone): "
                   + ", ".join(f"/{path}/ ({n})" for path, n in sorted(s.outside.items())))
    out += ["", "## Converted", ""]
    out += [f"- {kind}: {n}" for kind, n in sorted(s.notes.converted.items())] or ["- nothing needed converting"]
    out += ["", "## Dropped", ""]
    kinds = Counter(d.kind for d in s.notes.dropped)
    if kinds:
        out += [f"- {kind}: {n}" for kind, n in sorted(kinds.items())]
        out += ["", "Where:", ""]
        out += _items([_where(d) for d in sorted(s.notes.dropped)], limit)
    else:
        out.append("- nothing")
    out += ["", "## Needs a look", ""]
    out += _items([_where(d) for d in sorted(s.notes.problems)], limit) or ["- nothing"]
    out += ["", "## Accessibility debts", ""]
    if s.shift_headings:
        out.append(f"- {_n(s.shift_headings, 'post')} with headings that start below h2 (or at h1): site.yaml sets "
                   "`content.headings: shift`, which renders them from h2 without changing the files.")
    total = sum(s.debts.values())
    if total:
        out += [f"- {n} {RULE_NAMES.get(rule, rule)}" for rule, n in sorted(s.debts.items())]
        out += ["", f"{_n(total, 'debt')} in {_n(s.debt_files, 'file')}. To build the archive as it is and hold "
                "new articles to the rules, accept them in an accessibility baseline, then fix them over time:", "",
                "    broadsheet baseline --site " + s.dest, "    broadsheet build --site " + s.dest]
    else:
        out += ["- none found in the articles' files (the build's page checks may still find some)", "",
                "    broadsheet build --site " + s.dest]
    return "\n".join(out) + "\n"


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _where(d: Dropped) -> str:
    place = f"{d.origin}:{d.line}" if d.line else d.origin
    return f"`{place}`: {d.kind}" + (f": {d.text}" if d.text else "")


def _items(lines: list[str], limit: int | None) -> list[str]:
    shown = lines if limit is None or len(lines) <= limit else lines[:limit]
    out = [f"- {line}" for line in shown]
    if len(shown) < len(lines):
        out.append(f"- ... and {len(lines) - len(shown)} more in import-report.md")
    return out
