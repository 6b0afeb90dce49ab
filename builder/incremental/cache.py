"""The persistent build cache: parsed articles and their rendered bodies, each page's ids, and
what the page checks found on each page (kept pages are not read again, but their accepted
accessibility debts still count: builder.build.debts).

It lives in the output folder (the only place a build writes) as one SQLite file. It is an
optimisation only: a missing, corrupt, foreign or outdated cache means a clean build, never a
wrong site. Article bodies are kept here rather than in memory, so a build of a large archive
holds only the metadata that listings need.
"""

from __future__ import annotations

import contextlib
import json
import pickle
import sqlite3
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from builder.content.sources import IMAGE_SUFFIXES
from builder.digests import file_sha256
from builder.incremental.stamp import RACY_WINDOW_NS, BuildStamp

if TYPE_CHECKING:
    from builder.content.article import Article
    from builder.content.sources import Measured, StaticFile
    from builder.errors import BuildError



@dataclass(frozen=True)
class CachedArticle:
    size: int
    mtime_ns: int
    digest: str
    article: Article  # body html left out: read it with BuildCache.body()


def without_body(article: Article) -> Article:
    """The article as listings and link checks need it: body HTML, headings and images left out.

    100,000 of these stay in memory during a build; the body's links stay for the link check."""
    return replace(article, body=replace(article.body, html="", headings=(), images=(), problems=()))


class BuildCache:
    def __init__(self, path: Path, context: str):
        """`context` fingerprints everything besides the file itself that parsing depends on."""
        self.path, self.context = path, context
        self.db = self._open()
        # `--clean`: what earlier builds stored is not used, but stays until this build succeeds
        # and replaces it. Clearing it first lost it all when the clean build then failed.
        self.ignoring = False

    @classmethod
    def existing(cls, path: Path, context: str) -> BuildCache | None:
        """The cache a build with this context left, for reading alongside builds that may run at the
        same time (the preview's search catch-up): never created, reset or changed in shape here.
        None when it is not there or another context's."""
        try:
            db = sqlite3.connect(f"file:{quote(str(path))}?mode=rw", uri=True, isolation_level=None,
                                 check_same_thread=False)
        except sqlite3.Error:
            return None
        try:
            db.execute("PRAGMA busy_timeout=10000")
            row = db.execute("SELECT value FROM meta WHERE key = 'context'").fetchone()
        except sqlite3.Error:
            db.close()
            return None
        if not row or row[0] != context:
            db.close()
            return None
        cache = cls.__new__(cls)
        cache.path, cache.context, cache.db, cache.ignoring = path, context, db, False
        return cache

    def ignore_stored(self) -> None:
        self.ignoring = True

    def _open(self) -> sqlite3.Connection:
        for attempt in (1, 2):
            try:
                db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=OFF")
                db.executescript(
                    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
                    "CREATE TABLE IF NOT EXISTS articles(source TEXT PRIMARY KEY, size INT, mtime_ns INT,"
                    " digest TEXT, article BLOB, html TEXT);"
                    "CREATE TABLE IF NOT EXISTS page_ids(path TEXT PRIMARY KEY, ids TEXT);"
                    "CREATE TABLE IF NOT EXISTS file_digests(path TEXT PRIMARY KEY, size INT, mtime_ns INT,"
                    " digest TEXT);"
                    "CREATE TABLE IF NOT EXISTS recipes(key TEXT PRIMARY KEY, blob BLOB);"
                    "CREATE TABLE IF NOT EXISTS image_sizes(path TEXT PRIMARY KEY, size INT, mtime_ns INT,"
                    " width INT, height INT);"
                    "CREATE TABLE IF NOT EXISTS findings(path TEXT PRIMARY KEY, blob BLOB);"
                    "CREATE TABLE IF NOT EXISTS blobs(key TEXT PRIMARY KEY, blob BLOB);"
                )
                stored = dict(db.execute("SELECT key, value FROM meta"))
                if stored.get("context") != self.context:
                    db.executescript("DELETE FROM articles; DELETE FROM page_ids; DELETE FROM file_digests;"
                                     "DELETE FROM meta; DELETE FROM findings; DELETE FROM blobs;"
                                     "DELETE FROM recipes; DELETE FROM image_sizes;")
                    db.execute("INSERT INTO meta VALUES ('context', ?)", (self.context,))
                db.execute("SELECT count(*) FROM articles").fetchone()
                return db
            except sqlite3.DatabaseError:
                # Corrupt or not a database at all: start again from nothing.
                with contextlib.suppress(Exception):
                    db.close()
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(str(self.path) + suffix).unlink(missing_ok=True)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def articles(self) -> dict[str, CachedArticle]:
        found: dict[str, CachedArticle] = {}
        if self.ignoring:
            return found
        try:
            for source, size, mtime_ns, digest, blob in self.db.execute(
                "SELECT source, size, mtime_ns, digest, article FROM articles"
            ):
                found[source] = CachedArticle(size, mtime_ns, digest, pickle.loads(blob))
        except (sqlite3.DatabaseError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ImportError):
            self.db.executescript("DELETE FROM articles; DELETE FROM page_ids;")
            return {}
        return found

    def store(self, rows: Iterable[tuple[str, int, int, str, Article]]) -> None:
        """Parsed articles: (source, size, mtime_ns, digest, article with its body)."""
        self.db.execute("BEGIN")
        self.db.executemany(
            "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?)",
            ((source, size, mtime, digest, pickle.dumps(without_body(article), protocol=5), article.body.html)
             for source, size, mtime, digest, article in rows),
        )
        self.db.execute("COMMIT")

    def stats(self) -> dict[str, tuple[int, int, str]]:
        """source -> (size, mtime_ns, digest) of every cached article, without unpickling any."""
        return {source: (size, mtime, digest) for source, size, mtime, digest in
                self.db.execute("SELECT source, size, mtime_ns, digest FROM articles")}

    def article(self, source: str) -> CachedArticle | None:
        row = self.db.execute("SELECT size, mtime_ns, digest, article FROM articles WHERE source = ?",
                              (source,)).fetchone()
        if row is None:
            return None
        try:
            return CachedArticle(row[0], row[1], row[2], pickle.loads(row[3]))
        except (pickle.UnpicklingError, EOFError, AttributeError, TypeError, ImportError):
            return None

    def recipe(self, key: str) -> bytes | None:
        """What a page was rendered from, for rebuilds that skip the archive (builder.build.bodies)."""
        row = self.db.execute("SELECT blob FROM recipes WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def store_recipes(self, recipes: Iterable[tuple[str, bytes]]) -> None:
        self.db.execute("BEGIN")
        self.db.executemany("INSERT OR REPLACE INTO recipes VALUES (?, ?)", recipes)
        self.db.execute("COMMIT")

    def touch(self, rows: Iterable[tuple[str, int, int]]) -> None:
        """Files whose stat changed but whose bytes did not."""
        self.db.executemany("UPDATE articles SET size = ?, mtime_ns = ? WHERE source = ?",
                            ((size, mtime, source) for source, size, mtime in rows))

    def forget(self, sources: Iterable[str]) -> None:
        self.db.executemany("DELETE FROM articles WHERE source = ?", ((s,) for s in sources))

    def body(self, source: str) -> str:
        row = self.db.execute("SELECT html FROM articles WHERE source = ?", (source,)).fetchone()
        if row is None:
            raise KeyError(source)
        return row[0]

    def page_ids(self, path: str) -> set[str] | None:
        if self.ignoring:
            return None
        row = self.db.execute("SELECT ids FROM page_ids WHERE path = ?", (path,)).fetchone()
        return set(json.loads(row[0])) if row else None

    def store_page_ids(self, ids: Mapping[str, Iterable[str]], removed: Iterable[str]) -> None:
        self.db.execute("BEGIN")
        self.db.executemany("INSERT OR REPLACE INTO page_ids VALUES (?, ?)",
                            ((p, json.dumps(sorted(i), ensure_ascii=False)) for p, i in ids.items()))
        self.db.executemany("DELETE FROM page_ids WHERE path = ?", ((p,) for p in removed))
        self.db.execute("COMMIT")

    def page_findings(self, paths: set[str]) -> list[BuildError]:
        """What the page checks found on these pages when they were last rendered (accepted debts)."""
        found: list[BuildError] = []
        for path, blob in self.db.execute("SELECT path, blob FROM findings"):
            if path in paths:
                with contextlib.suppress(pickle.UnpicklingError, EOFError, AttributeError, TypeError, ImportError):
                    found.extend(pickle.loads(blob))
        return found

    def store_page_findings(self, findings: Mapping[str, list[BuildError]], rendered: Iterable[str],
                            removed: Iterable[str]) -> None:
        """The findings of the pages rendered this time (none for most), replacing what they had."""
        self.db.execute("BEGIN")
        self.db.executemany("DELETE FROM findings WHERE path = ?", ((p,) for p in (*rendered, *removed)))
        self.db.executemany("INSERT OR REPLACE INTO findings VALUES (?, ?)",
                            ((p, pickle.dumps(f, protocol=5)) for p, f in findings.items() if f))
        self.db.execute("COMMIT")

    def has_page_findings(self, path: str) -> bool:
        return self.db.execute("SELECT 1 FROM findings WHERE path = ?", (path,)).fetchone() is not None

    def blob(self, key: str) -> bytes | None:
        row = self.db.execute("SELECT blob FROM blobs WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def store_blob(self, key: str, blob: bytes) -> None:
        self.db.execute("INSERT OR REPLACE INTO blobs VALUES (?, ?)", (key, blob))

    def file_digest(self, path: Path) -> str:
        """sha256 of a file, read again only when its size or mtime changed (or it changed just now)."""
        stat = path.stat()
        key = str(path)
        row = self.db.execute("SELECT size, mtime_ns, digest FROM file_digests WHERE path = ?", (key,)).fetchone()
        recent = stat.st_mtime_ns >= time.time_ns() - RACY_WINDOW_NS
        if row and row[0] == stat.st_size and row[1] == stat.st_mtime_ns and not recent and not self.ignoring:
            return row[2]
        digest = file_sha256(path)
        self.db.execute("INSERT OR REPLACE INTO file_digests VALUES (?, ?, ?, ?)",
                        (key, stat.st_size, stat.st_mtime_ns, digest))
        return digest

    def image_sizes(self) -> Measured:
        """Dimensions of static files as the last builds measured them (see scan_static)."""
        if self.ignoring:
            return {}
        return {path: (size, mtime_ns, (width, height) if width is not None else None)
                for path, size, mtime_ns, width, height in self.db.execute("SELECT * FROM image_sizes")}

    def store_image_sizes(self, static: dict[str, StaticFile], before: Measured) -> None:
        """Remember what scan_static measured anew, and forget images that are gone. An image
        changed in the last two seconds is not remembered: it may change again within its mtime's
        resolution, keeping size and mtime."""
        recent = time.time_ns() - RACY_WINDOW_NS
        rows = [(f.url_path, f.size, f.mtime_ns, *(f.dimensions or (None, None))) for f in static.values()
                if f.mtime_ns < recent and f.url_path.lower().endswith(IMAGE_SUFFIXES)
                and before.get(f.url_path) != (f.size, f.mtime_ns, f.dimensions)]
        gone = [(path,) for path in before if path not in static]
        if rows or gone:
            self.db.execute("BEGIN")
            self.db.executemany("DELETE FROM image_sizes WHERE path = ?", gone)
            self.db.executemany("INSERT OR REPLACE INTO image_sizes VALUES (?, ?, ?, ?, ?)", rows)
            self.db.execute("COMMIT")

    def stamp(self) -> BuildStamp | None:
        """What the last build recorded about itself (see incremental.stamp), if it recorded anything."""
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
            return BuildStamp.from_json(json.loads(row[0])) if row else None
        except (sqlite3.DatabaseError, ValueError):
            return None

    def store_stamp(self, stamp: BuildStamp) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('stamp', ?)", (json.dumps(stamp.to_json()),))

    def clear(self) -> None:
        self.db.executescript("DELETE FROM articles; DELETE FROM page_ids; DELETE FROM file_digests;"
                              "DELETE FROM recipes; DELETE FROM image_sizes; DELETE FROM meta WHERE key = 'stamp';"
                              "DELETE FROM findings; DELETE FROM blobs;")

    def close(self) -> None:
        self.db.close()
