"""The zoom keys' logic: ``-`` ``+`` ``z`` and ``r`` as pure functions, and the thread that
prepares a zoom whose screen would cover most of a big file (the overview, with its
progress). The thread holds no widget: it reports through callbacks that post messages,
and its ``LevelReady`` names the panes and zoom it was prepared for, so a newer request
or other data on screen makes it a no-op."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.message import Message
from textual.worker import get_current_worker

from tuiheat.core.blocks import throttled
from tuiheat.core.panes import Pane, PaneSet
from tuiheat.core.zoom import Zoom, fit_zoom, next_reducer, zoom_step
from tuiheat.widgets.peaksearch import progress_bar

LAZY_CELLS = 1 << 21  # data cells the screen may cover before a zoom is reduced in a thread
PROGRESS_AFTER = 0.3  # seconds of work before its progress is shown
NO_ZOOM = {
    "in": "At full resolution: a cell is one value (- zooms out).",
    "out": "Zoomed out as far as it goes.",
    "fit": "The whole matrix is on screen already (+ and - zoom).",
}
NO_REDUCER = "At full resolution every cell is one value; - zooms out."


def zoom_target(direction: str, zoom: Zoom, shape: tuple[int, int], rows: int, cols: int) -> Zoom:
    """- zooms out (a cell stands for twice the values each way), + zooms in, ``fit`` shows
    all of ``shape`` in ``rows`` x ``cols`` cells; the same zoom: nothing to do."""
    if direction == "fit":
        return fit_zoom(shape, max(1, rows), max(1, cols), zoom.reducer)
    return zoom_step(zoom, shape, out=direction == "out")


def reducer_target(zoom: Zoom) -> Zoom | None:
    """r: mean, max, min, nearest in turn; None at full resolution (nothing to reduce)."""
    if zoom.is_identity:
        return None
    return zoom.with_reducer(next_reducer(zoom.reducer))


def needs_thread(
    zoom: Zoom, shown: Sequence[Pane], shape: tuple[int, int], screen_cells: int
) -> bool:
    """Whether ``zoom`` is prepared in a thread: its view is not at hand and the screen
    (``screen_cells`` data cells at this zoom) covers more than the event loop may read."""
    ready = zoom.is_identity or all(p.is_prepared(zoom) for p in shown)
    return not ready and min(screen_cells, shape[0] * shape[1]) > LAZY_CELLS


class LevelReady(Message):
    """Every pane of ``panes`` has its view at ``zoom``: the heat view shows it if that is
    still the request on its way for the panes on screen."""

    def __init__(self, panes: PaneSet, zoom: Zoom) -> None:
        super().__init__()
        self.panes = panes
        self.zoom = zoom


def prepare_thread(
    panes: PaneSet,
    zoom: Zoom,
    report: Callable[[str], object],
    ready: Callable[[LevelReady], object],
) -> None:
    """Reduce every pane shown to ``zoom`` in a worker thread; ``report`` its progress past
    0.3 s, then ``ready`` (both callbacks only post messages), unless cancelled."""
    worker = get_current_worker()

    def progress(done: float) -> None:
        report(f"zooming to {zoom.describe()}: reading the file {progress_bar(done)} (Esc stops)")

    watch = throttled(progress, after=PROGRESS_AFTER)
    for pane in panes.shown:
        if not pane.prepare(zoom, lambda: worker.is_cancelled, watch):
            return
    if not worker.is_cancelled:
        ready(LevelReady(panes, zoom))
