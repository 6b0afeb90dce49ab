"""Archive -> the search index: one Pagefind document per article page, one index per language.

Between render and output: it reads the archive and the article bodies (the renderer's own data,
not the built pages) and the search page's rules (render.search_page: which languages, which
years), and hands the build a folder of Pagefind's files for the writer to stage with the rest of
the site. documents.py makes the documents (pure), index.py keys them, pagefind.py runs Pagefind.
"""
