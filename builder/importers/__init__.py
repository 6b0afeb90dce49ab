"""Importers: an existing Jekyll, Hugo or WordPress site -> a new Broadsheet site folder.

Each engine has a reader (jekyll.py, hugo.py, wordpress.py) that turns the old site into the same
typed OldSite (model.py), converting its syntax as it goes (liquid.py, shortcodes.py, and the
WordPress markup in wordpress.py). Everything after that is shared and knows no engine: which
section each post goes to (mapping.py, the file a second run reads), the addresses that keep every
old URL working (addresses.py), internal links and anchors rewritten (links.py), writing the site
folder (site.py) and the report of what was converted, dropped and found (report.py); run.py puts
them in order. The old site is only ever read.
"""
