"""Boxes beyond drawing them, as values and pure functions: the box line, the list's rows,
saving them beside the file, and whether leaving would lose some."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from textual.message import Message
from textual.worker import get_current_worker

from tuiheat.core.blocks import Cancelled
from tuiheat.core.boxes import Box
from tuiheat.core.labels import sanitize
from tuiheat.core.panes import Pane, PaneSet
from tuiheat.core.tensor import default_spec
from tuiheat.core.viewstate import ViewState
from tuiheat.render.readout import box_row, box_summary
from tuiheat.render.texts import drawing_text
from tuiheat.screens.boxlist import BoxListScreen


@dataclass(frozen=True)
class SavedBoxes:
    """What was saved, and whether the user was warned about what was not."""

    saved: tuple[Box, ...] = ()
    warned: bool = False

    def unsaved(self, state: ViewState, data_path: Path | None) -> bool:
        """Boxes drawn (or deleted) since the last save, on a file that could keep them."""
        return data_path is not None and state.boxes != self.saved

    def warn(self) -> SavedBoxes:
        return replace(self, warned=True)


def box_line_text(
    state: ViewState, pane: Pane, note: tuple[ViewState, str] | None, width: int | None
) -> str:
    """The box being drawn, or the statistics of the box under the cursor (what a key may
    read of them: ``…`` for the rest); or what ``^`` or ``_`` said (``note``) while the
    cursor stays where they put it."""
    if note is not None and note[0] == state:
        return note[1]
    if state.draft is not None:
        return drawing_text(pane.matrix, state.zoom.to_base_box(state.draft, state.base_shape))
    index = state.box_at_cursor()
    if index is None:
        return ""
    box = state.boxes[index]
    stats = pane.quick_box_stats(box)  # first: then known, if it was cheap
    reading = pane.known_box_stats(box) is None
    return box_summary(pane.matrix, box, stats, index + 1, width, reading)


def list_rows(pane: Pane, boxes: tuple[Box, ...]) -> list[tuple[str, ...]]:
    """The box list's rows: what a key may read (``…`` for the rest, read in a worker)."""
    stats = [pane.quick_box_stats(b) for b in boxes]
    reading = [pane.known_box_stats(b) is None for b in boxes]
    return [box_row(pane.matrix, b, stats[i], i + 1, reading[i]) for i, b in enumerate(boxes)]


class BoxStatsRead(Message):
    """A worker read more of a box's statistics: the box line is written again (``done``:
    all it was asked)."""

    def __init__(self, done: bool = False) -> None:
        super().__init__()
        self.done = done


def read_thread(pane: Pane, boxes: tuple[Box, ...], post: Callable[[Message], object]) -> None:
    """Read the statistics of ``boxes`` (inside first, each said as it comes, then the mean
    outside: a pass over the matrix, once); stops when the worker is cancelled."""
    worker = get_current_worker()

    def cancelled() -> bool:
        return worker.is_cancelled

    try:
        for box in boxes:
            pane.inner_box_stats(box, cancelled)
            post(BoxStatsRead())
        for box in boxes:
            pane.box_stats(box, cancelled)
        post(BoxStatsRead(done=True))
    except Cancelled:
        pass


class BoxReading:
    """Mixed into the viewer: statistics of boxes too big for a key (a box of millions of
    cells, or the mean outside one over a big file) are read in a worker, ``…`` meanwhile."""

    panes: PaneSet
    state: ViewState
    run_worker: Any
    post_message: Any
    app: Any
    chrome: Any
    terminal: Any
    heatview: Any
    marks_line: Callable[[], str]
    _reading: tuple[Pane, tuple[Box, ...]] | None = None

    def read_box_stats(self, boxes: tuple[Box, ...]) -> None:
        """Read what is not known of ``boxes`` of the first pane, unless already on it."""
        pane = self.panes.shown[0]
        wanted = tuple(b for b in boxes if pane.known_box_stats(b) is None)
        if not wanted or self._reading == (pane, wanted):
            return
        self._reading = (pane, wanted)
        work = partial(read_thread, pane, wanted, self.post_message)
        self.run_worker(work, thread=True, exclusive=True, group="boxstats")

    def box_line(self) -> None:
        """The line under the grid: the box being drawn or under the cursor, or a note."""
        width = self.chrome.boxinfo.size.width or self.terminal.width
        text = box_line_text(self.state, self.panes.shown[0], self.heatview.note, width)
        self.chrome.show_box_line(text or self.marks_line())  # P, E: what the glyphs mean
        self.read_box_stats(self.box_under_cursor())

    def box_under_cursor(self) -> tuple[Box, ...]:
        index = self.state.box_at_cursor() if self.state.draft is None else None
        return () if index is None else (self.state.boxes[index],)

    def on_box_stats_read(self, event: BoxStatsRead) -> None:
        event.stop()
        if event.done:
            self._reading = None
        self.box_line()
        listing = self.app.screen  # B's list, if open, shows them too
        if isinstance(listing, BoxListScreen):
            listing.show_rows(list_rows(self.panes.shown[0], self.state.boxes))


def save_boxes(
    panes: PaneSet, state: ViewState, data_path: Path | None, array_key: str | None
) -> tuple[bool, str, str]:
    """w: the boxes into the sidecar beside the data file (atomically); whether they were
    saved, what to say and how (a notice's severity)."""
    if state.spec != default_spec(panes.first.tensor):
        why = "Boxes are saved for the file's own view: go back to it (t, [ ]) to save them."
        return False, why, "warning"
    if data_path is None:
        return (
            False,
            (
                "Boxes of this input cannot be saved (standard input or the bundled sample); "
                "open a file to keep them."
            ),
            "warning",
        )
    from tuiheat.loaders.sidecar import write_sidecar

    boxes = state.boxes
    try:
        path = write_sidecar(data_path, panes.shown[0].matrix, boxes, array_key)
    except OSError as err:
        reason = err.strerror or str(err)
        return False, f"Boxes not saved: {reason}. The previous sidecar is intact.", "error"
    count = f"{len(boxes)} box{'es' if len(boxes) != 1 else ''}"
    return True, f"Saved {count} to {sanitize(path.name)}", "information"
