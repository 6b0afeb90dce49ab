"""The search index of a build, keyed by what it indexes: an unchanged index is kept, not made again.

The key fingerprints every document in order (builder.search.documents) with Pagefind's version:
a new title, sentence, tag, date or article changes it; what documents leave out (templates,
images, related-article links, another page's changes) does not. The build keeps the last bundle
when the key is the same and every file of it is intact, and otherwise runs Pagefind over all
documents: Pagefind cannot update an index in place, and one run costs some 23 s of CPU and
2.5 GB of memory at 10,000 articles (benchmarks/search.py), against about 1 s for the key.
Documents are made twice when the index changes (once for the key, once to write them), never
held all at once: at 10,000 articles they are some 140 MB on disk.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from builder.search.documents import SearchDocument
from builder.search.pagefind import pagefind_version

# What the bundle is made of besides the documents: change it when pagefind.py hands on other files.
BUNDLE_FORMAT = 1


def index_key(documents: Iterable[SearchDocument]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{BUNDLE_FORMAT}\x1f{pagefind_version()}\x1f".encode())
    for document in documents:
        for part in (document.path, document.lang, document.html):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\x1f")
        digest.update(b"\x1e")
    return digest.hexdigest()
