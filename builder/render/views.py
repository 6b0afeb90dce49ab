"""View models: what templates see. Built from the archive, already localized and linked.

Templates never compute URLs or format dates; they only lay out these values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, get_datetime_format
from markupsafe import Markup

from builder.config.editions import Edition
from builder.config.languages import locale_for, text_direction
from builder.config.search import search_page_path
from builder.config.site import SiteConfig
from builder.content.archive import Listing
from builder.content.article import Article, Image, Timestamp
from builder.content.urls import absolute, href
from builder.render.images import NO_IMAGES, ImagePlan, Picture


@dataclass(frozen=True)
class DateView:
    iso: str  # value for <time datetime>
    display: str  # localized for the page's language


@dataclass(frozen=True)
class LinkView:
    name: str
    url: str
    current: bool = False
    lang: str = ""  # the language of `name` when it is not the page's (a name an edition fell back on)
    dir: str = ""

    @property
    def title(self) -> str:
        return self.name


GAP = LinkView("…", "")  # in a list of page links: pages left out here


@dataclass(frozen=True)
class ImageView:
    src: str
    alt: str | None  # None: no alt text yet, an accepted debt; the page has no alt attribute, never alt=""
    caption: str
    credit: str
    decorative: bool
    width: int | None
    height: int | None
    picture: Picture | None = None  # its generated files (render.images), when it has them


@dataclass(frozen=True)
class ArticleView:
    title: str
    summary: str
    lang: str
    dir: str
    url: str
    section: LinkView
    authors: tuple[LinkView, ...]
    published: DateView
    updated: DateView | None
    image: ImageView | None
    body_html: Markup
    tags: tuple[LinkView, ...]
    draft: bool
    scheduled: bool = False  # dated in the future (shown only in previews and with --future)
    expired: bool = False
    corrections: tuple[CorrectionView, ...] = ()
    previous: ItemView | None = None  # older article in the same section
    next: ItemView | None = None
    related: tuple[ItemView, ...] = ()


@dataclass(frozen=True)
class CorrectionView:
    date: DateView
    text: str


@dataclass(frozen=True)
class ItemView:
    title: str
    url: str
    summary: str
    lang: str
    dir: str
    published: DateView
    section: LinkView
    image: ImageView | None


@dataclass(frozen=True)
class PaginationView:
    pages: tuple[LinkView, ...]  # name is the page number; GAP (no url) where pages are left out
    number: int
    count: int
    prev_url: str | None
    next_url: str | None
    first_url: str
    last_url: str


@dataclass(frozen=True)
class SectionBlock:
    section: LinkView
    items: tuple[ItemView, ...]


@dataclass(frozen=True)
class MonthView:
    name: str
    count: int
    url: str
    count_text: str = ""  # "5 статей": the count in words, in the page's language and its plural rules


@dataclass(frozen=True)
class YearView:
    name: str
    count: int
    url: str
    months: tuple[MonthView, ...]
    count_text: str = ""


@dataclass(frozen=True)
class ListingView:
    title: str
    description: str
    bio: str
    items: tuple[ItemView, ...]
    pagination: PaginationView | None
    blocks: tuple[SectionBlock, ...] = ()  # the home page's latest per section
    years: tuple[YearView, ...] = ()  # the archive index
    kind: str = ""
    # The language of the title and of the description or bio when it is not the page's (text an
    # edition fell back on), and its direction.
    title_lang: str = ""
    description_lang: str = ""
    text_dir: str = ""


@dataclass(frozen=True)
class FeedLink:
    url: str
    title: str
    type: str


@dataclass(frozen=True)
class AlternateView:
    """The same page in another language: a language switcher link and a <link rel="alternate">."""

    lang: str  # hreflang, and the lang of the link's text
    dir: str
    name: str  # the language's name in itself
    url: str  # root-relative
    absolute: str  # for <link rel="alternate" hreflang> and sitemaps, which need absolute URLs
    current: bool  # this page


@dataclass(frozen=True)
class PageView:
    lang: str
    dir: str
    title: str
    description: str
    url: str
    canonical: str
    kind: str
    feeds: tuple[FeedLink, ...] = ()
    meta: tuple = ()  # MetaTag: OpenGraph and Twitter
    jsonld: Markup | None = None
    prev_url: str | None = None  # rel=prev/next of a paginated listing
    next_url: str | None = None
    robots: str = ""  # e.g. "noindex" on drafts and redirect pages
    alternates: tuple[AlternateView, ...] = ()  # this page in every language it exists in, itself too
    x_default: str = ""  # absolute URL of the version for readers whose language none of them is
    search_url: str = ""  # the search page for the page's language; "" when the site has no search


@dataclass(frozen=True)
class SiteView:
    title: str
    description: str
    home_url: str
    nav: tuple[LinkView, ...]
    lang: str  # the language site.yaml's names are written in, marked where a page's language differs
    dir: str
    archive_url: str
    editions: bool = False  # the site has `languages:` (theme features that came with editions)


@lru_cache(maxsize=50_000)
def date_view(stamp: Timestamp, lang: str, tz: ZoneInfo) -> DateView:
    """A moment shown in the site's time zone, in the page's language (CLDR patterns via Babel).

    Cached: an article's date appears on its page and in every listing that shows it, and Babel
    takes ~50 µs to format one.
    """
    locale = locale_for(lang)
    if stamp.date_only:
        day = stamp.value.date()
        return DateView(day.isoformat(), format_date(day, "long", locale=locale))
    local: datetime = stamp.value.astimezone(tz)
    pattern = str(get_datetime_format("long", locale=locale))
    display = pattern.replace("'", "").format(format_time(local, "short", locale=locale),
                                              format_date(local, "long", locale=locale))
    return DateView(local.isoformat(timespec="minutes"), display)


def image_view(image: Image | None, base_path: str, plan: ImagePlan = NO_IMAGES) -> ImageView | None:
    if image is None:
        return None
    src = href(base_path, image.src.lstrip("/")) if image.src.startswith("/") else image.src
    return ImageView(src, image.alt, image.caption, image.credit, image.decorative, image.width, image.height,
                     plan.picture(image.src))


def edition_of(config: SiteConfig, article: Article) -> Edition:
    return config.edition(article.edition) or config.default_edition


def section_link(config: SiteConfig, key: str, edition: Edition | None = None) -> LinkView:
    edition = edition or config.default_edition
    section = edition.section(key)
    url = href(config.base_path, edition.path(f"{key}/"))
    if section is None:
        return LinkView(key, url)
    if section.lang != edition.code:
        return LinkView(section.title, url, lang=section.lang, dir=text_direction(section.lang))
    return LinkView(section.title, url)


def article_view(article: Article, config: SiteConfig, body_html: str | None = None,
                 listed: Callable[[str], bool] = lambda path: True, plan: ImagePlan = NO_IMAGES,
                 **more) -> ArticleView:
    """The article as its page shows it; `body_html` when the body is kept outside the article.

    `listed(path)` says whether a tag or author page exists: an expired article may be the only
    one with a tag, and then its tag is shown without a link.
    """
    base = config.base_path
    edition = edition_of(config, article)
    link = lambda name, path: LinkView(name, href(base, path) if listed(path) else "")
    # Dates follow the page's interface: the article's language on a mixed-language site, else the edition's.
    lang, tz = edition.page_language(article.lang), edition.timezone
    return ArticleView(
        title=article.title,
        summary=article.summary,
        lang=article.lang,
        dir=article.dir,
        url=href(base, article.path),
        section=section_link(config, article.section, edition),
        authors=tuple(link(a.name, edition.path(f"authors/{a.key}/")) for a in article.authors),
        published=date_view(article.published, lang, tz),
        updated=date_view(article.updated, lang, tz) if article.updated else None,
        image=image_view(article.image, base, plan),
        body_html=Markup(article.body.html if body_html is None else body_html),
        tags=tuple(link(t.name, edition.path(f"tags/{t.key}/")) for t in article.tags),
        draft=article.draft,
        **more,
    )


def item_view(article: Article, config: SiteConfig, page_lang: str, plan: ImagePlan = NO_IMAGES) -> ItemView:
    # Dates in a listing follow the page's language, so a list reads consistently.
    edition = edition_of(config, article)
    return ItemView(
        title=article.title,
        url=href(config.base_path, article.path),
        summary=article.summary,
        lang=article.lang,
        dir=article.dir,
        published=date_view(article.published, page_lang, edition.timezone),
        section=section_link(config, article.section, edition),
        image=image_view(article.image, config.base_path, plan),
    )


PAGINATION_WINDOW = 2  # page numbers shown on either side of the current one


def page_numbers(number: int, count: int, window: int = PAGINATION_WINDOW) -> list[int | None]:
    """The numbers a pagination bar shows: the first, the last and `window` pages either side of
    `number`; None stands for two or more pages left out (a single one is shown instead).

    A bar of every page would put a section of 1,000 pages' thousand links on each of its pages:
    a thousand Tab stops for a keyboard user, and a build that grows with the square of the archive.
    """
    if count <= 2 * window + 5:  # no longer than the longest bar with gaps: every page fits
        return list(range(1, count + 1))
    shown = sorted({1, count, *range(max(1, number - window), min(count, number + window) + 1)})
    numbers: list[int | None] = []
    last = 0
    for n in shown:
        if n - last == 2:
            numbers.append(n - 1)
        elif n - last > 2:
            numbers.append(None)
        numbers.append(n)
        last = n
    return numbers


def pagination_view(listing: Listing, number: int, per_page: int, base_path: str) -> PaginationView | None:
    count = listing.page_count(per_page)
    if count == 1:
        return None
    url = lambda n: href(base_path, listing.page_path(n))
    return PaginationView(
        pages=tuple(LinkView(str(n), url(n), n == number) if n else GAP for n in page_numbers(number, count)),
        number=number,
        count=count,
        prev_url=url(number - 1) if number > 1 else None,
        next_url=url(number + 1) if number < count else None,
        first_url=url(1),
        last_url=url(count),
    )


def site_view(config: SiteConfig, current_section: str | None, edition: Edition | None = None) -> SiteView:
    """The header and footer of an edition's pages (the default edition's when none is named).

    The same for every page of an edition but for the current section: Renderer.site keeps one."""
    edition = edition or config.default_edition
    nav = tuple(replace(link, current=True) if s.key == current_section else link
                for s, link in ((s, section_link(config, s.key, edition)) for s in edition.sections))
    base = config.base_path
    return SiteView(edition.title, edition.description, href(base, edition.path("")), nav, edition.code,
                    edition.dir, href(base, edition.path("archive/")), editions=not edition.mixed)


def edition_for_language(config: SiteConfig, lang: str) -> Edition | None:
    """The edition whose language `lang` is, if any (language tags compare without case)."""
    lang = lang.casefold()
    return next((e for e in config.editions if e.code.casefold() == lang), None)


def search_path(config: SiteConfig, lang: str) -> str:
    """The site path of the search page for pages in `lang` (builder.config.search)."""
    edition = edition_for_language(config, lang)
    return search_page_path(config.language, lang, edition.prefix if edition else None)


def page_view(config: SiteConfig, *, lang: str, dir: str, title: str, description: str, path: str, kind: str,
              **more) -> PageView:
    search = href(config.base_path, search_path(config, lang)) if config.search.enabled else ""
    return PageView(lang, dir, title, description, href(config.base_path, path), absolute(config.base_url, path),
                    kind, search_url=search, **more)


def month_name(year: int, month: int, lang: str) -> str:
    """'March 2024' in the page's language (CLDR's stand-alone month and year pattern)."""
    from babel.dates import format_skeleton

    return format_skeleton("yMMMM", datetime(year, month, 1), locale=locale_for(lang))


def date_listing_title(kind: str, key: str, lang: str) -> str:
    parts = [int(p) for p in key.split("/")]
    if kind == "year":
        return key
    if kind == "month":
        return month_name(parts[0], parts[1], lang)
    return format_date(datetime(parts[0], parts[1], parts[2]).date(), "long", locale=locale_for(lang))
