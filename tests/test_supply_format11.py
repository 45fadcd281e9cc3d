"""Supply format 1.1: the additions load, are checked across the document, are read by rules, and
stay out of format "1" files (which load and audit exactly as before: tests/test_examples.py)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from helpers import ROOT
from nofakes.authoring.fixtures import Case, load_cases, meta_problems, run_case
from nofakes.cli import schemas
from nofakes.core.errors import Diagnostic, InputError
from nofakes.packs.catalogue import ResolvedPack, load_pack_file, resolve_file
from nofakes.supply.loading import LoadedSupply, load_supply
from nofakes.supply.model import Document, Node
from nofakes.supply.subdivisions import is_subdivision, subdivisions
from nofakes.supply.versions import needed_version

HERE = Path(__file__).resolve().parent / "fixtures" / "format11"
PACK = HERE / "fmt" / "1.0.0.yaml"
CASES = HERE / "cases"

HEADER = """\
company: {id: acme, name: Acme, country: US}
products: [{id: p1, name: Part}]
"""


def write(tmp_path: Path, body: str, version: str = "1.1") -> Path:
    path = tmp_path / "supply.yaml"
    path.write_text(f'nofakes: "{version}"\n' + HEADER + textwrap.dedent(body), encoding="utf-8")
    return path


def errors_of(path: Path) -> list[Diagnostic]:
    with pytest.raises(InputError) as caught:
        load_supply(path)
    return list(caught.value.diagnostics)


def warnings_of(path: Path) -> list[Diagnostic]:
    return list(load_supply(path).warnings)


# ---------------------------------------------------------------- rules read every new field


@pytest.fixture(scope="module")
def pack() -> ResolvedPack:
    return resolve_file(load_pack_file(PACK))


@pytest.mark.parametrize("case", [pytest.param(c, id=f"{c.rule}: {c.name}") for c in load_cases(CASES)])
def test_rules_read_the_format_11_fields(case: Case, pack: ResolvedPack, tmp_path: Path) -> None:
    result = run_case(pack, case, tmp_path)
    assert result.passed, "\n".join(result.problems)


def test_every_rule_of_the_test_pack_has_a_passing_and_a_failing_case(pack: ResolvedPack) -> None:
    assert meta_problems(pack, load_cases(CASES)) == []


# ---------------------------------------------------------------- several authorizations


def test_all_authorizations_lists_the_single_one_first_then_the_list() -> None:
    node = Node.model_validate({
        "id": "d", "name": "D", "role": "distributor",
        "authorization": {"status": "authorized", "granted_by": "acme"},
        "authorizations": [{"status": "revoked", "granted_by": "m1"}, {"status": "pending", "granted_by": "m2"}]})
    assert [a.granted_by for a in node.all_authorizations] == ["acme", "m1", "m2"]
    only_list = Node.model_validate({"id": "d", "name": "D", "role": "distributor",
                                     "authorizations": [{"status": "authorized"}]})
    assert [a.status.value for a in only_list.all_authorizations] == ["authorized"]
    assert Node.model_validate({"id": "d", "name": "D", "role": "distributor"}).all_authorizations == []


def test_grantors_and_scopes_of_every_authorization_are_checked(tmp_path: Path) -> None:
    path = write(tmp_path, """\
        nodes:
          - {id: maker, name: Maker, role: manufacturer}
          - id: dist
            name: Dist
            role: distributor
            authorizations:
              - {status: authorized, granted_by: maker, scope: [p1]}
              - {status: authorized, granted_by: makr, scope: [p2]}
        """)
    grantor, scope = sorted(errors_of(path), key=lambda d: d.path or "")
    assert (grantor.path, grantor.line, grantor.column) == ("nodes[1].authorizations[1].granted_by", 11, 42)
    assert grantor.message == "unknown grantor 'makr'" and grantor.hint == "did you mean 'maker'?"
    assert scope.path == "nodes[1].authorizations[1].scope[0]" and scope.message == "unknown product 'p2'"


# ---------------------------------------------------------------- the format version


def test_a_format_1_file_using_a_11_key_is_told_the_version_it_needs(tmp_path: Path) -> None:
    path = write(tmp_path, """\
        nodes:
          - {id: maker, name: Maker, role: manufacturer, region: US-CA}
          - id: dist
            name: Dist
            role: distributor
            authorization: {status: authorized, issued: 2025-01-01}
        edges:
          - {from: maker, to: dist, kind: sells, since: 2024-01-01}
        """, version="1")
    found = [(d.path, d.line, d.column, d.message) for d in errors_of(path)]
    assert found == [
        ("nodes[0].region", 5, 50, "'region' is new in format 1.1, but the file declares format 1"),
        ("nodes[1].authorization.issued", 9, 41, "'issued' is new in format 1.1, but the file declares format 1"),
        ("edges[0].since", 11, 42, "'since' is new in format 1.1, but the file declares format 1"),
    ]
    (first, *_) = errors_of(path)
    assert first.expected is not None and first.expected.startswith('nofakes: "1.1"')
    path.write_text(path.read_text(encoding="utf-8").replace('nofakes: "1"', 'nofakes: "1.1"'), encoding="utf-8")
    assert load_supply(path).document.nofakes == "1.1"


def test_a_version_written_as_a_number_is_a_hint_to_quote_it(tmp_path: Path) -> None:
    path = tmp_path / "supply.yaml"
    path.write_text("nofakes: 1.1\n" + HEADER, encoding="utf-8")
    (error,) = errors_of(path)
    assert error.message == "unsupported format version 1.1"
    assert error.expected == 'format version "1" or "1.1"' and error.hint == 'write the version as text: nofakes: "1.1"'


def test_the_oldest_version_a_document_can_declare() -> None:
    assert needed_version({"nofakes": "1", "nodes": [{"id": "a", "authorization": {"status": "authorized"}}]}) == "1"
    assert needed_version({"nodes": [{"id": "a", "incidents": [{"id": "i", "notified": []}]}]}) == "1.1"
    assert needed_version({"company": {"id": "a", "region": "US-CA"}}) == "1.1"


# ---------------------------------------------------------------- regions and jurisdictions


def test_a_region_must_be_an_iso_3166_2_code_with_a_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, """\
        nodes:
          - {id: a, name: A, role: wholesaler, country: US, region: us-ca}
          - {id: b, name: B, role: wholesaler, country: US, region: US-CAL}
          - {id: c, name: C, role: wholesaler, country: US, region: CA}
        """)
    lower, typo, bare = errors_of(path)
    assert bare.message == "'CA' is not an ISO 3166-2 subdivision code (such as US-CA); start with the country " \
        "code and a dash"
    assert (lower.path, lower.line) == ("nodes[0].region", 5)
    assert lower.message == "'us-ca' is not an ISO 3166-2 subdivision code (such as US-CA); did you mean 'US-CA'?"
    assert typo.message.startswith("'US-CAL' is not an ISO 3166-2 subdivision code") and "did you mean 'US-" in \
        typo.message


def test_a_region_must_lie_in_the_partners_country(tmp_path: Path) -> None:
    path = write(tmp_path, """\
        nodes:
          - {id: a, name: A, role: wholesaler, country: CA, region: US-NY}
          - {id: b, name: B, role: wholesaler, region: DE-BY}
        """)
    (error,) = errors_of(path)
    assert (error.path, error.line, error.column) == ("nodes[0].region", 5, 61)
    assert error.message == "region US-NY is not in the country CA"
    assert error.expected == "a subdivision of CA (such as CA-...), or the country US"


def test_the_companys_region_is_checked_too(tmp_path: Path) -> None:
    path = tmp_path / "supply.yaml"
    path.write_text('nofakes: "1.1"\ncompany: {id: acme, name: Acme, country: US, region: GB-ENG}\n', encoding="utf-8")
    (error,) = errors_of(path)
    assert error.path == "company.region" and error.message == "region GB-ENG is not in the country US"


def test_an_unknown_licence_subdivision_is_an_error_in_11_and_a_warning_in_1(tmp_path: Path) -> None:
    body = """\
        nodes:
          - id: w
            name: W
            role: wholesaler
            licenses:
              - {kind: wholesale_distributor, jurisdiction: US-NJ}
              - {kind: wholesale_distributor, jurisdiction: US-XX}
              - {kind: wholesale_distributor, jurisdiction: ZZ}
        """
    subdivision, country = errors_of(write(tmp_path, body))
    assert (subdivision.path, subdivision.line) == ("nodes[0].licenses[1].jurisdiction", 10)
    assert subdivision.message.startswith("'US-XX' is not an ISO 3166-2 subdivision code")
    assert country.message == "jurisdiction ZZ does not start with an ISO 3166-1 country code"
    warned = warnings_of(write(tmp_path, body, version="1"))
    assert [(w.path, w.level) for w in warned] == [("nodes[0].licenses[1].jurisdiction", "warning"),
                                                   ("nodes[0].licenses[2].jurisdiction", "warning")]


def test_the_subdivision_table_is_iso_3166_2() -> None:
    table = subdivisions()
    assert sum(len(codes) for codes in table.values()) == 5046
    assert {"US-CA", "US-DC", "GB-ENG", "GB-KEN", "FR-75C", "DE-BY", "IN-MH", "CN-GD"} <= set().union(*table.values())
    assert is_subdivision("US-NJ") and not is_subdivision("US-XX") and not is_subdivision("XX-CA")
    assert not is_subdivision("US")


def test_the_table_generator_keeps_former_codes_with_their_successor(tmp_path: Path) -> None:
    def release(name: str, entries: dict[str, str]) -> str:
        path = tmp_path / name
        path.write_text(json.dumps({"3166-2": [{"code": c, "name": n} for c, n in entries.items()]}),
                        encoding="utf-8")
        return str(path)

    current = release("new.json", {"US-CA": "California", "US-NY": "New York", "IN-TS": "Telangana"})
    older = release("old.json", {"US-CA": "California", "IN-TG": "Telangana", "IN-XX": "Gone"})
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "make_subdivisions.py"), current, "a test", older],
                         capture_output=True, text=True, check=True).stdout
    module_path = tmp_path / "generated.py"
    module_path.write_text(out, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("generated", module_path)
    assert spec is not None and spec.loader is not None
    module: Any = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.subdivisions() == {"IN": frozenset({"IN-TS"}), "US": frozenset({"US-CA", "US-NY"})}
    assert module.former_codes() == {"IN-TG": "IN-TS", "IN-XX": None}
    # the functions of the shipped module are the generator's, byte for byte
    committed = (ROOT / "nofakes" / "supply" / "subdivisions.py").read_text(encoding="utf-8")
    assert out.rsplit('"""', 1)[1] == committed.rsplit('"""', 1)[1]


def test_a_former_code_is_accepted_with_a_warning_naming_its_successor(tmp_path: Path) -> None:
    path = write(tmp_path, """\
        nodes:
          - id: w
            name: W
            role: wholesaler
            country: IN
            region: IN-TG
            licenses: [{kind: wholesale_distributor, jurisdiction: IN-TG}]
        """)
    region, licence = warnings_of(path)
    assert (region.path, region.message, region.hint) == (
        "nodes[0].region", "IN-TG is a former ISO 3166-2 code; the subdivision is now IN-TS", "write IN-TS")
    assert licence.path == "nodes[0].licenses[0].jurisdiction"
    # in a format 1 file (the shipped pharma example has IN-TG) a former jurisdiction stays quiet
    body = path.read_text(encoding="utf-8").replace('"1.1"', '"1"').replace("    region: IN-TG\n", "")
    path.write_text(body, encoding="utf-8")
    assert warnings_of(path) == []


# ---------------------------------------------------------------- incidents, lots and notifications


def test_notified_parties_must_be_partners(tmp_path: Path) -> None:
    path = write(tmp_path, """\
        nodes:
          - {id: shop, name: Shop, role: retailer}
          - id: w
            name: W
            role: wholesaler
            incidents:
              - {id: I1, kind: counterfeit, discovered: 2026-01-02, notified: [{party: shpo, date: 2026-01-02},
                                                                            {party: acme, date: 2026-01-03}]}
        """)
    (error,) = errors_of(path)
    assert error.path == "nodes[1].incidents[0].notified[0].party" and error.line == 10
    assert error.message == "unknown notified party 'shpo'" and error.hint == "did you mean 'shop'?"


def test_an_incident_lot_that_no_edge_carries_is_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, """\
        nodes:
          - {id: shop, name: Shop, role: retailer}
          - id: w
            name: W
            role: wholesaler
            incidents: [{id: I1, kind: counterfeit, discovered: 2026-01-02, lots: ["B-1001", "B-1O01"]}]
          - id: x
            name: X
            role: wholesaler
            incidents: [{id: I2, kind: suspect, discovered: 2026-01-02, lots: ["C-7"]}]
        edges:
          - {from: w, to: shop, kind: sells, lots: ["B-1001", "C-7"]}
        """)
    (warning,) = warnings_of(path)  # C-7 travels on an edge of another partner: the file knows it
    assert (warning.path, warning.level) == ("nodes[1].incidents[0].lots[1]", "warning")
    assert warning.message == "lot 'B-1O01' is on no edge of the file"
    assert warning.hint == "did you mean 'B-1001'?"
    without = path.read_text(encoding="utf-8").replace(', lots: ["B-1001", "C-7"]', "")
    path.write_text(without, encoding="utf-8")
    assert warnings_of(path) == []  # no edge lists lots: nothing to compare with


def test_lot_numbers_are_text(tmp_path: Path) -> None:
    path = write(tmp_path, """\
        nodes:
          - {id: a, name: A, role: wholesaler}
          - {id: b, name: B, role: retailer}
        edges:
          - {from: a, to: b, kind: sells, lots: [4711]}
        """)
    (error,) = errors_of(path)
    assert error.path == "edges[0].lots[0]" and error.expected == "text"


# ---------------------------------------------------------------- the schema


def test_the_schema_accepts_both_versions_and_marks_the_additions() -> None:
    schema = schemas.generate("supply")
    assert schema["properties"]["nofakes"]["enum"] == ["1", "1.1"]
    defs = schema["$defs"]
    marked = {(name, key) for name, model in defs.items() for key, prop in model.get("properties", {}).items()
              if prop.get("x-nofakes-since") == "1.1"}
    assert marked == {
        ("Authorization", "issued"), ("Company", "region"), ("DueDiligence", "first_date"), ("Edge", "since"),
        ("Edge", "ownership_transfer"), ("Edge", "lots"), ("Incident", "lots"), ("Incident", "notified"),
        ("Node", "region"), ("Node", "authorizations"), ("Node", "seller_verification")}
    assert "all_authorizations" not in defs["Node"]["properties"]  # a view for rules, not a key of the file


def test_a_format_1_document_round_trips_unchanged() -> None:
    for example in ("electronics", "pharma", "apparel"):
        loaded: LoadedSupply = load_supply(ROOT / "examples" / example / "supply.yaml")
        assert loaded.document.nofakes == "1"
        assert isinstance(loaded.document, Document) and not loaded.warnings


# ---------------------------------------------------------------- import


SELLERS = """\
Seller,Type,Country,State,ID Verified,High Volume
Acme Audio Inc.,Brand owner,US,,,
Gadget Hub LLC,Seller,US,US-TX,2026-02-01,yes
Quiet Corner,Seller,US,,,
"""


def test_an_import_that_maps_a_11_field_writes_format_11_else_format_1(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from nofakes.cli.main import cli

    sellers = tmp_path / "sellers.csv"
    sellers.write_text(SELLERS, encoding="utf-8")
    mapping = tmp_path / "map.yaml"
    mapping.write_text("partners:\n  columns:\n    Seller: name\n    Type: role\n    Country: country\n"
                       "    State: region\n    ID Verified: seller_verification.identity_verified\n"
                       "    High Volume: seller_verification.high_volume\n", encoding="utf-8")
    out = tmp_path / "supply.yaml"
    result = CliRunner().invoke(cli, ["import", str(sellers), "--map", str(mapping), "-o", str(out)])
    assert result.exit_code == 0, result.output
    document = load_supply(out).document
    assert document.nofakes == "1.1"
    hub = next(n for n in document.nodes if n.name == "Gadget Hub LLC")
    assert hub.region == "US-TX" and hub.seller_verification is not None
    assert hub.seller_verification.high_volume is True
    assert str(hub.seller_verification.identity_verified) == "2026-02-01"
    mapping.write_text("partners:\n  columns:\n    Seller: name\n    Type: role\n    Country: country\n",
                       encoding="utf-8")
    out1 = tmp_path / "plain.yaml"
    result = CliRunner().invoke(cli, ["import", str(sellers), "--map", str(mapping), "-o", str(out1)])
    assert result.exit_code == 0, result.output
    assert load_supply(out1).document.nofakes == "1"


# ---------------------------------------------------------------- the format 1.1 example


def test_the_marketplace_examples_11_gaps_are_found_by_rules_reading_the_new_fields(pack: ResolvedPack) -> None:
    from nofakes.audit.engine import run_audit

    result = run_audit(load_supply(ROOT / "examples" / "marketplace" / "supply.yaml"), [pack])
    failed = {(f.rule_id, f.subject) for f in result.findings if f.status.value == "fail"}
    assert {("FMT-MKT-001", "kitchen-kings"), ("FMT-MKT-001", "gadget-outlet-eu"),
            ("FMT-MKT-001", "cheapcharge-store"), ("FMT-MKT-001", "parcelpoint-resale")} <= failed
    assert ("FMT-MKT-001", "brightwave-official") not in failed and ("FMT-MKT-001", "northstar-online") not in failed
    assert ("FMT-INC-001", "northstar-dist") in failed and ("FMT-INC-001", "lonestar-3pl") not in failed
    assert ("FMT-AUT-001", "northstar-dist") not in failed  # two authorizations, both current
    assert ("FMT-AUT-001", "bluebox-liquidators") in failed
