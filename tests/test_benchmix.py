"""The benchmark mix 2.0.0 (rule language 2) lints clean and runs on a small format 1.1 graph."""

from __future__ import annotations

import collections
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
MIX2 = ROOT / "benchmarks" / "packs" / "benchmix" / "2.0.0.yaml"
sys.path.insert(0, str(ROOT / "benchmarks"))

from format11 import enrich  # noqa: E402
from generate import generate, write  # noqa: E402


def test_mix_2_lints_clean() -> None:
    from nofakes.authoring.lint import lint

    report = lint([MIX2], strict=True)
    assert report.diagnostics == ()


def test_format_11_enrichment_is_deterministic_and_keeps_the_format_1_part() -> None:
    plain = generate(300, seed=3)
    first, second = enrich(generate(300, seed=3), 3), enrich(generate(300, seed=3), 3)
    assert first == second
    assert first["nofakes"] == "1.1" and plain["nofakes"] == "1"
    for before, after in zip(plain["nodes"], first["nodes"], strict=True):
        assert {k: v for k, v in after.items() if k in before and k not in ("authorization", "due_diligence",
                                                                               "incidents", "attributes")} == \
               {k: v for k, v in before.items() if k not in ("authorization", "due_diligence", "incidents",
                                                             "attributes")}
    assert any("region" in n for n in first["nodes"]) and any("authorizations" in n for n in first["nodes"])
    assert any("seller_verification" in n for n in first["nodes"])
    assert any("since" in e for e in first["edges"]) and any("lots" in e for e in first["edges"])


@pytest.fixture(scope="module")
def mix_audit(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from nofakes.audit.engine import run_audit
    from nofakes.packs.catalogue import resolve_all
    from nofakes.supply.loading import load_supply

    path = tmp_path_factory.mktemp("mix") / "supply.json"
    write(enrich(generate(2000, seed=1), 1), path, "json")
    return run_audit(load_supply(path), resolve_all(["ntif@1.0.0", str(MIX2)]))


def test_mix_2_runs_and_most_rules_find_gaps(mix_audit: Any) -> None:
    failing = collections.Counter(f.rule_id for f in mix_audit.findings if f.status.value == "fail")
    ids = [r.rule.id for r in mix_audit.rules]
    assert 90 <= len(ids) <= 100
    new = [i for i in ids if i.startswith("BMX-")]
    assert sum(1 for i in new if failing[i]) >= 0.85 * len(new), sorted(i for i in new if not failing[i])


@pytest.mark.parametrize("rule_id, subject", [
    ("BMX-MKT-201", "node"),  # unique
    ("BMX-MKT-204", "node"),  # if/then with a {ref:, plus_days:} date comparison
    ("BMX-GRF-002", "path"),  # path.products: END@PRODUCT subjects
    ("BMX-GRF-006", "path"),  # path.after
    ("BMX-GEN-207", "edge"),  # edge since against from.due_diligence.first_date
])
def test_new_constructs_fail_some_subjects_in_words(mix_audit: Any, rule_id: str, subject: str) -> None:
    fails = [f for f in mix_audit.findings if f.rule_id == rule_id and f.status.value == "fail"]
    assert fails, rule_id
    assert {f.subject_type for f in fails} == {subject}
    for finding in fails[:20]:
        assert finding.detail and "{" not in finding.message
    if rule_id == "BMX-GRF-002":
        assert all("@" in f.subject for f in fails)
