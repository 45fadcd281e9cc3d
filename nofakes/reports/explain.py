"""`audit --explain`: an `Explanation` as terminal text (plain, wrapped to a width) or JSON data.

Each step is one line: its outcome in a column of its own ("holds", "fails", "no evidence"),
then what it checks, indented by depth; the value found and the reason follow on their own
lines under it. Text from the input goes through `safe_text`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

from nofakes.audit.explain import Explanation, PathSteps
from nofakes.core.text import LONG_TEXT_CHARS, count_of, safe_text
from nofakes.rules.explain import HOLDS, Step

TAG = 13  # width of the outcome column ("no evidence" and two spaces)
INDENT = 2  # per level of the tree
MIN_TEXT = 30  # deep trees on narrow terminals still get this much room


def _wrap(text: str, first: str, rest: str, width: int) -> list[str]:
    room = max(width - len(rest), MIN_TEXT)
    lines = textwrap.wrap(safe_text(text, LONG_TEXT_CHARS), room, break_long_words=True, break_on_hyphens=False)
    return [(first if i == 0 else rest) + line for i, line in enumerate(lines or [""])]


def step_lines(step: Step, depth: int, width: int) -> list[str]:
    """One step and its parts, indented by `depth`."""
    pad = " " * (TAG + INDENT * depth)
    lines = _wrap(step.label, f"{step.outcome:<{TAG}}" + " " * (INDENT * depth), pad + "  ", width)
    for name, text in (("found", step.found), ("why", step.why)):
        if text:
            lines += _wrap(f"{name}: {text}", pad + "  ", pad + "    ", width)
    for child in step.children:
        lines += step_lines(child, depth + 1, width)
    return lines


def _field(name: str, text: str, width: int) -> list[str]:
    return _wrap(text, f"  {name:<9}", " " * 11, width)


def _path_lines(path: PathSteps, width: int) -> list[str]:
    lines = ["", f"Path (from {count_of(path.starts, 'start partner')})"]
    route = " -> ".join(path.route)
    lines += _wrap(f"{path.route_words}: {route}" if route else path.route_words, "  ", "    ", width)
    for step in path.steps:
        lines += step_lines(step, 1, width)
    return lines


def render_text(explanations: Sequence[Explanation], width: int = 80) -> str:
    blocks = ["\n".join(_lines(explanation, width)) for explanation in explanations]
    return "\n\n".join(blocks) + "\n"


def _lines(e: Explanation, width: int) -> list[str]:
    rule = e.rule
    kind = f", {e.edge_kind.replace('_', ' ')}" if e.edge_kind else ""
    lines = _wrap(f"{rule.id} on {e.name} ({e.subject}{kind}): {e.verdict}", "", "  ", width)
    lines += _field("Rule", f"{rule.title} ({e.pack}, {rule.severity.value}, section {rule.section})", width)
    lines += _field("As of", e.as_of.isoformat(), width)
    if e.message:
        lines += _field("Message", e.message, width)
    if e.why:
        lines += _field("Why", e.why + (" (missing evidence counts as a gap)" if e.missing_evidence else ""), width)
    if e.waiver is not None:
        w = e.waiver
        lines += _field("Waiver", f"approved by {w.approved_by} until {w.expires.isoformat()}: {w.reason}", width)
    if not e.applies:
        lines += ["", "Applies to: every subject of the rule's target"]
    else:
        applies = all(step.outcome == HOLDS for step in e.applies)
        lines += ["", "Applies to: " + ("yes, every filter holds" if applies else "no, a filter does not hold")]
    for step in e.applies:
        lines += step_lines(step, 1, width)
    if e.check is not None:
        lines += ["", "Check"] + step_lines(e.check, 1, width)
    elif e.rule.check is not None:
        lines += ["", "Check: not evaluated (the rule does not apply)"]
    if e.path is not None:
        lines += _path_lines(e.path, width)
    return lines


def as_json(explanations: Iterable[Explanation]) -> list[dict[str, Any]]:
    return [_data(e) for e in explanations]


def _data(e: Explanation) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rule": e.rule.id, "pack": e.pack, "subject": e.subject, "subject_name": e.name, "edge_kind": e.edge_kind,
        "as_of": e.as_of.isoformat(), "status": e.status.value, "missing_evidence": e.missing_evidence,
        "message": e.message, "why": e.why,
        "waiver": None if e.waiver is None else {
            "approved_by": e.waiver.approved_by, "expires": e.waiver.expires.isoformat(), "reason": e.waiver.reason},
        "applies_to": [step.as_dict() for step in e.applies],
        "check": e.check.as_dict() if e.check is not None else None,
    }
    if e.path is not None:
        out["path"] = {"start_partners": e.path.starts, "route": list(e.path.route), "route_words": e.path.route_words,
                       "steps": [step.as_dict() for step in e.path.steps]}
    return out
