"""The grid's lines without a terminal: labels, and panels that share them."""

from __future__ import annotations

import numpy as np

from tuiheat.core import HeatMatrix
from tuiheat.core.colormap import get_palette
from tuiheat.core.rowlines import RowLines
from tuiheat.render.gridview import GridLayout, Viewport
from tuiheat.render.painter import Painter

M = HeatMatrix(
    np.zeros((3, 4)),
    row_labels=["a", "bb", "ccc"],
    col_labels=["w", "x", "y", "z"],
    row_title="layer",
    col_title="token",
)


def layout(rows: bool = True, cols: bool = True) -> GridLayout:
    return GridLayout(M, Painter(get_palette(), "truecolor", 2), rows, cols)


def text(line) -> str:  # type: ignore[no-untyped-def]
    return "".join(seg.text for seg in line)


def test_a_labelled_grid_has_a_gutter_and_a_header() -> None:
    lay = layout()
    assert lay.gutter == len("layer") + 1 and lay.header_height == 2
    assert text(lay.row_line(2, np.zeros(4, dtype=np.int16), 0)).startswith("  ccc ")
    assert text(lay.header_line(1, 0, 4, None)).startswith("layer ")


def test_a_panel_beside_or_under_another_leaves_its_labels_to_it() -> None:
    beside = layout(rows=False)
    assert beside.gutter == 0 and beside.header_height == 2
    row = text(beside.row_line(2, np.zeros(4, dtype=np.int16), 0))
    assert len(row) == 4 * 2  # the cells alone
    assert text(beside.header_line(1, 0, 4, None)) == " w x y z"
    levels = np.zeros(4, dtype=np.int64)
    assert len(text(beside.margin_footer("mean", levels, levels, 0, 4))) == 4 * 2
    under = layout(cols=False)
    assert under.header_height == 0 and under.gutter == 6
    view = Viewport(under, left=0, top=0, rows=RowLines(2), footer_y=3, width=14)
    assert view.line_of(0) == 0  # the first row is the first line
    # a step along the row repaints the two cells, not the row label nor a missing header
    assert view.cursor_step((0, 0), (0, 1)) == [(6, 0, 2, 1), (8, 0, 2, 1)]
    # a step down repaints both cells and both row labels
    assert view.cursor_step((0, 0), (1, 0)) == [
        (6, 0, 2, 1),
        (0, 0, 6, 1),
        (6, 1, 2, 1),
        (0, 1, 6, 1),
    ]
    bare = Viewport(layout(False, False), left=0, top=0, rows=RowLines(2), footer_y=3, width=8)
    assert bare.cursor_step((0, 0), (1, 0)) == [(0, 0, 2, 1), (0, 1, 2, 1)]
