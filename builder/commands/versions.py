"""What `broadsheet --version` prints: Broadsheet's version and the versions of what it runs with
(Python, axe-core, Chromium), as people paste them into bug reports. Each line says what is missing
rather than failing: a report from a machine without Chromium is worth having too."""

from __future__ import annotations

import platform
import sys

import builder


def axe_line() -> str:
    try:
        from builder.audit.axe import axe_version
    except ImportError as exc:
        return f"axe-core: not installed ({exc.name}); pip install --upgrade broadsheet"
    return f"axe-core {axe_version()}"


def chromium_line() -> str:
    try:
        from builder.audit.browser import BrowserMissing, chromium_path, program_version
    except ImportError as exc:
        return f"Chromium: not looked for ({exc.name} is not installed)"
    try:
        path = chromium_path()
        return f"{program_version(path)} ({path})"
    except BrowserMissing as exc:
        return f"Chromium: {exc}"


def version_lines() -> list[str]:
    return [f"broadsheet {builder.__version__}",
            f"Python {platform.python_version()} ({platform.python_implementation()}, {sys.executable})",
            axe_line(), chromium_line()]
