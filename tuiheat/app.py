"""TuiheatApp: composes the viewer's widgets, owns the key map and routes cursor events."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from rich.cells import cell_len
from rich.text import Text
from textual import events, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import get_current_worker

from tuiheat.core.boxes import Box
from tuiheat.core.catalog import Catalog, Collection, Entry, Opened
from tuiheat.core.colourscale import RANGE_NAMES, ScaleSettings, looks_same, start_range
from tuiheat.core.compare import (
    check_comparable,
    difference,
    like,
)
from tuiheat.core.labels import sanitize
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.scale import (
    SEED_RANGE,
    ValueRange,
    adjusted_range,
    default_range,
    range_text,
    under_text,
)
from tuiheat.core.stamp import file_stamp
from tuiheat.core.stats import BoxStats, Totals, box_stats, matrix_totals
from tuiheat.core.tensor import (
    SliceSpec,
    Tensor,
    cycle_reduction,
    default_spec,
    describe,
    slice_matrix,
    slice_text,
    step_hidden,
    transpose,
)
from tuiheat.core.viewport import Cursor
from tuiheat.core.zoom import (
    Zoom,
    ZoomedMatrix,
    fit_zoom,
    next_reducer,
    reduce_matrix,
    zoom_step,
    zoomed_matrix,
)
from tuiheat.render.axes import legend_lines
from tuiheat.render.cells import truncate_path
from tuiheat.render.gridview import UNDER_GLYPH, GridLayout
from tuiheat.render.readout import (
    COMPARE_EXTRA,
    box_label,
    box_row,
    box_summary,
    cell_readout,
    compare_readout,
    readout_width,
)
from tuiheat.widgets import partial_update
from tuiheat.widgets.colorbar import ColorBar
from tuiheat.widgets.heatgrid import BACKGROUND_DELAY, HeatGrid
from tuiheat.widgets.profilechart import ProfileChart
from tuiheat.widgets.profiles import ProfileLine
from tuiheat.widgets.statusbar import StatusBar
from tuiheat.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from tuiheat.screens.picker import PickerScreen

MODE_NAMES = {
    "truecolor": "truecolor",
    "256": "256 colours",
    "16": "16 colours",
    "none": "no colour",
}
SMALL_HEIGHT = 14  # below this many lines the legend gives its room to the grid
COLORBAR_WIDTH = 12
MAX_CACHED_VIEWS = 3
WATCH_INTERVAL = 1.0  # seconds between checks of the file on disk (a stat, nothing more)
EXPORT_STEM_CHARS = 60
LAZY_CELLS = 1 << 21  # base values the screen may cover before a zoom is reduced in a thread
MIN_CELL = 2
CHART_HEIGHT = 16
MIN_GRID_ROWS = 10
# Key hints share the status line (Textual's Footer costs ~70 ms of start-up and a line).
KEY_HINTS = "? help  b box  q quit"


def export_stem(path: Path | None) -> str:
    """A safe default file name stem for exports: the data file's, or ``tuiheat``."""
    stem = path.stem if path is not None else ""
    stem = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in stem)
    return stem.strip("._")[:EXPORT_STEM_CHARS] or "tuiheat"


class TuiheatApp(App[tuple[Box, ...]]):
    """The interactive viewer of one HeatMatrix."""

    TITLE = "tuiheat"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("s", "toggle_margins", "Sparkline margins and profiles on / off"),
        Binding("p", "toggle_chart", "Profile chart of the cursor's row and column"),
        Binding("escape", "close_chart", "Close the chart", show=False),
        Binding("minus", "zoom('out')", "Zoom out: a cell stands for twice the values"),
        Binding("plus,equals_sign", "zoom('in')", "Zoom in (centres on the cursor's block)"),
        Binding("z", "zoom('fit')", "Zoom to fit the whole matrix"),
        Binding("r", "cycle_reducer", "Zoomed cells: mean / max / min / nearest"),
        Binding("H", "toggle_half", "Half blocks: two rows per line (▀)"),
        Binding(
            "left_square_bracket",
            "step_axis(0, -1)",
            "N-D: previous index of the first hidden axis",
        ),
        Binding(
            "right_square_bracket", "step_axis(0, 1)", "N-D: next index of the first hidden axis"
        ),
        Binding(
            "left_curly_bracket",
            "step_axis(1, -1)",
            "N-D: previous index of the second hidden axis",
        ),
        Binding(
            "right_curly_bracket", "step_axis(1, 1)", "N-D: next index of the second hidden axis"
        ),
        Binding("a", "cycle_axis_reduction", "N-D: first hidden axis by index / mean / max"),
        Binding("c", "cycle_colormap", "Colour map: blues / viridis / magma / greys / rdbu"),
        Binding("v", "set_range", "Set vmin and vmax (or a centre)"),
        Binding("L", "toggle_log", "Log colour scale on / off"),
        Binding("R", "cycle_range_mode", "Colour range: fixed / matrix / per row / per column"),
        Binding("number_sign", "toggle_annotations", "Numbers (or --text) in the cells"),
        Binding("D", "toggle_difference", "Compare: the difference A − B, centred on 0"),
        Binding("t", "transpose", "Transpose: swap the rows and columns"),
        Binding("T", "toggle_raw_tokens", "Tokens raw (Ġthe) or readable (␣the)"),
        Binding("colon", "goto", "Go to a row and/or column"),
        Binding("w", "save_boxes", "Save the boxes beside the data file"),
        Binding("e", "export", "Export: screen SVG, cells as CSV, heatmap as HTML/SVG"),
        Binding("ctrl+r", "reload", "Reload the file from disk"),
        Binding("o", "open_picker", "Open another array of the bundle (or file of the folder)"),
        Binding("B", "box_list", "List the boxes with their statistics"),
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help"),
    ]

    CSS = """
    Screen {
        layout: vertical;
        background: $background;
    }
    #main {
        height: 1fr;
    }
    HeatGrid {
        height: 1fr;
    }
    #legend {
        height: auto;
        max-height: 3;
        padding: 0 0 0 1;
        color: $text-muted;
    }
    #statusline {
        height: 1;
        background: $panel;
    }
    #boxinfo {
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    #bottom {
        dock: bottom;
        height: auto;
    }
    #hints {
        height: 1;
        width: 1fr;
        text-align: right;
        padding: 0 1;
        color: $text-muted;
    }
    """

    def __init__(
        self,
        matrix: HeatMatrix | None,
        *,
        title: str = "",
        vrange: ValueRange | None = None,
        colormap: str = "blues",
        color_mode: str = "truecolor",
        ascii_only: bool = False,
        data_path: Path | None = None,
        notices: Sequence[str] = (),
        vmin: float | None = None,
        vmax: float | None = None,
        bins: int | None = None,
        half: bool = False,
        tensor: Tensor | None = None,
        spec: SliceSpec | None = None,
        array_name: str = "",
        center: float | None = None,
        log: bool = False,
        reloader: Callable[[], Tensor] | None = None,
        stamp: tuple[int, int] | None = None,
        watch: bool = False,
        compare: Tensor | None = None,
        compare_path: Path | None = None,
        compare_reloader: Callable[[], Tensor] | None = None,
        compare_stamp: tuple[int, int] | None = None,
        names: tuple[str, str] = ("A", "B"),
        collection: Collection | None = None,
        array_key: str | None = None,
        color_note: str = "",
    ) -> None:
        super().__init__()
        partial_update.install()
        # The settings that outlive the array on screen (another one opened from the picker).
        # How to colour: one value, replaced by each scale key (c v L R D).
        self.settings = ScaleSettings(SEED_RANGE, colormap, center, log, vmin=vmin, vmax=vmax)
        self.color_mode = color_mode
        self.ascii_only = ascii_only
        self.bins = bins
        self.raw_tokens = False
        self.watch_file = watch
        self.start_half = half
        self.color_note = color_note  # 256 colours for lack of evidence: how to get truecolor
        self.reloads = 0
        self.exports = 0  # finished exports (written or failed), for tests and scripts
        # Bundles and directories: where the picker's lists come from, and where it was.
        self.collection = collection
        self.picker_levels: list[Catalog] = []
        self.picker_current: str | None = None
        self.described: dict[tuple[str, str], Entry] = {}
        self.opening = False
        self._watching = False
        # Bumped when another array is opened: late results of workers for the old one drop.
        self._generation = 0
        # Compare mode: a second tensor of the same shape (B), shown beside A, or A − B.
        self.tensor_b = compare
        self.compare_path = compare_path
        self.compare_reloader = compare_reloader
        self.names = names
        self.diff_mode = False
        self._scale_generation = 0
        self.matrix: HeatMatrix | None = None  # None until the picker opens an array
        if matrix is not None:
            tensor = tensor if tensor is not None else Tensor.from_matrix(matrix)
            self._adopt(
                Opened(
                    tensor=tensor,
                    spec=spec if spec is not None else default_spec(tensor),
                    matrix=matrix,
                    title=title,
                    name=array_name,
                    vrange=vrange or default_range(matrix),
                    data_path=data_path,
                    key=array_key,
                    stamp=stamp,
                    notices=list(notices),
                    reloader=reloader,
                ),
                given_range=vrange is not None,
                compare_stamp=compare_stamp,
            )

    def _adopt(
        self, opened: Opened, given_range: bool = True, compare_stamp: tuple[int, int] | None = None
    ) -> None:
        """Take ``opened`` as the array on screen: everything that belongs to one array."""
        matrix = opened.matrix
        self.matrix = matrix
        self.doc_title = opened.title or matrix.title or "tuiheat"
        # The scale: a base range (file, flags, default or ``v``), shaped by the centre, the
        # log switch and the range mode into the range the cells are coloured by.
        auto = matrix.vmin is None and matrix.vmax is None and self.settings.vmin is None
        auto = auto and self.settings.vmax is None
        self.settings = replace(self.settings.with_base(opened.vrange), auto=auto)
        self.vrange = self._adjusted(matrix)
        self._fitted_size = Size(0, 0)
        self.data_path = opened.data_path  # where boxes are saved (a sidecar beside it)
        self.array_key = opened.key
        self.notices = list(opened.notices)
        self.saved_boxes = tuple(matrix.boxes)
        self._quit_warned = False
        self._stats: dict[Box, BoxStats] = {}
        self._totals: Totals | None = None
        self._views: dict[Zoom, HeatMatrix] = {}  # reduced views, most recent last
        # The N-D array behind the matrix, and which 2-D slice of it is on screen.
        self.tensor = opened.tensor
        self.spec = opened.spec
        self.array_name = opened.name
        # Reading the file again: a callable that returns a fresh Tensor (None for stdin).
        self.reloader = opened.reloader
        self.matrix_a = matrix
        self.matrix_b = None if self.tensor_b is None else self._slice_b(self.spec, matrix)
        self._compare_views: dict[tuple[str, Zoom], HeatMatrix] = {}
        if not given_range and self.tensor_b is not None:  # one scale for both grids
            self.settings = self.settings.with_base(self._start_range(sample=True))  # refined later
            self.vrange = self._adjusted(matrix)
        stamp = opened.stamp
        self._stamp: tuple[tuple[int, int] | None, ...] = (
            (stamp,) if self.compare_path is None else (stamp, compare_stamp)
        )
        self._change_told = False
        self._reloading = False
        self.reload_error = ""

    def compose(self) -> ComposeResult:
        """Everything is sized from the terminal here, so the first frame is the only frame."""
        if self.matrix is None:  # the picker comes first: nothing is open yet
            yield TitleBar("tuiheat", "", id="titlebar")
            return
        grid = self._make_grid(self.matrix, "grid")
        grid.half = self.start_half and grid.grid_layout.painter.supports_half
        chart = ProfileChart(self.matrix, self.vrange, id="chart")
        chart.display = False
        first = Cursor(0, 0, *self.matrix.shape)
        readout = cell_readout(self.matrix, 0, 0) if self.matrix_b is None else None
        status = StatusBar(readout or self._compare_text(first, Zoom()), id="status")
        status.styles.width = self._status_width(self.matrix)
        colorbar = ColorBar(
            grid.grid_layout.painter, self.vrange, self.matrix.n_rows, id="colorbar"
        )
        grids: list[Widget] = [grid]
        if self.matrix_b is not None:
            grid_b = self._make_grid(self.matrix_b, "grid-b")
            grid_b.can_focus = False  # keys go to A; B follows it
            grid_b.half = grid.half
            grid_b.styles.margin = (0, 0, 0, 1)
            grids.append(grid_b)
        widgets: dict[str, Widget] = {
            "grid": grid,
            **({"grid-b": grids[1]} if len(grids) > 1 else {}),
            "colorbar": colorbar,
            "main": Horizontal(*grids, colorbar, id="main"),
            "captions": Static("", id="captions", markup=False),
            "rowprofile": ProfileLine("row", id="rowprofile"),
            "colprofile": ProfileLine("col", id="colprofile"),
            "chart": chart,
            "legend": Static("", id="legend"),
            "boxinfo": Static("", id="boxinfo", markup=False),
        }
        self._fitted_size = self.size
        self._relayout(*self.size, widgets=widgets)
        yield TitleBar(sanitize(self.doc_title), self._info_text(), id="titlebar")
        if self.matrix_b is not None:
            yield widgets["captions"]
        yield widgets["main"]
        for name in ("rowprofile", "colprofile", "chart"):
            yield widgets[name]
        with Vertical(id="bottom"):  # docked: the status line stays at the bottom
            yield widgets["legend"]
            yield widgets["boxinfo"]
            with Horizontal(id="statusline"):
                yield status
                yield Static(self._key_hints(), id="hints", markup=False)

    def _key_hints(self) -> str:
        hints = KEY_HINTS if self.matrix_b is None else f"D A−B  {KEY_HINTS}"
        return f"o list  {hints}" if self.picker_levels else hints  # o: back to the picker

    def _make_grid(self, matrix: HeatMatrix, grid_id: str) -> HeatGrid:
        return HeatGrid(
            matrix,
            self.vrange,
            colormap=self.colormap,
            color_mode=self.color_mode,
            ascii_only=self.ascii_only,
            bins=self.bins,
            id=grid_id,
        )

    def _relayout(self, width: int, height: int, widgets: dict[str, Widget] | None = None) -> None:
        """Decide what is shown in ``width`` x ``height`` and size the grid to its cells.

        The grid comes first: the legend, the box line and the profiles are shown, in
        that order, only while every row still fits, or, when the rows cannot all fit
        anyway, while at least MIN_GRID_ROWS of them stay on screen.
        """

        def get(name: str) -> Widget:
            return widgets[name] if widgets is not None else self.query_one(f"#{name}")

        grid: HeatGrid = get("grid")  # type: ignore[assignment]
        chart: ProfileChart = get("chart")  # type: ignore[assignment]
        lay = grid.grid_layout
        show_chart = chart.display and height >= SMALL_HEIGHT + CHART_HEIGHT
        legend_lines_ = len(self._legend_text(lay, width).plain.splitlines())
        room = height - 2 - (CHART_HEIGHT if show_chart else 0)  # title and status lines
        if self.matrix_b is not None:
            room -= 1  # the captions naming A and B
        grid_lines = lay.header_height + grid.footer_height
        wanted = [
            ("legend", min(3, legend_lines_) if lay.header.legend else 0),
            ("boxinfo", 1),
            ("profiles", 2 if grid.margins else 0),
        ]
        shown: dict[str, bool] = {}
        for name, lines in wanted:
            if lines == 0:
                shown[name] = False
                continue
            rows_without = room - grid_lines
            rows_with = rows_without - lines
            fits_all = rows_with >= self.matrix.n_rows
            fits_never = rows_without < self.matrix.n_rows
            shown[name] = fits_all or (fits_never and rows_with >= MIN_GRID_ROWS)
            if shown[name]:
                room -= lines
        side_by_side = self.matrix_b is not None and not self.diff_mode
        room_w = width - COLORBAR_WIDTH
        if side_by_side:
            room_w = max(1, (room_w - 1) // 2)  # two grids and the gap between them
        grid_width = grid.fit_to(room_w, room)
        grid.styles.width = grid_width
        if self.matrix_b is not None:
            grid_b: HeatGrid = get("grid-b")  # type: ignore[assignment]
            grid_b.display = side_by_side
            if side_by_side:
                grid_b.styles.width = grid_b.fit_to(room_w, room)
            get("captions").update(self._captions(grid_width, width))  # type: ignore[attr-defined]
        get("main").styles.height = max(
            1, min(room, grid.virtual_size.height + grid.scrollbar_lines)
        )
        lay = grid.grid_layout
        get("colorbar").configure(lay.painter, lay.header_height)  # type: ignore[attr-defined]
        for name in ("rowprofile", "colprofile"):
            get(name).display = shown["profiles"]
        chart.display = show_chart
        legend_widget: Static = get("legend")  # type: ignore[assignment]
        legend_widget.update(self._legend_text(lay, width))
        legend_widget.display = shown["legend"]
        get("boxinfo").display = shown["boxinfo"]

    def _info_text(self) -> str:
        vr = self.vrange
        approx = "≈" if vr.provisional else ""
        if self.settings.mode in ("row", "column"):
            scale = f"{self.colormap} per {self.settings.mode}"
        else:
            scale = f"{self.colormap} {'log ' if vr.log else ''}{approx}{range_text(vr)}"
        parts = [f"{self.matrix.n_rows}×{self.matrix.n_cols}"]
        if vr.under and self.settings.mode == "fixed":
            scale += f" · {under_text(vr, 'v' if self.ascii_only else UNDER_GLYPH)}"
        if self.diff_mode:
            parts.insert(0, "A − B")
        zoom = self.query_one(HeatGrid).zoom if self.is_mounted_app else None
        if zoom is not None and not zoom.is_identity:
            parts.append(zoom.describe())
        parts += [scale, MODE_NAMES[self.color_mode]]
        parts += map(sanitize, self.tensor.notes)  # labels that fit no axis, missing cells
        if self.reload_error:
            parts.append("reload failed: showing the last good data")
        elif self.watch_file:
            parts.append("watching")
        return " · ".join(parts)

    @property
    def is_mounted_app(self) -> bool:
        return bool(self.screen_stack) and bool(self.query(HeatGrid))

    def _legend_text(self, layout: GridLayout, width: int) -> Text:
        prefix = sanitize(self.matrix.col_title) + ": "
        return Text("\n".join(legend_lines(layout.header.legend, max(20, width - 2), prefix)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Before an array is open (the picker at start-up), only these keys mean anything."""
        if self.matrix is None:
            return action in ("quit", "help", "open_picker", "command_palette")
        return True

    def on_mount(self) -> None:
        if self.color_note:  # once, briefly: the title keeps saying the mode
            self.notify(self.color_note, timeout=6, markup=False)
        if self.matrix is None:
            self.action_open_picker()
            return
        self._start_view()

    def _start_view(self) -> None:
        """What follows the first frame of an array: watchers, notices, background scans."""
        grid = self.query_one(HeatGrid)
        grid.focus()
        # Profiles read a whole row and column (thousands of reads in a big file): they
        # follow the first frame rather than delay it.
        self.call_after_refresh(lambda: self._show_profiles(grid.cursor, force=True))
        self.watch(grid, "cursor", self._show_readout, init=False)
        self.watch(grid, "boxes", self._show_box_info, init=False)
        self.watch(grid, "draft", self._show_box_info, init=False)
        if self.matrix_b is not None:
            grid_b = self.query_one("#grid-b", HeatGrid)
            self.watch(grid, "boxes", self._mirror_boxes, init=False)
            self.watch(grid, "draft", grid_b.show_draft, init=False)
            self.watch(grid_b, "cursor", self._follow_b, init=False)
            for name in ("scroll_x", "scroll_y"):
                self.watch(grid, name, self._mirror_scroll, init=False)
                self.watch(grid_b, name, self._follow_b_scroll, init=False)
        self._show_box_info()
        for notice in self.notices:
            self.notify(notice, severity="warning", timeout=8, markup=False)
        if self.vrange.provisional:  # the full scan starts once the first frame is out
            self.set_timer(BACKGROUND_DELAY, self._refine_range)
        if self.data_path is not None and self.reloader is not None and not self._watching:
            self._watching = True
            self.set_interval(WATCH_INTERVAL, self._check_file)

    # --- bundles and directories: the picker ------------------------------------------

    def action_open_picker(self) -> None:
        """o: the arrays of this bundle (or the files of the directory), to open another."""
        from tuiheat.screens.picker import PickerScreen

        if self.collection is None:
            self.notify("This input holds one array: there is nothing else to open.", markup=False)
            return
        if not self.picker_levels:
            try:
                self.picker_levels = [self.collection.catalog()]
            except Exception as err:  # a bundle that cannot be listed: say why, keep the view
                self.notify(f"Cannot list the arrays: {sanitize(str(err))}", severity="error")
                return
        catalog = self.picker_levels[0]
        if self.matrix is not None and len(catalog.openable) <= 1 and not catalog.is_directory:
            self.notify("This file holds one array: there is nothing else to open.", markup=False)
            return
        picker = PickerScreen(
            self.picker_levels,
            self.collection.details,
            self.described,
            self.picker_current,
            can_close=self.matrix is not None,
        )
        self.push_screen(picker)

    def on_picker_screen_chosen(self, event: PickerScreen.Chosen) -> None:
        if self.opening:
            return
        if self.unsaved_boxes() and not self._quit_warned:  # never lose boxes unasked
            self._quit_warned = True
            event.picker.show_error(
                "The boxes drawn are not saved: Esc, then w saves them; Enter again opens this."
            )
            return
        self.opening = True
        self._open_entry(event.picker, event.catalog, event.entry)

    @work(thread=True, exclusive=True, group="open")
    def _open_entry(self, picker: PickerScreen, catalog: Catalog, entry: Entry) -> None:
        """Read the chosen array off the event loop; the picker stays until it is ready."""
        assert self.collection is not None
        try:
            result = self.collection.open(catalog, entry)
        except Exception as err:  # a file that cannot be opened: the picker says why
            self.call_from_thread(self._open_failed, picker, entry, str(err))
            return
        if isinstance(result, Catalog):  # a bundle file in the directory: its arrays next
            self.call_from_thread(self._open_nested, picker, result)
            return
        self.call_from_thread(self._show_opened, picker, entry, result)

    def _open_failed(self, picker: PickerScreen, entry: Entry, reason: str) -> None:
        self.opening = False
        picker.failed(entry, reason)

    def _open_nested(self, picker: PickerScreen, catalog: Catalog) -> None:
        self.opening = False
        picker.descend(catalog)

    async def _show_opened(self, picker: PickerScreen, entry: Entry, opened: Opened) -> None:
        """Replace the array on screen with ``opened``: a fresh view, the settings kept."""
        self.picker_levels = list(picker.levels)
        self.picker_current = entry.key
        self._generation += 1
        self._scale_generation += 1
        self.workers.cancel_group(self, "zoom")
        self.workers.cancel_group(self, "range")
        self.workers.cancel_group(self, "reload")
        if self.screen is picker:
            await self.pop_screen()
        self._adopt(opened)
        await self.recompose()
        self._start_view()
        self.opening = False

    def on_resize(self, event: events.Resize) -> None:
        if self.matrix is None or event.size == self._fitted_size:
            return  # the start-up resize: compose already fitted this size
        self._fitted_size = event.size
        self._relayout(*event.size)
        self._show_profiles(self.query_one(HeatGrid).cursor, force=True)

    @property
    def view(self) -> HeatMatrix:
        """What the grid shows: the data, or its zoomed-out view."""
        return self.query_one(HeatGrid).matrix

    def _show_readout(self, cursor: Cursor) -> None:
        zoom = self.query_one(HeatGrid).zoom
        if self.matrix_b is None:
            text = cell_readout(self.view, cursor.row, cursor.col)
        else:
            text = self._compare_text(cursor)
            self.query_one("#grid-b", HeatGrid).move_cursor(*cursor.cell)
        if not zoom.is_identity:
            text.append(f" ({zoom.reducer} of {zoom.row_factor}×{zoom.col_factor})", style="dim")
        self.query_one(StatusBar).show(text)
        self._show_box_info()
        self._show_profiles(cursor)

    def _show_profiles(self, cursor: Cursor, force: bool = False) -> None:
        """Each profile repaints only when the row (or column) it follows has changed."""
        row_line = self.query_one("#rowprofile", ProfileLine)
        if row_line.display:
            if force:
                row_line.index = None
                self.query_one("#colprofile", ProfileLine).index = None
            view = self.view
            row_line.show(view, self.vrange, cursor.row, self.ascii_only)
            self.query_one("#colprofile", ProfileLine).show(
                view, self.vrange, cursor.col, self.ascii_only
            )
        self.query_one(ProfileChart).follow(self.view, cursor.row, cursor.col)

    def action_toggle_margins(self) -> None:
        """s: margins and profiles on or off, so the grid can have the whole screen."""
        grid = self.query_one(HeatGrid)
        grid.set_margins(not grid.margins)
        for other in self._b_grids():
            other.set_margins(grid.margins)
        self._relayout(*self.size)
        self._show_profiles(grid.cursor, force=True)

    def action_toggle_chart(self) -> None:
        """p: the profile chart of the cursor's column and row, following the cursor."""
        chart = self.query_one(ProfileChart)
        if not chart.display and self.size.height < SMALL_HEIGHT + CHART_HEIGHT:
            self.notify(
                "The terminal is too small for the chart.",
                severity="warning",
                timeout=3,
                markup=False,
            )
            return
        chart.display = not chart.display
        chart.cell = None
        self._relayout(*self.size)
        if chart.display:
            cursor = self.query_one(HeatGrid).cursor
            chart.follow(self.view, cursor.row, cursor.col)

    def action_close_chart(self) -> None:
        chart = self.query_one(ProfileChart)
        if chart.display:
            self.action_toggle_chart()

    # --- zoom -------------------------------------------------------------------------

    def action_zoom(self, direction: str) -> None:
        """- zooms out (a cell stands for twice the values each way), + zooms in, z fits all."""
        grid = self.query_one(HeatGrid)
        zoom = grid.zoom
        if direction == "fit":
            target = fit_zoom(
                self.matrix.shape,
                max(1, grid.visible_rows),
                max(1, grid.visible_cols_at(MIN_CELL)),
                zoom.reducer,
            )
        else:
            target = zoom_step(zoom, self.matrix.shape, out=direction == "out")
        if target == zoom and direction != "fit":
            self.bell()
            return
        self.request_zoom(target)

    def action_cycle_reducer(self) -> None:
        """r: mean, max, min, nearest in turn (the status line always names it)."""
        grid = self.query_one(HeatGrid)
        if grid.zoom.is_identity:
            self.notify(
                "At full resolution every cell is one value; - zooms out.", timeout=3, markup=False
            )
            return
        self.request_zoom(grid.zoom.with_reducer(next_reducer(grid.zoom.reducer)))

    def request_zoom(self, zoom: Zoom) -> None:
        """Show ``zoom``: at once from the cache, else reduce the data in a thread first."""
        grid = self.query_one(HeatGrid)
        r0, r1, c0, c1 = grid.zoom.block(*grid.cursor.cell, self.matrix.shape)
        focus = ((r0 + r1) // 2, (c0 + c1) // 2)  # zooming in centres on the cursor's block
        if zoom.is_identity:
            self._apply_zoom(zoom, self.matrix, focus)
            return
        view = self._views.get(zoom)
        if view is None:
            view = zoomed_matrix(self.matrix, zoom)
        # Blocks are reduced as they are drawn; only when the screen would cover most of a
        # big file is the whole view reduced first, in a thread, so keys never wait on it.
        on_screen = (
            grid.visible_rows * zoom.row_factor * grid.visible_cols_at(MIN_CELL) * zoom.col_factor
        )
        reduced = not isinstance(view, ZoomedMatrix) or view.is_reduced
        if not reduced and min(on_screen, self.matrix.size) > LAZY_CELLS:
            self.query_one(TitleBar).set_info(f"zooming to {zoom.describe()} …")
            self._reduce_view(view, zoom, focus)
            return
        self._apply_zoom(zoom, view, focus)

    @work(thread=True, exclusive=True, group="zoom")
    def _reduce_view(self, view: ZoomedMatrix, zoom: Zoom, focus: tuple[int, int]) -> None:
        worker = get_current_worker()
        generation = self._generation
        values = reduce_matrix(self.matrix, zoom, cancelled=lambda: worker.is_cancelled)
        if values is None or worker.is_cancelled:
            return
        view.set_full(values)
        if self.matrix_b is not None and not self.diff_mode:
            view_b = self._compare_view("b", zoom)
            values_b = reduce_matrix(self.matrix_b, zoom, cancelled=lambda: worker.is_cancelled)
            if values_b is None or worker.is_cancelled:
                return
            if isinstance(view_b, ZoomedMatrix):
                view_b.set_full(values_b)
        self.call_from_thread(self._apply_zoom, zoom, view, focus, generation)

    def _apply_zoom(
        self,
        zoom: Zoom,
        view: HeatMatrix,
        focus: tuple[int, int],
        generation: int | None = None,
    ) -> None:
        if generation not in (None, self._generation):
            return  # reduced for an array no longer on screen
        if not zoom.is_identity:
            self._views[zoom] = view
            while len(self._views) > MAX_CACHED_VIEWS:
                self._views.pop(next(iter(self._views)))
        grid = self.query_one(HeatGrid)
        self.query_one(StatusBar).styles.width = self._status_width(view, zoom)
        grid.set_view(view, zoom, zoom.to_view(*focus))
        self._mirror_view()
        self._after_view_change()
        self.query_one(TitleBar).set_info(self._info_text())
        self._relayout(*self.size)
        self._show_profiles(grid.cursor, force=True)
        self._show_readout(grid.cursor)

    def action_toggle_half(self) -> None:
        grid = self.query_one(HeatGrid)
        if not grid.set_half(not grid.half):
            self.notify(
                "Half blocks need colour (this terminal shows none).",
                severity="warning",
                markup=False,
            )
            return
        for other in self._b_grids():
            other.set_half(grid.half)
        if grid.half and grid.boxes:
            self.notify(
                "Box frames are not drawn with half blocks; the box line still reads them.",
                markup=False,
            )
        self._relayout(*self.size)

    # --- N-D slices ---------------------------------------------------------------------

    def action_step_axis(self, which: int, delta: int) -> None:
        """[ ] step the first hidden axis, { } the second (wrapping around)."""
        if which >= len(self.spec.hidden):
            hidden = "no hidden axis" if not self.spec.hidden else "only one hidden axis"
            self.notify(f"This array has {hidden} to step through.", timeout=3, markup=False)
            return
        self._set_slice(step_hidden(self.tensor, self.spec, which, delta))

    def action_cycle_axis_reduction(self) -> None:
        """a: the first hidden axis by index, its mean, its max."""
        if not self.spec.hidden:
            self.notify("This array has no hidden axis to reduce.", timeout=3, markup=False)
            return
        self._set_slice(cycle_reduction(self.spec))

    def action_transpose(self) -> None:
        self._set_slice(transpose(self.spec))

    def action_toggle_raw_tokens(self) -> None:
        """T: tokens as the tokenizer wrote them (Ġthe, Ċ) or made readable (␣the, ↵)."""
        self.raw_tokens = not self.raw_tokens
        shown = "raw" if self.raw_tokens else "readable (␣ for spaces, ↵ for newlines)"
        self.notify(f"Tokens: {shown}", timeout=2, markup=False)
        self._set_slice(self.spec)

    def _set_slice(self, spec: SliceSpec, reloaded: bool = False) -> None:
        """Show another 2-D slice of the tensor; boxes follow when the shape allows."""
        old = self.spec
        matrix = slice_matrix(self.tensor, spec, readable=not self.raw_tokens)
        self.matrix_a = matrix
        if self.tensor_b is not None:
            self.matrix_b = self._slice_b(spec, matrix)
            self._compare_views.clear()
            if self.diff_mode:
                matrix = difference(matrix, self.matrix_b, "A − B")
        if reloaded and self.settings.auto:
            self.settings = self.settings.with_base(self._start_range(sample=True))
            if self.settings.base.provisional:  # a big file: the exact range follows
                self._refine_range()
        grid = self.query_one(HeatGrid)
        boxes = grid.boxes
        cursor_base = grid.zoom.block(*grid.cursor.cell, self.matrix.shape)[::2]
        if (spec.rows, spec.cols) == (old.cols, old.rows):  # transposed: so are boxes and cursor
            boxes = tuple(Box(b.c0, b.c1, b.r0, b.r1, b.name) for b in boxes)
            cursor_base = cursor_base[::-1]
        elif matrix.shape != self.matrix.shape:
            boxes = ()
        self.spec = spec
        self.matrix = matrix
        self._stats.clear()
        self._totals = None
        self._views.clear()
        grid.base_shape = matrix.shape
        zoom = grid.zoom
        view = matrix if zoom.is_identity else zoomed_matrix(matrix, zoom)
        grid.set_boxes(boxes)
        grid.set_view(view, zoom, zoom.to_view(*cursor_base))
        if self.tensor.ndim > 2 or spec != default_spec(self.tensor):
            self.doc_title = describe(self.tensor, spec, self.array_name)
        title = self.query_one(TitleBar)
        title.title_text = sanitize(self.doc_title)
        title.set_info(self._info_text())
        self.query_one(StatusBar).styles.width = self._status_width(view, zoom)
        self._mirror_view()
        self._after_view_change()
        if reloaded:
            self._rescale()
        self._relayout(*self.size)
        self._show_profiles(grid.cursor, force=True)
        self._show_readout(grid.cursor)

    def _start_range(self, sample: bool = False) -> ValueRange:
        """The base colour range: of A (and B, shared), or of A − B; ``sample`` for big data."""
        tensors = [self.tensor] if self.tensor_b is None else [self.tensor, self.tensor_b]
        difference_view = self.diff_mode and self.tensor_b is not None
        return start_range(
            tensors,
            self.settings.vmin,
            self.settings.vmax,
            difference_view=difference_view,
            sample=sample,
        )

    def _adjusted(self, matrix: HeatMatrix) -> ValueRange:
        """The base range with the centre and log switch applied, for ``matrix``."""
        return adjusted_range(self.settings.base, matrix, self.settings.center, self.settings.log)

    @property
    def colormap(self) -> str:
        return self.settings.colormap

    @property
    def center(self) -> float | None:
        return self.settings.center

    @property
    def base_range(self) -> ValueRange:
        return self.settings.base

    # --- compare: B beside A, following it; or A − B -----------------------------------

    def _slice_b(self, spec: SliceSpec, matrix_a: HeatMatrix) -> HeatMatrix:
        assert self.tensor_b is not None
        return like(slice_matrix(self.tensor_b, spec, readable=not self.raw_tokens), matrix_a)

    def _b_grids(self) -> list[HeatGrid]:
        return list(self.query("#grid-b").results(HeatGrid))

    def _compare_view(self, which: str, zoom: Zoom) -> HeatMatrix:
        """A's or B's own values at ``zoom`` (lazily reduced; kept while the slice lasts)."""
        base = self.matrix_a if which == "a" else self.matrix_b
        assert base is not None
        if zoom.is_identity:
            return base
        if which == "a" and not self.diff_mode and zoom in self._views:
            return self._views[zoom]  # the grid's own view, perhaps reduced in full already
        view = self._compare_views.get((which, zoom))
        if view is None:
            if len(self._compare_views) >= 2 * MAX_CACHED_VIEWS:
                self._compare_views.clear()
            view = self._compare_views[(which, zoom)] = zoomed_matrix(base, zoom)
        return view

    def _compare_text(self, cursor: Cursor, zoom: Zoom | None = None) -> Text:
        """The readout: the cell's labels, A's value, B's value, and A − B."""
        zoom = self.query_one(HeatGrid).zoom if zoom is None else zoom
        view = self._compare_view("a", zoom)
        row, col = cursor.row, cursor.col
        a = view.value(row, col)
        b = self._compare_view("b", zoom).value(row, col)
        diff = a - b
        if self.diff_mode:  # what the cell shows: at a zoom, the reducer over A − B
            diff = (self.matrix if zoom.is_identity else self.view).value(row, col)
        return compare_readout(view, row, col, a, b, diff)

    def _status_width(self, view: HeatMatrix, zoom: Zoom | None = None) -> int:
        width = readout_width(view) + 2  # + padding
        if zoom is not None and not zoom.is_identity:
            width += len(f" (nearest of {zoom.row_factor}×{zoom.col_factor})")
        if self.tensor_b is not None:
            width += COMPARE_EXTRA
        return width

    def _captions(self, grid_width: int, width: int) -> Text:
        """``A run1.npy`` over the left grid, ``B run2.npy`` over the right (or ``A − B``)."""
        name_a, name_b = (sanitize(n) for n in self.names)
        text = Text(no_wrap=True, overflow="ellipsis")
        if self.diff_mode:
            text.append("A − B ", style="bold")
            room = max(1, (width - 9) // 2)
            text.append(f"{truncate_path(name_a, room)} − {truncate_path(name_b, room)}")
            return text
        room = max(1, grid_width - 2)
        shown_a = truncate_path(name_a, room)
        text.append("A ", style="bold")
        text.append(shown_a + " " * max(0, room - cell_len(shown_a)) + " ")
        text.append("B ", style="bold")
        text.append(truncate_path(name_b, max(1, width - grid_width - 3)))
        return text

    def _mirror_view(self) -> None:
        """B shows the same zoom, cursor, boxes and scroll position as A."""
        grid = self.query_one(HeatGrid)
        for grid_b in self._b_grids():
            assert self.matrix_b is not None
            grid_b.base_shape = self.matrix_b.shape
            grid_b.set_boxes(grid.boxes)
            grid_b.set_view(self._compare_view("b", grid.zoom), grid.zoom, grid.cursor.cell)
            grid_b.set_annotations(grid.annotate, self._cell_text_b() if grid.annotate else None)
            self._mirror_scroll()

    def _mirror_boxes(self, boxes: tuple[Box, ...]) -> None:
        for grid_b in self._b_grids():
            if grid_b.boxes != boxes:
                grid_b.set_boxes(boxes)

    def _mirror_scroll(self, *_: object) -> None:
        grid = self.query_one(HeatGrid)
        for grid_b in self._b_grids():
            if grid_b.scroll_offset != grid.scroll_offset:
                x, y = grid.scroll_offset
                grid_b.scroll_to(x, y, animate=False, immediate=True)

    def _follow_b(self, cursor: Cursor) -> None:
        """A click on B moves the cursor there (in both)."""
        grid = self.query_one(HeatGrid)
        same_view = (cursor.n_rows, cursor.n_cols) == (grid.cursor.n_rows, grid.cursor.n_cols)
        if cursor.cell != grid.cursor.cell and same_view:
            grid.move_cursor(*cursor.cell)

    def _follow_b_scroll(self, *_: object) -> None:
        """Scrolling B with the mouse scrolls A with it."""
        grid = self.query_one(HeatGrid)
        for grid_b in self._b_grids():
            if grid_b.display and grid_b.scroll_offset != grid.scroll_offset:
                x, y = grid_b.scroll_offset
                grid.scroll_to(x, y, animate=False, immediate=True)

    def on_heat_grid_summary_changed(self, event: HeatGrid.SummaryChanged) -> None:
        for grid_b in self._b_grids():  # the grid's state now, not when the message was sent
            grid_b.summary_kind = event.grid.summary_kind
            grid_b.set_margins(event.grid.margins)
        self._relayout(*self.size)

    def _cell_text_b(self) -> np.ndarray | None:
        tensor = self.tensor_b
        if tensor is None or tensor.text is None or not self.query_one(HeatGrid).zoom.is_identity:
            return None
        return slice_text(tensor, self.spec, readable=not self.raw_tokens)

    def action_toggle_difference(self) -> None:
        """D: A − B on a diverging map centred on 0, or back to A and B side by side."""
        if self.matrix_b is None:
            self.notify("D needs two files: tuiheat A B compares them.", timeout=4, markup=False)
            return
        self.diff_mode = not self.diff_mode
        self._scale_generation += 1
        if self.diff_mode:
            self.settings = self.settings.for_difference(self._start_range(sample=True))
        else:
            self.settings = self.settings.restored()
        self.query_one(HeatGrid).set_colormap(self.colormap)
        for grid_b in self._b_grids():
            grid_b.set_colormap(self.colormap)
        self._set_slice(self.spec)
        self._rescale()
        if self.settings.base.provisional:
            self._refine_range()

    # --- the file changing on disk ----------------------------------------------------------

    def _check_file(self) -> None:
        """Every second: has the file changed since it was read? Say so once; reload if watching."""
        if self.data_path is None or self._reloading:
            return
        stamp = self._stamps()
        stale = self.matrix_a.stale or (self.matrix_b is not None and self.matrix_b.stale)
        if stamp == self._stamp and not stale:
            return
        if self.watch_file and None not in stamp:
            self._stamp = stamp
            self.action_reload()
            return
        if not self._change_told:
            self._change_told = True
            paths = (self.data_path, self.compare_path)
            changed = [
                p.name for p, a, b in zip(paths, stamp, self._stamp, strict=False) if p and a != b
            ]
            self.notify(
                f"{sanitize(' and '.join(changed) or self.data_path.name)} changed on disk "
                "since it was read; Ctrl+R reloads it.",
                severity="warning",
                timeout=30,
                markup=False,
            )

    def _stamps(self) -> tuple[tuple[int, int] | None, ...]:
        stamps = []
        for path in (self.data_path, self.compare_path):
            if path is None:
                continue
            try:
                stamps.append(file_stamp(path))
            except OSError:
                stamps.append(None)
        return tuple(stamps)

    def action_reload(self) -> None:
        """Ctrl+R: read the file again, keeping the cursor, zoom, boxes and colours."""
        if self.reloader is None:
            self.notify("Nothing to reload: this input came from standard input.", markup=False)
            return
        self._reloading = True
        self._reload_worker()

    @work(thread=True, exclusive=True, group="reload")
    def _reload_worker(self) -> None:
        assert self.reloader is not None
        generation = self._generation
        try:
            tensor = self.reloader()
            tensor_b = None
            if self.compare_reloader is not None:
                tensor_b = self.compare_reloader()
                check_comparable(tensor, tensor_b, *self.names)
        except Exception as err:  # a half-written file: keep the last good data on screen
            self.call_from_thread(self._reload_failed, str(err), generation)
            return
        self.call_from_thread(self._reloaded, tensor, tensor_b, generation)

    def _reload_failed(self, reason: str, generation: int | None = None) -> None:
        if generation not in (None, self._generation):
            return  # the reload of an array no longer on screen
        self._reloading = False
        self.reload_error = reason
        self.query_one(TitleBar).set_info(self._info_text())
        self.notify(
            f"Reload failed ({sanitize(reason)}); the last good data stays on screen.",
            severity="error",
            timeout=10,
            markup=False,
        )

    def _reloaded(
        self, tensor: Tensor, tensor_b: Tensor | None = None, generation: int | None = None
    ) -> None:
        if generation not in (None, self._generation):
            return  # the reload of an array no longer on screen
        self._reloading = False
        self.reload_error = ""
        self._stamp = self._stamps()
        self._change_told = False
        same = tensor.shape == self.tensor.shape
        self.tensor = tensor
        if tensor_b is not None:
            self.tensor_b = tensor_b
        spec = self.spec if same else default_spec(tensor)
        self._set_slice(spec, reloaded=True)
        self.reloads += 1

    def _after_view_change(self) -> None:
        """A new slice or zoom: scales that depend on the data on screen follow it."""
        grid = self.query_one(HeatGrid)
        if self.settings.mode != "fixed" or self.settings.log:
            self._rescale(skip_if_same=True)
        if grid.annotate:
            grid.set_annotations(True, self.cell_text())

    def action_goto(self) -> None:
        """: jumps to a row and/or column, by label or index."""
        from tuiheat.screens.goto import GotoScreen

        grid = self.query_one(HeatGrid)

        def go(cell: tuple[int | None, int | None] | None) -> None:
            if cell is None:
                return
            r0, _, c0, _ = grid.zoom.block(*grid.cursor.cell, self.matrix.shape)
            row = r0 if cell[0] is None else cell[0]
            col = c0 if cell[1] is None else cell[1]
            grid.move_cursor(*grid.zoom.to_view(row, col))

        self.push_screen(GotoScreen(self.matrix), go)

    @work(thread=True, exclusive=True, group="range")
    def _refine_range(self) -> None:
        """The full scan behind a sampled (provisional) range, off the event loop."""
        generation = self._scale_generation
        exact = self._start_range()
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._apply_range, exact, generation)

    def _apply_range(self, vrange: ValueRange, generation: int | None = None) -> None:
        """The exact range from the background scan replaces the sampled one."""
        if generation is not None and generation != self._scale_generation:
            return  # the scan was for the other view (A and B, or A − B)
        self.settings = self.settings.with_base(vrange)
        self._rescale(skip_if_same=True)

    # --- colour scale ---------------------------------------------------------------------

    def _side_views(self) -> list[HeatMatrix]:
        """B's view, when it is on screen beside A (its colours share A's scale)."""
        if self.matrix_b is None or self.diff_mode:
            return []
        return [self._compare_view("b", self.query_one(HeatGrid).zoom)]

    def _rescale(self, skip_if_same: bool = False) -> None:
        """Recolour everything that shows the scale: cells, bar, title, profiles, chart."""
        grid = self.query_one(HeatGrid)
        resolved = self.settings.resolve([self.view, *self._side_views()])
        vrange, by_axis, note = resolved.vrange, resolved.by_axis, resolved.note
        n_bins = grid.grid_layout.painter.n_bins
        same = by_axis is None and grid.by_axis is None and looks_same(self.vrange, vrange, n_bins)
        self.vrange = vrange
        if not (skip_if_same and same):
            grid.set_range(vrange, by_axis)
            for grid_b in self._b_grids():
                grid_b.set_range(vrange, by_axis)
            self.query_one(ProfileChart).vrange = vrange
        colorbar = self.query_one(ColorBar)
        colorbar.vrange = vrange
        colorbar.note = note
        colorbar.configure(grid.grid_layout.painter, grid.grid_layout.header_height)
        self.query_one(TitleBar).set_info(self._info_text())
        self._show_profiles(grid.cursor, force=True)

    def action_cycle_colormap(self) -> None:
        """c: the seed's Blues, then viridis, magma, greys and the diverging RdBu."""
        self.settings = self.settings.next_colormap()
        grid = self.query_one(HeatGrid)
        grid.set_colormap(self.colormap)
        for grid_b in self._b_grids():
            grid_b.set_colormap(self.colormap)
        self._rescale()

    def action_toggle_log(self) -> None:
        """L: a log scale (positive values; the rest clip to the low end)."""
        self.settings = self.settings.toggled_log()
        self._rescale()

    def action_cycle_range_mode(self) -> None:
        """R: fixed range / this matrix's min–max / each row / each column to its own."""
        self.settings = self.settings.next_mode()
        self.notify(f"Colour range: {RANGE_NAMES[self.settings.mode]}", timeout=2, markup=False)
        self._rescale()

    def action_toggle_annotations(self) -> None:
        """#: the value (or the text grid) printed in every cell wide enough for it."""
        grid = self.query_one(HeatGrid)
        grid.set_annotations(not grid.annotate, self.cell_text())
        for grid_b in self._b_grids():
            grid_b.set_annotations(grid.annotate, self._cell_text_b())

    def cell_text(self) -> np.ndarray | None:
        """The text grid for the slice on screen (--text), when the zoom shows single values."""
        text = self.tensor.text
        grid = self.query_one(HeatGrid)
        if text is None or not grid.zoom.is_identity:
            return None
        return slice_text(self.tensor, self.spec, readable=not self.raw_tokens)

    def action_set_range(self) -> None:
        """v: type vmin and vmax (or a centre, or auto)."""
        from tuiheat.screens.rangeprompt import RangeScreen

        def apply(result: tuple[ValueRange | None, float | None] | None) -> None:
            if result is None:
                return
            vrange, center = result
            base = vrange if vrange is not None else self._start_range()
            self.settings = self.settings.with_range(base, center)
            self._rescale()

        self.push_screen(RangeScreen(self.settings.base, self.settings.center), apply)

    # --- boxes ------------------------------------------------------------------------

    def box_stats(self, box: Box) -> BoxStats:
        """Statistics of a box, computed once per box (moving inside it costs nothing)."""
        stats = self._stats.get(box)
        if stats is None:
            if self._totals is None:
                self._totals = matrix_totals(self.matrix)
            stats = self._stats[box] = box_stats(self.matrix, box, self._totals)
        return stats

    def box_info_text(self) -> str:
        grid = self.query_one(HeatGrid)
        if grid.draft is not None:
            box = grid.zoom.to_base_box(grid.draft, self.matrix.shape)
            cells = f"{box.n_cells} cell{'s' if box.n_cells != 1 else ''}"
            return f"drawing {box_label(self.matrix, box)} ({cells}) · Enter keeps, Esc cancels"
        index = grid.box_at_cursor()
        if index is None:
            return ""
        box = grid.boxes[index]
        return box_summary(self.matrix, box, self.box_stats(box), index + 1)

    def _show_box_info(self, *_: object) -> None:
        info = self.query_one("#boxinfo", Static)
        text = self.box_info_text()
        if text != getattr(info, "shown_text", None):  # unchanged text: no repaint, no bytes
            info.shown_text = text  # type: ignore[attr-defined]
            info.update(Text(text, no_wrap=True, overflow="ellipsis"), layout=False)

    def action_save_boxes(self) -> None:
        boxes = self.query_one(HeatGrid).boxes
        if self.spec != default_spec(self.tensor):
            self.notify(
                "Boxes are saved for the file's own view: go back to it (t, [ ]) to save them.",
                severity="warning",
                markup=False,
            )
            return
        if self.data_path is None:
            self.notify(
                "Boxes of this input cannot be saved (standard input or the bundled sample); "
                "open a file to keep them.",
                severity="warning",
                markup=False,
            )
            return
        from tuiheat.loaders.sidecar import write_sidecar

        try:
            path = write_sidecar(self.data_path, self.matrix, boxes, self.array_key)
        except OSError as err:
            reason = err.strerror or str(err)
            self.notify(
                f"Boxes not saved: {reason}. The previous sidecar is intact.",
                severity="error",
                markup=False,
            )
            return
        self.saved_boxes = boxes
        self._quit_warned = False
        count = f"{len(boxes)} box{'es' if len(boxes) != 1 else ''}"
        self.notify(f"Saved {count} to {sanitize(path.name)}", timeout=4, markup=False)

    def action_box_list(self) -> None:
        from tuiheat.screens.boxlist import BoxListScreen

        grid = self.query_one(HeatGrid)
        rows = []
        for i, box in enumerate(grid.boxes):
            stats = self.box_stats(box)
            rows.append(box_row(self.matrix, box, stats, i + 1))

        def jump(index: int | None) -> None:
            if index is not None and 0 <= index < len(grid.boxes):
                box = grid.boxes[index]
                grid.move_cursor(*grid.zoom.to_view(box.r0, box.c0))

        self.push_screen(BoxListScreen(rows), jump)

    def unsaved_boxes(self) -> bool:
        """Boxes drawn (or deleted) since the last save, on a file that could keep them."""
        if self.matrix is None or self.data_path is None:
            return False
        return self.query_one(HeatGrid).boxes != self.saved_boxes

    async def action_quit(self) -> None:
        """Quit; with boxes not saved to a file that could keep them, warn once first."""
        if self.matrix is None:
            self.exit(())
            return
        if self.unsaved_boxes() and not self._quit_warned:
            self._quit_warned = True
            self.notify(
                "Boxes are not saved: w saves them, q again quits.",
                severity="warning",
                markup=False,
            )
            return
        self.exit(self.query_one(HeatGrid).boxes)  # what ``tuiheat.show`` returns

    # --- export -----------------------------------------------------------------------

    def action_export(self) -> None:
        """e: a screenshot, the visible cells or a box as CSV, or the whole heatmap."""
        from tuiheat.screens.exportmenu import ExportChoice, ExportScreen

        grid = self.query_one(HeatGrid)
        stem = export_stem(self.data_path)
        index = grid.box_at_cursor()
        choices = [
            ExportChoice(
                "s", "screen", "the screen as SVG (what you see now)", f"{stem}-screen.svg"
            ),
            ExportChoice(
                "v", "visible", "the visible cells as CSV, with labels", f"{stem}-visible.csv"
            ),
            ExportChoice(
                "b",
                "box",
                "the box under the cursor as CSV",
                f"{stem}-box{(index or 0) + 1}.csv",
                enabled=index is not None,
                why_not="no box under the cursor",
            ),
            ExportChoice(
                "h", "html", "the whole heatmap as HTML (colour bar, boxes)", f"{stem}.html"
            ),
            ExportChoice("g", "svg", "the whole heatmap as SVG (colour bar, boxes)", f"{stem}.svg"),
        ]

        def chosen(result: tuple[str, Path] | None) -> None:
            if result is not None:
                # The menu is gone once the screen has been redrawn: the screenshot is clean.
                self.call_after_refresh(self.export_to, *result)

        self.push_screen(ExportScreen(choices, Path.cwd()), chosen)

    def export_text(self, kind: str) -> str | Iterator[str]:
        """What ``kind`` writes: an SVG of the screen, CSV of cells, or the whole heatmap.

        Only the screenshot is made here; the rest is produced lazily, as it is written.
        """
        from tuiheat.render.export import csv_lines, html_heatmap, svg_heatmap

        grid = self.query_one(HeatGrid)
        if kind == "screen":
            return self.export_screenshot(title=sanitize(self.doc_title))
        if kind == "visible":
            view = self.view
            rows = max(1, min(grid.visible_rows, view.n_rows - grid.top_row))
            cols = max(1, min(grid.visible_cols, view.n_cols - grid.left_col))
            box = Box(
                grid.top_row, grid.top_row + rows - 1, grid.left_col, grid.left_col + cols - 1
            )
            return csv_lines(view, box)
        if kind == "box":
            index = grid.box_at_cursor()
            if index is None:
                raise ValueError("no box under the cursor")
            return csv_lines(self.matrix, grid.boxes[index])
        matrix = self.matrix.with_boxes(grid.boxes)
        vrange = self.vrange
        if self.settings.mode in ("row", "column"):  # one scale for a file that stands alone
            vrange = self._adjusted(matrix)
        make = html_heatmap if kind == "html" else svg_heatmap
        colormap, title = self.colormap, sanitize(self.doc_title)

        def heatmap() -> Iterator[str]:  # runs in the writing thread
            yield make(matrix, vrange, colormap, title)

        return heatmap()

    def export_to(self, kind: str, path: Path) -> None:
        """Write an export in a thread (a whole big heatmap takes seconds); the screen now."""
        try:
            text = self.export_text(kind)
        except ValueError as err:
            self._export_done(path, str(err))
            return
        self._write_export(path, text)

    @work(thread=True, group="export")
    def _write_export(self, path: Path, text: str | Iterator[str]) -> None:
        from tuiheat.core.atomic import atomic_write_text

        protect = tuple(p for p in (self.data_path, self.compare_path) if p is not None)
        error = ""
        try:
            atomic_write_text(path, text, protect=protect)
        except (OSError, ValueError) as err:
            error = (err.strerror if isinstance(err, OSError) else None) or str(err)
        self.call_from_thread(self._export_done, path, error)

    def _export_done(self, path: Path, error: str) -> None:
        if error:
            self.notify(
                f"Not exported: {sanitize(error)}", severity="error", timeout=8, markup=False
            )
        else:
            self.notify(f"Wrote {sanitize(str(path))}", timeout=4, markup=False)
        self.exports += 1

    def action_help(self) -> None:
        from tuiheat.screens.help import HelpScreen  # not needed for the first paint

        groups = [("Move", HeatGrid.BINDINGS), ("Viewer", self.BINDINGS)]
        extra = "Click a cell to put the cursor on it. Ctrl+P opens the command palette."
        self.push_screen(HelpScreen(groups, extra))
