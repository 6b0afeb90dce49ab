"""Outputs made from the archive besides the HTML pages: feeds, sitemaps, redirects."""
