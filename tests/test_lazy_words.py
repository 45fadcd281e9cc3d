"""Failing findings word their message and reason when first read, and read as plain frozen data."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from nofakes.audit.findings import Finding, Status, worded_later
from nofakes.rules.outcome import Fail
from nofakes.supply.model import Severity


def _finding(message: str, detail: str) -> Finding:
    return Finding("R-1", "p@1.0.0", "s", Severity.high, Status.failed, "node", "n1", "N One", "n1",
                   message, detail, False)


def test_words_are_made_once_when_first_read_and_the_finding_reads_as_text() -> None:
    calls: list[str] = []

    def words(text: str) -> str:
        calls.append(text)
        return text

    lazy = _finding(worded_later(lambda: words("N One has no audit")), worded_later(lambda: words("no audit")))
    assert calls == []  # nothing worded by making the finding
    assert lazy.message == "N One has no audit" and lazy.detail == "no audit"
    assert lazy.message == "N One has no audit"
    assert calls == ["N One has no audit", "no audit"]  # each once
    plain = _finding("N One has no audit", "no audit")
    assert lazy == plain and hash(lazy) == hash(plain)
    assert dataclasses.asdict(lazy) == dataclasses.asdict(plain)
    assert pickle.loads(pickle.dumps(_finding(worded_later(lambda: "m"), "d"))) == _finding("m", "d")
    assert dataclasses.replace(_finding(worded_later(lambda: "m"), "d"), subject="n2").message == "m"


def test_a_finding_stays_frozen() -> None:
    finding = _finding(worded_later(lambda: "m"), "d")
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.message = "other"  # type: ignore[misc]


def test_fail_words_are_the_reason_or_a_function_that_words_it_once() -> None:
    assert Fail("worded").words == "worded"
    calls: list[int] = []
    fail = Fail(lambda: calls.append(1) or "later")
    words = fail.words
    assert callable(words) and calls == []
    assert words() == "later" and fail.reason == "later" and calls == [1]
