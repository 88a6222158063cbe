"""The peak keys' logic: ``^`` puts the cursor on the maximum, ``_`` on the minimum; pressed
again, on the next highest (lowest) cell, ties in reading order.

They search the first pane shown (A, or A − B under ``D``): the slice on screen, its
blocks when zoomed out, or the box under the cursor. Small data is searched at once; a
big file in a thread (``search_thread``) that reports by callbacks, which the heat view
makes into messages. ``PeakFinder`` is a plain object (values in, values out): what was
found, and where the last jump went, so it is tested without a terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from textual.message import Message
from textual.worker import get_current_worker

from tuiheat.core.blocks import Cancelled, throttled
from tuiheat.core.boxes import Box
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.panes import Pane, PaneSet
from tuiheat.core.peaks import (
    Ranked,
    Walk,
    candidate_rows,
    from_box_stats,
    next_count,
    rank_cells,
    rank_in_rows,
)
from tuiheat.core.scale import Watch
from tuiheat.core.summary import MarginData
from tuiheat.core.viewstate import ViewState
from tuiheat.render.readout import no_peak_note, peak_note

KEYS = {"max": "^", "min": "_"}
BOUND = ("circumflex_accent", "underscore")  # as Textual names them (see heatkeys.py)
FIRST_COUNT = 32  # cells a first pass keeps: as many presses again without another pass
SYNC_CELLS = 1 << 20  # cells a search may read on the event loop (a few ms)
PROGRESS_AFTER = 0.3


def progress_bar(done: float) -> str:
    """``▰▰▰▱▱▱▱▱▱▱ 30%``: how far a reading thread is."""
    full = round(10 * done)
    return f"{'▰' * full}{'▱' * (10 - full)} {done:.0%}"


@dataclass(frozen=True)
class Search:
    """One press: which extreme, of what, and the rank it asks for."""

    kind: str
    matrix: HeatMatrix  # the view of the first pane shown
    box: Box | None  # view cells; None: the whole slice
    rank: int
    scope: str  # ``box 2``, a pane's name, both, or nothing
    block: bool  # zoomed out: a cell is a block
    known: Ranked | None  # what an earlier pass found here
    hint: np.ndarray | None  # each row's extreme (the margins'), for the whole slice

    @property
    def cells_read(self) -> int:
        """Values the pass would read from the file (a zoomed view reads every value
        under its blocks)."""
        per_cell = self.matrix.read_cells / max(1, self.matrix.size)
        if self.box is not None:
            return int(self.box.n_cells * per_cell)
        if self.hint is not None:
            rows = candidate_rows(self.hint, self.kind == "max", self.count)
            return int(rows.size * self.matrix.n_cols * per_cell)
        return self.matrix.read_cells

    @property
    def count(self) -> int:
        return next_count(self.known, self.rank, FIRST_COUNT)

    @property
    def word(self) -> str:
        """``maximum of box 2``: what the title says is being found."""
        word = "maximum" if self.kind == "max" else "minimum"
        return f"{word} of {self.scope}" if self.scope else word

    def run(self, watch: Watch | None = None) -> Ranked:
        if self.hint is not None and self.box is None:
            return rank_in_rows(self.matrix, self.kind, self.count, self.hint, watch)
        return rank_cells(self.matrix, self.kind, self.count, self.box, watch)


class PeakFound(Message):
    """A search in a thread is done; the heat view takes it while it is still the one asked."""

    def __init__(self, search: Search, ranked: Ranked) -> None:
        super().__init__()
        self.search = search
        self.ranked = ranked


class PeakFinder:
    """What was found is kept per view matrix, kind and box, so going back and forth between
    ``^`` and ``_`` reads the file once; ``walk`` is the last jump while the cursor stays on
    its cell, ``searching`` the search under way in a thread."""

    def __init__(self) -> None:
        self.matrix: HeatMatrix | None = None
        self.lists: dict[tuple[str, Box | None], Ranked] = {}
        self.walk: Walk | None = None
        self.searching: Search | None = None

    def forget(self) -> None:
        """Other data on screen (a reload, ``D``): what was found is of the old."""
        self.walk = self.matrix = None

    def request(
        self,
        kind: str,
        panes: PaneSet,
        state: ViewState,
        margins: tuple[HeatMatrix, Mapping[str, MarginData]] | None = None,
    ) -> Search:
        """The search a press of ``kind`` asks for; ``margins``: the first grid's matrix
        and its margins' data, whose row extremes narrow a pass over the whole slice."""
        pane = panes.shown[0]
        matrix = pane.view(state.zoom)
        if matrix is not self.matrix:
            self.matrix, self.lists, self.walk = matrix, {}, None
        walk = self.walk
        if (
            walk is not None
            and walk.ranked.kind == kind
            and walk.cell == state.cursor.cell
            and (walk.box is None or walk.box in state.view_boxes)
        ):
            box, rank = walk.box, walk.next_rank()
        else:
            index = state.box_at_cursor()
            box = None if index is None else state.view_boxes[index]
            rank = 1
        scopes = []
        if box is not None and box in state.view_boxes:
            scopes.append(f"box {box.name or state.view_boxes.index(box) + 1}")
        if len(panes.panes) > 1:
            scopes.append(pane.name)
        hint = None
        if box is None and margins is not None and margins[0] is matrix:
            data = margins[1].get(kind)
            hint = None if data is None else data.summaries.rows
        known = self.lists.get((kind, box))
        block = not state.zoom.is_identity
        return Search(kind, matrix, box, rank, " of ".join(scopes), block, known, hint)

    def answer(self, search: Search, first: Pane) -> Ranked | None:
        """The answer without a thread: known already, the box line's statistics, or a
        pass small enough for the event loop; None: search in a thread."""
        known = search.known
        if known is not None and (known.has(search.rank) or known.complete):
            return known
        if search.rank == 1 and search.box is not None and search.matrix is first.matrix:
            stats = first.known_box_stats(search.box)
            if stats is not None:
                return from_box_stats(stats, search.kind)
        if search.cells_read <= SYNC_CELLS:
            return search.run()
        return None

    def jump(self, search: Search, ranked: Ranked, state: ViewState) -> tuple[ViewState, str]:
        """The state with the cursor on the ``search.rank``-th cell (the first, past the
        last), and what the box line says about it."""
        key = (search.kind, search.box)
        known = self.lists.get(key)
        if known is None or len(ranked.cells) >= len(known.cells):
            self.lists[key] = ranked
        if ranked.empty:
            self.walk = None
            return state, no_peak_note(search.scope)
        walk = Walk(ranked, search.rank if ranked.has(search.rank) else 1, search.box)
        self.walk = walk
        note = peak_note(search.matrix, walk, search.scope, search.block, KEYS[search.kind])
        return state.at(*walk.cell), note


def search_thread(
    search: Search, report: Callable[[str], object], post: Callable[[PeakFound], object]
) -> None:
    """Run ``search`` in a worker thread: ``report`` its progress past 0.3 s, ``post`` its
    answer unless cancelled (both callbacks only post messages)."""
    worker = get_current_worker()

    def progress(done: float) -> None:
        report(f"finding the {search.word}: reading {progress_bar(done)} (any key stops)")

    try:
        ranked = search.run(throttled(progress, lambda: worker.is_cancelled, PROGRESS_AFTER))
    except Cancelled:
        return
    if not worker.is_cancelled:
        post(PeakFound(search, ranked))
