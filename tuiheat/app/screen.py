"""ViewerScreen: the viewer's keys and its workers. A worker posts a message (``messages``)
that the screen handles; one tagged with panes the screen no longer shows is dropped, and a
screen that was replaced receives nothing (its workers end with it)."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import replace
from pathlib import Path

from textual import on

from tuiheat.app.boxes import SavedBoxes, list_rows, save_boxes
from tuiheat.app.exporting import export_kind, export_text, heading, menu_choices, write_export
from tuiheat.app.facets import cycled
from tuiheat.app.filewatch import WATCH_INTERVAL, reloaded_view
from tuiheat.app.heads import HeadLink
from tuiheat.app.keys import VIEWER_KEYS
from tuiheat.app.messages import (
    Exported,
    HeadsFound,
    OpenSummary,
    RangeScanned,
    Reloaded,
    ReloadFailed,
)
from tuiheat.app.presenter import Presenter
from tuiheat.app.reactions import AFTER_NEW_DATA
from tuiheat.app.scale import base_range, for_new_data, log_said, mode_said, typed
from tuiheat.app.textlink import NO_TOKENS, text_height, text_row
from tuiheat.core.axisstats import axis_stats
from tuiheat.core.blocks import Cancelled
from tuiheat.core.boxes import Box
from tuiheat.core.colourscale import ScaleSettings
from tuiheat.core.headstats import HeadAxes, head_spec, summary_tensor
from tuiheat.core.labels import sanitize
from tuiheat.core.scale import ValueRange
from tuiheat.core.tensor import SliceError
from tuiheat.session.config import ViewerConfig
from tuiheat.session.exports import Text as ExportText
from tuiheat.widgets.margins import BACKGROUND_DELAY
from tuiheat.widgets.tokenpane import TokenPane


class ViewerScreen(Presenter):
    """The viewer's keys, and its workers (reload, range scan, export)."""

    BINDINGS = VIEWER_KEYS

    def __init__(
        self,
        config: ViewerConfig,
        settings: ScaleSettings,
        can_open: bool,
        *,
        heads: HeadLink | None = None,
    ) -> None:
        super().__init__(config, settings, can_open)
        self.heads = heads  # the head explorer: see ``heads`` and ``explorer``
        self.summarising = ""  # the statistic being computed
        self.mounted_once = False  # on_mount ran (a screen built on this one calls it first)

    def on_mount(self) -> None:
        """What follows the first frame: watchers, notices, background scans. Once: Textual
        calls each class's ``on_mount``, and a screen built on this one calls it first."""
        if self.mounted_once:
            return
        self.mounted_once = True
        self._bind_view()
        if self.config.summary and self.role == "view":
            self.action_head_summary(self.config.summary)
        if self.config.notices:  # what the data said, in one notice
            self.notify("\n".join(self.config.notices), severity="warning", timeout=8, markup=False)
        # The full scan starts once the first frame is out (a head's is its tensor's).
        if self.vrange.provisional and self.role == "view":
            self.set_timer(BACKGROUND_DELAY, self.refine)
        if self.files.wanted or any(t.source is not None for t in self.panes.tensors):
            self.set_interval(WATCH_INTERVAL, self.check_files)  # files, unreadable chunks

    def refine(self) -> None:
        """The full scan behind a sampled (provisional) range, off the event loop; past
        0.3 s the colour bar says how far it is, and newer data stops it."""
        panes, settings = self.panes, self.settings
        # A 2-D file whose whole matrix is on screen with its margins: one pass finds the
        # statistics the margins read and the range is surveyed from them (not two passes).
        shared = [v for v in panes.views(self.state.zoom) if v.shape == self.state.base_shape]
        fused = self.state.margins and not panes.diff and all(t.ndim == 2 for t in panes.tensors)

        def scan() -> None:
            watch = self.progress_of(panes)
            try:
                for view in shared if fused else ():
                    axis_stats(view, progress=watch)
                exact = base_range(panes, settings, watch=watch)
            except Cancelled:
                return
            self.post_message(RangeScanned(panes, exact))

        self.run_worker(scan, thread=True, exclusive=True, group="range")

    @on(RangeScanned)
    def _scanned(self, message: RangeScanned) -> None:
        if message.panes is not self.panes or not self.settings.base.provisional:
            return  # the scan was for other data, or a range was typed meanwhile
        self.settings = self.settings.with_base(message.vrange)
        self.rescale(skip_if_same=True)
        if self.heads is not None and self.role == "view":  # heads opened next use it
            self.heads.origin = replace(self.heads.origin, vrange=message.vrange)

    def new_data(self) -> None:
        """Other data on screen (a reload, D): a start range if it came from the data, and
        everything that shows the scale or the values."""
        self.settings = for_new_data(self.settings, self.panes)
        self.rescale()
        self.run_steps(AFTER_NEW_DATA)
        if self.settings.base.provisional:  # a big file: the exact range follows
            self.refine()

    # --- files ----------------------------------------------------------------------------

    def check_files(self) -> None:
        event = self.files.check(self.panes)
        if event is None:
            return
        if event.title:
            self.retitle()
        if event.notice:
            self.notify(event.notice, severity="warning", timeout=30, markup=False)
        if event.reload:
            self.action_reload()

    def action_reload(self) -> None:
        """Ctrl+R: read the files again, keeping the cursor, zoom, boxes and colours."""
        session = self.files.session
        if not session.can_reload:
            self.notify("Nothing to reload: this input came from standard input.", markup=False)
            return
        self.files.reloading = True
        current = self.panes.tensors

        def read() -> None:
            try:
                tensors = session.reload(current)
            except Exception as err:
                self.post_message(ReloadFailed(str(err)))
                return
            self.post_message(Reloaded(tensors))

        self.run_worker(read, thread=True, exclusive=True, group="reload")

    @on(ReloadFailed)
    def _reload_failed(self, message: ReloadFailed) -> None:
        said = self.files.failed(message.reason)
        self.retitle()
        self.notify(said, severity="error", timeout=10, markup=False)

    @on(Reloaded)
    def _reloaded(self, message: Reloaded) -> None:
        stale = bool(self.files.error or self.files.told)  # a notice about the files is up
        self.files.done()
        if stale:  # no longer true: the title says when it was reloaded
            self.app.clear_notifications()
        panes, state = reloaded_view(self.panes, self.state, message.tensors)
        self.heatview.show(panes=panes, state=state)
        self.new_data()
        self.reloads += 1

    # --- exports --------------------------------------------------------------------------

    def export_to(self, kind: str, path: Path) -> None:
        kind = export_kind(kind, path)
        try:
            text = self._export_text(kind)
        except ValueError as err:
            self.post_message(Exported(path, str(err)))
            return
        protect = [s.path for s in self.config.sources if s.path is not None]

        def write() -> None:
            self.post_message(Exported(path, write_export(path, text, protect)))

        self.run_worker(write, thread=True, group="export")

    def _export_text(self, kind: str) -> ExportText:
        if kind == "screen":
            return self.app.export_screenshot(title=sanitize(self.doc_title))
        grid = self.grid
        rows = max(1, min(grid.visible_rows, grid.matrix.n_rows - grid.top_row))
        cols = max(1, min(grid.visible_cols, grid.matrix.n_cols - grid.left_col))
        visible = Box(
            grid.top_row, grid.top_row + rows - 1, grid.left_col, grid.left_col + cols - 1
        )
        title = heading(self.panes, self.doc_title)
        args = (self.panes, self.state, visible, self.settings, self.vrange, title)
        return export_text(kind, *args)

    @on(Exported)
    def _exported(self, message: Exported) -> None:
        if message.error:
            said = f"Not exported: {sanitize(message.error)}"
            self.notify(said, severity="error", timeout=8, markup=False)
        else:
            self.notify(f"Wrote {sanitize(str(message.path))}", timeout=4, markup=False)
        self.exports += 1

    # --- keys -----------------------------------------------------------------------------

    def action_cycle_colormap(self) -> None:
        """c: the seed's Blues, then viridis, magma, greys and the diverging RdBu."""
        self.new_settings(self.settings.next_colormap())

    def action_toggle_log(self) -> None:
        """L: a log scale (positive values; the rest clip to the low end)."""
        self.new_settings(self.settings.toggled_log())
        if self.settings.log:
            self.notify(log_said(self.settings, self.vrange), timeout=4, markup=False)

    def action_cycle_range_mode(self) -> None:
        """R: fixed range / this matrix's min–max / each row / each column to its own."""
        settings = self.settings.next_mode()
        self.notify(mode_said(settings), timeout=2, markup=False)
        self.new_settings(settings)

    def action_set_range(self) -> None:
        """v: type vmin and vmax (or a centre, or auto)."""
        from tuiheat.screens.rangeprompt import RangeScreen

        def apply(result: tuple[ValueRange | None, float | None] | None) -> None:
            if result is not None:
                self.new_settings(typed(self.settings, result, self.panes))

        by_axis = self.settings.mode in ("row", "column")
        shown = self.settings.base if by_axis else self.vrange
        self.app.push_screen(RangeScreen(shown, self.settings.center), apply)

    def action_toggle_difference(self) -> None:
        """D: each pane minus the first (A − B for two), centred on 0; or back to the panes."""
        panes = self.panes
        if panes.kind != "files":
            why = (
                "D compares files (tuiheat A B); these panels are slices of one array."
                if panes.kind == "facets"
                else "D needs two files: tuiheat A B compares them."
            )
            self.notify(why, timeout=4, markup=False)
            return
        self.heatview.show(panes=panes.toggled_diff())
        if self.panes.diff:
            start = base_range(self.panes, self.settings, sample=True)
            self.settings = self.settings.for_difference(start)
        else:
            self.settings = self.settings.restored()
        self.new_data()

    def action_toggle_chart(self) -> None:
        """p: the profile chart of the cursor's column and row, following the cursor. It
        stays asked for while the terminal is too small for it, and comes back with room."""
        if not self.fitter.chart_wanted and not self.fitter.chart_fits(self.terminal.height):
            said = "The terminal is too small for the chart."
            self.notify(said, severity="warning", timeout=3)
            return
        self.fitter.chart_wanted = not self.fitter.chart_wanted
        self.lay_out()

    def action_toggle_text(self) -> None:
        """W: the column axis's tokens as running text under the grid, coloured by the
        cursor's row; the grid's cursor marks its token, a click on a token moves it."""
        shown = self.text_wanted and self.chrome.tokens.row is not None
        if not shown:
            painter = self.grid.grid_layout.painter
            if text_row(self.panes, self.state, self.heatview.scale, painter) is None:
                self.notify(NO_TOKENS, severity="warning", timeout=4, markup=False)
                return
            if text_height(1, self.terminal.height) == 0:
                said = "The terminal is too small for the token text."
                self.notify(said, severity="warning", timeout=3, markup=False)
                return
        self.text_wanted = not shown
        self.follow_text()
        self.lay_out()

    @on(TokenPane.Chosen)
    def _token_chosen(self, event: TokenPane.Chosen) -> None:
        self.heatview.state = self.state.at_base(None, event.token)

    def action_back(self) -> None:
        """Esc: close the chart, stop a summary being computed, or go back (a head to its
        summary, the summary to the tensor: ``explorer``)."""
        if self.fitter.chart_wanted:
            self.action_toggle_chart()
        elif self.summarising:
            self.workers.cancel_group(self, "heads")
            self.summarising = ""
            self.show_info()
            self.chrome.show_scale(self.scale or self.heatview.scale)
            self.notify("Head summary stopped (S starts it again).", timeout=3, markup=False)
        else:
            self.go_back()

    def go_back(self) -> None:
        """The tensor's own screen has nothing to go back to."""

    def show_head(self, layer: int, head: int) -> None:
        """Back from the summary: a tensor showing query × key shows the head chosen."""
        axes = self.heads.axes if self.heads is not None else None
        spec = self.state.spec
        if axes is not None and (spec.rows, spec.cols) == (axes.query, axes.key):
            self.heatview.slice(head_spec(self.panes.first.tensor, axes, layer, head))

    # --- the head explorer (the model: heads.py; its screens: explorer.py) ----------------

    def action_head_summary(self, stat: str | None = None) -> None:
        """S: the layer × head grid of one statistic per head, computed in a worker."""
        link = self.heads
        if link is None:
            try:
                if len(self.panes.tensors) > 1:
                    raise SliceError("the head summary is of one array: open one file")
                origin = replace(self.config, vrange=self.settings.base)  # as far as known
                link = HeadLink(origin, HeadAxes.of(self.panes.first.tensor))
            except SliceError as err:
                said = f"No head summary: {sanitize(str(err))}"
                self.notify(said, severity="warning", timeout=6, markup=False)
                return
            self.heads = link
        stat = stat or link.last
        if stat in link.found:
            self.show_summary(link, stat)
            return
        self.summarising = stat
        self.show_info(f"{stat} per head …")
        panes = self.panes

        def work() -> None:
            watch = self.progress_of(panes)
            try:
                summary = summary_tensor(link.tensor, link.axes, stat, progress=watch)
            except Cancelled:
                return
            self.post_message(HeadsFound(link, stat, summary))

        self.run_worker(work, thread=True, exclusive=True, group="heads")

    @on(HeadsFound)
    def _heads_found(self, message: HeadsFound) -> None:
        message.stop()
        link = message.link
        assert isinstance(link, HeadLink)
        link.found[message.stat] = message.summary
        if message.stat == self.summarising:
            self.summarising = ""
            self.show_info()
            self.chrome.show_scale(self.scale or self.heatview.scale)
            self.show_summary(link, message.stat)

    def show_summary(self, link: HeadLink, stat: str) -> None:
        """The summary of ``stat`` on a screen of its own, over this one (the App opens it),
        its cursor on the head shown here, if one is."""
        link.last = stat
        at = None
        with suppress(KeyError):
            spec = self.state.spec
            layer, head = spec.setting(link.axes.layer), spec.setting(link.axes.head)
            at = (layer[1], head[1]) if layer[0] == head[0] == "index" else None
        self.post_message(OpenSummary(link, stat, self.settings.colormap, at))

    async def action_cycle_facet(self) -> None:
        undo = {name: not value for name, value in self.fitter.changes.items()}
        if self.panes.kind != "facets":
            self.sliced_before = self.state.spec  # the slice the panels started from
        result = cycled(self.panes, self.state, self.config, undo, self.sliced_before)
        if isinstance(result, str):
            self.notify(result, markup=False)
            return
        if result.panes.kind != "facets":
            self.fitter.changes = {}
            self.sliced_before = None
        await self.show_facets(result.panes, result.state, result.config)

    def action_goto(self) -> None:
        """: jumps to a row and/or column, by label or index."""
        from tuiheat.screens.goto import GotoScreen

        def go(cell: tuple[int | None, int | None] | None) -> None:
            if cell is not None:
                self.heatview.state = self.state.at_base(*cell)

        self.app.push_screen(GotoScreen(self.matrix), go)

    def unsaved(self) -> bool:
        return self.boxes.unsaved(self.state, self.config.data_path)

    def may_leave(self) -> bool:
        """True when nothing would be lost, or when the user was warned once already."""
        if self.unsaved() and not self.boxes.warned:
            self.boxes = self.boxes.warn()
            return False
        return True

    def action_save_boxes(self) -> None:
        """w: the boxes into the sidecar beside the data file (atomically)."""
        state, config = self.state, self.config
        saved, said, severity = save_boxes(self.panes, state, config.data_path, config.array_key)
        if saved:
            self.boxes = SavedBoxes(state.boxes)
        self.notify(said, severity=severity, timeout=4 if saved else None, markup=False)  # type: ignore[arg-type]

    def action_box_list(self) -> None:
        """B: every box with its statistics; Enter jumps to one."""
        from tuiheat.screens.boxlist import BoxListScreen

        listed = self.state.boxes
        rows = list_rows(self.panes.shown[0], listed)
        self.read_box_stats(listed)  # what a key could not read comes in a worker

        def chosen(choice: int | tuple[int, str] | None) -> None:
            if isinstance(choice, tuple):
                index, name = choice
                self.heatview.state = self.state.renamed(index, name)
                self.action_box_list()  # the list again, with the new name
            elif choice is not None and 0 <= choice < len(listed):
                box = listed[choice]
                self.heatview.state = self.state.at_base(box.r0, box.c0)

        self.app.push_screen(BoxListScreen(rows, [b.name for b in listed]), chosen)

    def action_export(self) -> None:
        from tuiheat.screens.exportmenu import ExportScreen
        from tuiheat.session.exports import export_stem

        stem = export_stem(self.config.data_path)
        choices = menu_choices(stem, self.state.box_at_cursor())

        def chosen(result: tuple[str, Path] | None) -> None:
            if result is not None:
                # The menu is gone once the screen has been redrawn: the screenshot is clean.
                self.call_after_refresh(self.export_to, *result)

        self.app.push_screen(ExportScreen(choices, Path.cwd()), chosen)

    def action_quit(self) -> None:
        """Quit; with boxes not saved to a file that could keep them, warn once first."""
        if self.may_leave():
            self.app.exit(self.state.boxes)  # what ``tuiheat.show`` returns
        else:
            said = "Boxes are not saved: w saves them, q again quits."
            self.notify(said, severity="warning", markup=False)
