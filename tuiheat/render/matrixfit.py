"""How one matrix fills the screen: how wide its cells are, whether two rows share a line,
how many lines its column labels may take, and which optional lines stay. Pure
arithmetic over the screen's size and the matrix's shape, tested without a terminal.

Cells widen to use the width (up to ``MAX_CELL_ALONE``; the grid is then centred). When the
rows do not all fit, these are given up in the order of ``LADDER``: the profile lines,
full-height cells (half blocks), the box line, the margins. (The chart, opened with
``p``, stays while the terminal has room for it.) The plan stops at
the first step where every row fits, and there gives the column labels every line the
rows leave. When no step makes every row fit, only what leaves fewer than
``MIN_GRID_ROWS`` rows on screen is given up, and the grid scrolls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.rowlines import RowLines
from tuiheat.render.axes import RowGutter, column_header, gutter_width
from tuiheat.render.sizes import (
    CHART_HEIGHT,
    LABEL_ROOM_MAX,
    MARGIN_WIDTH,
    MAX_CELL_ALONE,
    MIN_CELL,
    MIN_GRID_ROWS,
    SMALL_HEIGHT,
)

LADDER = ("profiles", "half", "boxinfo", "margins")
LINES = {"chart": CHART_HEIGHT, "boxinfo": 1, "profiles": 2, "margins": 1}


@dataclass(frozen=True)
class MatrixNeeds:
    rows: int
    cols: int
    gutter: int  # the row labels' width with the space after them (long ones cut)
    # (cell width, most lines) -> the lines the column labels take, their legend included
    labels: Callable[[int, int], int]
    min_cell: int = MIN_CELL
    full_gutter: int = 0  # the gutter with every row label in full (0: as ``gutter``)


@dataclass(frozen=True)
class Wishes:
    """What the user asked for; ``None``: tuiheat decides."""

    chart: bool = False
    margins: bool | None = None
    half: bool | None = None
    half_blocks: bool = True  # the terminal can draw them (it has colour)
    cell_width: int | None = None  # print mode's --cell-width


@dataclass(frozen=True)
class MatrixPlan:
    cell_width: int
    half: bool
    margins: bool
    header_lines: int  # the most lines the column labels may take
    shown: frozenset[str]  # of chart, boxinfo, profiles
    fits: bool  # every row on screen
    given_up: tuple[str, ...] = ()  # of LADDER, in its order
    gutter: int = 0  # the row labels' width (with the space after them)
    row_height: int = 2  # half lines a row (3: a line and a half; see core.rowlines)

    def room(self, height: int) -> int:
        """Lines left for the grid (header, rows, margin line) of ``height``."""
        return height - sum(LINES[name] for name in self.shown)


def plan_matrix(need: MatrixNeeds, wish: Wishes, width: int, height: int) -> MatrixPlan:
    """``width`` x ``height``: the room for the grid and the lines under it (the colour
    bar's columns, the title and the status line already taken off)."""
    chart_room = wish.chart and height + 2 >= SMALL_HEIGHT + CHART_HEIGHT
    steps = [name for name in LADDER if _may_give_up(name, wish)]
    for k in range(len(steps) + 1):
        plan = _try(need, wish, width, height, chart_room, tuple(steps[:k]))
        if plan.fits:
            return plan
    return _scrolling(need, wish, width, height, chart_room)


def _may_give_up(name: str, wish: Wishes) -> bool:
    if name == "half":
        return wish.half is None and wish.half_blocks
    if name == "margins":
        return wish.margins is None
    if name == "profiles":
        return wish.margins is not False
    return True


def _try(
    need: MatrixNeeds,
    wish: Wishes,
    width: int,
    height: int,
    chart_room: bool,
    given_up: tuple[str, ...],
    min_rows: int | None = None,
) -> MatrixPlan:
    half = "half" in given_up or bool(wish.half)
    margins = "margins" not in given_up and wish.margins is not False
    row_lines = -(-need.rows // (2 if half else 1))
    scrollbar = 1 if _lines(height, given_up, chart_room, margins) - 1 < row_lines else 0
    may_drop = margins and wish.margins is None
    cell, gutter, margins = _columns(need, width - scrollbar, margins, may_drop)
    if not margins and "margins" not in given_up and wish.margins is not False:
        given_up = (*given_up, "margins")  # every column fits only without them
    lines = _lines(height, given_up, chart_room, margins)
    shown_rows = row_lines if min_rows is None else min(row_lines, min_rows)
    budget = lines - shown_rows
    header = need.labels(cell, budget) if budget >= 1 else budget + 1
    fits = header <= budget
    shown = _shown(given_up, chart_room, margins)
    if fits and not half:  # rows may grow to square cells before the labels take lines
        square = RowLines(max(2, min(cell, 2 * lines // max(1, need.rows)))).lines(need.rows)
        left = lines - square
        if left >= 1 and need.labels(cell, left) <= left:
            header = need.labels(cell, left)
    height_ = _row_height(need, cell, lines - header) if fits and not half else 2
    if height_ > 2:  # taller rows take the lines the labels leave
        budget = lines - RowLines(height_).lines(need.rows)
    return MatrixPlan(cell, half, margins, max(1, budget), shown, fits, given_up, gutter, height_)


def _row_height(need: MatrixNeeds, cell: int, lines: int) -> int:
    """Half lines a row when every row fits in ``lines``: as many as fill them, up to cells
    twice as tall as wide (a character is about twice as tall as wide), as seaborn's
    heatmaps fill their axes."""
    return max(2, min(2 * lines // max(1, need.rows), 2 * cell))


def _shown(given_up: tuple[str, ...], chart_room: bool, margins: bool) -> frozenset[str]:
    shown = {"chart"} if chart_room else set()
    shown |= {"boxinfo", "profiles"} if margins else {"boxinfo"}
    return frozenset(shown - set(given_up))


def _lines(height: int, given_up: tuple[str, ...], chart_room: bool, margins: bool) -> int:
    """Lines for the column labels and the rows: what the lines under the grid leave."""
    taken = sum(LINES[name] for name in _shown(given_up, chart_room, margins))
    return height - taken - 1 - (1 if margins else 0)


def _columns(need: MatrixNeeds, width: int, margins: bool, may_drop: bool) -> tuple[int, int, bool]:
    """Cell width, gutter and margins that show every column, as rows are fitted: the widest
    cells (up to ``MAX_CELL_ALONE``) with the row labels in full, else cut; else without the
    margins (when tuiheat decides them); else cells one character wide, with the margins if
    they fit. When nothing shows every column, the cells keep their least width and the
    grid scrolls sideways."""
    cols = max(1, need.cols)
    gutters = sorted({need.gutter, max(need.gutter, need.full_gutter)}, reverse=True)
    tries = [(margins, need.min_cell), (margins, 1)]
    if may_drop:  # without the margins, if that alone is enough; else as a last step
        tries[1:1] = [(False, need.min_cell)]
        tries.append((False, 1))
    for with_margins, least in tries:
        for gutter in gutters:
            cell = min(
                MAX_CELL_ALONE, (width - gutter - (MARGIN_WIDTH if with_margins else 0)) // cols
            )
            if cell >= least:
                return cell, gutter, with_margins
    room = width - need.gutter - (MARGIN_WIDTH if margins else 0)
    return max(need.min_cell, min(MAX_CELL_ALONE, room // cols)), need.gutter, margins


def _scrolling(
    need: MatrixNeeds, wish: Wishes, width: int, height: int, chart_room: bool
) -> MatrixPlan:
    """No step fits every row: keep what leaves ``MIN_GRID_ROWS`` rows, in full cells."""
    given_up: tuple[str, ...] = ()
    for name in ("profiles", "boxinfo"):
        plan = _try(need, wish, width, height, chart_room, given_up, MIN_GRID_ROWS)
        if plan.fits:
            return replace(plan, fits=False)
        if _may_give_up(name, wish):
            given_up += (name,)
    plan = _try(need, wish, width, height, chart_room, given_up, MIN_GRID_ROWS)
    return replace(plan, fits=False)


def matrix_needs(matrix: HeatMatrix, width: int) -> MatrixNeeds:
    """What one matrix on the whole screen needs: its gutter, and the lines its column
    labels take at a cell width within a budget (the legend of keys, ``width`` wide, too)."""
    from tuiheat.render.texts import legend_height  # the viewer's; print mode does without

    (row_ticks, labels), title = matrix.tick_labels, matrix.col_title
    gutter = gutter_width(RowGutter(row_ticks), matrix.row_title)
    full = gutter_width(RowGutter(row_ticks, limit=LABEL_ROOM_MAX), matrix.row_title)

    @lru_cache(maxsize=64)
    def label_lines(cell_width: int, budget: int) -> int:
        header = column_header(labels, cell_width, budget)
        return header.line_count + legend_height(header.legend, title, width)

    return MatrixNeeds(matrix.n_rows, matrix.n_cols, gutter, label_lines, full_gutter=full)
