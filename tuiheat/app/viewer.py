"""TuiheatApp: the shell around the heat view. It composes the chrome (title, colour bar,
profiles, readout), owns the colour scale and the difference view, and reacts to every
change of the view state through one table (``chrome.REACTIONS``)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.widgets import Static

from tuiheat.app.boxes import BoxKeeper
from tuiheat.app.chrome import Chrome, plan
from tuiheat.app.exporting import Exporter
from tuiheat.app.facets import Facets
from tuiheat.app.filewatch import FileWatch
from tuiheat.app.keys import APP_KEYS, CSS, show_help, viewer_commands
from tuiheat.app.notices import OneNoticeApp
from tuiheat.app.picker import PickerFlow
from tuiheat.app.scale import ScaleKeys
from tuiheat.core.boxes import Box
from tuiheat.core.colourscale import start_range
from tuiheat.core.labels import sanitize
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.panes import PaneSet
from tuiheat.core.scale import default_range
from tuiheat.core.tensor import default_spec
from tuiheat.core.viewstate import ViewState, changed
from tuiheat.session import collector
from tuiheat.session.config import ViewerConfig
from tuiheat.session.files import FileSession
from tuiheat.widgets import partial_update
from tuiheat.widgets.heatgrid import HeatGrid
from tuiheat.widgets.heatview import HeatView
from tuiheat.widgets.margins import BACKGROUND_DELAY
from tuiheat.widgets.statusbar import StatusBar
from tuiheat.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from tuiheat.screens.picker import PickerScreen


class TuiheatApp(OneNoticeApp[tuple[Box, ...]]):
    """The interactive viewer of one or more panes of one shape, or of a bundle's picker."""

    TITLE = "tuiheat"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {viewer_commands}
    BINDINGS = APP_KEYS
    CSS = CSS

    def __init__(self, config: ViewerConfig) -> None:
        super().__init__()
        partial_update.install()  # idempotent; the App may be built without the launcher
        self.config = config
        self.settings = config.scale()
        self.vrange = self.settings.base
        self.ascii_only = config.display.ascii_only
        self.chrome = Chrome(self)
        self.scale_keys = ScaleKeys(self)
        self.facets = Facets(self)
        self.exporter = Exporter(self)
        self.picker = PickerFlow(self, config.collection)
        self._panes: PaneSet | None = None  # None until the picker opens an array
        self._view: HeatView | None = None  # the heat view composed (holds panes and state)
        self.boxes: BoxKeeper | None = None
        self.files = FileWatch(self, FileSession(()), False)
        self.reloads = 0
        self._fitted_size = Size(0, 0)
        if config.sources:
            self._adopt(config)

    def _adopt(self, config: ViewerConfig) -> None:
        """Take ``config``'s sources as what is on screen; the colours, display and the
        picker's place are kept (another array opened from the picker)."""
        tensors = [s.tensor for s in config.sources]
        spec = config.spec or default_spec(tensors[0])
        if config.facet is not None:
            self._panes = PaneSet.facets(tensors[0], spec, config.facet)
            spec = self._panes.first.spec
        else:
            self._panes = PaneSet.of(tensors, [s.name for s in config.sources], spec)
        first = self._panes.first.matrix
        half = config.half and config.display.color_mode != "none"
        self._state = replace(ViewState.start(first.shape, spec, config.boxes), half=half)
        self.doc_title = ""  # the chrome names it
        base = config.vrange
        if base is None and (len(tensors) > 1 or config.facet is not None):
            base = start_range(tensors, config.vmin, config.vmax, sample=True)  # one for all
        elif base is None:
            base = default_range(first, config.vmin, config.vmax)
        auto = (config.vmin, config.vmax, first.vmin, first.vmax) == (None,) * 4
        self.settings = replace(self.settings.with_base(base), auto=auto, typed=False)
        self.vrange = base  # until compose resolves the scale (ScaleSettings.resolve)
        self.boxes = BoxKeeper(self, tuple(config.boxes))
        self.files = FileWatch(self, FileSession(config.sources), config.watch)

    # --- what is on screen ------------------------------------------------------------

    @property
    def opened(self) -> bool:
        return self._panes is not None

    @property
    def panes(self) -> PaneSet | None:
        """What is shown: the heat view's, once it is composed."""
        return self._view.panes if self._view is not None else self._panes

    @property
    def heatview(self) -> HeatView:
        assert self._view is not None
        return self._view

    @property
    def grid(self) -> HeatGrid:
        return self.heatview.first

    @property
    def state(self) -> ViewState:
        return self._view.state if self._view is not None else self._state

    @property
    def matrix(self) -> HeatMatrix:
        """The data on screen (of the first pane shown: A − B while D is on)."""
        assert self.panes is not None
        return self.panes.shown[0].matrix

    def compose(self) -> ComposeResult:
        """Everything is sized from the terminal here, so the first frame is the only frame."""
        self._view = None
        if self._panes is None:  # the picker comes first: nothing is open yet
            yield TitleBar("tuiheat", "", id="titlebar")
            return
        panes = self._panes
        self._state = self.chrome.screen.start_state(self._state, panes)
        widgets = self.chrome.widgets(self._state, panes)
        self._view = widgets["heatview"]
        self._fitted_size = self.size
        with self.chrome.before_mount(widgets):
            widgets["status"] = StatusBar(self.chrome.readout_text(), id="status")
            self.chrome.layout()
            self.chrome.status_width()
            widgets["hints"] = Static(self.chrome.hints_text(), id="hints", markup=False)
            self.chrome.name()
            info = self.chrome.info()
        widgets["titlebar"] = TitleBar(sanitize(self.doc_title), *info, id="titlebar")
        yield widgets["titlebar"]
        yield widgets["main"]
        for name in ("rowprofile", "colprofile", "chart"):
            yield widgets[name]
        with Vertical(id="bottom"):  # docked: the status line stays at the bottom
            yield widgets["legend"]
            yield widgets["boxinfo"]
            with Horizontal(id="statusline"):
                yield widgets["status"]
                yield widgets["hints"]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Before an array is open (the picker at start-up), only these keys mean anything."""
        return self.opened or action in ("quit", "help", "open_picker", "command_palette")

    def on_ready(self) -> None:
        collector.resume()  # the first frame is on screen

    def on_mount(self) -> None:
        if self.config.color_note and not self.config.notices and self.size.width >= 60:
            self.notify(self.config.color_note, timeout=6, markup=False)  # title: the mode
        if not self.opened:
            self.picker.open()
            return
        self._start_view()

    def _start_view(self) -> None:
        """What follows the first frame of an array: watchers, notices, background scans."""
        self._bind_view()
        if self.config.notices:  # what the data said, in one notice
            self.notify("\n".join(self.config.notices), severity="warning", timeout=8, markup=False)
        if self.vrange.provisional:  # the full scan starts once the first frame is out
            self.set_timer(BACKGROUND_DELAY, self.scale_keys.refine)
        self.files.start()

    def _bind_view(self) -> None:
        """A new heat view on screen: keys, profiles, the chrome following its state."""
        self.grid.focus()
        # Profiles read a whole row and column (thousands of reads in a big file): they
        # follow the first frame rather than delay it.
        self.call_after_refresh(lambda: self.chrome.profiles(force=True))
        self.watch(self.heatview, "state", self.present, init=False)
        assert self.boxes is not None
        self.boxes.show_info()
        self.facets.fit()

    async def action_cycle_facet(self) -> None:
        await self.facets.cycle()

    async def show_panes(self, panes: PaneSet, state: ViewState, config: ViewerConfig) -> None:
        """Other panels of the same data (a facet on or off): a fresh view, the state kept."""
        self._panes, self._state, self.config = panes, state, config
        await self.recompose()
        self._bind_view()

    def present(self, old: ViewState, new: ViewState) -> None:
        """The chrome follows the view state: see ``chrome.REACTIONS``."""
        self.chrome.screen.noted(old, new)
        self.chrome.run(plan(changed(old, new)))

    def on_resize(self) -> None:
        """Laid out after the App's own handler, which records the size the layout reads."""
        self.call_next(self._refit)

    def _refit(self) -> None:
        if self.opened and self.size != self._fitted_size:  # not the start-up resize
            self._fitted_size = self.size
            self.chrome.refit()

    def on_heat_view_page_turned(self, event: HeatView.PageTurned) -> None:
        self.chrome.layout()  # names the panels now on screen; the title says which

    def on_heat_view_busy(self, event: HeatView.Busy) -> None:
        self.chrome.show_info(event.text)

    def on_heat_view_noted(self, event: HeatView.Noted) -> None:
        assert self.boxes is not None
        self.boxes.noted(event.text)

    def on_picker_screen_chosen(self, event: PickerScreen.Chosen) -> None:
        self.picker.chosen(event.picker, event.catalog, event.entry)

    async def load(self, config: ViewerConfig) -> None:
        """Show another array (from the picker): a fresh view, the colour settings kept."""
        for group in ("zoom", "range", "reload"):
            self.workers.cancel_group(self, group)
        self.config = config
        self._adopt(config)
        await self.recompose()
        self._start_view()

    # --- keys: the colour scale (scale.py), then what opens something -----------------

    def action_cycle_colormap(self) -> None:
        self.scale_keys.cycle_colormap()

    def action_toggle_log(self) -> None:
        self.scale_keys.toggle_log()

    def action_cycle_range_mode(self) -> None:
        self.scale_keys.cycle_mode()

    def action_set_range(self) -> None:
        self.scale_keys.ask_range()

    def action_toggle_difference(self) -> None:
        self.scale_keys.toggle_difference()

    def action_toggle_chart(self) -> None:
        self.chrome.toggle_chart()

    def action_close_chart(self) -> None:
        if self.chrome.chart_wanted:
            self.chrome.toggle_chart()

    def action_goto(self) -> None:
        """: jumps to a row and/or column, by label or index."""
        from tuiheat.screens.goto import GotoScreen

        def go(cell: tuple[int | None, int | None] | None) -> None:
            if cell is not None:
                self.heatview.state = self.state.at_base(*cell)

        self.push_screen(GotoScreen(self.matrix), go)

    def action_save_boxes(self) -> None:
        assert self.boxes is not None
        self.boxes.save()

    def action_box_list(self) -> None:
        assert self.boxes is not None
        self.boxes.show_list()

    def action_export(self) -> None:
        self.exporter.open_menu()

    def action_reload(self) -> None:
        self.files.reload()

    def action_open_picker(self) -> None:
        self.picker.open()

    async def action_quit(self) -> None:
        """Quit; with boxes not saved to a file that could keep them, warn once first."""
        if self.boxes is None:
            self.exit(())
        elif self.boxes.may_leave("Boxes are not saved: w saves them, q again quits."):
            self.exit(self.state.boxes)  # what ``tuiheat.show`` returns

    def action_help(self) -> None:
        show_help(self)
