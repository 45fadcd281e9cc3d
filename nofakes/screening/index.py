"""Blocking: an inverted index from keys to list entries, so a partner is scored only against the
entries that share a key with it, never against the whole list.

The keys of a name are its distinctive words (weight 1, not numbers), their first four letters
(for words of five letters or more: a typo after the fourth letter still meets its entry), the
words of each adjacent pair joined ("tao bao" -> "taobao"), all distinctive words joined, and
the label of every domain. Generic words, country words, numbers and legal forms are never
keys. A partner whose every key is missed (a typo in the first four letters of every word) is
not compared: the price of blocking, stated in the README.

A first four letters shared by two words that are not alike ("kalomi", "kalodor") is no reason
to compare the names: an entry met only through such prefixes is a candidate only when two of
the words sharing a prefix are at least `TOKEN_FLOOR` similar (the least that counts in a score),
or when the names' distinctive words, joined, are at least `JOINED_FLOOR` similar (the reading of
names written together or apart). Most prefixes are shared by chance: this scores about one
candidate in six, and finds the same matches at the default threshold (benchmarks/screening.py).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from nofakes.screening.entries import Entry, Subject
from nofakes.screening.names import WORD_WEIGHT, domain_label, name_tokens
from nofakes.screening.scoring import (
    DEFAULT_THRESHOLD,
    JOINED_FLOOR,
    Score,
    joined_similarity,
    name_form,
    score,
    word_similarity,
)

PREFIX = 4
# two texts whose similarity (2 x matching characters / total length) reaches JOINED_FLOOR differ in
# length by at most this factor
_JOINED_LENGTH = JOINED_FLOOR / (2 - JOINED_FLOOR)


def _core(name: str) -> list[str]:
    return [t.text for t in name_tokens(name) if t.weight == WORD_WEIGHT]


def _exact_keys(core: list[str]) -> set[str]:
    keys = set(core)
    keys.update(a + b for a, b in zip(core, core[1:], strict=False))
    if len(core) > 1:
        keys.add("".join(core))
    return keys


def name_keys(name: str) -> set[str]:
    """The exact keys of a name (its prefixes are `prefixed_words`)."""
    return _exact_keys(_core(name))


def prefixed_words(name: str) -> set[tuple[str, str]]:
    """(first four letters, word) of the distinctive words longer than four letters."""
    return {(word[:PREFIX], word) for word in _core(name) if len(word) > PREFIX}


def _names(record: Entry | Subject) -> tuple[str, ...]:
    return (record.name, *record.aliases)


def entry_keys(entry: Entry) -> set[str]:
    keys: set[str] = set()
    for name in _names(entry):
        keys |= name_keys(name)
    keys.update(domain_label(d) for d in entry.domains)
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
    prefixes: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # prefix -> (entry, its word)
    joined: list[tuple[str, ...]] = field(default_factory=list)  # per entry: each name's distinctive words joined
    by_length: dict[str, tuple[list[int], list[int]]] = field(default_factory=dict)  # prefix -> lengths, entries
    compared: int = 0  # pairs scored so far (the benchmark reports it)
    # every beginning of every key: a name none of whose words is one (nor has a listed prefix) has no candidate
    starts: frozenset[str] = field(init=False, repr=False)
    _alike: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False)  # word -> entries, see candidates

    @classmethod
    def build(cls, entries: Iterable[Entry]) -> ScreeningIndex:
        chosen = tuple(entries)
        postings: dict[str, list[int]] = defaultdict(list)
        prefixes: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for number, entry in enumerate(chosen):
            for key in entry_keys(entry):
                postings[key].append(number)
            for prefix, word in {pair for name in _names(entry) for pair in prefixed_words(name)}:
                prefixes[prefix].append((number, word))
        joined = [tuple(name_form(name).core_text for name in _names(entry)) for entry in chosen]
        by_length: dict[str, tuple[list[int], list[int]]] = {}
        for prefix, sharing in prefixes.items():
            pairs = sorted((len(own), number) for number, _word in sharing for own in joined[number])
            by_length[prefix] = ([length for length, _ in pairs], [number for _, number in pairs])
        return cls(chosen, dict(postings), dict(prefixes), joined, by_length)

    def __post_init__(self) -> None:
        self.starts = frozenset(key[:end] for key in self.postings for end in range(1, len(key) + 1))

    def candidates(self, subject: Subject) -> list[Entry]:
        """The entries that share a key with the subject (see the module's docstring)."""
        numbers: set[int] = set()
        postings, prefixes, by_length, joined_of, alike = (self.postings, self.prefixes, self.by_length,
                                                           self.joined, self._alike)
        for domain in subject.domains:
            numbers.update(postings.get(domain_label(domain), ()))
        starts = self.starts
        for name in _names(subject):
            core = _core(name)
            # the words with a listed prefix; without one, a name meets an entry only through its keys, and a key
            # (a word, two adjacent words joined, all joined) begins with a word that begins some key of the list
            prefixed = [(word, sharing) for word in core if len(word) > PREFIX
                        and (sharing := prefixes.get(word[:PREFIX])) is not None]
            if prefixed or any(word in starts for word in core):
                for key in _exact_keys(core):
                    numbers.update(postings.get(key, ()))
            joined: str | None = None
            for word, sharing in prefixed:
                similar = alike.get(word)
                if similar is None:  # names repeat their words: once per word
                    similar = alike[word] = tuple(n for n, other in sharing if word_similarity(word, other) > 0)
                numbers.update(similar)
                if joined is None:
                    joined = name_form(name).core_text
                lengths, by = by_length[word[:PREFIX]]  # the entries sharing the prefix, by joined length
                low, high = len(joined) * _JOINED_LENGTH, len(joined) / _JOINED_LENGTH
                for at in range(bisect_left(lengths, low), bisect_right(lengths, high)):
                    number = by[at]
                    if number not in numbers and any(joined_similarity(joined, own) >= JOINED_FLOOR
                                                     for own in joined_of[number]):
                        numbers.add(number)
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
