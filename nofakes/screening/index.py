"""Blocking: an inverted index from keys to list entries, so a partner is scored only against the
entries that share a key with it, never against the whole list.

The keys of a name are its distinctive words (weight 1, not numbers), their first four letters
(for words of five letters or more: a typo after the fourth letter still meets its entry), the
words of each adjacent pair joined ("tao bao" -> "taobao"), all distinctive words joined, and
the label of every domain. Generic words, country words, numbers and legal forms are never
keys. A partner whose every key is missed (a typo in the first four letters of every word) is
not compared: the price of blocking, stated in the README.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from nofakes.screening.entries import Entry, Subject
from nofakes.screening.names import WORD_WEIGHT, domain_label, name_tokens
from nofakes.screening.scoring import DEFAULT_THRESHOLD, Score, score

PREFIX = 4


def name_keys(name: str) -> set[str]:
    core = [t.text for t in name_tokens(name) if t.weight == WORD_WEIGHT]
    keys = set(core)
    keys.update(f"{word[:PREFIX]}…" for word in core if len(word) > PREFIX)
    keys.update(a + b for a, b in zip(core, core[1:], strict=False))
    if len(core) > 1:
        keys.add("".join(core))
    return keys


def entry_keys(entry: Entry) -> set[str]:
    keys: set[str] = set()
    for name in (entry.name, *entry.aliases):
        keys |= name_keys(name)
    keys.update(domain_label(d) for d in entry.domains)
    return keys


def subject_keys(subject: Subject) -> set[str]:
    keys: set[str] = set()
    for name in (subject.name, *subject.aliases):
        keys |= name_keys(name)
    keys.update(domain_label(d) for d in subject.domains)
    return keys


@dataclass(frozen=True, slots=True)
class Match:
    subject: Subject
    entry: Entry
    score: Score


@dataclass
class ScreeningIndex:
    entries: tuple[Entry, ...]
    postings: dict[str, list[int]] = field(default_factory=dict)
    compared: int = 0  # pairs scored so far (the benchmark reports it)

    @classmethod
    def build(cls, entries: Iterable[Entry]) -> ScreeningIndex:
        chosen = tuple(entries)
        postings: dict[str, list[int]] = defaultdict(list)
        for number, entry in enumerate(chosen):
            for key in entry_keys(entry):
                postings[key].append(number)
        return cls(chosen, dict(postings))

    def candidates(self, subject: Subject) -> list[Entry]:
        numbers: set[int] = set()
        for key in subject_keys(subject):
            numbers.update(self.postings.get(key, ()))
        return [self.entries[n] for n in sorted(numbers)]

    def matches(self, subject: Subject, threshold: float = DEFAULT_THRESHOLD) -> list[Match]:
        """The entries that score at least `threshold` against the subject, best first."""
        found = []
        for entry in self.candidates(subject):
            self.compared += 1
            result = score(entry, subject, threshold)
            if result.value >= threshold:
                found.append(Match(subject, entry, result))
        found.sort(key=lambda m: (-m.score.value, m.entry.name))
        return found


def screen(subjects: Iterable[Subject], entries: Iterable[Entry],
           threshold: float = DEFAULT_THRESHOLD) -> Iterator[Match]:
    """Every match of every subject, subjects in the order given."""
    index = ScreeningIndex.build(entries)
    for subject in subjects:
        yield from index.matches(subject, threshold)
