"""The status-bar readout of the cell under the cursor, e.g.
``Layer 13 │ Token exact_answer_first │ 0.843``. Labels are data: Text, never markup."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from tuiheat.core.boxes import Box
from tuiheat.core.labels import sanitize
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.readout import format_value
from tuiheat.core.stats import BoxStats
from tuiheat.render.cells import widest

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
    rows, cols = widest(matrix.row_labels), widest(matrix.col_labels)
    titles = cell_len(sanitize(matrix.row_title)) + cell_len(sanitize(matrix.col_title))
    return titles + rows + cols + 2 + 2 * len(SEPARATOR) + len("-1.000e+308")


def compare_readout(
    matrix: HeatMatrix, row: int, col: int, a: float, b: float, diff: float
) -> Text:
    """``Layer 13 │ Token x │ A 0.843  B 0.812  A−B +0.031``: both runs and their difference."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(
        f"{sanitize(matrix.row_title)} {sanitize(matrix.row_labels[row])}{SEPARATOR}"
        f"{sanitize(matrix.col_title)} {sanitize(matrix.col_labels[col])}{SEPARATOR}A "
    )
    text.append(format_value(a), style="bold")
    text.append("  B ")
    text.append(format_value(b), style="bold")
    text.append("  A−B ")
    text.append(("+" if diff > 0 else "") + format_value(diff), style="bold")
    return text


COMPARE_EXTRA = len("A   B -1.000e+308  A−B +-1.000e+308")  # beyond readout_width


def _span(labels: tuple[str, ...], a: int, b: int, sep: str) -> str:
    return sanitize(labels[a]) if a == b else f"{sanitize(labels[a])}{sep}{sanitize(labels[b])}"


def box_label(matrix: HeatMatrix, box: Box) -> str:
    """``Layer 4–28 × first_answer…-1``: rows by label with the row title, then columns."""
    rows = _span(matrix.row_labels, box.r0, box.r1, "–")
    cols = _span(matrix.col_labels, box.c0, box.c1, "…")
    return f"{sanitize(matrix.row_title)} {rows} × {cols}"


def _where(matrix: HeatMatrix, cell: tuple[int, int] | None) -> str:
    if cell is None:
        return ""
    return f" @ {sanitize(matrix.row_labels[cell[0]])},{sanitize(matrix.col_labels[cell[1]])}"


def box_summary(matrix: HeatMatrix, box: Box, stats: BoxStats, number: int | None = None) -> str:
    """One line: which box and its cells, mean, max (and where), mean outside, min.

    Most telling first, so a narrow terminal cuts the least useful figure; the box
    list (``B``) shows where the minimum is too.
    """
    name = f" {sanitize(box.name)}" if box.name else (f" {number}" if number is not None else "")
    cells = f"{stats.cells} cell{'s' if stats.cells != 1 else ''}"
    if stats.missing:
        cells += f", {stats.missing} NaN"
    parts = [f"box{name} {box_label(matrix, box)} ({cells})"]
    outside = "–" if stats.outside_mean is None else format_value(stats.outside_mean)
    if stats.finite:
        parts.append(f"mean {format_value(stats.mean)}")
        parts.append(f"max {format_value(stats.max)}{_where(matrix, stats.argmax)}")
        parts.append(f"outside {outside}")
        parts.append(f"min {format_value(stats.min)}")
    else:
        parts.append("no finite values")
        parts.append(f"outside {outside}")
    return SEPARATOR.join(parts)


def box_row(matrix: HeatMatrix, box: Box, stats: BoxStats, number: int) -> tuple[str, ...]:
    """The box list's columns: number, which box, cells, mean, min, max (with where), outside."""
    name = f"{sanitize(box.name)}: " if box.name else ""
    cells = f"{stats.cells}" + (f" ({stats.missing} NaN)" if stats.missing else "")
    if stats.finite:
        mean = format_value(stats.mean)
        low = format_value(stats.min) + _where(matrix, stats.argmin)
        high = format_value(stats.max) + _where(matrix, stats.argmax)
    else:
        mean = low = high = "–"
    outside = "–" if stats.outside_mean is None else format_value(stats.outside_mean)
    return (str(number), name + box_label(matrix, box), cells, mean, low, high, outside)
