"""Recording one rule's outcomes: counted per partner, and kept as findings unless they passed.

`RuleRun` is what the engine records a rule's outcomes into when it evaluates the rule in this process.
`RemoteRun` records them in a worker process (`nofakes.audit.parallel`) as plain data that crosses the
process boundary; `replay` keeps that data here exactly as `RuleRun` would have kept the outcomes.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Hashable, Mapping, Sequence
from functools import partial
from itertools import compress
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from nofakes.audit.findings import NO_WORDS, Finding, Status, Words
from nofakes.audit.subjects import Subjects
from nofakes.audit.waivers import WaiverBook
from nofakes.rules import Fail, Outcome
from nofakes.rules.templates import compile_template

if TYPE_CHECKING:
    from nofakes.audit.compile import CompiledRule

# per outcome a worker keeps: its finding's subject, name, partner, link kind and partner place, the subject's key, the
# reason (None: a pass kept with `include_passes`), whether evidence was missing and the path it names
Row = tuple[str, str, str | None, str | None, int, Hashable, str | None, bool, tuple[str, ...]]
# what a worker sends per rule: the partner places of the passes it only counted, the rows, the subjects it may apply to
Remote = tuple[array, list[Row], int]


# a rule's findings in subject order, a link rule's by subject and kind (C-level keys), and a worker's rows likewise
_SUBJECT = itemgetter(Finding._fields.index("subject"))
_LINK = itemgetter(Finding._fields.index("subject"), Finding._fields.index("edge_kind"))
_ROW_SUBJECT, _ROW_LINK = itemgetter(0), itemgetter(0, 3)

# a Finding from all its fields, in order: `tuple.__new__` in C, without the named tuple's Python constructor
_finding: Callable[[tuple[Any, ...]], Finding] = partial(tuple.__new__, Finding)  # type: ignore[assignment]


class RuleRun:
    """The outcomes of one rule: counted, and kept as findings unless they passed.

    Every outcome costs the place of its partner in a list; a kept failure's words (message, reason) are worded when a
    report first reads them (`Words.later`). `total`: how many subjects the rule may apply to.
    """

    __slots__ = ("rule", "target", "findings", "book", "waivable", "include_passes", "word", "word_at",
                 "partner_of", "place_of", "kind", "pack", "passes", "failures", "waivers", "total")

    def __init__(self, compiled: CompiledRule, book: WaiverBook, include_passes: bool, subjects: Subjects,
                 places: Mapping[str | None, int], waivable: bool = True):
        self.rule, self.target = compiled.rule, compiled.target
        self.findings: list[Finding] = []  # in the order they were recorded
        self.book, self.include_passes = book, include_passes
        self.total = 0  # set by whoever evaluates the rule
        self.waivable = waivable  # some active waiver names this rule
        wording = _Wording(compiled, subjects)
        self.word, self.word_at = wording.word, wording.word_at
        self.partner_of = self.target.partner_reader(compiled.rule)
        self.place_of = self.target.place_reader(compiled.rule, places)  # its partner's place in the tally's columns
        self.kind = compiled.rule.target.value  # the subject type findings name
        self.pack = compiled.pack.id
        # per outcome, the place of the partner that carries it (-1: none)
        self.passes: list[int] = []
        self.failures: list[int] = []
        self.waivers: list[int] = []

    def finish(self) -> None:
        """After the last outcome: the findings by subject (a link rule's by subject and kind), deterministic and
        readable."""
        if len(self.findings) > 1:
            self.findings.sort(key=_LINK if self.target.edges else _SUBJECT)

    def record(self, view: Any, outcome: Outcome, evidence: tuple[str, ...] = ()) -> None:
        """Count one applicable subject; keep it as a finding unless it passed."""
        if outcome is True and not self.include_passes:  # the common case: only counted
            self.passes.append(self.place_of(view))
            return
        self._keep(view, outcome, evidence)

    def record_all(self, views: Sequence[Any], outcomes: Sequence[Outcome]) -> None:
        """`record` for subjects and their outcomes, in order: the passes counted per partner at once."""
        if self.include_passes:
            for view, outcome in zip(views, outcomes, strict=True):
                self._keep(view, outcome, ())
            return
        passed = [outcome is True for outcome in outcomes]
        self.passes.extend(map(self.place_of, compress(views, passed)))
        if not all(passed):
            keep = self._keep
            for view, outcome in zip(views, outcomes, strict=True):
                if outcome is not True:
                    keep(view, outcome, ())

    def _keep(self, view: Any, outcome: Outcome, evidence: tuple[str, ...]) -> None:
        target = self.target
        subject, name = target.subject(view)
        if outcome is True:
            self._pass(subject, name, self.partner_of(view), target.edge_kind(view), self.place_of(view))
            return
        fail: Fail = outcome  # type: ignore[assignment]
        evidence = evidence or fail.evidence
        self._fail(subject, name, self.partner_of(view), target.edge_kind(view), self.place_of(view),
                   Words.later(self.word, view, fail, evidence), fail.missing, evidence)

    def _pass(self, subject: str, name: str, partner: str | None, edge_kind: str | None, place: int) -> None:
        """A pass kept as a finding (`include_passes`)."""
        rule = self.rule
        self.findings.append(_finding((rule.id, self.pack, rule.section, rule.severity, Status.passed,
                                       self.kind, subject, name, partner, NO_WORDS, False, edge_kind, (), None)))
        self.passes.append(place)

    def _fail(self, subject: str, name: str, partner: str | None, edge_kind: str | None, place: int, words: Words,
              missing: bool, evidence: tuple[str, ...]) -> None:
        """A failure kept as a finding: waived where an active waiver covers it."""
        rule = self.rule
        waiver = self.book.match(rule.id, subject) if self.waivable else None
        self.findings.append(_finding((rule.id, self.pack, rule.section, rule.severity,
                                       Status.waived if waiver else Status.failed, self.kind, subject, name, partner,
                                       words, missing, edge_kind, evidence, waiver)))
        (self.waivers if waiver else self.failures).append(place)


class _Wording:
    """How one rule words a failing subject: its message template filled in, and the failure's reason."""

    __slots__ = ("message", "params", "target", "subjects")

    def __init__(self, compiled: CompiledRule, subjects: Subjects):
        self.message = compile_template(compiled.rule.message)
        self.params, self.target, self.subjects = compiled.params, compiled.target, subjects

    def word(self, view: Any, fail: Fail, evidence: tuple[str, ...]) -> tuple[str, str]:
        return self._message(view, evidence), fail.reason

    def word_at(self, key: Hashable, reason: str, evidence: tuple[str, ...]) -> tuple[str, str]:
        """`word` for the subject a worker named by its key, with the reason it worded."""
        return self._message(self.target.view_at(key, self.subjects), evidence), reason

    def _message(self, view: Any, evidence: tuple[str, ...]) -> str:
        values = self.target.template_values(view, evidence, self.subjects)
        values["param"] = self.params
        return self.message(values)


class RemoteRun(RuleRun):
    """A rule's outcomes recorded in a worker process: the passes that are only counted, by partner place, and
    every other outcome as a row of what its finding holds, its subject's key (`RuleTarget.locate`) and its
    reason (worded here, where it costs the worker's time, None for a pass). `remote()` is what the worker sends."""

    __slots__ = ("kept",)

    def __init__(self, compiled: CompiledRule, book: WaiverBook, include_passes: bool, subjects: Subjects,
                 places: Mapping[str | None, int], waivable: bool = True):
        super().__init__(compiled, book, include_passes, subjects, places, waivable)
        self.kept: list[Row] = []

    def _keep(self, view: Any, outcome: Outcome, evidence: tuple[str, ...]) -> None:
        target = self.target
        subject, name = target.subject(view)
        row = (subject, name, self.partner_of(view), target.edge_kind(view), self.place_of(view), target.locate(view))
        if outcome is True:
            self.kept.append((*row, None, False, ()))
            return
        fail: Fail = outcome  # type: ignore[assignment]
        self.kept.append((*row, fail.reason, fail.missing, evidence or fail.evidence))

    def finish(self) -> None:
        """The rows in the order `RuleRun.finish` puts findings in (they are replayed in their order)."""
        if len(self.kept) > 1:
            self.kept.sort(key=_ROW_LINK if self.target.edges else _ROW_SUBJECT)

    def remote(self) -> Remote:
        return array("q", self.passes), self.kept, self.total


def replay(run: RuleRun, remote: Remote) -> RuleRun:
    """`run` (a new `RuleRun` of the rule) given the outcomes a worker recorded (`RemoteRun.remote`), kept in the
    order the worker put them in: the same findings, in the same order, the same waivers and partner places as
    evaluating here. A finding's message is worded, from the subject its key names, when a report first reads it."""
    passes, kept, run.total = remote
    run.passes.extend(passes)
    keep_pass, keep_fail, word_at, later = run._pass, run._fail, run.word_at, Words.later
    for subject, name, partner, edge_kind, place, key, reason, missing, evidence in kept:
        if reason is None:
            keep_pass(subject, name, partner, edge_kind, place)
        else:
            keep_fail(subject, name, partner, edge_kind, place, later(word_at, key, reason, evidence), missing,
                      evidence)
    return run
