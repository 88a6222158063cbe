"""The panels on screen: what they need (``PanelNeeds``, from the first grid), where each
goes in the plan, its labels (shared by the panels of a facet) and its name."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from tuiheat.app.layout import PanelNeeds, PanelPlan, plan_panels
from tuiheat.app.screenfit import LABEL_ROOM_MAX, MatrixNeeds
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.panes import PaneSet
from tuiheat.render.axes import RowGutter, column_header, gutter_width
from tuiheat.render.texts import legend_height, panel_caption
from tuiheat.widgets.heatgrid import MIN_CELL
from tuiheat.widgets.heatview import HeatView


def panel_needs(view: HeatView, panes: PaneSet) -> PanelNeeds:
    """Files each keep their labels; the panels of a facet share them and shrink to
    one character per cell."""
    grid = view.first
    lay = grid.grid_layout
    labels = grid.matrix.tick_labels[1]

    @lru_cache(maxsize=8)
    def header(cell_width: int) -> int:  # the column labels' lines change with the width
        return 1 + column_header(labels, cell_width, grid.header_budget).line_count

    facet = panes.facet is not None
    return PanelNeeds(
        n=len(panes.shown),
        rows=grid.matrix.n_rows,
        cols=grid.matrix.n_cols,
        gutter=gutter_width(lay.rows, grid.matrix.row_title),
        header=header,
        min_cell=1 if facet else MIN_CELL,
        rows_per_line=grid.rows_per_line,
        footer=grid.footer_height,
        margin=grid.margin_width,
        shared=facet,
        captions=len(panes.panes) > 1,
    )


def arrange(
    view: HeatView, panes: PaneSet, plan: PanelPlan, cell_width: int | None = None
) -> tuple[list[int], list[int]]:
    """Fit each panel of the page into its place; name it. Returns the widths of the
    columns of panels and the heights of their rows, as the grids need them."""
    facet = panes.facet is not None
    panels = view.place_panels(plan.columns, plan.shown)
    widths = [0] * plan.columns
    heights = [0] * plan.rows
    names = [p.name for p in panes.panes]
    for j, panel in enumerate(panels):
        c, r = j % plan.columns, j // plan.columns
        grid, caption = panel.grid, panel.caption_lines
        labels = (c == 0, r == 0) if facet else (True, True)
        room = plan.heights[r] - caption
        cw = cell_width or plan.cell_width or None
        fitted = grid.fit_to(plan.widths[c], room, labels, 1 if facet else MIN_CELL, cw)
        grid.styles.width = panel.styles.width = fitted
        lines = min(room, grid.virtual_size.height + grid.scrollbar_lines)
        widths[c] = max(widths[c], fitted)
        heights[r] = max(heights[r], caption + max(1, lines))
        if caption:
            index = view.first_panel + j
            panel.name_it(panel_caption(index, names, panes.diff, fitted, letters=not facet))
    return widths, heights


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


def matrix_needs(matrix: HeatMatrix, width: int) -> MatrixNeeds:
    """What one matrix on the whole screen needs: its gutter, and the lines its column
    labels take at a cell width within a budget (the legend of keys, ``width`` wide, too)."""
    (row_ticks, labels), title = matrix.tick_labels, matrix.col_title
    gutter = gutter_width(RowGutter(row_ticks), matrix.row_title)
    full = gutter_width(RowGutter(row_ticks, limit=LABEL_ROOM_MAX), matrix.row_title)

    @lru_cache(maxsize=64)
    def label_lines(cell_width: int, budget: int) -> int:
        header = column_header(labels, cell_width, budget)
        return header.line_count + legend_height(header.legend, title, width)

    return MatrixNeeds(matrix.n_rows, matrix.n_cols, gutter, label_lines, full_gutter=full)
