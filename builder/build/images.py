"""The generated images of a full build: planned from the archive, made in the workers, staged with the pages.

render.images plans the files each image an article shows becomes; this module hands it what
the build knows (the static files with their digests and sizes), lets the writer keep every file
the last build wrote from the same key (an unchanged image is never encoded again: the key
covers the original's bytes and the settings), has the worker processes make the rest
(render.imagefiles, one task per original, so each is decoded once) and stages them. A file whose
original is gone or no longer shown is not planned, and the writer removes it with the other
stale files.

Every problem names each article that shows the image, and the line that names it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial
from pathlib import Path

from builder.build.parse import report_progress
from builder.build.workers import ordered_map
from builder.checks.links import LinkChecker
from builder.config.site import SiteConfig
from builder.content.archive import Archive
from builder.content.article import Article
from builder.content.sources import StaticFile
from builder.errors import BuildError, BuildFailed
from builder.output.writer import OutputWriter
from builder.render.assets import CopiedFile
from builder.render.imagefiles import ImageFailure, make_files, why_unreadable
from builder.render.images import ImagePlan, ImageTask, Variant, lead_images, plan_images
from builder.render.jobs import OutputPage, PageJob

Progress = Callable[[str, int, int], None] | None

# Forking workers pays off from a few originals: each takes tens to hundreds of milliseconds.
PARALLEL_IMAGES = 4

_TASKS: list[tuple[ImageTask, tuple[Variant, ...]]] = []  # for the forked workers


def plan_site_images(config: SiteConfig, archive: Archive, files: Mapping[str, CopiedFile],
                     static: Mapping[str, StaticFile]) -> ImagePlan:
    """The plan for every image the archive's pages show. Raises BuildFailed for an image that is
    damaged, not a picture, or too large, naming each article that shows it."""
    shown = {ref for article in archive.pages for ref, _ in article.static_refs}
    leads = lead_images(archive.pages)
    sizes = {path: file.dimensions for path, file in static.items() if file.dimensions}
    plan = plan_images(config.images, config.base_url, config.base_path, files, sizes, shown, leads)
    failures = [ImageFailure(p.site_path, p.message, p.hint) for p in plan.problems]
    failures += [why_unreadable(path, files[path].source) for path in plan.unreadable]
    if failures:
        raise BuildFailed(image_errors(config, archive.pages, failures))
    return plan


def image_jobs(plan: ImagePlan) -> Iterator[PageJob]:
    """A job per generated file: the writer keeps it when its key is the last build's. A full
    build makes the others with make_images (one decode per original); a job also makes its file
    alone."""
    for task in plan.tasks.values():
        for variant in task.variants:
            yield PageJob(variant.path, variant.key, (task.origin,), partial(_make_alone, task, variant))


def _make_alone(task: ImageTask, variant: Variant) -> OutputPage:
    made = make_files(task, (variant,))
    if isinstance(made, ImageFailure):
        raise BuildFailed([BuildError(Path(task.origin), None, None, made.message, made.hint)])
    return OutputPage(variant.path, made[0][1], made_from=(task.origin,))


def _make(index: int):
    task, variants = _TASKS[index]
    return make_files(task, variants)


def make_images(plan: ImagePlan, stale: set[str], writer: OutputWriter, links: LinkChecker, jobs: int,
                progress: Progress) -> tuple[set[str], list[ImageFailure]]:
    """Make and stage the planned files among `stale` (those the writer could not keep):
    (paths staged, originals that failed)."""
    global _TASKS
    _TASKS = [(task, wanted) for task in plan.tasks.values()
              if (wanted := tuple(v for v in task.variants if v.path in stale))]
    made: set[str] = set()
    failures: list[ImageFailure] = []
    try:
        results = ordered_map(_make, range(len(_TASKS)), jobs, chunksize=1, threshold=PARALLEL_IMAGES)
        for done, ((task, variants), result) in enumerate(zip(_TASKS, results, strict=True), 1):
            if isinstance(result, ImageFailure):
                failures.append(result)
                continue
            for variant, (path, data) in zip(variants, result, strict=True):
                writer.stage(OutputPage(path, data, made_from=(task.origin,)), variant.key)
                links.add_file(path)
                made.add(path)
            report_progress(progress, "images", done, len(_TASKS))
    finally:
        _TASKS = []
    return made, failures


def image_errors(config: SiteConfig, articles: Iterable[Article], failures: list[ImageFailure]) -> list[BuildError]:
    """A BuildError for every article that shows an image that failed, at the line naming it."""
    errors: list[BuildError] = []
    for failure in failures:
        src = "/" + failure.site_path
        showing = [a for a in articles if any(ref == failure.site_path for ref, _ in a.static_refs)]
        for article in showing:
            lead = article.image is not None and article.image.src == src
            line = _line_naming(config.site_dir / article.source, src, article.body_line, lead)
            errors.append(BuildError(article.source, line, "image.src" if lead else "body",
                                     f"image '{src}' {failure.message}", failure.hint))
        if not showing:
            errors.append(BuildError(Path("static") / failure.site_path, None, None, failure.message, failure.hint))
    return errors


def _line_naming(file: Path, src: str, body_line: int, in_front_matter: bool) -> int | None:
    """The first line that names `src`, in the front matter or in the body."""
    try:
        lines = file.read_text(encoding="utf-8-sig").splitlines()
    except OSError:
        return None
    numbered = list(enumerate(lines, 1))
    numbered = numbered[:body_line - 1] if in_front_matter else numbered[body_line - 1:]
    return next((number for number, text in numbered if src in text), None)
