"""`nofakes audit` end to end: exit codes, pack selection, outputs, and error paths (exit 2, no traceback)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import MINIMAL, PACK, run
from nofakes.cli.main import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "electronics" / "supply.yaml"



def test_example_audit_with_default_packs_finds_gaps_and_exits_1() -> None:
    code, out, err = run("audit", str(EXAMPLE))
    assert code == 1
    assert "ntif@1.0.0" in out and "Kestrel Aerial Systems" in out and "2026-11-01" in out
    assert "\x1b[" not in out  # not a terminal: no colour


def test_fail_on_thresholds_decide_the_exit_code(tiny: tuple[Path, Path]) -> None:
    supply, pack = tiny
    # only the low-severity clause rule fails
    assert run("audit", str(supply), "-g", str(pack))[0] == 0  # default --fail-on high
    assert run("audit", str(supply), "-g", str(pack), "--fail-on", "low")[0] == 1
    assert run("audit", str(supply), "-g", str(pack), "--fail-on", "none")[0] == 0
    # score = 100 * (7.5*1 + 2.5*0) / 10 = 75
    assert run("audit", str(supply), "-g", str(pack), "--fail-under", "75")[0] == 0
    assert run("audit", str(supply), "-g", str(pack), "--fail-under", "75.1")[0] == 1


def test_as_of_and_param_change_the_outcome(tiny: tuple[Path, Path]) -> None:
    supply, pack = tiny
    code, out, _ = run("audit", str(supply), "-g", str(pack), "--as-of", "2027-12-01", "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert report["run"]["as_of"] == "2027-12-01"
    assert any(f["rule"] == "TNY-AUD-001" and f["status"] == "fail" for f in report["findings"])
    code, out, _ = run("audit", str(supply), "-g", str(pack), "--as-of", "2027-12-01",
                       "--param", "audit_interval_days=730", "--format", "json")
    assert code == 0
    assert json.loads(out)["run"]["parameters"]["tiny.audit_interval_days"] == 730


def test_json_output_is_byte_identical_across_runs(tiny: tuple[Path, Path]) -> None:
    supply, pack = tiny
    first = run("audit", str(supply), "-g", str(pack), "--format", "json")[1]
    second = run("audit", str(supply), "-g", str(pack), "--format", "json")[1]
    assert first == second and json.loads(first)["schema_version"]


def test_output_file_is_written_and_inputs_are_never_overwritten(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    supply, pack = tiny
    target = tmp_path / "report.json"
    code, out, err = run("audit", str(supply), "-g", str(pack), "--format", "json", "-o", str(target))
    assert code == 0 and out == "" and "wrote json report" in err
    assert json.loads(target.read_text())["tool"]["name"] == "nofakes"
    before = supply.read_text(), pack.read_text()
    for protected in (supply, pack):
        code, _, err = run("audit", str(supply), "-g", str(pack), "-o", str(protected))
        assert code == 2 and "refusing to overwrite an input file" in err
    assert (supply.read_text(), pack.read_text()) == before
    assert not list(tmp_path.glob(".*.tmp"))


def test_output_file_gets_the_usual_permissions_and_keeps_an_existing_files(tiny: tuple[Path, Path],
                                                                              tmp_path: Path) -> None:
    supply, pack = tiny
    umask = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.json"
        assert run("audit", str(supply), "-g", str(pack), "--format", "json", "-o", str(fresh))[0] == 0
        assert fresh.stat().st_mode & 0o777 == 0o644  # not mkstemp's private 0600
        shared = tmp_path / "shared.json"
        shared.write_text("old")
        shared.chmod(0o664)
        assert run("audit", str(supply), "-g", str(pack), "--format", "json", "-o", str(shared))[0] == 0
        assert shared.stat().st_mode & 0o777 == 0o664 and shared.read_text() != "old"
    finally:
        os.umask(umask)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_unwritable_output_is_a_clear_error(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    supply, pack = tiny
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        code, _, err = run("audit", str(supply), "-g", str(pack), "-o", str(locked / "r.txt"))
    finally:
        locked.chmod(0o755)
    assert code == 2 and "cannot write" in err and "Traceback" not in err


def test_a_bad_output_path_is_refused_before_the_audit_runs(tiny: tuple[Path, Path], tmp_path: Path,
                                                              monkeypatch) -> None:
    import nofakes.audit.engine

    def no_audit(*_: object, **__: object) -> None:
        raise AssertionError("the audit ran although -o could never be written")

    monkeypatch.setattr(nofakes.audit.engine, "run_audit", no_audit)
    supply, pack = tiny
    for target, message in ((tmp_path / "missing" / "r.json", "does not exist"), (tmp_path, "is a directory"),
                            (supply, "refusing to overwrite an input file")):
        code, _, err = run("audit", str(supply), "-g", str(pack), "-o", str(target))
        assert code == 2 and message in err


def test_a_failed_write_leaves_no_temporary_file_and_no_traceback(tmp_path: Path, monkeypatch) -> None:
    from nofakes.cli.output import write_output
    from nofakes.core.errors import UsageError

    def full_disk(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(UsageError) as exc:
        write_output(b"{}", tmp_path / "report.json")
    assert "cannot write: No space left on device" in exc.value.diagnostics[0].message
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("args", "message"), [
    (["-g", "nosuchpack"], "no such guideline pack"),
    (["-g", "ntif@9"], "no version of ntif matches 9"),
    (["-g", "missing/pack.yaml"], "file not found"),
    (["--as-of", "yesterday"], "expected a date as YYYY-MM-DD"),
    (["--param", "novalue"], "expected KEY=VALUE"),
    (["--param", "audit_interval_days=soon", "-g", "ntif"], "parameter 'audit_interval_days' is 'soon'"),
    (["--format", "pdf"], "Invalid value for '--format'"),
])
def test_usage_and_pack_errors_exit_2(args: list[str], message: str) -> None:
    code, _, err = run("audit", str(EXAMPLE), *args)
    assert code == 2
    assert message in err


def test_a_broken_pack_is_an_error_with_its_location_never_skipped(tiny: tuple[Path, Path]) -> None:
    supply, pack = tiny
    pack.write_text(PACK.replace("is_true: true", "is_ture: true").replace("section: s\n    severity: low",
                                                                           "section: nope\n    severity: low"))
    code, _, err = run("audit", str(supply), "-g", str(pack))
    assert code == 2
    assert f"{pack}:" in err and "unknown section 'nope'" in err
    pack.write_text(PACK.replace("is_true: true", "is_ture: true"))
    code, _, err = run("audit", str(supply), "-g", str(pack))
    assert code == 2
    line = PACK.splitlines().index("    check: {field: contract.anti_counterfeit_clause, is_true: true}") + 1
    assert f"{pack}:{line}:" in err and "unknown operator 'is_ture'" in err and "did you mean 'is_true'" in err


def test_bad_supply_file_exits_2_with_location(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL.replace("role: contract_manufacturer", "role: contract_manufactuer"))
    code, _, err = run("audit", str(bad))
    assert code == 2
    assert f"{bad}:10:11: error: nodes[1].role" in err and "did you mean 'contract_manufacturer'" in err


def test_guidelines_key_in_the_file_selects_packs(tiny: tuple[Path, Path]) -> None:
    supply, pack = tiny
    supply.write_text(MINIMAL + f"guidelines: [{pack}]\n")
    code, out, _ = run("audit", str(supply), "--format", "json")
    assert [p["id"] for p in json.loads(out)["run"]["packs"]] == ["tiny@1.0.0"]


def test_help_documents_exit_codes() -> None:
    code, out, _ = run("audit", "--help")
    assert code == 0
    for text in ("Exit codes", "--fail-on", "--fail-under", "--as-of", "--param", "--format"):
        assert text in out


def test_python_m_nofakes_runs_an_audit() -> None:
    proc = subprocess.run([sys.executable, "-m", "nofakes", "audit", str(EXAMPLE), "--format", "json"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["run"]["packs"][0]["id"] == "ntif@1.0.0"
    assert "warning" in proc.stderr and "Traceback" not in proc.stderr


def test_long_steps_show_a_spinner_only_on_a_terminal_and_never_hide_errors(tmp_path: Path) -> None:
    from nofakes.cli.common import LARGE_INPUT_BYTES, load_showing_status, status
    from nofakes.core.errors import InputError

    small = tmp_path / "supply.yaml"
    small.write_text(MINIMAL)
    assert small.stat().st_size < LARGE_INPUT_BYTES
    assert load_showing_status(small).document.company.name
    with pytest.raises(InputError):  # a missing file is the loader's error, not the spinner's
        load_showing_status(tmp_path / "missing.yaml")
    for enabled in (False, True):
        with pytest.raises(ValueError), status("working", enabled):
            raise ValueError("passes through")


def test_standard_input_is_read_with_dash(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    import yaml as pyyaml

    supply, pack = tiny
    result = CliRunner().invoke(cli, ["validate", "-"], input=supply.read_text())
    assert result.exit_code == 0 and result.stdout.startswith("<stdin>: ok: ")
    as_json = json.dumps(pyyaml.safe_load(supply.read_text()), default=str)  # JSON is recognised by its first brace
    from_file = run("audit", str(supply), "-g", str(pack), "--format", "json")
    piped = CliRunner().invoke(cli, ["audit", "-", "-g", str(pack), "--format", "json"], input=as_json)
    assert piped.exit_code == from_file[0]
    report = json.loads(piped.stdout)
    assert report["run"]["input"]["files"][0]["path"] == "<stdin>"
    assert report["scores"] == json.loads(from_file[1])["scores"]
    text = "nofakes: '1'\ncompany: {id: a, name: A}\nnodes: [{id: x}]\n"
    bad = CliRunner().invoke(cli, ["validate", "-"], input=text)
    assert bad.exit_code == 2 and "<stdin>:3:9: error: nodes[0]: missing required key" in bad.stderr
    assert "<stdin>: 2 errors" in bad.stderr
