"""The JSON report of every shipped example stays byte-identical: a change to the evaluation hot
path (candidate indexes, lazy reasons, shared traversals) must not move a single byte.

Two pins per example, both with passes listed (so a pass that turns into not-applicable shows):
- with the built-in pack `ntif` 1.0.0: the whole report, `tests/golden/<example>.report.json`;
- with the benchmark mix (`ntif` plus `benchmarks/packs/benchmix`, 92 rules over every target,
  quantifier and path mode): the report's SHA-256, in `tests/golden/benchmix.sha256.json`
  (the reports are 0.2-0.5 MB each; to see a difference, write the report of the code before and
  after with `nofakes audit examples/X/supply.yaml -g ntif -g benchmarks/packs/benchmix/1.0.0.yaml
  --format json --include-passes` and diff them).

Regenerate after an intended change with:
    NOFAKES_UPDATE_GOLDEN=1 python -m pytest tests/test_report_identity.py
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from helpers import ROOT, TESTS
from nofakes.audit.engine import run_audit
from nofakes.packs.catalogue import resolve_all
from nofakes.reports.base import RenderOptions
from nofakes.reports.json_report import JsonFormatter
from nofakes.reports.view import build_view
from nofakes.supply.loading import load_supply

GOLDEN = TESTS / "golden"
EXAMPLES = ("electronics", "pharma", "apparel")
MIX = ["ntif@1.0.0", "benchmarks/packs/benchmix/1.0.0.yaml"]
DIGESTS = GOLDEN / "benchmix.sha256.json"
UPDATE = bool(os.environ.get("NOFAKES_UPDATE_GOLDEN"))


@pytest.fixture(autouse=True)
def _run_from_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # input and pack paths are shown relative to the working directory


def report(example: str, packs: list[str]) -> bytes:
    result = run_audit(load_supply(Path("examples") / example / "supply.yaml"), resolve_all(packs),
                       include_passes=True)
    return JsonFormatter().render(build_view(result, RenderOptions()))


@pytest.mark.parametrize("example", EXAMPLES)
def test_ntif_report_is_byte_identical(example: str) -> None:
    golden = GOLDEN / f"{example}.report.json"
    text = report(example, ["ntif@1.0.0"])
    if UPDATE:
        golden.write_bytes(text)
    assert text == golden.read_bytes(), f"the JSON report of {example} changed; see the module docstring"


@pytest.mark.parametrize("example", EXAMPLES)
def test_benchmark_mix_report_is_byte_identical(example: str) -> None:
    digest = hashlib.sha256(report(example, MIX)).hexdigest()
    if UPDATE:
        digests = json.loads(DIGESTS.read_text(encoding="utf-8")) if DIGESTS.exists() else {}
        digests[example] = digest
        DIGESTS.write_text(json.dumps(digests, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    assert json.loads(DIGESTS.read_text(encoding="utf-8"))[example] == digest, (
        f"the JSON report of {example} with the benchmark mix changed; see the module docstring")


def test_the_mix_exercises_every_target_and_finds_gaps() -> None:
    """The pinned mix reports are not trivially empty: every target and both outcomes occur."""
    data = json.loads(report("electronics", MIX))
    targets = {rule["target"] for rule in data["rules"]}
    assert targets == {"node", "edge", "product", "company", "path"}
    assert len(data["rules"]) == 92
    statuses = {finding["status"] for finding in data["findings"]}
    assert {"pass", "fail"} <= statuses
