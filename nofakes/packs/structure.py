"""Checks inside one pack file that its model cannot express: duplicate rule ids, unknown sections
and sources, and agreement between a rule's target and its `check` or `path`."""

from __future__ import annotations

from collections.abc import Sequence

from nofakes.core.errors import Diagnostic, did_you_mean, format_path
from nofakes.packs.model import Pack
from nofakes.sources import formats


def check_structure(pack: Pack, display: str, text: str, indexes: Sequence[int] | None = None) -> list[Diagnostic]:
    """Checks inside one file: duplicate ids, unknown sections and sources, target/spec agreement.

    `indexes` gives each rule's place in the file when `pack.rules` holds only some of its rules
    (the linter checks the rules that are valid while others fail the pack model)."""
    problems: list[Diagnostic] = []
    numbered = list(zip(indexes if indexes is not None else range(len(pack.rules)), pack.rules, strict=True))

    def report(loc: list[str | int], message: str, expected: str | None = None, hint: str | None = None) -> None:
        line, col = formats.locate(text, loc)
        problems.append(Diagnostic(display, message, path=format_path(loc), line=line, column=col,
                                   expected=expected, hint=hint))

    seen: dict[str, int] = {}
    for i, rule in numbered:
        if rule.id in seen:
            report(["rules", i, "id"], f"duplicate rule id {rule.id!r} (first at rules[{seen[rule.id]}])",
                   expected="each rule id once per pack")
        seen.setdefault(rule.id, i)
        if rule.target.value == "path":
            if rule.path is None:
                report(["rules", i], "a path rule without 'path'", expected="path: {start, end, ...}")
            if rule.check is not None:
                report(["rules", i, "check"], "a path rule takes 'path', not 'check'", expected="path: {...}")
        else:
            if rule.check is None:
                report(["rules", i], f"a {rule.target.value} rule without 'check'", expected="check: CONDITION")
            if rule.path is not None:
                report(["rules", i, "path"], f"'path' is only for target: path (this rule is {rule.target.value})")
    section_ids = [s.id for s in pack.sections]
    if len(set(section_ids)) != len(section_ids):
        report(["sections"], "duplicate section ids", expected="unique section ids")
    if not pack.extends:
        known = set(section_ids)
        for i, rule in numbered:
            if rule.section not in known:
                report(["rules", i, "section"], f"unknown section {rule.section!r}",
                       expected="a section id from sections:", hint=did_you_mean(rule.section, known))
        sources = {s.id for s in pack.sources}
        for i, rule in numbered:
            for j, ref in enumerate(rule.references):
                if ref.source not in sources:
                    report(["rules", i, "references", j, "source"], f"unknown source {ref.source!r}",
                           expected="a source id from sources:", hint=did_you_mean(ref.source, sources))
    return problems
