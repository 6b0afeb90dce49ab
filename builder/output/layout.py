"""The output folder's layout: which files in it are ours and not the site's, and which folders may be one.

Deploy and the audit read the output too; they take these names from here.
"""

from __future__ import annotations

from pathlib import Path

from builder.errors import BuildError, BuildFailed

PRIVATE_PREFIX = ".broadsheet"  # files of ours in the output folder that are not part of the site
TEMPLATE_CACHE = PRIVATE_PREFIX + "-cache-templates"  # compiled templates: build cache, like the SQLite file
STAGING = PRIVATE_PREFIX + "-staging"  # pages of a build in progress
MANIFEST = PRIVATE_PREFIX + "-manifest.sqlite"  # what the last build wrote (output.manifest)
CACHE_NAME = PRIVATE_PREFIX + "-cache.sqlite"  # parsed articles and more (incremental.cache)
NEXT_MANIFEST = MANIFEST + ".next"  # the manifest of a build being switched in (output.switch)
JOURNAL = PRIVATE_PREFIX + "-journal.json"  # a switch has begun: finish it before reading (output.switch)
SEARCH_WORK = PRIVATE_PREFIX + "-search"  # the documents Pagefind indexes, during a build (build.search)
# Manifests of earlier versions: still proof that a folder is ours; removed by the next build.
OLD_MANIFESTS = (".broadsheet-manifest.json",)


INPUT_FOLDERS = ("content", "static", "templates", "themes")


def check_output_dir(output_dir: Path, site_dir: Path) -> None:
    output_dir, site_dir = output_dir.resolve(), site_dir.resolve()
    if output_dir == site_dir or site_dir.is_relative_to(output_dir):
        raise BuildFailed([BuildError(output_dir, None, "--output", "the output folder contains the site itself",
                                      "choose a folder of its own, e.g. output/")])
    for name in INPUT_FOLDERS:
        if output_dir.is_relative_to(site_dir / name):
            raise BuildFailed([BuildError(output_dir, None, "--output", f"the output folder is inside the site's {name}/",
                                          "the build would read its own output; choose e.g. output/")])
    for inside in ("content", "site.yaml", ".git"):
        if (output_dir / inside).exists():
            raise BuildFailed([BuildError(output_dir, None, "--output", f"the output folder holds {inside}; "
                                          "it looks like a site or repository, not a build output",
                                          "choose an empty folder or output/")])
    if output_dir.is_dir() and not any((output_dir / name).exists() for name in (MANIFEST, *OLD_MANIFESTS)):
        if any(not p.name.startswith(PRIVATE_PREFIX) for p in output_dir.iterdir()):
            raise BuildFailed([BuildError(output_dir, None, "--output",
                                          "the folder is not empty and was not made by Broadsheet; "
                                          "refusing to replace its files",
                                          "empty it or choose another --output")])
    elif output_dir.exists() and not output_dir.is_dir():
        raise BuildFailed([BuildError(output_dir, None, "--output", "is a file, not a folder")])
