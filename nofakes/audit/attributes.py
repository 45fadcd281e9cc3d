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

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from nofakes.core.errors import Diagnostic, InputError, PackError, closest, format_path
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
    """The warnings about the supply file's attributes; raises InputError on a value of the wrong type."""
    declared = declarations(packs)
    if not declared:
        return []
    errors: list[Diagnostic] = []
    warnings: list[Diagnostic] = []
    close: dict[tuple[str, str], str | None] = {}  # (owner, undeclared key) -> declared name it is close to
    for owner, source, loc, attributes in _records(loaded):
        names = declared.get(owner)
        if not names or not attributes:
            continue
        for key, value in attributes.items():
            if key in names:
                attribute, pack = names[key]
                if value is not None and not fits(attribute.type.value, value):
                    errors.append(_located(loaded, source, [*loc, key], f"attributes.{key} is {show(value)}, not "
                                           f"{in_words(attribute.type.value)} (declared by {pack})",
                                           expected=f"{attribute.type.value}: {attribute.description}"))
                continue
            if (owner, key) not in close:
                close[(owner, key)] = closest(key, names, cutoff=CLOSE)
            name = close[(owner, key)]
            if name is not None:
                warnings.append(_located(loaded, source, [*loc, key], f"attributes.{key}: did you mean {name} "
                                         f"(declared by {names[name][1]})?", level="warning", key=True))
    if errors:
        raise InputError(errors)
    return warnings


def _records(loaded: LoadedSupply) -> Iterator[tuple[str, int, list[str | int], Mapping[str, Any]]]:
    """(owner, source index, location of its attributes, attributes) of every record of the file."""
    document = loaded.document
    yield "company", 0, ["company", "attributes"], document.company.attributes
    lists: tuple[tuple[str, str, Sequence[Any]], ...] = (
        ("nodes", "node", document.nodes), ("edges", "edge", document.edges),
        ("products", "product", document.products))
    for name, owner, records in lists:
        origins = loaded.origins.get(name, [])
        for i, record in enumerate(records):
            origin = origins[i] if i < len(origins) else None
            source, index = (origin.source, origin.index) if origin is not None else (0, i)
            yield owner, source, [name, index, "attributes"], record.attributes


def _located(loaded: LoadedSupply, source: int, loc: list[str | int], message: str, *, expected: str | None = None,
             level: str = "error", key: bool = False) -> Diagnostic:
    file = loaded.sources[source]
    line, col = formats.locate(file.text, loc, key=key)
    return Diagnostic(file.display, message, path=format_path(loc), line=line, column=col, expected=expected,
                      level=level)
