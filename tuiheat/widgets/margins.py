"""The sparkline margins' data for one grid: the summary of every row and column, computed
once per view, kind and range; a big matrix is summarised in a thread, blank until then."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from tuiheat.core.blocks import Cancelled
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.scale import ValueRange
from tuiheat.core.summary import MarginData

if TYPE_CHECKING:
    from tuiheat.widgets.heatgrid import HeatGrid

BACKGROUND_DELAY = 0.2  # seconds after a paint before full scans of a big matrix start
SYNC_CELLS = 1 << 20  # values a margin scan may read on the event loop (a few ms)


class Margins:
    def __init__(self, grid: HeatGrid) -> None:
        self.grid = grid
        self.data: dict[str, MarginData] = {}
        self.job: tuple[object, ...] | None = None

    def clear(self) -> None:
        self.data.clear()

    def get(self) -> MarginData:
        grid = self.grid
        kind = grid.state.summary
        data = self.data.get(kind)
        if data is not None:
            return data
        n_bins = grid.grid_layout.painter.n_bins
        matrix, vrange = grid.matrix, grid.scale.vrange
        if matrix.read_cells <= SYNC_CELLS:  # a zoomed view of a big file is big too
            data = self.data[kind] = MarginData.compute(matrix, kind, vrange, n_bins)
            return data
        job = (id(matrix), kind, vrange)
        if self.job != job:  # one scan per view and kind, however many lines ask
            self.job = job
            # After this frame is on screen: a scanning thread would slow the first paint.
            grid.set_timer(BACKGROUND_DELAY, lambda: self._start(matrix, kind, vrange, n_bins))
        return MarginData.blank(matrix.shape)

    def _start(self, matrix: HeatMatrix, kind: str, vrange: ValueRange, n_bins: int) -> None:
        def scan() -> None:
            worker = get_current_worker()
            try:  # a newer view's scan (or a zoom being prepared) stops this one
                data = MarginData.compute(matrix, kind, vrange, n_bins, lambda: worker.is_cancelled)
            except Cancelled:
                return
            if not worker.is_cancelled:
                self.grid.app.call_from_thread(self._done, matrix, kind, vrange, data)

        self.grid.run_worker(scan, thread=True, exclusive=True, group="margins")

    def stop(self) -> None:
        """Stop a scan under way (a zoom needs the file): it starts again when asked."""
        self.job = None
        if self.grid.is_mounted:
            self.grid.app.workers.cancel_group(self.grid, "margins")

    def _done(self, matrix: HeatMatrix, kind: str, vrange: ValueRange, data: MarginData) -> None:
        grid = self.grid
        if matrix is grid.matrix and vrange == grid.scale.vrange:
            self.data[kind] = data
            grid.redraw()
