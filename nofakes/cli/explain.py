"""`nofakes audit FILE --explain SUBJECT --rule ID`: why one subject passed or failed one rule."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nofakes.cli.output import write_output
from nofakes.core.errors import Diagnostic, UsageError

if TYPE_CHECKING:
    from nofakes.audit.screening import ScreeningLists
    from nofakes.packs.catalogue import ResolvedPack
    from nofakes.risk.profile import Profile as RiskProfile
    from nofakes.supply.loading import LoadedSupply

FORMATS = ("terminal", "json")


def check_explain(subject: str, rules: Sequence[str], fmt: str) -> None:
    """The options --explain needs, checked before anything is loaded."""
    if len(rules) != 1:
        raise UsageError([Diagnostic("--explain", f"needs exactly one --rule (found {len(rules)})",
                                     expected=f"--explain {subject} --rule ID")])
    if fmt not in FORMATS:
        raise UsageError([Diagnostic("--format", f"{fmt} cannot show an explanation",
                                     expected=" or ".join(FORMATS))])


def explain_command(loaded: LoadedSupply, packs: Sequence[ResolvedPack], subject: str, rule_id: str, fmt: str,
                    output: Path | None, protect: Sequence[Path], width: int, *, as_of: dt.date | None,
                    cli_params: Mapping[str, Any], risk: RiskProfile | None = None,
                    screening: ScreeningLists | None = None) -> None:
    from nofakes.audit.explain import explain
    from nofakes.reports.explain import as_json, render_text

    explanations = explain(loaded, packs, subject, rule_id, as_of=as_of, cli_params=cli_params, risk=risk,
                           screening=screening)
    if fmt == "json":
        text = json.dumps(as_json(explanations), indent=2, ensure_ascii=False) + "\n"
    else:
        text = render_text(explanations, width)
    write_output(text.encode("utf-8"), output, protect=protect)
