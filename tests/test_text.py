"""Text from the input reaches a terminal safely (README: Commands): no control characters, long values shortened;
the JSON report keeps the exact data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from nofakes.cli.main import cli
from nofakes.core.text import TEXT_CHARS, safe_text

EVIL = "Evil\x1b[2J\x1b]0;title\x07 \u202eCorp\u2066\u200f\x00\x7f\x9b31m"
FORBIDDEN = [chr(c) for c in (*range(0x20), *range(0x7f, 0xa0), 0x200e, 0x200f, *range(0x202a, 0x202f),
                              *range(0x2066, 0x206a))]


def bad_characters(text: str) -> list[str]:
    return sorted({hex(ord(c)) for c in text if c in FORBIDDEN and c != "\n"})


@pytest.mark.parametrize(("value", "shown"), [
    ("Acme Components GmbH", "Acme Components GmbH"),
    ("Société Générale 株式会社 🏭", "Société Générale 株式会社 🏭"),
    (EVIL, "Evil[2J]0;title Corp31m"),
    ("two\nlines\tand\r\na tab", "two lines and a tab"),
    ("\u202aembedded\u202c \u2067isolated\u2069 \u200emarked", "embedded isolated marked"),
    (42, "42"),
])
def test_control_characters_are_removed(value: object, shown: str) -> None:
    assert safe_text(value) == shown


def test_every_forbidden_character_is_removed() -> None:
    assert safe_text("".join(FORBIDDEN)).strip() == ""


def test_long_values_keep_their_beginning_and_end() -> None:
    assert safe_text("x" * TEXT_CHARS) == "x" * TEXT_CHARS
    shortened = safe_text("a" * 150 + "b" * 150)
    assert len(shortened) == TEXT_CHARS and shortened == "a" * 100 + "…" + "b" * 99
    huge = safe_text("N" * 5_000_000 + " has no anti-counterfeit clause", 100)
    assert len(huge) == 100 and huge.endswith("N has no anti-counterfeit clause") and "…" in huge
    assert safe_text("\x1b" * 5_000_000 + "end", 10) == "…end"


def _evil_supply(tmp_path: Path, big_name_chars: int = 2_000_000) -> Path:
    document = {
        "nofakes": "1", "company": {"id": "acme", "name": "Acme\x1b[5m Blink"}, "as_of": "2026-11-01",
        "nodes": [{"id": "acme", "name": "Acme", "role": "brand_owner"},
                  {"id": "cm", "name": EVIL, "role": "contract_manufacturer"},
                  {"id": "big", "name": "B" * big_name_chars, "role": "contract_manufacturer"}],
        "edges": [{"from": "cm", "to": "acme", "kind": "supplies"}, {"from": "big", "to": "acme", "kind": "supplies"}],
    }
    path = tmp_path / "supply.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_the_terminal_report_shows_input_text_safely(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["audit", str(_evil_supply(tmp_path)), "-g", "ntif"])
    assert result.exit_code == 1, result.stderr
    assert bad_characters(result.stdout) == []
    assert "Evil[2J]0;title Corp31m" in result.stdout  # the readable part is kept
    assert "Acme[5m Blink" in result.stdout
    assert len(result.stdout) < 200_000  # a 2 MB partner name is shortened, not printed in every gap
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_the_json_report_keeps_the_exact_data(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["audit", str(_evil_supply(tmp_path, 1000)), "-g", "ntif", "--format", "json"])
    assert bad_characters(result.stdout) == []  # the JSON escapes stand for them: `cat report.json` is safe
    assert "\\u001b" in result.stdout and "\\u009b" in result.stdout and "\\u202e" in result.stdout
    report = json.loads(result.stdout)
    assert report["run"]["company"]["name"] == "Acme\x1b[5m Blink"
    names = {p["partner"]: p["name"] for p in report["scores"]["partners"]}
    assert names["cm"] == EVIL and names["big"] == "B" * 1000


def test_diagnostics_on_stderr_are_safe(tmp_path: Path) -> None:
    missing = tmp_path / "supply\x1b[31m\u202e.yaml"  # a file name is input too
    result = CliRunner().invoke(cli, ["validate", str(missing)])
    assert result.exit_code == 2
    assert "supply[31m.yaml: error: file not found" in result.stderr
    assert bad_characters(result.stderr) == []
