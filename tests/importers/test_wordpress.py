"""broadsheet import wordpress: posts only, alt texts from attachments, captions and blocks, drafts, ?p=ID."""

from __future__ import annotations

import pytest

from builder.importers.notes import Notes
from builder.importers.wordpress import convert_content
from tests.importers.sites import WORDPRESS_OLD_URLS, wordpress_site
from tests.importers.support import import_and_build
from tests.support.files import tree_state


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    root = tmp_path_factory.mktemp("wordpress")
    source = wordpress_site(root / "old")
    before = tree_state(source)
    done = import_and_build("wordpress", source, root)
    assert tree_state(source) == before
    return done


BODY = "content/valley/2021/bridge-reopens.md"


def test_posts_only_with_their_authors_sections_tags_and_drafts(imported):
    files = sorted(p.relative_to(imported.site).as_posix() for p in (imported.site / "content").rglob("*.md"))
    assert files == ["content/news/2021/flood-warning-draft.md", BODY, "content/valley/2021/sunday-market.md"]
    body = imported.article(BODY)
    assert 'title: "Bridge reopens & traffic returns"' in body and 'date: "2021-04-12T10:00:00+04:00"' in body
    assert 'authors: ["nare"]' in body and 'tags: ["Roads"]' in body
    assert "draft: true" in imported.article("content/news/2021/flood-warning-draft.md")
    assert '{key: nare, name: "Nare Grigoryan"}' in imported.article("site.yaml")
    assert "WordPress page items (not posts): 1" in imported.result.report.read_text(encoding="utf-8")


def test_images_get_the_alt_text_wordpress_stores_and_become_figures(imported):
    body = imported.article(BODY)
    assert ('image: {"src": "/wp-content/uploads/2021/04/bridge.png", "alt": "A stone bridge over a green river", '
            '"caption": "The old bridge in spring"}') in body
    assert ('<figure><img class="size-medium wp-image-20" src="/wp-content/uploads/2021/04/bridge.png" '
            'alt="A stone bridge over a green river" width="300" height="200" /><figcaption>Spring on the bridge'
            '</figcaption></figure>') in body  # [caption]
    assert ('<figure class="wp-block-image"><img src="/wp-content/uploads/2021/04/market.png" '
            'alt="Map of the stalls around the square"/><figcaption>Stalls this Sunday</figcaption></figure>') in body
    assert "wp:" not in body and "[gallery" not in body  # block comments stripped, the gallery noted
    assert "<p>The bridge is open again.<br>\nCars crossed at dawn.</p>" in body  # wpautop
    # no alt text anywhere: no alt attribute, so the page still shows the debt
    assert '<img src="https://courier.example.org/wp-content/uploads/2021/04/crowd.png" />' in body
    assert (imported.site / "static/wp-content/uploads/2021/04/market.png").is_file()


def test_old_permalinks_and_question_mark_ids_keep_working(imported):
    for old in WORDPRESS_OLD_URLS:
        assert imported.lands_on(old) == "/" + old  # the permalink reproduces them
    assert '<a href="/2021/04/18/sunday-market/">the market story</a>' in imported.article(BODY)  # was ?p=31
    redirects = (imported.out / "_redirects").read_text(encoding="utf-8")
    assert "/ p=30 /2021/04/12/bridge-reopens/ 301" in redirects
    assert "/ p=31 /2021/04/18/sunday-market/ 301" in redirects
    assert imported.build.debts.judgement.new == [] and imported.build.debts.judgement.known_count == 1


def test_without_the_uploads_folder_images_stay_on_the_old_host(tmp_path):
    source = wordpress_site(tmp_path / "old", uploads=False)
    done = import_and_build("wordpress", source / "courier.xml", tmp_path)
    assert 'src="https://courier.example.org/wp-content/uploads/2021/04/market.png"' in done.article(BODY)
    assert done.result.summary.old_host == 4  # three in the body, the featured image


def test_wpautop_paragraphs_unindent_lines_and_leave_pre_alone():
    notes = Notes()
    html = convert_content("One\n\n    indented line\n\n<pre>\n  code\n\n  more\n</pre>", "x", 1, {}, "https://x.org",
                           {}, {}, notes)
    assert html == "<p>One</p>\n\n<p>indented line</p>\n\n<pre>\n  code\n\n  more\n</pre>\n"
