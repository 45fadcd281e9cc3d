"""The terminal report: readable at 80 columns, complete, colour only when asked for."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from helpers import ROOT, TESTS
from nofakes.audit.engine import run_audit
from nofakes.audit.result import AuditResult
from nofakes.packs.catalogue import resolve_pack
from nofakes.reports import FORMATS
from nofakes.reports.base import RenderOptions
from nofakes.reports.terminal import TerminalFormatter
from nofakes.reports.view import build_view
from nofakes.supply.loading import load_supply

FIXTURES = TESTS / "fixtures" / "reports"
PACK = FIXTURES / "pack.yaml"
WAIVED = FIXTURES / "supply.yaml"
EXAMPLES = sorted(ROOT.glob("examples/*/supply.yaml"))
INPUTS = [*EXAMPLES, WAIVED]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.fixture(autouse=True)
def _run_from_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


_CACHE: dict[Path, AuditResult] = {}


def audit(path: Path) -> AuditResult:
    if path not in _CACHE:
        _CACHE[path] = run_audit(load_supply(path), [resolve_pack(str(PACK))])
    return _CACHE[path]


def render(result: AuditResult, **options: Any) -> str:
    data = TerminalFormatter().render(build_view(result, RenderOptions(**options)))
    assert isinstance(data, bytes)
    return data.decode("utf-8")


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("width", [80, 100, 132])
@pytest.mark.parametrize("path", INPUTS, ids=rel)
def test_no_line_is_wider_than_the_terminal(path: Path, width: int) -> None:
    for colour in (False, True):
        text = render(audit(path), width=width, colour=colour)
        for line in text.splitlines():
            plain = ANSI.sub("", line)
            assert len(plain) <= width, plain
            assert cell_len(plain) <= width, plain


@pytest.mark.parametrize("path", INPUTS, ids=rel)
def test_header_and_scores(path: Path) -> None:
    result = audit(path)
    text = render(result)
    company = result.company
    assert company.name in text
    assert re.search(r"As of +" + result.as_of.isoformat(), text)
    for pack in result.packs:
        assert pack.id in text
    assert rel(path) in text  # relative to the working directory, even when given absolute
    overall = result.scores.overall
    assert f"Overall score  {overall.value:.1f} / 100" in text
    assert f"{overall.numerator:.4f} / {overall.denominator:.4f}" in text  # the numerator and denominator
    assert "score = 100 * sum(w_r * c_r) / sum(w_r)" in text
    for (_pack, section), score in result.scores.sections.items():
        assert f"({section})" in text
        assert f"{score.value:.1f}" in text


@pytest.mark.parametrize("path", INPUTS, ids=rel)
def test_no_escape_codes_without_colour(path: Path) -> None:
    text = render(audit(path), colour=False)
    assert "\x1b" not in text
    assert all(line == line.rstrip() for line in text.splitlines())
    assert text.endswith("\n")


@pytest.mark.parametrize("path", INPUTS, ids=rel)
def test_escape_codes_with_colour(path: Path) -> None:
    text = render(audit(path), colour=True)
    assert ANSI.search(text)
    assert "\x1b[1;37;41mCRITICAL" in text or "\x1b[1;31mHIGH" in text  # severity colours
    assert words(ANSI.sub("", text)) == words(render(audit(path), colour=False))


def test_environment_does_not_override_the_options(monkeypatch: pytest.MonkeyPatch) -> None:
    plain = render(audit(WAIVED), colour=False)
    coloured = render(audit(WAIVED), colour=True)
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("COLUMNS", "40")
    assert render(audit(WAIVED), colour=False) == plain
    monkeypatch.setenv("NO_COLOR", "1")
    assert render(audit(WAIVED), colour=True) == coloured


@pytest.mark.parametrize("path", INPUTS, ids=rel)
def test_worst_gaps_are_shown_in_full_and_in_order(path: Path) -> None:
    result = audit(path)
    text = render(result, top=5)
    flat = words(text)
    shown = build_view(result, RenderOptions(top=5)).worst_gaps
    positions = []
    for finding in shown:
        assert finding.rule_id in text
        assert words(finding.message) in flat  # wrapped, never truncated
        positions.append(flat.index(words(finding.message)))
    assert positions == sorted(positions)
    failing = sum(r.counts.failed for r in result.rules)
    assert f"Worst gaps ({len(shown)} of {failing} failing" in text


@pytest.mark.parametrize("path", INPUTS, ids=rel)
def test_plan_steps(path: Path) -> None:
    result = audit(path)
    text = render(result, top=3)
    plan = result.scores.plan
    assert f"Remediation plan ({min(3, len(plan))} of {len(plan)} steps: most severe first" in text
    table = text[text.index("Remediation plan ("):]
    rows = [line.split() for line in table.splitlines() if line[:4].strip().isdigit()][:3]
    for step, row in zip(plan[:3], rows, strict=True):  # one row per step: rank, severity, gain, effort, after, rule
        assert row[:6] == [str(step.rank), step.severity.value.upper(), f"+{step.gain:.2f}", step.effort,
                           f"{step.projected:.1f}", step.finding.rule_id]


def test_user_text_is_not_read_as_markup() -> None:
    text = render(audit(WAIVED), colour=True)
    assert "Acme [bold]Audio[/bold] Inc." in ANSI.sub("", text)
    assert "Dénomination [red]" in ANSI.sub("", text)


def test_waivers_and_warnings_are_reported() -> None:
    text = render(audit(WAIVED))
    flat = words(text)
    assert "1 finding waived (left out of scores); waivers: 1 expired, 1 unused" in flat
    assert "waived until 2027-01-31 (J. Doe, Compliance): Clause in the 2027 contract renewal" in flat
    assert "waiver for MIN-DOC-001 on * expired on 2026-01-31" in flat
    assert "waiver for MIN-AUD-001 on grey-dist matches no failing finding" in flat
    assert "not_a_parameter" in flat


def verdict_of(text: str) -> str:
    """The report's last block: the verdict, after the last horizontal rule, as one line of words."""
    lines = text.rstrip("\n").splitlines()
    last_rule = max(i for i, line in enumerate(lines) if set(line.strip()) == {"─"})
    return words(" ".join(lines[last_rule + 1:]))


@pytest.mark.parametrize(("fail_on", "verdict"), [
    ("critical", "FAIL 1 failing finding at or above critical (1 critical, 1 high, 1 medium gaps; score 46.7; "
                 "5 of 5 rules scored, 7 subjects evaluated)"),
    ("high", "FAIL 2 failing findings at or above high (1 critical, 1 high, 1 medium gaps; score 46.7; "
             "5 of 5 rules scored, 7 subjects evaluated)"),
])
def test_verdict_ends_the_report_with_its_reasons(fail_on: str, verdict: str) -> None:
    assert verdict_of(render(audit(WAIVED), fail_on=fail_on)) == verdict


def test_verdict_passes_below_the_threshold() -> None:
    text = render(audit(WAIVED), fail_on="none", fail_under=30)
    assert verdict_of(text) == ("PASS no severity threshold (--fail-on none); overall score 46.7 is at or above 30 "
                                "(1 critical, 1 high, 1 medium gaps; 5 of 5 rules scored, 7 subjects evaluated)")
    assert verdict_of(render(audit(WAIVED), fail_on="none", fail_under=46.67)).startswith(
        "FAIL overall score 46.667 is below 46.67 (")


def test_nothing_audited_is_not_a_pass() -> None:
    # changed on purpose (README: Scores): an audit with no pack used to PASS with no score
    empty = render(run_audit(load_supply(WAIVED), []))
    assert verdict_of(empty) == ("FAIL nothing was audited: no rule was selected "
                                 "(no gaps; score n/a; 0 of 0 rules scored, 0 subjects evaluated)")
    assert "Overall score n/a (nothing was audited: 0 of 0 rules scored, 0 subjects evaluated)" in words(empty)


def test_coverage_is_shown_next_to_the_score() -> None:
    text = render(audit(WAIVED))
    assert "Overall score  46.7 / 100  (5 of 5 rules scored, 7 subjects evaluated)" in text


def test_input_files_and_includes_are_named() -> None:
    result = audit(WAIVED)
    flat = words(render(result))
    for source in result.inputs:  # each file with the start of its own sha256sum
        assert f"{source.display.split('/tests/', 1)[-1]} sha256 {source.sha256[:12]}" in flat
    assert result.inputs[0].sha256 == result.input_hash


def test_deterministic() -> None:
    assert render(audit(WAIVED), colour=True) == render(audit(WAIVED), colour=True)


def test_registered_under_its_name() -> None:
    assert FORMATS["terminal"].load() is TerminalFormatter
    assert FORMATS["terminal"].binary is False


def test_large_counts_have_thousands_separators_in_the_terminal_and_markdown_reports() -> None:
    import dataclasses

    from nofakes.reports.markdown import MarkdownFormatter

    view = build_view(audit(EXAMPLES[0]), RenderOptions())
    many = dataclasses.replace(view, failing=view.failing * (1000 // len(view.failing) + 1))
    count = f"{len(many.failing):,} failing findings"
    assert "," in count
    assert count in TerminalFormatter().render(many).decode()
    steps = dataclasses.replace(view, waived=view.waived * 1000)
    assert f"{len(steps.waived):,} findings waived" in MarkdownFormatter().render(steps).decode()
