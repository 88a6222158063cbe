"""One matrix on the whole screen: the plan of ``screenfit`` applied to the viewer, and
what it may decide for the user (half blocks, margins) until the user decides."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING

from tuiheat.app.layout import CHART_HEIGHT, CHROME_LINES, COLORBAR_WIDTH, PanelPlan
from tuiheat.app.panels import matrix_needs
from tuiheat.app.screenfit import MAX_CELL, ScreenPlan, Wishes, plan_screen
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.panes import PaneSet
from tuiheat.core.viewstate import ViewState
from tuiheat.render.texts import legend_height, legend_text

if TYPE_CHECKING:
    from tuiheat.app.chrome import Chrome


class ScreenFit:
    """Lays one matrix out by its plan; remembers what the user chose instead."""

    def __init__(self, chrome: Chrome) -> None:
        self.chrome = chrome
        self.app = chrome.app
        self.plan: ScreenPlan | None = None  # at the last layout
        # Half blocks and margins: None while tuiheat decides, the user's once H/s/m say.
        self.wish: dict[str, bool | None] = {"half": True if self.app.config.half else None}
        self.wish["margins"] = None
        self.applying = False

    def plan_for(self, matrix: HeatMatrix, size: tuple[int, int]) -> ScreenPlan:
        width, height = size
        wish = Wishes(
            chart=self.chrome.chart_wanted,
            margins=self.wish["margins"],
            half=self.wish["half"],
            half_blocks=self.app.config.display.color_mode != "none",
        )
        need = matrix_needs(matrix, width)
        return plan_screen(need, wish, width - COLORBAR_WIDTH, height - CHROME_LINES)

    def start_state(self, state: ViewState, panes: PaneSet) -> ViewState:
        """Half blocks and margins as the screen's plan has them, before the first frame."""
        if len(panes.panes) > 1 or panes.facet is not None:
            return state
        plan = self.plan_for(panes.shown[0].matrix, tuple(self.app.size))
        return replace(state, half=plan.half, margins=plan.margins)

    def fit_rows(self) -> int:
        """The most rows one matrix can show on this screen: every optional line given
        up, and half blocks unless the user turned them off (z fits to these)."""
        height = self.app.size.height - CHROME_LINES - 2  # the axis title and a label line
        if self.chrome.get("chart").display:  # shown: the room it takes is not the grid's
            height -= CHART_HEIGHT
        if self.wish["margins"] is not None and self.wish["margins"]:
            height -= 1
        half = self.wish["half"] is not False and self.app.config.display.color_mode != "none"
        return max(1, height * (2 if half else 1))

    @contextmanager
    def deciding(self) -> Iterator[None]:
        """Changes of the state made by tuiheat, not asked for by the user."""
        self.applying = True
        try:
            yield
        finally:
            self.applying = False

    def noted(self, old: ViewState, new: ViewState) -> None:
        """H, s or m pressed: half blocks and margins are the user's from now on."""
        if self.applying:
            return
        for name in ("half", "margins"):
            if getattr(old, name) != getattr(new, name):
                self.wish[name] = getattr(new, name)

    def layout(self, width: int, height: int) -> None:
        """One matrix on the whole screen, as ``plan_screen`` has it."""
        view, state = self.chrome.heatview, self.chrome.state
        plan = self.plan_for(self.chrome.view, (width, height))
        said = self.plan.given_up if self.plan else ()
        self.plan = plan
        if plan.given_up != said and not self.chrome.composing:
            self.chrome.show_info()
        if (plan.half, plan.margins) != (state.half, state.margins) and not self.chrome.composing:
            with self.deciding():  # the state's watchers lay out again, with this plan
                view.state = replace(state, half=plan.half, margins=plan.margins)
            return
        grid = view.first
        grid.max_cell, grid.header_budget = MAX_CELL, plan.header_lines
        grid.label_limit, grid.row_height = plan.gutter - 1, plan.row_height
        room = plan.room(height - CHROME_LINES)
        self.chrome.room = (width - COLORBAR_WIDTH, room)
        panel = PanelPlan(1, 1, (width - COLORBAR_WIDTH,), (room,), True)
        self.chrome.arrange_panels(panel, plan.cell_width)
        lay = grid.grid_layout
        legend = legend_text(lay.header.legend, lay.matrix.col_title, width)
        rows = lay.matrix.n_rows  # as tall as the rows on screen (at most, as room allows)
        lines = max(rows, grid.row_lines.lines(rows))
        self.chrome.get("colorbar").configure(lay.painter, view.cells_top, lines)
        self.chrome.show_profiles("profiles" in plan.shown)
        self.chrome.show_chart("chart" in plan.shown)
        # The legend lies over the lines the plan left under the rows; on a screen too small
        # for every row it gives way to them (a few rows of the grid come first).
        least = lay.header_height + grid.footer_height + min(grid.row_lines.lines(rows), 3)
        wanted = legend_height(lay.header.legend, lay.matrix.col_title, width)
        lines = min(wanted, max(0, room - least))
        legend_widget = self.chrome.get("legend")
        legend_widget.update(legend)
        legend_widget.display = lines > 0
        legend_widget.styles.height = max(1, lines)
        self.chrome.get("boxinfo").display = "boxinfo" in plan.shown

    def fitted(self) -> tuple[str, ...]:
        """What tuiheat turned on or off to fit every row: the title says so."""
        plan, panes = self.plan, self.app.panes
        if panes is not None and (len(panes.panes) > 1 or panes.facet is not None):
            return self.app.facets.fitted()
        if plan is None or panes is None:
            return ()
        said = {"half": "half blocks (H)", "margins": "margins off (s)"}
        return tuple(said[name] for name in plan.given_up if name in said)
