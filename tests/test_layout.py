"""The package layout holds: imports flow one way between stages, no module imports itself back
through others, and no module grows past the size a reader can hold in mind."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

from helpers import ROOT

PACKAGE = ROOT / "nofakes"
# each stage may import only from itself and the stages before it
STAGES = ("core", "sources", "supply", "importing", "screening", "risk", "rules", "packs", "audit", "reports",
          "authoring", "cli")
MAX_LINES = 400


def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def imports(path: Path, *, top_level_only: bool = False) -> set[str]:
    """nofakes modules imported by `path` (inside functions too, unless `top_level_only`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("nofakes"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("nofakes"):
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    known = modules()
    return {name for name in found if name in known}


def stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


@pytest.mark.parametrize("module", sorted(modules()))
def test_imports_flow_one_way_between_stages(module: str) -> None:
    own = stage(module)
    if own is None:  # nofakes, nofakes.__main__
        return
    allowed = set(STAGES[: STAGES.index(own) + 1])
    wrong = sorted(m for m in imports(modules()[module]) if stage(m) not in allowed and stage(m) is not None)
    assert not wrong, f"{module} ({own}) imports a later stage: {wrong}"


def test_no_import_cycles_between_modules() -> None:
    graph = nx.DiGraph()
    for name, path in modules().items():
        graph.add_node(name)
        for target in imports(path, top_level_only=True):
            if target != name and not name.startswith(target + "."):  # a package's own __init__ is not a cycle
                graph.add_edge(name, target)
    assert graph.number_of_edges() > 100  # the walk sees the package's real imports
    cycles = list(nx.simple_cycles(graph))
    assert not cycles, f"import cycles: {cycles}"


@pytest.mark.parametrize("module", sorted(modules()))
def test_no_module_is_longer_than_a_reader_can_hold(module: str) -> None:
    lines = len(modules()[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines"
