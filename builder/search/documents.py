"""Article -> the document Pagefind indexes for it: the article's own words, filters and metadata.

A document is a small HTML page made from the renderer's data, not the built article page, so
navigation, footers, text-size controls and related-article lists are never indexed and the
theme needs no data-pagefind attributes. It holds, in this order:
- <html lang>: the index it goes into (Pagefind makes one per language);
- the headline as <h1> and the summary, which Pagefind ranks above the body;
- the body as the Markdown made it: its headings keep their ids, which Pagefind turns into deep
  links (sub-results) into long articles;
- filters (section and author keys, tag keys, year) and metadata (title, summary, date, section,
  authors, tags, year) as data-pagefind elements inside a data-pagefind-ignore block, so they are
  read as values, not indexed as words. Keys, not names, are the filter values: the search page
  shows each with its name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from builder.config.site import SiteConfig
from builder.content.archive import Archive
from builder.content.article import Article
from builder.render.search_page import published_year
from builder.render.views import date_view, edition_of


@dataclass(frozen=True)
class SearchDocument:
    path: str  # the article page's site path, e.g. "politics/2024/03/council-vote/"
    lang: str  # the index it goes into: the article's language tag, lower case
    html: str


def search_document(article: Article, body_html: str, config: SiteConfig) -> SearchDocument:
    edition = edition_of(config, article)
    section = edition.section(article.section)
    published = date_view(article.published, article.lang, edition.timezone)
    year = published_year(article, config)
    meta = [("title", article.title), ("summary", article.summary), ("date", published.display),
            ("datetime", published.iso), ("section", section.title if section else article.section),
            ("authors", ", ".join(a.name for a in article.authors)), ("tags", ", ".join(t.name for t in article.tags)),
            ("year", year)]
    filters = [("section", article.section), *(("author", a.key) for a in article.authors),
               *(("tag", t.key) for t in article.tags), ("year", year)]
    lang = article.lang.lower()
    parts = [
        f'<!doctype html><html lang="{escape(lang)}"><head><meta charset="utf-8"><title>{escape(article.title)}'
        "</title></head><body><article data-pagefind-body>",
        f"<h1>{escape(article.title)}</h1>",
        f"<p>{escape(article.summary)}</p>" if article.summary else "",
        body_html,
        "<div data-pagefind-ignore>",
        *(f'<span data-pagefind-meta="{name}">{escape(value)}</span>' for name, value in meta if value),
        *(f'<span data-pagefind-filter="{name}">{escape(value)}</span>' for name, value in filters if value),
        "</div></article></body></html>",
    ]
    return SearchDocument(article.path, lang, "".join(parts))


def search_documents(archive: Archive, bodies: Callable[[Article], str]):
    """One document per article page, in archive order, made one at a time (bodies are large)."""
    for article in archive.pages:
        yield search_document(article, bodies(article), archive.config)
