"""The HTML report: one self-contained page to read on screen, print or forward.

The sections of the workbook: summary (verdict, coverage, scores), the chain drawing,
gaps, remediation plan, partners, rules, waivers and run. The CSS and a small script are
inlined (`assets/`); the page makes no network request, and a Content-Security-Policy
allows only that script (by its hash) and no connection at all. The page reads completely
with scripts off: the script only adds sorting to table headers and a filter box above
the long tables. Every string from the input goes through `markup.html_text`.

Tables list at most `html_parts.ROW_LIMIT` rows (a browser cannot lay out, sort or
scroll many more); the page says so where it cuts, and the counts above every table are
the full ones.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from nofakes.audit.findings import SEVERITY_ORDER, Finding
from nofakes.audit.scoring import FORMULA, GAIN_FORMULA, Score, ScoredRule
from nofakes.core.text import count_of
from nofakes.reports.base import Formatter
from nofakes.reports.common import parameter_text
from nofakes.reports.html_chain import CHAIN_LIMIT, chain_svg, legend, role_words
from nofakes.reports.html_changes import ANCHOR, change_cell, changes_section
from nofakes.reports.html_parts import Write, asset, bar, rule_anchor, score_badge, script_hash, severity_badge, table
from nofakes.reports.html_risk import ANCHOR as RISK_ANCHOR
from nofakes.reports.html_risk import risk_cell, risk_header, risk_section
from nofakes.reports.markup import html_name, html_text
from nofakes.reports.view import SEVERITY_RANK, ReportView

SECTIONS = (("summary", "Summary"), ("chain", "Chain"), ("gaps", "Gaps"), ("plan", "Remediation plan"),
            ("partners", "Partners"), ("rules", "Rules"), ("waivers", "Waivers"), ("run", "Run"))


class _Page:
    def __init__(self, view: ReportView, write: Write):
        self.view, self.write = view, write
        self.rules = {(r.pack, r.rule.id): r for r in view.rules}

    def render(self) -> None:
        view, write = self.view, self.write
        script = asset("report.js")
        title = f"Compliance audit: {html_name(view.company_name)}, {view.as_of.isoformat()}"
        write('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
              '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
              f"style-src 'unsafe-inline'; script-src '{script_hash(script)}'; img-src data:; "
              "base-uri 'none'; form-action 'none'\">\n"
              '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
              f'<meta name="generator" content="nofakes {html_text(view.tool_version)}">\n'
              f"<title>{title}</title>\n<style>\n{asset('report.css')}</style>\n</head>\n<body>\n")
        self.header()
        for section in (self.summary, self.changes, self.chain, self.gaps, self.plan, self.partners,
                        lambda: risk_section(view, write), self.rule_catalogue, self.waivers, self.run):
            section()
        write(f'<footer>nofakes {html_text(view.tool_version)} · as of {view.as_of.isoformat()} · input sha256 '
              f'<code>{view.input_hash}</code></footer>\n<script>{script}</script>\n</body>\n</html>\n')

    # ------------------------------------------------------------ sections

    def header(self) -> None:
        view, write = self.view, self.write
        verdict = view.verdict
        mark, cls = ("PASS", "pass") if verdict.passed else ("FAIL", "fail")
        reasons = "; ".join(html_text(r) for r in verdict.reasons)
        write(f'<header><h1>Anti-counterfeiting compliance audit</h1>\n<p class="company">'
              f'{html_name(view.company_name)} <span class="muted">({html_name(view.company_id)})</span> · as of '
              f'<time datetime="{view.as_of.isoformat()}">{view.as_of.isoformat()}</time></p>\n'
              f'<p class="verdict {cls}"><strong>{mark}</strong> {reasons} '
              f'<span class="muted">({verdict.gaps_text()}; {view.coverage.text()})</span></p>\n</header>\n<nav><ul>')
        for anchor, name in SECTIONS:
            write(f'<li><a href="#{anchor}">{name}</a></li>')
            if anchor == "summary" and view.baseline is not None:
                write(f'<li><a href="#{ANCHOR}">Changes</a></li>')
            if anchor == "partners" and view.risk is not None:
                write(f'<li><a href="#{RISK_ANCHOR}">Counterfeit risk</a></li>')
        write("</ul></nav>\n<main>\n")

    def summary(self) -> None:
        view, write = self.view, self.write
        overall = view.overall
        write('<section id="summary"><h2>Summary</h2>\n<div class="cards">')
        write(f'<div class="card"><div class="label">Overall score</div><div class="big">{score_badge(overall)}'
              '<small> / 100</small></div>')
        if overall.value is not None:
            write(f'<div class="muted">= 100 × {overall.numerator:.4f} / {overall.denominator:.4f} '
                  f"(Σ w·c / Σ w over {overall.rules} rules)</div>")
        write("</div>")
        counts = view.verdict.failed_by_severity
        write(f'<div class="card"><div class="label">Failing findings</div><div class="big">'
              f'{sum(counts.values()):,}</div><ul class="sevcounts">')
        for severity in SEVERITY_ORDER:
            write(f"<li>{severity_badge(severity.value)} {counts.get(severity.value, 0):,}</li>")
        write(f'</ul></div><div class="card"><div class="label">Coverage</div><div>{view.coverage.text()}; '
              f"{count_of(view.coverage.partners, 'partner')}; {count_of(view.totals.waived, 'finding')} waived "
              f"(left out of scores)</div><div class=\"muted\">Threshold: fail on {view.verdict.thresholds.fail_on}"
              + (f", fail under {view.verdict.thresholds.fail_under:g}" if view.verdict.thresholds.fail_under else "")
              + "</div></div></div>\n")
        write('<h3>Scores by pack and section</h3>\n<table class="scores"><thead><tr><th scope="col">Pack / section'
              '</th><th scope="col" class="num">Score</th><th scope="col">Σw·c / Σw</th><th scope="col" '
              'class="num">Rules scored</th><th scope="col" class="num">Failed</th><th scope="col" '
              'class="num">Waived</th></tr></thead><tbody>\n')
        for pack in view.pack_order:
            score, tally = view.scores.packs[pack], view.pack_tallies.get(pack)
            write(f'<tr class="pack"><th scope="row">{html_name(pack)} <span class="muted">'
                  f'{html_text(view.pack_titles.get(pack, ""))}</span></th>'
                  + self._score_cells(score, tally.counted if tally else 0, tally.rules if tally else 0,
                                      tally.failed if tally else 0, tally.waived if tally else 0))
            for key in (k for k in view.section_order if k[0] == pack):
                s_score, s_tally = view.scores.sections[key], view.section_tallies.get(key)
                write(f'<tr><th scope="row" class="section">{html_text(view.section_titles.get(key, key[1]))} '
                      f'<span class="muted">({html_name(key[1])})</span></th>'
                      + self._score_cells(s_score, s_tally.counted if s_tally else 0, s_tally.rules if s_tally else 0,
                                          s_tally.failed if s_tally else 0, s_tally.waived if s_tally else 0))
        write(f'</tbody></table>\n<p class="muted">{html_text(FORMULA)}. Fixing one failing finding: '
              f"{html_text(GAIN_FORMULA)}. A rule with no applicable subject is not scored.</p>\n</section>\n")

    @staticmethod
    def _score_cells(score: Score, counted: int, rules: int, failed: int, waived: int) -> str:
        return (f'<td class="num">{bar(score.value)} {score_badge(score)}</td><td>{score.numerator:.1f} / '
                f'{score.denominator:.1f}</td><td class="num">{counted}/{rules}</td><td class="num">{failed:,}</td>'
                f'<td class="num">{waived:,}</td></tr>\n')

    def changes(self) -> None:
        changes_section(self.view, self.write)

    def chain(self) -> None:
        view, write = self.view, self.write
        write('<section id="chain"><h2>Chain</h2>\n')
        partners = view.partners
        if not partners:
            write("<p>The file has no partners.</p>")
        elif len(partners) > CHAIN_LIMIT:
            write(f"<p>The drawing of the chain is left out: {len(partners):,} partners are too many to read in "
                  f"one drawing (it is drawn up to {CHAIN_LIMIT}). <code>nofakes graph</code> draws any chain for "
                  "Graphviz or Mermaid.</p>")
        else:
            gaps = {partner: sum(counts.values()) for partner, counts in view.open_gaps.items()}
            write('<div class="drawing">' + chain_svg(partners, view.links, gaps) + "</div>\n")
            write(legend(partners, view.links))
        write("</section>\n")

    def _partner_cells(self, finding: Finding) -> str:
        partner = self.view.partners.get(finding.partner) if finding.partner is not None else None
        name = self.view.partner_name(finding.partner) or finding.subject_name
        subject = "" if finding.subject == finding.partner or finding.subject_name == name else \
            f'<div class="why">{html_text(finding.subject_type)}: {html_name(finding.subject_name)}</div>'
        if partner is None:  # a product or company rule: say what the subject is
            kind = f'<div class="why">{html_text(finding.subject_type)}</div>'
            return f"<td>{html_name(name)}{subject or kind}</td><td></td><td></td><td></td>"
        tier = "" if partner.tier is None else str(partner.tier)
        return (f"<td>{html_name(name)}{subject}</td><td>{html_text(role_words(partner.role))}</td>"
                f"<td>{html_name(partner.country or '')}</td><td class=\"num\">{tier}</td>")

    def _rule_cell(self, finding: Finding) -> str:
        anchor = rule_anchor(finding.pack, finding.rule_id)
        return f'<td class="id"><a href="#{anchor}">{html_name(finding.rule_id)}</a></td>'

    def _gap_rows(self, findings: Iterable[Finding]) -> Iterator[str]:
        rules = self.rules
        marked = self.view.baseline is not None
        for f in findings:
            scored = rules.get((f.pack, f.rule_id))
            gap = html_text(f.message)
            if f.detail:
                gap += f'<div class="why">why: {html_text(f.detail)}</div>'
            if f.evidence:
                path = " → ".join(html_name(self.view.partner_name(n)) for n in f.evidence)
                gap += f'<div class="why">path: {path}</div>'
            status = "waived" if f.waiver is not None else f.status.value
            change = change_cell(self.view.change(f)) if marked else ""
            yield (f'<tr class="sev-row-{f.severity.value}"><td data-sort="{SEVERITY_RANK[f.severity]}">'
                   f"{severity_badge(f.severity.value)}</td>{change}{self._rule_cell(f)}{self._partner_cells(f)}<td>{gap}</td>"
                   f"<td>{scored.rule.effort.value if scored else ''}</td><td>{status}</td></tr>\n")

    def gaps(self) -> None:
        view, write = self.view, self.write
        total = len(view.gaps)
        write(f'<section id="gaps"><h2>Gaps</h2>\n<p>{count_of(len(view.failing), "failing finding")} and '
              f'{count_of(len(view.waived), "waived finding")}, most severe first. The rule links lead to its '
              "rationale, remediation and references.</p>\n")
        if total:
            marked = view.baseline is not None
            header = ["Severity", *(["Change"] if marked else []), "Rule", "Partner", "Role", "Country", "Tier",
                      "Gap", "Effort", "Status"]
            table(write, "gaps-table", header, self._gap_rows(view.gaps), total, "gaps", filter_box=True,
                  numeric=(header.index("Tier"),))
        write("</section>\n")

    def _plan_rows(self) -> Iterator[str]:
        view = self.view
        for step in view.plan:
            f = step.finding
            name = view.partner_name(f.partner) or f.subject_name
            yield (f'<tr><td class="num">{step.rank}</td><td data-sort="{SEVERITY_RANK[f.severity]}">'
                   f"{severity_badge(f.severity.value)}</td>{self._rule_cell(f)}<td>{html_name(name)}</td>"
                   f"{risk_cell(view, f.partner)}"
                   f'<td>{html_text(f.message)}</td><td>{step.effort}</td><td class="num">+{step.gain:.2f}</td>'
                   f'<td class="num">{step.projected:.1f}</td></tr>\n')

    def plan(self) -> None:
        view, write = self.view, self.write
        write('<section id="plan"><h2>Remediation plan</h2>\n')
        if not view.plan:
            write("<p>No plan: nothing to fix.</p></section>\n")
            return
        order = f"weighted by risk: {html_text(view.plan_weighting)}" if view.plan_weighting else \
            "most severe first, then the best gain per unit of effort"
        write(f"<p>{count_of(len(view.plan), 'step')}, {order}. "
              "Gain: points added to the overall score; After: the projected overall score once this and every "
              "earlier step is done. Effort: low 1, medium 2, high 4 units.</p>\n")
        risk = risk_header(view)
        table(write, "plan-table", ["#", "Severity", "Rule", "Partner", *risk, "Gap", "Effort", "Gain", "After"],
               self._plan_rows(), len(view.plan), "steps", filter_box=True,
               numeric=(0, *(4 for _ in risk), 6 + len(risk), 7 + len(risk)))
        groups = view.plan_by_partner
        write(f"<h3>By partner</h3>\n<p>{count_of(len(groups), 'partner')}, the largest total gain first.</p>\n")

        def rows() -> Iterator[str]:
            for group in groups:
                ranks = ", ".join(str(step.rank) for step in group.steps[:12])
                more = f" … ({len(group.steps):,})" if len(group.steps) > 12 else ""
                name = group.name or "(no partner: product and company rules)"
                yield (f'<tr><td>{html_name(name)}</td><td class="num">{len(group.steps):,}</td><td class="num">'
                       f'+{group.total_gain:.2f}</td><td class="num">{group.effort:g}</td><td>{ranks}{more}</td>'
                       f"{risk_cell(view, group.partner)}</tr>\n")

        table(write, "plan-partners", ["Partner", "Steps", "Total gain", "Effort units", "Steps (#)", *risk],
               rows(), len(groups), "partners", numeric=(1, 2, 3, *(5 for _ in risk)))
        write("</section>\n")

    def partners(self) -> None:
        view, write = self.view, self.write
        scores = {p.partner: p for p in view.scores.partners}
        open_gaps = view.open_gaps
        none = dict.fromkeys(SEVERITY_ORDER, 0)
        order = sorted(view.partners, key=lambda n: (*(-c for c in open_gaps.get(n, none).values()),
                                                     scores[n].score.value if n in scores else 101.0))
        write(f'<section id="partners"><h2>Partners</h2>\n<p>{count_of(len(order), "partner")}, those with the '
              "most severe open gaps first. Score: the partner's own findings, by the same formula.</p>\n")

        def rows() -> Iterator[str]:
            for node_id in order:
                partner, scored = view.partners[node_id], scores.get(node_id)
                counts = open_gaps.get(node_id, none)
                tier = "" if partner.tier is None else str(partner.tier)
                cells = "".join(f'<td class="num">{n or ""}</td>' for n in counts.values())
                yield (f"<tr><td>{html_name(partner.name)}</td><td>{html_name(node_id)}</td>"
                       f"<td>{html_text(role_words(partner.role))}</td><td>{html_name(partner.country or '')}</td>"
                       f'<td class="num">{tier}</td>'
                       f'<td class="num">{score_badge(scored.score if scored else None)}</td>'
                       f'{cells}<td class="num">{scored.waived if scored and scored.waived else ""}</td>'
                       f"{risk_cell(view, node_id)}</tr>\n")

        header = ["Partner", "Id", "Role", "Country", "Tier", "Score",
                  *(s.value.capitalize() for s in SEVERITY_ORDER), "Waived", *risk_header(view)]
        table(write, "partners-table", header, rows(), len(order), "partners", filter_box=True,
               numeric=tuple(range(4, len(header))))
        write("</section>\n")

    def _rule_row(self, scored: ScoredRule) -> str:
        rule, counts = scored.rule, scored.counts
        sources = {s.id: s for pack in self.view.packs if pack.id == scored.pack for s in pack.sources}
        refs = []
        for ref in rule.references:
            source = sources.get(ref.source)
            text = html_text(source.title if source else ref.source) + (f", {html_text(ref.clause)}"
                                                                         if ref.clause else "")
            url = source.url if source else None
            if url and url.startswith(("https://", "http://")):
                text = f'<a href="{html_text(url)}" rel="noreferrer">{text}</a>'
            refs.append(f"<li>{text}</li>")
        rationale = f'<div class="why">{html_text(rule.rationale)}</div>' if rule.rationale else ""
        if scored.not_in_force:
            rationale += f'<div class="why"><strong>{html_text(scored.not_in_force)}</strong></div>'
        remediation = html_text(self.view.remediations[(scored.pack, rule.id)])
        return (f'<tr id="{rule_anchor(scored.pack, rule.id)}"><td class="id"><strong>{html_name(rule.id)}</strong>'
                f'<div class="why">{html_name(scored.pack)}<br>{html_name(rule.section)}</div></td>'
                f'<td data-sort="{SEVERITY_RANK[rule.severity]}">{severity_badge(rule.severity.value)}</td>'
                f"<td><strong>{html_text(rule.title)}</strong>{rationale}</td>"
                f"<td>{remediation} <span class=\"muted\">(effort {rule.effort.value})"
                f'</span></td><td><ul class="refs">{"".join(refs)}</ul></td><td class="num">{counts.passed:,}</td>'
                f'<td class="num">{counts.failed:,}</td><td class="num">{counts.waived:,}</td>'
                f'<td class="num">{counts.not_applicable:,}</td></tr>\n')

    def rule_catalogue(self) -> None:
        view, write = self.view, self.write
        write(f'<section id="rules"><h2>Rules</h2>\n<p>{count_of(len(view.rules), "rule")} of the selected packs, '
              "in audit order, with the number of subjects that passed, failed, were waived or were not "
              "applicable.</p>\n")
        table(write, "rules-table", ["Rule", "Severity", "What it checks and why", "Remediation", "References",
                                      "Passed", "Failed", "Waived", "N/A"],
               (self._rule_row(r) for r in view.rules), len(view.rules), "rules", numeric=(5, 6, 7, 8))
        write("</section>\n")

    def waivers(self) -> None:
        view, write = self.view, self.write
        report = view.waivers
        write(f'<section id="waivers"><h2>Waivers</h2>\n<p>{count_of(len(report.applied), "finding")} waived (left '
              f"out of scores); {count_of(len(report.expired), 'expired waiver')} (their findings count again); "
              f"{count_of(len(report.unused), 'unused waiver')} (they match no finding).</p>\n")
        if view.waived:
            write("<h3>Active</h3>\n")

            def active() -> Iterator[str]:
                for f in view.waived:
                    w = f.waiver
                    name = view.partner_name(f.partner) or f.subject_name
                    yield (f"<tr>{self._rule_cell(f)}<td>{html_name(name)}</td>"
                           f"<td>{w.expires.isoformat() if w else ''}</td><td>{html_name(w.approved_by) if w else ''}"
                           f"</td><td>{html_text(w.reason) if w else ''}</td></tr>\n")

            table(write, "waivers-active", ["Rule", "Subject", "Expires", "Approved by", "Reason"], active(),
                   len(view.waived), "waived findings")
        for title, table_id, waivers in (("Expired", "waivers-expired", report.expired),
                                         ("Unused", "waivers-unused", report.unused)):
            if waivers:
                write(f"<h3>{title}</h3>\n")
                rows = (f"<tr><td>{html_name(w.rule)}</td><td>{html_name(w.target)}</td>"
                        f"<td>{w.expires.isoformat()}</td><td>{html_name(w.approved_by)}</td>"
                        f"<td>{html_text(w.reason)}</td></tr>\n" for w in waivers)
                table(write, table_id, ["Rule", "Target", "Expires", "Approved by", "Reason"], rows, len(waivers),
                       "waivers")
        write("</section>\n")

    def run(self) -> None:
        view, write = self.view, self.write
        write(f'<section id="run"><h2>Run</h2>\n<dl class="facts"><dt>Tool</dt><dd>nofakes '
              f"{html_text(view.tool_version)}</dd><dt>As of</dt><dd>{view.as_of.isoformat()}</dd><dt>Company</dt>"
              f"<dd>{html_name(view.company_name)} ({html_name(view.company_id)})</dd><dt>Input</dt><dd>"
              f"{count_of(len(view.inputs), 'file')}, sha256 <code>{view.input_hash}</code></dd>"
              + (f"<dt>Screened</dt><dd>{html_text(view.screening.text())}</dd>" if view.screening is not None else "")
              + "</dl>\n")
        write("<h3>Packs</h3>\n")
        table(write, "run-packs", ["Pack", "Title", "Status", "sha256"],
               (f"<tr><td>{html_name(p.id)}</td><td>{html_text(p.title)}</td><td>{p.status.value}</td>"
                f"<td><code>{p.sha256}</code></td></tr>\n" for p in view.packs), len(view.packs), "packs")
        write("<h3>Input files</h3>\n")
        table(write, "run-inputs", ["File", "sha256"],
               (f"<tr><td>{html_text(s.path)}</td><td><code>{s.sha256}</code></td></tr>\n" for s in view.inputs),
               len(view.inputs), "files")
        if view.parameters:
            write("<h3>Parameters</h3>\n")
            table(write, "run-parameters", ["Parameter", "Value"],
                   (f"<tr><td>{html_name(k)}</td><td>{html_text(parameter_text(v))}</td></tr>\n"
                    for k, v in view.parameters.items()), len(view.parameters), "parameters")
        if view.warnings:
            write("<h3>Warnings</h3>\n<ul>")
            for diagnostic in view.warnings:
                write(f"<li>{html_text(diagnostic.format())}</li>")
            write("</ul>\n")
        write("</section>\n</main>\n")


class HtmlFormatter(Formatter):
    def render(self, view: ReportView) -> bytes:
        buffer = io.BytesIO()
        self.write(view, buffer)
        return buffer.getvalue()

    def write(self, view: ReportView, stream: BinaryIO) -> None:
        """Streams the page: rows are built and encoded a buffer at a time."""
        text = io.TextIOWrapper(stream, encoding="utf-8", newline="\n", write_through=False)
        try:
            _Page(view, text.write).render()
            text.flush()
        finally:
            text.detach()  # the caller's stream stays open


__all__ = ["HtmlFormatter"]
