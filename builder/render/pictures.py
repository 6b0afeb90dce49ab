"""The markup of a responsive image: <picture>, a <source> per modern format, the fallback <img>.

Templates call `picture(image, sizes, lead=...)` for the images they place (the lead image,
teasers) and `figures(body_html, sizes)` for the figures of an article's body; both are given to
every template by the renderer. `sizes` is the theme's to say, because only the theme knows how
wide its layout shows an image: the default theme's values follow themes/default/assets/style.css.

The <img> keeps the original's width and height, so the browser reserves the space before a byte
arrives and nothing moves while the page loads. The lead image is fetched first
(fetchpriority="high"); every other image waits until it is near the screen (loading="lazy") and
is decoded off the main thread (decoding="async").

Body figures are found in the body's final HTML: the Markdown stage renders an image on a line of
its own as <figure><img src=...>, and knows nothing of generated files, so a cached body stays
valid when an image's bytes change. Only the first <img> of a <figure> is replaced, and only when
its src is an image the plan resized; raw HTML pictures are left as written.
"""

from __future__ import annotations

import re
from html import escape, unescape
from urllib.parse import unquote

from markupsafe import Markup

from builder.render.images import ImagePlan, Picture

_FIGURE_IMAGE = re.compile(r"(<figure>\s*)<img\b([^>]*)>")
_ATTRIBUTE = re.compile(r'\s([a-z][a-z0-9-]*)(?:="([^"]*)")?')
_REPLACED = frozenset({"src", "srcset", "sizes", "width", "height", "loading", "decoding", "fetchpriority"})


def picture_html(picture: Picture, alt: str | None, sizes: str, *, lead: bool = False, class_name: str = "",
                 attributes: str = "") -> str:
    """`attributes`: more of the <img>'s attributes, as written (already escaped). `alt` None: the
    image has no text alternative yet (an accepted debt, see checks.baseline), so the <img> has no
    alt attribute: alt="" would tell screen readers the picture is decorative, and silence axe."""
    sizes = escape(sizes)
    lines = ["<picture>"]
    lines += [f'<source type="{s.type}" srcset="{escape(s.srcset)}" sizes="{sizes}">' for s in picture.sources]
    img = [f'<img src="{escape(picture.src)}" srcset="{escape(picture.srcset)}" sizes="{sizes}"']
    if class_name:
        img.append(f' class="{escape(class_name)}"')
    if alt is not None:
        img.append(f' alt="{escape(alt)}"')
    img.append(f' width="{picture.width}" height="{picture.height}"')
    img.append(attributes)
    img.append(' fetchpriority="high">' if lead else ' loading="lazy" decoding="async">')
    lines.append("".join(img))
    lines.append("</picture>")
    return "\n".join(lines)


class PictureMarkup:
    """The `picture` and `figures` functions templates call, for one build's ImagePlan."""

    def __init__(self, plan: ImagePlan, base_path: str):
        self.plan, self.base_path = plan, base_path

    def picture(self, image, sizes: str, lead: bool = False, class_name: str = "", alt: str | None = None) -> Markup:
        """An ImageView as <picture>; "" when it has no generated files (then the template writes its <img>).

        `alt`: another text than the image's own, e.g. "" where a link beside it says it all."""
        picture: Picture | None = getattr(image, "picture", None)
        if picture is None:
            return Markup("")
        if alt is None:
            alt = "" if getattr(image, "decorative", False) else image.alt
        return Markup(picture_html(picture, alt, sizes, lead=lead, class_name=class_name))

    def figures(self, body_html: str, sizes: str) -> Markup:
        """The body with each figure's image as a <picture>."""
        if "<figure>" not in body_html or not self.plan.tasks:
            return Markup(body_html)
        return Markup(_FIGURE_IMAGE.sub(lambda match: self._figure(match, sizes), body_html))

    def _figure(self, match: re.Match, sizes: str) -> str:
        attributes = {name: value for name, value in _ATTRIBUTE.findall(match.group(2))}
        src = unquote(unescape(attributes.get("src", "")))
        if not src.startswith(self.base_path):
            return match.group(0)
        picture = self.plan.picture("/" + src[len(self.base_path):])
        if picture is None:
            return match.group(0)
        written = attributes.get("alt")
        alt = None if written is None else unescape(written)
        # Attributes the Markdown gave besides those the picture sets (e.g. {.wide} from attrs).
        others = "".join(f' {name}="{value}"' for name, value in attributes.items()
                         if name not in _REPLACED and name != "alt")
        return match.group(1) + picture_html(picture, alt, sizes, attributes=others)
