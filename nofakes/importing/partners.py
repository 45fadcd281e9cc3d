"""The partners of an import: their ids, finding them by id or name, the company, and the flows between them.

- **Ids**: an id column's values (made valid: other characters become '-'); without one,
  or where it is blank, an id made from the name ('Shenzhen PCB Co.' -> 'shenzhen-pcb-co'),
  with '-2', '-3' for a name that repeats. One id twice is a duplicate partner, and so is
  one name twice in one country when there is no id column.
- **References** (`supplies_to`, `from`, `to`, `authorization.granted_by`): a partner's id,
  else its name (folded), else the company. A name two partners share is ambiguous.
- **The company** (who runs the audit): `--company`, else the mapping's `company:`, else the
  one partner whose role is brand_owner. It is a partner too (so tiers count from it).
"""

from __future__ import annotations

from typing import Any

from nofakes.core.errors import Diagnostic, InputError, did_you_mean
from nofakes.core.text import folded
from nofakes.importing.fields import PARTNER_REFS
from nofakes.importing.mapping import Mapping
from nofakes.importing.rows import DEFAULT_KIND, Record
from nofakes.importing.values import slug
from nofakes.sources.tables import Row, Table

MAX_HINTS = 100  # "did you mean" for the first unknown partner names only


class Partners:
    """Partner ids, lookups by id and name, the company, and the flows between them."""

    def __init__(self, records: list[Record], table: Table):
        self.records, self.table = records, table
        self.added_company: dict[str, Any] | None = None
        self._folded_ids: dict[str, Record] | None = None
        self.by_id: dict[str, Record] = {}
        self.by_name: dict[str, list[Record]] = {}
        self._hints_left = MAX_HINTS
        used = {str(r.data["id"]) for r in records if "id" in r.data}
        first_of: dict[tuple[str, Any], Record] = {}
        for record in records:
            data = record.data
            if "id" in data:
                ident = data["id"]
                if ident in self.by_id:
                    first = self.by_id[ident].row.number
                    record.problems.append(self._at(record, "id", f"duplicate partner: the id {ident!r} is also on "
                                                    f"row {first}", "one row per partner, each with its own id"))
                    continue
            else:
                name = str(data.get("name", ""))
                same = first_of.get((folded(name), data.get("country")))
                if same is not None and name:
                    record.problems.append(self._at(record, "name", f"duplicate partner: row {same.row.number} has "
                                                    "the same name and country", "one row per partner",
                                                    "give the partners an id column if they are different partners"))
                    continue
                first_of[(folded(name), data.get("country"))] = record
                ident = self._new_id(slug(name) or f"partner-{record.row.number}", used)
                data["id"] = ident
            self.by_id[ident] = record
            if "name" not in data and "name" not in record.fed:
                data["name"] = ident  # a list of ids without names: the id names the partner
            if "name" in data:  # else the row has no name: a problem the model check reports
                self.by_name.setdefault(folded(str(data["name"])), []).append(record)

    def by_folded_id(self) -> dict[str, Record]:
        """Partners by their id as compared folded ('Beta-2' finds 'beta-2'), built on first use."""
        if self._folded_ids is None:
            self._folded_ids = {}
            for ident, record in self.by_id.items():
                self._folded_ids.setdefault(folded(ident), record)
        return self._folded_ids

    @staticmethod
    def _new_id(base: str, used: set[str]) -> str:
        ident, n = base, 1
        while ident in used:
            n += 1
            ident = f"{base}-{n}"
        used.add(ident)
        return ident

    def _at(self, record: Record, field_name: str, message: str, expected: str, hint: str | None = None) -> Diagnostic:
        return record.table.diagnostic(record.row.number, record.fed.get(field_name), message, expected=expected,
                                       hint=hint)

    def company(self, wanted: str | None, mapping: Mapping) -> dict[str, Any]:
        given = dict(mapping.company)
        name = wanted or given.get("name")
        if name is None:
            owners = [r for r in self.records if r.data.get("role") == "brand_owner" and not r.problems]
            if len(owners) != 1:
                unread = any(r.data.get("role") == "brand_owner" and r.problems for r in self.records)
                found = (", ".join(str(r.data["name"]) for r in owners) if owners
                         else "none whose row could be read" if unread else "none")
                raise InputError([Diagnostic(self.table.file, f"which partner runs the audit? brand owners: {found}",
                                             expected="one partner with role brand_owner, or --company NAME",
                                             hint="give --company \"Your Company Ltd.\" (or company: in the mapping)")])
            data = owners[0].data
        else:
            match = self.find(name)
            if not isinstance(match, Record) and given.get("id") in self.by_id:
                match = self.by_id[given["id"]]
            if isinstance(match, Record):
                data = match.data
            else:
                ident = given.get("id") or self._new_id(slug(name) or "company", set(self.by_id))
                data = {"id": ident, "name": name, "role": "brand_owner"}
                if given.get("country"):
                    data["country"] = given["country"]
                self.added_company = data
                added = Record(self.table, Row(0, ()), data)
                self.by_id[ident] = added
                self._folded_ids = None
                self.by_name.setdefault(folded(name), []).append(added)
        return {k: data[k] for k in ("id", "name", "country") if k in data}

    def find(self, name: str) -> Record | str:
        """The partner a reference names, or why none does."""
        if name in self.by_id:
            return self.by_id[name]
        named = self.by_name.get(folded(name), [])
        if len(named) == 1:
            return named[0]
        if not named and (same := self.by_folded_id().get(folded(name))) is not None:
            return same
        if named:
            rows = " and ".join(str(r.row.number) for r in named)
            return f"{name!r} is ambiguous: partners on rows {rows} have that name"
        hint = None
        if self._hints_left > 0:  # 5 ms each against 100k names: a wrong column must not cost minutes
            self._hints_left -= 1
            hint = did_you_mean(name, [str(r.data["name"]) for rs in self.by_name.values() for r in rs])
        return f"no partner is named {name!r}" + (f"; {hint}" if hint else "")

    def resolve(self, record: Record, field_name: str) -> list[Record]:
        """The partners a reference cell names; a problem on `record` for each name that names none."""
        column, names = record.refs.get(field_name, (None, []))
        found_all = []
        for name in names:
            found = self.find(name)
            if isinstance(found, str):
                record.problems.append(record.table.diagnostic(record.row.number, column, found,
                                                               expected="a partner's id or name"))
            else:
                found_all.append(found)
        return found_all

    def edges(self, records: list[Record], flows: list[Record]) -> tuple[list[dict[str, Any]], list[Diagnostic]]:
        """The flows, and a warning for each flow (or grantor) left out because its partner's row was.

        First every row's own problems (references that name nobody, a partner supplying itself, a
        flow given twice), which do not depend on other rows; then the flows whose rows and ends are fine.
        """
        planned: list[tuple[Record, Record, Record, dict[str, Any], int | None]] = []
        seen: dict[tuple[str, str, str], str] = {}
        granted: dict[int, Record] = {}

        def plan(record: Record, source: Record, target: Record, data: dict[str, Any], column: int | None) -> None:
            kind = data.setdefault("kind", DEFAULT_KIND)
            if source is target:
                record.problems.append(record.table.diagnostic(record.row.number, column, "a partner cannot supply "
                                                               "itself", expected="a flow between two partners"))
                return
            key = (str(source.data["id"]), str(target.data["id"]), kind)
            if key in seen:
                record.problems.append(record.table.diagnostic(
                    record.row.number, column, f"the flow {key[0]} -> {key[1]} ({kind}) is also on {seen[key]}",
                    expected="one flow per pair of partners and kind"))
                return
            seen[key] = record.table.source_row(record.row.number)
            planned.append((record, source, target, data, column))

        for record in records:
            grantors = self.resolve(record, "authorization.granted_by")
            if grantors:
                granted[id(record)] = grantors[0]
            column = record.refs.get(PARTNER_REFS, (None, []))[0]
            targets = self.resolve(record, PARTNER_REFS)
            if "id" not in record.data:  # a duplicate partner: its flows go with it
                continue
            for target in targets:
                plan(record, record, target, {"attributes": {"source_row": record.data["attributes"]["source_row"]}},
                     column)
        for record in flows:
            sources, targets = self.resolve(record, "from"), self.resolve(record, "to")
            if len(sources) == 1 and len(targets) == 1:
                plan(record, sources[0], targets[0], record.data, record.refs["to"][0])
            elif not record.problems:
                record.problems.append(record.table.diagnostic(record.row.number, None, "a flow names one partner "
                                                               "as from and one as to", expected="one partner each"))
        left_out: list[Diagnostic] = []
        for record in records:
            grantor = granted.get(id(record))
            if grantor is not None and not record.problems:
                if grantor.problems:
                    left_out.append(self._left_out(record, "authorization.granted_by", grantor))
                else:
                    record.data.setdefault("authorization", {})["granted_by"] = grantor.data["id"]
        edges = []
        for record, source, target, data, column in planned:
            if record.problems:
                continue
            bad = source if source.problems else target if target.problems else None
            if bad is not None:
                left_out.append(self._left_out(record, None, bad, column))
                if record.table is not self.table:
                    record.problems.append(left_out[-1])  # a flow row left out is a row left out
                continue
            edges.append({"from": source.data["id"], "to": target.data["id"], **data})
        return edges, left_out

    @staticmethod
    def _left_out(record: Record, field_name: str | None, bad: Record, column: int | None = None) -> Diagnostic:
        where = bad.table.source_row(bad.row.number)
        what = "the grantor" if field_name else "the flow to or from"
        if field_name is not None:
            column = record.refs.get(field_name, (None, []))[0]
        return record.table.diagnostic(record.row.number, column, f"{what} {bad.data.get('name')!r} is left out: "
                                       f"its row ({where}) could not be imported", level="warning")
