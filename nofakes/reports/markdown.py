"""The Markdown report: the audit for a wiki page or a pull request comment.

The verdict first, then the scores by pack and section, the failing rules, the worst gaps
and the first steps of the remediation plan (as many as `--top`, like the terminal report),
then waivers and warnings as counts. GitHub-flavoured tables; every input string goes
through `markup.markdown_text` and always follows other text on its line, so it can
neither start a block nor split a table cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from nofakes.audit.findings import Finding
from nofakes.audit.scoring import Score
from nofakes.core.text import count_of
from nofakes.reports.base import Formatter
from nofakes.reports.common import CHANGES_TITLE, delta_text, display_path, full_list_formats, score_text
from nofakes.reports.markdown_risk import risk_blocks
from nofakes.reports.markup import markdown_name, markdown_text
from nofakes.reports.view import ReportView

HASH_CHARS = 12


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(header: Sequence[str], align: str, rows: Iterable[Iterable[str]]) -> list[str]:
    """A table; `align` holds one letter per column: l(eft) or r(ight)."""
    rule = ["---:" if a == "r" else "---" for a in align]
    return [_row(header), _row(rule), *(_row(row) for row in rows)]


def _score(score: Score) -> str:
    return score_text(score.value)


def _who(view: ReportView, finding: Finding) -> str:
    name = view.partner_name(finding.partner) or finding.subject_name
    return markdown_name(name)


def _gap(finding: Finding) -> str:
    text = markdown_text(finding.message)
    if finding.detail:
        text += f" (*why: {markdown_text(finding.detail)}*)"
    return text


def _header(view: ReportView) -> list[str]:
    verdict = view.verdict
    mark = "PASS" if verdict.passed else "FAIL"
    lines = [f"# Anti-counterfeiting compliance audit: {markdown_name(view.company_name)}", "",
             f"**{mark}**: {markdown_text('; '.join(verdict.reasons))} "
             f"({verdict.gaps_text()}; {view.coverage.text()})", ""]
    packs = ", ".join(f"{markdown_name(p.id)} ({markdown_text(p.title)})" for p in view.packs) or "none"
    lines += _table(["", ""], "ll", [
        ["Company", f"{markdown_name(view.company_name)} ({markdown_name(view.company_id)})"],
        ["As of", view.as_of.isoformat()],
        ["Packs", packs],
        ["Input", f"{count_of(len(view.inputs), 'file')}, "
                  f"sha256 {view.input_hash[:HASH_CHARS]}"],
        *([["Screened", markdown_text(view.screening.text())]] if view.screening is not None else []),
        ["Tool", f"nofakes {markdown_text(view.tool_version)}"],
    ])
    return lines


def _scores(view: ReportView) -> list[str]:
    overall = view.overall
    lines = ["## Scores", ""]
    if overall.value is None:
        lines.append(f"**No overall score**: nothing was audited ({view.coverage.text()}).")
        return lines
    lines += [f"Overall score **{_score(overall)} / 100** = 100 × {overall.numerator:.4f} / "
              f"{overall.denominator:.4f} (Σ w·c / Σ w over {overall.rules} rules).", ""]
    rows = []
    for pack in view.pack_order:
        score, tally = view.scores.packs[pack], view.pack_tallies.get(pack)
        rows.append([f"**{markdown_name(pack)}** {markdown_text(view.pack_titles.get(pack, ''))}",
                     f"**{_score(score)}**", f"{score.numerator:.1f} / {score.denominator:.1f}",
                     f"{tally.counted}/{tally.rules}" if tally else "", str(tally.failed if tally else 0),
                     str(tally.waived if tally else 0)])
        for key in (k for k in view.section_order if k[0] == pack):
            s_score, s_tally = view.scores.sections[key], view.section_tallies.get(key)
            rows.append([f"↳ {markdown_text(view.section_titles.get(key, key[1]))}", _score(s_score),
                         f"{s_score.numerator:.1f} / {s_score.denominator:.1f}",
                         f"{s_tally.counted}/{s_tally.rules}" if s_tally else "",
                         str(s_tally.failed if s_tally else 0), str(s_tally.waived if s_tally else 0)])
    lines += _table(["Pack / section", "Score", "Σw·c / Σw", "Rules", "Failed", "Waived"], "lrrrrr", rows)
    return lines


def _failing_rules(view: ReportView) -> list[str]:
    failing = view.failing_rules
    if not failing:
        return []
    rows = [[scored.rule.severity.value.upper(), f"**{markdown_name(scored.rule.id)}**",
             f"{scored.counts.failed}/{scored.counts.counted}", f"{100 * (scored.counts.compliance or 0):.0f}%",
             markdown_text(scored.rule.title)] for scored in failing]
    return [f"## Failing rules ({len(failing)} of {len(view.rules)})", "",
            *_table(["Severity", "Rule", "Failed", "Pass rate", "Rule title"], "llrrl", rows)]


def _gaps(view: ReportView) -> list[str]:
    fails, top = view.failing, view.worst_gaps
    if not fails:
        return ["## Gaps", "", "No failing findings."]
    marked = view.baseline is not None
    rows = [[f.severity.value.upper(), *([view.change(f) or ""] if marked else []), f"**{markdown_name(f.rule_id)}**",
             _who(view, f), _gap(f)] for f in top]
    header = ["Severity", *(["Change"] if marked else []), "Rule", "Partner", "Gap"]
    lines = [f"## Worst gaps ({len(top)} of {len(fails)}, most severe first)", "",
             *_table(header, "l" * len(header), rows)]
    if len(fails) > len(top):
        lines += ["", f"… and {len(fails) - len(top)} more failing findings (`--top N`, or "
                      f"{full_list_formats()} for the full list)."]
    return lines


def _changes(view: ReportView) -> list[str]:
    comparison = view.baseline
    if comparison is None:
        return []
    lines = [f"## {CHANGES_TITLE}", "",
             f"Against `{markdown_text(display_path(comparison.file))}` (as of {markdown_text(comparison.as_of)}): "
             f"**{comparison.counts_text()}** failing gaps.", ""]
    rows = [[("**Overall**" if c.pack is None else markdown_text(c.title) if c.section is None
              else f"↳ {markdown_text(c.title)}"), score_text(c.old), score_text(c.new), delta_text(c.delta)]
            for c in comparison.scores]
    lines += _table(["Score", "Then", "Now", "Change"], "lrrr", rows)
    if comparison.fixed:
        rows = [[f.severity.upper(), f"**{markdown_name(f.rule)}**",
                 markdown_name(f.partner_name or f.partner or f.subject), markdown_text(f.message)]
                for f in comparison.fixed[: max(view.options.top, 0)]]
        lines += ["", f"### Fixed ({len(rows)} of {len(comparison.fixed)}, most severe first)", "",
                  *_table(["Severity", "Rule", "Partner", "Gap"], "llll", rows)]
        if len(comparison.fixed) > len(rows):
            lines += ["", f"… and {len(comparison.fixed) - len(rows)} more fixed gaps (`--top N`, or "
                          f"{full_list_formats()} for the full list)."]
    return lines


def _plan(view: ReportView) -> list[str]:
    if not view.plan:
        return []
    steps = view.plan_shown
    with_risk = view.risk is not None
    rows = [[str(step.rank), f"+{step.gain:.2f}", step.effort, f"{step.projected:.1f}",
             f"**{markdown_name(step.finding.rule_id)}**", _who(view, step.finding),
             *([_risk_cell(view, step.finding.partner)] if with_risk else []),
             markdown_text(step.finding.message)] for step in steps]
    header = ["#", "Gain", "Effort", "After", "Rule", "Partner", *(["Risk"] if with_risk else []), "Gap"]
    order = f" Plan {markdown_text(view.plan_weighting)}." if view.plan_weighting else ""
    return [f"## Remediation plan (first {len(steps)} of {len(view.plan)} steps)", "",
            *_table(header, "rrlrll" + ("r" if with_risk else "") + "l", rows), "",
            "Gain: points added to the overall score; After: the projected overall score once this and every "
            "earlier step is done. Effort: low 1, medium 2, high 4 units." + order]


def _risk_cell(view: ReportView, partner: str | None) -> str:
    risk = view.partner_risk(partner)
    return "" if risk is None else f"{risk.score:.1f}"


def _footer(view: ReportView) -> list[str]:
    report = view.waivers
    n = len(report.applied)
    line = (f"{count_of(n, 'finding')} waived (left out of scores); waivers: "
            f"{len(report.expired)} expired, {len(report.unused)} unused")
    warnings = len(view.warnings)
    if warnings:
        line += f"; {count_of(warnings, 'warning')} (see the terminal or JSON report)"
    return ["## Waivers", "", line + "."]


class MarkdownFormatter(Formatter):
    def render(self, view: ReportView) -> bytes:
        blocks = [_header(view), _scores(view), _changes(view), _failing_rules(view), _gaps(view), _plan(view),
                  *risk_blocks(view, _table), _footer(view)]
        lines: list[str] = []
        for block in blocks:
            if block:
                if lines:
                    lines.append("")
                lines += block
        return ("\n".join(lines) + "\n").encode("utf-8")


__all__ = ["MarkdownFormatter"]
