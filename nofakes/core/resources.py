"""Finding the data shipped with nofakes: built-in guideline packs and JSON Schemas.

In a wheel they live inside the package (`nofakes/_data/...`, put there by hatchling's
force-include); in a source checkout or an editable install they are the top-level
`guidelines/` and `schemas/` folders of the repository.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def data_dir(name: str) -> Path:
    """Directory of shipped data: 'guidelines' or 'schemas'."""
    packaged = resources.files("nofakes") / "_data" / name
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / name


def looks_like_path(ref: str) -> bool:
    """Whether a reference to shipped, versioned data (a pack, a risk profile) names a file rather than
    `name[@version]`: it has a path separator, a data-file suffix, or is an existing file."""
    return "/" in ref or "\\" in ref or ref.endswith((".yaml", ".yml", ".json")) or Path(ref).is_file()


def version_key(version: str) -> tuple[int, ...]:
    """MAJOR.MINOR.PATCH as numbers, so that 1.10.0 sorts after 1.9.0."""
    return tuple(int(p) for p in version.split("."))
