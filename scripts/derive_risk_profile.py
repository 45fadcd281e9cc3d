"""Derive the shipped risk profile from the raw DHS OHSS table of IPR seizures.

    python scripts/derive_risk_profile.py                     # rewrites the latest, risk/ipr-seizures/1.1.0.yaml
    python scripts/derive_risk_profile.py --version 1.0.0     # an earlier release (its own weights)
    python scripts/derive_risk_profile.py --check             # exit 1 if a shipped file differs
    python scripts/derive_risk_profile.py TABLE.xlsx -o OUT.yaml

The raw table (public domain) is kept in data/dhs-ipr-seizures/ with its PROVENANCE.txt.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nofakes.risk.derive import LATEST, RELEASES, profile_text

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "data" / "dhs-ipr-seizures" / "24-0405_ohss_dhs_ipr_seizures_fy2019-2023.xlsx"
PROFILES = ROOT / "risk" / "ipr-seizures"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("table", nargs="?", type=Path, default=TABLE)
    parser.add_argument("-o", "--output", type=Path, help="default: risk/ipr-seizures/VERSION.yaml")
    parser.add_argument("--version", choices=sorted(RELEASES), default=LATEST)
    parser.add_argument("--check", action="store_true", help="compare with the output file instead of writing it")
    args = parser.parse_args()
    text = profile_text(args.table, args.version)
    args.output = args.output or PROFILES / f"{args.version}.yaml"
    if args.check:
        same = args.output.is_file() and args.output.read_text(encoding="utf-8") == text
        print(f"{args.output}: {'up to date' if same else 'differs from the table'}")
        return 0 if same else 1
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
