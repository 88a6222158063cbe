"""``P`` and ``E``: each column's peak row, and the first row from which it stays at or above
X, marked in the grids and listed in a notice. The view state says what is asked for
(``ViewState.peaks``, ``.emerge``); each pane finds its rows once (``Pane.find_rows``), in
a worker for a big matrix; the grids draw them at one value a cell (``Pane.line_marks``),
and the box line names the glyphs when it has nothing else to say."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message
from textual.screen import Screen

from tuiheat.core.blocks import Cancelled
from tuiheat.core.labels import sanitize
from tuiheat.core.marks import EMERGE, PEAK
from tuiheat.core.matrix import BIG_CELLS
from tuiheat.core.panes import Pane, PaneSet
from tuiheat.core.scale import Watch
from tuiheat.core.viewstate import ViewState
from tuiheat.render.marks import emerge_text, legend, peak_text, rows_listing

if TYPE_CHECKING:
    from textual.geometry import Size

    from tuiheat.app.chrome import Chrome
    from tuiheat.core.colourscale import ResolvedScale
    from tuiheat.session.config import ViewerConfig
    from tuiheat.widgets.heatview import HeatView


class ColumnRowsFound(Message):
    """A worker found the peak and/or emergence rows of ``panes`` (kept by each pane)."""

    def __init__(self, panes: PaneSet) -> None:
        super().__init__()
        self.panes = panes


def missing(pane: Pane, state: ViewState) -> bool:
    """Whether the pane has yet to find rows the state asks for."""
    peaks, rise = pane.known_rows(state.peaks, state.emerge)
    return (state.peaks and peaks is None) or (state.emerge is not None and rise is None)


def marks_legend(pane: Pane, state: ViewState, ascii_only: bool) -> str:
    """The box line while P or E is on: what the glyphs mean, or why none show."""
    if not state.column_marks:
        return ""
    matrix = pane.matrix
    texts = {PEAK: peak_text(matrix.row_title, matrix.col_title)} if state.peaks else {}
    if state.emerge is not None:
        texts[EMERGE] = emerge_text(matrix.row_title, state.emerge)
    said = legend(texts, None, ascii_only)
    if missing(pane, state):
        return f"{said} · finding them …"
    if state.half:
        return f"{said}: marks need full cells (H)"
    if not state.zoom.is_identity:
        return f"{said}: marks show at 1:1 (+ zooms in)"
    return said


def marks_notice(pane: Pane, state: ViewState, what: str, limit: int) -> str:
    """``peak layer per token: last_q 26, …`` (``what``: "peaks" or "emerge")."""
    peaks, rise = pane.known_rows(state.peaks, state.emerge)
    rows, threshold = (peaks, None) if what == "peaks" else (rise, state.emerge)
    if rows is None:
        return ""
    return rows_listing(pane.matrix, rows, threshold, limit)


class ColumnMarks(Screen[None]):
    """The viewer screen's part for P and E: a base of ``Presenter``, whose model (state,
    panes, chrome) it reads and whose box line it fills."""

    marks_said = ""  # "peaks" or "emerge": the notice to give once the rows are found
    state: ViewState  # the presenter's, as are the rest
    panes: PaneSet
    heatview: HeatView
    chrome: Chrome
    config: ViewerConfig
    scale: ResolvedScale | None
    terminal: Size

    def box_line(self) -> None:
        raise NotImplementedError

    def progress_of(self, panes: PaneSet) -> Watch:
        raise NotImplementedError

    def action_toggle_peaks(self) -> None:
        """P: each column's peak row marked (P again: off), and listed."""
        state = self.state.toggled("peaks")
        self.marks_said = "peaks" if state.peaks else ""
        self.heatview.state = state

    def action_emerge(self) -> None:
        """E: asks X; marks per column the first row from which values stay ≥ X."""
        from tuiheat.screens.emergeprompt import EmergeScreen

        def apply(threshold: float | None) -> None:
            self.marks_said = "emerge" if threshold is not None else ""
            self.heatview.state = self.state.emerging(threshold)
            if threshold is None:
                self.notify("Emergence marks off.", timeout=2, markup=False)

        title = sanitize(self.panes.shown[0].matrix.row_title).lower()
        self.app.push_screen(EmergeScreen(title, self.state.emerge), apply)

    def column_marks(self) -> None:
        """The reaction to P, E, another slice or other data: each pane on screen finds the
        rows asked for (a worker, past ``BIG_CELLS``), then the grids and box line show them."""
        state, panes = self.state, self.panes
        wanting = [pane for pane in panes.shown if state.column_marks and missing(pane, state)]
        if not wanting:
            self.rows_found(fresh=False)
            return
        if sum(pane.matrix.read_cells for pane in wanting) <= BIG_CELLS:
            for pane in wanting:
                pane.find_rows(state.peaks, state.emerge)
            self.rows_found(fresh=True)
            return
        self.box_line()  # "finding them …"
        watch = self.progress_of

        def work() -> None:
            progress = watch(panes)
            try:
                for i, pane in enumerate(wanting):
                    done = lambda d, i=i: progress((i + d) / len(wanting))  # noqa: E731
                    pane.find_rows(state.peaks, state.emerge, progress=done)
            except Cancelled:
                return
            self.post_message(ColumnRowsFound(panes))

        self.run_worker(work, thread=True, exclusive=True, group="marks")

    def on_column_rows_found(self, message: ColumnRowsFound) -> None:
        if message.panes is self.panes:
            self.chrome.show_scale(self.scale or self.heatview.scale)
            self.rows_found(fresh=True)

    def rows_found(self, fresh: bool) -> None:
        """The rows are at hand: grids drawn before them anew, the box line, the notice."""
        if fresh:
            for grid in self.heatview.grids:
                grid.lines.cache.clear()
                grid.refresh()
        self.box_line()
        what, self.marks_said = self.marks_said, ""
        pane, state = self.panes.shown[0], self.state
        text = marks_notice(pane, state, what, 2 * self.terminal.width) if what else ""
        if text:
            self.notify(text, timeout=8, markup=False)

    def marks_line(self) -> str:
        """The box line's words while P or E is on and no box is under the cursor."""
        ascii_only = self.config.display.ascii_only
        return marks_legend(self.panes.shown[0], self.state, ascii_only)
