"""The peak keys of the heat view: ``^`` puts the cursor on the maximum, ``_`` on the
minimum; pressed again, on the next highest (lowest) cell, ties in reading order.

They search the first pane shown (A, or A − B under ``D``): the slice on screen, its
blocks when zoomed out, or the box under the cursor. Small data is searched at once; a
big file in a thread, its progress in the title, stopped by the next key. The box line
says where the cursor went until it moves again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from textual import events
from textual.worker import get_current_worker

from tuiheat.core.blocks import Cancelled, throttled
from tuiheat.core.boxes import Box
from tuiheat.core.matrix import HeatMatrix
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
from tuiheat.core.viewstate import ViewState
from tuiheat.render.readout import no_peak_note, peak_note

if TYPE_CHECKING:
    from tuiheat.widgets.heatview import HeatView

KEYS = {"max": "^", "min": "_"}
BOUND = ("circumflex_accent", "underscore")  # as Textual names them (see heatkeys.py)
FIRST_COUNT = 32  # cells a first pass keeps: as many presses again without another pass
SYNC_CELLS = 1 << 20  # cells a search may read on the event loop (a few ms)
PROGRESS_AFTER = 0.3


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

    def run(self, watch: Watch | None = None) -> Ranked:
        if self.hint is not None and self.box is None:
            return rank_in_rows(self.matrix, self.kind, self.count, self.hint, watch)
        return rank_cells(self.matrix, self.kind, self.count, self.box, watch)


class PeakKeys:
    """Mixed into ``HeatView``: what was found is kept per view matrix, kind and box, so
    going back and forth between ``^`` and ``_`` reads the file once."""

    peak_matrix: HeatMatrix | None = None
    peak_lists: dict[tuple[str, Box | None], Ranked]
    walk: Walk | None = None  # the last jump, while the cursor stays on its cell
    note: tuple[ViewState, str] | None = None  # what the box line says about it
    searching: Search | None = None

    def action_peak(self: HeatView, kind: str) -> None:
        """^ the maximum, _ the minimum; again: the next highest (lowest) cell."""
        search = self._peak_request(kind)
        if self.searching is not None:
            if self.searching.kind == kind:
                return  # already on its way
            self.stop_search()
        known = search.known
        if known is not None and (known.has(search.rank) or known.complete):
            self._jump(search, known)
            return
        if (
            search.rank == 1
            and search.box is not None
            and search.matrix is self.panes.shown[0].matrix
        ):
            stats = self.panes.shown[0].known_box_stats(search.box)  # the box line's
            if stats is not None:
                self._jump(search, from_box_stats(stats, kind))
                return
        if search.cells_read <= SYNC_CELLS:
            self._jump(search, search.run())
            return
        self.searching = search
        self.post_message(self.Busy(f"finding the {_word(search)} …"))
        self.run_worker(
            lambda: self._search_thread(search), thread=True, exclusive=True, group="peak"
        )

    def _peak_request(self: HeatView, kind: str) -> Search:
        pane, state = self.panes.shown[0], self.state
        matrix = pane.view(state.zoom)
        if matrix is not self.peak_matrix:
            self.peak_matrix, self.peak_lists, self.walk = matrix, {}, None
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
        known = self.peak_lists.get((kind, box))
        scopes = []
        if box is not None and box in state.view_boxes:
            scopes.append(f"box {box.name or state.view_boxes.index(box) + 1}")
        if len(self.panes.panes) > 1:
            scopes.append(pane.name)
        zoom = state.zoom
        hint = None
        grid = self.grids[0]
        if box is None and grid.matrix is matrix:  # the margins' row maxima narrow the pass
            margins = grid.margin_cache.data.get(kind)
            hint = None if margins is None else margins.summaries.rows
        return Search(
            kind, matrix, box, rank, " of ".join(scopes), not zoom.is_identity, known, hint
        )

    def _search_thread(self: HeatView, search: Search) -> None:
        worker = get_current_worker()

        def report(done: float) -> None:
            bar = "▰" * round(10 * done) + "▱" * (10 - round(10 * done))
            text = f"finding the {_word(search)}: reading {bar} {done:.0%} (any key stops)"
            self.app.call_from_thread(self.post_message, self.Busy(text))

        try:
            ranked = search.run(throttled(report, lambda: worker.is_cancelled, PROGRESS_AFTER))
        except Cancelled:
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._searched, search, ranked)

    def _searched(self: HeatView, search: Search, ranked: Ranked) -> None:
        if search is self.searching:  # not stopped meanwhile
            self.searching = None
            self.post_message(self.Busy(""))
            self._jump(search, ranked)

    def forget_peaks(self: HeatView) -> None:
        """Other data on screen (a reload, ``D``): what was found and said is of the old."""
        self.stop_search()
        self.note = self.walk = self.peak_matrix = None

    def stop_search(self: HeatView) -> None:
        """Another key, another view or other data: the search's answer would be stale."""
        if self.searching is None:
            return
        self.searching = None
        self.workers.cancel_group(self, "peak")
        self.post_message(self.Busy(""))

    def on_key(self: HeatView, event: events.Key) -> None:
        """The next key stops a search under way (its own key lets it go on)."""
        if self.searching is not None and event.key not in BOUND:
            self.stop_search()
            if event.key == "escape":
                self.notify("Search stopped.", timeout=2, markup=False)

    def _jump(self: HeatView, search: Search, ranked: Ranked) -> None:
        """The cursor on the ``search.rank``-th cell (the first, past the last), and the
        box line says so."""
        known = self.peak_lists.get((search.kind, search.box))
        if known is None or len(ranked.cells) >= len(known.cells):
            self.peak_lists[(search.kind, search.box)] = ranked
        if ranked.empty:
            self.walk = None
            self._say(self.state, no_peak_note(search.scope))
            return
        walk = Walk(ranked, search.rank if ranked.has(search.rank) else 1, search.box)
        self.walk = walk
        state = self.state.at(*walk.cell)
        self._say(
            state, peak_note(search.matrix, walk, search.scope, search.block, KEYS[search.kind])
        )
        self.state = state

    def _say(self: HeatView, state: ViewState, text: str) -> None:
        self.note = (state, text)
        self.post_message(self.Noted(text))


def _word(search: Search) -> str:
    word = "maximum" if search.kind == "max" else "minimum"
    return f"{word} of {search.scope}" if search.scope else word
