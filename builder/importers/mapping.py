"""Which section each old category or folder becomes: import-mapping.yaml, written and read back.

An import writes the mapping it chose into the new site folder; an editor may rename sections,
merge categories (two old categories, one key) or change titles, and run the import again into an
empty folder with `--mapping FILE`. Categories the file does not name get a section of their own,
as on the first run.

The file also records the language folders an import found and which posts are translations of
each other (the same file name in each language folder), for the editor's eye: a second run does
not read them. The articles carry the link itself, as a shared `translation_key` (editions.py).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from builder.config.reader import KEY_PATTERN
from builder.config.site import RESERVED_PATHS
from builder.config.yamltext import YamlSyntaxError, parse_yaml
from builder.content.urls import slugify
from builder.importers.model import ImportFailed

MAPPING_NAME = "import-mapping.yaml"
DEFAULT_SECTION = ("news", "News")


@dataclass(frozen=True)
class SectionChoice:
    key: str
    title: str


@dataclass(frozen=True)
class SectionMapping:
    sections: Mapping[str, SectionChoice] = field(default_factory=dict)  # old category (lower case) -> section
    default: SectionChoice = SectionChoice(*DEFAULT_SECTION)  # for posts without a category


def section_key(name: str, taken: Iterable[str] = ()) -> str:
    """A site.yaml section key from an old category: lower-case ASCII letters, digits, hyphens."""
    ascii_text = unicodedata.normalize("NFKD", slugify(name)).encode("ascii", "ignore").decode()
    key = "-".join(part for part in "".join(c if c.isalnum() else "-" for c in ascii_text.lower()).split("-") if part)
    if not key or not KEY_PATTERN.match(key):
        key = "section"
    if key in RESERVED_PATHS or key.isdigit():
        key += "-news"
    base, n, taken = key, 2, set(taken)
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def choose_sections(categories: Iterable[str], given: SectionMapping | None) -> SectionMapping:
    """The mapping for these categories: the given file's choices, a new section for each other one."""
    chosen: dict[str, SectionChoice] = dict(given.sections) if given else {}
    default = given.default if given else SectionChoice(*DEFAULT_SECTION)
    keys = {c.key for c in chosen.values()} | {default.key}
    for category in sorted(set(categories), key=str.lower):
        if category.lower() in chosen or not category:
            continue
        if section_key(category) == default.key:  # a category called "News" is the default section
            chosen[category.lower()] = default
            continue
        key = section_key(category, keys)
        keys.add(key)
        chosen[category.lower()] = SectionChoice(key, category[:1].upper() + category[1:])
    return SectionMapping(chosen, default)


def mapping_text(mapping: SectionMapping, used: Mapping[str, int], languages: Mapping[str, int],
                 translations: list[dict[str, str]]) -> str:
    q = lambda text: json.dumps(text, ensure_ascii=False)
    lines = [
        "# How `broadsheet import` placed the old site's posts. Edit it (rename a section, give two",
        "# categories one key), then import again into an empty folder:",
        "#   broadsheet import ENGINE SOURCE --site NEW_FOLDER --mapping THIS_FILE",
        "sections:  # old category or folder -> section (key in site.yaml, title); posts: how many",
    ]
    for old, choice in sorted(mapping.sections.items()):
        lines.append(f"  {q(old)}: {{key: {choice.key}, title: {q(choice.title)}}}  # {used.get(old, 0)} posts")
    if not mapping.sections:
        lines[-1] = "sections: {}  # old category or folder -> section (key in site.yaml, title)"
    lines.append(f"default_section: {{key: {mapping.default.key}, title: {q(mapping.default.title)}}}"
                 f"  # posts without a category: {used.get('', 0)}")
    lines.append("# Language folders and the posts that are translations of each other (the same file name in")
    lines.append("# each language folder), for linking language editions; not read by this version.")
    lines.append("languages: {" + ", ".join(f"{q(k)}: {v}" for k, v in sorted(languages.items())) + "}"
                 + ("  # language -> posts" if languages else ""))
    if translations:
        lines.append("translations:")
        for group in translations:
            lines.append("  - {" + ", ".join(f"{q(k)}: {q(v)}" for k, v in sorted(group.items())) + "}")
    else:
        lines.append("translations: []")
    return "\n".join(lines) + "\n"


def read_mapping(path: Path) -> SectionMapping:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFailed(f"the mapping file cannot be read: {exc}", "give the import-mapping.yaml an import wrote",
                           path) from None
    try:
        doc = parse_yaml(text)
    except YamlSyntaxError as exc:
        raise ImportFailed(f"the mapping file is not valid YAML: {exc}", "", path, exc.line) from None
    data = doc.data if isinstance(doc.data, dict) else {}
    sections: dict[str, SectionChoice] = {}
    for old, choice in (data.get("sections") or {}).items():
        sections[str(old).lower()] = _choice(choice, path, doc.line("sections", old))
    default = data.get("default_section")
    return SectionMapping(sections, _choice(default, path, doc.line("default_section")) if default else
                    SectionChoice(*DEFAULT_SECTION))


def _choice(value, path: Path, line: int | None) -> SectionChoice:
    if not isinstance(value, dict) or not isinstance(value.get("key"), str):
        raise ImportFailed("expected {key: ..., title: ...}", "e.g. release: {key: releases, title: Releases}", path,
                           line)
    key = value["key"]
    if not KEY_PATTERN.match(key) or key in RESERVED_PATHS or key.isdigit():
        raise ImportFailed(f"'{key}' cannot be a section key",
                           "use lower-case letters, digits and hyphens, not tags, authors, assets, archive, page, "
                           "feeds or a number", path, line)
    return SectionChoice(key, str(value.get("title") or key))
