"""Archive -> a stream of OutputPages: every article and listing page through the theme's templates."""

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
from builder.templates import Theme, make_environment, template_error
from builder.urls import href, output_file
from builder.views import (
    ListingView, article_view, item_view, page_view, pagination_view, site_view,
)


@dataclass(frozen=True)
class OutputPage:
    """One file of the finished site: its bytes, or the file to copy them from."""

    path: str  # relative to the output folder, e.g. "politics/2024/03/vote/index.html"
    content: bytes | None = None
    source: Path | None = None
    made_from: tuple[str, ...] = ()  # the inputs it was made from, for incremental builds and reloads


@dataclass(frozen=True)
class Renderer:
    config: SiteConfig
    theme: Theme
    env: jinja2.Environment

    def _render(self, template: str, **context) -> bytes:
        lang = context["page"].lang
        try:
            html = self.env.get_template(template).render(
                site=context.pop("site", None) or site_view(self.config, None),
                t=self.theme.strings_for(lang),
                asset=self.asset_url,
                text_sizes=self.theme.text_sizes,
                **context,
            )
        except jinja2.TemplateError as exc:
            raise BuildFailed([template_error(exc, self.env)]) from None
        except (TypeError, AttributeError, KeyError, ValueError) as exc:
            raise BuildFailed([template_error(exc, self.env)]) from None
        return html.encode("utf-8")

    def asset_url(self, name: str) -> str:
        return href(self.config.base_path, f"assets/{name}")

    def article(self, article: Article) -> OutputPage:
        view = article_view(article, self.config)
        page = page_view(self.config, lang=article.lang, dir=article.dir,
                         title=f"{article.title} — {self.config.title}", description=article.summary,
                         path=article.path, kind="article")
        content = self._render("article.html", page=page, article=view)
        return OutputPage(output_file(article.path), content, made_from=(str(article.source),))

    def listing_pages(self, listing: Listing) -> Iterator[OutputPage]:
        config = self.config
        lang = config.language
        t = self.theme.strings_for(lang)
        per_page = config.per_page
        title = self._listing_title(listing, t)
        for number in range(1, listing.page_count(per_page) + 1):
            chunk = listing.articles[(number - 1) * per_page : number * per_page]
            view = ListingView(
                title=title,
                description=listing.description if listing.kind != "author" else "",
                bio=listing.description if listing.kind == "author" else "",
                items=tuple(item_view(a, config, lang) for a in chunk),
                pagination=pagination_view(listing, number, per_page, config.base_path),
            )
            path = listing.page_path(number)
            shown = title if number == 1 else f"{title} ({t.get('page', 'Page')} {number})"
            page = page_view(config, lang=lang, dir=text_direction(lang),
                             title=shown if listing.kind == "home" and number == 1 else f"{shown} — {config.title}",
                             description=listing.description, path=path, kind=listing.kind)
            site = site_view(config, listing.key if listing.kind == "section" else None)
            content = self._render("listing.html", page=page, listing=view, site=site)
            yield OutputPage(output_file(path), content, made_from=tuple(str(a.source) for a in chunk))

    def _listing_title(self, listing: Listing, t) -> str:
        if listing.kind == "tag":
            return t.get("tag_title", "{name}").format(name=listing.name)
        return listing.name

    def not_found(self) -> OutputPage:
        lang = self.config.language
        t = self.theme.strings_for(lang)
        page = page_view(self.config, lang=lang, dir=text_direction(lang),
                         title=f"{t.get('page_not_found', 'Page not found')} — {self.config.title}",
                         description="", path="404.html", kind="404")
        return OutputPage("404.html", self._render("404.html", page=page))


def render_site(archive: Archive, theme: Theme) -> Iterator[OutputPage]:
    renderer = Renderer(archive.config, theme, make_environment(archive.config, theme))
    for article in archive.articles:
        yield renderer.article(article)
    for listing in archive.listings:
        yield from renderer.listing_pages(listing)
    yield renderer.not_found()


def copy_files(config: SiteConfig, theme: Theme, static: dict) -> Iterator[OutputPage]:
    """Theme assets under assets/, then the site's static/ files at the site root."""
    if theme.assets_dir.is_dir():
        for file in sorted(theme.assets_dir.rglob("*")):
            if file.is_file():
                yield OutputPage(f"assets/{file.relative_to(theme.assets_dir).as_posix()}", source=file)
    for entry in static.values():
        yield OutputPage(entry.url_path, source=entry.path)
