"""Which articles are translations of each other: the same `translation_key` in different editions.

A translation is linked by an explicit key in the front matter, not by a shared slug. Slugs are
written in each edition's language and script (`yerevan-transport-budget`, `երևանի-տրանսպորտ`),
so equal slugs are rare for real translations and common for unrelated stories ("budget",
"elections"): a key says what the editor means, and a typo in it is an error, not a silent link.

    translation_key: yerevan-transport-budget-2024

Rules, each checked here with both files and lines named:
- one article per edition for a key (two in one edition would make the language switcher and
  `hreflang` ambiguous);
- translations are in different languages (`hreflang` names each page's language once).

Pure: articles in, groups out.
"""

from __future__ import annotations

from collections import defaultdict

from builder.config.site import SiteConfig
from builder.content.article import Article
from builder.errors import BuildError, BuildFailed


def _where(article: Article) -> str:
    return f"{article.source}:{article.translation_line}" if article.translation_line else str(article.source)


def find_translations(config: SiteConfig, articles: list[Article]) -> dict[str, tuple[Article, ...]]:
    """By article path: the article and its translations, in the order of the editions.

    Articles without a key, or whose key no other article shares, are left out. Raises
    BuildFailed with every problem found."""
    by_key: dict[str, list[Article]] = defaultdict(list)
    for article in sorted(articles, key=lambda a: str(a.source)):
        if article.translation_key:
            by_key[article.translation_key].append(article)
    order = {edition.code: index for index, edition in enumerate(config.editions)}
    default = config.default_edition.code
    errors: list[BuildError] = []
    found: dict[str, tuple[Article, ...]] = {}
    for key, members in by_key.items():
        errors += _problems(key, members, default)
        if len(members) > 1:
            group = tuple(sorted(members, key=lambda a: (order.get(a.edition or default, len(order)), str(a.source))))
            for article in group:
                found[article.path] = group
    if errors:
        raise BuildFailed(errors)
    return found


def _problems(key: str, members: list[Article], default: str) -> list[BuildError]:
    errors = []
    by_edition: dict[str, Article] = {}
    by_lang: dict[str, Article] = {}
    for article in members:
        edition = article.edition or default
        first = by_edition.setdefault(edition, article)
        if first is not article:
            errors.append(BuildError(article.source, article.translation_line or None, "translation_key",
                                     f"'{key}' is also the key of {_where(first)}, in the same edition ({edition})",
                                     "an edition has one article per translation_key: give one of them another key"))
            continue
        twin = by_lang.setdefault(article.lang, article)
        if twin is not article:
            errors.append(BuildError(article.source, article.translation_line or None, "translation_key",
                                     f"'{key}' is also the key of {_where(twin)}, written in the same language "
                                     f"({article.lang})", "translations are in different languages: check lang: "
                                     "or give one of them another key"))
    return errors
