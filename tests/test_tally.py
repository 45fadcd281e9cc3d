"""The partner tally (numpy columns) gives exactly the sums of adding each rule's outcomes one partner
at a time in Python floats, and a failing finding is worded only when a report reads it."""

from __future__ import annotations

import random
from typing import Any

import pytest

from helpers import ROOT
from nofakes.audit.engine import run_audit
from nofakes.audit.findings import Status, Words
from nofakes.audit.tally import PartnerTally
from nofakes.packs.catalogue import resolve_all
from nofakes.supply.loading import load_supply

WEIGHTS = (10.0, 7.5, 5.0, 2.5, 0.0)


def loop_tally(rules: list[tuple[float, dict[str, int], dict[str, list[int]]]]) -> dict[str, list[Any]]:
    """The plain loop the columns stand in for: [numerator, denominator, rules, failed, waived] per partner."""
    table: dict[str, list[Any]] = {}
    for weight, passes, others in rules:
        for partner in {**passes, **others}:
            p = passes.get(partner, 0)
            f, w = others.get(partner, (0, 0))
            acc = table.setdefault(partner, [0.0, 0.0, 0, 0, 0])
            acc[3] += f
            acc[4] += w
            if p:
                acc[0] += weight * p / (p + f)
            if p or f:
                acc[1] += weight
                acc[2] += 1
    return table


@pytest.mark.parametrize("seed", range(60))
def test_columns_sum_exactly_like_the_loop(seed: int) -> None:
    rng = random.Random(seed)
    partners = [f"p{i}" for i in range(rng.randint(1, 40))]
    rules = []
    for _ in range(rng.randint(0, 12)):
        touched = rng.sample(partners, rng.randint(0, len(partners)))
        passes = {p: rng.randint(1, 7) for p in touched if rng.random() < 0.6}
        others = {p: [rng.randint(0, 5), rng.randint(0, 2)] for p in touched if rng.random() < 0.5}
        others = {p: fw for p, fw in others.items() if fw != [0, 0]}
        rules.append((rng.choice(WEIGHTS), passes, others))
    tally = PartnerTally(partners)
    for weight, passes, others in rules:  # one place per outcome, in any order; -1: a subject with no partner
        def places(counts: dict[str, int]) -> list[int]:
            listed = [tally.place[p] for p, n in counts.items() for _ in range(n)] + [-1] * rng.randint(0, 2)
            rng.shuffle(listed)
            return listed

        tally.add(weight, places(passes), places({p: fw[0] for p, fw in others.items()}),
                  places({p: fw[1] for p, fw in others.items()}))
    expected = loop_tally(rules)
    got = {s.partner: [s.score.numerator, s.score.denominator, s.score.rules, s.failed, s.waived]
           for s in tally.scores()}
    assert got == expected  # floats compared exactly
    assert [s.partner for s in tally.scores()] == sorted(expected)


def test_a_failure_is_worded_when_first_read() -> None:
    loaded = load_supply(str(ROOT / "examples" / "electronics" / "supply.yaml"), {})
    result = run_audit(loaded, resolve_all(["ntif"]))
    failing = [f for f in result.findings if f.status is Status.failed]
    assert failing
    assert all(f.words._source is not None for f in failing)  # nothing worded by the audit itself
    first = failing[0]
    message, detail = first.message, first.detail
    assert first.words._source is None and message and detail
    assert (first.message, first.detail) == (message, detail)  # the same words on every read
    assert first.words == Words(message, detail) and hash(first.words) == hash(Words(message, detail))


def test_views_know_their_partners_places_in_the_tally() -> None:
    """A rule's passes are counted through the places the subject views carry: they must be the tally's."""
    from nofakes.audit.subjects import build_subjects
    from nofakes.supply.graph import build_graph

    for example in ("electronics", "marketplace", "pharma"):
        document = load_supply(ROOT / "examples" / example / "supply.yaml").document
        subjects = build_subjects(document, build_graph(document))
        place = PartnerTally(subjects.nodes).place
        assert [view.place for view in subjects.nodes.values()] == [place[n] for n in subjects.nodes]
        assert subjects.edges and all(
            (view.source_place, view.target_place) == (place[view.edge.from_], place[view.edge.to])
            for view in subjects.edges)
