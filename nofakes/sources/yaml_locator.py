"""Where a document path sits in YAML text, found only when there is an error to report.

The text is composed again (only the list item concerned, for a large plainly laid-out
file: `nofakes.sources.yamlchunks.narrow`) and the node tree walked along the path.
"""

from __future__ import annotations

from collections.abc import Sequence

import yaml

from nofakes.sources.yaml_reader import compose
from nofakes.sources.yamlchunks import narrow


def locate_yaml(text: str, path: Sequence[str | int], key: bool = False) -> tuple[int | None, int | None]:
    """1-based (line, column) of `path` in YAML text; the nearest existing ancestor if absent;
    (None, None) if the text does not compose. With `key`, a final mapping key itself."""
    piece = narrow(text, path)
    if piece is not None:
        begin, piece_text, inner = piece
        line, col = locate_composed(piece_text, inner, key)
        if line is not None:
            return line + text.count("\n", 0, begin), col
    return locate_composed(text, path, key)


def locate_composed(text: str, path: Sequence[str | int], key: bool) -> tuple[int | None, int | None]:
    """Like `locate_yaml`, always from the whole text's node tree."""
    node = compose(text)
    if node is None:
        return None, None
    mark = node.start_mark
    for i, part in enumerate(path):
        last = i == len(path) - 1
        if isinstance(node, yaml.MappingNode):  # an int part is a key like `1:` here
            for key_node, value_node in node.value:
                if getattr(key_node, "value", None) == str(part):
                    if last and key:
                        return key_node.start_mark.line + 1, key_node.start_mark.column + 1
                    node, mark = value_node, value_node.start_mark
                    break
            else:
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            mark = node.start_mark
        else:
            break
    return mark.line + 1, mark.column + 1
