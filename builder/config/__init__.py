"""site.yaml -> SiteConfig: the site's settings, validated once at the edge.

Also the language tags and the YAML reader that keeps line numbers, which config and content share.
"""
