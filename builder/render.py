"""Archive -> a stream of OutputPages: articles, listings, the archive index, redirects, 404."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import jinja2

from builder.archive import Archive, Listing
from builder.config import SiteConfig
from builder.content import Article
from builder.errors import BuildFailed
from builder.languages import text_direction
from builder.structured import article_meta, news_article_jsonld
from builder.templates import Theme, make_environment, template_error
from builder.urls import absolute, href, output_file
from builder.views import (
    CorrectionView, FeedLink, ListingView, MonthView, SectionBlock, YearView, article_view, date_listing_title,
    date_view, item_view, month_name, page_view, pagination_view, site_view,
)

FEED_FORMATS = (("feed.xml", "application/rss+xml", "RSS"), ("atom.xml", "application/atom+xml", "Atom"),
                ("feed.json", "application/feed+json", "JSON Feed"))
FEED_KINDS = ("home", "section", "tag", "author")
HOME_SECTION_ITEMS = 3


@dataclass(frozen=True)
class OutputPage:
    """One file of the finished site: its bytes, or the file to copy them from."""

    path: str  # relative to the output folder, e.g. "politics/2024/03/vote/index.html"
    content: bytes | None = None
    source: Path | None = None
    made_from: tuple[str, ...] = ()  # the inputs it was made from, for incremental builds and reloads


def feed_links(config: SiteConfig, listing_path: str, title: str) -> tuple[FeedLink, ...]:
    return tuple(FeedLink(href(config.base_path, listing_path + name), f"{label}: {title}", mime)
                 for name, mime, label in FEED_FORMATS)


@dataclass(frozen=True)
class Renderer:
    archive: Archive
    theme: Theme
    env: jinja2.Environment

    @property
    def config(self) -> SiteConfig:
        return self.archive.config

    def render(self, template: str, **context) -> bytes:
        lang = context["page"].lang
        try:
            html = self.env.get_template(template).render(
                site=context.pop("site", None) or site_view(self.config, None),
                t=self.theme.strings_for(lang),
                asset=self.asset_url,
                text_sizes=self.theme.text_sizes,
                **context,
            )
        except (jinja2.TemplateError, TypeError, AttributeError, KeyError, ValueError) as exc:
            raise BuildFailed([template_error(exc, self.env)]) from None
        return html.encode("utf-8")

    def asset_url(self, name: str) -> str:
        return href(self.config.base_path, f"assets/{name}")

    def site_feeds(self) -> tuple[FeedLink, ...]:
        return feed_links(self.config, "", self.config.title)

    # Articles

    def article(self, article: Article) -> OutputPage:
        config, archive = self.config, self.archive
        links = archive.links.get(article.path)
        item = lambda a: item_view(a, config, article.lang)  # noqa: E731
        view = article_view(article, config)
        view = view.__class__(**{
            **view.__dict__,
            "scheduled": article.published.value > archive.now,
            "expired": archive.is_expired(article),
            "corrections": tuple(CorrectionView(date_view(c.date, article.lang, config.timezone), c.text)
                                 for c in article.corrections),
            "previous": item(links.previous) if links and links.previous else None,
            "next": item(links.next) if links and links.next else None,
            "related": tuple(item(a) for a in links.related) if links else (),
        })
        section = config.section(article.section)
        feeds = self.site_feeds() + feed_links(config, f"{article.section}/", section.title if section else "")
        page = page_view(config, lang=article.lang, dir=article.dir,
                         title=f"{article.title} — {config.title}", description=article.summary,
                         path=article.path, kind="article", feeds=feeds,
                         meta=article_meta(article, config), jsonld=news_article_jsonld(article, config),
                         robots="noindex" if article.draft else "")
        content = self.render("article.html", page=page, article=view)
        return OutputPage(output_file(article.path), content, made_from=(str(article.source),))

    # Listings

    def listing_title(self, listing: Listing, lang: str) -> str:
        t = self.theme.strings_for(lang)
        if listing.kind == "tag":
            return t.get("tag_title", "{name}").format(name=listing.name)
        if listing.kind in ("year", "month", "day"):
            return date_listing_title(listing.kind, listing.key, lang)
        return listing.name

    def home_blocks(self, lang: str) -> tuple[SectionBlock, ...]:
        blocks = []
        for section in self.config.sections:
            listing = self.archive.listing("section", section.key)
            if listing and listing.articles:
                items = tuple(item_view(a, self.config, lang) for a in listing.articles[:HOME_SECTION_ITEMS])
                blocks.append(SectionBlock(site_view(self.config, None).nav[self.config.sections.index(section)], items))
        return tuple(blocks)

    def listing_pages(self, listing: Listing) -> Iterator[OutputPage]:
        config = self.config
        lang = config.language
        t = self.theme.strings_for(lang)
        per_page = config.per_page
        title = self.listing_title(listing, lang)
        feeds = self.site_feeds()
        if listing.kind in FEED_KINDS and listing.kind != "home":
            feeds += feed_links(config, listing.path, title)
        for number in range(1, listing.page_count(per_page) + 1):
            chunk = listing.page(number, per_page)
            pagination = pagination_view(listing, number, per_page, config.base_path)
            view = ListingView(
                title=title,
                description=listing.description if listing.kind != "author" else "",
                bio=listing.description if listing.kind == "author" else "",
                items=tuple(item_view(a, config, lang) for a in chunk),
                pagination=pagination,
                blocks=self.home_blocks(lang) if listing.kind == "home" and number == 1 else (),
                kind=listing.kind,
            )
            path = listing.page_path(number)
            shown = title if number == 1 else t.get("page_title", "{title}, page {number} of {count}").format(
                title=title, number=number, count=listing.page_count(per_page))
            page = page_view(config, lang=lang, dir=text_direction(lang),
                             title=shown if listing.kind == "home" and number == 1 else f"{shown} — {config.title}",
                             description=listing.description, path=path, kind=listing.kind, feeds=feeds,
                             prev_url=pagination.prev_url if pagination else None,
                             next_url=pagination.next_url if pagination else None)
            site = site_view(config, listing.key if listing.kind == "section" and number == 1 else None)
            content = self.render("listing.html", page=page, listing=view, site=site)
            yield OutputPage(output_file(path), content, made_from=tuple(str(a.source) for a in chunk))

    def archive_index(self) -> OutputPage:
        config, lang = self.config, self.config.language
        t = self.theme.strings_for(lang)
        years = tuple(
            YearView(str(y.year), y.count, href(config.base_path, y.path),
                     tuple(MonthView(month_name(m.year, m.month, lang), m.count, href(config.base_path, m.path))
                           for m in y.months))
            for y in self.archive.years
        )
        title = t.get("archive_title", "Archive")
        view = ListingView(title=title, description="", bio="", items=(), pagination=None, years=years, kind="archive")
        page = page_view(config, lang=lang, dir=text_direction(lang), title=f"{title} — {config.title}",
                         description="", path="archive/", kind="archive", feeds=self.site_feeds())
        return OutputPage("archive/index.html", self.render("listing.html", page=page, listing=view))

    # Everything else

    def redirect(self, alias: str, article: Article) -> OutputPage:
        config = self.config
        target = href(config.base_path, article.path)
        page = page_view(config, lang=article.lang, dir=article.dir, title=f"{article.title} — {config.title}",
                         description="", path=article.path, kind="redirect", robots="noindex")
        content = self.render("redirect.html", page=page, target=target, target_title=article.title)
        return OutputPage(output_file(alias), content, made_from=(str(article.source),))

    def not_found(self) -> OutputPage:
        lang = self.config.language
        t = self.theme.strings_for(lang)
        page = page_view(self.config, lang=lang, dir=text_direction(lang),
                         title=f"{t.get('page_not_found', 'Page not found')} — {self.config.title}",
                         description="", path="404.html", kind="404", robots="noindex")
        return OutputPage("404.html", self.render("404.html", page=page))


def redirects_file(archive: Archive) -> OutputPage:
    """_redirects for hosts that read it (Netlify, Cloudflare Pages): real 301s for old addresses."""
    base = archive.config.base_path
    lines = [f"{href(base, alias)} {href(base, a.path)} 301" for a in archive.pages for alias in a.aliases]
    return OutputPage("_redirects", ("\n".join(sorted(lines)) + "\n").encode("utf-8"))


def render_site(archive: Archive, theme: Theme) -> Iterator[OutputPage]:
    renderer = Renderer(archive, theme, make_environment(archive.config, theme))
    for article in archive.pages:
        yield renderer.article(article)
        for alias in article.aliases:
            yield renderer.redirect(alias, article)
    for listing in archive.listings:
        yield from renderer.listing_pages(listing)
    yield renderer.archive_index()
    yield renderer.not_found()
    if archive.config.redirects_file:
        yield redirects_file(archive)


def copy_files(config: SiteConfig, theme: Theme, static: dict) -> Iterator[OutputPage]:
    """Theme assets under assets/, then the site's static/ files at the site root."""
    if theme.assets_dir.is_dir():
        for file in sorted(theme.assets_dir.rglob("*")):
            if file.is_file():
                yield OutputPage(f"assets/{file.relative_to(theme.assets_dir).as_posix()}", source=file)
    for entry in static.values():
        yield OutputPage(entry.url_path, source=entry.path)
