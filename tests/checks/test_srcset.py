"""srcset candidates are links: the page scan finds each one, and the build's link check checks them."""

from __future__ import annotations

import pytest

from builder.checks.page import scan_html
from builder.checks.scan import srcset_urls
from builder.errors import BuildFailed
from tests.checks.html_parser_oracle import scan_html as oracle_scan
from tests.support.builds import article
from tests.support.files import png


@pytest.mark.parametrize("srcset, urls", [
    ("a.jpg 320w, b.jpg 640w", ["a.jpg", "b.jpg"]),
    ("a.jpg", ["a.jpg"]),
    ("a.jpg 1x,b.jpg 2x", ["a.jpg", "b.jpg"]),
    ("a.jpg, b.jpg 2x", ["a.jpg", "b.jpg"]),  # a comma right after the URL ends the candidate
    ("data:image/png;base64,iVBO= 1x, c.jpg 2x", ["data:image/png;base64,iVBO=", "c.jpg"]),
    ("  x.jpg (odd, descriptor) 2x ,  y.jpg  ", ["x.jpg", "y.jpg"]),
    ("", []),
    (" , ,", []),
])
def test_srcset_candidates_are_read_as_the_html_standard_reads_them(srcset, urls):
    assert srcset_urls(srcset) == urls


PAGE = """<!doctype html><html lang="en"><head><title>t</title></head><body><main>
<picture>
<source type="image/webp" srcset="/i/a.320w.webp 320w, /i/a.640w.webp 640w" sizes="100vw">
<img src="/i/a.640w.jpg" srcset="/i/a.320w.jpg 320w,
  /i/a.640w.jpg 640w" sizes="100vw" alt="A">
</picture>
<img srcset="/i/b.jpg 2x" src="/i/b.jpg" alt="B" id="b">
</main></body></html>"""


def test_the_page_scan_finds_every_candidate_on_its_line():
    links = scan_html(PAGE).links
    assert links == [("/i/a.320w.webp", 3), ("/i/a.640w.webp", 3), ("/i/a.640w.jpg", 4), ("/i/a.320w.jpg", 4),
                     ("/i/a.640w.jpg", 4), ("/i/b.jpg", 7), ("/i/b.jpg", 7)]
    assert oracle_scan(PAGE).links == links


def test_a_broken_srcset_candidate_fails_the_build_at_its_line(build_site):
    # Raw HTML is written with the site's base path (/news/).
    body = ('Intro.\n\n<p><img src="/news/images/a.png" alt="A red square"\n'
            'srcset="/news/images/a.png 1x, /news/images/a-large.png 2x"></p>\n')
    text = article("Story", "2024-05-02T10:00:00+04:00", body=body)
    with pytest.raises(BuildFailed) as caught:
        build_site({"content/politics/story.md": text, "static/images/a.png": png()})
    (error,) = caught.value.errors
    assert str(error.path) == "content/politics/story.md" and "/images/a-large.png" in error.message
    assert error.line == text.splitlines().index('srcset="/news/images/a.png 1x, /news/images/a-large.png 2x"></p>') + 1
