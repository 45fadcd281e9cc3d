"""The JSON report: valid against schemas/report.schema.json, deterministic, faithful to the AuditResult."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from helpers import ROOT, TESTS
from nofakes.audit.engine import run_audit
from nofakes.audit.findings import Status
from nofakes.audit.result import AuditResult
from nofakes.cli import schemas
from nofakes.packs.catalogue import resolve_pack
from nofakes.reports import FORMATS
from nofakes.reports.base import RenderOptions
from nofakes.reports.json_report import SCHEMA_VERSION, JsonFormatter, dumps
from nofakes.reports.view import build_view
from nofakes.supply.loading import load_supply

FIXTURES = TESTS / "fixtures" / "reports"
PACK = FIXTURES / "pack.yaml"
WAIVED = FIXTURES / "supply.yaml"
SCHEMA_FILE = ROOT / "schemas" / "report.schema.json"
EXAMPLES = sorted(ROOT.glob("examples/*/supply.yaml"))
INPUTS = [*EXAMPLES, WAIVED]


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def audit(path: Path, include_passes: bool = False) -> AuditResult:
    return run_audit(load_supply(path), [resolve_pack(str(PACK))], include_passes=include_passes)


def render(result: AuditResult, **options: Any) -> bytes:
    return JsonFormatter().render(build_view(result, RenderOptions(**options)))


def report(path: Path, include_passes: bool = False, **options: Any) -> dict[str, Any]:
    return json.loads(render(audit(path, include_passes), **options))


@pytest.fixture(autouse=True)
def _run_from_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # input paths are displayed relative to the working directory


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def errors(validator: Draft202012Validator, data: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


# ---------------------------------------------------------------- the schema


def test_schema_is_draft_2020_12_with_its_id() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "https://nofakes.dev/schemas/report.schema.json"
    assert schema["additionalProperties"] is False
    assert schemas.shipped("report") == schema


@pytest.mark.parametrize("path", INPUTS, ids=rel)
def test_reports_validate_against_the_schema(path: Path, validator: Draft202012Validator) -> None:
    assert errors(validator, report(path)) == []


@pytest.mark.parametrize("path", INPUTS, ids=rel)
def test_reports_with_passes_validate_against_the_schema(path: Path, validator: Draft202012Validator) -> None:
    assert errors(validator, report(path, include_passes=True)) == []


def test_report_without_packs_validates(validator: Draft202012Validator) -> None:
    data = json.loads(render(run_audit(load_supply(EXAMPLES[0]), [])))
    assert errors(validator, data) == []
    assert data["scores"]["overall"] == {"score": None, "numerator": 0.0, "denominator": 0.0, "rules": 0}


@pytest.mark.parametrize("mutate", [
    pytest.param(lambda d: d.update(extra=1), id="unknown top-level key"),
    pytest.param(lambda d: d["run"].update(timestamp="2026-11-01T10:00:00"), id="unknown run key"),
    pytest.param(lambda d: d["findings"][0].update(severity="severe"), id="bad severity"),
    pytest.param(lambda d: d["findings"][0].update(status="not_applicable"), id="not_applicable listed"),
    pytest.param(lambda d: d["findings"][0].pop("fingerprint"), id="finding without fingerprint"),
    pytest.param(lambda d: d["scores"]["overall"].update(value=1), id="unknown score key"),
    pytest.param(lambda d: d["scores"]["packs"][0].update(extra=1), id="unknown pack score key"),
    pytest.param(lambda d: d["scores"]["partners"][0].pop("failed"), id="partner without failed"),
    pytest.param(lambda d: d["rules"][0]["counts"].pop("not_applicable"), id="rule counts incomplete"),
    pytest.param(lambda d: d["run"]["input"]["files"][0].update(sha256="abc"), id="bad sha256"),
    pytest.param(lambda d: d["run"].update(as_of="1 Nov 2026"), id="bad date"),
    pytest.param(lambda d: d.update(schema_version="2.0"), id="other major version"),
    pytest.param(lambda d: d["waivers"].update(applied=-1), id="negative count"),
])
def test_schema_is_strict(mutate: Any, validator: Draft202012Validator) -> None:
    data = report(WAIVED)
    assert errors(validator, data) == []
    broken = copy.deepcopy(data)
    mutate(broken)
    assert errors(validator, broken) != []


def test_waived_finding_needs_its_waiver(validator: Draft202012Validator) -> None:
    data = report(WAIVED)
    waived = next(i for i, f in enumerate(data["findings"]) if f["status"] == "waived")
    data["findings"][waived]["waiver"] = None
    assert errors(validator, data) != []


# ---------------------------------------------------------------- determinism


@pytest.mark.parametrize("path", INPUTS, ids=rel)
def test_same_inputs_give_byte_identical_reports(path: Path) -> None:
    first = render(audit(path))
    second = render(audit(path))
    assert first == second
    assert first.endswith(b"}\n")
    # canonical layout: mappings indented, one list item per line (see json_report.dumps)
    assert first.decode("utf-8") == dumps(json.loads(first))


def test_report_does_not_depend_on_how_the_path_was_given() -> None:
    relative = render(run_audit(load_supply(Path(rel(WAIVED))), [resolve_pack(str(PACK))]))
    absolute = render(run_audit(load_supply(WAIVED.resolve()), [resolve_pack(str(PACK.resolve()))]))
    assert relative == absolute


def test_input_files_are_relative_and_hashed() -> None:
    result = audit(WAIVED)
    data = json.loads(render(result))
    files = data["run"]["input"]["files"]
    assert [f["path"] for f in files] == ["tests/fixtures/reports/supply.yaml", "tests/fixtures/reports/more.yaml"]
    assert not any(Path(f["path"]).is_absolute() for f in files)
    assert [f["sha256"] for f in files] == [s.sha256 for s in result.inputs]
    assert data["run"]["input"]["sha256"] == result.input_hash


def _floats(value: Any) -> list[float]:
    if isinstance(value, float):
        return [value]
    if isinstance(value, dict):
        return [x for v in value.values() for x in _floats(v)]
    if isinstance(value, list):
        return [x for v in value for x in _floats(v)]
    return []


@pytest.mark.parametrize("path", INPUTS, ids=rel)
def test_floats_are_rounded_to_four_decimals(path: Path) -> None:
    floats = _floats(report(path))
    assert floats
    assert all(round(x, 4) == x for x in floats)


def test_no_timestamps_or_absolute_paths() -> None:
    text = render(audit(WAIVED)).decode("utf-8")
    assert str(ROOT) not in text
    assert "T00:00" not in text


# ---------------------------------------------------------------- content


def test_envelope() -> None:
    result = audit(WAIVED)
    data = json.loads(render(result))
    assert list(data) == ["$schema", "schema_version", "tool", "run", "verdict", "scoring", "scores", "coverage",
                          "rules", "findings", "plan", "plan_by_partner", "waivers", "warnings", "summary"]
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["tool"] == {"name": "nofakes", "version": result.tool_version}
    assert data["run"]["as_of"] == "2026-11-01"
    assert data["run"]["company"] == {"id": "acme", "name": "Acme [bold]Audio[/bold] Inc."}
    pack = result.packs[0]
    assert data["run"]["packs"] == [{"id": "mini@1.0.0", "name": "mini", "version": "1.0.0", "title": pack.title,
                                     "status": "released", "sha256": pack.sha256}]
    assert data["run"]["parameters"] == {"mini.audit_interval_days": 400}  # the file's override
    assert data["scoring"]["weights"] == {"critical": 10.0, "high": 7.5, "medium": 5.0, "low": 2.5, "info": 0.0}
    assert data["scoring"]["effort_units"] == {"low": 1.0, "medium": 2.0, "high": 4.0}
    assert "sum(w_r * c_r)" in data["scoring"]["formula"]


def test_cli_parameters_show_in_the_run() -> None:
    result = run_audit(load_supply(WAIVED), [resolve_pack(str(PACK))], cli_params={"audit_interval_days": 30})
    assert json.loads(render(result))["run"]["parameters"] == {"mini.audit_interval_days": 30}


@pytest.mark.parametrize("path", INPUTS, ids=rel)
def test_scores_equal_the_audit_result(path: Path) -> None:
    result = audit(path)
    data = json.loads(render(result))
    scores = data["scores"]

    def same(out: dict[str, Any], score: Any) -> None:
        assert out["numerator"] == pytest.approx(score.numerator, abs=5e-5)
        assert out["denominator"] == pytest.approx(score.denominator, abs=5e-5)
        assert out["rules"] == score.rules
        if score.value is None:
            assert out["score"] is None
        else:
            assert out["score"] == pytest.approx(score.value, abs=5e-5)

    same(scores["overall"], result.scores.overall)
    assert [p["pack"] for p in scores["packs"]] == list(result.scores.packs)
    for out in scores["packs"]:
        same(out, result.scores.packs[out["pack"]])
    assert {(s["pack"], s["section"]) for s in scores["sections"]} == set(result.scores.sections)
    for out in scores["sections"]:
        same(out, result.scores.sections[(out["pack"], out["section"])])
    assert [p["partner"] for p in scores["partners"]] == [p.partner for p in result.scores.partners]
    for out, partner in zip(scores["partners"], result.scores.partners, strict=True):
        same(out, partner.score)
        assert (out["failed"], out["waived"]) == (partner.failed, partner.waived)
        assert out["name"] == result.names[partner.partner]
    assert len(data["plan"]) == len(result.scores.plan)
    for out, step in zip(data["plan"], result.scores.plan, strict=True):
        assert out["rank"] == step.rank
        assert out["fingerprint"] == step.finding.key
        assert out["gain"] == pytest.approx(step.gain, abs=5e-5)
        assert out["gain_per_effort"] == pytest.approx(step.gain_per_effort, abs=5e-5)
        assert out["projected_score"] == pytest.approx(step.projected, abs=5e-5)


@pytest.mark.parametrize("path", INPUTS, ids=rel)
def test_rule_counts_equal_the_audit_result(path: Path) -> None:
    result = audit(path)
    data = json.loads(render(result))
    assert [(r["pack"], r["id"]) for r in data["rules"]] == [(r.pack, r.rule.id) for r in result.rules]
    for out, scored in zip(data["rules"], result.rules, strict=True):
        counts = scored.counts
        assert out["counts"] == {"passed": counts.passed, "failed": counts.failed, "waived": counts.waived,
                                 "not_applicable": counts.not_applicable}
        assert out["severity"] == scored.rule.severity.value
        assert out["weight"] == scored.weight
        if counts.compliance is None:
            assert out["compliance"] is None
        else:
            assert out["compliance"] == pytest.approx(counts.compliance, abs=5e-5)
    summary = data["summary"]
    assert summary["failed_total"] == sum(r.counts.failed for r in result.rules)
    assert summary["waived"] == sum(r.counts.waived for r in result.rules)
    assert sum(summary["failed"].values()) == summary["failed_total"]


@pytest.mark.parametrize("path", INPUTS, ids=rel)
def test_every_failing_and_waived_finding_is_listed_and_no_pass(path: Path) -> None:
    result = audit(path)
    data = json.loads(render(result))
    expected = [f.key for f in result.findings if f.status in (Status.failed, Status.waived)]
    assert [f["fingerprint"] for f in data["findings"]] == expected
    assert {f["status"] for f in data["findings"]} <= {"fail", "waived"}
    assert len(data["findings"]) == sum(r.counts.failed + r.counts.waived for r in result.rules)


@pytest.mark.parametrize("path", INPUTS, ids=rel)
def test_include_passes_lists_the_passes(path: Path) -> None:
    result = audit(path, include_passes=True)
    data = json.loads(render(result))
    assert data["run"]["include_passes"] is True
    passes = [f for f in data["findings"] if f["status"] == "pass"]
    assert len(passes) == sum(r.counts.passed for r in result.rules) > 0
    assert all(f["waiver"] is None for f in passes)


def test_waivers_and_warnings() -> None:
    data = report(WAIVED)
    waived = [f for f in data["findings"] if f["status"] == "waived"]
    assert len(waived) == data["waivers"]["applied"] == 1
    assert waived[0]["waiver"] == {"rule": "MIN-CON-001", "target": "shenzhen-pcb",
                                   "reason": "Clause in the 2027 contract renewal",
                                   "approved_by": "J. Doe, Compliance", "expires": "2027-01-31"}
    assert [w["rule"] for w in data["waivers"]["expired"]] == ["MIN-DOC-001"]
    assert [w["target"] for w in data["waivers"]["unused"]] == ["grey-dist"]
    warnings = data["warnings"]
    assert any("expired on 2026-01-31" in w for w in warnings)
    assert any("matches no failing finding" in w for w in warnings)
    assert any("not_a_parameter" in w for w in warnings)
    assert all(isinstance(w, str) for w in warnings)


def test_findings_carry_evidence_names_and_edge_kinds() -> None:
    data = report(WAIVED)
    by_rule = {f["rule"]: f for f in data["findings"] if f["status"] == "fail"}
    path = by_rule["MIN-PTH-001"]
    assert path["evidence"] == ["acme-factory", "grey-dist", "shop"]
    assert path["subject_type"] == "path" and path["partner"] == "shop"
    edge = by_rule["MIN-DOC-001"]
    assert edge["edge_kind"] == "distributes"
    assert edge["subject"] == "acme-factory->grey-dist"
    assert edge["partner_name"] == "Acme Factory"
    assert edge["missing_evidence"] is True
    assert edge["fingerprint"] == "MIN-DOC-001|acme-factory->grey-dist|distributes"


def test_plan_by_partner_covers_every_step_once() -> None:
    for path in INPUTS:
        data = report(path)
        ranks = sorted(rank for group in data["plan_by_partner"] for rank in group["steps"])
        assert ranks == [step["rank"] for step in data["plan"]]
        gains = [group["total_gain"] for group in data["plan_by_partner"]]
        assert gains == sorted(gains, reverse=True)
        plan = {step["rank"]: step for step in data["plan"]}
        for group in data["plan_by_partner"]:
            assert {plan[rank]["partner"] for rank in group["steps"]} == {group["partner"]}
            assert group["total_gain"] == pytest.approx(sum(plan[r]["gain"] for r in group["steps"]), abs=1e-3)


@pytest.mark.parametrize(("fail_on", "expected"), [("critical", 1), ("high", 2), ("medium", 3), ("info", 3)])
def test_summary_counts_gaps_at_or_above_fail_on(fail_on: str, expected: int) -> None:
    data = report(WAIVED, fail_on=fail_on)
    assert data["summary"]["fail_on"] == fail_on
    assert data["summary"]["gaps_at_or_above_fail_on"] == expected
    assert data["summary"]["failed"] == {"critical": 1, "high": 1, "medium": 1, "low": 0, "info": 0}


def test_registered_under_its_name() -> None:
    assert FORMATS["json"].load() is JsonFormatter
    assert FORMATS["json"].binary is False


@pytest.mark.parametrize("path", INPUTS, ids=rel)
def test_streamed_report_is_byte_identical_to_the_report_built_whole(path: Path, tmp_path: Path) -> None:
    from nofakes.cli.output import write_output
    from nofakes.reports.json_report import Lazy, build_report

    result = audit(path, include_passes=True)
    view = build_view(result, RenderOptions())
    whole = (dumps(build_report(view)).encode("utf-8"))
    lazy = build_report(view, lazy=True)
    assert isinstance(lazy["findings"], Lazy) and list(lazy["findings"]) == build_report(view)["findings"]
    assert render(result) == whole
    target = tmp_path / "report.json"
    write_output(lambda stream: JsonFormatter().write(view, stream), target)
    assert target.read_bytes() == whole


def test_an_empty_streamed_list_is_still_a_list() -> None:
    from nofakes.reports.json_report import Lazy

    assert dumps({"findings": Lazy([], str), "plan": []}) == '{\n  "findings": [],\n  "plan": []\n}\n'


# ---------------------------------------------------------------- verdict and coverage (schema 1.1)


def test_the_report_carries_the_verdict_of_the_gate() -> None:
    data = report(WAIVED, fail_on="critical", fail_under=50)
    assert data["schema_version"] == "1.4"  # 1.2 adds the optional baseline, 1.3 the risk object, 1.4 screening
    assert data["verdict"] == {"passed": False, "thresholds": {"fail_on": "critical", "fail_under": 50.0},
                               "reasons": ["1 failing finding at or above critical", "overall score 46.7 is below 50"]}
    passing = report(WAIVED, fail_on="none", fail_under=30)["verdict"]
    assert passing == {"passed": True, "thresholds": {"fail_on": "none", "fail_under": 30.0},
                       "reasons": ["no severity threshold (--fail-on none)", "overall score 46.7 is at or above 30"]}


def test_the_report_carries_the_coverage() -> None:
    data = report(WAIVED)
    rules = data["rules"]
    assert data["coverage"] == {
        "rules_selected": len(rules),
        "rules_scored": sum(1 for r in rules if r["counts"]["passed"] + r["counts"]["failed"]),
        "subjects_evaluated": sum(r["counts"]["passed"] + r["counts"]["failed"] + r["counts"]["waived"] for r in rules),
        "partners": 5,  # acme, shenzhen-pcb, acme-factory, shop, and grey-dist from more.yaml
    }
    assert data["coverage"]["rules_scored"] == data["scores"]["overall"]["rules"] == 5


def test_nothing_audited_fails_in_the_report(validator: Draft202012Validator) -> None:
    data = json.loads(render(run_audit(load_supply(WAIVED), [])))
    assert errors(validator, data) == []
    assert data["verdict"]["passed"] is False
    assert data["verdict"]["reasons"] == ["nothing was audited: no rule was selected"]
    assert data["coverage"] == {"rules_selected": 0, "rules_scored": 0, "subjects_evaluated": 0, "partners": 5}


@pytest.mark.parametrize("mutate", [
    pytest.param(lambda d: d["verdict"].pop("reasons"), id="verdict without reasons"),
    pytest.param(lambda d: d["verdict"].update(reasons=[]), id="verdict with no reason"),
    pytest.param(lambda d: d["verdict"]["thresholds"].update(fail_on="severe"), id="bad fail_on"),
    pytest.param(lambda d: d["verdict"]["thresholds"].update(fail_under=101), id="fail_under above 100"),
    pytest.param(lambda d: d["coverage"].update(rules_scored=-1), id="negative coverage"),
    pytest.param(lambda d: d["coverage"].pop("partners"), id="coverage incomplete"),
])
def test_schema_is_strict_about_verdict_and_coverage(mutate: Any, validator: Draft202012Validator) -> None:
    broken = report(WAIVED)
    mutate(broken)
    assert errors(validator, broken) != []
