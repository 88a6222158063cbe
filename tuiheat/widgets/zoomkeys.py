"""The zoom keys of the heat view: ``-`` ``+`` ``z`` and ``r``. A zoom whose screen would
cover most of a big file is prepared in a worker (the overview, with its progress); keys
pressed meanwhile step from the zoom on its way, and a newer request replaces it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.worker import get_current_worker

from tuiheat.core.blocks import throttled
from tuiheat.core.panes import PaneSet
from tuiheat.core.zoom import Zoom, fit_zoom, next_reducer, zoom_step
from tuiheat.render.sizes import MIN_CELL

if TYPE_CHECKING:
    from tuiheat.widgets.heatview import HeatView

LAZY_CELLS = 1 << 21  # data cells the screen may cover before a zoom is reduced in a thread
PROGRESS_AFTER = 0.3  # seconds of work before its progress is shown
NO_ZOOM = {
    "in": "At full resolution: a cell is one value (- zooms out).",
    "out": "Zoomed out as far as it goes.",
    "fit": "The whole matrix is on screen already (+ and - zoom).",
}


class ZoomKeys:
    """Mixed into ``HeatView``: the methods read its state, panes and grids."""

    def action_zoom(self: HeatView, direction: str) -> None:
        """- zooms out (a cell stands for twice the values each way), + zooms in, z fits all."""
        # A zoom still being prepared counts: keys pressed meanwhile step from it, in order.
        zoom, shape, grid = self.pending or self.state.zoom, self.state.base_shape, self.first
        if direction == "fit":
            rows, cols = max(1, grid.visible_rows), max(1, grid.visible_cols_at(MIN_CELL))
            if self.fit_room is not None:  # the lines the screen could give, not those it does
                rows = max(1, self.fit_room())
            target = fit_zoom(shape, rows, cols, zoom.reducer)
        else:
            target = zoom_step(zoom, shape, out=direction == "out")
        if target == zoom:  # nothing to do: say why, briefly
            self.app.bell()
            self.notify(NO_ZOOM[direction], timeout=3, markup=False)
            return
        self.request_zoom(target)

    def action_cycle_reducer(self: HeatView) -> None:
        """r: mean, max, min, nearest in turn (the readout always names it)."""
        zoom = self.pending or self.state.zoom
        if zoom.is_identity:
            self.notify(
                "At full resolution every cell is one value; - zooms out.", timeout=3, markup=False
            )
            return
        self.request_zoom(zoom.with_reducer(next_reducer(zoom.reducer)))

    def request_zoom(self: HeatView, zoom: Zoom) -> None:
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
            self.pending = zoom  # a newer request replaces (and cancels) this one
            for each in self.grids:  # the file is read once at a time
                each.margin_cache.stop()
            self.post_message(self.Busy(f"zooming to {zoom.describe()} …"))
            self._prepare(self.panes, zoom)
            return
        if self.pending is not None:
            self.pending = None
            self.workers.cancel_group(self, "zoom")
        self.state = self.state.zoomed(zoom)

    @work(thread=True, exclusive=True, group="zoom")
    def _prepare(self: HeatView, panes: PaneSet, zoom: Zoom) -> None:
        worker = get_current_worker()

        def report(done: float) -> None:  # what it is doing, past 0.3 s
            bar = "▰" * round(10 * done) + "▱" * (10 - round(10 * done))
            text = f"zooming to {zoom.describe()}: reading the file {bar} {done:.0%} (Esc stops)"
            self.app.call_from_thread(self.post_message, self.Busy(text))

        progress = throttled(report, after=PROGRESS_AFTER)
        for pane in panes.shown:
            if not pane.prepare(zoom, lambda: worker.is_cancelled, progress):
                return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._prepared, panes, zoom)

    def _prepared(self: HeatView, panes: PaneSet, zoom: Zoom) -> None:
        if panes is self.panes and zoom == self.pending:  # still the request, same panes
            self.pending = None
            self.state = self.state.zoomed(zoom)
