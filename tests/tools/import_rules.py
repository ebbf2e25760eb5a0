"""Check the toolkit's import rules on the packages importable from this Python:
no import cycle inside `autograder` (imports inside functions count, as grimp sees every
import statement), and neither `autograder` nor `coursebook` importing any course's content.

    python tests/tools/import_rules.py        exit 1 and one line per violation

The same rules are import-linter contracts in pyproject.toml (with the layers); this
script also finds cycles between modules of one layer, which a layers contract cannot.
"""
from __future__ import annotations

import sys

import grimp

TOOLKIT = ("autograder", "coursebook")
CONTENT = ("contested_peace",)


def cycles(graph: grimp.ImportGraph, package: str) -> list[list[str]]:
    """The strongly connected groups of two or more modules of `package` (Tarjan)."""
    modules = sorted(m for m in graph.modules if m == package or m.startswith(package + "."))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in sorted(graph.find_modules_directly_imported_by(module)):
            if other not in modules and not other.startswith(package + "."):
                continue
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(10_000)
    for module in modules:
        if module not in index:
            visit(module)
    return found


def forbidden(graph: grimp.ImportGraph, sources: tuple[str, ...], targets: tuple[str, ...]) -> list[str]:
    lines = []
    for source in sources:
        for target in targets:
            for chain in graph.find_shortest_chains(importer=source, imported=target):
                lines.append(" -> ".join(chain))
    return lines


def violations() -> list[str]:
    graph = grimp.build_graph(*TOOLKIT, *CONTENT, include_external_packages=False, cache_dir=None)   # no cache in the checkout
    lines = [f"import cycle: {' <-> '.join(group)}" for group in cycles(graph, "autograder")]
    lines += [f"toolkit imports course content: {chain}" for chain in forbidden(graph, TOOLKIT, CONTENT)]
    lines += [f"grader imports the book toolkit: {chain}" for chain in forbidden(graph, ("autograder",), ("coursebook",))]
    return lines


if __name__ == "__main__":
    found = violations()
    for line in found:
        print(line)
    sys.exit(1 if found else 0)
