"""Waivers: judged once against as_of; waived findings leave the scores; expired and unused ones are reported."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from nofakes.audit.engine import run_audit
from nofakes.audit.findings import RuleCounts, Status
from nofakes.audit.result import AuditResult
from nofakes.audit.waivers import WaiverBook, is_active
from nofakes.packs.catalogue import resolve_pack
from nofakes.supply.loading import load_supply
from nofakes.supply.model import Waiver

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "engine"
AS_OF = dt.date(2026, 11, 1)


def waiver(rule: str, target: str, expires: dt.date | str = "2027-01-31",
           reason: str = "Audit booked") -> dict[str, Any]:
    return {"rule": rule, "target": target, "reason": reason, "approved_by": "J. Doe, Compliance",
            "expires": expires}


def audit_with(tmp_path: Path, *waivers: dict[str, Any], as_of: dt.date | None = None) -> AuditResult:
    data = yaml.safe_load((FIXTURES / "supply.yaml").read_text(encoding="utf-8"))
    data["waivers"] = list(waivers)
    path = tmp_path / "supply.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return run_audit(load_supply(path), [resolve_pack(str(FIXTURES / "mini-pack.yaml"))], as_of=as_of)


def finding(result: AuditResult, rule_id: str, subject: str) -> Any:
    (hit,) = [f for f in result.findings if f.rule_id == rule_id and f.subject == subject]
    return hit


def counts(result: AuditResult, rule_id: str) -> RuleCounts:
    (hit,) = [r.counts for r in result.rules if r.rule.id == rule_id]
    return hit


def warning_texts(result: AuditResult) -> list[str]:
    return [w.message for w in result.warnings if w.level == "warning"]


# ---------------------------------------------------------------- the book


def test_active_through_the_expiry_day() -> None:
    w = Waiver.model_validate(waiver("X-A-001", "n1", "2026-11-01"))
    assert is_active(w, AS_OF)
    assert is_active(w, AS_OF - dt.timedelta(days=1))
    assert not is_active(w, AS_OF + dt.timedelta(days=1))


def test_book_matches_specific_before_star_and_tracks_use() -> None:
    waivers = [Waiver.model_validate(w) for w in (
        waiver("X-A-001", "n1", reason="specific"), waiver("X-A-001", "*", reason="blanket"),
        waiver("X-A-002", "a->b"), waiver("X-A-003", "n1", "2026-10-31"), waiver("X-A-004", "n9"))]
    book = WaiverBook.from_waivers(waivers, AS_OF)
    assert [w.rule for w in book.expired] == ["X-A-003"]
    applied = book.match("X-A-001", "n1")
    assert applied is not None and applied.reason == "specific" and applied.expires == dt.date(2027, 1, 31)
    assert [w.rule + w.target for w in book.unused()] == ["X-A-001*", "X-A-002a->b", "X-A-004n9"]
    assert book.match("X-A-001", "n2").reason == "blanket"
    assert book.match("X-A-002", "a->b").target == "a->b"
    assert book.match("X-A-003", "n1") is None  # expired: as if absent
    assert book.match("X-A-009", "n1") is None
    assert [w.rule for w in book.unused()] == ["X-A-004"]


# ---------------------------------------------------------------- through the engine


def test_without_waivers(tmp_path: Path) -> None:
    result = audit_with(tmp_path)
    assert counts(result, "MIN-CON-001") == RuleCounts(1, 3, 0, 3)
    assert result.scores.overall.value == pytest.approx(35.0)
    assert result.waivers.applied == () and result.warnings == ()


def test_active_waiver_expiring_on_as_of_is_waived_and_left_out_of_scores(tmp_path: Path) -> None:
    result = audit_with(tmp_path, waiver("MIN-CON-001", "brk", "2026-11-01"))
    hit = finding(result, "MIN-CON-001", "brk")
    assert hit.status is Status.waived
    assert hit.waiver is not None and hit.waiver.approved_by == "J. Doe, Compliance"
    assert result.waivers.applied == (hit,)
    assert counts(result, "MIN-CON-001") == RuleCounts(1, 2, 1, 3)
    # CON: c = 1/3 instead of 1/4: overall = 100 * (3.75 + 7.5/3 + 2.5 + 5 + 0) / 37.5 = 36.67
    assert result.scores.overall.value == pytest.approx(100 * 13.75 / 37.5)
    assert all(step.finding.subject != "brk" for step in result.scores.plan)
    brk = {p.partner: p for p in result.scores.partners}["brk"]
    assert (brk.failed, brk.waived, brk.score.value) == (0, 1, None)  # nothing left to score
    assert warning_texts(result) == []


def test_expired_waiver_counts_as_failing_and_is_reported(tmp_path: Path) -> None:
    result = audit_with(tmp_path, waiver("MIN-CON-001", "brk", "2026-10-31"))
    hit = finding(result, "MIN-CON-001", "brk")
    assert hit.status is Status.failed and hit.waiver is None
    assert counts(result, "MIN-CON-001") == RuleCounts(1, 3, 0, 3)
    assert result.scores.overall.value == pytest.approx(35.0)
    assert [w.target for w in result.waivers.expired] == ["brk"]
    assert warning_texts(result) == ["waiver for MIN-CON-001 on brk expired on 2026-10-31; its findings count again"]
    # the same waiver is active when the audit date moves back: expiry is judged against as_of only
    earlier = audit_with(tmp_path, waiver("MIN-CON-001", "brk", "2026-10-31"), as_of=dt.date(2026, 10, 31))
    assert finding(earlier, "MIN-CON-001", "brk").status is Status.waived


def test_unused_waiver_is_a_warning(tmp_path: Path) -> None:
    result = audit_with(tmp_path, waiver("MIN-CON-001", "pcb"), waiver("MIN-AUD-001", "dist"),
                        waiver("NTF-AUD-001", "cm"))
    assert result.scores.overall.value == pytest.approx(35.0)
    assert warning_texts(result) == [
        # a rule of another pack: said once, with what is wrong
        "waiver for NTF-AUD-001 on cm: no selected pack has rule NTF-AUD-001, so it waives nothing",
        "waiver for MIN-CON-001 on pcb matches no failing finding",  # pcb passes
        "waiver for MIN-AUD-001 on dist matches no failing finding",  # the rule does not apply to a distributor
    ]
    assert len(result.waivers.unused) == 3


def test_star_target_waives_every_failing_subject_of_the_rule(tmp_path: Path) -> None:
    result = audit_with(tmp_path, waiver("MIN-DOC-001", "*"))
    assert counts(result, "MIN-DOC-001") == RuleCounts(2, 0, 2, 2)
    assert {f.subject for f in result.waivers.applied} == {"acme->brk", "cm->acme"}
    # DOC: c = 1 instead of .5: overall = 100 * (13.125 + 2.5) / 37.5
    assert result.scores.overall.value == pytest.approx(100 * 15.625 / 37.5)
    assert warning_texts(result) == []


def test_edge_target(tmp_path: Path) -> None:
    result = audit_with(tmp_path, waiver("MIN-DOC-001", "acme->brk"))
    assert finding(result, "MIN-DOC-001", "acme->brk").status is Status.waived
    assert finding(result, "MIN-DOC-001", "cm->acme").status is Status.failed
    assert counts(result, "MIN-DOC-001") == RuleCounts(2, 1, 1, 2)


def test_specific_waiver_and_star_together(tmp_path: Path) -> None:
    result = audit_with(tmp_path, waiver("MIN-CON-001", "cm", reason="specific"),
                        waiver("MIN-CON-001", "*", reason="blanket"))
    reasons = {f.subject: f.waiver.reason for f in result.waivers.applied}
    assert reasons == {"cm": "specific", "brk": "blanket", "dist": "blanket"}
    assert counts(result, "MIN-CON-001") == RuleCounts(1, 0, 3, 3)
    assert warning_texts(result) == []


def test_path_and_graph_rule_findings_are_waived_by_end_node(tmp_path: Path) -> None:
    result = audit_with(tmp_path, waiver("MIN-PTH-001", "web"), waiver("MIN-INC-001", "shop"))
    assert finding(result, "MIN-PTH-001", "web").status is Status.waived
    assert finding(result, "MIN-PTH-001", "web").evidence == ("acme", "brk", "web")
    assert counts(result, "MIN-INC-001") == RuleCounts(0, 0, 1, 6)
    # INC leaves the scores altogether: overall = 100 * (3.75 + 1.875 + 2.5 + 10) / (7.5 + 7.5 + 5 + 10)
    assert result.scores.overall.value == pytest.approx(100 * 18.125 / 30)


# ---------------------------------------------------------------- waivers that cannot match (README: Scores)


def test_unknown_target_is_a_located_warning_with_a_hint(tmp_path: Path) -> None:
    result = audit_with(tmp_path, waiver("MIN-CON-001", "bkr"), waiver("MIN-DOC-001", "brk->acme"),
                        waiver("MIN-CON-001", "brk"))
    assert finding(result, "MIN-CON-001", "brk").status is Status.waived  # the file still audits
    text = (tmp_path / "supply.yaml").read_text(encoding="utf-8").splitlines()
    first, second = result.input_warnings
    assert (first.level, first.path, first.hint) == ("warning", "waivers[0].target", "did you mean 'brk'?")
    assert first.message == "waiver names unknown target 'bkr', so it waives nothing"
    assert "bkr" in text[first.line - 1][first.column - 1:]  # type: ignore[operator]
    assert second.message == "waiver names unknown edge 'brk->acme', so it waives nothing"
    assert second.hint == "did you mean 'acme->brk'? (goods flow that way)"


def test_waiver_for_a_rule_no_selected_pack_has(tmp_path: Path) -> None:
    result = audit_with(tmp_path, waiver("MIN-COM-001", "cm"))
    (warning,) = result.warnings
    assert warning.message == ("waiver for MIN-COM-001 on cm: no selected pack has rule MIN-COM-001, "
                               "so it waives nothing")
    assert warning.hint == "did you mean 'MIN-CON-001'?" and warning.path == "waivers[0].rule"
    line = (tmp_path / "supply.yaml").read_text(encoding="utf-8").splitlines()[warning.line - 1]  # type: ignore[operator]
    assert "MIN-COM-001" in line
    assert [w.rule for w in result.waivers.unused] == ["MIN-COM-001"]  # still unused, warned about once


def test_duplicate_waivers_are_reported_naming_both(tmp_path: Path) -> None:
    result = audit_with(tmp_path, waiver("MIN-CON-001", "brk", "2027-01-31", "First"),
                        waiver("MIN-AUD-001", "cm"),
                        waiver("MIN-CON-001", "brk", "2027-06-30", "Second"))
    hit = finding(result, "MIN-CON-001", "brk")
    assert hit.status is Status.waived and hit.waiver.reason == "First"  # the first one in force applies
    (duplicate,) = [w for w in result.warnings if "given twice" in w.message]
    path = tmp_path / "supply.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    first_line = next(i for i, line in enumerate(lines, 1) if "rule: MIN-CON-001" in line)
    assert duplicate.path == "waivers[2].rule" and duplicate.line is not None and duplicate.line > first_line
    assert duplicate.message == (
        "waiver for MIN-CON-001 on brk is given twice: here (approved by J. Doe, Compliance, expires 2027-06-30) "
        f"and at {path}:{first_line}:{lines[first_line - 1].index('MIN-CON-001') + 1} "
        "(approved by J. Doe, Compliance, expires 2027-01-31); the first one in force applies")
    assert [(a.reason, b.reason) for a, b in result.waivers.duplicates] == [("First", "Second")]


def test_an_expired_first_duplicate_leaves_the_later_one_in_force(tmp_path: Path) -> None:
    result = audit_with(tmp_path, waiver("MIN-CON-001", "brk", "2026-10-01", "Old"),
                        waiver("MIN-CON-001", "brk", "2027-06-30", "Renewed"))
    assert finding(result, "MIN-CON-001", "brk").waiver.reason == "Renewed"
    assert len(result.waivers.duplicates) == 1 and [w.reason for w in result.waivers.expired] == ["Old"]
