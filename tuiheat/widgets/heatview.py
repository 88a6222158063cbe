"""The heat view: one view state, N panes. It holds what is looked at (``ViewState``), what is
shown (``PaneSet``) and how it is coloured (``ResolvedScale``), and hands them to one
``HeatGrid`` per pane; every key that changes the view is one transition of the state.

Compare mode is two panes under one state, ``tuiheat A B C`` three: nothing is copied
from one grid to another. The state is a reactive whose own watcher passes it to the grids
synchronously, so a cursor step repaints every pane, and the readout, in one frame.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from itertools import zip_longest

from textual.app import ComposeResult
from textual.containers import Container
from textual.message import Message
from textual.reactive import reactive

from tuiheat.core.colourscale import ResolvedScale
from tuiheat.core.panes import PaneSet
from tuiheat.core.tensor import SliceSpec, transpose
from tuiheat.core.viewstate import ViewState, changed
from tuiheat.core.zoom import Zoom
from tuiheat.render.gridview import DisplaySettings
from tuiheat.widgets.fetching import WaitsForChunks
from tuiheat.widgets.heatgrid import MIN_CELL, NEW_VIEW, HeatGrid
from tuiheat.widgets.heatkeys import MOVE_KEYS, VIEW_KEYS
from tuiheat.widgets.outcomes import (
    Outcome,
    cycle_axis_reduction,
    delete_box,
    next_box,
    step_axis,
    toggle_half,
    undo_delete,
)
from tuiheat.widgets.panels import Panel
from tuiheat.widgets.peakkeys import PeakKeys
from tuiheat.widgets.peaksearch import PeakFinder
from tuiheat.widgets.zooming import (
    NO_REDUCER,
    NO_ZOOM,
    LevelReady,
    needs_thread,
    prepare_thread,
    reducer_target,
    zoom_target,
)


class HeatView(WaitsForChunks, PeakKeys, Container, inherit_bindings=False):
    """N linked grids: one state, one scale, one cursor, one set of boxes. Each grid sits
    in a ``Panel`` under its name; the panels fill a grid of ``columns``."""

    BINDINGS = MOVE_KEYS + VIEW_KEYS

    DEFAULT_CSS = (
        "HeatView { layout: grid; grid-size: 1; grid-gutter: 0 1; width: auto; height: 1fr; }"
    )

    state: reactive[ViewState] = reactive(None, init=False, repaint=False, layout=False)  # type: ignore[arg-type]

    class PageTurned(Message):
        """Other panels are on screen: the App lays them out and names them."""

    class Busy(Message):
        """Something slow is being prepared (a zoom level); the App may say so."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Noted(Message):
        """A key has something to say about where it put the cursor (the box line shows
        ``note`` while the state is the one it names)."""

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
        self.first_panel = 0  # the page of panels on screen starts here
        self.page_size = len(panes.panes)
        self._grids: list[HeatGrid] = []
        self.panels: list[Panel] = []
        shown = panes.shown
        for i, pane in enumerate(panes.panes):  # as many grids as panes; D hides some
            grid = HeatGrid(
                state,
                shown[i] if i < len(shown) else pane,
                scale,
                display,
                id="grid" if i == 0 else f"pane-{i}",
            )
            self._grids.append(grid)
            self.panels.append(Panel(grid, captioned=len(panes.panes) > 1))
        self._lead = 0  # the first panel on the page
        # The rows the screen can show at most (z fits to them); None: those shown now.
        self.fit_room: Callable[[], tuple[int, int]] | None = None
        self.pending: Zoom | None = None  # a zoom being prepared in a worker
        self.peaks = PeakFinder()  # what ^ and _ found, and the search under way
        self.note: tuple[ViewState, str] | None = None  # what the box line says of a jump
        self.passed: frozenset[str] = frozenset()  # actions the screen takes over (n, N, a)
        self._show_page()

    def compose(self) -> ComposeResult:
        yield from self.panels

    def is_on_page(self, index: int) -> bool:
        """Panel ``index`` has a pane to show and is on the page on screen."""
        start = self.first_panel
        return index < len(self.panes.shown) and start <= index < start + self.page_size

    def _show_page(self) -> None:
        """Show the panels of the page; keys come to the view through its first grid."""
        had_focus = any(grid.has_focus for grid in self._grids)
        on_page = [i for i in range(len(self._grids)) if self.is_on_page(i)]
        self._lead = on_page[0] if on_page else 0
        for i, (panel, grid) in enumerate(zip(self.panels, self._grids)):
            shown = i in on_page
            if shown and not grid.display:  # hidden grids do not follow the state
                grid.set_state(self.state)
            panel.display = grid.display = shown
            grid.can_focus = i == self._lead
        if had_focus and not self.first.has_focus:
            self.first.focus()

    def place_panels(self, columns: int, page_size: int) -> list[Panel]:
        """Lay the panels out ``columns`` to a row, ``page_size`` of them at a time (the
        page keeps the panel it started with); returns the panels now on screen."""
        self.page_size = max(1, page_size)
        self.first_panel -= self.first_panel % self.page_size
        self.styles.grid_size_columns = max(1, columns)
        self._show_page()
        return [p for p in self.panels if p.display]

    @property
    def pages(self) -> int:
        return -(-len(self.panes.shown) // self.page_size)

    def action_turn_page(self, direction: int) -> None:
        """> and <: the next or previous page of panels, when not all fit."""
        n = len(self.panes.shown)
        if self.page_size >= n:
            self.notify("Every panel is on screen.", timeout=2, markup=False)
            return
        start = self.first_panel + direction * self.page_size
        if not 0 <= start < n:
            self.app.bell()
            return
        self.first_panel = start
        self._show_page()
        self.post_message(self.PageTurned())

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
        """The first grid on the page: its geometry stands for all (they are alike)."""
        return self.grids[self._lead]

    @property
    def cells_top(self) -> int:
        """Lines above the first row of cells: the panel's caption and the grid's header."""
        return self.panels[self._lead].caption_lines + self.first.grid_layout.header_height

    # --- the three inputs -------------------------------------------------------------

    def watch_state(self, old: ViewState, new: ViewState) -> None:
        self.stop_search()  # a click or a zoom arriving: its answer would move the cursor back
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
            self.drop_fetch()
            self.forget_peaks()
            self.panes = panes
            # A new slice or zoom in ``state`` redraws the grids anyway: then only hand over.
            deferred = state is not None and bool(changed(self.state, state) & NEW_VIEW)
            for grid, pane in zip_longest(self.grids, panes.shown):
                if grid is None:
                    break
                if pane is not None and deferred:
                    grid.pane = pane
                elif pane is not None:
                    grid.set_state(self.state)
                    grid.set_pane(pane)
            if self.first_panel >= len(panes.shown):
                self.first_panel = 0
            self._show_page()
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

    def on_heat_grid_dragged(self, event: HeatGrid.Dragged) -> None:
        event.stop()
        state = self.state.dragged(event.start, event.end)
        self.state = state.keep_box() if event.done else state

    # --- moving and boxes -------------------------------------------------------------

    def action_move(self, d_row: int, d_col: int) -> None:
        self.state = self.ahead.moved(d_row, d_col)

    def action_page(self, direction: int) -> None:
        self.state = self.ahead.paged(direction, self.first.visible_rows)

    def action_first_row(self) -> None:
        self.state = self.ahead.at(row=0)

    def action_last_row(self) -> None:
        self.state = self.ahead.at(row=self.ahead.cursor.n_rows - 1)

    def action_first_col(self) -> None:
        self.state = self.ahead.at(col=0)

    def action_last_col(self) -> None:
        self.state = self.ahead.at(col=self.ahead.cursor.n_cols - 1)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys with nothing to do here go on to the screen: Esc (no box, no zoom under
        way: the chart, back), Enter (no box: a head) and those it takes over (``passed``)."""
        drawing = self.state.anchor is not None
        waiting = self.pending is not None or self.fetch is not None
        checks = {"cancel_box": drawing or waiting, "keep_box": drawing}
        return checks.get(action, action not in self.passed)

    def action_start_box(self) -> None:
        self.state = self.state.start_box()

    def action_keep_box(self) -> None:
        self.state = self.state.keep_box()

    def action_cancel_box(self) -> None:
        if self.drop_fetch():  # Esc also stops a remote store's reads, a reduction's pass
            self.notify("Stopped: the view stays as it was.", timeout=2, markup=False)
            return
        if self.pending is not None:  # and a zoom being prepared
            self.pending = None
            self.workers.cancel_group(self, "zoom")
            self._busy("")
            self.notify("Zoom stopped.", timeout=2, markup=False)
            return
        self.state = self.state.cancel_box()

    def _apply(self, outcome: Outcome) -> None:
        """A key's outcome: its notice, then its state or slice."""
        if outcome.notice:
            severity = "warning" if outcome.warning else "information"
            self.notify(outcome.notice, severity=severity, timeout=outcome.timeout, markup=False)
        if outcome.spec is not None:
            self.slice(outcome.spec)
        elif outcome.state is not None:
            self.state = outcome.state

    def action_delete_box(self) -> None:
        self._apply(delete_box(self.state, self.panes))

    def action_undo_delete(self) -> None:
        self._apply(undo_delete(self.state, self.panes))

    def action_next_box(self, direction: int) -> None:
        self._apply(next_box(self.state, direction))

    def action_cycle_summary(self) -> None:
        self.state = self.state.next_summary()

    def action_toggle_margins(self) -> None:
        self.state = self.state.toggled("margins")

    def action_toggle_annotations(self) -> None:
        self.state = self.state.toggled("annotate")

    def action_toggle_half(self) -> None:
        self._apply(toggle_half(self.state, self.first.grid_layout.painter.supports_half))

    # --- slices of N-D arrays -----------------------------------------------------------

    def action_step_axis(self, which: int, delta: int) -> None:
        self._apply(step_axis(self.ahead, self.panes, which, delta))

    def action_cycle_axis_reduction(self) -> None:
        self._apply(cycle_axis_reduction(self.state, self.panes))

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
        state = self.ahead.sliced(spec, panes.first.shape)
        if not self.wait_for(state, panes):
            self.show(panes=panes, state=state)

    # --- zoom (the logic: zooming.py) ---------------------------------------------------

    def action_zoom(self, direction: str) -> None:
        """- zooms out (a cell stands for twice the values each way), + zooms in, z fits all."""
        # A zoom still being prepared counts: keys pressed meanwhile step from it, in order.
        zoom, grid = self.pending or self.state.zoom, self.first
        rows, cols = grid.visible_rows, grid.visible_cols_at(MIN_CELL)
        if direction == "fit" and self.fit_room is not None:
            # The room the screen could give, not what the grid (narrow when zoomed out) has.
            rows, width = self.fit_room()
            lay = grid.grid_layout
            cols = max(1, (width - lay.gutter - grid.margin_width - 1) // MIN_CELL)
        target = zoom_target(direction, zoom, self.state.base_shape, rows, cols)
        if target == zoom:  # nothing to do: say why, briefly
            self.app.bell()
            self.notify(NO_ZOOM[direction], timeout=3, markup=False)
            return
        self.request_zoom(target)

    def action_cycle_reducer(self) -> None:
        """r: mean, max, min, nearest in turn (the readout always names it)."""
        target = reducer_target(self.pending or self.state.zoom)
        if target is None:
            self.notify(NO_REDUCER, timeout=3, markup=False)
            return
        self.request_zoom(target)

    def request_zoom(self, zoom: Zoom) -> None:
        """Show ``zoom`` now; when the screen would cover most of a big file, reduce every
        pane's view in a thread first, so keys never wait on it."""
        grid = self.first
        rows, cols = grid.visible_rows, grid.visible_cols_at(MIN_CELL)
        on_screen = rows * zoom.row_factor * cols * zoom.col_factor
        if needs_thread(zoom, self.panes.shown, self.state.base_shape, on_screen):
            self.pending = zoom  # a newer request replaces (and cancels) this one
            for each in self.grids:  # the file is read once at a time
                each.margin_cache.stop()
            self._busy(f"zooming to {zoom.describe()} …")
            work = partial(prepare_thread, self.panes, zoom, self._busy, self.post_message)
            self.run_worker(work, thread=True, exclusive=True, group="zoom")
            return
        if self.pending is not None:
            self.pending = None
            self.workers.cancel_group(self, "zoom")
        self.state = self.state.zoomed(zoom)

    def on_level_ready(self, event: LevelReady) -> None:
        event.stop()
        if event.panes is self.panes and event.zoom == self.pending:  # still the request
            self.pending = None
            self.state = self.state.zoomed(event.zoom)

    def _busy(self, text: str) -> None:
        """Say what is being prepared (from any thread: posting is thread-safe)."""
        self.post_message(self.Busy(text))
