"""The status-bar readout of the cell under the cursor, e.g.
``Layer 13 │ Token exact_answer_first │ 0.843``. Labels are data: Text, never markup."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from tuiheat.core.labels import sanitize
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.readout import format_value

SEPARATOR = " │ "


def cell_readout(matrix: HeatMatrix, row: int, col: int) -> Text:
    """One style for the labels and one for the value: each style change costs bytes over SSH."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(
        f"{sanitize(matrix.row_title)} {sanitize(matrix.row_labels[row])}{SEPARATOR}"
        f"{sanitize(matrix.col_title)} {sanitize(matrix.col_labels[col])}{SEPARATOR}"
    )
    text.append(format_value(matrix.value(row, col)), style="bold")
    return text


def readout_width(matrix: HeatMatrix) -> int:
    """The widest readout any cell can have, so the status line never needs a layout pass."""
    rows = max(cell_len(sanitize(label)) for label in matrix.row_labels)
    cols = max(cell_len(sanitize(label)) for label in matrix.col_labels)
    titles = cell_len(sanitize(matrix.row_title)) + cell_len(sanitize(matrix.col_title))
    return titles + rows + cols + 2 + 2 * len(SEPARATOR) + len("-1.000e+308")


def cell_readout_plain(matrix: HeatMatrix, row: int, col: int) -> str:
    return cell_readout(matrix, row, col).plain
