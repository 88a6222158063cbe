"""The heat view: one view state, N panes. It holds what is looked at (``ViewState``), what is
shown (``PaneSet``) and how it is coloured (``ResolvedScale``), and hands them to one
``HeatGrid`` per pane; every key that changes the view is one transition of the state.

Compare mode is two panes under one state, ``tuiheat A B C`` three: nothing is copied
from one grid to another. The state is a reactive whose own watcher passes it to the
grids synchronously, so a cursor step repaints every pane, and the App's readout, in
one frame.
"""

from __future__ import annotations

from functools import partial
from itertools import zip_longest

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.worker import get_current_worker

from tuiheat.core.colourscale import ResolvedScale
from tuiheat.core.panes import PaneSet
from tuiheat.core.tensor import SliceSpec, cycle_reduction, step_hidden, transpose
from tuiheat.core.viewstate import ViewState, changed
from tuiheat.core.zoom import Zoom, fit_zoom, next_reducer, zoom_step
from tuiheat.render.gridview import DisplaySettings
from tuiheat.widgets.heatgrid import MIN_CELL, NEW_VIEW, HeatGrid

LAZY_CELLS = 1 << 21  # data cells the screen may cover before a zoom is reduced in a thread

MOVE_KEYS: list[BindingType] = [
    Binding("up,k", "move(-1, 0)", "Up", show=False),
    Binding("down,j", "move(1, 0)", "Down", show=False),
    Binding("left,h", "move(0, -1)", "Left", show=False),
    Binding("right,l", "move(0, 1)", "Right", show=False),
    Binding("pageup", "page(-1)", "Page up", show=False),
    Binding("pagedown", "page(1)", "Page down", show=False),
    Binding("g", "first_row", "First row", show=False),
    Binding("G", "last_row", "Last row", show=False),
    Binding("0,home", "first_col", "First column", show=False),
    Binding("dollar_sign,end", "last_col", "Last column", show=False),
    Binding("b", "start_box", "Draw a box (b again or Enter keeps it)", show=False),
    Binding("enter", "keep_box", "Keep the box being drawn", show=False),
    Binding("escape", "cancel_box", "Cancel the box being drawn", show=False),
    Binding("x", "delete_box", "Delete the box under the cursor", show=False),
    Binding("n", "next_box(1)", "Next box", show=False),
    Binding("N", "next_box(-1)", "Previous box", show=False),
    Binding("m", "cycle_summary", "Margins: mean / max / min / std", show=False),
]
VIEW_KEYS: list[BindingType] = [
    Binding("s", "toggle_margins", "Sparkline margins and profiles on / off"),
    Binding("minus", "zoom('out')", "Zoom out: a cell stands for twice the values"),
    Binding("plus,equals_sign", "zoom('in')", "Zoom in (centres on the cursor's block)"),
    Binding("z", "zoom('fit')", "Zoom to fit the whole matrix"),
    Binding("r", "cycle_reducer", "Zoomed cells: mean / max / min / nearest"),
    Binding("H", "toggle_half", "Half blocks: two rows per line (▀)"),
    Binding(
        "left_square_bracket", "step_axis(0, -1)", "N-D: previous index of the first hidden axis"
    ),
    Binding("right_square_bracket", "step_axis(0, 1)", "N-D: next index of the first hidden axis"),
    Binding(
        "left_curly_bracket", "step_axis(1, -1)", "N-D: previous index of the second hidden axis"
    ),
    Binding("right_curly_bracket", "step_axis(1, 1)", "N-D: next index of the second hidden axis"),
    Binding("a", "cycle_axis_reduction", "N-D: first hidden axis by index / mean / max"),
    Binding("number_sign", "toggle_annotations", "Numbers (or --text) in the cells"),
    Binding("t", "transpose", "Transpose: swap the rows and columns"),
    Binding("T", "toggle_raw_tokens", "Tokens raw (Ġthe) or readable (␣the)"),
]


class HeatView(Horizontal, inherit_bindings=False):
    """N linked grids: one state, one scale, one cursor, one set of boxes."""

    BINDINGS = MOVE_KEYS + VIEW_KEYS

    DEFAULT_CSS = """
    HeatView {
        width: auto;
        height: 1fr;
    }
    HeatView > HeatGrid {
        height: 1fr;
    }
    """

    state: reactive[ViewState] = reactive(None, init=False, repaint=False, layout=False)  # type: ignore[arg-type]

    class Busy(Message):
        """Something slow is being prepared (a zoom level); the App may say so."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(
        self,
        state: ViewState,
        panes: PaneSet,
        scale: ResolvedScale,
        display: DisplaySettings,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.set_reactive(HeatView.state, state)
        self.panes = panes
        self.scale = scale
        self.display_settings = display  # not ``display``: that is Textual's show/hide switch
        shown = panes.shown
        self._grids: list[HeatGrid] = []
        for i, pane in enumerate(panes.panes):  # as many grids as panes; D hides some
            grid = HeatGrid(
                state,
                shown[i] if i < len(shown) else pane,
                scale,
                display,
                id="grid" if i == 0 else f"pane-{i}",
            )
            grid.display = i < len(shown)
            grid.can_focus = i == 0  # keys come to the view through the first grid
            if i:
                grid.styles.margin = (0, 0, 0, 1)
            self._grids.append(grid)

    def compose(self) -> ComposeResult:
        yield from self._grids

    def on_mount(self) -> None:
        for grid in self.grids:  # the one link beyond the state: scrolling by mouse
            for axis in ("scroll_x", "scroll_y"):
                self.watch(grid, axis, partial(self._align, grid), init=False)

    @property
    def grids(self) -> list[HeatGrid]:
        """Made when the view is, so the layout can be planned before the first frame."""
        return self._grids

    @property
    def first(self) -> HeatGrid:
        return self.grids[0]

    # --- the three inputs -------------------------------------------------------------

    def watch_state(self, old: ViewState, new: ViewState) -> None:
        for grid in self.grids:
            if grid.display:
                grid.set_state(new)

    def show(
        self,
        panes: PaneSet | None = None,
        state: ViewState | None = None,
        scale: ResolvedScale | None = None,
    ) -> None:
        """New data and/or colours first, then the state (whose watchers see them all)."""
        if panes is not None:
            self.panes = panes
            # A new slice or zoom in ``state`` redraws the grids anyway: then only hand over.
            deferred = state is not None and bool(changed(self.state, state) & NEW_VIEW)
            for grid, pane in zip_longest(self.grids, panes.shown):
                if grid is None:
                    break
                grid.display = pane is not None
                if pane is not None and deferred:
                    grid.pane = pane
                elif pane is not None:
                    grid.set_state(self.state)
                    grid.set_pane(pane)
        if scale is not None:
            self.scale = scale
            for grid in self.grids:
                grid.set_scale(scale)
        if state is not None:
            self.state = state

    def _align(self, source: HeatGrid, *_: object) -> None:
        """A grid scrolled (by the mouse): the others show the same cells."""
        if not source.display:
            return
        for grid in self.grids:
            if grid is not source and grid.display and grid.scroll_offset != source.scroll_offset:
                x, y = source.scroll_offset
                grid.scroll_to(x, y, animate=False, immediate=True)

    def on_heat_grid_clicked(self, event: HeatGrid.Clicked) -> None:
        event.stop()
        self.state = self.state.at(event.row, event.col)

    # --- moving and boxes -------------------------------------------------------------

    def action_move(self, d_row: int, d_col: int) -> None:
        self.state = self.state.moved(d_row, d_col)

    def action_page(self, direction: int) -> None:
        self.state = self.state.paged(direction, self.first.visible_rows)

    def action_first_row(self) -> None:
        self.state = self.state.at(row=0)

    def action_last_row(self) -> None:
        self.state = self.state.at(row=self.state.cursor.n_rows - 1)

    def action_first_col(self) -> None:
        self.state = self.state.at(col=0)

    def action_last_col(self) -> None:
        self.state = self.state.at(col=self.state.cursor.n_cols - 1)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape cancels a box being drawn; otherwise it goes on to the app (the chart)."""
        if action == "cancel_box":
            return self.state.anchor is not None
        return True

    def action_start_box(self) -> None:
        self.state = self.state.start_box()

    def action_keep_box(self) -> None:
        self.state = self.state.keep_box()

    def action_cancel_box(self) -> None:
        self.state = self.state.cancel_box()

    def action_delete_box(self) -> None:
        state, gone = self.state.without_box_at_cursor()
        if gone is None:
            self.notify("No box under the cursor.", severity="warning", timeout=3, markup=False)
            return
        self.state = state

    def action_next_box(self, direction: int) -> None:
        if not self.state.boxes:
            self.notify(
                "There are no boxes; b draws one.", severity="warning", timeout=3, markup=False
            )
            return
        self.state = self.state.next_box(direction)

    def action_cycle_summary(self) -> None:
        self.state = self.state.next_summary()

    def action_toggle_margins(self) -> None:
        self.state = self.state.toggled("margins")

    def action_toggle_annotations(self) -> None:
        self.state = self.state.toggled("annotate")

    def action_toggle_half(self) -> None:
        if not self.first.grid_layout.painter.supports_half:
            self.notify(
                "Half blocks need colour (this terminal shows none).",
                severity="warning",
                markup=False,
            )
            return
        self.state = self.state.toggled("half")
        if self.state.half and self.state.boxes:
            self.notify(
                "Box frames are not drawn with half blocks; the box line still reads them.",
                markup=False,
            )

    # --- zoom -------------------------------------------------------------------------

    def action_zoom(self, direction: str) -> None:
        """- zooms out (a cell stands for twice the values each way), + zooms in, z fits all."""
        zoom, shape, grid = self.state.zoom, self.state.base_shape, self.first
        if direction == "fit":
            rows, cols = max(1, grid.visible_rows), max(1, grid.visible_cols_at(MIN_CELL))
            target = fit_zoom(shape, rows, cols, zoom.reducer)
        else:
            target = zoom_step(zoom, shape, out=direction == "out")
        if target == zoom and direction != "fit":
            self.app.bell()
            return
        self.request_zoom(target)

    def action_cycle_reducer(self) -> None:
        """r: mean, max, min, nearest in turn (the readout always names it)."""
        zoom = self.state.zoom
        if zoom.is_identity:
            self.notify(
                "At full resolution every cell is one value; - zooms out.", timeout=3, markup=False
            )
            return
        self.request_zoom(zoom.with_reducer(next_reducer(zoom.reducer)))

    def request_zoom(self, zoom: Zoom) -> None:
        """Show ``zoom`` now; when the screen would cover most of a big file, reduce every
        pane's view in a thread first, so keys never wait on it."""
        grid = self.first
        on_screen = (
            grid.visible_rows * zoom.row_factor * grid.visible_cols_at(MIN_CELL) * zoom.col_factor
        )
        size = self.state.base_shape[0] * self.state.base_shape[1]
        shown = self.panes.shown
        ready = zoom.is_identity or all(p.is_prepared(zoom) for p in shown)
        if not ready and min(on_screen, size) > LAZY_CELLS:
            self.post_message(self.Busy(f"zooming to {zoom.describe()} …"))
            self._prepare(self.panes, zoom)
            return
        self.state = self.state.zoomed(zoom)

    @work(thread=True, exclusive=True, group="zoom")
    def _prepare(self, panes: PaneSet, zoom: Zoom) -> None:
        worker = get_current_worker()
        for pane in panes.shown:
            if not pane.prepare(zoom, cancelled=lambda: worker.is_cancelled):
                return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._prepared, panes, zoom)

    def _prepared(self, panes: PaneSet, zoom: Zoom) -> None:
        if panes is self.panes:  # reduced for the panes still on screen
            self.state = self.state.zoomed(zoom)

    # --- slices of N-D arrays -----------------------------------------------------------

    def action_step_axis(self, which: int, delta: int) -> None:
        """[ ] step the first hidden axis, { } the second (wrapping around)."""
        spec = self.state.spec
        if which >= len(spec.hidden):
            hidden = "no hidden axis" if not spec.hidden else "only one hidden axis"
            self.notify(f"This array has {hidden} to step through.", timeout=3, markup=False)
            return
        self.slice(step_hidden(self.panes.first.tensor, spec, which, delta))

    def action_cycle_axis_reduction(self) -> None:
        """a: the first hidden axis by index, its mean, its max."""
        if not self.state.spec.hidden:
            self.notify("This array has no hidden axis to reduce.", timeout=3, markup=False)
            return
        self.slice(cycle_reduction(self.state.spec))

    def action_transpose(self) -> None:
        self.slice(transpose(self.state.spec))

    def action_toggle_raw_tokens(self) -> None:
        """T: tokens as the tokenizer wrote them (Ġthe, Ċ) or made readable (␣the, ↵)."""
        raw = not self.state.raw_tokens
        shown = "raw" if raw else "readable (␣ for spaces, ↵ for newlines)"
        self.notify(f"Tokens: {shown}", timeout=2, markup=False)
        panes = self.panes.sliced(self.state.spec, readable=not raw)
        self.show(panes=panes, state=self.state.toggled("raw_tokens"))

    def slice(self, spec: SliceSpec) -> None:
        """Another 2-D slice of every pane; boxes follow when the shape allows."""
        panes = self.panes.sliced(spec, readable=not self.state.raw_tokens)
        self.show(panes=panes, state=self.state.sliced(spec, panes.first.matrix.shape))
