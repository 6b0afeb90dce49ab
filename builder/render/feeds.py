"""RSS 2.0, Atom 1.0 (both through feedgen) and JSON Feed 1.1 for the site and each listing.

Entries are ordered by their latest change, so an updated or corrected article is published
again at the top of the feeds with its new modified date.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from builder.config.editions import Edition
from builder.config.site import SiteConfig
from builder.content.archive import Archive, Listing
from builder.content.article import Article
from builder.content.rawhtml import sanitize
from builder.content.urls import absolute, href
from builder.digests import fingerprint
from builder.render.jobs import Bodies, OutputPage, PageJob
from builder.render.views import FeedLink

if TYPE_CHECKING:
    from feedgen.feed import FeedGenerator

FEED_FORMATS = (("feed.xml", "application/rss+xml", "RSS"), ("atom.xml", "application/atom+xml", "Atom"),
                ("feed.json", "application/feed+json", "JSON Feed"))
FEED_KINDS = ("home", "section", "tag", "author")


def feed_links(config: SiteConfig, listing_path: str, title: str) -> tuple[FeedLink, ...]:
    return tuple(FeedLink(href(config.base_path, listing_path + name), f"{label}: {title}", mime)
                 for name, mime, label in FEED_FORMATS)


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class FeedRef:
    url_path: str  # site-relative
    type: str
    label: str


def feed_refs(listing_path: str) -> tuple[FeedRef, ...]:
    return tuple(FeedRef(listing_path + name, mime, label) for name, mime, label in FEED_FORMATS)


def absolutize(html: str, config: SiteConfig) -> str:
    """Root-relative links in article HTML made absolute, as feed readers need."""
    parts = urlsplit(config.base_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    return re.sub(r'(\s(?:href|src)=")(/(?!/))', lambda m: m.group(1) + origin + "/", html)


def feed_body(article: Article, bodies: Bodies, config: SiteConfig) -> str:
    """An article's body as feeds carry it: always sanitized (a feed reader shows it inside its own
    page), whatever content.raw_html lets the site's pages publish, with links made absolute."""
    body = bodies(article)
    if config.content.raw_html == "allow":
        body = sanitize(body, config.content)
    return absolutize(body, config)


def _entries(listing: Listing, config: SiteConfig) -> list[Article]:
    ordered = sorted(listing.articles, key=lambda a: (a.modified.value, a.path), reverse=True)
    return ordered[: config.feed_limit]


def feed_entries(listing: Listing, config: SiteConfig) -> list[Article]:
    """The articles a listing's feeds carry: the latest changed first, at most feed_limit."""
    return _entries(listing, config)


def _edition(listing: Listing, config: SiteConfig) -> Edition:
    return config.edition(listing.edition) or config.default_edition


def _feed_title(listing: Listing, config: SiteConfig) -> str:
    title = _edition(listing, config).title
    return title if listing.kind == "home" else f"{listing.name} — {title}"


def _generator(listing: Listing, config: SiteConfig, entries: list[Article], self_path: str,
               bodies: Bodies, rss: bool = False) -> FeedGenerator:
    """One feed. RSS descriptions are read as HTML, so plain-text summaries are escaped for it;
    Atom content is declared html (its CDATA form is RSS-only)."""
    # feedgen brings lxml (about 30 ms to import): loaded when a feed is made, not for every rebuild.
    from feedgen.feed import FeedGenerator

    fg = FeedGenerator()
    page_url = absolute(config.base_url, listing.path)
    fg.id(page_url)
    fg.title(_feed_title(listing, config))
    # feedgen takes an RSS channel's <link> from the last link added: the page, not the feed.
    fg.link(href=absolute(config.base_url, self_path), rel="self")
    fg.link(href=page_url, rel="alternate")
    edition = _edition(listing, config)
    fg.language(edition.code)
    fg.description(listing.description or edition.description or edition.title)
    fg.generator("Broadsheet")
    # feedgen stamps the build time when not told otherwise; a feed must depend only on its inputs.
    changed = entries[0].modified.value if entries else EPOCH
    fg.updated(changed)
    fg.lastBuildDate(changed)
    for article in entries:
        url = absolute(config.base_url, article.path)
        entry = fg.add_entry(order="append")
        entry.id(url)
        entry.guid(url, permalink=True)
        entry.title(article.title)
        entry.link(href=url)
        entry.published(article.published.value)
        entry.updated(article.modified.value)
        for author in article.authors:
            author_url = absolute(config.base_url, edition.path(f"authors/{author.key}/"))
            entry.author({"name": author.name, "uri": author_url})
        full = article.body_fits_feeds(config)
        summary = article.summary or ("" if full else article.title)
        if summary:
            entry.summary(html.escape(summary, quote=False) if rss else summary)
        if full:
            entry.content(feed_body(article, bodies, config), type="CDATA" if rss else "html")
        for tag in article.tags:
            entry.category(term=tag.name)
    return fg


def json_feed(listing: Listing, config: SiteConfig, entries: list[Article], self_path: str, bodies: Bodies) -> bytes:
    edition = _edition(listing, config)
    items = []
    for article in entries:
        url = absolute(config.base_url, article.path)
        item = {
            "id": url,
            "url": url,
            "title": article.title,
            "date_published": article.published.value.isoformat(),
            "date_modified": article.modified.value.isoformat(),
            "language": article.lang,
            "authors": [{"name": a.name, "url": absolute(config.base_url, edition.path(f"authors/{a.key}/"))}
                        for a in article.authors],
            "tags": [t.name for t in article.tags],
        }
        if article.summary:
            item["summary"] = article.summary
        if article.body_fits_feeds(config):
            item["content_html"] = feed_body(article, bodies, config)
        else:
            item["content_text"] = article.summary or article.title
        if article.image and article.image.src.startswith("/"):
            item["image"] = absolute(config.base_url, article.image.src.lstrip("/"))
        items.append(item)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": _feed_title(listing, config),
        "home_page_url": absolute(config.base_url, listing.path),
        "feed_url": absolute(config.base_url, self_path),
        "language": edition.code,
        "items": items,
    }
    if listing.description:
        feed["description"] = listing.description
    return json.dumps(feed, ensure_ascii=False, indent=1).encode("utf-8")


def feed_jobs(archive: Archive, bodies: Bodies, environment_key: str, rewriter=None) -> Iterator[PageJob]:
    config = archive.config
    rewrite = rewriter or (lambda content: content)
    names = rewriter.names if rewriter else (lambda paths: list(paths))
    for listing in archive.listings:
        if listing.kind not in FEED_KINDS:
            continue
        entries = _entries(listing, config)
        made_from = tuple(str(a.source) for a in entries)
        key = fingerprint(environment_key, "feed", listing.kind, listing.key, listing.name, listing.description,
                          [(a.digest, a.path, a.modified, a.static_refs, names(r for r, _ in a.static_refs))
                           for a in entries])
        rss, atom, jsonf = feed_refs(listing.path)

        def atom_feed(listing=listing, entries=entries, path=atom.url_path, made_from=made_from):
            return OutputPage(path, rewrite(_generator(listing, config, entries, path, bodies).atom_str(pretty=True)),
                              made_from=made_from)

        def rss_feed(listing=listing, entries=entries, path=rss.url_path, made_from=made_from):
            generator = _generator(listing, config, entries, path, bodies, rss=True)
            return OutputPage(path, rewrite(generator.rss_str(pretty=True)), made_from=made_from)

        def json_feed_page(listing=listing, entries=entries, path=jsonf.url_path, made_from=made_from):
            return OutputPage(path, rewrite(json_feed(listing, config, entries, path, bodies)), made_from=made_from)

        yield PageJob(atom.url_path, key, made_from, atom_feed)
        yield PageJob(rss.url_path, key, made_from, rss_feed)
        yield PageJob(jsonf.url_path, key, made_from, json_feed_page)
