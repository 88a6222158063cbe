"""The token text linked to the grid, as pure functions of the model: which tokens, which
row's values colour them (the data row under the cursor: a layer's probe AUC per
position, a query's attention over the keys), on which range, and how many lines of the
screen the text may take."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from tuiheat.core.colourscale import ResolvedScale
from tuiheat.core.labels import sanitize
from tuiheat.core.matrix import index_labels
from tuiheat.core.panes import Pane, PaneSet
from tuiheat.core.scale import ValueRange
from tuiheat.core.viewstate import ViewState
from tuiheat.render.painter import Painter
from tuiheat.widgets.tokenpane import TextRow

MIN_SCREEN = 14  # lines: a smaller terminal gives the grid every line
NO_TOKENS = "No tokens to show: the columns have no labels (give them with --labels)."


def tokens_of(pane: Pane) -> tuple[str, ...] | None:
    """The column axis's tokens as the file has them (Ġ and ## kept: the text reads them),
    or None when the columns have only their numbers."""
    labels = pane.tensor.labels[pane.spec.cols]
    numbered = labels and labels[0] == "0" and labels[-1] == str(len(labels) - 1)
    if not labels or (numbered and labels == index_labels(len(labels))):  # compared once
        return None
    return labels


def text_row(
    panes: PaneSet, state: ViewState, scale: ResolvedScale, painter: Painter
) -> TextRow | None:
    """The text for the cursor's data row of the first pane shown (A − B under D)."""
    pane = panes.shown[0]
    tokens = tokens_of(pane)
    if tokens is None:
        return None
    matrix = pane.matrix
    row = state.cursor_block()[0]

    def read(first: int, end: int) -> np.ndarray:
        return matrix.window(row, row + 1, first, end)[0]

    vrange = row_range(scale, state, row)
    caption = f" {sanitize(matrix.row_title)} {sanitize(matrix.row_labels[row])} "
    key = (id(matrix), row, id(scale), vrange, id(painter))
    return TextRow(tokens, read, vrange, painter, key, caption)


def row_range(scale: ResolvedScale, state: ViewState, row: int) -> ValueRange:
    """The range the row is coloured on: the scale's, or (each row to its own range) the
    row's own; with each column on its own range the text keeps the whole scale's."""
    by_axis = scale.by_axis
    if by_axis is None or by_axis[0] != 0 or not state.zoom.is_identity:
        return scale.vrange
    _, lows, highs = by_axis
    return replace(scale.vrange, vmin=float(lows[row]), vmax=float(highs[row]))


def text_height(lines: int, height: int) -> int:
    """The pane's height (its title line included) on a terminal ``height`` lines tall:
    as many lines as the text has, up to a third of what the chrome leaves; none on a
    terminal too small."""
    if height < MIN_SCREEN or lines == 0:
        return 0
    return 1 + max(1, min(lines, (height - 8) // 3))
