"""sitemap.xml (split into an index past the protocol's limit), a Google News sitemap, robots.txt.

XML is built with ElementTree, never by pasting strings.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from xml.etree import ElementTree as ET

from builder.config.site import SiteConfig
from builder.content.archive import Archive
from builder.content.urls import absolute
from builder.digests import fingerprint
from builder.render.alternates import Alternate, article_alternates, edition_alternates, listing_alternates
from builder.render.jobs import OutputPage, PageJob

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000


@dataclass(frozen=True)
class SitemapEntry:
    path: str  # site-relative
    lastmod: datetime | None
    alternates: tuple[Alternate, ...] = ()  # the page in every language, itself too (render.alternates)


def sitemap_entries(archive: Archive) -> list[SitemapEntry]:
    """Every indexable HTML page with the date it last changed."""
    config = archive.config
    per_page = config.per_page
    # Listed articles only: expired ones leave the index, drafts and scheduled ones carry noindex.
    entries = [SitemapEntry(a.path, a.modified.value, article_alternates(archive, a)) for a in archive.articles
               if not a.draft and a.published.value <= archive.now]
    for listing in archive.listings:
        for number in range(1, listing.page_count(per_page) + 1):
            shown = listing.page(number, per_page)
            lastmod = max((a.modified.value for a in shown), default=None)
            entries.append(SitemapEntry(listing.page_path(number), lastmod,
                                        listing_alternates(archive, listing, number)))
    default = config.default_edition.code
    for edition in config.editions:
        members = (a.modified.value for a in archive.articles if (a.edition or default) == edition.code)
        entries.append(SitemapEntry(edition.path("archive/"), max(members, default=None),
                                    edition_alternates(config, "archive/")))
    return entries


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _urlset(entries: list[SitemapEntry], config: SiteConfig) -> bytes:
    root = ET.Element("urlset", xmlns=SITEMAP_NS)
    if any(entry.alternates for entry in entries):
        root.set("xmlns:xhtml", XHTML_NS)
    for entry in entries:
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = absolute(config.base_url, entry.path)
        if entry.lastmod:
            ET.SubElement(url, "lastmod").text = entry.lastmod.isoformat(timespec="seconds")
        # The same alternates as the page's <link rel="alternate" hreflang>, x-default last.
        for lang, path in [(a.lang, a.path) for a in entry.alternates] + (
                [("x-default", entry.alternates[0].path)] if entry.alternates else []):
            ET.SubElement(url, "xhtml:link", rel="alternate", hreflang=lang, href=absolute(config.base_url, path))
    return _xml(root)


def sitemap_jobs(archive: Archive) -> Iterator[PageJob]:
    config = archive.config
    entries = sitemap_entries(archive)
    limit = config.sitemap_max_urls
    base = fingerprint("sitemap", config.base_url, limit)
    if len(entries) <= limit:
        yield _job("sitemap.xml", fingerprint(base, entries), lambda: _urlset(entries, config))
    else:
        index = ET.Element("sitemapindex", xmlns=SITEMAP_NS)
        for number, start in enumerate(range(0, len(entries), limit), 1):
            chunk = entries[start : start + limit]
            name = f"sitemap-{number}.xml"
            yield _job(name, fingerprint(base, chunk), lambda chunk=chunk: _urlset(chunk, config))
            item = ET.SubElement(index, "sitemap")
            ET.SubElement(item, "loc").text = absolute(config.base_url, name)
            stamps = [e.lastmod for e in chunk if e.lastmod]
            if stamps:
                ET.SubElement(item, "lastmod").text = max(stamps).isoformat(timespec="seconds")
        content = _xml(index)
        yield _job("sitemap.xml", fingerprint(content), lambda: content)
    default = config.default_edition.code
    for edition in config.editions:
        recent = [a for a in news_articles(archive) if (a.edition or default) == edition.code][:NEWS_LIMIT]
        yield _job(edition.path("news-sitemap.xml"),
                   fingerprint(base, edition.title, [(a.path, a.title, a.lang, a.published) for a in recent]),
                   partial(news_sitemap, archive, recent, edition.title))
    robots = f"User-agent: *\nAllow: /\n\nSitemap: {absolute(config.base_url, 'sitemap.xml')}\n".encode()
    yield _job("robots.txt", fingerprint(robots), lambda: robots)


def _job(path: str, key: str, make) -> PageJob:
    return PageJob(path, key, (), lambda: OutputPage(path, make()))


def news_articles(archive: Archive):
    return [a for a in archive.articles if archive.now - NEWS_WINDOW <= a.published.value <= archive.now]


def news_sitemap(archive: Archive, recent, name: str) -> bytes:
    """Articles of the last two days, at most 1,000, as Google News asks: one per edition, each
    named after its edition (a Google News publication is one name in one language)."""
    config = archive.config
    root = ET.Element("urlset", xmlns=SITEMAP_NS)
    root.set("xmlns:news", NEWS_NS)
    for article in recent:
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = absolute(config.base_url, article.path)
        news = ET.SubElement(url, "news:news")
        publication = ET.SubElement(news, "news:publication")
        ET.SubElement(publication, "news:name").text = name
        ET.SubElement(publication, "news:language").text = article.lang.split("-")[0].lower()
        ET.SubElement(news, "news:publication_date").text = article.published.value.isoformat(timespec="seconds")
        ET.SubElement(news, "news:title").text = article.title
    return _xml(root)
