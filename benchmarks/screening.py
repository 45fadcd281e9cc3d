#!/usr/bin/env python3
"""Screening speed: N synthetic partner names against a synthetic list of M entries, with blocking.

    python benchmarks/screening.py                       # 100,000 names against 10,000 entries
    python benchmarks/screening.py --names 10000 --entries 1000

Names are made of invented words (two to four syllables) so that the keys spread as real
company names do; a few generic words and legal forms are mixed in, and 1 % of the partners are
variants of list entries (words reordered, legal form added, upper case, one letter changed
after the fourth). Prints the seconds (wall clock, and CPU time of this process) to build the
index and to screen, the pairs scored against the pairs a full comparison would score, and the
planted variants found.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nofakes.screening.entries import WATCHLIST, Entry, Subject  # noqa: E402
from nofakes.screening.index import ScreeningIndex  # noqa: E402

SYLLABLES = ("ka", "lo", "mi", "ren", "to", "shi", "van", "dor", "pel", "qui", "zan", "bo", "tri", "nex", "sul",
             "mar", "fen", "gor", "hal", "jin", "lux", "ost", "pra", "ver", "wen", "yul", "cor", "del", "ix", "um",
             "ba", "ce", "di", "fu", "ga", "he", "ju", "ke", "li", "mo", "nu", "pa", "ro", "sa", "te", "vi", "xa",
             "yo", "ze", "an", "el", "in", "or", "us", "ash", "ben", "cal", "dun", "eft", "gil")
GENERIC = ("Trading", "Electronics", "Industrial", "Group", "Global", "Supply", "Technology", "International")
LEGAL = ("Co., Ltd.", "GmbH", "Limited", "LLC", "S.A.", "Pvt. Ltd.", "Inc.", "B.V.")
COUNTRIES = ("CN", "HK", "DE", "US", "IN", "VN", "TR", "MX", "BR", "FR")


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def company(rng: random.Random) -> str:
    parts = [word(rng) for _ in range(rng.randint(1, 2))]
    if rng.random() < 0.5:
        parts.append(rng.choice(GENERIC))
    if rng.random() < 0.7:
        parts.append(rng.choice(LEGAL))
    return " ".join(parts)


def variant(rng: random.Random, name: str) -> str:
    words = name.split()
    rng.shuffle(words)
    text = " ".join(words) + " " + rng.choice(LEGAL)
    longest = max(range(len(text.split())), key=lambda i: len(text.split()[i]))
    parts = text.split()
    if len(parts[longest]) > 6:
        w = parts[longest]
        parts[longest] = w[:5] + ("x" if w[5] != "x" else "y") + w[6:]
    return " ".join(parts).upper()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--names", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    entries = [Entry(id=str(i), name=company(rng), kind=WATCHLIST, list_name="synthetic",
                     country=rng.choice(COUNTRIES)) for i in range(args.entries)]
    planted: dict[str, str] = {}
    subjects = []
    for i in range(args.names):
        if i % 100 == 0:
            target = rng.choice(entries)
            planted[f"p{i}"] = target.id
            subjects.append(Subject(f"p{i}", variant(rng, target.name), target.country))
        else:
            subjects.append(Subject(f"p{i}", company(rng), rng.choice(COUNTRIES)))
    start, cpu_start = time.perf_counter(), time.process_time()
    index = ScreeningIndex.build(entries)
    built = time.perf_counter()
    found = [m for s in subjects for m in index.matches(s)]
    done, cpu_done = time.perf_counter(), time.process_time()
    hits = {(m.subject.id, m.entry.id) for m in found}
    recovered = sum(1 for pid, eid in planted.items() if (pid, eid) in hits)
    print(f"{args.names:,} names x {args.entries:,} entries: index {built - start:.2f} s, "
          f"screening {done - built:.2f} s ({(done - built) / args.names * 1e6:.0f} us a name); "
          f"CPU time of both {cpu_done - cpu_start:.2f} s (the machine is shared: wall time includes waiting)")
    print(f"pairs scored {index.compared:,} of {args.names * args.entries:,} "
          f"({index.compared / (args.names * args.entries):.4%}); {index.compared / args.names:.1f} a name")
    print(f"matches {len(found):,}; planted variants found {recovered:,} of {len(planted):,}")


if __name__ == "__main__":
    main()
