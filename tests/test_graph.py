"""Graph building, tiers, the summary line and the dot / mermaid drawings."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from helpers import VALID
from nofakes.cli.main import cli
from nofakes.supply.drawing import to_dot, to_mermaid
from nofakes.supply.graph import build_graph, focal_nodes, summarize
from nofakes.supply.loading import load_supply
from nofakes.supply.model import Document


def doc(nodes: list[tuple[str, str]], edges: list[tuple[str, str, str]], company: str = "acme",
        **extra: Any) -> Document:
    return Document.model_validate({
        "nofakes": "1",
        "company": {"id": company, "name": "Acme"},
        "nodes": [{"id": i, "name": i.title(), "role": role} for i, role in nodes],
        "edges": [{"from": a, "to": b, "kind": kind} for a, b, kind in edges],
        **extra,
    })


CHAIN = doc(
    [("ore", "supplier"), ("pcb", "supplier"), ("factory", "contract_manufacturer"), ("acme", "brand_owner"),
     ("dist", "distributor"), ("shop", "retailer"), ("buyer", "customer"), ("island", "recycler")],
    [("ore", "pcb", "supplies"), ("pcb", "factory", "supplies"), ("factory", "acme", "supplies"),
     ("acme", "dist", "distributes"), ("dist", "shop", "sells"), ("shop", "buyer", "sells")],
)


# ---------------------------------------------------------------- tiers


def test_tiers_upstream_positive_downstream_negative_focal_zero() -> None:
    tiers = build_graph(CHAIN).tiers
    assert tiers == {"ore": 3, "pcb": 2, "factory": 1, "acme": 0, "dist": -1, "shop": -2, "buyer": -3,
                     "island": None}


def test_focal_is_the_company_node_else_brand_owners_else_customer_facing() -> None:
    assert focal_nodes(CHAIN) == ["acme"]
    owners = doc([("a", "brand_owner"), ("b", "brand_owner"), ("s", "supplier")], [("s", "a", "supplies")],
                 company="not-a-node")
    assert focal_nodes(owners) == ["a", "b"]
    assert build_graph(owners).tiers == {"a": 0, "b": 0, "s": 1}
    facing = doc([("s", "supplier"), ("d", "distributor"), ("r", "retailer"), ("m", "marketplace")],
                 [("s", "d", "supplies"), ("d", "r", "sells"), ("d", "m", "lists_on")], company="x")
    assert focal_nodes(facing) == ["r", "m"]
    assert build_graph(facing).tiers == {"s": 2, "d": 1, "r": 0, "m": 0}


def test_no_focal_node_means_no_tiers() -> None:
    lonely = doc([("s", "supplier"), ("d", "distributor")], [("s", "d", "supplies")], company="x")
    assert build_graph(lonely).tiers == {"s": None, "d": None}


def test_returns_edges_are_ignored_for_tiers() -> None:
    document = doc([("acme", "brand_owner"), ("shop", "retailer"), ("recycler", "recycler")],
                   [("acme", "shop", "sells"), ("shop", "acme", "returns"), ("acme", "recycler", "returns")])
    tiers = build_graph(document).tiers
    assert tiers == {"acme": 0, "shop": -1, "recycler": None}


def test_a_returns_edge_next_to_a_goods_edge_still_counts_the_goods_edge() -> None:
    document = doc([("acme", "brand_owner"), ("shop", "retailer")],
                   [("shop", "acme", "returns"), ("shop", "acme", "supplies")])
    assert build_graph(document).tiers == {"acme": 0, "shop": 1}


def test_cycles_terminate_and_take_the_shortest_distance() -> None:
    document = doc(
        [("acme", "brand_owner"), ("a", "distributor"), ("b", "distributor"), ("c", "retailer"),
         ("s1", "supplier"), ("s2", "supplier")],
        [("acme", "a", "distributes"), ("a", "b", "distributes"), ("b", "a", "distributes"), ("b", "c", "sells"),
         ("c", "acme", "returns"), ("s1", "s2", "supplies"), ("s2", "s1", "supplies"), ("s2", "acme", "supplies")],
    )
    assert build_graph(document).tiers == {"acme": 0, "a": -1, "b": -2, "c": -3, "s1": 2, "s2": 1}


def test_a_node_both_upstream_and_downstream_gets_its_upstream_tier() -> None:
    document = doc([("acme", "brand_owner"), ("dist", "distributor"), ("pcb", "supplier")],
                   [("acme", "dist", "distributes"), ("dist", "pcb", "ships"), ("pcb", "acme", "supplies")])
    assert build_graph(document).tiers == {"acme": 0, "pcb": 1, "dist": 2}


def test_long_chain_is_linear_and_has_no_recursion_limit() -> None:
    n = 5000
    nodes = [("acme", "brand_owner")] + [(f"s{i}", "supplier") for i in range(n)]
    edges = [(f"s{i + 1}", f"s{i}", "supplies") for i in range(n - 1)] + [("s0", "acme", "supplies")]
    tiers = build_graph(doc(nodes, edges)).tiers
    assert tiers[f"s{n - 1}"] == n
    assert max(t for t in tiers.values() if t is not None) == n


def test_graph_keys_edges_by_kind_and_keeps_the_models() -> None:
    document = doc([("acme", "brand_owner"), ("shop", "retailer")],
                   [("acme", "shop", "sells"), ("acme", "shop", "ships")])
    supply = build_graph(document)
    assert sorted(k for _, _, k in supply.graph.edges(keys=True)) == ["sells", "ships"]
    assert supply.graph.nodes["shop"]["node"].name == "Shop"
    assert {e.kind.value for e in supply.edges()} == {"sells", "ships"}


# ---------------------------------------------------------------- summary


def test_summary_line() -> None:
    summary = summarize(CHAIN, build_graph(CHAIN))
    assert summary.partners == 8 and summary.edges == 6
    assert summary.upstream_tiers == 3 and summary.downstream_tiers == 3 and summary.untiered == 1
    assert summary.one_line() == (
        "8 partners (2 supplier, 1 brand_owner, 1 contract_manufacturer, 1 customer, 1 distributor, 1 recycler, "
        "1 retailer); 6 edges; 0 products; tiers: 3 upstream, 3 downstream, 1 unconnected to the company"
    )


def test_summary_line_singular_and_empty() -> None:
    one = doc([("acme", "brand_owner"), ("s", "supplier")], [("s", "acme", "supplies")],
              products=[{"id": "p", "name": "P"}])
    assert summarize(one, build_graph(one)).one_line() == (
        "2 partners (1 brand_owner, 1 supplier); 1 edge; 1 product; tiers: 1 upstream, 0 downstream")
    empty = doc([], [])
    assert summarize(empty, build_graph(empty)).one_line() == (
        "0 partners; 0 edges; 0 products; tiers: 0 upstream, 0 downstream")


# ---------------------------------------------------------------- drawings

QUOTED = doc([("acme", "brand_owner"), ("pcb", "supplier"), ("x.y:z-1", "distributor")],
             [("pcb", "acme", "supplies"), ("acme", "x.y:z-1", "distributes"), ("x.y:z-1", "pcb", "returns")])
NASTY = 'Foo "Best" \\ Parts\\" <b>&</b> #1'
QUOTED = QUOTED.model_copy(update={"nodes": [QUOTED.nodes[0], QUOTED.nodes[1].model_copy(update={"name": NASTY}),
                                             QUOTED.nodes[2]]})
DOT_STRING = r'"(?:[^"\\]|\\.)*"'


def test_dot_contains_every_node_and_edge() -> None:
    supply = build_graph(CHAIN)
    text = to_dot(supply)
    assert text.startswith("digraph supply_chain {") and text.endswith("}\n")
    for node in CHAIN.nodes:
        assert f'"{node.id}" [label="{node.name}\\n{node.role.value}' in text
    for edge in CHAIN.edges:
        assert f'"{edge.from_}" -> "{edge.to}" [label="{edge.kind.value}"' in text
    assert '"acme" [label="Acme\\nbrand_owner\\ntier 0"' in text
    assert '"ore" [label="Ore\\nsupplier\\ntier 3"' in text


def test_dot_escapes_quotes_and_backslashes() -> None:
    text = to_dot(build_graph(QUOTED))
    line = next(line for line in text.splitlines() if line.lstrip().startswith('"pcb" [label='))
    assert '\\"Best\\"' in line
    # every line is made of complete strings: no quote from a name ends a string early
    for row in text.splitlines()[4:-1]:
        rest = re.sub(DOT_STRING, "S", row)
        assert '"' not in rest, row
    label = re.search(r"label=(" + DOT_STRING + ")", line).group(1)
    unescaped = re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), label[1:-1])
    assert unescaped.split("\n")[0] == NASTY
    assert '"x.y:z-1" -> "pcb" [label="returns", style=dashed]' in text


def test_dot_highlight() -> None:
    text = to_dot(build_graph(CHAIN), highlight={"pcb"})
    assert sum("penwidth=3" in line for line in text.splitlines()) == 1
    assert "penwidth=3" in next(line for line in text.splitlines() if line.lstrip().startswith('"pcb"'))


def test_mermaid_contains_every_node_and_edge() -> None:
    text = to_mermaid(build_graph(CHAIN))
    assert text.startswith("flowchart LR\n")
    ids = dict(re.findall(r"^  (n\d+_\w+)\W+\"(\w+)<br/>", text, re.MULTILINE))
    assert sorted(ids.values()) == sorted(n.name for n in CHAIN.nodes)
    by_name = {name: mid for mid, name in ids.items()}
    for edge in CHAIN.edges:
        source, target = by_name[edge.from_.title()], by_name[edge.to.title()]
        assert re.search(rf"^  {source} \S+\|{edge.kind.value}\| {target}$", text, re.MULTILINE), edge


def test_mermaid_escapes_names_and_sanitises_ids() -> None:
    text = to_mermaid(build_graph(QUOTED))
    line = next(line for line in text.splitlines() if "Best" in line)
    assert "#quot;Best#quot;" in line and "#lt;b#gt;" in line and "#amp;" in line
    assert line.count('"') == 2  # the label's own quotes only
    assert "n2_x_y_z_1" in text
    assert "  n2_x_y_z_1 -.->|returns| n1_pcb\n" in text


def test_mermaid_ids_stay_distinct_when_sanitised_ids_collide() -> None:
    document = doc([("a.b", "supplier"), ("a_b", "supplier"), ("acme", "brand_owner")],
                   [("a.b", "acme", "supplies"), ("a_b", "acme", "supplies")])
    text = to_mermaid(build_graph(document))
    node_ids = re.findall(r"^  (n\d+_\w+)\[", text, re.MULTILINE)
    assert len(set(node_ids)) == 2


# ---------------------------------------------------------------- the graph command


@pytest.mark.parametrize("fmt, start", [("dot", "digraph supply_chain {"), ("mermaid", "flowchart LR")])
def test_graph_command(fmt: str, start: str, runner) -> None:
    result = runner.invoke(cli, ["graph", str(VALID / "full.yaml"), "--format", fmt])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(start)
    loaded = load_supply(VALID / "full.yaml")
    for node in loaded.document.nodes:
        assert node.name in result.stdout


def test_graph_command_default_is_dot(runner) -> None:
    result = runner.invoke(cli, ["graph", str(VALID / "with-include" / "main.yaml")])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("digraph")
    assert "Copper Laminate Ltd" in result.stdout  # from the include of an include


def test_graph_command_writes_output_file(runner, tmp_path: Path) -> None:
    out = tmp_path / "chain.mmd"
    result = runner.invoke(cli, ["graph", str(VALID / "full.yaml"), "--format", "mermaid", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("flowchart LR")
    assert [p.name for p in tmp_path.iterdir()] == ["chain.mmd"]  # no temporary file left behind


def test_graph_output_refuses_to_overwrite_the_input(runner, tmp_path: Path) -> None:
    source = tmp_path / "supply.yaml"
    source.write_bytes((VALID / "full.yaml").read_bytes())
    before = source.read_bytes()
    result = runner.invoke(cli, ["graph", str(source), "-o", str(source)])
    assert result.exit_code == 2
    assert "refusing to overwrite an input file" in result.stderr
    assert source.read_bytes() == before


def test_graph_output_refuses_to_overwrite_an_included_file(runner, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "parts").mkdir()
    (tmp_path / "main.yaml").write_text('nofakes: "1"\ncompany: {id: a, name: A}\ninclude: [parts/n.yaml]\n')
    fragment = tmp_path / "parts" / "n.yaml"
    fragment.write_text("nodes: [{id: s, name: S, role: supplier}]\n")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["graph", "main.yaml", "-o", "parts/../parts/n.yaml"])
    assert result.exit_code == 2
    assert "refusing to overwrite an input file" in result.stderr
    assert fragment.read_text() == "nodes: [{id: s, name: S, role: supplier}]\n"


def test_graph_command_on_a_broken_file(runner, tmp_path: Path) -> None:
    source = tmp_path / "bad.yaml"
    source.write_text('nofakes: "1"\ncompany: {id: a, name: A}\nnodes: [{id: s, name: S, role: suplier}]\n')
    result = runner.invoke(cli, ["graph", str(source)])
    assert result.exit_code == 2
    assert f"{source}:3:" in result.stderr and "did you mean 'supplier'?" in result.stderr
    assert result.stdout == ""


def test_makers_shipping_past_the_brand_node_are_tier_1() -> None:
    # The brand never touches the goods: its contract manufacturer ships to a forwarder, and its
    # licensee sells to its own shops. The factory and the licensee are the brand's tier 1.
    document = doc(
        [("acme", "brand_owner"), ("cm", "contract_manufacturer"), ("pcb", "supplier"), ("fwd", "logistics"),
         ("shop", "retailer"), ("lic-factory", "contract_manufacturer"), ("lic", "licensee"), ("lic-shop", "retailer")],
        [("pcb", "cm", "supplies"), ("cm", "fwd", "ships"), ("fwd", "shop", "distributes"), ("shop", "acme", "returns"),
         ("lic-factory", "lic", "supplies"), ("lic", "lic-shop", "sells")],
    )
    assert build_graph(document).tiers == {"acme": 0, "cm": 1, "pcb": 2, "fwd": -1, "shop": -2,
                                           "lic": 1, "lic-factory": 2, "lic-shop": -1}


def test_drawings_carry_no_control_characters_from_names() -> None:
    # the drawing is often printed to a terminal: escape sequences and bidi overrides are dropped
    document = doc([("acme", "brand_owner"), ("pcb", "supplier")], [("pcb", "acme", "supplies")])
    evil = document.model_copy(update={"nodes": [
        document.nodes[0], document.nodes[1].model_copy(update={"name": "PCB\x1b[2J\x1b]8;;http://x\x07 Co\u202e"})]})
    for text in (to_dot(build_graph(evil)), to_mermaid(build_graph(evil))):
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
        assert "PCB[2J]8;;http://x Co" in text
