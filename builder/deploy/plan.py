"""What a deploy will do, worked out before anything at the target changes (pure: no I/O here).

Every target describes each file by a signature: for S3 the sha256 of its bytes plus the headers
it is served with, for git the sha256 of its bytes. A file is uploaded when the target has no
file at that path or one with another signature; a file only the target has is deleted only when
asked to (--delete), and otherwise reported as kept.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

MISSING = object()


@dataclass(frozen=True)
class Plan:
    uploads: tuple[str, ...]  # in the order to send them: assets before the pages that use them
    deletions: tuple[str, ...]
    unchanged: int
    kept: tuple[str, ...] = ()  # at the target but no longer in the output; kept without --delete
    skipped: tuple[str, ...] = ()  # in the output but not published to this target

    @property
    def changes(self) -> bool:
        return bool(self.uploads or self.deletions)


def make_plan(local: Mapping[str, Hashable], remote: Mapping[str, Hashable | None], delete: bool,
              skipped: tuple[str, ...] = ()) -> Plan:
    """`local` and `remote` map paths to signatures; a remote signature of None is unknown (upload)."""
    uploads = [path for path, signature in local.items()
               if (found := remote.get(path, MISSING)) is MISSING or found is None or found != signature]
    extra = tuple(sorted(set(remote) - set(local)))
    return Plan(uploads=tuple(sorted(uploads, key=publish_order)), deletions=extra if delete else (),
                unchanged=len(local) - len(uploads), kept=() if delete else extra, skipped=tuple(sorted(skipped)))


# Files that link to others go last, so that no reader gets a page whose new stylesheet, script or
# image is not there yet; the sitemaps and feeds that list the pages go after the pages.
_PAGES = {".html", ".htm"}
_LISTS = {".xml", ".json", ".txt"}


def publish_order(path: str) -> tuple[int, str]:
    name = path[:-3] if path.endswith((".gz", ".br")) else path
    suffix = PurePosixPath(name).suffix.lower()
    rank = 1 if suffix in _PAGES else 2 if suffix in _LISTS or name in ("_headers", "_redirects") else 0
    return rank, path


def summary(plan: Plan, *, done: bool = False) -> str:
    """One line: '3 uploaded, 1 deleted, 750 unchanged' (or 'to upload' ... for a plan)."""
    up, gone = ("uploaded", "deleted") if done else ("to upload", "to delete")
    parts = [f"{len(plan.uploads)} {up}", f"{len(plan.deletions)} {gone}", f"{plan.unchanged} unchanged"]
    if plan.kept:
        parts.append(f"{len(plan.kept)} only at the target, kept (--delete removes them)")
    if plan.skipped:
        parts.append(f"{len(plan.skipped)} not published to this target")
    return ", ".join(parts)
