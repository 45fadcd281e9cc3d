"""An example guideline pack for nofakes, published as a Python package.

The `nofakes.guidelines` entry point names `guidelines`, which returns the folder holding the
packs, laid out as `<pack>/<version>.yaml` (here `toys/1.0.0.yaml`, with its fixtures in
`toys/fixtures/`).
"""

from pathlib import Path


def guidelines() -> Path:
    """The folder of packs this distribution ships."""
    return Path(__file__).resolve().parent / "guidelines"
