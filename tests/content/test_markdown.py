"""Markdown bodies: accessible HTML, links under the base path, and problems with their lines."""

from __future__ import annotations

from builder.config.content import ContentSettings
from builder.content.markdown import RenderSettings, render_markdown

ARCHIVE = RenderSettings("/archive/", {"images/cat.jpg": (640, 480)})


def test_lone_image_with_title_becomes_figure_with_figcaption():
    html = render_markdown('![A grey cat on a wall](/images/cat.jpg "The council\'s cat")\n').html
    assert html.startswith("<figure>\n<img ")
    assert '<figcaption>The council&#x27;s cat</figcaption></figure>' in html
    assert "<p>" not in html


def test_lone_image_without_title_is_a_figure_without_caption():
    html = render_markdown("![A grey cat](/images/cat.jpg)\n").html
    assert "<figure>" in html and "<figcaption>" not in html


def test_image_inside_text_stays_inline():
    html = render_markdown('Look: ![A grey cat](/images/cat.jpg "Cat") here.\n').html
    assert html.startswith("<p>Look: <img ")
    assert "<figure>" not in html and "<figcaption>" not in html


def test_image_width_and_height_come_from_image_sizes():
    html = render_markdown("![A grey cat](/images/cat.jpg)\n", RenderSettings("/", {"images/cat.jpg": (640, 480)})).html
    assert 'src="/images/cat.jpg"' in html
    assert 'width="640" height="480"' in html
    assert 'loading="lazy"' in html


def test_image_sizes_are_found_under_a_base_path():
    html = render_markdown("![A grey cat](/images/cat.jpg)\n", ARCHIVE).html
    assert 'src="/archive/images/cat.jpg" alt="A grey cat" width="640" height="480"' in html


def test_unknown_image_gets_no_size():
    html = render_markdown("![A dog](/images/dog.jpg)\n", ARCHIVE).html
    assert "width=" not in html


def test_alt_text_is_escaped():
    html = render_markdown('![Say "hi" <now>](/a.jpg)\n').html
    assert 'alt="Say &quot;hi&quot; &lt;now&gt;"' in html


def test_attribute_span_sets_language():
    html = render_markdown("She said [bonjour]{lang=fr} and left.\n").html
    assert '<span lang="fr">bonjour</span>' in html


def test_footnotes_link_both_ways():
    html = render_markdown("A claim.[^1]\n\n[^1]: The source.\n").html
    assert 'href="#fn1"' in html and 'id="fnref1"' in html
    assert '<li id="fn1"' in html and 'href="#fnref1"' in html
    assert "The source." in html


def test_table_is_wrapped_in_a_focusable_scroll_region():
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n").html
    assert html.startswith('<div class="table-scroll" tabindex="0" role="region" aria-label="Table">\n<table>')
    assert html.rstrip().endswith("</table>\n</div>")


def test_table_region_label_is_given_by_the_caller():
    html = render_markdown("| a |\n|---|\n| 1 |\n", table_label='Աղյուսակ "1"').html
    assert 'aria-label="Աղյուսակ &quot;1&quot;"' in html


def test_headings_get_ids_and_are_listed():
    rendered = render_markdown("## Council meets\n\ntext\n\n### Who voted?\n")
    assert '<h2 id="council-meets">Council meets</h2>' in rendered.html
    assert '<h3 id="who-voted">' in rendered.html
    assert [(h.level, h.text, h.id) for h in rendered.headings] == [(2, "Council meets", "council-meets"),
                                                                   (3, "Who voted?", "who-voted")]


def test_repeated_headings_get_distinct_ids():
    ids = [h.id for h in render_markdown("## Vote\n\n## Vote\n").headings]
    assert len(set(ids)) == 2


def test_heading_ids_keep_non_latin_letters():
    assert render_markdown("## Երևանի ավագանի\n").headings[0].id == "երևանի-ավագանի"


def test_site_root_links_are_rebased_under_the_base_path():
    rendered = render_markdown("See [politics](/politics/) and [a photo](/images/a.jpg).\n", ARCHIVE)
    assert '<a href="/archive/politics/">' in rendered.html
    assert '<a href="/archive/images/a.jpg">' in rendered.html
    assert [link.href for link in rendered.links] == ["/archive/politics/", "/archive/images/a.jpg"]


def test_links_at_root_base_path_are_unchanged():
    html = render_markdown("[politics](/politics/)\n", RenderSettings("/")).html
    assert '<a href="/politics/">' in html


def test_external_protocol_relative_and_fragment_links_are_untouched():
    rendered = render_markdown(
        "[a](https://example.com/x) [b](//cdn.example.com/y) [c](#notes) [d](mailto:desk@example.org) [e](other/)\n",
        ARCHIVE)
    assert [link.href for link in rendered.links] == ["https://example.com/x", "//cdn.example.com/y", "#notes",
                                                 "mailto:desk@example.org", "other/"]
    assert 'href="https://example.com/x"' in rendered.html and 'href="//cdn.example.com/y"' in rendered.html


def test_raw_html_passes_through():
    html = render_markdown('<aside class="note">Raw <b>HTML</b></aside>\n\nText.\n').html
    assert '<aside class="note">Raw <b>HTML</b></aside>' in html


def test_links_remember_their_body_line():
    rendered = render_markdown("First.\n\nSecond [x](/a/).\n")
    assert rendered.links[0].line == 3


def test_level_one_heading_is_a_problem_at_its_line():
    rendered = render_markdown("Intro.\n\n# Big title\n")
    assert len(rendered.problems) == 1
    line, message, hint, rule, needle = rendered.problems[0]
    assert line == 3
    assert message == "a level-1 heading ('# Big title') in the body"
    assert "##" in hint
    assert (rule, needle) == ("multiple-h1", "Big title")  # the accessibility baseline's key


def test_setext_level_one_heading_is_a_problem_too():
    assert render_markdown("Intro.\n\nBig title\n=========\n").problems[0][0] == 3


def test_level_two_heading_is_fine():
    assert render_markdown("## Fine\n").problems == ()


def test_image_without_alt_is_a_problem_at_its_line():
    rendered = render_markdown("Intro.\n\n![](/images/cat.jpg)\n")
    assert [(p.line, p.message, p.rule, p.needle) for p in rendered.problems] == [
        (3, "image '/images/cat.jpg' has no alt text", "img-alt", "/images/cat.jpg")]


def test_image_with_alt_equal_to_caption_is_a_problem():
    rendered = render_markdown('\n![The  Mayor.](/images/m.jpg "the mayor")\n')
    assert [(p.line, p.message, p.rule) for p in rendered.problems] == [
        (2, "image '/images/m.jpg' has the same alt text and caption", "alt-caption")]


def test_body_images_are_listed_as_written():
    rendered = render_markdown('![A cat](/images/cat.jpg "Cat")\n', ARCHIVE)
    (image,) = rendered.images
    assert (image.src, image.alt, image.caption, image.line) == ("/images/cat.jpg", "A cat", "Cat", 1)


def test_rendering_is_deterministic():
    body = "## A\n\n![x](/a.jpg)\n\n| a |\n|---|\n| 1 |\n\nNote[^1]\n\n[^1]: n\n"
    assert render_markdown(body, ARCHIVE) == render_markdown(body, ARCHIVE)


def test_image_in_a_later_line_of_a_paragraph_is_reported_at_its_own_line():
    rendered = render_markdown("A paragraph that starts here\nand goes on.\n![](/images/cat.jpg)\n")
    assert rendered.images[0].line == 3
    assert rendered.problems[0][0] == 3


def test_deep_quotes_and_lists_keep_their_words():
    # markdown-it's default nesting limit of 20 dropped the text of deeper quotes and lists.
    quotes = render_markdown(">" * 40 + " deep words\n")
    lists = render_markdown("".join("  " * i + f"- item {i}\n" for i in range(30)))
    assert "deep words" in quotes.html and not quotes.errors
    assert "item 29" in lists.html and not lists.errors


def test_nesting_past_the_limit_is_an_error_not_lost_words():
    # The line where the nesting passes the limit: the quote's, or the 49th level of the list.
    for body, line in (("Intro.\n\n" + ">" * 150 + " deep words\n", 3),
                       ("Intro.\n\n" + "".join("  " * i + f"- item {i}\n" for i in range(80)), 51)):
        rendered = render_markdown(body)
        assert [(at, "nested more than" in message) for at, message, _ in rendered.errors] == [(line, True)]


SHIFT = RenderSettings(content=ContentSettings(shift_headings=True))


def _levels(html: str) -> list[str]:
    import re

    return re.findall(r"<h(\d) id=\"([^\"]*)\"", html)


def test_heading_shift_moves_atx_headings_so_the_top_level_is_h2():
    body = "### Background\n\ntext\n\n#### Detail\n\n### Outlook\n"
    assert _levels(render_markdown(body, SHIFT).html) == [("2", "background"), ("3", "detail"), ("2", "outlook")]
    assert _levels(render_markdown(body).html) == [("3", "background"), ("4", "detail"), ("3", "outlook")]


def test_heading_shift_moves_setext_level_one_headings_down_and_ends_the_problem():
    body = "Top\n===\n\nBelow\n-----\n\n### Deeper\n"
    rendered = render_markdown(body, SHIFT)
    assert _levels(rendered.html) == [("2", "top"), ("3", "below"), ("4", "deeper")]
    assert rendered.problems == ()  # the level-1 heading is an h2 now
    assert [h.level for h in rendered.headings] == [2, 3, 4]
    assert render_markdown(body).problems[0].rule == "multiple-h1"  # without the shift, as before


def test_heading_shift_keeps_a_body_that_starts_at_h2_and_caps_at_h6():
    assert render_markdown("## A\n\n### B\n", SHIFT).html == render_markdown("## A\n\n### B\n").html
    assert _levels(render_markdown("# A\n\n###### F\n", SHIFT).html) == [("2", "a"), ("6", "f")]


def test_an_image_without_alt_text_is_rendered_without_an_alt_attribute():
    html = render_markdown("![](/images/cat.jpg)\n").html
    assert '<img src="/images/cat.jpg" loading="lazy"' in html and "alt=" not in html
