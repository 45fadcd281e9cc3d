"""How alike a partner and a list entry are: a score from 0 to 1 and the fields that matched.

- **Names** (and aliases, on either side) are compared as sets of weighted tokens
  (nofakes.screening.names), so word order does not count. Each entry token takes its best
  counterpart among the partner's tokens: 1 when equal, the rapidfuzz ratio when that is at
  least 0.8 and both words have 4 letters or more, else 0; numbers only ever match equal numbers.
  `covered(entry)` is the weighted share of the entry's tokens found, `covered(partner)` the
  same the other way; the name score is `0.8 * covered(entry) + 0.2 * covered(partner)`, so
  extra generic words on the partner's side ("Trading", "Co., Ltd.") cost little. Names
  written together or apart ("Tao Bao" / "Taobao") are also compared with their
  distinctive words joined, and the better of the two readings counts.
- **Domains**: the same registrable domain scores 1; the same name under another ending
  (dhgate.co.uk for dhgate.com) 0.95, unless the entry lists its domains as exact.
- **Country**: when both sides name a country and they differ, the score drops by 0.2 for
  physical markets and watch-list entries, by 0.05 for online markets (whose sellers and
  local operating companies are anywhere); equal countries are reported as a matched field.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from nofakes.screening.entries import ONLINE, Entry, Subject
from nofakes.screening.names import GENERIC_WEIGHT, Token, domain_label, name_tokens

TOKEN_FLOOR = 0.8  # a fuzzy token match below this counts for nothing
SHORT_WORD = 4  # shorter words match only when equal
JOINED_FLOOR = 0.92
ENTRY_SIDE = 0.8
LABEL_DOMAIN_SCORE = 0.95
COUNTRY_PENALTY = 0.2
ONLINE_COUNTRY_PENALTY = 0.05
DEFAULT_THRESHOLD = 0.85


@dataclass(frozen=True, slots=True)
class Score:
    value: float
    fields: tuple[str, ...]  # of "name", "alias", "domain", "country"
    partner_text: str  # the partner's name, alias or domain that matched
    entry_text: str  # the entry's name, alias or domain it matched


def token_similarity(a: Token, b: Token) -> float:
    if a.text == b.text:
        return 1.0
    if a.number or b.number:
        return 0.0
    return word_similarity(a.text, b.text)


@lru_cache(maxsize=1 << 20)  # a list and a partner file repeat their words
def word_similarity(a: str, b: str) -> float:
    """Two words' similarity (rapidfuzz ratio, 0-1), 0 below `TOKEN_FLOOR` or for a word under `SHORT_WORD`
    letters (numbers are compared by `token_similarity`)."""
    if min(len(a), len(b)) < SHORT_WORD:
        return 0.0
    ratio = fuzz.ratio(a, b) / 100
    return ratio if ratio >= TOKEN_FLOOR else 0.0


@dataclass(frozen=True, slots=True)
class NameForm:
    """A name's tokens with what every comparison of it needs, computed once."""

    tokens: tuple[Token, ...]
    mass: float
    core_mass: float  # of the distinctive words and numbers
    core_text: str  # the distinctive words and numbers, joined
    core_count: int
    numbers: frozenset[str]


@lru_cache(maxsize=1 << 17)
def name_form(name: str) -> NameForm:
    tokens = name_tokens(name)
    core = [t for t in tokens if t.weight != GENERIC_WEIGHT]
    return NameForm(tokens, sum(t.weight for t in tokens), sum(t.weight for t in core),
                    "".join(t.text for t in core), len(core), frozenset(t.text for t in core if t.number))


def name_similarity(entry: NameForm, partner: NameForm) -> float:
    if not entry.tokens or not partner.tokens:
        return 0.0
    best_entry = [0.0] * len(entry.tokens)  # each entry token's best counterpart, and the other way round
    best_partner = [0.0] * len(partner.tokens)
    for i, a in enumerate(entry.tokens):
        for j, b in enumerate(partner.tokens):
            value = token_similarity(a, b)
            if value > best_entry[i]:
                best_entry[i] = value
            if value > best_partner[j]:
                best_partner[j] = value
    plain = ENTRY_SIDE * _share(entry, best_entry) + (1 - ENTRY_SIDE) * _share(partner, best_partner)
    if (not entry.core_count or not partner.core_count or entry.numbers != partner.numbers
            or entry.core_count == partner.core_count == 1):
        return plain
    ratio = joined_similarity(entry.core_text, partner.core_text)
    if ratio < JOINED_FLOOR:
        return plain
    joined = ENTRY_SIDE * _share(entry, best_entry, ratio) + (1 - ENTRY_SIDE) * _share(partner, best_partner, ratio)
    return max(plain, joined)


def joined_similarity(a: str, b: str) -> float:
    """Two names' distinctive words, each joined, compared as one word (0-1)."""
    return fuzz.ratio(a, b) / 100


def _share(form: NameForm, best: list[float], joined: float | None = None) -> float:
    """Weighted share of the form's tokens found on the other side; with `joined`, its distinctive
    words count as one word found with that similarity (names written together or apart)."""
    if joined is None:
        return sum(t.weight * b for t, b in zip(form.tokens, best, strict=True)) / form.mass
    generic = sum(t.weight * b for t, b in zip(form.tokens, best, strict=True) if t.weight == GENERIC_WEIGHT)
    return (form.core_mass * joined + generic) / form.mass


def domain_similarity(entry: Entry, domain: str) -> tuple[float, str]:
    best, text = 0.0, ""
    for own in entry.domains:
        if own == domain:
            return 1.0, own
        if not entry.exact_domains and domain_label(own) == domain_label(domain) and best < LABEL_DOMAIN_SCORE:
            best, text = LABEL_DOMAIN_SCORE, own
    return best, text


def score(entry: Entry, subject: Subject, threshold: float = DEFAULT_THRESHOLD) -> Score:
    """The best of the name, alias and domain comparisons, adjusted by the country check. The
    fields named are the best one and every other that reaches `threshold` on its own."""
    found: dict[str, tuple[float, str, str]] = {}  # field -> (value, partner text, entry text)

    def keep(field: str, value: float, partner_text: str, entry_text: str) -> None:
        if value > found.get(field, (0.0, "", ""))[0]:
            found[field] = (value, partner_text, entry_text)

    entry_names = [(entry.name, "name")] + [(alias, "alias") for alias in entry.aliases]
    subject_names = [(subject.name, "name")] + [(alias, "alias") for alias in subject.aliases]
    for partner_text, partner_field in subject_names:
        partner_form = name_form(partner_text)
        for entry_text, entry_field in entry_names:
            field = "name" if partner_field == entry_field == "name" else "alias"
            keep(field, name_similarity(name_form(entry_text), partner_form), partner_text, entry_text)
    for domain in subject.domains:
        value, own = domain_similarity(entry, domain)
        keep("domain", value, domain, own)
    if not found:
        return Score(0.0, (), "", "")
    order = ("domain", "name", "alias")  # on a tie, the most specific evidence first
    best = max(order, key=lambda f: found.get(f, (0.0,))[0])
    value, partner_text, entry_text = found[best]
    fields = (best, *(f for f in order if f != best and f in found and found[f][0] >= threshold))
    if entry.country and subject.country:
        if entry.country == subject.country:
            fields += ("country",)
        else:
            value -= ONLINE_COUNTRY_PENALTY if entry.kind == ONLINE else COUNTRY_PENALTY
    return Score(round(max(0.0, min(1.0, value)), 3), fields, partner_text, entry_text)
