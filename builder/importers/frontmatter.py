"""Old sites' front matter (YAML between ---, TOML between +++, a JSON object) and their dates.

Jekyll and Hugo write dates in many shapes ("2013-05-06 02:12:52 +0200", "2024-03-04",
"2019-03-04T10:00:00Z"); WordPress exports use RFC 822 ("Mon, 04 Mar 2019 10:00:00 +0000").
Each is read here into a timezone-aware datetime, in the old site's zone when it gave none.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time
from email.utils import parsedate_to_datetime
from typing import Any
from zoneinfo import ZoneInfo

from builder.config.yamltext import YamlSyntaxError, parse_yaml


@dataclass(frozen=True)
class OldFile:
    meta: dict[str, Any]
    body: str
    body_line: int  # file line the body starts on
    lines: dict[str, int]  # top-level key -> its line, where known


class FrontMatterProblem(ValueError):
    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


def split_old(text: str) -> OldFile:
    """Front matter and body of a Jekyll or Hugo content file; no front matter gives empty fields."""
    text = text.lstrip("\ufeff")
    lines = text.split("\n")
    first = lines[0].rstrip() if lines else ""
    if first in ("---", "+++"):
        for index in range(1, len(lines)):
            if lines[index].rstrip() == first or (first == "---" and lines[index].rstrip() == "..."):
                break
        else:
            raise FrontMatterProblem(f"the front matter is never closed (no second '{first}')", 1)
        raw = "\n".join(lines[1:index])
        body, body_line = "\n".join(lines[index + 1:]), index + 2
        if first == "---":
            try:
                doc = parse_yaml(raw, first_line=2)
            except YamlSyntaxError as exc:
                raise FrontMatterProblem(str(exc), exc.line) from None
            data = doc.data if doc.data is not None else {}
            key_lines = {str(path[0]): line for path, line in doc.lines.items() if len(path) == 1}
        else:
            try:
                data = tomllib.loads(raw)
            except tomllib.TOMLDecodeError as exc:
                raise FrontMatterProblem(f"invalid TOML: {exc}", None) from None
            key_lines = _toml_lines(raw)
        if not isinstance(data, dict):
            raise FrontMatterProblem("the front matter is not a mapping of fields", 2)
        return OldFile(data, body, body_line, key_lines)
    if first.startswith("{"):
        decoder = json.JSONDecoder()
        try:
            data, end = decoder.raw_decode(text)
        except json.JSONDecodeError as exc:
            raise FrontMatterProblem(f"invalid JSON front matter: {exc.msg}", exc.lineno) from None
        if not isinstance(data, dict):
            raise FrontMatterProblem("the front matter is not a mapping of fields", 1)
        body = text[end:].lstrip("\n")
        return OldFile(data, body, text.count("\n", 0, end) + 2, {})
    return OldFile({}, text, 1, {})


def _toml_lines(raw: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for number, line in enumerate(raw.split("\n"), 2):
        match = re.match(r"\s*([A-Za-z0-9_-]+)\s*=", line)
        if match:
            found.setdefault(match.group(1), number)
    return found


_OFFSET = re.compile(r"\s*([+-]\d\d):?(\d\d)$")


def parse_date(value: Any, zone: ZoneInfo) -> datetime | None:
    """A date as old sites write it, timezone-aware; None when it is not one."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        normal = _OFFSET.sub(lambda m: f"{m.group(1)}:{m.group(2)}", text).replace("Z", "+00:00")
        normal = re.sub(r"^(\d{4}-\d\d-\d\d) (\d)", r"\1T\2", normal)
        normal = re.sub(r"T(\d\d:\d\d(?::\d\d(?:\.\d+)?)?) ([+-])", r"T\1\2", normal)
        try:
            moment = datetime.fromisoformat(normal)
        except ValueError:
            try:
                moment = parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                return None
    else:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def text_list(value: Any) -> list[str]:
    """Categories, tags, authors: a list, or one name, or names separated by spaces (Jekyll)."""
    if value is None:
        return []
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return [str(value).strip()] if str(value).strip() else []
    if isinstance(value, list):
        return [str(v).strip() for v in value if isinstance(v, (str, int, float)) and str(v).strip()]
    return []
