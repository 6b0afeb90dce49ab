"""The document Pagefind reads for an article, and the index key made from all of them."""

from __future__ import annotations

import lxml.html

from builder.search.documents import search_document
from builder.search.index import index_key


def test_a_document_holds_the_article_its_filters_and_its_metadata(article, config):
    story = article("The council met.\n\n## What changes\n\nBuses.\n", title="Budget <b>& buses</b>",
                    summary="A \"big\" vote.", lang="hy-AM", authors=["anna"], tags=["Budget"],
                    date="2024-03-05T09:30:00+04:00")
    document = search_document(story, story.body.html, config)
    assert document.path == story.path and document.lang == "hy-am"
    page = lxml.html.document_fromstring(document.html)
    assert page.xpath("/html/@lang") == ["hy-am"]
    body = page.xpath("//*[@data-pagefind-body]")[0]
    assert body.xpath("./h1")[0].text_content() == "Budget <b>& buses</b>"  # text, escaped
    assert body.xpath("./p")[0].text_content() == 'A "big" vote.'
    assert body.xpath(".//h2/@id") == ["what-changes"]
    ignored = body.xpath("./*[@data-pagefind-ignore]")[0]  # values, not words of the article
    meta = {e.get("data-pagefind-meta"): e.text_content() for e in ignored.xpath("./*[@data-pagefind-meta]")}
    filters = [(e.get("data-pagefind-filter"), e.text_content()) for e in ignored.xpath("./*[@data-pagefind-filter]")]
    assert meta["title"] == "Budget <b>& buses</b>" and meta["section"] == "Politics"
    assert meta["authors"] == "Anna Petrosyan" and meta["tags"] == "Budget" and meta["year"] == "2024"
    assert meta["datetime"] == "2024-03-05T09:30+04:00"
    assert filters == [("section", "politics"), ("author", "anna"), ("tag", "budget"), ("year", "2024")]


def test_the_year_is_the_date_archive_s_in_the_site_time_zone(article, config):
    # 22:30 UTC on 31 December is already the next year in Yerevan (the site's zone).
    story = article(date="2023-12-31T22:30:00+00:00")
    page = lxml.html.document_fromstring(search_document(story, "", config).html)
    assert page.xpath("//*[@data-pagefind-filter='year']/text()") == ["2024"]


def test_the_index_key_follows_every_word_and_only_the_documents(article, config):
    first, second = article(title="Budget vote"), article(title="Book fair", path="content/culture/fair.md")
    documents = [search_document(a, a.body.html, config) for a in (first, second)]
    key = index_key(documents)
    assert index_key([search_document(a, a.body.html, config) for a in (first, second)]) == key
    renamed = article(title="Budget vote delayed")
    assert index_key([search_document(renamed, renamed.body.html, config), documents[1]]) != key
    assert index_key(documents[:1]) != key
    assert index_key([documents[0], documents[1].__class__(documents[1].path, documents[1].lang,
                                                           documents[1].html + " ")]) != key
