"""YAML parsing that remembers where every key was written.

Configuration and front matter errors must point at a line, so values are read from the node tree
with their positions. The loader also follows YAML 1.2 for booleans: `lang: no` is the Norwegian
language tag, not False.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml


class _PureLoader(yaml.SafeLoader):
    pass


# Drop YAML 1.1's yes/no/on/off booleans, keep true/false. Timestamps stay text: dates are parsed
# by the stage that knows the site's time zone and can say what is wrong with them.
_DROPPED = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp"}
_PureLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_PureLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)

# libyaml's parser, when PyYAML was built with it, reads front matter ~15x faster (it is most of
# the parse stage of a large archive); tag resolution stays in Python, so the rules above hold.
if getattr(yaml, "CSafeLoader", None) is not None:
    class _CLoader(yaml.CSafeLoader):
        yaml_implicit_resolvers = _PureLoader.yaml_implicit_resolvers

    _Loader: type = _CLoader
else:  # pragma: no cover - PyYAML without libyaml
    _Loader = _PureLoader

Path_ = tuple[str | int, ...]
MAX_VALUES = 100_000  # in one document: far more than front matter or site.yaml has


@dataclass(frozen=True)
class YamlDocument:
    """A parsed document: plain Python data plus the 1-based line of every mapping key and item."""

    data: Any
    lines: dict[Path_, int]

    def line(self, *path: str | int) -> int | None:
        """The line of the deepest known prefix of `path` (a missing key points at its parent)."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return None


class YamlSyntaxError(ValueError):
    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


class _Tree:
    """Plain values from a node tree, with the line of every key and item on the way."""

    def __init__(self, loader, first_line: int):
        self.loader, self.first_line = loader, first_line
        self.lines: dict[Path_, int] = {}
        self.inside: set[int] = set()  # the nodes being built: an alias to one of them would never end
        self.built = 0

    def build(self, node: yaml.Node, path: Path_) -> Any:
        line = node.start_mark.line + self.first_line
        self.lines.setdefault(path, line)
        self.built += 1
        if self.built > MAX_VALUES:  # aliases of aliases ("billion laughs") multiply the values
            raise YamlSyntaxError(f"more than {MAX_VALUES} values (anchors and aliases repeated in each other?)",
                                  line)
        if id(node) in self.inside:
            raise YamlSyntaxError("an alias (*name) used inside the value it names", line)
        self.inside.add(id(node))
        try:
            return self._value(node, path)
        finally:
            self.inside.discard(id(node))

    def _value(self, node: yaml.Node, path: Path_) -> Any:
        loader = self.loader
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            loader.flatten_mapping(node)
            for key_node, value_node in node.value:
                key = loader.construct_object(key_node, deep=True)
                if not isinstance(key, str):
                    key = str(key)
                self.lines[(*path, key)] = key_node.start_mark.line + self.first_line
                if key in result:
                    raise YamlSyntaxError(f"duplicate key '{key}'", key_node.start_mark.line + self.first_line)
                result[key] = self.build(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return loader.construct_object(node, deep=True)


def parse_yaml(text: str, first_line: int = 1, *, loader_class: type | None = None) -> YamlDocument:
    """Parse one YAML document. `first_line` is the file line the text starts on."""
    loader = (loader_class or _Loader)(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDocument(None, {(): first_line})
        tree = _Tree(loader, first_line)
        data = tree.build(node, ())
        return YamlDocument(data, tree.lines)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else None
        raise YamlSyntaxError(f"invalid YAML: {exc.problem or exc}", line) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow: it has no mark, only a position
        line = text[: exc.position].count("\n") + first_line
        raise YamlSyntaxError(f"invalid YAML: character {exc.character!r} is not allowed", line) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"invalid YAML: {exc}", None) from None
    except RecursionError:  # a key that contains itself, or flow collections nested a thousand deep
        raise YamlSyntaxError("invalid YAML: a value nested too deep, or an alias used inside itself", None) from None
    finally:
        loader.dispose()
