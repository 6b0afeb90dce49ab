"""The Jinja environment of a site's templates and theme, and what each template refers to.

A template in the site's own templates/ folder replaces the theme's template of the same name.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import jinja2

from builder.config.site import SiteConfig
from builder.errors import BuildError
from builder.render.fragments import FragmentCache
from builder.render.theme import Theme


def template_dirs(config: SiteConfig, theme: Theme) -> list[Path]:
    dirs = [config.templates_dir, theme.root / "templates"]
    return [d for d in dirs if d.is_dir()]


class _Environment(jinja2.Environment):
    reference_memo: ReferenceMemo | None = None  # see ReferenceMemo; with a bytecode_dir only


@lru_cache(maxsize=8)
def _environment(dirs: tuple[Path, ...], bytecode_dir: Path | None = None) -> _Environment:
    bytecode_cache = None
    if bytecode_dir is not None:
        bytecode_cache = jinja2.FileSystemBytecodeCache(str(bytecode_dir))
    env = _Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        bytecode_cache=bytecode_cache,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=True,
        extensions=[FragmentCache],
    )
    if bytecode_dir is not None:
        env.reference_memo = _reference_memo(bytecode_dir)
    return env


def make_environment(config: SiteConfig, theme: Theme, bytecode_dir: Path | None = None) -> jinja2.Environment:
    """`bytecode_dir`: where compiled templates are kept between builds (compiling the theme takes
    ~0.15 s, a third of a one-article rebuild). Jinja checks each against its template's source.
    The templates each template refers to are kept there too (ReferenceMemo)."""
    if bytecode_dir is not None:
        bytecode_dir.mkdir(parents=True, exist_ok=True)  # every time: the output may have been removed
    env = _environment(tuple(template_dirs(config, theme)), bytecode_dir)
    if env.reference_memo is not None:
        env.reference_memo.reload()  # a long-running process (serve): the file may be gone or newer
    return env


def template_sources(env: jinja2.Environment, name: str) -> list[tuple[str, str]]:
    """(name, source) of a template and of every template it extends, includes or imports."""
    memo: ReferenceMemo | None = getattr(env, "reference_memo", None)  # set by _environment
    if memo is None:
        return _template_sources(env, name, _referenced_templates)
    sources = _template_sources(env, name, memo.references)
    memo.save()
    return sources


def _template_sources(env: jinja2.Environment, name: str,
                      referenced_templates: Callable[[jinja2.Environment, str], tuple[str | None, ...] | None],
                      ) -> list[tuple[str, str]]:
    loader = env.loader
    assert loader is not None  # every environment here is made with one (_environment)
    found: dict[str, str] = {}
    pending = [name]
    while pending:
        current = pending.pop()
        if current in found:
            continue
        try:
            source, _, _ = loader.get_source(env, current)
        except jinja2.TemplateNotFound:
            found[current] = ""  # rendering reports it, with the template that asked for it
            continue
        found[current] = source
        referenced = referenced_templates(env, source)
        if referenced is None:
            continue  # a syntax error: rendering reports it with its line
        if None in referenced:  # a name computed at render time: any template may be used
            return [(n, loader.get_source(env, n)[0]) for n in sorted(env.list_templates())]
        pending += [n for n in referenced if n is not None]
    return sorted(found.items())


def _find_references(env: jinja2.Environment, source: str) -> tuple[str | None, ...] | None:
    """Names a template's source refers to (None for a computed one); None if it does not parse."""
    from jinja2 import meta

    try:
        return tuple(meta.find_referenced_templates(env.parse(source)))
    except jinja2.TemplateSyntaxError:
        return None


# Parsing the theme's templates is most of the cost of keying a page; a one-article rebuild keys
# the article page twice (as last built and as now), so the result is kept per source text.
# Environments without a bytecode_dir (and tests' own) keep it in the process only.
_referenced_templates = lru_cache(maxsize=256)(_find_references)


class ReferenceMemo:
    """_find_references per source text, kept in a file between processes: a one-article rebuild
    is a fresh process, and parsing the theme's templates again costs it tens of milliseconds.

    The file is only a cache: a missing, unreadable or foreign one is ignored and rewritten, and
    a folder that cannot be written costs the next build the parsing, never the build itself."""

    FILE = "references.json"
    VERSION = 1  # of the file's format: a change makes older files foreign
    MAX_ENTRIES = 256  # every edit of a template adds one; the least recently used go first

    def __init__(self, folder: Path):
        self.path = folder / self.FILE
        self.known: dict[str, tuple[str | None, ...] | None] = {}  # source hash -> references
        self.stored: set[str] | None = None  # hashes in the file (or that failed to be written); None: not read
        self.unsaved = False

    def reload(self) -> None:
        self.stored = None

    def references(self, env: jinja2.Environment, source: str) -> tuple[str | None, ...] | None:
        if self.stored is None:
            self._read()
        key = hashlib.blake2b(source.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
        found = self.known.pop(key) if key in self.known else _find_references(env, source)
        self.known[key] = found  # last: recently used
        if self.stored is None or key not in self.stored:
            self.unsaved = True
        return found

    def _read(self) -> None:
        self.stored = set()
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return
        if not (isinstance(data, dict) and data.get("version") == self.VERSION
                and data.get("jinja") == jinja2.__version__ and isinstance(data.get("references"), dict)):
            return  # a parser of another version may find other names
        entries: dict[str, tuple[str | None, ...] | None] = {}
        for key, names in data["references"].items():
            well_formed = isinstance(names, list) and all(n is None or isinstance(n, str) for n in names)
            if names is not None and not well_formed:
                return
            entries[key] = None if names is None else tuple(names)
        self.known = {**entries, **self.known}
        self.stored = set(entries)

    def save(self) -> None:
        if not self.unsaved:
            return
        self.unsaved = False
        self.known = entries = dict(list(self.known.items())[-self.MAX_ENTRIES:])
        self.stored = set(entries)  # also on failure: a read-only folder is not tried on every call
        text = json.dumps({"version": self.VERSION, "jinja": jinja2.__version__,
                           "references": {k: None if v is None else list(v) for k, v in entries.items()}})
        try:
            fd, temp = tempfile.mkstemp(prefix=".references-", suffix=".tmp", dir=self.path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as file:
                    file.write(text)
                os.replace(temp, self.path)  # readers (other builds, workers) see the old file or the new one
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
                raise
        except OSError:
            pass


@lru_cache(maxsize=8)
def _reference_memo(bytecode_dir: Path) -> ReferenceMemo:
    """One per folder, shared by its environments (the site's templates/ folder may come and go),
    so that they do not overwrite each other's file with what each alone knows."""
    return ReferenceMemo(bytecode_dir)


def template_error(exc: Exception, env: jinja2.Environment) -> BuildError:
    """A Jinja error as a BuildError that names the template file and line."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return BuildError(Path(exc.filename or exc.name or "?"), exc.lineno, "template", exc.message or str(exc))
    if isinstance(exc, jinja2.TemplateNotFound):
        return BuildError(None, None, "template", f"template '{exc.name}' not found")
    # Runtime errors: find the innermost template frame in the traceback.
    path, line = None, None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt", ".json")):
            path, line = Path(filename), tb.tb_lineno
        tb = tb.tb_next
    return BuildError(path, line, "template", f"{type(exc).__name__}: {exc}")
