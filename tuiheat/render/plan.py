"""One layout planner: one matrix on the whole screen, N files, the panels of a facet, and
print mode, each a ``Kind`` (a value, ``PaneSet.kind`` or ``"print"``) planned by one entry
point, ``plan``. Pure arithmetic over sizes (``render.sizes``), tested without a terminal.

What the glue applies comes back as one ``ScreenPlan``: where each grid goes (one panel
for one matrix and for print), its cell width, gutter, row height and label budget, which
optional parts stay (chart, legend, box line, profiles), the colour bar's lines, what was
given up to fit (the title says so), and how many pages the panels take.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.rowlines import RowLines
from tuiheat.render.axes import VERTICAL_MAX, column_header
from tuiheat.render.matrixfit import MatrixNeeds, MatrixPlan, Wishes, plan_matrix
from tuiheat.render.panelfit import PanelNeeds, PanelPlan, fitting_toggles, plan_layout, plan_panels
from tuiheat.render.sizes import (
    CHROME_LINES,
    COLORBAR_WIDTH,
    MARGIN_WIDTH,
    MAX_BAR_HEIGHT,
    MAX_CELL,
    MAX_CELL_ALONE,
    MIN_CELL,
    MIN_VERTICAL_BAR_ROWS,
)

Kind = Literal["one", "files", "facets", "print"]
NO_WISHES = Wishes()
SAID = {"half": "half blocks (H)", "margins": "margins off (s)"}  # what the title says


@dataclass(frozen=True)
class PanelsNeeds:
    """What N panels need besides their grids (``panels``): the first grid's header lines
    as it is, the legend's lines at this width, and whether the profiles may show."""

    panels: PanelNeeds
    header_height: int = 0  # the axis title and the column labels' lines
    legend_lines: int = 0
    profiles: bool = False  # the margins are on


@dataclass(frozen=True)
class PrintNeeds:
    """What print mode needs: the matrix's shape, its gutter (the space after it included),
    the colour bar's columns, and whether the column labels are written out (not keyed)
    at a cell width."""

    rows: int
    cols: int
    gutter: int
    bar_width: int
    written_out: Callable[[int], bool] = field(compare=False)


Needs = MatrixNeeds | PanelsNeeds | PrintNeeds


@dataclass(frozen=True)
class ScreenPlan:
    """Everything the glue applies; ``size`` is the whole terminal (print: its width)."""

    kind: Kind
    width: int  # columns for the grid(s), beside the colour bar (print: the line's)
    room: int  # lines for the grid(s): labels, rows, margin lines (print: 0, it scrolls)
    panels: PanelPlan  # where the grids go: one panel for one matrix and for print
    cell_width: int  # of every grid (0: each panel's grid picks its own)
    max_cell: int  # the widest cells a grid may pick
    header_lines: int = 0  # the most lines the column labels may take (0: the grid's own)
    gutter: int = 0  # the row labels' width with the space after them (0: the grid's own)
    row_height: int = 2  # half lines a row (see core.rowlines)
    half: bool | None = None  # half blocks as planned (None: as the state has them)
    margins: bool | None = None  # the margins as planned (None: as the state has them)
    shown: frozenset[str] = frozenset()  # of chart, legend, boxinfo, profiles
    given_up: tuple[str, ...] = ()  # one matrix: of matrixfit.LADDER, in its order
    fits: bool = True  # every row on screen
    colorbar_lines: int = 0  # the colour bar's (0: its own; print: a bar under the grid)
    margin_width: int = 0  # the margins' columns beside the cells
    needs: Needs | None = field(default=None, compare=False, repr=False)
    wishes: Wishes = field(default=NO_WISHES, compare=False, repr=False)

    @property
    def pages(self) -> int:
        """Pages of panels (1: all of them on screen)."""
        n = self.needs.panels.n if isinstance(self.needs, PanelsNeeds) else 1
        return -(-max(1, n) // max(1, self.panels.shown))

    @property
    def row_lines(self) -> RowLines:
        return RowLines(1 if self.half else self.row_height)

    @cached_property
    def toggles(self) -> dict[str, bool]:
        """Panels: the fewest changes of half blocks and margins that show them best
        (``panelfit.fitting_toggles``; what the user chose stays); else none."""
        if not isinstance(self.needs, PanelsNeeds):
            return {}
        w = self.wishes
        chosen = frozenset(n for n in SAID if getattr(w, n) is not None)
        changes, _ = fitting_toggles(
            self.needs.panels, self.width, self.room, w.half_blocks, chosen
        )
        return changes

    def fitted(self) -> tuple[str, ...]:
        """What one matrix gave up to fit every row, as the title says it."""
        return tuple(SAID[name] for name in self.given_up if name in SAID)

    def legend_lines(self, grid_lines: int, wanted: int) -> int:
        """One matrix: the legend lies over the lines the rows leave, and gives way to the
        grid's ``grid_lines`` (labels, margin line, a few rows) on a screen too small."""
        return min(wanted, max(0, self.room - grid_lines))


def plan(kind: Kind, needs: Needs, size: tuple[int, int], wishes: Wishes = NO_WISHES) -> ScreenPlan:
    """The plan for ``kind``: ``needs`` is a ``MatrixNeeds`` for one matrix, a
    ``PanelsNeeds`` for files and facets, a ``PrintNeeds`` for print mode."""
    width, height = size
    if kind == "print":
        assert isinstance(needs, PrintNeeds)
        return _print(needs, width, wishes)
    if kind == "one":
        assert isinstance(needs, MatrixNeeds)
        return _one(needs, width, height, wishes)
    assert isinstance(needs, PanelsNeeds)
    return _panels(kind, needs, width, height, wishes)


def _one(need: MatrixNeeds, width: int, height: int, wishes: Wishes) -> ScreenPlan:
    p: MatrixPlan = plan_matrix(need, wishes, width - COLORBAR_WIDTH, height - CHROME_LINES)
    grid_width, room = width - COLORBAR_WIDTH, p.room(height - CHROME_LINES)
    lines = RowLines(1 if p.half else p.row_height).lines(need.rows)
    return ScreenPlan(
        "one",
        grid_width,
        room,
        PanelPlan(1, 1, (grid_width,), (room,), True),
        p.cell_width,
        MAX_CELL_ALONE,
        p.header_lines,
        p.gutter,
        p.row_height,
        p.half,
        p.margins,
        p.shown,
        p.given_up,
        p.fits,
        max(need.rows, lines),
        MARGIN_WIDTH if p.margins else 0,
        need,
        wishes,
    )


def _panels(kind: Kind, needs: PanelsNeeds, width: int, height: int, wishes: Wishes) -> ScreenPlan:
    """The panels' rows with the most room tell what the legend and the profiles cost;
    then the panels share what those leave."""
    need = needs.panels
    rows = plan_panels(need, width - COLORBAR_WIDTH, height - CHROME_LINES).rows
    caption = 1 if need.captions else 0
    layout = plan_layout(
        width,
        height,
        rows=rows * -(-need.rows // need.rows_per_line),
        grid_lines=rows * (needs.header_height + need.footer + caption),
        legend_lines=needs.legend_lines,
        profiles=needs.profiles,
        chart=wishes.chart,
    )
    panels = plan_panels(need, layout.width, layout.room)
    parts = {"chart": layout.chart, "legend": layout.legend, "boxinfo": layout.boxinfo}
    parts["profiles"] = layout.profiles
    return ScreenPlan(
        kind,
        layout.width,
        layout.room,
        panels,
        panels.cell_width,
        MAX_CELL,
        shown=frozenset(name for name, on in parts.items() if on),
        fits=panels.whole,
        margin_width=need.margin,
        needs=needs,
        wishes=wishes,
    )


def _print(need: PrintNeeds, width: int, wishes: Wishes) -> ScreenPlan:
    cell = wishes.cell_width or print_cell_width(need, width)
    margins = wishes.margins is not False
    bar = min(need.rows, MAX_BAR_HEIGHT) if need.rows >= MIN_VERTICAL_BAR_ROWS else 0
    return ScreenPlan(
        "print",
        width,
        0,
        PanelPlan(1, 1, (width,), (0,), True, need.rows * need.cols, cell),
        cell,
        MAX_CELL_ALONE,
        VERTICAL_MAX,
        need.gutter,
        half=False,
        margins=margins,
        colorbar_lines=bar,
        margin_width=MARGIN_WIDTH if margins else 0,
        needs=need,
        wishes=wishes,
    )


def print_cell_width(need: PrintNeeds, width: int) -> int:
    """As wide as the line allows (cells read better wide, like the figure), ``MIN_CELL``
    to ``MAX_CELL``; up to ``MAX_CELL_ALONE`` when that writes the column labels out
    instead of keys."""
    room = (width - need.gutter - need.bar_width) // max(1, need.cols)
    cell = max(MIN_CELL, min(MAX_CELL, room))
    for wider in range(cell, min(MAX_CELL_ALONE, room) + 1):
        if need.written_out(wider):
            return wider
    return cell


def print_needs(matrix: HeatMatrix, gutter: int, bar_width: int) -> PrintNeeds:
    """``gutter``: the row labels' width with the space after them."""
    labels = matrix.col_labels

    def written_out(cell_width: int) -> bool:
        return column_header(labels, cell_width, VERTICAL_MAX).mode != "key"

    return PrintNeeds(matrix.n_rows, matrix.n_cols, gutter, bar_width, written_out)
