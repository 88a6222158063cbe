"""How one matrix fills the screen: how wide its cells are, whether two rows share a line,
how many lines its column labels may take, and which optional lines stay. Pure
arithmetic over the screen's size and the matrix's shape, tested without a terminal.

Cells widen to use the width (up to ``MAX_CELL``; the grid is then centred). When the
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

from tuiheat.app.layout import CHART_HEIGHT, MIN_GRID_ROWS, SMALL_HEIGHT

MAX_CELL = 12  # wider cells add nothing a reader can see
MARGIN_WIDTH = 3  # the row margin beside the cells (its line is under them)
LADDER = ("profiles", "half", "boxinfo", "margins")
LINES = {"chart": CHART_HEIGHT, "boxinfo": 1, "profiles": 2, "margins": 1}


@dataclass(frozen=True)
class MatrixNeeds:
    rows: int
    cols: int
    gutter: int  # the row labels' width with the space after them
    # (cell width, most lines) -> the lines the column labels take, their legend included
    labels: Callable[[int, int], int]
    min_cell: int = 2


@dataclass(frozen=True)
class Wishes:
    """What the user asked for; ``None``: tuiheat decides."""

    chart: bool = False
    margins: bool | None = None
    half: bool | None = None
    half_blocks: bool = True  # the terminal can draw them (it has colour)


@dataclass(frozen=True)
class ScreenPlan:
    cell_width: int
    half: bool
    margins: bool
    header_lines: int  # the most lines the column labels may take
    shown: frozenset[str]  # of chart, boxinfo, profiles
    fits: bool  # every row on screen
    given_up: tuple[str, ...] = ()  # of LADDER, in its order

    def room(self, height: int) -> int:
        """Lines left for the grid (header, rows, margin line) of ``height``."""
        return height - sum(LINES[name] for name in self.shown)


def plan_screen(need: MatrixNeeds, wish: Wishes, width: int, height: int) -> ScreenPlan:
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
) -> ScreenPlan:
    half = "half" in given_up or bool(wish.half)
    margins = "margins" not in given_up and wish.margins is not False
    shown = {"chart"} if chart_room else set()
    shown |= {"boxinfo", "profiles"} if margins else {"boxinfo"}
    shown -= set(given_up)
    lines = height - sum(LINES[name] for name in shown) - 1 - (1 if margins else 0)
    row_lines = -(-need.rows // (2 if half else 1))
    shown_rows = row_lines if min_rows is None else min(row_lines, min_rows)
    budget = lines - shown_rows
    scrollbar = 1 if lines - 1 < row_lines else 0
    room = width - need.gutter - (MARGIN_WIDTH if margins else 0) - scrollbar
    cell = max(need.min_cell, min(MAX_CELL, room // max(1, need.cols)))
    fits = budget >= 1 and need.labels(cell, budget) <= budget
    return ScreenPlan(cell, half, margins, max(1, budget), frozenset(shown), fits, given_up)


def _scrolling(
    need: MatrixNeeds, wish: Wishes, width: int, height: int, chart_room: bool
) -> ScreenPlan:
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
