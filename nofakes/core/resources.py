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
