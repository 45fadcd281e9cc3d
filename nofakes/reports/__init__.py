"""Report formats: one module per format, each laying out the shared report view.

`registry.FORMATS` names every format; a formatter module is imported only when its format
is used, so that the command line starts without loading them.
"""

from __future__ import annotations

from nofakes.reports.base import Formatter, RenderOptions
from nofakes.reports.registry import FORMATS, FormatSpec, format_names, formatter

__all__ = ["FORMATS", "FormatSpec", "Formatter", "RenderOptions", "format_names", "formatter"]
