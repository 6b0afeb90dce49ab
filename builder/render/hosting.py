"""The files a static host reads besides pages: copies of assets and static files, _redirects, _headers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import partial
from pathlib import Path

from builder.config.search import BUNDLE_FOLDER, HASHED_BUNDLE_FOLDERS
from builder.config.site import SiteConfig
from builder.content.archive import Archive
from builder.content.urls import href
from builder.digests import fingerprint
from builder.errors import BuildError, BuildFailed
from builder.render.assets import CopiedFile
from builder.render.jobs import OutputPage, PageJob


def redirects_file_job(archive: Archive) -> PageJob:
    """_redirects for hosts that read it (Netlify, Cloudflare Pages): real 301s for old addresses.
    An alias with a query (/?p=123) is written as a query match (`/ p=123 /new/ 301`), which
    Netlify reads; it is the only way a static site answers such an address."""
    base = archive.config.base_path
    lines = sorted(_redirect(base, alias, a.path) for a in archive.pages for alias in a.aliases)
    content = ("\n".join(lines) + "\n").encode("utf-8")
    return PageJob("_redirects", fingerprint(lines), (), lambda: OutputPage("_redirects", content))


def _redirect(base: str, alias: str, target: str) -> str:
    path, query = alias.split("?", 1) if "?" in alias else (alias, "")
    return f"{href(base, path)} {query + ' ' if query else ''}{href(base, target)} 301"


IMMUTABLE = "Cache-Control: public, max-age=31536000, immutable"


def headers_file_job(config: SiteConfig, files: Mapping[str, CopiedFile], generated: Iterable[str] = ()) -> PageJob:
    """_headers for hosts that read it: fingerprinted files are cached for ever, everything is nosniff.

    `generated`: more files named by their content (the generated images). Pagefind's index
    files have hashed names of their own (builder.config.search)."""
    base = config.base_path
    lines = [f"{base}*", "  X-Content-Type-Options: nosniff", "  Referrer-Policy: strict-origin-when-cross-origin", ""]
    renamed = sorted({*(f.output_path for f in files.values() if f.output_path != f.site_path), *generated})
    for path in renamed:
        lines += [href(base, path), f"  {IMMUTABLE}", ""]
    if config.search.enabled:
        for folder in HASHED_BUNDLE_FOLDERS:
            lines += [href(base, f"{BUNDLE_FOLDER}/{folder}/") + "*", f"  {IMMUTABLE}", ""]
    content = "\n".join(lines).encode("utf-8")
    return PageJob("_headers", fingerprint(content), (), lambda: OutputPage("_headers", content))


def copy_jobs(files: Mapping[str, CopiedFile]) -> Iterator[PageJob]:
    """Theme assets and static files, under their output names."""
    for file in files.values():
        key = fingerprint("copy", file.output_path, file.digest)
        yield PageJob(file.output_path, key, (file.origin,),
                      partial(OutputPage, file.output_path, source=file.source))


# Generated files a site may replace with its own static file of the same name.
REPLACEABLE = {"robots.txt", "_redirects", "_headers", "404.html"}


def merge_copies(generated: list[PageJob], copies: list[PageJob]) -> list[PageJob]:
    """All jobs, where a static file may replace a replaceable generated file; other clashes are errors."""
    copied = {job.path: job for job in copies}
    errors, kept = [], []
    for job in generated:
        clash = copied.get(job.path)
        if clash is None:
            kept.append(job)
        elif job.path not in REPLACEABLE:
            errors.append(BuildError(Path(clash.made_from[0]), None, None,
                                     f"would overwrite the generated page /{job.path}",
                                     "rename or move the file; it has the address of a page the site generates"))
    if errors:
        raise BuildFailed(errors)
    return kept + copies
