"""A view that needs slow reads waits for them in a worker, not on the screen.

Mixed into the heat view: a state (a cursor step, a jump) or a slice whose cells are in
chunks a remote store has not sent yet, or a slice that reduces a hidden axis over more
values than a key may read (``a``: the mean over 32 layers of a big store), is held back
while a worker fetches or makes it, with the progress in the title bar; the screen keeps
showing the last view and takes keys. The next key that asks for another view steps from
the one on its way (``ahead``) and replaces its work (chunks already come stay in the
cache); Esc stops it. Then the view moves, painting from memory. A local store never
waits for its chunks.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual.message import Message
from textual.worker import get_current_worker

from tuiheat.core.blocks import Cancelled, throttled
from tuiheat.core.labels import sanitize
from tuiheat.core.panes import Pane, PaneSet
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
    making: bool = False  # slices being made (not chunks being read)


class ChunksFetched(Message):
    """What ``fetch`` needed is read (or made): the view shows it if still wanted."""

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


def make_thread(
    fetch: Fetch,
    panes: list[Pane],
    report: Callable[[str], object],
    ready: Callable[[ChunksFetched], object],
) -> None:
    """Make the slices of ``panes`` (reductions over hidden axes), saying how far past 0.3 s;
    then ``ready``, unless a newer view or Esc cancelled the worker."""
    worker = get_current_worker()
    what = reduction_words(panes[0])

    def progress(done: float) -> None:
        report(f"making the {what}: {progress_bar(done)} (Esc stops)")

    watch = throttled(progress, lambda: worker.is_cancelled, after=PROGRESS_AFTER)
    report(f"making the {what} … (Esc stops)")  # a first read may take long: say so now
    try:
        for pane in panes:
            pane.make(watch)
    except Cancelled:
        return
    if not worker.is_cancelled:
        ready(ChunksFetched(fetch))


def reduction_words(pane: Pane) -> str:
    """``mean over layer``, ``max over head and mean over layer``: what a slice reduces."""
    names = pane.tensor.names
    parts = [f"{how} over {names[axis]}" for axis, how, _ in pane.spec.hidden if how != "index"]
    return sanitize(" and ".join(parts))


class WaitsForChunks:
    """The heat view's side that waits for slow reads: a remote store's chunks, a costly
    reduction (see the module's note)."""

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
        pending = self.fetch
        if pending is not None and pending.panes is not None and new.spec == pending.state.spec:
            # A key while another slice is on its way moves that view: a slice being made
            # goes on (its state is the new one); reads are planned again for it.
            if pending.making:
                pending.state = new
            elif not self.wait_for(new, pending.panes):  # it lacks nothing now: shown next
                self.fetch = Fetch(new, pending.panes)
                self.post_message(ChunksFetched(self.fetch))
            return self.state
        if changed(self.state, new) & NEW_VIEW:  # a zoom or slice: prepared elsewhere
            self.drop_fetch()
            return new
        return self.state if self.wait_for(new) else new

    def wait_for(self, state: ViewState, panes: PaneSet | None = None) -> bool:
        """Start making or fetching what ``state`` (over ``panes``) lacks; False when it
        lacks nothing and may be shown now (any view on its way is then dropped)."""
        costly = [pane for pane in (panes or self.panes).shown if pane.costly]
        reads = [] if costly else view_reads(self.first, panes or self.panes, state)
        if not costly and not reads:
            self.drop_fetch()
            return False
        self.fetch = Fetch(state, panes, making=bool(costly))
        if costly:
            work = partial(make_thread, self.fetch, costly, self._busy, self.post_message)
        else:
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
        if event.fetch.making and self.wait_for(event.fetch.state, event.fetch.panes):
            return  # made: now the chunks its view reads, if any (the fetch is replaced)
        self.fetch = None
        self._busy("")
        self._letting = event.fetch.state
        if event.fetch.panes is not None:
            self.show(panes=event.fetch.panes, state=event.fetch.state)
        else:
            self.state = event.fetch.state
