"""Where the merged document came from: the files read and the origin of each list item.

Shared by loading (which records them) and validation (which locates errors with them).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Source:
    """One file that contributed to the document: `sha256` is the hex digest of its bytes, as
    `sha256sum` prints it (for standard input, of the bytes read)."""

    path: Path
    display: str
    text: str
    sha256: str


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an item of a merged list came from: source index and its index in that file."""

    source: int
    index: int
