"""Risk profiles: versioned data files, shipped like guideline packs, that the risk model reads.

A profile is `risk/<name>/<version>.yaml` (built in, shipped in the wheel as `nofakes/_data/risk`)
or any file path. `ipr-seizures` is derived from the DHS OHSS table of IPR seizures by
`scripts/derive_risk_profile.py` (a test recomputes it); its weights and transit hubs are choices
written into the same file, so a user can copy it, change them and pass the copy with
`--risk-profile PATH`.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from nofakes.core.errors import Diagnostic, InputError, did_you_mean
from nofakes.core.resources import data_dir, looks_like_path, version_key
from nofakes.risk.defaults import DEFAULT_PROFILE
from nofakes.sources import formats
from nofakes.supply.validation import clean_loc, located_error

_REF = re.compile(r"^(?P<name>[a-z][a-z0-9-]*)(?:@(?P<version>\d+\.\d+\.\d+))?$")


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Share(_Strict):
    lines: int = Field(ge=0, description="Seizure lines")
    share_of_lines: float = Field(ge=0, le=1)
    share_of_value: float = Field(ge=0, le=1)


class ModeShare(Share):
    value_per_line: int = Field(ge=0, description="Seized value (MSRP) per line, in US dollars")


class Weight(_Strict):
    points: float = Field(ge=0, le=100)
    description: str


class Hubs(_Strict):
    codes: list[str]
    source: str


class ProfileSource(_Strict):
    title: str
    publisher: str
    licence: str
    file: str
    sha256: str
    unit: str


class Totals(_Strict):
    lines: int
    value: int
    rows: int


class Profile(_Strict):
    profile: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    title: str
    source: ProfileSource
    totals: Totals
    caveat: str
    weights: dict[str, Weight]
    hubs: Hubs
    categories: dict[str, list[str]] = Field(description="Product classes and the supply-file categories in each")
    origins: dict[str, dict[str, Share]] = Field(description="Per product class ('all' for every class): origins")
    modes: dict[str, ModeShare]

    @property
    def id(self) -> str:
        return f"{self.profile}@{self.version}"


FACTORS = ("origin", "undeclared_origin", "transport", "transport_value", "transit", "channel", "incidents", "gaps")


def _error(display: str, message: str, expected: str, hint: str | None = None) -> InputError:
    return InputError([Diagnostic(display, message, expected=expected, hint=hint)])


def profile_path(ref: str) -> Path:
    """The file of `NAME`, `NAME@VERSION` (built in) or of a path."""
    if looks_like_path(ref):
        return Path(ref)
    match = _REF.match(ref)
    if not match:
        raise _error(f"risk profile {ref!r}", "not a risk profile reference", "NAME, NAME@MAJOR.MINOR.PATCH or a path")
    root = data_dir("risk")
    names = sorted(p.name for p in root.iterdir() if p.is_dir() and _holds_profiles(p)) if root.is_dir() else []
    name, version = match.group("name"), match.group("version")
    if name not in names:
        raise _error(f"risk profile {ref!r}", f"no risk profile named {name!r}", "one of: " + ", ".join(names),
                     did_you_mean(name, names))
    versions = sorted((p.stem for p in (root / name).glob("*.yaml")), key=version_key)
    if version is None:
        return root / name / f"{versions[-1]}.yaml"
    if version not in versions:
        raise _error(f"risk profile {ref!r}", f"no version {version} of {name}", "one of: " + ", ".join(versions))
    return root / name / f"{version}.yaml"


def _holds_profiles(folder: Path) -> bool:
    """Whether a folder of shipped risk data holds risk profiles (the notorious-markets list sits beside them)."""
    return any(line.startswith("profile:") for file in folder.glob("*.yaml")
               for line in file.read_text(encoding="utf-8").splitlines()[:10])


def load_profile(ref: str = DEFAULT_PROFILE) -> Profile:
    """The profile `ref` names, validated; every problem located in one InputError."""
    path = profile_path(ref)
    display = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _error(display, f"cannot read the risk profile: {exc.strerror or exc}",
                     "a risk profile YAML file") from None
    text = formats.decode(raw, display)
    if isinstance(text, Diagnostic):
        raise InputError([text])
    parsed = formats.parse(text, display, formats.for_path(path))
    if isinstance(parsed, Diagnostic):
        raise InputError([parsed])
    try:
        profile = Profile.model_validate(parsed.data)
    except ValidationError as exc:
        raise InputError([located_error(dict(e), clean_loc(tuple(e["loc"]), Profile), display, text,
                                        list(clean_loc(tuple(e["loc"]), Profile)), root=Profile)
                          for e in exc.errors(include_url=False)]) from None
    unknown = sorted(set(profile.weights) - set(FACTORS))
    if unknown:
        raise _error(display, f"unknown factor {unknown[0]!r} under weights", "one of: " + ", ".join(FACTORS),
                     did_you_mean(unknown[0], FACTORS))
    return profile
