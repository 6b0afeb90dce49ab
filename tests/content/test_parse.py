"""Front matter and body checks: every problem as path:line: field: message, all at once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from builder.content.article import Article, AuthorRef, Tag
from tests.support.gazette import article_text, make_config

PATH = "content/politics/council-vote.md"
YEREVAN = ZoneInfo("Asia/Yerevan")


def problems(result) -> list[str]:
    """Errors as `path:line: field: message`, hints left out."""
    assert not isinstance(result, Article), "expected errors, got an article"
    return [str(replace(e, hint="")) for e in result]


# Line numbers below: article_text writes '---' on line 1, then title (2), date (3), section (4),
# then any other fields in the order given, the closing '---', a blank line and the body.

# --- a valid article ----------------------------------------------------------------------------

def test_valid_article_fields(article):
    a = article(summary="The council voted.", tags="[Budget]", authors="[anna]")
    assert a.title == "Council votes on budget"
    assert a.section == "politics"
    assert a.summary == "The council voted."
    assert a.slug == "council-vote"
    assert a.lang == "en" and a.dir == "ltr"
    assert a.draft is False
    assert a.image is None
    assert str(a.source) == PATH
    assert "<p>Body text.</p>" in a.body.html


def test_article_path_follows_the_default_permalink(article):
    assert article().path == "politics/2024/03/council-vote/"


def test_article_path_follows_a_custom_permalink(article, tmp_path):
    cfg = make_config(tmp_path, "permalinks:\n  article: /{lang}/{section}/{yyyy}/{mm}/{dd}/{slug}/\n")
    assert article(cfg=cfg, lang="hy").path == "hy/politics/2024/03/05/council-vote/"


def test_slug_field_overrides_the_file_name(article):
    a = article(slug="budget-2024")
    assert a.slug == "budget-2024"
    assert a.path == "politics/2024/03/budget-2024/"


def test_slug_from_file_name_is_slugified(article):
    assert article(path="content/politics/Council Vote_2024.md").slug == "council-vote-2024"


def test_draft_true_is_read(article):
    assert article(draft="true").draft is True


# --- dates -----------------------------------------------------------------------------------------

def test_date_without_offset_is_read_in_the_site_timezone(article):
    stamp = article(date="2024-03-05T09:30").published
    assert stamp.value == datetime(2024, 3, 5, 9, 30, tzinfo=YEREVAN)
    assert stamp.value.utcoffset() == timedelta(hours=4)
    assert stamp.date_only is False


def test_date_with_offset_keeps_its_moment(article):
    stamp = article(date="2024-03-05T09:30:00+00:00").published
    assert stamp.value == datetime(2024, 3, 5, 9, 30, tzinfo=UTC)


def test_date_only_is_midnight_in_the_site_timezone_and_marked(article):
    stamp = article(date="2024-03-05").published
    assert stamp.date_only is True
    assert stamp.value == datetime(2024, 3, 5, tzinfo=YEREVAN)


def test_quoted_date_is_read_too(article):
    assert article(date='"2024-03-05"').published.date_only is True


def test_updated_is_read(article):
    a = article(updated="2024-03-06T10:00")
    assert a.updated.value == datetime(2024, 3, 6, 10, 0, tzinfo=YEREVAN)


def test_article_path_uses_the_date_in_the_site_timezone(article):
    # 2024-03-31 22:30 UTC is 2024-04-01 02:30 in Yerevan, the site's time zone.
    assert article(date="2024-03-31T22:30:00+00:00").path == "politics/2024/04/council-vote/"


# --- authors, tags, language --------------------------------------------------------------------

def test_author_by_key_gets_name_and_bio(article):
    assert article(authors="[anna]").authors == (AuthorRef("anna", "Anna Petrosyan", "Covers the city council."),)


def test_author_by_configured_name_gets_key_and_bio(article):
    assert article(authors="[Anna Petrosyan]").authors == (
        AuthorRef("anna", "Anna Petrosyan", "Covers the city council."),)


def test_unknown_author_name_gets_a_slug_key(article):
    assert article(authors="[Gor Sargsyan, Լիլիթ Մանուկյան]").authors == (
        AuthorRef("gor-sargsyan", "Gor Sargsyan"), AuthorRef("լիլիթ-մանուկյան", "Լիլիթ Մանուկյան"))


def test_single_author_may_be_written_without_a_list(article):
    assert article(authors="anna").authors[0].key == "anna"


def test_tags_are_deduplicated_by_slug_keeping_the_first_spelling(article):
    tags = article(tags='[City Council, city council, " CITY  COUNCIL ", Budget]').tags
    assert tags == (Tag("city-council", "City Council"), Tag("budget", "Budget"))


def test_armenian_tag_slugs_keep_armenian_letters(article):
    assert article(tags="[Ընտրություններ, Երևան]").tags == (
        Tag("ընտրություններ", "Ընտրություններ"), Tag("երևան", "Երևան"))


def test_lang_defaults_to_the_site_language(article):
    assert article().lang == "en"


@pytest.mark.parametrize("lang", ["ar", "fa", "he"])
def test_right_to_left_languages_get_rtl_dir(article, lang):
    a = article(lang=lang)
    assert (a.lang, a.dir) == (lang, "rtl")


@pytest.mark.parametrize("lang", ["hy", "ru", "no"])
def test_left_to_right_languages_get_ltr_dir(article, lang):
    a = article(lang=lang)
    assert (a.lang, a.dir) == (lang, "ltr")


# --- images -------------------------------------------------------------------------------------

def test_image_gets_its_size_from_static_files(article):
    a = article(image="{src: /images/vote.jpg, alt: Councillors raise hands, caption: The vote, credit: A. P.}")
    assert a.image.src == "/images/vote.jpg"
    assert (a.image.width, a.image.height) == (1200, 800)
    assert (a.image.alt, a.image.caption, a.image.credit) == ("Councillors raise hands", "The vote", "A. P.")


def test_decorative_image_with_empty_alt_is_accepted(article):
    a = article(image='{src: /images/logo.svg, alt: "", decorative: true}')
    assert a.image.decorative is True and a.image.alt == ""


def test_external_image_is_accepted_without_a_static_file(article):
    assert article(image="{src: 'https://cdn.example.org/x.jpg', alt: A photo}").image.width is None


# --- front matter errors: exact path:line: field: message ---------------------------------------

def test_missing_title(parse):
    assert problems(parse(article_text(title=None))) == [f"{PATH}:2: missing required field 'title'"]


def test_empty_title(parse):
    assert problems(parse(article_text(title='""'))) == [f"{PATH}:2: title: must not be empty"]


def test_title_of_wrong_type(parse):
    assert problems(parse(article_text(title="[a, b]"))) == [f"{PATH}:2: title: expected text, got list"]


def test_missing_date(parse):
    assert problems(parse(article_text(date=None))) == [f"{PATH}:2: missing required field 'date'"]


@pytest.mark.parametrize("value", ["5 March 2024", "2024-13-01", "2024-02-30", "yesterday"])
def test_bad_date(parse, value):
    assert problems(parse(article_text(date=value))) == [f"{PATH}:3: date: '{value}' is not an ISO 8601 date"]


def test_date_of_wrong_type(parse):
    assert problems(parse(article_text(date="2024"))) == [f"{PATH}:3: date: expected a date, got int"]


def test_bad_updated_date(parse):
    assert problems(parse(article_text(updated="soon"))) == [f"{PATH}:5: updated: 'soon' is not an ISO 8601 date"]


def test_updated_before_published(parse):
    assert problems(parse(article_text(updated="2024-03-01"))) == [
        f"{PATH}:5: updated: is earlier than the publication date"]


def test_missing_section(parse):
    assert problems(parse(article_text(section=None))) == [f"{PATH}:2: missing required field 'section'"]


def test_unknown_section(parse):
    assert problems(parse(article_text(section="sport"))) == [f"{PATH}:4: section: unknown section 'sport'"]


def test_unknown_section_hint_lists_the_sections(parse):
    (error,) = parse(article_text(section="sport"))
    assert error.hint == "sections in site.yaml: politics, culture"


@pytest.mark.parametrize("value", ["english", "en_US", "'x y'"])
def test_bad_lang(parse, value):
    shown = value.strip("'")
    assert problems(parse(article_text(lang=value))) == [
        f"{PATH}:5: lang: '{shown}' is not a BCP 47 language tag"]


def test_unknown_field(parse):
    assert problems(parse(article_text(auhtors="[anna]"))) == [f"{PATH}:5: auhtors: unknown field 'auhtors'"]


@pytest.mark.parametrize("value, shown", [("yes", "'yes'"), ("1", "1"), ("'true'", "'true'")])
def test_draft_must_be_true_or_false(parse, value, shown):
    assert problems(parse(article_text(draft=value))) == [f"{PATH}:5: draft: expected true or false, got {shown}"]


def test_bad_slug(parse):
    assert problems(parse(article_text(slug="'no/slashes'"))) == [f"{PATH}:5: slug: 'no/slashes' is not a valid slug"]


def test_tag_without_letters(parse):
    assert problems(parse(article_text(tags='[Budget, "!!!"]'))) == [
        f"{PATH}:5: tags.1: '!!!' cannot be made into a tag page address"]


def test_tags_of_wrong_type(parse):
    assert problems(parse(article_text(tags="{a: b}"))) == [f"{PATH}:5: tags: expected a list, got dict"]


def image_article(*lines: str) -> str:
    # 'image:' is on line 5, its fields on lines 6, 7, ...
    return article_text(image="\n" + "\n".join(f"  {line}" for line in lines))


def test_image_without_alt(parse):
    assert problems(parse(image_article("src: /images/vote.jpg", "caption: The vote"))) == [
        f"{PATH}:5: image: missing required field 'alt'"]


def test_image_with_empty_alt_and_not_decorative(parse):
    assert problems(parse(image_article("src: /images/vote.jpg", 'alt: ""'))) == [f"{PATH}:7: image.alt: is empty"]


def test_decorative_image_with_alt(parse):
    assert problems(parse(image_article("src: /images/vote.jpg", "alt: Councillors", "decorative: true"))) == [
        f'{PATH}:8: image.decorative: a decorative image must have alt: ""']


def test_decorative_must_be_true_or_false(parse):
    errors = problems(parse(image_article("src: /images/vote.jpg", 'alt: ""', "decorative: yes")))
    assert f"{PATH}:8: image.decorative: expected true or false, got 'yes'" in errors


@pytest.mark.parametrize("alt, caption", [
    ("Mayor Anna Petrosyan", "Mayor Anna Petrosyan"),
    ("Mayor Anna Petrosyan", "mayor anna PETROSYAN"),
    ("Mayor  Anna Petrosyan", "'  Mayor Anna   Petrosyan '"),
])
def test_image_alt_same_as_caption(parse, alt, caption):
    errors = problems(parse(image_article("src: /images/vote.jpg", f"alt: {alt}", f"caption: {caption}")))
    assert errors == [f"{PATH}:7: image.alt: is the same as the caption"]


def test_image_alt_different_from_caption_is_fine(article):
    assert article(image="{src: /images/vote.jpg, alt: Councillors raise hands, caption: The mayor}").image


def test_image_file_missing(parse):
    assert problems(parse(image_article("src: /images/missing.jpg", "alt: A photo"))) == [
        f"{PATH}:6: image.src: '/images/missing.jpg' does not exist"]


@pytest.mark.parametrize("src", ["images/vote.jpg", "//cdn.example.org/vote.jpg", "../static/images/vote.jpg"])
def test_image_src_that_is_not_a_site_path(parse, src):
    assert problems(parse(image_article(f"src: '{src}'", "alt: A photo"))) == [
        f"{PATH}:6: image.src: '{src}' is not a site path"]


def test_image_without_src(parse):
    assert problems(parse(image_article("alt: A photo"))) == [f"{PATH}:5: image: missing required field 'src'"]


def test_image_unknown_field(parse):
    assert problems(parse(image_article("src: /images/vote.jpg", "alt: A photo", "title: x"))) == [
        f"{PATH}:8: image.title: unknown field 'title'"]


def test_image_that_is_not_a_mapping(parse):
    assert problems(parse(article_text(image="/images/vote.jpg"))) == [
        f"{PATH}:5: image: expected src, alt, caption and credit fields"]


def test_all_errors_in_a_file_are_reported_together(parse):
    text = article_text(
        "Intro.\n\n# Headline again\n\n![](/images/vote.jpg)\n",
        title='""', date="someday", section="sport", lang="english", draft="no", colour="red",
        image="{src: /images/nope.jpg, alt: A photo}",
    )
    errors = sorted(parse(text), key=lambda e: e.line)
    assert problems(errors) == [
        f"{PATH}:2: title: must not be empty",
        f"{PATH}:3: date: 'someday' is not an ISO 8601 date",
        f"{PATH}:4: section: unknown section 'sport'",
        f"{PATH}:5: lang: 'english' is not a BCP 47 language tag",
        f"{PATH}:6: draft: expected true or false, got 'no'",
        f"{PATH}:7: colour: unknown field 'colour'",
        f"{PATH}:8: image.src: '/images/nope.jpg' does not exist",
        f"{PATH}:13: body: a level-1 heading ('# Headline again') in the body",
        f"{PATH}:15: body: image '/images/vote.jpg' has no alt text",
    ]


# --- body errors at file lines ------------------------------------------------------------------

def test_body_level_one_heading_at_its_file_line(parse):
    # front matter: lines 1-5, blank line 6, body from line 7
    assert problems(parse(article_text("Intro.\n\n# Big headline\n"))) == [
        f"{PATH}:9: body: a level-1 heading ('# Big headline') in the body"]


def test_body_line_counts_a_longer_front_matter(parse):
    text = article_text("# Big\n", summary="x", tags="[a, b]", authors="[anna]")
    assert problems(parse(text)) == [f"{PATH}:10: body: a level-1 heading ('# Big') in the body"]


def test_body_image_without_alt_at_its_file_line(parse):
    assert problems(parse(article_text("Intro.\n\n![](/images/vote.jpg)\n"))) == [
        f"{PATH}:9: body: image '/images/vote.jpg' has no alt text"]


def test_body_image_alt_same_as_caption_at_its_file_line(parse):
    assert problems(parse(article_text('One.\n\nTwo.\n\n![The Vote](/images/vote.jpg "the vote")\n'))) == [
        f"{PATH}:11: body: image '/images/vote.jpg' has the same alt text and caption"]


def test_body_image_missing_file_at_its_file_line(parse):
    assert problems(parse(article_text("Intro.\n\n![A photo](/images/nope.jpg)\n"))) == [
        f"{PATH}:9: body: '/images/nope.jpg' does not exist"]


def test_body_image_relative_path_is_refused(parse):
    assert problems(parse(article_text("![A photo](vote.jpg)\n"))) == [f"{PATH}:7: body: 'vote.jpg' is not a site path"]


def test_body_external_image_is_accepted(article):
    assert article("![A photo](https://cdn.example.org/x.jpg)\n").body.images[0].src == "https://cdn.example.org/x.jpg"


def test_body_image_gets_width_and_height(article):
    assert 'width="1200" height="800"' in article("![Councillors](/images/vote.jpg)\n").body.html


def test_body_links_are_rebased_under_the_base_path(article, tmp_path):
    cfg = make_config(tmp_path, base_url="https://example.org/archive")
    assert '<a href="/archive/politics/">' in article("See [politics](/politics/).\n", cfg=cfg).body.html


def test_table_region_label_follows_the_article_language(tmp_path):
    from builder.content.article import ContentContext
    from builder.content.parse import parse_article
    from builder.content.sources import SourceFile

    ctx = ContentContext(config=make_config(tmp_path), image_sizes={}, static_paths=frozenset(),
                         table_labels={"en": "Table", "hy": "Աղյուսակ"})
    text = ("---\ntitle: T\ndate: 2024-03-05\nsection: politics\nlang: hy-AM\n---\n"
            "| Կուսակցություն | Ձայներ |\n|---|---|\n| Ա | 12 |\n")
    html = parse_article(SourceFile(Path("content/a.md"), text, "d"), ctx).body.html
    assert 'role="region" aria-label="Աղյուսակ"' in html


# --- whole-file problems ------------------------------------------------------------------------

def test_file_without_front_matter(parse):
    assert problems(parse("# Just markdown\n")) == [f"{PATH}:1: the file has no front matter"]


def test_front_matter_never_closed(parse):
    assert problems(parse("---\ntitle: x\n\nBody\n")) == [f"{PATH}:1: the front matter is never closed"]


def test_front_matter_yaml_error_at_its_file_line(parse):
    errors = parse("---\ntitle: x\ndate: 2024-03-05\ntags: [a, b\n---\nBody\n")
    assert len(errors) == 1 and str(errors[0].path) == PATH
    assert errors[0].message.startswith("invalid YAML")
    assert errors[0].line in (4, 5)


def test_duplicate_front_matter_field_at_its_line(parse):
    text = "---\ntitle: a\ndate: 2024-03-05\ntitle: b\nsection: politics\n---\n"
    assert problems(parse(text)) == [f"{PATH}:4: duplicate key 'title'"]


def test_front_matter_that_is_not_a_mapping(parse):
    assert problems(parse("---\n- a\n- b\n---\nBody\n")) == [
        f"{PATH}:2: the front matter must be a mapping of fields"]


# --- articles held by the thousand --------------------------------------------------------------

def test_unpickled_articles_are_equal_and_share_their_repeated_values(article):
    # The build's main process receives every article pickled (from parse workers and the build
    # cache); values that repeat across articles arrive as one shared object each.
    import pickle

    first = article(summary="One.", tags="[Budget, Yerevan]", authors="[anna]",
                    image="{src: /images/vote.jpg, alt: Councillors raise hands}")
    second = article(path="content/politics/second.md", summary="Two.", tags="[Budget]", authors="[anna]",
                     image="{src: /images/vote.jpg, alt: The same vote}")
    a, b = (pickle.loads(pickle.dumps(x, protocol=5)) for x in (first, second))
    assert (a, b) == (first, second)
    assert a.tags[0] is b.tags[0]
    assert a.authors is b.authors
    assert a.section is b.section and a.lang is b.lang and a.dir is b.dir
    assert a.static_refs == (("images/vote.jpg", (1200, 800)),)
    assert a.static_refs[0][1] is b.static_refs[0][1]


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01T00:00+14:00", "9999-12-31T23:59:59-12:00",
                                   "0001-01-01", '"9999-12-30T10:00"'])
def test_dates_at_the_ends_of_the_calendar_are_errors_not_tracebacks(parse, value):
    for field in ("date", "updated", "expires"):
        text = f"---\ntitle: T\ndate: 2024-03-05\nsection: politics\n{field}: {value}\n---\n\nBody.\n"
        if field == "date":
            text = f"---\ntitle: T\ndate: {value}\nsection: politics\n---\n\nBody.\n"
        errors = parse(text)
        assert isinstance(errors, list)
        assert any(e.field == field and "outside the dates" in e.message and e.line for e in errors), errors


def test_dates_a_week_inside_the_calendar_build(build_site):
    from tests.support.builds import article as site_article

    built = build_site({"content/politics/old.md": site_article("Old", "0001-01-09"),
                        "content/politics/far.md": site_article("Far", "9999-12-20T10:00:00+00:00")}, future=True)
    assert built.exists("politics/0001/01/old/") and built.exists("politics/9999/12/far/")


@pytest.mark.parametrize("src", ["/../../../../etc/passwd", "/images/../../secret.jpg", "/./images/x.jpg"])
def test_a_path_that_climbs_out_of_static_is_not_echoed_in_the_hint(parse, src):
    text = f"---\ntitle: T\ndate: 2024-03-05\nsection: politics\n---\n\n![A chart]({src})\n"
    errors = parse(text)
    (error,) = [e for e in errors if e.field == "body"]
    assert "is not a site path" in error.message and ".." not in error.hint and "static/." not in error.hint


# --- debts: problems that leave the page possible -----------------------------------------------

def _read(text: str, config, static=None):
    import hashlib

    from builder.content.article import ContentContext
    from builder.content.parse import read_article
    from builder.content.sources import SourceFile

    static = {"images/vote.jpg": (1200, 800)} if static is None else static
    ctx = ContentContext(config, {k: v for k, v in static.items() if v}, frozenset(static))
    return read_article(SourceFile(Path(PATH), text, hashlib.sha256(text.encode()).hexdigest()), ctx)


def test_accessibility_problems_leave_the_article_with_its_debts(config):
    text = image_article("src: /images/vote.jpg", "caption: The vote")[:-len("Body text.\n")] + (
        "# Old headline\n\n![](/images/missing.jpg)\n")
    article = _read(text, config)
    assert isinstance(article, Article)
    assert article.image.alt is None  # no alt text: the page shows none, not alt=""
    debts = [(e.line, e.field, e.debt.rule, e.debt.needle, e.debt.origin) for e in article.debts]
    assert debts == [
        (5, "image", "img-alt", "/images/vote.jpg", "content"),
        (10, "body", "multiple-h1", "Old headline", "content"),
        (12, "body", "img-alt", "/images/missing.jpg", "content"),
        (12, "body", "broken-link", "/images/missing.jpg", "content"),
    ]


def test_a_problem_that_makes_the_page_impossible_leaves_the_article_out_with_every_problem(config):
    result = _read(article_text("![](/images/vote.jpg)\n", section="nowhere"), config)
    assert isinstance(result, list)
    assert [(e.field, e.debt is not None) for e in result] == [("section", False), ("body", True)]


def test_parse_article_still_reports_debts_as_errors(parse):
    assert problems(parse(article_text("![](/images/vote.jpg)\n"))) == [
        f"{PATH}:7: body: image '/images/vote.jpg' has no alt text"]
