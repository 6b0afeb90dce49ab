"""Archive -> page jobs for every article and listing page, the archive index, redirects and 404.

The Renderer keys each page by what it shows (Renderer.template_key, item_key) and renders it with
the theme's templates; feeds, sitemaps and the files a host reads have their own modules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import jinja2

from builder.config.editions import Edition
from builder.config.languages import text_direction
from builder.config.site import SiteConfig
from builder.content.archive import Archive, Listing
from builder.content.article import Article
from builder.content.urls import href, output_file
from builder.digests import fingerprint
from builder.errors import BuildFailed
from builder.render.alternates import (
    Alternate,
    alternate_views,
    article_alternates,
    edition_alternates,
    edition_page,
    listing_alternates,
)
from builder.render.feeds import FEED_KINDS, feed_links
from builder.render.fragments import MAX_FRAGMENTS, FragmentStore, forget_oldest_half
from builder.render.hosting import redirects_file_job
from builder.render.images import NO_IMAGES, ImagePlan
from builder.render.jobs import Bodies, OutputPage, PageJob
from builder.render.pictures import PictureMarkup
from builder.render.search_page import SearchPages
from builder.render.structured import article_meta, news_article_jsonld
from builder.render.templates import make_environment, template_error, template_sources
from builder.render.theme import Theme
from builder.render.views import (
    CorrectionView,
    FeedLink,
    ItemView,
    ListingView,
    MonthView,
    SectionBlock,
    SiteView,
    YearView,
    article_view,
    date_listing_title,
    date_view,
    edition_of,
    item_view,
    month_name,
    page_view,
    pagination_view,
    site_view,
)

HOME_SECTION_ITEMS = 3

class Renderer:
    def __init__(self, archive: Archive, theme: Theme, bodies: Bodies, environment_key: str,
                 rewrite: Callable[[bytes], bytes] | None = None,
                 file_names: Callable[[list[str]], list[str]] | None = None,
                 listed_paths: frozenset[str] | None = None, bytecode_dir: Path | None = None,
                 images: ImagePlan = NO_IMAGES):
        """`listed_paths`: the listings that exist, when `archive` holds only some articles.
        `bytecode_dir`: where compiled templates are kept between builds.
        `images`: the generated files of the images articles show (render.images)."""
        self.archive, self.theme, self.bodies = archive, theme, bodies
        self.images = images
        self._pictures = PictureMarkup(images, archive.config.base_path)
        self.rewrite = rewrite or (lambda content: content)  # renamed (fingerprinted) file references
        self.file_names = file_names or (lambda paths: paths)
        self.config: SiteConfig = archive.config
        self.env: jinja2.Environment = make_environment(archive.config, theme, bytecode_dir)
        self.environment_key = environment_key  # config, UI strings, assets, code: what every page depends on
        self._template_keys: dict[str, str] = {}
        self._item_keys: dict[str, str] = {}
        self._items: dict[tuple[str, str], ItemView] = {}
        self._site_views: dict[tuple[str, str | None], SiteView] = {}
        self._fragments = FragmentStore()  # {% cache %} parts of this build's pages (builder.render.fragments)
        self._final_parts: dict[str, str] = {}  # a part -> its text in the final page
        self.listed_paths = listed_paths if listed_paths is not None else {listing.path for listing in archive.listings}
        # Every page's versions in other languages, as its job was made: checked for reciprocity
        # once every job is made (render.alternates.check_reciprocal).
        self.alternates: dict[str, tuple[Alternate, ...]] = {}

    def render(self, template: str, **context) -> bytes:
        lang = context["page"].lang
        self._fragments.used.clear()
        try:
            html = self.env.get_template(template).render(
                site=context.pop("site", None) or self.site(self.config.default_edition),
                t=self.theme.strings_for(lang),
                count=partial(self.theme.count, lang),
                asset=self.asset_url,
                text_sizes=self.theme.text_sizes,
                fragment_cache=self._fragments,
                picture=self._pictures.picture,
                figures=self._pictures.figures,
                **context,
            )
        except (jinja2.TemplateError, TypeError, AttributeError, KeyError, ValueError) as exc:
            raise BuildFailed([template_error(exc, self.env)]) from None
        return self.rewrite(html.encode("utf-8"))

    def take_parts(self) -> tuple[str, ...]:
        """The cached parts the last rendered page is made of, as they are in its final bytes (file
        names rewritten, ends stripped), in order; once. The page checks read each part once."""
        used = self._fragments.used
        if not used:
            return ()
        final = self._final_parts
        if len(final) >= MAX_FRAGMENTS:
            forget_oldest_half(final)
        parts = []
        for part in used:
            text = final.get(part)
            if text is None:
                encoded = part.encode("utf-8")
                rewritten = self.rewrite(encoded)
                # Most parts name no renamed file: the part itself (strip() of a str with nothing
                # to strip is the same object), not a copy of it for every part.
                text = final[part] = (part if rewritten == encoded else rewritten.decode("utf-8")).strip()
            parts.append(text)
        used.clear()
        return tuple(parts)

    def template_key(self, name: str) -> str:
        """environment_key plus the source of a template and of every template it uses.

        A change to article.html re-renders article pages only, not every listing. A template
        that names another through a variable cannot be followed: then every template counts.
        """
        key = self._template_keys.get(name)
        if key is None:
            key = self._template_keys[name] = fingerprint(self.environment_key, template_sources(self.env, name))
        return key

    def asset_url(self, name: str) -> str:
        return href(self.config.base_path, f"assets/{name}")

    def site(self, edition: Edition, current_section: str | None = None) -> SiteView:
        """The header and footer of an edition's pages, made once per edition and current section."""
        key = (edition.code, current_section)
        view = self._site_views.get(key)
        if view is None:
            view = self._site_views[key] = site_view(self.config, current_section, edition)
        return view

    def site_feeds(self, edition: Edition) -> tuple[FeedLink, ...]:
        return feed_links(self.config, edition.prefix, edition.title)

    def planned(self, path: str, alternates: tuple[Alternate, ...]) -> tuple[Alternate, ...]:
        """Note a page's alternates for the reciprocity check; hand them on for its key."""
        if alternates:
            self.alternates[path] = alternates
        return alternates

    def item(self, article: Article, lang: str) -> ItemView:
        """An article as listings show it: the same on its section, tag, author and date pages."""
        key = (article.path, lang)
        view = self._items.get(key)
        if view is None:
            if len(self._items) > 20_000:  # bounded: a worker renders pages in archive order
                self._items.clear()
            view = self._items[key] = item_view(article, self.config, lang, self.images)
        return view

    def item_key(self, article: Article) -> str:
        """Fingerprint of what a listing or a neighbour link shows of an article."""
        key = self._item_keys.get(article.path)
        if key is None:
            image = article.image
            key = self._item_keys[article.path] = fingerprint(
                article.path, article.title, article.summary, article.lang, article.published, article.section,
                (image.src, image.alt, image.width, image.height) if image else None,
                self.file_names([ref for ref, _ in article.static_refs]),
                self.images.picture(image.src) if image else None,
            )
        return key

    # Articles

    def article_job(self, article: Article) -> PageJob:
        archive = self.archive
        links = archive.links.get(article.path)
        scheduled = article.published.value > archive.now
        expired = archive.is_expired(article)
        neighbours = (links.previous, links.next, *links.related) if links else ()
        linked = [p for p in self.article_listing_paths(article) if p in self.listed_paths]
        alternates = self.planned(article.path, article_alternates(archive, article))
        key = fingerprint(self.template_key("article.html"), "article", article.digest, article.path,
                          article.static_refs,
                          self.file_names([ref for ref, _ in article.static_refs]),
                          self.images.key(ref for ref, _ in article.static_refs), self._social(article),
                          scheduled, expired, [self.item_key(a) if a else None for a in neighbours], linked,
                          *([alternates] if alternates else []))
        return PageJob(output_file(article.path), key, (str(article.source),),
                       lambda: self.article(article, scheduled, expired))

    def _social(self, article: Article):
        return self.images.social_image(article.image.src, article.image.focus) if article.image else None

    def article_listing_paths(self, article: Article) -> list[str]:
        prefix = edition_of(self.config, article).prefix
        return [f"{prefix}tags/{t.key}/" for t in article.tags] + [f"{prefix}authors/{a.key}/" for a in article.authors]

    def article(self, article: Article, scheduled: bool, expired: bool) -> OutputPage:
        config = self.config
        edition = edition_of(config, article)
        lang = edition.page_language(article.lang)  # of the interface: the edition's, on a multilingual site
        links = self.archive.links.get(article.path)
        item = lambda a: self.item(a, lang)
        view = article_view(
            article, config, self.bodies(article),
            listed=self.listed_paths.__contains__,
            scheduled=scheduled,
            expired=expired,
            corrections=tuple(CorrectionView(date_view(c.date, lang, edition.timezone), c.text)
                              for c in article.corrections),
            previous=item(links.previous) if links and links.previous else None,
            next=item(links.next) if links and links.next else None,
            related=tuple(item(a) for a in links.related) if links else (),
            plan=self.images,
        )
        section = edition.section(article.section)
        feeds = self.site_feeds(edition) + feed_links(config, edition.path(f"{article.section}/"),
                                                      section.title if section else "")
        alternates, x_default = alternate_views(config, article_alternates(self.archive, article), article.path)
        page = page_view(config, lang=lang, dir=text_direction(lang),
                         title=f"{article.title} — {edition.title}", description=article.summary,
                         path=article.path, kind="article", feeds=feeds,
                         meta=article_meta(article, config, self._social(article)),
                         jsonld=news_article_jsonld(article, config),
                         robots="noindex" if article.draft or scheduled else "",
                         alternates=alternates, x_default=x_default)
        content = self.render("article.html", page=page, article=view, site=self.site(edition))
        return OutputPage(output_file(article.path), content, made_from=(str(article.source),))

    # Listings

    def listing_title(self, listing: Listing, lang: str) -> str:
        t = self.theme.strings_for(lang)
        if listing.kind == "tag":
            return t.get("tag_title", "{name}").format(name=listing.name)
        if listing.kind in ("year", "month", "day"):
            return date_listing_title(listing.kind, listing.key, lang)
        return listing.name

    def home_sections(self, edition: Edition) -> list[tuple[int, Listing]]:
        found = []
        for index, section in enumerate(edition.sections):
            listing = self.archive.listing("section", section.key, edition.code)
            if listing and listing.articles:
                found.append((index, listing))
        return found

    def listing_jobs(self, listing: Listing) -> Iterator[PageJob]:
        per_page = self.config.per_page
        count = listing.page_count(per_page)
        for number in range(1, count + 1):
            chunk = listing.page(number, per_page)
            blocks = []
            if listing.kind == "home" and number == 1:
                blocks = [[self.item_key(a) for a in section.articles[:HOME_SECTION_ITEMS]]
                          for _, section in self.home_sections(self.listing_edition(listing))]
            alternates = self.planned(listing.page_path(number), listing_alternates(self.archive, listing, number))
            key = fingerprint(self.template_key("listing.html"), "listing", listing.kind, listing.key, listing.name,
                              listing.description, number, count, [self.item_key(a) for a in chunk], blocks,
                              *([listing.edition, listing.text_lang, alternates] if alternates or listing.text_lang
                                else []))
            yield PageJob(output_file(listing.page_path(number)), key, tuple(str(a.source) for a in chunk),
                          partial(self.listing_page, listing, number))

    def listing_edition(self, listing: Listing) -> Edition:
        return self.config.edition(listing.edition) or self.config.default_edition

    def listing_page(self, listing: Listing, number: int) -> OutputPage:
        config = self.config
        edition = self.listing_edition(listing)
        lang = edition.code
        t = self.theme.strings_for(lang)
        per_page = config.per_page
        title = self.listing_title(listing, lang)
        feeds = self.site_feeds(edition)
        if listing.kind in FEED_KINDS and listing.kind != "home":
            feeds += feed_links(config, listing.path, title)
        chunk = listing.page(number, per_page)
        pagination = pagination_view(listing, number, per_page, config.base_path)
        nav = self.site(edition).nav
        blocks: tuple[SectionBlock, ...] = ()
        if listing.kind == "home" and number == 1:
            blocks = tuple(SectionBlock(nav[i], tuple(self.item(a, lang) for a in found.articles[:HOME_SECTION_ITEMS]))
                           for i, found in self.home_sections(edition))
        text_lang = listing.text_lang
        view = ListingView(
            title=title,
            description=listing.description if listing.kind != "author" else "",
            bio=listing.description if listing.kind == "author" else "",
            items=tuple(self.item(a, lang) for a in chunk),
            pagination=pagination,
            blocks=blocks,
            kind=listing.kind,
            title_lang=text_lang if listing.kind == "section" else "",
            description_lang=text_lang,
            text_dir=text_direction(text_lang) if text_lang else "",
        )
        path = listing.page_path(number)
        shown = title if number == 1 else t.get("page_title", "{title}, page {number} of {count}").format(
            title=title, number=number, count=listing.page_count(per_page))
        alternates, x_default = alternate_views(config, listing_alternates(self.archive, listing, number), path)
        page = page_view(config, lang=lang, dir=text_direction(lang),
                         title=shown if listing.kind == "home" and number == 1 else f"{shown} — {edition.title}",
                         description=listing.description, path=path, kind=listing.kind, feeds=feeds,
                         prev_url=pagination.prev_url if pagination else None,
                         next_url=pagination.next_url if pagination else None,
                         alternates=alternates, x_default=x_default)
        site = self.site(edition, listing.key if listing.kind == "section" and number == 1 else None)
        content = self.render("listing.html", page=page, listing=view, site=site)
        return OutputPage(output_file(path), content, made_from=tuple(str(a.source) for a in chunk))

    def archive_index_job(self, edition: Edition) -> PageJob:
        path = edition.path("archive/")
        alternates = self.planned(path, edition_alternates(self.config, "archive/"))
        years = self.archive.years_of(edition.code)
        key = fingerprint(self.template_key("listing.html"), "archive-index", years,
                          *([edition.code, alternates] if alternates else []))
        return PageJob(output_file(path), key, (), partial(self.archive_index, edition))

    def archive_index(self, edition: Edition) -> OutputPage:
        config, lang = self.config, edition.code
        t = self.theme.strings_for(lang)
        count = partial(self.theme.count, lang, "article_count")
        years = tuple(
            YearView(str(y.year), y.count, href(config.base_path, y.path),
                     tuple(MonthView(month_name(m.year, m.month, lang), m.count, href(config.base_path, m.path),
                                     count(m.count))
                           for m in y.months), count(y.count))
            for y in self.archive.years_of(edition.code)
        )
        title = t.get("archive_title", "Archive")
        path = edition.path("archive/")
        view = ListingView(title=title, description="", bio="", items=(), pagination=None, years=years, kind="archive")
        alternates, x_default = alternate_views(config, edition_alternates(config, "archive/"), path)
        page = page_view(config, lang=lang, dir=text_direction(lang), title=f"{title} — {edition.title}",
                         description="", path=path, kind="archive", feeds=self.site_feeds(edition),
                         alternates=alternates, x_default=x_default)
        return OutputPage(output_file(path), self.render("listing.html", page=page, listing=view,
                                                         site=self.site(edition)))

    # Everything else

    def redirect_job(self, alias: str, article: Article) -> PageJob:
        key = fingerprint(self.template_key("redirect.html"), "redirect", alias, article.path, article.title,
                          article.lang)
        return PageJob(output_file(alias), key, (str(article.source),), lambda: self.redirect(alias, article))

    def redirect(self, alias: str, article: Article) -> OutputPage:
        config = self.config
        edition = edition_of(config, article)
        lang = edition.page_language(article.lang)
        target = href(config.base_path, article.path)
        page = page_view(config, lang=lang, dir=text_direction(lang), title=f"{article.title} — {edition.title}",
                         description="", path=article.path, kind="redirect", robots="noindex")
        content = self.render("redirect.html", page=page, target=target, target_title=article.title,
                              target_lang=article.lang, target_dir=article.dir, site=self.site(edition))
        return OutputPage(output_file(alias), content, made_from=(str(article.source),))

    def root_redirect_job(self) -> PageJob:
        """The site's root when the default edition has a prefix: a page that sends readers to it."""
        edition = self.config.default_edition
        key = fingerprint(self.template_key("redirect.html"), "root", edition.prefix, edition.title, edition.code)
        return PageJob("index.html", key, (), partial(self.root_redirect, edition))

    def root_redirect(self, edition: Edition) -> OutputPage:
        config = self.config
        page = page_view(config, lang=edition.code, dir=edition.dir, title=edition.title, description="",
                         path=edition.prefix, kind="redirect", robots="noindex")
        content = self.render("redirect.html", page=page, target=href(config.base_path, edition.prefix),
                              target_title=edition.title, site=self.site(edition))
        return OutputPage("index.html", content)

    def not_found_job(self, edition: Edition) -> PageJob:
        path = edition_page(edition, "404.html")
        alternates = self.planned(path, edition_alternates(self.config, "404.html"))
        key = fingerprint(self.template_key("404.html"), "404", *([edition.code, alternates] if alternates else []))
        return PageJob(path, key, (), partial(self.not_found, edition))

    def not_found(self, edition: Edition) -> OutputPage:
        lang = edition.code
        t = self.theme.strings_for(lang)
        path = edition_page(edition, "404.html")
        alternates, x_default = alternate_views(self.config, edition_alternates(self.config, "404.html"), path)
        page = page_view(self.config, lang=lang, dir=text_direction(lang),
                         title=f"{t.get('page_not_found', 'Page not found')} — {edition.title}",
                         description="", path=path, kind="404", robots="noindex",
                         alternates=alternates, x_default=x_default)
        return OutputPage(path, self.render("404.html", page=page, site=self.site(edition)))


def article_jobs(renderer: Renderer) -> Iterator[PageJob]:
    for article in renderer.archive.pages:
        yield renderer.article_job(article)
        for alias in article.aliases:
            if "?" not in alias:  # a query alias (/?p=123) has no file: see render.hosting
                yield renderer.redirect_job(alias, article)


def listing_jobs(renderer: Renderer) -> Iterator[PageJob]:
    for listing in renderer.archive.listings:
        yield from renderer.listing_jobs(listing)
    for edition in renderer.config.editions:
        yield renderer.archive_index_job(edition)
        yield renderer.not_found_job(edition)
    if renderer.config.default_edition.prefix:
        yield renderer.root_redirect_job()
    if renderer.config.search.enabled:
        yield from SearchPages(renderer.archive, renderer.env, renderer.theme.strings_for, renderer.render,
                               renderer.template_key, renderer.site).jobs()
    if renderer.config.redirects_file:
        yield redirects_file_job(renderer.archive)
