"""Rendered pages -> files in the output folder: staged, then switched in; the manifest of what is there.

The output folder is the only place a build writes. Its layout (our private files, the staging area)
is named in output.layout, which deploy and the audit read too.
"""
