"""The terminal report: what a compliance officer reads right after `nofakes audit`.

Header (company, as_of, packs, input), the overall score with its formula, scores per
pack and section, the worst gaps, the first steps of the remediation plan, waivers and
warnings, and a one-line verdict. Rendered with `rich` into a string of a fixed width;
without colour the output holds no escape codes at all (pipes, files, NO_COLOR).

Text taken from the input (names, messages) is never read as rich markup, and reaches the
terminal through `safe_text`: without control characters, long values shortened.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule as HRule
from rich.table import Table
from rich.text import Text

from nofakes.audit.findings import Finding
from nofakes.audit.scoring import FORMULA, GAIN_FORMULA, Score
from nofakes.core.errors import Diagnostic
from nofakes.core.text import LONG_TEXT_CHARS, TEXT_CHARS, count_of, safe_text
from nofakes.reports.base import Formatter
from nofakes.reports.common import score_text
from nofakes.reports.terminal_changes import changes, mark_text
from nofakes.reports.terminal_risk import risk_sections, risk_style
from nofakes.reports.view import ReportView
from nofakes.supply.model import Severity

SEVERITY_STYLE: dict[Severity, str] = {
    Severity.critical: "bold white on red",
    Severity.high: "bold red",
    Severity.medium: "yellow",
    Severity.low: "cyan",
    Severity.info: "dim",
}
HASH_CHARS = 12
PLAN_MESSAGE_CHARS = 110
INDENT = 2
PSEUDO_ORIGINS = frozenset({"waivers"})  # diagnostics not about a file: no location to show


def score_style(value: float | None) -> str:
    if value is None:
        return "dim"
    if value >= 90:
        return "bold green"
    if value >= 70:
        return "bold yellow"
    return "bold red"


def _score_cell(score: Score) -> Text:
    return Text(score_text(score.value), style=score_style(score.value))


def _text(value: object, style: str = "", limit: int = TEXT_CHARS) -> Text:
    """Input text (a name, an id, a title) as it may reach the terminal."""
    return Text(safe_text(value, limit), style=style)


def _severity_label(severity: Severity) -> Text:
    return Text(severity.value.upper(), style=SEVERITY_STYLE[severity])


def _shorten(text: str, limit: int) -> str:
    """Cut long text at a word boundary with an ellipsis (plan lines; gaps are shown whole up to
    `LONG_TEXT_CHARS`, as any input text)."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:->") + "…"


def _naming(message: str, who: str, separator: str, also: str = "") -> Text:
    """The message with the partner's name (or else `also`, the subject's name) in bold; the
    partner's name is put in front when the message names neither. Arguments are safe text."""
    text = Text(message)
    for name in (who, also):
        start = message.find(name) if name else -1
        if start >= 0:
            text.stylize("bold", start, start + len(name))
            return text
    return Text.assemble((who, "bold"), separator, text)


def _heading(title: str) -> HRule:
    return HRule(Text(title, style="bold"), align="left", style="dim")


def _indented(renderable: RenderableType) -> Padding:
    return Padding(renderable, (0, 0, 0, INDENT))


class _Report:
    def __init__(self, view: ReportView):
        self.view, self.options = view, view.options

    # ------------------------------------------------------------ sections

    def header(self) -> list[RenderableType]:
        view = self.view
        title = Text("Anti-counterfeiting compliance audit", style="bold")
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        grid.add_row("Company", Text(f"{safe_text(view.company_name)} ({safe_text(view.company_id)})"))
        grid.add_row("As of", Text(view.as_of.isoformat()))
        packs = Text()
        for i, pack in enumerate(view.packs):
            if i:
                packs.append("\n")
            packs.append(safe_text(pack.id), style="bold")
            packs.append(f"  {safe_text(pack.title)}")
            packs.append(f"  sha256 {pack.sha256[:HASH_CHARS]}", style="dim")
        grid.add_row("Packs", packs if view.packs else Text("(none)", style="dim"))
        files = Text()
        for i, source in enumerate(view.inputs):  # each file with its own hash, as sha256sum prints it
            if i:
                files.append("\n")
            files.append(safe_text(source.path))
            files.append(f"  sha256 {source.sha256[:HASH_CHARS]}", style="dim")
        grid.add_row("Input", files)
        if view.screening is not None:
            grid.add_row("Screened", Text(safe_text(view.screening.text())))
        grid.add_row("Tool", Text(f"nofakes {view.tool_version}"))
        return [title, _indented(grid)]

    def overall(self) -> list[RenderableType]:
        view = self.view
        score = view.overall
        line = Text.assemble(("Overall score  ", "bold"), _score_cell(score),
                             (" / 100" if score.value is not None else "", "bold"))
        nothing = "nothing was audited: " if score.value is None else ""
        line.append(f"  ({nothing}{view.coverage.text()})", style="dim")
        lines = Text()
        if score.value is not None:
            lines.append(f"= 100 × {score.numerator:.4f} / {score.denominator:.4f}  "
                         f"(Σ w·c / Σ w over {score.rules} rules)\n")
        fails, waived = len(view.failing), view.totals.waived
        lines.append(f"{count_of(fails, 'failing finding')}; {waived:,} waived (left out of scores)\n")
        lines.append("\n".join(part.strip() for part in FORMULA.split(";")) + "\n" + GAIN_FORMULA, style="dim")
        return [line, _indented(lines)]

    def score_table(self) -> list[RenderableType]:
        view = self.view
        if not view.pack_order:
            return []
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True, header_style="bold")
        table.add_column("Pack / section", overflow="fold", ratio=1)
        table.add_column("Score", justify="right", no_wrap=True)
        table.add_column("Σw·c / Σw", justify="right", no_wrap=True)
        table.add_column("Rules", justify="right", no_wrap=True)
        table.add_column("Failed", justify="right", no_wrap=True)
        table.add_column("Waived", justify="right", no_wrap=True)
        for pack_id in view.pack_order:
            score = view.scores.packs[pack_id]
            tally = view.pack_tallies.get(pack_id)
            name = Text.assemble((safe_text(pack_id), "bold"), "  ", safe_text(view.pack_titles.get(pack_id, "")))
            table.add_row(name, _score_cell(score), f"{score.numerator:.1f} / {score.denominator:.1f}",
                          f"{tally.counted}/{tally.rules}" if tally else "", str(tally.failed if tally else 0),
                          str(tally.waived if tally else 0), end_section=False)
            for key in (k for k in view.section_order if k[0] == pack_id):
                s_score = view.scores.sections[key]
                s_tally = view.section_tallies.get(key)
                label = _text(view.section_titles.get(key, key[1]))
                label.append(f" ({safe_text(key[1])})", style="dim")
                # Padding, not leading spaces: wrapped lines keep the indent
                table.add_row(Padding(label, (0, 0, 0, 2)), _score_cell(s_score),
                              f"{s_score.numerator:.1f} / {s_score.denominator:.1f}",
                              f"{s_tally.counted}/{s_tally.rules}" if s_tally else "",
                              str(s_tally.failed if s_tally else 0), str(s_tally.waived if s_tally else 0))
            table.rows[-1].end_section = True
        note = Text("Rules: scored / all; a rule with no applicable subject is not scored.", style="dim")
        return [_heading("Scores by pack and section"), table, _indented(note)]

    def gaps(self) -> list[RenderableType]:
        view = self.view
        fails, top = view.failing, view.worst_gaps
        title = "Worst gaps"
        if fails:
            title += f" ({len(top)} of {len(fails)} failing, most severe first)"
        out: list[RenderableType] = [_heading(title)]
        if not fails:
            out.append(_indented(Text("No failing findings.", style="green")))
            return out
        grid = Table.grid(padding=(0, 1), pad_edge=False)
        grid.add_column(no_wrap=True, width=8)
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")
        for i, finding in enumerate(top):
            if i:
                grid.add_row("", "", "")  # a blank line between gaps
            rule = _text(finding.rule_id, "bold")
            mark = view.change(finding)
            if mark is not None:
                rule.append_text(Text("\n").append_text(mark_text(mark)))
            grid.add_row(_severity_label(finding.severity), rule, self._gap_body(finding))
        out.append(grid)
        if len(fails) > len(top):
            out.append(_indented(Text(f"… and {len(fails) - len(top)} more failing findings: use --top N, or "
                                      "--format json for the full list.", style="dim")))
        return out

    def _gap_body(self, finding: Finding) -> Text:
        body = _naming(safe_text(finding.message, LONG_TEXT_CHARS), self._who(finding), "\n",
                       safe_text(finding.subject_name))
        if finding.detail:
            body.append("\n")
            body.append("why: " + safe_text(finding.detail, LONG_TEXT_CHARS), style="dim")
        return body

    def _who(self, finding: Finding) -> str:
        return safe_text(self.view.partner_name(finding.partner) or finding.subject_name)

    def failing_rules(self) -> list[RenderableType]:
        view = self.view
        failing = view.failing_rules
        if not failing:
            return []
        shown = failing[:max(self.options.top, 0)]
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True, header_style="bold")
        table.add_column("Severity", no_wrap=True)
        table.add_column("Rule", no_wrap=True)
        table.add_column("Failed", justify="right", no_wrap=True)
        table.add_column("Pass rate", justify="right", no_wrap=True)
        table.add_column("Rule title", ratio=1, overflow="fold")
        for scored in shown:
            counts = scored.counts
            table.add_row(_severity_label(scored.rule.severity), _text(scored.rule.id, "bold"),
                          f"{counts.failed}/{counts.counted}",
                          f"{100 * (counts.compliance or 0):.0f}%", _text(scored.rule.title))
        title = f"Failing rules ({len(shown)} of {len(failing)}, most severe first)" if len(shown) < len(failing) \
            else f"Failing rules ({len(failing)} of {len(view.rules)} rules)"
        return [_heading(title), table]

    def plan(self) -> list[RenderableType]:
        view = self.view
        steps = view.plan_shown
        if not view.plan:
            return []
        order = "weighted by risk: most severe first" if view.plan_weighting else \
            "most severe first, then gain per effort"
        title = f"Remediation plan ({len(steps)} of {len(view.plan)} steps: {order})"
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True, header_style="bold")
        table.add_column("#", justify="right", no_wrap=True)
        table.add_column("Severity", no_wrap=True)
        table.add_column("Gain", justify="right", no_wrap=True)
        table.add_column("Effort", no_wrap=True)
        table.add_column("After", justify="right", no_wrap=True)
        table.add_column("Rule and gap", ratio=1, overflow="fold")
        for step in steps:
            finding = step.finding
            body = _naming(_shorten(safe_text(finding.message, LONG_TEXT_CHARS), PLAN_MESSAGE_CHARS),
                           self._who(finding), ": ", safe_text(finding.subject_name))
            rule = _text(finding.rule_id, SEVERITY_STYLE[finding.severity])
            table.add_row(str(step.rank), _severity_label(step.severity), f"+{step.gain:.2f}", step.effort,
                          f"{step.projected:.1f}", Text.assemble(rule, " ", body))
        note = Text("Gain: points added to the overall score; After: projected overall score once this "
                    "and every earlier step is done. Effort: low 1, medium 2, high 4 units."
                    + (f"\nPlan {view.plan_weighting}." if view.plan_weighting else ""), style="dim")
        out: list[RenderableType] = [_heading(title), table, _indented(note)]
        groups = view.plan_by_partner
        if groups:
            shown = groups[:min(5, max(self.options.top, 0))]
            by_partner = Table.grid(padding=(0, 2), pad_edge=False)
            by_partner.add_column(ratio=1, overflow="fold")
            by_partner.add_column(justify="right", no_wrap=True)
            by_partner.add_column(justify="right", no_wrap=True)
            if view.risk is not None:
                by_partner.add_column(justify="right", no_wrap=True)
            for group in shown:
                name = group.name or "(no partner: product and company rules)"
                n = len(group.steps)
                risk = view.partner_risk(group.partner)
                by_partner.add_row(_text(name), count_of(n, 'step'), f"+{group.total_gain:.2f}",
                                   *(() if view.risk is None else
                                     (Text(f"risk {risk.score:.1f}", style=risk_style(risk.score)) if risk
                                      else Text(""),)))
            out += [Text(""), Text.assemble(("Biggest wins by partner", "bold"),
                                            (f" (top {len(shown)} of {len(groups)})", "dim")),
                    _indented(by_partner)]
        return out

    def waivers_and_warnings(self) -> list[RenderableType]:
        view = self.view
        report = view.waivers
        out: list[RenderableType] = [_heading("Waivers and warnings")]
        line = Text()
        n = len(report.applied)
        line.append(f"{count_of(n, 'finding')} waived (left out of scores); waivers: ")
        line.append(f"{len(report.expired)} expired", style="yellow" if report.expired else "")
        line.append(", ")
        line.append(f"{len(report.unused)} unused", style="yellow" if report.unused else "")
        out.append(_indented(line))
        if view.waived:
            grid = Table.grid(padding=(0, 1), pad_edge=False)
            grid.add_column(no_wrap=True)
            grid.add_column(ratio=1, overflow="fold")
            for finding in view.waived:
                waiver = finding.waiver
                text = Text(self._who(finding))
                if waiver is not None:
                    text.append(f" waived until {waiver.expires.isoformat()} ({safe_text(waiver.approved_by)}): "
                                f"{safe_text(waiver.reason, LONG_TEXT_CHARS)}", style="dim")
                grid.add_row(_text(finding.rule_id, "bold"), text)
            out.append(_indented(grid))
        if view.warnings:
            grid = Table.grid(padding=(0, 1), pad_edge=False)
            grid.add_column(no_wrap=True)
            grid.add_column(ratio=1, overflow="fold")
            for diagnostic in view.warnings:
                grid.add_row(Text("!", style="bold yellow"), _text(_warning_text(diagnostic), limit=LONG_TEXT_CHARS))
            out.append(_indented(grid))
        return out

    def verdict_line(self) -> list[RenderableType]:
        view = self.view
        verdict = view.verdict
        failed = not verdict.passed
        label = Text(" FAIL " if failed else " PASS ", style="bold white on red" if failed else "bold white on green")
        line = Text("; ".join(verdict.reasons))
        score = "" if verdict.thresholds.fail_under else f"score {score_text(verdict.score)}; "  # else a reason
        line.append(f" ({verdict.gaps_text()}; {score}{view.coverage.text()})", style="dim")
        grid = Table.grid(padding=(0, 1), pad_edge=False)  # a long verdict wraps under itself, not the label
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        grid.add_row(label, line)
        return [HRule(style="dim"), grid]

    def renderables(self) -> Iterable[RenderableType]:
        blocks = [self.header(), self.overall(), self.score_table(), changes(self.view), self.failing_rules(),
                  self.gaps(), self.plan(), risk_sections(self.view),
                  self.waivers_and_warnings(), self.verdict_line()]
        first = True
        for block in blocks:
            if not block:
                continue
            if not first:
                yield Text("")
            first = False
            yield Group(*block)


def _warning_text(diagnostic: Diagnostic) -> str:
    """A diagnostic without its level word (the section already says 'warnings')."""
    where = "" if diagnostic.line is None and diagnostic.file in PSEUDO_ORIGINS else diagnostic.location() + ": "
    return where + diagnostic.detail()


class TerminalFormatter(Formatter):
    def render(self, view: ReportView) -> bytes:
        options = view.options
        buffer = io.StringIO()
        console = Console(
            file=buffer,
            width=options.width,
            color_system="standard" if options.colour else None,
            force_terminal=options.colour,
            force_jupyter=False,
            force_interactive=False,
            legacy_windows=False,
            no_color=not options.colour,
            markup=False,
            emoji=False,
            highlight=False,
            soft_wrap=False,
            _environ={},  # options decide, not NO_COLOR/FORCE_COLOR/COLUMNS of the environment
        )
        for renderable in _Report(view).renderables():
            console.print(renderable)
        text = buffer.getvalue()
        if not options.colour:
            text = "\n".join(line.rstrip() for line in text.splitlines()) + "\n"
        return text.encode("utf-8")


__all__ = ["TerminalFormatter"]
