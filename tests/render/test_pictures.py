"""The markup of responsive images (render.pictures): <picture>, its <source>s and the fallback <img>."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import lxml.html

from builder.config.images import ImageSettings
from builder.render.assets import CopiedFile
from builder.render.images import plan_images
from builder.render.pictures import PictureMarkup
from builder.render.views import ImageView

SIZES = "(min-width: 47em) 44rem, calc(100vw - 1.5rem)"


def markup(paths=("images/a b.jpg", "images/c.png")) -> PictureMarkup:
    files = {p: CopiedFile(p, p, Path("/s") / p, f"static/{p}", "d" * 64) for p in paths}
    plan = plan_images(ImageSettings(), "https://example.org/news/", "/news/", files,
                       dict.fromkeys(paths, (1600, 900)), paths)
    return PictureMarkup(plan, "/news/")


def view(src: str, alt: str = "A crowd in the square", decorative: bool = False) -> ImageView:
    return ImageView(src, alt, "", "", decorative, 1600, 900, markup().plan.picture(src))


class _Strict(HTMLParser):
    """Records every start tag; fails on unbalanced picture elements."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.open = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.open += tag == "picture"

    def handle_endtag(self, tag):
        self.open -= tag == "picture"


def parsed(html: str) -> _Strict:
    parser = _Strict()
    parser.feed(html)
    parser.close()
    assert parser.open == 0
    return parser


def test_a_lead_picture_is_fetched_first_and_keeps_the_size_of_the_original():
    html = markup().picture(view("/images/a b.jpg"), SIZES, lead=True)
    tags = parsed(html).tags
    assert [t for t, _ in tags] == ["picture", "source", "img"]
    source, img = tags[1][1], tags[2][1]
    assert source["type"] == "image/webp" and source["sizes"] == SIZES and " 320w, " in source["srcset"]
    assert img["sizes"] == SIZES and img["srcset"].endswith(" 1600w") and img["src"].endswith(".jpg")
    assert (img["width"], img["height"], img["alt"]) == ("1600", "900", "A crowd in the square")
    assert img["fetchpriority"] == "high" and "loading" not in img and "decoding" not in img
    # A space in the original's name is escaped in every URL, so srcset can be split at spaces.
    assert "a%20b." in img["src"] and all(" " not in c.split()[0] for c in img["srcset"].split(", "))


def test_other_pictures_wait_until_needed():
    html = markup().picture(view("/images/c.png"), SIZES, alt="", class_name="teaser__image")
    img = parsed(html).tags[-1][1]
    assert (img["loading"], img["decoding"], img["alt"], img["class"]) == ("lazy", "async", "", "teaser__image")
    assert "fetchpriority" not in img


def test_a_decorative_image_has_an_empty_alt():
    img = parsed(markup().picture(view("/images/c.png", alt="", decorative=True), SIZES)).tags[-1][1]
    assert img["alt"] == ""


def test_no_picture_without_generated_files():
    assert markup().picture(view("https://elsewhere.example/x.jpg"), SIZES) == ""


def test_body_figures_become_pictures_and_everything_else_stays():
    body = ('<p>Inline <img src="/news/images/c.png" alt="c"></p>\n'
            '<figure>\n<img src="/news/images/a%20b.jpg" alt="Rain &amp; wind" width="1600" height="900" '
            'loading="lazy" decoding="async" class="wide">\n<figcaption>Storm</figcaption></figure>\n'
            '<figure>\n<img src="/news/images/elsewhere.jpg" alt="x" loading="lazy" decoding="async">\n</figure>\n')
    html = markup().figures(body, SIZES)
    parsed(html)
    doc = lxml.html.fragment_fromstring(html, create_parent="div")  # (lxml's HTML 4 parser nests img in source)
    (picture,) = doc.xpath("//figure/picture")
    (img,) = picture.xpath(".//img")
    assert img.get("alt") == "Rain & wind" and img.get("class") == "wide" and img.get("loading") == "lazy"
    assert img.get("width") == "1600" and img.get("srcset") and picture.xpath(".//source/@sizes") == [SIZES]
    assert picture.getparent().find("figcaption").text == "Storm"
    assert doc.xpath("//p/img/@src") == ["/news/images/c.png"]  # inline images are left alone
    assert doc.xpath("//figure[2]/img/@src") == ["/news/images/elsewhere.jpg"]  # not a planned image
    assert markup(()).figures(body, SIZES) == body
