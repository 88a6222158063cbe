"""The sparkline margins' data for one grid, derived from the statistics of its view.

The statistics of every row and column (``core.axisstats``) are found once per view, in
one pass; every kind of summary (``m``) and every range is then derived from them in
microseconds. A big view is summarised in a thread, blank until then; a view whose
statistics were found before (a zoom level seen already, the same slice in a new pane,
the transpose of a summarised matrix) needs no pass at all.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widget import Widget
from textual.worker import get_current_worker

from tuiheat.core.axisstats import AxisStats, axis_stats, known_stats
from tuiheat.core.blocks import Cancelled
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.scale import ValueRange
from tuiheat.core.summary import MarginData

BACKGROUND_DELAY = 0.2  # seconds after a paint before full scans of a big matrix start
SYNC_CELLS = 1 << 20  # values a margin scan may read on the event loop (a few ms)


class Margins:
    """The margins of the view a widget shows: ``host`` runs the scans (its timers and
    workers), ``redraw`` is called once a scan's statistics came in."""

    def __init__(self, host: Widget, redraw: Callable[[], None]) -> None:
        self.host = host
        self.redraw = redraw
        self.data: dict[str, MarginData] = {}  # by kind, for the view and range last asked
        self._key: tuple[int, ValueRange, int] | None = None
        self._stats: tuple[HeatMatrix, AxisStats] | None = None
        self.job: HeatMatrix | None = None

    def clear(self) -> None:
        """Another range or view: the summaries' glyphs and colours anew (the statistics
        of a view stay: they do not depend on the range)."""
        self.data.clear()
        self._key = None

    def stats(self, matrix: HeatMatrix) -> AxisStats | None:
        """The statistics of ``matrix`` if at hand (found before, or small enough to find
        now); None while a scan is under way."""
        if self._stats is not None and self._stats[0] is matrix:
            return self._stats[1]
        found = known_stats(matrix)
        if (
            found is None and matrix.read_cells <= SYNC_CELLS
        ):  # a zoomed view of a big file is big too
            found = axis_stats(matrix)
        if found is not None:
            self._stats = (matrix, found)
        return found

    def get(self, matrix: HeatMatrix, kind: str, vrange: ValueRange, n_bins: int) -> MarginData:
        """The margins of ``kind`` for ``matrix`` coloured on ``vrange``; blank until the
        statistics of a big matrix are found (in a thread)."""
        key = (id(matrix), vrange, n_bins)
        if key != self._key:
            self.data.clear()
            self._key = key
        data = self.data.get(kind)
        if data is not None:
            return data
        stats = self.stats(matrix)
        if stats is not None:
            data = self.data[kind] = MarginData.of(stats, kind, vrange, n_bins)
            return data
        if self.job is not matrix:  # one scan per view, however many lines ask
            self.job = matrix
            # After this frame is on screen: a scanning thread would slow the first paint.
            self.host.set_timer(BACKGROUND_DELAY, lambda: self._start(matrix))
        return MarginData.blank(matrix.shape)

    def _start(self, matrix: HeatMatrix) -> None:
        if self.job is not matrix:
            return

        def scan() -> None:
            worker = get_current_worker()
            try:  # a newer view's scan (or a zoom being prepared) stops this one
                stats = axis_stats(matrix, lambda: worker.is_cancelled)
            except Cancelled:
                return
            if not worker.is_cancelled:
                self.host.app.call_from_thread(self._done, matrix, stats)

        self.host.run_worker(scan, thread=True, exclusive=True, group="margins")

    def stop(self) -> None:
        """Stop a scan under way (a zoom needs the file): it starts again when asked."""
        self.job = None
        if self.host.is_mounted:
            self.host.app.workers.cancel_group(self.host, "margins")

    def _done(self, matrix: HeatMatrix, stats: AxisStats) -> None:
        if matrix is self.job:
            self.job = None
            self._stats = (matrix, stats)
            self.data.clear()
            self.redraw()
