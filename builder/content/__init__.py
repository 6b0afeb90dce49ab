"""Files -> Article -> Archive: the site's content as data, metadata only and pure.

sources (the only walk of the site folder) -> frontmatter and markdown -> article (one file, parsed
and validated) -> archive (what is published, every listing, how articles link); urls give every
address its shape.
"""
