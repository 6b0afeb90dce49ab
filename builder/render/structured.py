"""Machine-readable page metadata: OpenGraph, Twitter cards and schema.org NewsArticle JSON-LD."""

from __future__ import annotations

import json
from dataclasses import dataclass

from markupsafe import Markup

from builder.config.editions import Edition
from builder.config.site import SiteConfig
from builder.content.article import Article
from builder.content.urls import absolute
from builder.render.images import SocialImage


@dataclass(frozen=True)
class MetaTag:
    attribute: str  # "property" (OpenGraph) or "name" (Twitter, description)
    key: str
    content: str


def _image_url(article: Article, config: SiteConfig) -> str | None:
    if not article.image:
        return None
    src = article.image.src
    return absolute(config.base_url, src.lstrip("/")) if src.startswith("/") else src


def _edition(article: Article, config: SiteConfig) -> Edition:
    return config.edition(article.edition) or config.default_edition


def article_meta(article: Article, config: SiteConfig, social: SocialImage | None = None) -> tuple[MetaTag, ...]:
    """OpenGraph and Twitter tags; the site and section named as the article's edition names them.
    `social`: the lead image cropped for sharing (render.images), else the lead image as it is."""
    url = absolute(config.base_url, article.path)
    image = social.url if social else _image_url(article, config)
    edition = _edition(article, config)
    section = edition.section(article.section)
    tags = [
        MetaTag("property", "og:type", "article"),
        MetaTag("property", "og:site_name", edition.title),
        MetaTag("property", "og:title", article.title),
        MetaTag("property", "og:url", url),
        MetaTag("property", "og:locale", article.lang.replace("-", "_")),
        MetaTag("property", "article:published_time", article.published.value.isoformat()),
        MetaTag("property", "article:modified_time", article.modified.value.isoformat()),
        MetaTag("property", "article:section", section.title if section else article.section),
        *(MetaTag("property", "article:tag", t.name) for t in article.tags),
        MetaTag("name", "twitter:card", "summary_large_image" if image else "summary"),
        MetaTag("name", "twitter:title", article.title),
    ]
    if article.summary:
        tags += [MetaTag("property", "og:description", article.summary),
                 MetaTag("name", "twitter:description", article.summary)]
    if image and article.image:
        tags += [MetaTag("property", "og:image", image), MetaTag("name", "twitter:image", image)]
        if social:
            tags += [MetaTag("property", "og:image:width", str(social.width)),
                     MetaTag("property", "og:image:height", str(social.height))]
        if article.image.alt:
            tags += [MetaTag("property", "og:image:alt", article.image.alt),
                     MetaTag("name", "twitter:image:alt", article.image.alt)]
    return tuple(tags)


def script_json(data: object) -> Markup:
    """JSON safe inside <script>: '<', '>' and '&' are escaped, so '</script>' cannot end the element."""
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def news_article_jsonld(article: Article, config: SiteConfig) -> Markup:
    url = absolute(config.base_url, article.path)
    edition = _edition(article, config)
    section = edition.section(article.section)
    data: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "inLanguage": article.lang,
        "datePublished": article.published.value.isoformat(),
        "dateModified": article.modified.value.isoformat(),
        "articleSection": section.title if section else article.section,
        "author": [
            {"@type": "Person", "name": a.name, "url": absolute(config.base_url, edition.path(f"authors/{a.key}/"))}
            for a in article.authors
        ],
        "publisher": {"@type": "Organization", "name": edition.title, "url": absolute(config.base_url, edition.prefix)},
    }
    if article.summary:
        data["description"] = article.summary
    if image := _image_url(article, config):
        data["image"] = [image]
    if article.tags:
        data["keywords"] = [t.name for t in article.tags]
    return script_json(data)
