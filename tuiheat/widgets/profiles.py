"""The cursor's row and column as sparklines, with where each peaks.

Two one-line widgets: a horizontal step changes only the column profile and a
vertical step only the row profile, so a step repaints one line at most.
"""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual.widgets import Static

from tuiheat.core.labels import sanitize
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.scale import ValueRange
from tuiheat.render.sparkline import profile_line


class ProfileLine(Static):
    """One profile; ``show`` repaints only when the row or column it follows changed."""

    DEFAULT_CSS = """
    ProfileLine {
        height: 1;
        padding: 0 1;
    }
    """

    def __init__(self, axis: str, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.axis = axis  # "row": the cursor's row across columns; "col": its column across rows
        self.index: int | None = None
        self.width_shown = 0
        self._shown: tuple[HeatMatrix, ValueRange, int, bool] | None = None

    def show(
        self, matrix: HeatMatrix, vrange: ValueRange, index: int, ascii_only: bool = False
    ) -> None:
        self._shown = (matrix, vrange, index, ascii_only)
        width = self.content_region.width or self.app.size.width - 2
        if index == self.index and width == self.width_shown:
            return
        self.index, self.width_shown = index, width
        self.update(profile_text(matrix, vrange, self.axis, index, width, ascii_only), layout=False)

    def on_resize(self) -> None:
        """A new width (the terminal was resized): the profile is drawn again to fill it."""
        if self._shown is not None and self.content_region.width != self.width_shown:
            self.index = None
            self.show(*self._shown)


PROFILE_LIMIT = 512  # values of a column profile read per step; a longer one is sampled


def profile_values(matrix: HeatMatrix, axis: str, index: int) -> np.ndarray:
    """The cursor's row (one read) or column; a column longer than ``PROFILE_LIMIT`` is
    read every ``profile_step``-th row, so a step costs a few reads at any size."""
    if axis == "row":
        return matrix.window(index, index + 1, 0, matrix.n_cols)[0]
    step = profile_step(matrix.n_rows)
    if step == 1:
        return matrix.window(0, matrix.n_rows, index, index + 1)[:, 0]
    return matrix.column_at(range(0, matrix.n_rows, step), index)


def profile_step(n: int) -> int:
    return -(-n // PROFILE_LIMIT) if n > PROFILE_LIMIT else 1


def profile_text(
    matrix: HeatMatrix,
    vrange: ValueRange,
    axis: str,
    index: int,
    width: int,
    ascii_only: bool = False,
) -> Text:
    values = profile_values(matrix, axis, index)
    if axis == "row":
        name = f"{sanitize(matrix.row_title)} {sanitize(matrix.row_labels[index])}"
        return profile_line(
            name, values, matrix.col_labels, matrix.col_title, vrange, width, ascii_only
        )
    name = f"{sanitize(matrix.col_title)} {sanitize(matrix.col_labels[index])}"
    step = profile_step(matrix.n_rows)
    if step > 1:  # the peak is of the rows read: say so
        name = f"{name} (1 {sanitize(matrix.row_title)} in {step})"
    labels = matrix.row_labels[::step]
    return profile_line(name, values, labels, matrix.row_title, vrange, width, ascii_only)
