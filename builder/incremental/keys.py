"""The keys that say whether earlier results still hold: of Broadsheet's code, of the cache, of every page.

- `code_fingerprint()`: Broadsheet's own code that shapes the output (a new version never reuses the
  results of an older one; the audit, preview, deploy and the command line do not count);
- `cache_context(...)`: what parsing an article depends on besides the file itself;
- `environment_key(...)`: what every page depends on besides its own content and templates.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import builder
from builder.config.site import SiteConfig
from builder.digests import fingerprint
from builder.render.theme import Theme

SCHEMA = 1


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Changes whenever Broadsheet's own code does, so a new version never reuses old results.

    Read once per process: a running preview server keeps running the code it imported.
    """
    digest = hashlib.sha256(f"{builder.__version__}/{SCHEMA}".encode())
    for file in output_code(Path(builder.__file__).parent):
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


# The audit, the preview server, deploy and the command line read the output but never shape it: a change to them
# must not make the next build render every page again.
NOT_OUTPUT_CODE = ("audit", "serve", "deploy", "commands", "cli.py", "console.py")


def output_code(package: Path) -> list[Path]:
    """The package's Python files that can change what a build writes."""
    return sorted(f for f in package.rglob("*.py") if f.relative_to(package).parts[0] not in NOT_OUTPUT_CODE)



def cache_context(code: str, config_text: bytes, table_labels: Mapping[str, str]) -> str:
    """What parsing depends on besides the article file: Broadsheet's code, site.yaml, table labels."""
    return fingerprint(code, config_text, sorted(table_labels.items()))


def environment_key(config_text: bytes, theme: Theme, config: SiteConfig, code: str) -> str:
    """What every page depends on besides its own content and templates: site.yaml, UI strings, code.

    Each page adds the templates it is rendered with (Renderer.template_key)."""
    digest = hashlib.blake2b(config_text, digest_size=16)
    digest.update(code.encode())
    for root in [theme.root / "strings", theme.root / "theme.yaml"]:
        files = sorted(root.rglob("*")) if root.is_dir() else [root] if root.exists() else []
        for file in files:
            if file.is_file():
                # Named from the theme's root, not the disk: a fresh clone, or Broadsheet installed in another
                # place, keeps every page's key.
                name = file.relative_to(theme.root).as_posix()
                digest.update(name.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()
