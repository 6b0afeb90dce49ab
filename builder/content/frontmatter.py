"""Split an article file into its YAML front matter and its Markdown body."""

from __future__ import annotations

from dataclasses import dataclass

from builder.config.yamltext import YamlDocument, parse_yaml

FENCE = "---"


@dataclass(frozen=True)
class SplitArticle:
    meta: YamlDocument
    body: str
    body_line: int  # file line the body starts on


class FrontMatterError(ValueError):
    def __init__(self, message: str, line: int | None, hint: str = ""):
        super().__init__(message)
        self.line, self.hint = line, hint


def split_front_matter(text: str) -> SplitArticle:
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        raise FrontMatterError("the file has no front matter", 1,
                               "start the file with a line '---', the article's fields, then another '---'")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            break
    else:
        raise FrontMatterError("the front matter is never closed", 1, "add a line '---' after the last field")
    meta = parse_yaml("\n".join(lines[1:index]), first_line=2)
    return SplitArticle(meta, "\n".join(lines[index + 1 :]), index + 2)
