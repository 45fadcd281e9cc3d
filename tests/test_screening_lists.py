"""The shipped notorious-markets list and the user's watch lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import ROOT
from nofakes.core.errors import InputError
from nofakes.screening.entries import ONLINE, PHYSICAL, WATCHLIST
from nofakes.screening.notorious import list_versions, load_notorious
from nofakes.screening.watchlist import load_watchlist


def test_shipped_list_loads_with_sources_and_caveat() -> None:
    entries = load_notorious()
    assert {e.kind for e in entries} == {ONLINE, PHYSICAL}
    ids = [e.id for e in entries]
    assert len(ids) == len(set(ids))
    assert {"dhgate", "taobao", "pinduoduo", "silk-market-beijing"} <= set(ids)
    for entry in entries:
        assert entry.listings, entry.id
        assert all(x.url.startswith("https://") for x in entry.listings)
        # a page number is only given where the edition itself was read
        assert all(x.page is None for x in entry.listings if x.secondary)
        assert entry.caveat and "not a finding" in entry.caveat
        assert entry.list_name == "USTR Notorious Markets 1.0.0"


def test_shipped_list_leaves_piracy_only_sites_out() -> None:
    names = {e.name.casefold() for e in load_notorious()}
    assert not names & {"thepiratebay", "rarbg", "1337x", "sci-hub", "vk", "baidu wangpan", "rapidgator"}


def test_the_newest_version_is_read_by_default() -> None:
    versions = list_versions()
    assert versions[-1] == ROOT / "risk" / "notorious-markets" / "1.0.0.yaml"


def test_a_broken_list_file_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "9.9.9.yaml"
    path.write_text("list: x\nentries:\n  - {id: a, name: A, kind: cloud, listed: []}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_notorious(path)
    text = "\n".join(d.format() for d in caught.value.diagnostics)
    assert "no caveat" in text
    assert "entries[0]" in text and "neither online nor physical" in text


def write(tmp_path: Path, text: str, *, bom: bool = False) -> Path:
    path = tmp_path / "watch.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


@pytest.mark.parametrize("bom", [False, True])
def test_watchlist_reads_names_aliases_and_countries(tmp_path: Path, bom: bool) -> None:
    path = write(tmp_path, "Name,Country,Aliases,Reason,Source\n"
                           "Quickchip Brokers Ltd,HK,QC Brokers|Quick Chip; QCB,fakes,incident 7\n"
                           "Müller GmbH,Germany,,,\n", bom=bom)
    first, second = load_watchlist(path)
    assert (first.name, first.country, first.aliases) == ("Quickchip Brokers Ltd", "HK",
                                                          ("QC Brokers", "Quick Chip", "QCB"))
    assert (first.reason, first.source, first.kind, first.list_name) == ("fakes", "incident 7", WATCHLIST, "watch.csv")
    assert first.id == "watch.csv:2"
    assert (second.name, second.country, second.aliases, second.reason) == ("Müller GmbH", "DE", (), None)


def test_watchlist_bad_rows_are_all_reported_with_their_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "name,country\nGood Co,CN\n,CN\nBad Country Co,Atlantis\n")
    with pytest.raises(InputError) as caught:
        load_watchlist(path)
    located = [(d.line, d.message) for d in caught.value.diagnostics]
    assert located == [(3, "this row has no name"), (4, "unknown country 'Atlantis'")]
    assert caught.value.diagnostics[0].format().startswith("watch.csv:3:1: error:")


def test_watchlist_unknown_or_missing_columns(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_watchlist(write(tmp_path, "company,alias\nA,B\n"))
    messages = [d.message for d in caught.value.diagnostics]
    assert messages == ['unknown column "company"', 'unknown column "alias"', "the watch list has no name column"]
    assert caught.value.diagnostics[1].hint is not None and "aliases" in caught.value.diagnostics[1].hint


def test_watchlist_must_be_csv(tmp_path: Path) -> None:
    path = tmp_path / "watch.yaml"
    path.write_text("name: x\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_watchlist(path)
    assert "CSV" in caught.value.diagnostics[0].message
