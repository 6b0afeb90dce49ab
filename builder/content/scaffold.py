"""`broadsheet new`: a new article file with valid front matter. Never overwrites a file."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import yaml

from builder.config.languages import is_valid_tag
from builder.config.site import SiteConfig
from builder.content.urls import slugify
from builder.errors import BuildError, BuildFailed


def new_article_file(config: SiteConfig, headline: str, section: str, *, lang: str | None = None,
                     edition: str | None = None, authors: tuple[str, ...] = (), now: datetime) -> Path:
    errors = []
    if edition and config.edition(edition) is None:
        codes = ", ".join(e.code for e in config.editions)
        errors.append(BuildError(None, None, "--edition", f"the site has no edition '{edition}'",
                                 f"editions in site.yaml (languages:): {codes}"))
    if not headline.strip():
        errors.append(BuildError(None, None, "HEADLINE", "must not be empty"))
    if config.section(section) is None:
        errors.append(BuildError(None, None, "--section", f"unknown section '{section}'",
                                 f"sections in site.yaml: {', '.join(s.key for s in config.sections)}"))
    if lang and not is_valid_tag(lang):
        errors.append(BuildError(None, None, "--lang", f"'{lang}' is not a BCP 47 language tag"))
    slug = slugify(headline)
    if not slug:
        errors.append(BuildError(None, None, "HEADLINE", "has no letters or digits to make an address from"))
    if errors:
        raise BuildFailed(errors)

    meta: dict = {
        "title": headline.strip(),
        "date": now.replace(microsecond=0).isoformat(),
        "section": section,
        "authors": list(authors),
        "tags": [],
        "summary": "",
    }
    if lang:
        meta["lang"] = lang
    if edition:
        meta["edition"] = edition
    meta["draft"] = True
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_flow_style=None)
    body = "Write the article here. Body headings start at '##'.\n"

    folder = config.content_dir / section / f"{now.year:04d}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug}.md"
    try:
        with open(path, "x", encoding="utf-8") as handle:  # "x": fail rather than replace a file
            handle.write(f"---\n{front}---\n\n{body}")
    except FileExistsError:
        raise BuildFailed([BuildError(path, None, None, "a file with this name already exists",
                                      "choose another headline, or edit the existing article")]) from None
    return path
