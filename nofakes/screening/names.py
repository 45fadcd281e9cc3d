"""Names and domains as screening compares them: weighted tokens, without the noise of legal forms.

`name_tokens("Taobao (China) Software Co., Ltd.")` gives `taobao` (weight 1), `china` and
`software` (weight 0.2: a country word and a generic business word), and nothing for "Co., Ltd."
(a legal form). The steps, in order:

1. a domain written inside a name ("DHGATE.COM LIMITED") becomes its label ("dhgate");
2. case is folded, Cyrillic and Greek letters are transliterated (a small built-in table),
   accents are dropped, and punctuation separates words ("S.A." -> "s a");
3. runs of single letters join ("s a" -> "sa", "b v" -> "bv"), so that dotted abbreviations fold;
4. legal forms are removed ("co ltd", "gmbh", "limited", "llc", "sa", "pvt ltd", "ooo", ...), whole
   words only, unless the name has no other word;
5. every other word is weighted: numbers 2 (they must match exactly, so "Fund 1" is not "Fund 2"),
   generic business and country words 0.2, the rest 1.

Word order does not matter: a name is compared as a set of tokens (nofakes.screening.scoring).
Chinese, Japanese, Korean and Arabic script are not transliterated (see README: Screening).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

NUMBER_WEIGHT = 2.0
GENERIC_WEIGHT = 0.2
WORD_WEIGHT = 1.0

_CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
                     ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r",
                      "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "i", "yi",
                      "ye", "g"], strict=True))
_GREEK = dict(zip("αβγδεζηθικλμνξοπρσςτυφχψω",
                  ["a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x", "o", "p", "r", "s", "s",
                   "t", "y", "f", "ch", "ps", "o"], strict=True))
TRANSLITERATION = str.maketrans({**_CYRILLIC, **_GREEK})

# legal forms, folded and with single letters joined (so "S.A." is "sa", "Co., Ltd." is "co ltd")
LEGAL_FORMS = frozenset({
    "ab", "ag", "aps", "as", "asa", "bhd", "bv", "bvba", "co", "company", "corp", "corporation", "cv", "eirl",
    "eurl", "gbr", "gmbh", "gmbhcokg", "inc", "incorporated", "jsc", "kg", "kft", "kk", "limited", "llc", "llp",
    "lp", "ltd", "ltda", "mbh", "nv", "oao", "ohg", "ooo", "oy", "oyj", "pao", "plc", "pt", "pte", "pty", "pvt",
    "private", "sa", "sab", "sac", "sae", "sarl", "sas", "sdn", "se", "spa", "sl", "sp", "srl", "sro", "tbk", "ug",
    "zao", "zoo",
})
# words that say what kind of business a name is, not which one
GENERIC_WORDS = frozenset({
    "and", "bazaar", "business", "center", "commerce", "commercial", "ecommerce", "electronic",
    "electronics", "enterprise", "enterprises", "export", "exports", "global", "group", "holding", "holdings",
    "import", "imports", "industrial", "industries", "industry", "information", "international", "logistics",
    "mall", "manufacturing", "market", "marketplace", "markets", "network", "of", "online", "platform", "road",
    "sales", "service", "services", "shop", "shopping", "software", "store", "street", "supplies", "supply",
    "systems", "technologies", "technology", "the", "trade", "trading", "web", "wholesale", "world",
})
COUNTRY_WORDS = frozenset({
    "america", "argentina", "asia", "brazil", "brasil", "cambodia", "canada", "china", "chinese", "deutschland",
    "ecuador", "europe", "european", "france", "germany", "hk", "hong", "hongkong", "india", "indonesia", "italia",
    "italy", "japan", "kong", "korea", "malaysia", "mexico", "paraguay", "peru", "philippines", "russia",
    "shenzhen", "singapore", "spain", "thailand", "turkey", "uae", "uk", "ukraine", "usa", "vietnam",
})
# words in other languages (or spellings) for a generic word, read as that word
SAME_WORD = {"rynok": "market", "markt": "market", "marche": "market", "bazar": "bazaar", "centre": "center"}
# top-level and second-level domain labels that are not part of a business's name
_TLD = r"(?:com|net|org|biz|info|shop|store|online|io|co|cn|hk|in|id|my|ph|sg|th|tw|vn|br|ar|mx|ru|ua|tr|de|uk|fr|es" \
       r"|it|nl|ca|au|jp|kr|sa|ae)"
_DOMAIN_IN_TEXT = re.compile(rf"\b(?:https?://)?(?:www\.)?([a-z0-9][a-z0-9-]*)(?:\.{_TLD})+\b(?:/\S*)?", re.I)
# a domain in a text has a dot followed by a letter (its ending): a text without one has none (the same flags)
_DOT_LETTER = re.compile(r"\.[a-z]", re.I)
_SECOND_LEVEL = frozenset({"com", "co", "net", "org", "gov", "edu", "ac"})


class Token(NamedTuple):
    """A word of a name with its weight (a tuple: names make hundreds of thousands of them)."""

    text: str
    weight: float
    number: bool = False


_ASCII_OTHER = re.compile(r"[^a-z0-9]+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Case, accents, Cyrillic and Greek letters and punctuation folded: 'ООО «Ромашка»' -> 'ooo romashka'."""
    if text.isascii():  # the same result, without the per-character work
        return " ".join(_ASCII_OTHER.sub(" ", text.lower()).split())
    lowered = unicodedata.normalize("NFKD", text.casefold()).translate(TRANSLITERATION)
    letters = "".join(c if c.isalnum() else " " for c in lowered if not unicodedata.combining(c))
    return " ".join(letters.split())


def _words(text: str) -> list[str]:
    """Folded words, with domains reduced to their label and runs of single letters joined."""
    if "." in text and _DOT_LETTER.search(text):  # a domain has a dot, then its ending
        text = _DOMAIN_IN_TEXT.sub(lambda m: f" {m.group(1)} ", text)
    text = text.replace("&", " and ")
    # an ASCII text's folded words are its runs of letters and digits, lowercased (`fold`, without the joins)
    folded = _ASCII_WORD.findall(text.lower()) if text.isascii() else fold(text).split()
    words: list[str] = []
    run = ""
    for word in folded:
        if len(word) == 1 and word.isalpha():
            run += word
            continue
        if run:
            words.append(run)
            run = ""
        words.append(word)
    if run:
        words.append(run)
    return words


def weight_of(word: str) -> float:
    if word.isdigit():
        return NUMBER_WEIGHT
    if word in GENERIC_WORDS or word in COUNTRY_WORDS:
        return GENERIC_WEIGHT
    return WORD_WEIGHT


@lru_cache(maxsize=65536)
def name_tokens(name: str) -> tuple[Token, ...]:
    """The weighted tokens of a name, legal forms removed (unless nothing else is left)."""
    words = _words(name)
    kept = [SAME_WORD.get(w, w) for w in words if w not in LEGAL_FORMS] or words
    return tuple(map(_token, kept))


@lru_cache(maxsize=1 << 17)
def _token(word: str) -> Token:
    """Names share their words: each word's token made once."""
    return Token(word, weight_of(word), word.isdigit())


def registrable_domain(text: str) -> str | None:
    """'www.DHgate.com/store/123' -> 'dhgate.com'; 'https://shop.example.co.uk/x' -> 'example.co.uk';
    None when the text is not a domain or a URL."""
    value = text.strip().casefold()
    value = re.sub(r"^[a-z][a-z0-9+.-]*://", "", value)
    host = re.split(r"[/?#:]", value, maxsplit=1)[0].strip(".")
    labels = host.split(".")
    if len(labels) < 2 or not all(re.fullmatch(r"[a-z0-9-]+", label) for label in labels):
        return None
    if not re.fullmatch(r"[a-z]{2,}", labels[-1]):
        return None
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def web_address(name: str) -> str | None:
    """The registrable domain of a name that is a web address with a common ending
    ('www.DHgate.com/store/123', 'taobao.com'); None for other names ('Acme.Ltd', 'Acme')."""
    text = name.strip()
    if " " in text:  # a web address has no space: most names are answered without the pattern
        return None
    return registrable_domain(text) if _DOMAIN_IN_TEXT.fullmatch(text) else None


def domain_label(domain: str) -> str:
    """The label that names the business: 'dhgate.com' -> 'dhgate', 'example.co.uk' -> 'example'."""
    labels = domain.split(".")
    return labels[-3] if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL else labels[-2]
