"""Archive -> the search pages: search/ of each language edition, search/<lang>/ for other languages.

A search page searches one language, as the index is one per language (builder.search): Pagefind
loads the index named by the page's <html lang>. Every edition's language and every language some
article page is written in gets a page, so the search field on any page leads to the articles of
its own language, and each search page links to the others. An edition's search page is part of
the edition: its header, its section names, its archive by date.

The page is the theme's search.html: a form of native controls whose filter choices (section,
year, author) are the ones that language's articles have, an empty polite live region, and an
empty list that assets/search/search.js fills from Pagefind's JavaScript API. The form is hidden
until that script runs; without JavaScript the page says so and links to the archive by date.
The result count is announced with the CLDR plural categories Babel gives for the language: the
page carries one message per category and the script picks one with Intl.PluralRules.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial

import jinja2
from babel import Locale

from builder.config.editions import Edition
from builder.config.languages import locale_for, text_direction
from builder.config.search import BUNDLE_FOLDER
from builder.config.site import CONFIG_NAME, SiteConfig
from builder.content.archive import Archive
from builder.content.article import Article
from builder.content.urls import href, output_file
from builder.digests import fingerprint
from builder.errors import BuildError, BuildFailed
from builder.render.jobs import OutputPage, PageJob
from builder.render.views import LinkView, SiteView, edition_for_language, edition_of, page_view, search_path

COUNT_KEY = "search_result_count."  # + a CLDR plural category, as the theme's plural forms are named


@dataclass(frozen=True)
class FilterOption:
    value: str  # as the index has it: a section or author key, a year
    label: str


@dataclass(frozen=True)
class LanguageLink:
    lang: str
    name: str  # the language's name in itself: "Հայերեն", "Русский"
    url: str
    dir: str
    current: bool


@dataclass(frozen=True)
class SearchPageView:
    bundle_url: str  # pagefind.js
    sections: tuple[FilterOption, ...]
    years: tuple[FilterOption, ...]
    authors: tuple[FilterOption, ...]
    count_messages: str  # JSON: CLDR plural category -> "{count} results for “{query}”"
    languages: tuple[LanguageLink, ...]  # every search page; empty when there is only one
    archive_url: str
    year_links: tuple[LinkView, ...]  # the date archives, for readers without JavaScript


def search_languages(archive: Archive) -> tuple[str, ...]:
    """The languages that have a search page: the site's, then each other edition's and each other
    one an article page is in."""
    site = archive.config.language
    editions = {e.code.lower(): e.code for e in archive.config.editions}
    found = {a.lang.lower() for a in archive.pages} | set(editions)
    others = sorted(found - {site.lower()})
    return (site, *(editions.get(lang, lang) for lang in others))


def articles_in(archive: Archive, lang: str) -> list[Article]:
    """The article pages a search in `lang` finds: every page in that language (expired ones too,
    as their pages stay, with a note); drafts and scheduled ones only when the build shows them."""
    lang = lang.lower()
    return [a for a in archive.pages if a.lang.lower() == lang]


def published_year(article: Article, config: SiteConfig) -> str:
    """The year of the date archive that lists the article (in its edition's time zone)."""
    return f"{article.published.value.astimezone(edition_of(config, article).timezone).year:04d}"


def count_messages(strings: Mapping[str, str], lang: str) -> dict[str, str]:
    """One message per CLDR plural category of the language (Babel's rules), 'other' as the fallback."""
    categories = sorted(locale_for(lang).plural_form.tags | {"other"})
    other = strings.get(f"{COUNT_KEY}other", "{count}")
    return {category: strings.get(f"{COUNT_KEY}{category}", other) for category in categories}


def language_name(lang: str) -> str:
    locale = locale_for(lang)
    name = Locale.parse(locale.language).get_display_name(locale) or lang
    return name[:1].upper() + name[1:]


TEMPLATE = "search.html"


class SearchPages:
    """The search page jobs of a build, given the renderer's `render` (template, **context -> bytes)
    and `template_key` (template name -> the fingerprint of its sources)."""

    def __init__(self, archive: Archive, env: jinja2.Environment, strings_for: Callable[[str], Mapping[str, str]],
                 render: Callable[..., bytes], template_key: Callable[[str], str],
                 site: Callable[[Edition], SiteView]):
        self.archive, self.strings_for, self.render, self.site = archive, strings_for, render, site
        _require_template(env, archive.config)
        self.template_key = template_key(TEMPLATE)
        self.languages = search_languages(archive)

    def jobs(self) -> Iterator[PageJob]:
        for lang in self.languages:
            path = search_path(self.archive.config, lang)
            view = self.view(lang)
            edition = self.edition(lang)
            key = fingerprint(self.template_key, "search", lang, path, repr(view), edition.code,
                              repr(self.site(edition)))
            yield PageJob(output_file(path), key, (), partial(self.page, lang, path, view))

    def edition(self, lang: str) -> Edition:
        """The edition whose search page this is: the language's own, else the default one."""
        config = self.archive.config
        return edition_for_language(config, lang) or config.default_edition

    def view(self, lang: str) -> SearchPageView:
        archive, config = self.archive, self.archive.config
        base = config.base_path
        edition = self.edition(lang)
        articles = articles_in(archive, lang)
        present = {a.section for a in articles}
        sections = tuple(FilterOption(s.key, s.title) for s in edition.sections if s.key in present)
        years = tuple(FilterOption(y, y) for y in sorted({published_year(a, config) for a in articles}, reverse=True))
        names = {author.key: author.name for a in articles for author in a.authors}
        authors = tuple(FilterOption(k, n) for k, n in sorted(names.items(), key=lambda item: item[1].casefold()))
        messages = json.dumps(count_messages(self.strings_for(lang), lang), ensure_ascii=False, sort_keys=True)
        languages = tuple(
            LanguageLink(other, language_name(other), href(base, search_path(config, other)),
                         text_direction(other), other == lang)
            for other in self.languages) if len(self.languages) > 1 else ()
        year_links = tuple(LinkView(str(y.year), href(base, y.path)) for y in archive.years_of(edition.code))
        return SearchPageView(href(base, f"{BUNDLE_FOLDER}/pagefind.js"), sections, years, authors, messages,
                              languages, href(base, edition.path("archive/")), year_links)

    def page(self, lang: str, path: str, view: SearchPageView) -> OutputPage:
        config = self.archive.config
        edition = self.edition(lang)
        title = self.strings_for(lang).get("search_title", "Search")
        page = page_view(config, lang=lang, dir=text_direction(lang), title=f"{title} — {edition.title}",
                         description="", path=path, kind="search", robots="noindex")
        return OutputPage(output_file(path), self.render(TEMPLATE, page=page, search=view, site=self.site(edition)))


def _require_template(env: jinja2.Environment, config: SiteConfig) -> None:
    """A theme made before search existed has no search page: say so before anything is built."""
    assert env.loader is not None
    try:
        env.loader.get_source(env, TEMPLATE)
    except jinja2.TemplateNotFound:
        raise BuildFailed([BuildError(config.site_dir / CONFIG_NAME, None, "search",
                                      f"search is on, and the theme '{config.theme}' has no {TEMPLATE} template",
                                      f"add templates/{TEMPLATE} (start from the default theme's), "
                                      "or turn search off: search: {enabled: false}")]) from None
