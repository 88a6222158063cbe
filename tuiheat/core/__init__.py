"""Pure numpy core: the data model, boxes, the colour scale and label sanitising.

Nothing here imports Rich, Textual or another tuiheat package, so loaders,
print mode and most tests run without a terminal or an event loop.
"""

from tuiheat.core.boxes import Box, BoxError, box_from_json, parse_box_spec
from tuiheat.core.labels import sanitize
from tuiheat.core.matrix import (
    DEFAULT_COL_TITLE,
    DEFAULT_ROW_TITLE,
    HeatMatrix,
    MatrixError,
    shape_text,
)
from tuiheat.core.scale import ValueRange, default_range, normalize, to_bins
from tuiheat.core.ticks import nice_ticks

__all__ = [
    "DEFAULT_COL_TITLE",
    "DEFAULT_ROW_TITLE",
    "Box",
    "BoxError",
    "HeatMatrix",
    "MatrixError",
    "ValueRange",
    "box_from_json",
    "default_range",
    "nice_ticks",
    "normalize",
    "parse_box_spec",
    "sanitize",
    "shape_text",
    "to_bins",
]
