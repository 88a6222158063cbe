"""The status-bar readout of the cell under the cursor, e.g.
``Layer 13 │ Token exact_answer_first │ 0.843``. Labels are data: Text, never markup."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from tuiheat.core.boxes import Box
from tuiheat.core.labels import sanitize
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.peaks import Walk
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


def _span(labels: tuple[str, ...], a: int, b: int, sep: str, most: int | None = None) -> str:
    first, last = _cut(sanitize(labels[a]), most), _cut(sanitize(labels[b]), most)
    if a == b:
        return first
    return f"{first} {sep} {last}" if first.endswith("…") else f"{first}{sep}{last}"


def _cut(label: str, most: int | None) -> str:
    return label if most is None or len(label) <= most else label[: most - 1] + "…"


def box_label(matrix: HeatMatrix, box: Box, most: int | None = None) -> str:
    """``Layer 4–28 × first_answer…-1``: rows by label with the row title, then columns;
    labels longer than ``most`` characters are cut (``first_a…``)."""
    rows = _span(matrix.row_labels, box.r0, box.r1, "–", most)
    cols = _span(matrix.col_labels, box.c0, box.c1, "…", most)
    return f"{sanitize(matrix.row_title)} {rows} × {cols}"


def box_named(matrix: HeatMatrix, box: Box, number: int) -> str:
    """``box 2 Layer 4–28 × a…e``, or ``box early Layer ...`` when it has a name."""
    name = sanitize(box.name) if box.name else str(number)
    return f"box {name} {box_label(matrix, box)}"


def _where(matrix: HeatMatrix, cell: tuple[int, int] | None, most: int | None = None) -> str:
    if cell is None:
        return ""
    row, col = (
        _cut(sanitize(labels[i]), most)
        for labels, i in zip((matrix.row_labels, matrix.col_labels), cell)
    )
    return f" @ {row},{col}"


READING = "…"  # a statistic a worker is still reading


def box_summary(
    matrix: HeatMatrix,
    box: Box,
    stats: BoxStats | None,
    number: int | None = None,
    width: int | None = None,
    reading: bool = False,
) -> str:
    """One line: which box and its cells, mean, max (and where), mean outside, min.

    Within ``width`` columns, the places (``@ 13,first_answer``) go first, then long
    labels are cut: every figure stays on the line. The box list (``B``) shows it all.
    ``reading``: a worker is still reading the mean outside (``stats`` None: everything).
    """
    name = f" {sanitize(box.name)}" if box.name else (f" {number}" if number is not None else "")
    n_cells = box.n_cells if stats is None else stats.cells
    cells = f"{n_cells} cell{'s' if n_cells != 1 else ''}"
    if stats is None:
        return f"box{name} {box_label(matrix, box, 12)} ({cells}){SEPARATOR}reading its values {READING}"
    if stats.missing:
        cells += f", {stats.missing} NaN"
    outside = _outside(stats, reading)
    line = ""
    for where, cut in ((True, None), (False, None), (False, 12), (False, 6), (False, 0)):
        which = f" {box_label(matrix, box, cut)} ({cells})" if cut != 0 else ""
        parts = [f"box{name}{which}"]
        if stats.finite:
            at = _where(matrix, stats.argmax) if where else ""
            parts.append(f"mean {format_value(stats.mean)}")
            parts.append(f"max {format_value(stats.max)}{at}")
            parts.append(f"outside {outside}")
            parts.append(f"min {format_value(stats.min)}")
        else:
            parts.append("no finite values")
            parts.append(f"outside {outside}")
        line = SEPARATOR.join(parts)
        if width is None or cell_len(line) <= width:
            break
    return line


def box_row(
    matrix: HeatMatrix, box: Box, stats: BoxStats | None, number: int, reading: bool = False
) -> tuple[str, ...]:
    """The box list's columns: number, which box, cells, mean, min, max (with where), outside
    (``…`` what a worker is still reading: all of it when ``stats`` is None).

    Names and places go on a second line of their cell, so that every column stays in
    sight however long the labels."""
    name = f"{sanitize(box.name)}\n" if box.name else ""
    if stats is None:
        return (str(number), name + box_label(matrix, box), str(box.n_cells), *[READING] * 4)
    cells = f"{stats.cells}" + (f"\n{stats.missing} NaN" if stats.missing else "")
    if stats.finite:
        mean = format_value(stats.mean)
        low = format_value(stats.min) + "\n" + _where(matrix, stats.argmin, 14).strip()
        high = format_value(stats.max) + "\n" + _where(matrix, stats.argmax, 14).strip()
    else:
        mean = low = high = "–"
    outside = _outside(stats, reading)
    return (str(number), name + box_label(matrix, box), cells, mean, low, high, outside)


def _outside(stats: BoxStats, reading: bool) -> str:
    if reading:
        return READING
    return "–" if stats.outside_mean is None else format_value(stats.outside_mean)


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``11th``, ``22nd``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def peak_note(
    matrix: HeatMatrix, walk: Walk, scope: str = "", block: bool = False, key: str = "^"
) -> str:
    """Where ``^`` (or ``_``) put the cursor and what pressing it again does:
    ``max 0.975 at Layer 0, Token last_q │ ^ again: 2nd highest``. ``scope``: ``box 2`` or a
    pane's name; ``block``: zoomed out, a cell is a block (the readout names its reducer)."""
    ranked, rank = walk.ranked, walk.rank
    word = "highest" if ranked.kind == "max" else "lowest"
    head = ranked.kind if rank == 1 else f"{ordinal(rank)} {word}"
    head += " block" if block else ""
    head += f" of {scope}:" if scope else ""
    row, col = walk.cell
    where = (
        f"{sanitize(matrix.row_title)} {sanitize(matrix.row_labels[row])}, "
        f"{sanitize(matrix.col_title)} {sanitize(matrix.col_labels[col])}"
    )  # as the readout names the cell
    line = f"{head} {format_value(ranked.values[rank - 1])} at {where}"
    parts = [line]
    if rank == 1 and ranked.ties > 1:
        parts.append(f"1 of {ranked.ties} cells at this value")
    if walk.last:
        only = "the only finite cell" if rank == 1 else "the last finite cell"
        parts.append(only if rank == 1 else f"{only}; {key} again: the {ranked.kind}")
    else:
        parts.append(f"{key} again: {ordinal(rank + 1)} {word}")
    return SEPARATOR.join(parts)


def no_peak_note(scope: str = "") -> str:
    """What ``^`` says when there is nothing to jump to."""
    where = f"in {scope}" if scope else "in this slice"
    return f"No finite value {where}: every cell is NaN (or infinite)."
