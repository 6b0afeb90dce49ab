"""The floor plan of builder/, checked: no import cycles, and imports only run with the pipeline.

    config -> content -> render -> search -> output -> checks -> incremental -> build -> importers, audit,
    deploy, serve -> commands, cli

A module may import its own package and the packages before it, counting imports inside functions
and under TYPE_CHECKING (they are dependencies too, only later). Some packages are held to less:
the preview server is handed a build callable and knows nothing else of Broadsheet; deploy and the
audit read an output folder and never build one. An import that breaks this is a design question
(which package should own the code?), not something to hide inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import builder

PACKAGE = Path(builder.__file__).parent

# builder.themes is package data (the repository's top-level themes/ folder, mapped in pyproject.toml): no code.
ORDER = ["themes", "errors", "digests", "console", "config", "content", "render", "search", "output", "checks",
         "incremental", "build",
         "importers", "audit", "deploy", "serve", "commands", "cli", "__main__"]
ONLY = {
    "themes": set(),
    "errors": set(),
    "digests": set(),
    "console": {"errors"},
    "serve": {"errors"},
    "deploy": {"errors", "digests", "config", "output"},
    "audit": {"errors", "digests", "config", "output", "checks"},
}


def modules() -> dict[str, Path]:
    found = {}
    for file in PACKAGE.rglob("*.py"):
        parts = file.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(("builder", *parts))] = file
    return found


def imports_of(name: str, file: Path, known: dict[str, Path]) -> set[str]:
    """The modules of builder that `name` imports, wherever in the file."""
    package = name if file.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            targets |= {base, *(f"{base}.{alias.name}" for alias in node.names)}
    found = set()
    for target in targets:
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target and target != name and target != "builder" and not name.startswith(target + "."):
            found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(name, file, known) for name, file in known.items()}


def top(module: str) -> str:
    return module.split(".")[1] if module.count(".") else ""


def test_every_package_has_a_place_in_the_order():
    packages = {top(m) for m in modules() if m != "builder"}
    assert packages <= set(ORDER), f"place {sorted(packages - set(ORDER))} in ORDER (and the README's floor plan)"


def test_imports_run_with_the_pipeline():
    wrong = []
    for module, imported in graph().items():
        if module == "builder":
            continue
        here = top(module)
        allowed = ONLY.get(here, set(ORDER[: ORDER.index(here)]))
        for target in imported:
            there = top(target)
            if there != here and there not in allowed:
                wrong.append(f"{module} imports {target}")
    assert not wrong, "imports against the pipeline's direction:\n" + "\n".join(sorted(wrong))


def test_no_import_cycles():
    edges = graph()
    cycles, index, low, stack, on_stack = [], {}, {}, [], set()

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in edges[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(" <-> ".join(sorted(component)))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_every_package_has_a_test_folder():
    """Tests mirror the packages: the tests of builder/<package>/ are in tests/<package>/."""
    tests = Path(__file__).parent
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert sorted(p for p in packages if not (tests / p).is_dir()) == []
