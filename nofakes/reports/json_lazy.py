"""A list whose items are built as the JSON report is written (see `json_report`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any


class Lazy(Sequence[Any]):
    """A list whose items are built one at a time as the report is written, so that the
    hundreds of thousands of findings of a large graph never exist as dicts all at once."""

    def __init__(self, items: Sequence[Any], build: Callable[[Any], Any]):
        self.items, self.build = items, build

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self.build(item) for item in self.items[index]]
        return self.build(self.items[index])

    def __iter__(self) -> Iterator[Any]:
        return (self.build(item) for item in self.items)
