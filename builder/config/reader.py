"""Typed values out of a YamlDocument, every problem collected with its site.yaml line."""

from __future__ import annotations

import re
from collections.abc import Set
from pathlib import Path
from typing import Any

from builder.config.yamltext import YamlDocument
from builder.errors import BuildError

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")  # keys that become parts of URLs or names


class Reader:
    """Reads typed values out of a YamlDocument and collects errors with their lines."""

    def __init__(self, doc: YamlDocument, path: Path):
        self.doc, self.path = doc, path
        self.errors: list[BuildError] = []

    def error(self, keys: tuple[str | int, ...], message: str, hint: str = "") -> None:
        name = ".".join(str(k) for k in keys) or None
        self.errors.append(BuildError(self.path, self.doc.line(*keys), name, message, hint))

    def mapping(self, value: Any, keys: tuple, allowed: set[str], required: Set[str] = frozenset()) -> dict:
        if value is None and keys:
            value = {}
        if not isinstance(value, dict):
            self.error(keys, f"expected a mapping of keys, got {describe(value)}")
            return {}
        for key in value:
            if key not in allowed:
                close = sorted(allowed, key=lambda a: distance(a, key))[0]
                self.error((*keys, key), f"unknown key '{key}'",
                           f"did you mean '{close}'? allowed: {', '.join(sorted(allowed))}")
        for key in sorted(required - value.keys()):
            self.error(keys, f"missing required key '{key}'")
        return value

    def string(self, value: Any, keys: tuple, default: str | None = None) -> str:
        if value is None:
            return default if default is not None else ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.error(keys, f"expected text, got {describe(value)}")
            return default or ""
        return str(value).strip()

    def integer(self, value: Any, keys: tuple, default: int, minimum: int = 1) -> int:
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.error(keys, f"expected a whole number of at least {minimum}, got {value!r}")
            return default
        return value

    def listing(self, value: Any, keys: tuple) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(keys, f"expected a list, got {describe(value)}")
            return []
        return value


def describe(value: Any) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false", type(None): "nothing"}.get(
        type(value), f"{type(value).__name__} {value!r}"
    )


def distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
