"""How N panels (files, or the panels of a facet) share the screen, and what else it
holds: pure arithmetic, tested without a terminal.

The grids come first: the legend, the box line and the profiles are shown, in that
order, only while every row still fits, or, when the rows cannot all fit anyway,
while at least ``MIN_GRID_ROWS`` of them stay on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from tuiheat.render.sizes import (
    CHART_HEIGHT,
    CHROME_LINES,
    COLORBAR_WIDTH,
    MAX_CELL,
    MIN_CELL,
    MIN_GRID_ROWS,
    MIN_PANEL,
    SMALL_HEIGHT,
)


@dataclass(frozen=True)
class Plan:
    room: int  # lines for the grid(s)
    width: int  # columns for the panels (beside the colour bar)
    chart: bool
    legend: bool
    boxinfo: bool
    profiles: bool


def plan_layout(
    width: int,
    height: int,
    *,
    rows: int,
    grid_lines: int,
    legend_lines: int,
    profiles: bool,
    chart: bool,
) -> Plan:
    """``rows``: matrix rows to show; ``grid_lines``: the grid's header and footer lines;
    ``legend_lines``: the legend's (0: none)."""
    show_chart = chart and height >= SMALL_HEIGHT + CHART_HEIGHT
    room = height - CHROME_LINES - (CHART_HEIGHT if show_chart else 0)
    shown: dict[str, bool] = {}
    for name, lines in (
        ("legend", min(3, legend_lines)),
        ("boxinfo", 1),
        ("profiles", 2 if profiles else 0),
    ):
        rows_without = room - grid_lines
        rows_with = rows_without - lines
        fits_all = rows_with >= rows
        fits_never = rows_without < rows
        shown[name] = lines > 0 and (fits_all or (fits_never and rows_with >= MIN_GRID_ROWS))
        if shown[name]:
            room -= lines
    return Plan(
        room,
        max(1, width - COLORBAR_WIDTH),
        show_chart,
        shown["legend"],
        shown["boxinfo"],
        shown["profiles"],
    )


# --- panels: N matrices of one shape, side by side or in a grid --------------------------


@dataclass(frozen=True)
class PanelNeeds:
    """What a panel needs: its matrix (at the zoom on screen) and the frame around it."""

    n: int  # panels
    rows: int
    cols: int
    gutter: int  # the row labels' width with the space after them
    header: Callable[[int], int]  # the header's lines for a cell width
    min_cell: int = MIN_CELL
    rows_per_line: int = 1  # 2 in half-block mode
    footer: int = 0  # the margin line under the cells
    margin: int = 0  # the margins' width beside the cells
    shared: bool = False  # labels only left of the first column and over the first row
    captions: bool = True  # a name over each panel


@dataclass(frozen=True)
class PanelPlan:
    columns: int  # panels in a row
    shown: int  # panels on screen (all, or a page of them)
    widths: tuple[int, ...]  # of each column of panels, its labels included
    heights: tuple[int, ...]  # of each row of panels, caption and labels included
    whole: bool  # every panel shows all its cells
    cells: int = 0  # cells on screen, all panels together
    cell_width: int = 0  # of every panel (0: each grid picks its own)

    @property
    def rows(self) -> int:
        return len(self.heights)


@dataclass(frozen=True)
class _Fit:
    whole: bool
    cells: int  # cells each panel shows
    cell_width: int
    enough: bool  # at least MIN_PANEL rows and columns (or all of them)


def _fit(need: PanelNeeds, width: int, height: int, k: int, r: int) -> _Fit:
    """``k`` panels a row, ``r`` rows of them: what each shows (a panel whose cells
    overflow loses a column and a line to its scrollbars)."""
    gutters = need.gutter if need.shared else k * need.gutter
    cells_w = (width - gutters - (k - 1) - k * need.margin) // k
    frame = (1 if need.captions else 0) + need.footer
    v_bar = 0
    for _ in range(2):  # the labels' lines follow the cell width, the scrollbar the lines
        cw = _cell_width(need, cells_w - v_bar)
        header = need.header(cw)
        lines = (height - (header if need.shared else r * header) - r * frame) // r
        v_bar = 1 if lines * need.rows_per_line < need.rows else 0
    cw = _cell_width(need, cells_w - v_bar)
    cols = max(0, min(need.cols, (cells_w - v_bar) // cw))
    h_bar = 1 if cols < need.cols else 0
    rows = max(0, min(need.rows, (lines - h_bar) * need.rows_per_line))
    whole = rows == need.rows and cols == need.cols
    enough = rows >= min(need.rows, MIN_PANEL) and cols >= min(need.cols, MIN_PANEL)
    return _Fit(whole, rows * cols, cw, enough)


def _cell_width(need: PanelNeeds, room: int) -> int:
    """As wide as the room allows up to ``MAX_CELL``; narrower than ``min_cell`` only when
    one-character cells show every column."""
    cw = min(MAX_CELL, room // max(1, need.cols))
    return cw if cw >= need.min_cell else 1 if cw == 1 else need.min_cell


def _choose(need: PanelNeeds, n: int, width: int, height: int) -> tuple[int, _Fit]:
    """Side by side when all of every panel fits in one row (in cells of ``min_cell`` or
    more); else the grid with the biggest cells that shows all; else the one showing the
    most of each panel."""
    fits = {k: _fit(need, width, height, k, -(-n // k)) for k in range(n, 0, -1)}
    if fits[n].whole and fits[n].cell_width >= need.min_cell:
        return n, fits[n]
    whole = [k for k, f in fits.items() if f.whole]
    if whole:
        k = max(whole, key=lambda k: (fits[k].cell_width, k))
    else:
        k = max(fits, key=lambda k: (fits[k].cells, k))
    return k, fits[k]


def _page(need: PanelNeeds, width: int, height: int) -> tuple[int, int, _Fit]:
    """How many panels go on screen, and how: all of them if each can show a useful part
    of itself, else the most that can. Panels of one tensor that fit whole two or more
    at a time are shown whole, a page at a time, rather than all in slivers."""
    n = max(1, need.n)
    k, fit = _choose(need, n, width, height)
    if fit.whole or (fit.enough and not need.shared):
        return n, k, fit
    if need.shared:  # the largest page of whole panels, if it holds two or more
        for p in range(n - 1, 1, -1):
            k_p, fit_p = _choose(need, p, width, height)
            if fit_p.whole:
                return p, k_p, fit_p
    if fit.enough:
        return n, k, fit
    for p in range(n - 1, 1, -1):  # a page of panels that each show a useful part
        k_p, fit_p = _choose(need, p, width, height)
        if fit_p.enough:
            return p, k_p, fit_p
    return 1, *_choose(need, 1, width, height)


def plan_panels(need: PanelNeeds, width: int, height: int) -> PanelPlan:
    """How ``need.n`` panels share ``width`` x ``height``: side by side or in a grid, all of
    them or a page (see ``_page``)."""
    n, k, fit = _page(need, width, height)
    r = -(-n // k)
    gutters = need.gutter if need.shared else k * need.gutter
    cells_w = (width - gutters - (k - 1)) // k
    widths = tuple(cells_w + (need.gutter if not need.shared or c == 0 else 0) for c in range(k))
    header = need.header(fit.cell_width)
    body = (height - (header if need.shared else r * header)) // r
    heights = tuple(body + (header if not need.shared or i == 0 else 0) for i in range(r))
    whole = fit.whole and n == need.n
    return PanelPlan(k, n, widths, heights, whole, n * fit.cells, fit.cell_width)


def fitting_toggles(
    need: PanelNeeds,
    width: int,
    height: int,
    half_blocks: bool = True,
    chosen: frozenset[str] = frozenset(),
) -> tuple[dict[str, bool], bool]:
    """The fewest changes that show the panels best: every one whole if that can be, else
    the most cells: half blocks (two rows a line; not without colour), the sparkline
    margins off, or both; and whether every panel is then whole on one screen. What the
    user ``chosen`` (of half, margins) is never changed."""
    tries: list[dict[str, bool]] = [{}, {"half": True}, {"margins": False}]
    tries.append({"half": True, "margins": False})
    best: tuple[tuple[bool, int, bool], dict[str, bool]] | None = None
    for changes in tries:
        if "half" in changes and (need.rows_per_line == 2 or not half_blocks):
            continue
        if "margins" in changes and need.footer == 0:
            continue
        if chosen & changes.keys():
            continue
        half = changes.get("half", need.rows_per_line == 2)
        margins = changes.get("margins", need.footer > 0)
        trial = replace(
            need,
            rows_per_line=2 if half else 1,
            footer=need.footer if margins else 0,
            margin=need.margin if margins else 0,
        )
        plan = plan_panels(trial, width, height)
        # Every cell whole and shown first; then cells as wide as ``min_cell`` (as one matrix
        # gives up its margins before its cells go narrower); the fewest changes on a tie.
        score = (plan.whole, plan.cells, plan.cell_width >= need.min_cell)
        if best is None or score > best[0]:
            best = (score, changes)
    assert best is not None  # the first try changes nothing and always counts
    return best[1], best[0][0]


def cell_width_for(
    n_cols: int, room: int, min_cell: int = MIN_CELL, max_cell: int = MAX_CELL
) -> int:
    """Cells as wide as the room allows (they read better wide, like the figure), 2 to 6
    for panels (a facet's go down to 1); the screen's plan lets one matrix go wider."""
    return max(min_cell, min(max_cell, room // max(1, n_cols)))
