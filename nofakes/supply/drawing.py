"""Drawing the supply graph as Graphviz DOT or Mermaid text. Pure functions returning str.

Roles are shown as shapes and fill colours, edge kinds as line styles; nodes are grouped
left to right in goods-flow order. `highlight` (node ids) draws those nodes with a thick
red border, used to show partners with gaps.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection

from nofakes.core.text import safe_text
from nofakes.supply.graph import SupplyGraph
from nofakes.supply.model import EdgeKind, Role

# role -> (DOT shape, fill colour)
ROLE_STYLE: dict[Role, tuple[str, str]] = {
    Role.brand_owner: ("doubleoctagon", "#1f77b4"),
    Role.manufacturer: ("box3d", "#aec7e8"),
    Role.contract_manufacturer: ("box", "#c6dbef"),
    Role.supplier: ("component", "#dadaeb"),
    Role.licensee: ("box", "#e5d8bd"),
    Role.distributor: ("hexagon", "#c7e9c0"),
    Role.broker: ("diamond", "#fdae6b"),
    Role.wholesaler: ("hexagon", "#a1d99b"),
    Role.logistics: ("cds", "#d9d9d9"),
    Role.importer: ("house", "#fdd0a2"),
    Role.marketplace: ("tab", "#fcbba1"),
    Role.seller: ("note", "#fee0d2"),
    Role.retailer: ("folder", "#c6dbef"),
    Role.customer: ("ellipse", "#ffffff"),
    Role.test_lab: ("septagon", "#bcbddc"),
    Role.recycler: ("invtrapezium", "#bdbdbd"),
}
EDGE_STYLE: dict[EdgeKind, str] = {
    EdgeKind.supplies: "solid",
    EdgeKind.distributes: "bold",
    EdgeKind.sells: "solid",
    EdgeKind.ships: "dashed",
    EdgeKind.subcontracts: "dotted",
    EdgeKind.returns: "dashed",
    EdgeKind.lists_on: "dotted",
}
# role -> Mermaid node shape (open, close)
MERMAID_SHAPE: dict[Role, tuple[str, str]] = {
    Role.brand_owner: ("{{", "}}"),
    Role.manufacturer: ("[[", "]]"),
    Role.contract_manufacturer: ("[", "]"),
    Role.supplier: ("[/", "/]"),
    Role.licensee: ("[", "]"),
    Role.distributor: ("([", "])"),
    Role.broker: ("{", "}"),
    Role.wholesaler: ("([", "])"),
    Role.logistics: ("[\\", "\\]"),
    Role.importer: ("[/", "\\]"),
    Role.marketplace: ("[(", ")]"),
    Role.seller: (">", "]"),
    Role.retailer: ("(", ")"),
    Role.customer: ("((", "))"),
    Role.test_lab: ("[\\", "/]"),
    Role.recycler: ("[\\", "/]"),
}
MERMAID_ARROW: dict[EdgeKind, str] = {
    EdgeKind.supplies: "-->",
    EdgeKind.distributes: "==>",
    EdgeKind.sells: "-->",
    EdgeKind.ships: "-.->",
    EdgeKind.subcontracts: "-.->",
    EdgeKind.returns: "-.->",
    EdgeKind.lists_on: "-.-",
}


def _dot_quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _dot_label(*lines: str) -> str:
    """A quoted DOT label of several lines; each line's backslashes and quotes are escaped."""
    escaped = (line.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "\\n")
               for line in lines)
    return '"' + "\\n".join(escaped) + '"'


def to_dot(supply: SupplyGraph, highlight: Collection[str] = ()) -> str:
    lines = ["digraph supply_chain {", "  rankdir=LR;", '  node [style=filled, fontname="Helvetica"];',
             '  edge [fontname="Helvetica", fontsize=9];']
    for node_id, node in supply.nodes.items():
        shape, fill = ROLE_STYLE[node.role]
        label = [safe_text(node.name), node.role.value + (f" ({node.country})" if node.country else "")]
        tier = supply.tiers.get(node_id)
        if tier is not None:
            label.append(f"tier {tier}")
        extra = ', color="#d62728", penwidth=3' if node_id in highlight else ""
        lines.append(f"  {_dot_quote(node_id)} [label={_dot_label(*label)}, "
                     f'shape={shape}, fillcolor="{fill}"{extra}];')
    for edge in supply.edges():
        lines.append(f"  {_dot_quote(edge.from_)} -> {_dot_quote(edge.to)} "
                     f"[label={_dot_quote(edge.kind.value)}, style={EDGE_STYLE[edge.kind]}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mermaid_id(node_id: str, cache: dict[str, str]) -> str:
    if node_id not in cache:
        cache[node_id] = f"n{len(cache)}_" + re.sub(r"[^A-Za-z0-9_]", "_", node_id)
    return cache[node_id]


def _mermaid_text(text: str) -> str:
    """Text from the input, made inert inside a Mermaid label (which is rendered as HTML)."""
    for char, entity in (("#", "#35;"), ("&", "#amp;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(char, entity)
    return text.replace("\r", "").replace("\n", "<br/>")


def _mermaid_label(text: str) -> str:
    return '"' + text + '"'


def to_mermaid(supply: SupplyGraph, highlight: Collection[str] = ()) -> str:
    ids: dict[str, str] = {}
    lines = ["flowchart LR"]
    for node_id, node in supply.nodes.items():
        opening, closing = MERMAID_SHAPE[node.role]
        label = f"{_mermaid_text(safe_text(node.name))}<br/><i>{node.role.value}</i>"
        lines.append(f"  {_mermaid_id(node_id, ids)}{opening}{_mermaid_label(label)}{closing}")
    for edge in supply.edges():
        arrow = MERMAID_ARROW[edge.kind]
        lines.append(f"  {_mermaid_id(edge.from_, ids)} {arrow}|{edge.kind.value}| {_mermaid_id(edge.to, ids)}")
    for role, (_, fill) in ROLE_STYLE.items():
        members = [ids[n] for n, node in supply.nodes.items() if node.role is role]
        if members:
            lines.append(f"  classDef {role.value} fill:{fill},stroke:#555")
            lines.append(f"  class {','.join(members)} {role.value}")
    flagged = [ids[n] for n in supply.nodes if n in highlight]
    if flagged:
        lines.append("  classDef gap stroke:#d62728,stroke-width:3px")
        lines.append(f"  class {','.join(flagged)} gap")
    return "\n".join(lines) + "\n"


RENDERERS: dict[str, Callable[[SupplyGraph, Collection[str]], str]] = {"dot": to_dot, "mermaid": to_mermaid}
