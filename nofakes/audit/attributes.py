"""Declared attributes (a pack's `attributes:` block): the types rules are compiled against, and the
supply file checked against them.

- `typed(pack)`: what the compiler needs (`nofakes.rules.fields.Typed`): in a pack that declares its
  attributes, a rule may read only declared ones, and each has its declared type.
- `check_supply(loaded, packs)`: every record's `attributes` against the selected packs'
  declarations, in one pass over the records. A value of the wrong type is an error located
  `file:line:col` (raised as an `InputError`: exit 2, like a validation error); an undeclared key
  close to a declared one is a warning naming the declared name and the pack ("attributes.bank_acount:
  did you mean bank_account (declared by sets-demo)?"); other undeclared keys are free-form, as always.
  Two selected packs declaring one attribute with different types is a `PackError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from nofakes.core.errors import Diagnostic, InputError, PackError, closest, format_path
from nofakes.core.text import count_of
from nofakes.packs.catalogue import ResolvedPack
from nofakes.packs.model import Attribute
from nofakes.rules.declared import annotation, fits, in_words
from nofakes.rules.fields import Declaration, Typed
from nofakes.rules.words import show
from nofakes.sources import formats
from nofakes.supply.loading import LoadedSupply
from nofakes.supply.model import Company, Edge, Node, Product

MODELS: dict[str, type] = {"node": Node, "edge": Edge, "product": Product, "company": Company}
NOUNS: dict[type, str] = {Node: "partners", Edge: "links", Product: "products", Company: "the company"}
CLOSE = 80  # % similarity from which an undeclared key is taken for a misspelt declared one
PER_ATTRIBUTE = 10  # values of the wrong type located per attribute; the rest are counted
NOUN = {"node": "partner", "edge": "link", "product": "product", "company": "company"}


def typed(pack: ResolvedPack) -> Typed | None:
    """The pack's declared attributes for the compiler, or None when it declares none."""
    if pack.attributes is None:
        return None
    models = {MODELS[owner]: {name: Declaration(annotation(a.type.value), a.type.value) for name, a in names.items()}
              for owner, names in pack.attributes.items()}
    return Typed(models, f"the pack {pack.name}", NOUNS)


Declared = dict[str, dict[str, tuple[Attribute, str]]]  # owner -> name -> (declaration, pack name)


def declarations(packs: Sequence[ResolvedPack]) -> Declared:
    """Every selected pack's declarations, per owner; one name declared with two types is a PackError."""
    declared: Declared = {}
    problems = []
    for pack in packs:
        for owner, names in (pack.attributes or {}).items():
            for name, attribute in names.items():
                first = declared.setdefault(owner, {}).setdefault(name, (attribute, pack.name))
                if first[0].type is not attribute.type:
                    problems.append(Diagnostic(
                        f"guideline pack {pack.id}", f"{owner} attribute {name!r} is declared as "
                        f"{attribute.type.value} here and as {first[0].type.value} by {first[1]}",
                        expected="one type per attribute across the packs audited together"))
    if problems:
        raise PackError(problems)
    return declared


def check_supply(loaded: LoadedSupply, packs: Sequence[ResolvedPack]) -> list[Diagnostic]:
    """The warnings about the supply file's attributes; raises InputError on a value of the wrong type.

    One pass over the records. A misspelt key is one warning, at its first place, with the number of
    records that have it; a declared attribute with values of the wrong type is an error at each of
    its first `PER_ATTRIBUTE` places, and one more that counts the rest.
    """
    declared = declarations(packs)
    if not declared:
        return []
    errors: list[Diagnostic] = []
    wrong: dict[tuple[str, str], int] = {}  # (owner, declared key) -> values of the wrong type
    misspelt: dict[tuple[str, str], list[Any]] = {}  # (owner, undeclared key) -> [first place, records], if close
    close: dict[tuple[str, str], str | None] = {}  # (owner, undeclared key) -> declared name it is close to
    for owner, list_name, records in _records(loaded):
        names = declared.get(owner)
        if not names:
            continue  # only the records something is declared for are read
        for index, record in enumerate(records):
            attributes = record.attributes
            if not attributes:
                continue
            for key, value in attributes.items():
                found = names.get(key)
                if found is not None:
                    attribute, pack = found
                    if value is not None and not fits(attribute.type.value, value):
                        seen = wrong[(owner, key)] = wrong.get((owner, key), 0) + 1
                        if seen <= PER_ATTRIBUTE:
                            errors.append(_located(loaded, list_name, index, key, f"attributes.{key} is "
                                                   f"{show(value)}, not {in_words(attribute.type.value)} (declared "
                                                   f"by {pack})",
                                                   expected=f"{attribute.type.value}: {attribute.description}"))
                    continue
                if (owner, key) not in close:
                    close[(owner, key)] = closest(key, names, cutoff=CLOSE)
                if close[(owner, key)] is not None:
                    misspelt.setdefault((owner, key), [(list_name, index), 0])[1] += 1
    for (owner, key), n in wrong.items():
        if n > PER_ATTRIBUTE:
            kind = declared[owner][key][0].type.value
            errors.append(Diagnostic(loaded.sources[0].display, f"attributes.{key} is not {in_words(kind)} on another "
                                     f"{count_of(n - PER_ATTRIBUTE, NOUN[owner])}", expected=kind))
    if errors:
        raise InputError(errors)
    warnings = []
    for (owner, key), ((list_name, index), n) in misspelt.items():
        name = close[(owner, key)]
        assert name is not None
        many = f" ({count_of(n, NOUN[owner])} have it; the first is here)" if n > 1 else ""
        warnings.append(_located(loaded, list_name, index, key, f"attributes.{key}: did you mean {name} (declared by "
                                 f"{declared[owner][name][1]})?{many}", level="warning"))
    return warnings


def _records(loaded: LoadedSupply) -> list[tuple[str, str, Sequence[Any]]]:
    """(owner, list name, records) of the file: the company (a list of one), its nodes, edges, products."""
    document = loaded.document
    return [("company", "company", [document.company]), ("node", "nodes", document.nodes),
            ("edge", "edges", document.edges), ("product", "products", document.products)]


def _located(loaded: LoadedSupply, list_name: str, index: int, key: str, message: str, *,
             expected: str | None = None, level: str = "error") -> Diagnostic:
    """A diagnostic at `attributes.KEY` of record `index` of `list_name`, in the file it came from."""
    loc: list[str | int]
    if list_name == "company":
        source, loc = 0, ["company", "attributes", key]
    else:
        origins = loaded.origins.get(list_name, [])
        origin = origins[index] if index < len(origins) else None
        source, local = (origin.source, origin.index) if origin is not None else (0, index)
        loc = [list_name, local, "attributes", key]
    file = loaded.sources[source]
    line, col = formats.locate(file.text, loc, key=level == "warning")
    return Diagnostic(file.display, message, path=format_path(loc), line=line, column=col, expected=expected,
                      level=level)
