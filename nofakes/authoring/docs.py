"""`nofakes guidelines docs`: a Markdown reference of a pack, generated from the pack itself.

Sections in pack order, then every rule: severity, target, what it applies to and what it
checks in words (the words failure reasons use, from compiling the rule against an empty
supply chain), rationale, remediation, effort, references and the parameters it reads. The
output depends only on the pack (no date, no path), so a committed reference can be checked
for being current by generating it again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from nofakes.audit.compile import RuleCompiler
from nofakes.audit.subjects import EDGE_SCOPE, NODE_SCOPE, build_subjects
from nofakes.authoring.checks import rule_parameters
from nofakes.authoring.lint import compile_problems
from nofakes.core.errors import PackError
from nofakes.packs.catalogue import ResolvedPack
from nofakes.packs.listing import value_text
from nofakes.packs.model import Parameter, Rule, RuleStatus
from nofakes.rules.reuse import used_names
from nofakes.rules.words import either, name_words, show
from nofakes.supply.graph import build_graph
from nofakes.supply.model import Document

WORDS_DATE = dt.date(2000, 1, 1)  # compiling for words only: no date appears in them
TARGET_WORDS = {"node": "each partner", "edge": "each goods or listing link between two partners",
                "product": "each product", "company": "the company as a whole",
                "path": "each partner at the end of a goods path"}


def _cell(text: Any) -> str:
    """Text for one Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _line(text: str) -> str:
    return " ".join(text.split())


def _bounds(parameter: Parameter) -> str:
    low, high = parameter.minimum, parameter.maximum
    if low is not None and high is not None:
        return f"{low:g} to {high:g}"
    if low is not None:
        return f"at least {low:g}"
    return f"at most {high:g}" if high is not None else ""


def _roles(roles: Any) -> str:
    return either(show(r) for r in roles)


class _Words:
    """Compiles a pack's rules for their words, against an empty supply chain."""

    def __init__(self, pack: ResolvedPack):
        document = Document.model_validate({"nofakes": "1", "company": {"id": "docs", "name": "docs"}})
        self.supply = build_graph(document)
        self.subjects = build_subjects(document, self.supply)
        self.pack = pack
        self.params = {name: p.default for name, p in pack.parameters.items()}

    def compiler(self, rule: Rule) -> RuleCompiler:
        return RuleCompiler(self.pack, rule, self.params, WORDS_DATE, self.supply, self.subjects)

    def applies(self, rule: Rule) -> str:
        spec = rule.applies_to
        filters, where = [], []
        if rule.path is not None:
            if rule.path.end.role:
                filters.append(f"with role {_roles(rule.path.end.role)}")
            if rule.path.end.where is not None:
                where.append(self.compiler(rule).words(rule.path.end.where, NODE_SCOPE, "path", "end", "where"))
        if spec is not None:
            if spec.role:
                filters.append(f"with role {_roles(spec.role)}")
            if spec.kind:
                filters.append(f"of kind {_roles(spec.kind)}")
            if spec.from_role:
                filters.append(f"from a partner with role {_roles(spec.from_role)}")
            if spec.to_role:
                filters.append(f"to a partner with role {_roles(spec.to_role)}")
            if spec.category:
                filters.append(f"handling products of category {_roles(spec.category)}")
            if spec.where is not None:
                compiler = self.compiler(rule)
                where.append(compiler.words(spec.where, compiler.target.scope, "applies_to", "where"))
        text = TARGET_WORDS[rule.target.value]
        if filters:
            text += " " + ", ".join(filters)
        return text + "".join(f", where {w}" for w in where)

    def checks(self, rule: Rule) -> list[str]:
        compiler = self.compiler(rule)
        if rule.check is not None:
            return [compiler.check_words()]
        spec = rule.path
        assert spec is not None  # the loader requires check or path
        start = f"partners with role {_roles(spec.start.role)}" if spec.start.role else "any partner"
        if spec.start.where is not None:
            start += " where " + compiler.words(spec.start.where, NODE_SCOPE, "path", "start", "where")
        lines = [f"paths start at {start}, follow {_roles(spec.follow)} links"
                 + (f" for at most {spec.max_hops} hops" if spec.max_hops else "")]
        if spec.mode == "no_bad_path":
            lines.append("a partner fails when some path from a start reaches it through a forbidden partner or link")
        else:
            lines.append("a partner fails unless some path from a start reaches it through allowed partners and "
                         "links only")
        for name, scope, lead in (("forbid_nodes", NODE_SCOPE, "forbidden partners: those where "),
                                  ("require_nodes", NODE_SCOPE, "every partner on the way must satisfy: "),
                                  ("forbid_edges", EDGE_SCOPE, "forbidden links: those where "),
                                  ("require_edges", EDGE_SCOPE, "every link on the way must satisfy: ")):
            cond = getattr(spec, name)
            if cond is not None:
                lines.append(lead + compiler.words(cond, scope, "path", name))
        return lines


def docs_markdown(pack: ResolvedPack) -> str:
    """The Markdown reference of `pack`; a pack whose rules do not compile is a PackError."""
    problems = compile_problems(pack)
    if problems:
        raise PackError(problems)
    return "\n".join(_document(pack, _Words(pack))) + "\n"


def _document(pack: ResolvedPack, words: _Words) -> list[str]:
    active = [r for r in pack.rules if r.status is not RuleStatus.deprecated]
    status = f"Status: {pack.status.value}"
    if pack.pack.released:
        status += f" on {pack.pack.released.isoformat()}"
    status += f". {len(active)} rule{'s' if len(active) != 1 else ''}"
    if len(active) != len(pack.rules):
        status += f" and {len(pack.rules) - len(active)} deprecated"
    out = [f"# {pack.name} {pack.version}: {_line(pack.title)}", "", status + ".", "",
           f"Generated by `nofakes guidelines docs {pack.id}` from the pack file; do not edit by hand.", ""]
    if pack.pack.description:
        out += [_line(pack.pack.description), ""]
    if pack.parameters:
        out += ["## Parameters", "", "Override a default in `supply.yaml` (`parameters:`) or with "
                f"`--param {pack.name}.NAME=VALUE`.", "",
                "| parameter | default | allowed | what it is |", "|---|---|---|---|"]
        out += [f"| `{name}` | `{_cell(value_text(p.default))}` | {_bounds(p)} | {_cell(p.description)} |"
                for name, p in sorted(pack.parameters.items())]
        out.append("")
    if pack.conditions:
        out += ["## Named conditions", "", "Defined once and used by rules as `{use: NAME}`.", "",
                "| condition | what it requires | used by |", "|---|---|---|"]
        users = {rule.id: _uses(rule, pack) for rule in pack.rules}
        out += [f"| `{name}` | {_cell(named.description)} | "
                f"{', '.join(rule_id for rule_id, used in users.items() if name in used) or '(no rule)'} |"
                for name, named in sorted(pack.conditions.items())]
    if pack.attributes is not None:
        out += ["## Declared attributes", "", "What the rules read under `attributes:` in `supply.yaml`; every audit "
                "checks the file's values against these types.", "",
                "| record | attribute | type | what it is |", "|---|---|---|---|"]
        out += [f"| {owner} | `{name}` | {attribute.type.value} | {_cell(attribute.description)} |"
                for owner, names in pack.attributes.items() for name, attribute in sorted(names.items())]
        out.append("")
    by_section: dict[str, list[Rule]] = {}
    for rule in pack.rules:
        by_section.setdefault(rule.section, []).append(rule)
    out += ["## Rules by section", "", "| section | rules |", "|---|---|"]
    out += [f"| {_cell(s.title)} | {', '.join(r.id for r in by_section.get(s.id, []))} |" for s in pack.sections]
    out.append("")
    sources = {s.id: s for s in pack.sources}
    for section in pack.sections:
        out += [f"## {_line(section.title)}", ""]
        if section.description:
            out += [_line(section.description), ""]
        for rule in by_section.get(section.id, []):
            out += _rule(rule, pack, words, sources)
    return out


def _uses(rule: Rule, pack: ResolvedPack) -> list[str]:
    """The named conditions a rule uses, directly or through others, by name."""
    return sorted(used_names([rule.model_dump(mode="json", exclude_none=True)], pack.conditions))


def _rule(rule: Rule, pack: ResolvedPack, words: _Words, sources: dict[str, Any]) -> list[str]:
    status = ""
    if rule.status is RuleStatus.deprecated:
        status = " (deprecated" + (f": replaced by {rule.replaced_by})" if rule.replaced_by else ")")
    out = [f"### {rule.id}: {_line(rule.title)}{status}", "",
           f"- **Severity:** {rule.severity.value}; **effort to fix:** {rule.effort.value}",
           f"- **Applies to:** {words.applies(rule)}"]
    if rule.in_force():
        out.append(f"- **In force:** {rule.in_force()}")
    checks = words.checks(rule)
    if len(checks) == 1:
        out.append(f"- **Checks that:** {checks[0]}")
    else:
        out.append("- **Checks:**")
        out += [f"  - {line}" for line in checks]
    out.append(f"- **Message when it fails:** {_line(rule.message)}")
    if rule.rationale:
        out.append(f"- **Why:** {_line(rule.rationale)}")
    out.append(f"- **What to do:** {_line(rule.remediation)}")
    used = sorted(rule_parameters(rule) & set(pack.parameters))
    if used:
        out.append("- **Parameters:** " + ", ".join(f"`{n}` ({value_text(pack.parameters[n].default)})"
                                                    for n in used))
    named = _uses(rule, pack)
    if named:
        out.append("- **Named conditions:** " + ", ".join(f"`{n}` ({_line(pack.conditions[n].description)})"
                                                          for n in named))
    for ref in rule.references:
        source = sources.get(ref.source)
        title = _line(source.title) if source else ref.source
        link = f"[{title}]({source.url})" if source is not None and source.url else title
        out.append(f"- **Source:** {link}" + (f", {_line(ref.clause)}" if ref.clause else ""))
    if rule.tags:
        out.append("- **Tags:** " + ", ".join(name_words(t) for t in rule.tags))
    out.append("")
    return out
