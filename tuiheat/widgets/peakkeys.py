"""The peak keys in the heat view: ``^`` and ``_`` jump, a big file is searched in a
thread, and the next key stops that search (the logic: ``peaksearch.py``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual import events

from tuiheat.core.panes import PaneSet
from tuiheat.core.viewstate import ViewState
from tuiheat.widgets.heatgrid import HeatGrid
from tuiheat.widgets.peaksearch import BOUND, PeakFinder, PeakFound, search_thread


class PeakKeys:
    """Mixed into the heat view: what ``^`` and ``_`` do, and how a search ends."""

    peaks: PeakFinder
    note: tuple[ViewState, str] | None
    state: ViewState
    panes: PaneSet
    grids: list[HeatGrid]
    workers: Any
    run_worker: Any
    post_message: Any
    notify: Any
    Noted: Any
    pending: Any  # a zoom being prepared
    _busy: Callable[[str], None]

    def action_peak(self, kind: str) -> None:
        """^ the maximum, _ the minimum; again: the next highest (lowest) cell."""
        if self.pending is not None:  # the blocks on their way are not those on screen
            self.notify(
                "A zoom is on its way: ^ and _ search it once it is shown.",
                timeout=3,
                markup=False,
            )
            return
        grid = self.grids[0]
        margins = (grid.matrix, grid.margin_cache.data)
        search = self.peaks.request(kind, self.panes, self.state, margins)
        if self.peaks.searching is not None:
            if self.peaks.searching.kind == kind:
                return  # already on its way
            self.stop_search()
        ranked = self.peaks.answer(search, self.panes.shown[0])
        if ranked is not None:
            self._jump(*self.peaks.jump(search, ranked, self.state))
            return
        self.peaks.searching = search
        self._busy(f"finding the {search.word} …")
        work = partial(search_thread, search, self._busy, self.post_message)
        self.run_worker(work, thread=True, exclusive=True, group="peak")

    def on_peak_found(self, event: PeakFound) -> None:
        event.stop()
        if event.search is self.peaks.searching:  # not stopped meanwhile
            self.peaks.searching = None
            self._busy("")
            self._jump(*self.peaks.jump(event.search, event.ranked, self.state))

    def _jump(self, state: ViewState, text: str) -> None:
        """The box line says ``text`` while the state is ``state``; then the cursor goes."""
        self.note = (state, text)
        self.post_message(self.Noted(text))
        self.state = state

    def forget_peaks(self) -> None:
        """Other data on screen (a reload, ``D``): what was found and said is of the old."""
        self.stop_search()
        self.peaks.forget()
        self.note = None

    def stop_search(self) -> None:
        """Another key, another view or other data: the search's answer would be stale."""
        if self.peaks.searching is None:
            return
        self.peaks.searching = None
        self.workers.cancel_group(self, "peak")
        self._busy("")

    def on_key(self, event: events.Key) -> None:
        """The next key stops a search under way (its own key lets it go on)."""
        if self.peaks.searching is not None and event.key not in BOUND:
            self.stop_search()
            if event.key == "escape":
                self.notify("Search stopped.", timeout=2, markup=False)
