"""Archive -> page jobs -> bytes: templates, views, feeds, sitemaps and the files a host reads.

Every page is a PageJob whose key fingerprints everything its bytes depend on; rendering a job is a
pure function of the archive, the theme and the article bodies.
"""
