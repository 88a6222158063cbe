"""The panels on screen: what they need (``PanelNeeds``, from the first grid), where each
goes in the plan, its labels (shared by the panels of a facet) and its name. The planning itself is pure
and lives in ``tuiheat.render.plan``."""

from __future__ import annotations

from functools import lru_cache

from tuiheat.core.panes import PaneSet
from tuiheat.render.axes import column_header, gutter_width
from tuiheat.render.panelfit import PanelNeeds, PanelPlan
from tuiheat.render.plan import PanelsNeeds
from tuiheat.render.sizes import MIN_CELL
from tuiheat.render.texts import legend_height, panel_caption
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

    facet = panes.kind == "facets"
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


def panels_needs(view: HeatView, panes: PaneSet, width: int) -> PanelsNeeds:
    """What ``render.plan.plan(panes.kind, ...)`` needs for N panels in a terminal
    ``width`` wide, read from the first grid as it is."""
    grid = view.first
    lay = grid.grid_layout
    legend = legend_height(lay.header.legend, panes.shown[0].matrix.col_title, width)
    return PanelsNeeds(panel_needs(view, panes), lay.header_height, legend, grid.state.margins)


def arrange(
    view: HeatView, panes: PaneSet, plan: PanelPlan, cell_width: int | None = None
) -> tuple[list[int], list[int]]:
    """Fit each panel of the page into its place; name it. Returns the widths of the
    columns of panels and the heights of their rows, as the grids need them."""
    facet = panes.kind == "facets"
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
