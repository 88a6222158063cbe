"""The screen's plan applied to its widgets: one matrix on the whole screen
(``plan_screen``), or N panels (``plan_panels``), and what tuiheat may decide for the user
(half blocks, margins) until the user decides. It reads sizes and the model it is given,
changes only widget sizes, and returns the view state it wants instead of setting it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from tuiheat.app.chrome import Chrome
from tuiheat.app.panels import arrange, panels_needs
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.panes import PaneSet
from tuiheat.core.viewstate import ViewState
from tuiheat.render.matrixfit import matrix_needs
from tuiheat.render.panelfit import PanelPlan
from tuiheat.render.plan import SAID, ScreenPlan, Wishes, plan
from tuiheat.render.sizes import CHART_HEIGHT, CHROME_LINES, COLORBAR_WIDTH, SMALL_HEIGHT
from tuiheat.render.texts import legend_height, legend_text


@dataclass
class Fitter:
    """``wish``: half blocks and margins, None while tuiheat decides, the user's once H, s
    or m say; ``changes``: what fitting N panels changed (undone when they go)."""

    colour: bool  # the terminal draws colour, so half blocks can be had
    wish: dict[str, bool | None] = field(default_factory=lambda: {"half": None, "margins": None})
    chart_wanted: bool = False  # p: shown while the terminal has room for it
    plan: ScreenPlan | None = None  # at the last layout
    changes: dict[str, bool] = field(default_factory=dict)
    room: tuple[int, int] = (0, 0)  # the panels' width and height at the last layout
    page: tuple[int, int, int] | None = None  # the page of panels the title names

    # --- one matrix --------------------------------------------------------------------

    @property
    def wishes(self) -> Wishes:
        return Wishes(
            chart=self.chart_wanted,
            margins=self.wish["margins"],
            half=self.wish["half"],
            half_blocks=self.colour,
        )

    def plan_for(self, matrix: HeatMatrix, size: tuple[int, int]) -> ScreenPlan:
        return plan("one", matrix_needs(matrix, size[0]), size, self.wishes)

    def start_state(self, state: ViewState, panes: PaneSet, size: tuple[int, int]) -> ViewState:
        """Half blocks and margins as the screen's plan has them, before the first frame."""
        if not panes.single:
            return state
        plan = self.plan_for(panes.shown[0].matrix, size)
        return replace(state, half=plan.half, margins=plan.margins)

    def fit_room(self, size: tuple[int, int], chart_shown: bool) -> tuple[int, int]:
        """The most rows one matrix can show on this screen (every optional line given up,
        and half blocks unless the user turned them off) and the columns of the screen
        beside the colour bar: what ``z`` fits to, whatever the grid shows now."""
        width, height = size
        height -= CHROME_LINES + 2  # the axis title and a label line
        if chart_shown:  # shown: the room it takes is not the grid's
            height -= CHART_HEIGHT
        if self.wish["margins"]:
            height -= 1
        half = self.wish["half"] is not False and self.colour
        return max(1, height * (2 if half else 1)), max(1, width - COLORBAR_WIDTH)

    def noted(self, old: ViewState, new: ViewState) -> None:
        """H, s or m pressed: half blocks and margins are the user's from now on."""
        for name in ("half", "margins"):
            if getattr(old, name) != getattr(new, name):
                self.wish[name] = getattr(new, name)

    def chart_fits(self, height: int) -> bool:
        return height >= SMALL_HEIGHT + CHART_HEIGHT

    def layout_one(
        self,
        chrome: Chrome,
        view: HeatMatrix,
        state: ViewState,
        size: tuple[int, int],
        composing: bool = False,
    ) -> ViewState | None:
        """One matrix on the whole screen, as the planner has it; or the state its plan
        wants first (half blocks, margins), to be laid out again with it (not while
        composing: the state was made from the same plan)."""
        p = self.plan = self.plan_for(view, size)
        if (p.half, p.margins) != (state.half, state.margins) and not composing:
            return replace(state, half=p.half, margins=p.margins)
        grid = chrome.heatview.first
        grid.max_cell, grid.header_budget = p.max_cell, p.header_lines
        grid.label_limit, grid.row_height = p.gutter - 1, p.row_height
        self.room = (p.width, p.room)
        self.arrange(chrome, p.panels, p.cell_width)
        lay = grid.grid_layout
        rows = lay.matrix.n_rows  # as tall as the rows on screen (at most, as room allows)
        lines = max(rows, grid.row_lines.lines(rows))
        chrome.colorbar.configure(lay.painter, chrome.heatview.cells_top, lines)
        # The legend lies over the lines the plan left under the rows; on a screen too small
        # for every row it gives way to them (a few rows of the grid come first).
        least = lay.header_height + grid.footer_height + min(grid.row_lines.lines(rows), 3)
        width, title = size[0], lay.matrix.col_title
        wanted = legend_height(lay.header.legend, title, width)
        legend = legend_text(lay.header.legend, title, width)
        chrome.show_legend(legend, p.legend_lines(least, wanted))
        chrome.boxinfo.display = "boxinfo" in p.shown
        return None

    # --- N panels ------------------------------------------------------------------------

    def layout_panels(self, chrome: Chrome, panes: PaneSet, size: tuple[int, int]) -> ScreenPlan:
        """N panels in a grid of panels, as the planner has them."""
        width = size[0]
        view = chrome.heatview
        p = self.plan = plan(panes.kind, panels_needs(view, panes, width), size, self.wishes)
        self.room = (p.width, p.room)
        self.arrange(chrome, p.panels)
        lay = view.first.grid_layout  # fitted: the legend is of the labels now keyed
        chrome.colorbar.configure(lay.painter, view.cells_top)
        title = view.first.matrix.col_title
        wanted = legend_height(lay.header.legend, title, width)
        legend = legend_text(lay.header.legend, title, width)
        chrome.show_legend(legend, min(3, wanted) if "legend" in p.shown else 0)
        chrome.boxinfo.display = "boxinfo" in p.shown
        return p

    def arrange(self, chrome: Chrome, plan: PanelPlan, cell_width: int | None = None) -> None:
        """Fit the panels into ``plan`` and size the view to them."""
        view = chrome.heatview
        widths, heights = arrange(view, view.panes, plan, cell_width)
        self.page = page_of(view.page_size, view.first_panel, len(view.panes.shown))
        view.styles.grid_columns = " ".join(map(str, widths))
        view.styles.grid_rows = " ".join(map(str, heights))
        view.styles.width = sum(widths) + len(widths) - 1
        chrome.main.styles.height = sum(heights)

    def panel_toggles(self, panes: PaneSet) -> dict[str, bool]:
        """Panels just laid out: half blocks and/or no margins, if that shows more of them
        (H and s bring them back); what changes, for the screen to apply."""
        assert self.plan is not None and self.plan.kind == panes.kind  # laid out just now
        changes = self.plan.toggles
        self.changes = {**changes, **self.changes}  # from one axis to the next: the first
        return changes

    def undo_toggles(self) -> dict[str, bool]:
        """What fitting changed, as it was before (what the user chose with H or s stays)."""
        before = {n: not v for n, v in self.changes.items() if self.wish[n] is None}
        self.changes = {}
        return before

    def fitted(self, panes: PaneSet, state: ViewState) -> tuple[str, ...]:
        """What tuiheat turned on or off to fit, and the user has not taken back."""
        if not panes.single:
            return tuple(SAID[n] for n, v in self.changes.items() if getattr(state, n) == v)
        return self.plan.fitted() if self.plan is not None else ()


def page_of(page_size: int, first: int, n: int) -> tuple[int, int, int] | None:
    """Which panels are on screen (first, last, of n), when not all are."""
    if page_size >= n:
        return None
    return first + 1, min(n, first + page_size), n
