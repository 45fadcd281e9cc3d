"""`nofakes risk` and `nofakes exposure` output: plain text for people (80 columns), JSON for programs.

Every number comes with what it is made of: a partner's score with its factors (points, evidence,
source), an exposure with the upstream paths that contribute most. The model's caveat is part of
every output.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from nofakes.audit.risk import Assessment
from nofakes.core.text import count_of, safe_text
from nofakes.risk.exposure import EXPOSURE_FORMULA, Contribution
from nofakes.risk.model import FORMULA, Risk, percent
from nofakes.supply.graph import CUSTOMER_FACING
from nofakes.supply.model import Document, Node

WIDTH = 80


def _wrap(text: str, indent: int) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=" " * indent, subsequent_indent=" " * (indent + 2)) or [""]


def _who(node: Node | None, partner: str) -> str:
    if node is None:
        return safe_text(partner)
    country = f", {node.country}" if node.country else ""
    return f"{safe_text(node.name)} ({safe_text(node.id)}, {node.role.value}{country})"


def _path_words(path: Sequence[str], nodes: Mapping[str, Node]) -> str:
    return " -> ".join(safe_text(nodes[n].name) if n in nodes else safe_text(n) for n in path)


def _header(assessment: Assessment, document: Document, source: str, title: str) -> list[str]:
    profile = assessment.model.profile
    weights = ", ".join(f"{name.replace('_', ' ')} {w.points:g}" for name, w in profile.weights.items())
    lines = [f"{title}: {safe_text(document.company.name)} ({safe_text(source)})"]
    lines += _wrap(f"Risk profile {profile.id}: {profile.title}. Source: {profile.source.title}.", 0)
    lines += _wrap(f"{FORMULA}; points: {weights}.", 0)
    lines += _wrap(profile.caveat, 0)
    return [*lines, ""]


def _factor_lines(risk: Risk) -> list[str]:
    out: list[str] = []
    for factor in risk.factors:
        out += _wrap(f"+{factor.points:5.1f}  {factor.name.replace('_', ' ')}: {safe_text(factor.evidence, 300)}", 6)
    return out or ["      no risk factor found"]


def risk_text(assessment: Assessment, document: Document, source: str, top: int) -> str:
    nodes = {n.id: n for n in document.nodes}
    ranked = assessment.model.ranked()
    shown = ranked[:top]
    paths = assessment.paths(r.subject for r in shown)
    lines = _header(assessment, document, source, "Counterfeit risk")
    for rank, risk in enumerate(shown, 1):
        head = f"{rank:2}. {_who(nodes.get(risk.subject), risk.subject)}"
        tail = f"risk {risk.score:5.1f}  exposure {percent(assessment.exposure[risk.subject]):>6}"
        if len(head) + len(tail) + 2 <= WIDTH:
            lines.append(f"{head:<{WIDTH - len(tail)}}{tail}")
        else:
            lines += [*_wrap(head, 0), tail.rjust(WIDTH)]
        lines += _factor_lines(risk)
        if paths[risk.subject]:
            best = paths[risk.subject][0]
            lines += _wrap(f"most exposure through: {_path_words(best.path, nodes)} ({percent(best.value)})", 6)
    if len(ranked) > top:
        lines.append(f"... and {count_of(len(ranked) - top, 'more partner')} (--top N shows more)")
    return "\n".join(lines) + "\n"


def _reached_line(value: float, who: str, path: Sequence[str], nodes: Mapping[str, Node]) -> list[str]:
    through = f" through {_path_words(path, nodes)}" if len(path) > 2 else ""
    return _wrap(f"{percent(value):>6}  {who}{through}", 2)


def exposure_text(assessment: Assessment, document: Document, source: str, top: int,
                  start: str | None = None) -> str:
    nodes = {n.id: n for n in document.nodes}
    lines = _header(assessment, document, source, "Exposure to counterfeit risk")
    lines += _wrap(f"{EXPOSURE_FORMULA}; w = the flow's share, else an equal split between suppliers; "
                   f"d = {assessment.damping:g} per hop; paths of at most {assessment.depth} hops.", 0) + [""]
    if start is None:
        ranked = sorted((n for n, v in assessment.exposure.items() if v > 0),
                        key=lambda n: (-assessment.exposure[n], n))
        paths = assessment.paths(ranked[:top])
        for rank, partner in enumerate(ranked[:top], 1):
            lines += _wrap(f"{rank:2}. {_who(nodes.get(partner), partner)}: "
                           f"exposure {percent(assessment.exposure[partner])}", 0)
            for contribution in paths[partner]:
                lines += _wrap(f"{percent(contribution.value):>6} through {_path_words(contribution.path, nodes)}", 6)
        if not ranked:
            lines.append("No partner receives goods from a partner with a risk factor.")
        elif len(ranked) > top:
            lines.append(f"... and {count_of(len(ranked) - top, 'more partner')} (--top N shows more)")
        return "\n".join(lines) + "\n"
    reached = assessment.downstream_of(start)
    own = assessment.model.partners[start]
    lines += _wrap(f"Risk of {_who(nodes.get(start), start)}: {own.score:.1f}", 0)
    lines += [*_factor_lines(own), ""]
    facing = sorted((n for n in reached if nodes[n].role in CUSTOMER_FACING), key=lambda n: (-reached[n], n))
    others = sorted((n for n in reached if nodes[n].role not in CUSTOMER_FACING), key=lambda n: (-reached[n], n))
    paths = assessment.paths([*facing[:top], *others[:top]], {start: assessment.risk[start]})
    for heading, group in (("Customers and sales channels reached", facing), ("Other partners reached", others)):
        lines.append(f"{heading} ({len(group):,}):")
        for partner in group[:top]:
            best = paths[partner][0].path if paths[partner] else ()
            lines += _reached_line(reached[partner], _who(nodes.get(partner), partner), best, nodes)
        if len(group) > top:
            lines.append(f"  ... and {count_of(len(group) - top, 'more partner')}")
        if not group:
            lines.append("  none")
    return "\n".join(lines) + "\n"


def _risk_data(risk: Risk) -> dict[str, Any]:
    return {"score": risk.score, "factors": [
        {"factor": f.name, "value": f.value, "points": f.points, "evidence": f.evidence, "source": f.source}
        for f in risk.factors]}


def _paths_data(paths: Sequence[Contribution]) -> list[dict[str, Any]]:
    return [{"path": list(c.path), "contribution": round(c.value, 6)} for c in paths]


def risk_json(assessment: Assessment, document: Document, source: str, top: int, start: str | None = None) -> str:
    """Every partner's score, factors and exposure, every flow's score; the upstream paths of the `top`
    most exposed partners (and, with `start`, of the `top` partners it reaches most)."""
    profile = assessment.model.profile
    exposed = sorted(assessment.exposure, key=lambda n: (-assessment.exposure[n], n))[:top]
    paths = assessment.paths(exposed)
    data: dict[str, Any] = {
        "company": document.company.id, "input": source,
        "profile": {"id": profile.id, "title": profile.title, "source": profile.source.title,
                    "sha256": profile.source.sha256, "caveat": profile.caveat,
                    "weights": {k: w.points for k, w in profile.weights.items()}},
        "formula": {"score": FORMULA, "exposure": EXPOSURE_FORMULA, "depth": assessment.depth,
                    "damping": assessment.damping},
        "partners": [{"partner": r.subject, **_risk_data(r), "exposure": round(assessment.exposure[r.subject], 6),
                      **({"paths": _paths_data(paths[r.subject])} if r.subject in paths else {})}
                     for r in assessment.model.ranked()],
        "flows": [{"from": k[0], "to": k[1], "kind": k[2], **_risk_data(r)}
                  for k, r in sorted(assessment.model.flows.items())],
    }
    if start is not None:
        reached = assessment.downstream_of(start)
        ranked = sorted(reached, key=lambda n: (-reached[n], n))
        from_paths = assessment.paths(ranked[:top], {start: assessment.risk[start]})
        data["from"] = {"partner": start, "reached": [
            {"partner": n, "exposure": round(reached[n], 6),
             **({"paths": _paths_data(from_paths[n])} if n in from_paths else {})} for n in ranked]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
