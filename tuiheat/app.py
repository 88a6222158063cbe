"""TuiheatApp: composes the viewer's widgets, owns the key map and routes cursor events."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.geometry import Size
from textual.widgets import Static

from tuiheat.core.boxes import Box
from tuiheat.core.labels import sanitize
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.scale import ValueRange, default_range, tick_text
from tuiheat.core.stats import BoxStats, Totals, box_stats, innermost_box, matrix_totals
from tuiheat.core.viewport import Cursor
from tuiheat.render.axes import legend_lines
from tuiheat.render.gridview import GridLayout
from tuiheat.render.readout import box_label, box_row, box_summary, cell_readout, readout_width
from tuiheat.widgets import partial_update
from tuiheat.widgets.colorbar import ColorBar
from tuiheat.widgets.heatgrid import HeatGrid
from tuiheat.widgets.statusbar import StatusBar
from tuiheat.widgets.titlebar import TitleBar

MODE_NAMES = {
    "truecolor": "truecolor",
    "256": "256 colours",
    "16": "16 colours",
    "none": "no colour",
}
SMALL_HEIGHT = 14  # below this many lines the legend gives its room to the grid
COLORBAR_WIDTH = 12
# Key hints share the status line (Textual's Footer costs ~70 ms of start-up and a line).
KEY_HINTS = "? help  b box  q quit"


class TuiheatApp(App[None]):
    """The interactive viewer of one HeatMatrix."""

    TITLE = "tuiheat"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("w", "save_boxes", "Save the boxes beside the data file"),
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
    #hints {
        width: 1fr;
        text-align: right;
        padding: 0 1;
        color: $text-muted;
    }
    """

    def __init__(
        self,
        matrix: HeatMatrix,
        *,
        title: str = "",
        vrange: ValueRange | None = None,
        colormap: str = "blues",
        color_mode: str = "truecolor",
        ascii_only: bool = False,
        data_path: Path | None = None,
        notices: Sequence[str] = (),
    ) -> None:
        super().__init__()
        partial_update.install()
        self.matrix = matrix
        self.doc_title = title or matrix.title or "tuiheat"
        self.vrange = vrange or default_range(matrix)
        self.colormap = colormap
        self.color_mode = color_mode
        self.ascii_only = ascii_only
        self._fitted_size = Size(0, 0)
        self.data_path = data_path  # where boxes are saved (a sidecar beside it); None: nowhere
        self.notices = list(notices)
        self.saved_boxes = tuple(matrix.boxes)
        self._quit_warned = False
        self._stats: dict[Box, BoxStats] = {}
        self._totals: Totals | None = None

    def compose(self) -> ComposeResult:
        """Everything is sized from the terminal here, so the first frame is the only frame."""
        width, height = self._fitted_size = self.size
        grid = HeatGrid(
            self.matrix,
            self.vrange,
            colormap=self.colormap,
            color_mode=self.color_mode,
            ascii_only=self.ascii_only,
            id="grid",
        )
        small = height < SMALL_HEIGHT
        grid.styles.width = grid.fit_to(width - COLORBAR_WIDTH, height - self._chrome(grid, small))
        lay = grid.grid_layout
        yield TitleBar(sanitize(self.doc_title), self._info_text(), id="titlebar")
        with Horizontal(id="main"):
            yield grid
            colorbar = ColorBar(lay.painter, self.vrange, self.matrix.n_rows, id="colorbar")
            colorbar.offset_lines = lay.header_height
            yield colorbar
        legend = Static(self._legend_text(lay, width), id="legend")
        legend.display = bool(lay.header.legend) and not small
        yield legend
        boxinfo = Static("", id="boxinfo", markup=False)
        boxinfo.display = not small
        yield boxinfo
        with Horizontal(id="statusline"):
            status = StatusBar(cell_readout(self.matrix, 0, 0), id="status")
            status.styles.width = readout_width(self.matrix) + 2  # + padding
            yield status
            yield Static(KEY_HINTS, id="hints", markup=False)

    def _info_text(self) -> str:
        vr = self.vrange
        ticks = [vr.vmin, vr.vmax]
        scale = f"{self.colormap} {tick_text(vr.vmin, ticks)}–{tick_text(vr.vmax, ticks)}"
        return (
            f"{self.matrix.n_rows}×{self.matrix.n_cols} · {scale} · {MODE_NAMES[self.color_mode]}"
        )

    def _legend_text(self, layout: GridLayout, width: int) -> Text:
        prefix = sanitize(self.matrix.col_title) + ": "
        return Text("\n".join(legend_lines(layout.header.legend, max(20, width - 2), prefix)))

    @staticmethod
    def _chrome(grid: HeatGrid, small: bool) -> int:
        """Lines that are not the grid: title and status, plus box line and legend when shown."""
        if small:
            return 2
        legend = 2 if grid.grid_layout.header.legend else 0
        return 3 + legend

    def on_mount(self) -> None:
        grid = self.query_one(HeatGrid)
        grid.focus()
        self.watch(grid, "cursor", self._show_readout, init=False)
        self.watch(grid, "boxes", self._show_box_info, init=False)
        self.watch(grid, "draft", self._show_box_info, init=False)
        self._show_box_info()
        for notice in self.notices:
            self.notify(notice, severity="warning", timeout=8)

    def on_resize(self, event: events.Resize) -> None:
        if event.size == self._fitted_size:
            return  # the start-up resize: compose already fitted this size
        self._fitted_size = event.size
        width, height = event.size
        small = height < SMALL_HEIGHT
        self.query_one("#boxinfo").display = not small
        grid = self.query_one(HeatGrid)
        grid.styles.width = grid.fit_to(width - COLORBAR_WIDTH, height - self._chrome(grid, small))
        self._show_layout(grid.grid_layout, width, small)

    def _show_layout(self, layout: GridLayout, width: int, small: bool) -> None:
        self.query_one(ColorBar).configure(layout.painter, layout.header_height)
        legend = self.query_one("#legend", Static)
        legend.update(self._legend_text(layout, width))
        legend.display = bool(layout.header.legend) and not small

    def _show_readout(self, cursor: Cursor) -> None:
        self.query_one(StatusBar).show(cell_readout(self.matrix, cursor.row, cursor.col))
        self._show_box_info()

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
            box = grid.draft
            cells = f"{box.n_cells} cell{'s' if box.n_cells != 1 else ''}"
            return f"drawing {box_label(self.matrix, box)} ({cells}) · Enter keeps, Esc cancels"
        index = innermost_box(grid.boxes, *grid.cursor.cell)
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
        if self.data_path is None:
            self.notify(
                "Boxes of this input cannot be saved (standard input or the bundled sample); "
                "open a file to keep them.",
                severity="warning",
            )
            return
        from tuiheat.loaders.sidecar import write_sidecar

        try:
            path = write_sidecar(self.data_path, self.matrix, boxes)
        except OSError as err:
            reason = err.strerror or str(err)
            self.notify(
                f"Boxes not saved: {reason}. The previous sidecar is intact.", severity="error"
            )
            return
        self.saved_boxes = boxes
        self._quit_warned = False
        count = f"{len(boxes)} box{'es' if len(boxes) != 1 else ''}"
        self.notify(f"Saved {count} to {sanitize(path.name)}", timeout=4)

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
                grid.move_cursor(box.r0, box.c0)

        self.push_screen(BoxListScreen(rows), jump)

    async def action_quit(self) -> None:
        """Quit; with boxes not saved to a file that could keep them, warn once first."""
        unsaved = self.data_path is not None and self.query_one(HeatGrid).boxes != self.saved_boxes
        if unsaved and not self._quit_warned:
            self._quit_warned = True
            self.notify("Boxes are not saved: w saves them, q again quits.", severity="warning")
            return
        self.exit()

    def action_help(self) -> None:
        from tuiheat.screens.help import HelpScreen  # not needed for the first paint

        groups = [("Move", HeatGrid.BINDINGS), ("Viewer", self.BINDINGS)]
        extra = "Click a cell to put the cursor on it. Ctrl+P opens the command palette."
        self.push_screen(HelpScreen(groups, extra))
