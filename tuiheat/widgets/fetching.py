"""A view of a remote store waits for its chunks in a worker, not on the screen.

Mixed into the heat view: a state (a cursor step, a jump) or a slice whose cells are in
chunks a remote store has not sent yet is held back while a worker fetches them, with the
progress in the title bar; the screen keeps showing the last view and takes keys. The
next key that asks for another view steps from the one on its way (``ahead``) and
replaces its fetch (what already came stays in the cache); Esc stops it. Once the chunks
are in, the view moves, painting from the cache. A local store never waits.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual.message import Message
from textual.worker import get_current_worker

from tuiheat.core.panes import PaneSet
from tuiheat.core.prefetch import Read, reads_for_view, run_reads
from tuiheat.core.viewport import scroll_to_show
from tuiheat.core.viewstate import ViewState, changed
from tuiheat.widgets.heatgrid import NEW_VIEW, HeatGrid
from tuiheat.widgets.peaksearch import progress_bar
from tuiheat.widgets.profiles import profile_step

PROGRESS_AFTER = 0.3  # seconds of fetching before the title bar says so


@dataclass(eq=False)
class Fetch:
    """A view on its way: its state, and the panes of another slice (None: the same)."""

    state: ViewState
    panes: PaneSet | None = None


class ChunksFetched(Message):
    """The chunks ``fetch`` needed are in the cache: the view shows it if still wanted."""

    def __init__(self, fetch: Fetch) -> None:
        super().__init__()
        self.fetch = fetch


def view_reads(grid: HeatGrid, panes: PaneSet, state: ViewState) -> list[Read]:
    """The chunk reads showing ``state`` over ``panes`` lacks: the window the grid would
    scroll to for its cursor, and the cursor's profiles (full resolution only: a zoomed
    view is read from its level, in memory)."""
    if not state.zoom.is_identity:
        return []
    reads: list[Read] = []
    for pane in panes.shown:
        n_rows, n_cols = pane.matrix.shape
        row, col = min(state.cursor.row, n_rows - 1), min(state.cursor.col, n_cols - 1)
        tall, wide = max(1, grid.visible_rows), max(1, grid.visible_cols)
        top = scroll_to_show(min(grid.top_row, n_rows - 1), tall, row, n_rows)
        left = scroll_to_show(min(grid.left_col, n_cols - 1), wide, col, n_cols)
        window = (top, min(n_rows, top + tall + 1), left, min(n_cols, left + wide + 1))
        reads += reads_for_view(pane.matrix, window, (row, col), profile_step(n_rows))
    return reads


def fetch_thread(
    fetch: Fetch,
    reads: list[Read],
    report: Callable[[str], object],
    ready: Callable[[ChunksFetched], object],
) -> None:
    """Make ``reads``; past 0.3 s ``report`` how far (both callbacks only post messages);
    then ``ready``, unless a newer view or Esc cancelled the worker."""
    worker, started = get_current_worker(), time.monotonic()

    def progress(done: int, total: int) -> None:
        if time.monotonic() - started > PROGRESS_AFTER and not worker.is_cancelled:
            bar = progress_bar(done / total)
            report(f"reading {total} chunks of the store: {bar} (Esc stops)")

    if run_reads(reads, progress, lambda: worker.is_cancelled):
        ready(ChunksFetched(fetch))


class WaitsForChunks:
    """The heat view's side that waits for a remote store (see the module's note)."""

    fetch: Fetch | None = None  # the view on its way
    _letting: ViewState | None = None  # the state that arrived: shown without a check
    state: ViewState
    panes: PaneSet
    first: HeatGrid
    workers: Any
    run_worker: Any
    post_message: Any
    show: Any
    _busy: Callable[[str], None]

    @property
    def ahead(self) -> ViewState:
        """The state keys step from: the one on its way, else the one shown."""
        return self.fetch.state if self.fetch is not None else self.state

    def validate_state(self, new: ViewState) -> ViewState:
        """Every new state passes here: one that needs chunks not yet fetched stays back
        (the old one is kept) while a worker fetches them."""
        if new is self._letting:
            self._letting = None
            return new
        if changed(self.state, new) & NEW_VIEW:  # a zoom or slice: prepared elsewhere
            self.drop_fetch()
            return new
        return self.state if self.wait_for(new) else new

    def wait_for(self, state: ViewState, panes: PaneSet | None = None) -> bool:
        """Start fetching what ``state`` (over ``panes``) lacks; False when it lacks
        nothing and may be shown now (any view on its way is then dropped)."""
        reads = view_reads(self.first, panes or self.panes, state)
        if not reads:
            self.drop_fetch()
            return False
        self.fetch = Fetch(state, panes)
        work = partial(fetch_thread, self.fetch, reads, self._busy, self.post_message)
        self.run_worker(work, thread=True, exclusive=True, group="fetch")
        return True

    def drop_fetch(self) -> bool:
        """Forget the view on its way (True if there was one) and stop its reads."""
        if self.fetch is None:
            return False
        self.fetch = None
        self.workers.cancel_group(self, "fetch")
        self._busy("")
        return True

    def on_chunks_fetched(self, event: ChunksFetched) -> None:
        event.stop()
        if event.fetch is not self.fetch:
            return  # replaced or stopped meanwhile
        self.fetch = None
        self._busy("")
        self._letting = event.fetch.state
        if event.fetch.panes is not None:
            self.show(panes=event.fetch.panes, state=event.fetch.state)
        else:
            self.state = event.fetch.state
