"""The viewer screen's model and chrome: one array (or N files, or the panels of one array's
axis) on the whole screen. ``Presenter`` composes the heat view and the chrome, holds the
model and hands each chrome widget what it shows; ``screen.ViewerScreen`` adds the keys
and the workers.

The model: the view state lives in the heat view (as a DataTable's cursor lives in the
table; the screen watches it), the colour settings here, resolved once per change into the
one ``ResolvedScale`` that cells, bar, title, profiles, chart and exports read. What each
change repaints is the data of ``reactions``. Workers post messages (``messages``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.worker import get_current_worker

from tuiheat.app.boxes import BoxReading, SavedBoxes
from tuiheat.app.chrome import Chrome
from tuiheat.app.columnmarks import ColumnMarks
from tuiheat.app.filewatch import FileWatch
from tuiheat.app.fit import Fitter
from tuiheat.app.keys import key_hints
from tuiheat.app.messages import ScaleResolved, ScanProgress
from tuiheat.app.opening import opening
from tuiheat.app.reactions import plan
from tuiheat.app.textlink import text_height, text_row
from tuiheat.core.axisstats import axis_stats, known_stats
from tuiheat.core.blocks import Cancelled, throttled
from tuiheat.core.colourscale import ResolvedScale, ScaleSettings, looks_same
from tuiheat.core.labels import sanitize
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.panes import PaneSet
from tuiheat.core.scale import ValueRange, Watch
from tuiheat.core.tensor import SliceSpec
from tuiheat.core.viewstate import ViewState, changed
from tuiheat.render.texts import TitleFacts, info_text, status_width
from tuiheat.render.viewtexts import doc_title, readout_text
from tuiheat.session.config import ViewerConfig
from tuiheat.session.files import FileSession
from tuiheat.widgets.heatgrid import HeatGrid
from tuiheat.widgets.heatview import HeatView
from tuiheat.widgets.topktable import WIDTH as TOPK_WIDTH

# The screen's method for each step of ``reactions.ORDER`` (``profiles!``: forced profiles).
STEP_METHODS = {
    "rescale_if_view": "rescale_if_view",
    "text": "follow_text",
    "title": "retitle",
    "status_width": "status_width",
    "layout": "lay_out",
    "readout": "readout",
    "boxinfo": "box_line",
    "hints": "hints",
    "profiles": "profiles",
    "marks": "column_marks",
}
RESOLVE_IN_WORKER = 1 << 22  # cells: a scale reading more is resolved off the event loop


class Presenter(BoxReading, ColumnMarks):
    """The model on screen and what each change of it repaints."""

    role = "view"  # in the head explorer: "summary" or "head" (see ``heads``)

    def __init__(self, config: ViewerConfig, settings: ScaleSettings, can_open: bool) -> None:
        super().__init__()
        start = opening(config, settings)
        self.config = config
        self.settings = start.settings
        self._panes, self._state = start.panes, start.state  # until composed
        self.scale: ResolvedScale | None = None  # resolved in compose
        colour = config.display.color_mode != "none"
        self.fitter = Fitter(colour, {"half": True if config.half else None, "margins": None})
        self.files = FileWatch(FileSession(config.sources), config.watch)
        self.boxes = SavedBoxes(tuple(config.boxes))
        self.can_open = can_open  # "o" lists the arrays of the bundle
        self.reloads = self.exports = 0  # done, for tests and scripts
        self.doc_title = ""
        self.sliced_before: SliceSpec | None = None  # f: the slice before the panels
        self._chrome: Chrome | None = None
        self._composing = self._deciding = False
        self._fitted_size = Size(0, 0)
        self.text_wanted = bool(config.as_text)  # W: the token text under the grid

    # --- the model ------------------------------------------------------------------------

    @property
    def chrome(self) -> Chrome:
        assert self._chrome is not None
        return self._chrome

    @property
    def heatview(self) -> HeatView:
        return self.chrome.heatview

    @property
    def grid(self) -> HeatGrid:
        return self.heatview.first

    @property
    def state(self) -> ViewState:
        return self._chrome.heatview.state if self._chrome is not None else self._state

    @property
    def panes(self) -> PaneSet:
        return self._chrome.heatview.panes if self._chrome is not None else self._panes

    @property
    def matrix(self) -> HeatMatrix:
        """The data on screen (of the first pane shown: A − B while D is on)."""
        return self.panes.shown[0].matrix

    @property
    def view(self) -> HeatMatrix:
        """What the first grid shows: the data, or its zoomed-out view."""
        return self.panes.shown[0].view(self.state.zoom)

    @property
    def terminal(self) -> Size:
        """The terminal's size: what the layout plans for (the screen's own size is known
        only after its first layout, and compose sizes everything before it)."""
        return self.app.size

    @property
    def vrange(self) -> ValueRange:
        return self.scale.vrange if self.scale is not None else self.settings.base

    # --- the first frame ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Everything is sized from the terminal here, so the first frame is the only frame."""
        panes = self._panes
        state = self.fitter.start_state(self._state, panes, tuple(self.terminal))
        self.scale = self.settings.resolve(panes.views(state.zoom))
        chrome = self._chrome = Chrome.build(state, panes, self.scale, self.config.display)
        if panes.single:
            chrome.heatview.fit_room = self._fit_room
        self._fitted_size = self.terminal
        with self._composition():
            chrome.status.show(readout_text(panes, state))
            self.follow_text()
            self.lay_out()
            self.status_width()
            self.hints()
            self.doc_title = self._doc_title()
            chrome.titlebar.title_text = sanitize(self.doc_title)
            chrome.titlebar.set_info(*self.info())
        yield chrome.titlebar
        yield chrome.main
        yield from (chrome.rowprofile, chrome.colprofile, chrome.chart)
        with Vertical(id="bottom"):  # docked: the status line stays at the bottom
            yield chrome.tokens  # the grid's room was planned without its lines
            yield chrome.legend
            yield chrome.boxinfo
            with Horizontal(id="statusline"):
                yield chrome.status
                yield chrome.hints

    @contextmanager
    def _composition(self) -> Iterator[None]:
        self._composing = True
        try:
            yield
        finally:
            self._composing = False

    def _bind_view(self) -> None:
        """A new heat view on screen: keys, profiles, the chrome following its state."""
        self.grid.focus()
        # Profiles read a whole row and column (thousands of reads in a big file): they
        # follow the first frame rather than delay it.
        self.call_after_refresh(lambda: self.run_steps(("profiles!",)))
        self.watch(self.heatview, "state", self.present, init=False)
        self.box_line()
        self.fit_panels()

    # --- the model changed: the reactions ---------------------------------------------------

    def present(self, old: ViewState, new: ViewState) -> None:
        if not self._deciding:
            self.fitter.noted(old, new)
        self.run_steps(plan(changed(old, new)))

    def run_steps(self, steps: tuple[str, ...]) -> None:
        for step in steps:
            if step == "profiles!":
                self.profiles(force=True)
            else:
                getattr(self, STEP_METHODS[step])()

    def decide(self, state: ViewState) -> None:
        """A change of the state made by tuiheat, not asked for by the user."""
        self._deciding = True
        try:
            self.heatview.state = state
        finally:
            self._deciding = False

    def follow_text(self) -> None:
        """The token text shows the cursor's row and marks its token."""
        if not self.text_wanted:
            return
        painter = self.heatview.first.grid_layout.painter
        row = text_row(self.panes, self.state, self.scale or self.heatview.scale, painter)
        if row is None:  # transposed: the columns are not tokens (t again brings them back)
            self.chrome.tokens.clear()
        else:
            self.chrome.tokens.show(row, self.state.cursor_block()[2])

    def readout(self) -> None:
        self.chrome.status.show(readout_text(self.panes, self.state))

    def hints(self) -> None:
        self.chrome.hints.update(self._hints_text())

    def _hints_text(self, room: int | None = None) -> str:
        """The keys for the mode on screen, in the room the readout leaves."""
        if room is None:
            room = self.terminal.width - int(self.chrome.status.styles.width.value) - 2
        return key_hints(self.panes, self.can_open, self.state, room, self.role)

    def profiles(self, force: bool = False) -> None:
        if force:
            self.chrome.forget_profiles()
        ascii_only = self.config.display.ascii_only
        self.chrome.show_profiles(self.view, self.vrange, self.state.cursor.cell, ascii_only)

    def retitle(self) -> None:
        self.doc_title = self._doc_title()
        self.chrome.titlebar.title_text = sanitize(self.doc_title)
        self.show_info()

    def _doc_title(self) -> str:
        return doc_title(self.panes, self.state, self.config.title, self.config.array_name)

    def show_info(self, busy: str = "") -> None:
        """The title's facts; ``busy``: what the view is doing instead, for now."""
        self.chrome.titlebar.set_info(*((busy,) if busy else self.info()))

    def info(self) -> tuple[str, ...]:
        """The title's facts, in full and in the shorter forms a narrow screen shows."""
        panes = self.panes
        difference = ""
        if panes.diff:
            difference = "A − B" if len(panes.panes) == 2 else "differences from A"
        facts = TitleFacts(
            shape=self.matrix.shape,
            zoom=self.state.zoom,
            scale=self.settings,
            vrange=self.vrange,
            color_mode=self.config.display.color_mode,
            ascii_only=self.config.display.ascii_only,
            difference=difference,
            page=self.fitter.page,
            notes=panes.first.tensor.notes,
            reload_error=self.files.title_error(),
            watching=self.config.watch,
            reloaded=self.files.reloaded_at,
            fitted=self.fitter.fitted(panes, self.state),
            whole=panes.first.tensor.ndim > 2 and self.settings.auto and not difference,
        )
        return tuple(info_text(facts, level) for level in range(4))

    def status_width(self) -> None:
        width = status_width(self.view, self.state.zoom, len(self.panes.panes))
        if self.panes.kind == "facets":  # up to 64 values: the key hints stay in sight
            full = self.terminal.width
            hints = cell_len(self._hints_text(60)) + 2
            width = min(width, max(full // 2, full - hints))
        self.chrome.status.styles.width = width

    # --- the layout -----------------------------------------------------------------------

    def lay_out(self) -> None:
        """Decide what is shown in the terminal's size and size the grids to their cells."""
        chrome, fitter, size = self.chrome, self.fitter, self._grid_size()
        said = (fitter.plan.given_up if fitter.plan else (), fitter.page)
        wanted = None
        if self.panes.single:  # the mode is the plan's kind: one rule for each
            wanted = fitter.layout_one(chrome, self.view, self.state, size, self._composing)
        else:
            fitter.layout_panels(chrome, self.panes, size)
        assert fitter.plan is not None
        profiles, chart = "profiles" in fitter.plan.shown, "chart" in fitter.plan.shown
        now = (fitter.plan.given_up if fitter.plan else (), fitter.page)
        if now != said and not self._composing:
            self.show_info()  # the title says what was given up, and which page
        if wanted is not None:  # the state's watchers lay out again, with this plan
            self.decide(wanted)
            return
        if chrome.set_profiles_shown(profiles) and not self._composing:
            self.profiles(force=True)
        if chrome.set_chart_shown(chart):
            chrome.chart.cell = None
            chrome.chart.follow(self.view, *self.state.cursor.cell)

    def _grid_size(self) -> tuple[int, int]:
        """The terminal less the token text's lines and the lens table's columns."""
        width, height = self.terminal.width, self.terminal.height
        tokens = self.chrome.tokens
        taken = text_height(tokens.lines_needed(width) if self.text_wanted else 0, height)
        tokens.display = taken > 0
        tokens.styles.height = max(1, taken)
        beside = TOPK_WIDTH if self.chrome.topk.display else 0
        return width - beside, height - taken

    def _fit_room(self) -> tuple[int, int]:
        size = self._grid_size()
        return self.fitter.fit_room(size, self.chrome.chart.display)

    def fit_panels(self) -> None:
        """Panels (of files or of a facet) just laid out: half blocks and/or no margins, if
        that shows more of them (H and s bring them back); the title says so."""
        if self.panes.single:
            self.fitter.changes = {}
            return
        changes = self.fitter.panel_toggles(self.panes)
        if changes:
            self.decide(replace(self.state, **changes))
            self.show_info()

    def on_resize(self) -> None:
        """Laid out after Textual's own handler, which records the size the layout reads."""
        self.call_next(self._refit)

    def _refit(self) -> None:
        """A new terminal size: everything as a fresh start at this size would have it."""
        if self._chrome is None or self.terminal == self._fitted_size:
            return  # not the start-up resize
        self._fitted_size = self.terminal
        self.lay_out()
        before = self.fitter.undo_toggles()  # panels decide again from the user's state
        if any(getattr(self.state, name) != value for name, value in before.items()):
            self.decide(replace(self.state, **before))
        self.fit_panels()
        if not self.fitter.changes:
            self.show_info()
        self.status_width()
        self.hints()
        self.profiles(force=True)

    # --- the colour scale -----------------------------------------------------------------

    def rescale_if_view(self) -> None:
        """A new slice or zoom: scales that depend on the data on screen follow it."""
        if self.settings.mode != "fixed" or self.settings.log:
            self.rescale(skip_if_same=True)

    def rescale(self, skip_if_same: bool = False) -> None:
        """Resolve the settings once; recolour all that shows the scale. Statistics already
        found are used (no data read); a scale that needs a pass over a big view (each row
        or column to its own range) is resolved off the event loop: keys keep working, and
        past 0.3 s the colour bar says how far the pass is."""
        views = self.panes.views(self.state.zoom)
        stats = [known_stats(v) for v in views]
        by_axis = self.settings.mode in ("row", "column")
        big = sum(v.n_rows * v.n_cols for v in views) > RESOLVE_IN_WORKER
        if by_axis and big and None in stats:
            self._resolve_later(views)
            return
        self.show_scale(self.settings.resolve(views, stats), skip_if_same)

    def _resolve_later(self, views: list[HeatMatrix]) -> None:
        panes, settings = self.panes, self.settings

        def resolve() -> None:
            watch = self.progress_of(panes)
            try:
                stats = [
                    axis_stats(v, progress=lambda d, i=i: watch((i + d) / len(views)))
                    for i, v in enumerate(views)
                ]
            except Cancelled:
                return
            self.post_message(ScaleResolved(panes, settings, settings.resolve(views, stats)))

        self.run_worker(resolve, thread=True, exclusive=True, group="scale")

    def progress_of(self, panes: PaneSet) -> Watch:
        """For a pass in one of this screen's workers: past 0.3 s the colour bar says how
        far it is, and the worker's cancellation (a newer request) stops it."""
        worker = get_current_worker()

        def report(done: float) -> None:
            self.post_message(ScanProgress(panes, done))

        return throttled(report, lambda: worker.is_cancelled)

    @on(ScanProgress)
    def _scanning(self, message: ScanProgress) -> None:
        if message.panes is self.panes:
            self.chrome.show_progress(f"≈ {message.done:.0%} read")

    @on(ScaleResolved)
    def _resolved(self, message: ScaleResolved) -> None:
        if message.panes is self.panes and message.settings is self.settings:
            self.show_scale(message.scale)

    def show_scale(self, resolved: ResolvedScale, skip_if_same: bool = False) -> None:
        view = self.heatview
        same = (
            resolved.by_axis is None
            and view.scale.by_axis is None
            and resolved.colormap == view.scale.colormap
            and looks_same(self.vrange, resolved.vrange, view.first.grid_layout.painter.n_bins)
        )
        self.scale = resolved
        if not (skip_if_same and same):
            view.show(scale=resolved)
        self.chrome.show_scale(resolved)
        self.follow_text()
        self.show_info()
        self.profiles(force=True)

    def new_settings(self, settings: ScaleSettings) -> None:
        self.settings = settings
        self.rescale()

    # --- the heat view's messages -----------------------------------------------------------

    def on_heat_view_page_turned(self, event: HeatView.PageTurned) -> None:
        self.lay_out()  # names the panels now on screen; the title says which

    def on_heat_view_busy(self, event: HeatView.Busy) -> None:
        self.show_info(event.text)

    def on_heat_view_noted(self, event: HeatView.Noted) -> None:
        """``^`` or ``_`` said where it put the cursor: the box line shows it (a terminal
        too small for that line gets a brief notice instead)."""
        self.box_line()
        if not self.chrome.boxinfo.display:
            self.notify(event.text, timeout=4, markup=False)

    async def show_facets(self, panes: PaneSet, state: ViewState, config: ViewerConfig) -> None:
        """Other panels of the same data (a facet on or off): the state kept."""
        self._panes, self._state, self.config = panes, state, config
        await self.recompose()
        self._bind_view()
