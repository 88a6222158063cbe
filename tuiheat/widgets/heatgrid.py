"""The heatmap grid: a Line-API ScrollView that paints only visible lines and repaints only
the cells a cursor step changes.

Row labels (left) and column labels (top) stay fixed while the cells scroll. Lines
are built by the Rich-only ``GridLayout`` from colour bins computed with numpy once
per visible window, and cached as ``Strip`` objects keyed on everything they show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rich.segment import Segment
from textual import events, work
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from tuiheat.core.boxes import Box
from tuiheat.core.colormap import TABLE_SIZE, get_palette
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.readout import short_value
from tuiheat.core.scale import BIG_CELLS, ValueRange, to_bins, to_bins_by
from tuiheat.core.stats import innermost_box
from tuiheat.core.summary import (
    NAN_LEVEL,
    SUMMARIES,
    AxisSummaries,
    axis_summaries,
    spark_levels,
    summary_range,
)
from tuiheat.core.viewport import Cursor, clamp, scroll_to_show
from tuiheat.core.zoom import Zoom
from tuiheat.render.gridview import HIGHLIGHT as HIGHLIGHT_LABEL
from tuiheat.render.gridview import MARGIN_WIDTH, GridLayout
from tuiheat.render.painter import Painter
from tuiheat.widgets.strips import strip_on

MIN_CELL, MAX_CELL = 2, 6
BACKGROUND_DELAY = 0.2  # seconds after a paint before full scans of a big matrix start


@dataclass(frozen=True)
class MarginData:
    """Row and column summaries with their glyph levels and colour bins."""

    summaries: AxisSummaries
    row_levels: np.ndarray
    row_bins: np.ndarray
    col_levels: np.ndarray
    col_bins: np.ndarray

    @classmethod
    def blank(cls, shape: tuple[int, int]) -> MarginData:
        """Gaps everywhere: what the margins show while a big matrix is being summarised."""
        rows = np.full(shape[0], NAN_LEVEL, dtype=np.int16)
        cols = np.full(shape[1], NAN_LEVEL, dtype=np.int16)
        empty = AxisSummaries("", np.full(shape[0], np.nan), np.full(shape[1], np.nan))
        return cls(empty, rows, rows, cols, cols)

    @classmethod
    def compute(cls, matrix: HeatMatrix, kind: str, vrange: ValueRange, n_bins: int) -> MarginData:
        summaries = axis_summaries(matrix, kind)
        srange = summary_range(kind, vrange)
        return cls(
            summaries,
            spark_levels(summaries.rows, srange),
            to_bins(summaries.rows, srange, n_bins),
            spark_levels(summaries.cols, srange),
            to_bins(summaries.cols, srange, n_bins),
        )


def choose_cell_width(n_cols: int, room: int) -> int:
    """Cells as wide as the room allows (they read better wide, like the figure), 2 to 6."""
    return clamp(room // max(1, n_cols), MIN_CELL, MAX_CELL)


class HeatGrid(ScrollView, can_focus=True, inherit_bindings=False):
    """Coloured cells of a HeatMatrix with fixed axes and a keyboard cursor."""

    BINDINGS: list[BindingType] = [
        Binding("up,k", "move(-1, 0)", "Up", show=False),
        Binding("down,j", "move(1, 0)", "Down", show=False),
        Binding("left,h", "move(0, -1)", "Left", show=False),
        Binding("right,l", "move(0, 1)", "Right", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("g", "first_row", "First row", show=False),
        Binding("G", "last_row", "Last row", show=False),
        Binding("0,home", "first_col", "First column", show=False),
        Binding("dollar_sign,end", "last_col", "Last column", show=False),
        Binding("b", "start_box", "Draw a box (b again or Enter keeps it)", show=False),
        Binding("enter", "keep_box", "Keep the box being drawn", show=False),
        Binding("escape", "cancel_box", "Cancel the box being drawn", show=False),
        Binding("x", "delete_box", "Delete the box under the cursor", show=False),
        Binding("n", "next_box(1)", "Next box", show=False),
        Binding("N", "next_box(-1)", "Previous box", show=False),
        Binding("m", "cycle_summary", "Margins: mean / max / min / std", show=False),
    ]

    DEFAULT_CSS = """
    HeatGrid {
        scrollbar-size: 1 1;
        background: $background;
    }
    """

    # Watchers run synchronously, so the readout changes in the same frame as the cells.
    cursor: reactive[Cursor] = reactive(Cursor(0, 0, 1, 1), repaint=False, layout=False, init=False)
    boxes: reactive[tuple[Box, ...]] = reactive((), repaint=False, layout=False, init=False)
    # The box being drawn (from the anchor to the cursor), or None.
    draft: reactive[Box | None] = reactive(None, repaint=False, layout=False, init=False)

    def __init__(
        self,
        matrix: HeatMatrix,
        vrange: ValueRange,
        *,
        colormap: str = "blues",
        color_mode: str = "truecolor",
        ascii_only: bool = False,
        bins: int | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        # ``matrix`` is what the cells show: the data, or its zoomed-out view. Boxes are kept
        # in the data's own (base) coordinates and drawn through ``zoom``.
        self.matrix = matrix
        self.base_shape = matrix.shape
        self.zoom = Zoom()
        self._view_boxes: tuple[Box, ...] = tuple(matrix.boxes)
        self.vrange = vrange
        self.colormap = colormap
        self.color_mode = color_mode
        self.ascii_only = ascii_only
        self.bins = bins or TABLE_SIZE
        self.set_reactive(HeatGrid.cursor, Cursor(0, 0, matrix.n_rows, matrix.n_cols))
        self.set_reactive(HeatGrid.boxes, tuple(matrix.boxes))
        self.anchor: tuple[int, int] | None = None
        self.grid_layout = self._make_layout(MIN_CELL)
        self._slack = True
        self._generation = 0
        self.half = False  # half-block rendering: two matrix rows per terminal line
        self.by_axis: tuple[int, np.ndarray, np.ndarray] | None = None  # per-row/column colours
        self.annotate = False  # numbers (or cell_text) printed inside the cells
        self.cell_text: np.ndarray | None = None
        self._values = np.zeros((0, 0))
        self.margins = True  # sparkline margins: a glyph beside each row, a line under the columns
        self.summary_kind = SUMMARIES[0]
        self._margin_data: dict[str, MarginData] = {}
        self._summarising: tuple[object, ...] | None = None
        self._line_cache: LRUCache[tuple[object, ...], Strip] = LRUCache(1024)
        self._block_key: tuple[int, ...] | None = None
        self._block = np.zeros((0, 0), dtype=np.int16)
        self.virtual_size = self._virtual_size()

    # --- geometry ---------------------------------------------------------------------

    def _make_layout(self, cell_width: int) -> GridLayout:
        palette = get_palette(self.colormap, self.bins)
        painter = Painter(palette, self.color_mode, cell_width, self.ascii_only)
        return GridLayout(self.matrix, painter)

    def _virtual_size(self) -> Size:
        """The cells, plus a cell of slack when they overflow, so that scrolling in whole
        cells can always bring the last one into view."""
        lay = self.grid_layout
        width = lay.gutter + self.matrix.n_cols * lay.cell_width + self.margin_width
        if self._slack:
            width += lay.cell_width - 1
        lines = -(-self.matrix.n_rows // self.rows_per_line)
        return Size(width, lay.header_height + lines + self.footer_height)

    @property
    def rows_per_line(self) -> int:
        """2 in half-block mode (``▀``: a row in each half of a line), else 1."""
        return 2 if self.half else 1

    def _line_of(self, row: int) -> int:
        """The widget line that shows matrix row ``row``."""
        return self.grid_layout.header_height + (row - self.top_row) // self.rows_per_line

    @property
    def scrollbar_lines(self) -> int:
        """The horizontal scrollbar's line, when the cells overflow the width."""
        return 1 if self._slack else 0

    @property
    def margin_width(self) -> int:
        return MARGIN_WIDTH if self.margins else 0

    @property
    def footer_height(self) -> int:
        return 1 if self.margins else 0

    @property
    def view_width(self) -> int:
        return self.scrollable_content_region.width

    @property
    def view_height(self) -> int:
        return self.scrollable_content_region.height

    @property
    def visible_rows(self) -> int:
        lines = max(0, self.view_height - self.grid_layout.header_height - self.footer_height)
        return lines * self.rows_per_line

    @property
    def visible_cols(self) -> int:
        room = self.view_width - self.grid_layout.gutter - self.margin_width
        return max(0, room // self.grid_layout.cell_width)

    def visible_cols_at(self, cell_width: int) -> int:
        """How many columns would fit with cells ``cell_width`` wide."""
        room = self.view_width - self.grid_layout.gutter - self.margin_width
        return max(1, room // max(1, cell_width))

    @property
    def footer_y(self) -> int:
        """The margin line sits right under the last row on screen."""
        shown = min(self.visible_rows, self.matrix.n_rows - self.top_row)
        return self.grid_layout.header_height + max(0, -(-shown // self.rows_per_line))

    @property
    def top_row(self) -> int:
        return clamp(
            int(self.scroll_offset.y) * self.rows_per_line, 0, max(0, self.matrix.n_rows - 1)
        )

    @property
    def left_col(self) -> int:
        return clamp(
            int(self.scroll_offset.x) // self.grid_layout.cell_width,
            0,
            max(0, self.matrix.n_cols - 1),
        )

    def fit_to(self, width: int, height: int) -> int:
        """Pick the cell width for ``width`` x ``height`` of room; return the width the grid needs.

        The grid is no wider than its cells, so the colour bar sits right beside them.
        """
        lay = self.grid_layout
        lines = -(-self.matrix.n_rows // self.rows_per_line)
        rows_overflow = lines > max(0, height - lay.header_height - self.footer_height)
        scrollbar = 1 if rows_overflow else 0
        room = width - lay.gutter - scrollbar - self.margin_width
        cell_width = choose_cell_width(self.matrix.n_cols, room)
        slack = lay.gutter + self.matrix.n_cols * cell_width + self.margin_width + scrollbar > width
        if cell_width != lay.cell_width or slack != self._slack:
            self._slack = slack
            self.grid_layout = self._make_layout(cell_width)
            self._invalidate()
        self.virtual_size = self._virtual_size()
        needed = self.virtual_size.width + scrollbar
        return max(1, min(width, needed))

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._scroll_cursor_into_view)

    def _invalidate(self) -> None:
        self._generation += 1
        self._line_cache.clear()
        self._block_key = None

    def set_boxes(self, boxes: Sequence[Box]) -> None:
        """Replace the kept boxes, in base coordinates (a rare event: a full repaint)."""
        # The view boxes first: watchers of ``boxes`` run as soon as it is set.
        self._view_boxes = tuple(self.zoom.to_view_box(b) for b in boxes)
        self.boxes = tuple(boxes)
        self._line_cache.clear()
        self.refresh()

    def set_view(self, matrix: HeatMatrix, zoom: Zoom, cursor: tuple[int, int]) -> None:
        """Show another view of the data (a zoom level): same boxes, new cells and labels."""
        self.anchor = None
        self.draft = None
        self.matrix = matrix
        self.zoom = zoom
        self._margin_data.clear()
        self.grid_layout = self._make_layout(self.grid_layout.cell_width)
        self._view_boxes = tuple(zoom.to_view_box(b) for b in self.boxes)
        self._invalidate()
        self.virtual_size = self._virtual_size()
        new = Cursor(cursor[0], cursor[1], matrix.n_rows, matrix.n_cols)
        self.cursor = new
        self._centre_on(new)
        self.refresh()

    def set_range(
        self, vrange: ValueRange, by_axis: tuple[int, np.ndarray, np.ndarray] | None = None
    ) -> None:
        """Recolour: a new value range, or (``by_axis``) each row (0) or column (1) normalised
        to its own lows and highs."""
        self.vrange = vrange
        self.by_axis = by_axis
        self._margin_data.clear()
        self._invalidate()
        self.refresh()

    def set_colormap(self, name: str) -> None:
        self.colormap = name
        self.grid_layout = self._make_layout(self.grid_layout.cell_width)
        self._margin_data.clear()
        self._invalidate()
        self.refresh()

    def set_annotations(self, on: bool, text: np.ndarray | None = None) -> None:
        """Numbers (or ``text``, a string grid of the view's shape) printed in the cells."""
        self.annotate = on
        self.cell_text = text
        self._line_cache.clear()
        self.refresh()

    def _centre_on(self, cursor: Cursor) -> None:
        lay = self.grid_layout
        top = clamp(
            cursor.row - self.visible_rows // 2, 0, max(0, self.matrix.n_rows - self.visible_rows)
        )
        left = clamp(
            cursor.col - self.visible_cols // 2, 0, max(0, self.matrix.n_cols - self.visible_cols)
        )
        self.scroll_to(
            left * lay.cell_width, top // self.rows_per_line, animate=False, immediate=True
        )

    def box_at_cursor(self) -> int | None:
        """Index (into ``boxes``) of the smallest box the cursor's cell or block touches."""
        return innermost_box(self._view_boxes, *self.cursor.cell)

    # --- rendering --------------------------------------------------------------------

    def _visible_block(self, top: int, left: int, n_rows: int, n_cols: int) -> np.ndarray:
        """Colour bins of the cells on screen, computed in one numpy pass per viewport."""
        key = (top, left, n_rows, n_cols, self._generation)
        if key != self._block_key:
            values = self.matrix.window(top, top + n_rows, left, left + n_cols)
            n_bins = self.grid_layout.painter.n_bins
            if self.by_axis is None:
                self._block = to_bins(values, self.vrange, n_bins)
            else:
                axis, lows, highs = self.by_axis
                part = slice(top, top + n_rows) if axis == 0 else slice(left, left + n_cols)
                self._block = to_bins_by(values, lows[part], highs[part], n_bins, axis)
            self._values = values
            self._block_key = key
        return self._block

    def render_line(self, y: int) -> Strip:
        lay = self.grid_layout
        width = self.view_width
        left = self.left_col
        n_cols = min(self.visible_cols, self.matrix.n_cols - left)
        cursor = self.cursor
        if y < lay.header_height:
            key: tuple[object, ...] = ("h", y, left, n_cols, width, cursor.col, self._generation)
            strip = self._line_cache.get(key)
            if strip is None:
                segments = lay.header_line(y, left, n_cols, cursor.col)
                strip = strip_on(segments, width, self.rich_style)
                self._line_cache[key] = strip
            return strip
        if self.margins and y == self.footer_y:
            return self._footer_line(left, n_cols, width)
        top = self.top_row
        rpl = self.rows_per_line
        row = top + (y - lay.header_height) * rpl
        if row >= self.matrix.n_rows or n_cols <= 0 or y > self.footer_y:
            return Strip.blank(width, self.rich_style)
        if rpl == 2:
            return self._half_line(row, top, left, n_cols, width)
        on_row = cursor.col if row == cursor.row else None
        draft = self.draft
        on_draft = draft if draft is not None and draft.r0 <= row <= draft.r1 else None
        margin = self.summary_kind if self.margins else None
        annotate = self.annotate
        key = ("r", row, left, n_cols, width, on_row, on_draft, margin, annotate, self._generation)
        strip = self._line_cache.get(key)
        if strip is None:
            # Textual may ask for lines under a horizontal scrollbar too: cover the widget.
            n_rows = min(max(self.visible_rows, self.size.height), self.matrix.n_rows - top)
            block = self._visible_block(top, left, n_rows, n_cols)
            bins = block[row - top]
            notes = self._cell_notes(row, top, left, n_cols) if annotate else None
            under = self._under(row - top)
            segments = lay.row_line(
                row, bins, left, on_row, self._view_boxes, on_draft, notes, under
            )
            if self.margins:
                data = self.margin_data()
                segments.append(lay.row_margin(int(data.row_levels[row]), int(data.row_bins[row])))
            strip = strip_on(segments, width, self.rich_style)
            self._line_cache[key] = strip
        return strip

    def _half_line(self, row: int, top: int, left: int, n_cols: int, width: int) -> Strip:
        cursor = self.cursor
        on = None
        if cursor.row in (row, row + 1) and left <= cursor.col < left + n_cols:
            on = (cursor.col - left, cursor.row == row + 1)
        elif cursor.row in (row, row + 1):
            on = (-1, False)  # the label is highlighted; the cursor cell is off screen
        margin = self.summary_kind if self.margins else None
        key = ("2", row, left, n_cols, width, on, margin, self._generation)
        strip = self._line_cache.get(key)
        if strip is None:
            n_rows = min(max(self.visible_rows, 2 * self.size.height), self.matrix.n_rows - top)
            block = self._visible_block(top, left, n_rows, n_cols)
            upper = block[row - top]
            lower = block[row - top + 1] if row + 1 < top + block.shape[0] else None
            cell = on if on is None or on[0] >= 0 else None
            segments = self.grid_layout.half_line(row, upper, lower, cell)
            if on is not None and cell is None:
                segments[0] = Segment(segments[0].text, HIGHLIGHT_LABEL)
            if self.margins:
                data = self.margin_data()
                segments.append(
                    self.grid_layout.row_margin(int(data.row_levels[row]), int(data.row_bins[row]))
                )
            strip = strip_on(segments, width, self.rich_style)
            self._line_cache[key] = strip
        return strip

    def set_half(self, on: bool) -> bool:
        """Half-block rendering on or off; False when the colour mode cannot show it."""
        if on and not self.grid_layout.painter.supports_half:
            return False
        cursor = self.cursor
        self.half = on
        self._line_cache.clear()
        self.virtual_size = self._virtual_size()
        self._centre_on(cursor)
        self.refresh()
        return True

    def _under(self, index: int) -> list[int]:
        """Visible cells of the ``index``-th row on screen that lie below the scale, when the
        AUC rule kept 0.5-1.0 over them (they are drawn at the light end, and marked)."""
        if not self.vrange.under or self.by_axis is not None or index >= self._values.shape[0]:
            return []
        with np.errstate(invalid="ignore"):
            return np.flatnonzero(self._values[index] < self.vrange.vmin).tolist()

    def _cell_notes(self, row: int, top: int, left: int, n_cols: int) -> list[str]:
        """What to print in each visible cell of ``row``: its text, or its number if it fits."""
        width = max(1, self.grid_layout.cell_width - 1)  # a space between neighbours
        if self.cell_text is not None:
            texts = self.cell_text[row, left : left + n_cols]
            return [str(t) for t in texts.tolist()]
        values = self._values[row - top] if row - top < self._values.shape[0] else []
        return [short_value(float(v), width) for v in values]

    def _footer_line(self, left: int, n_cols: int, width: int) -> Strip:
        key = ("f", left, n_cols, width, self.summary_kind, self._generation)
        strip = self._line_cache.get(key)
        if strip is None:
            data = self.margin_data()
            segments = self.grid_layout.margin_footer(
                self.summary_kind, data.col_levels, data.col_bins, left, max(0, n_cols)
            )
            strip = strip_on(segments, width, self.rich_style)
            self._line_cache[key] = strip
        return strip

    # --- margins ----------------------------------------------------------------------

    def margin_data(self) -> MarginData:
        """Summaries of every row and column for the current kind, computed once per kind.

        A big matrix is summarised in a thread; its margins are blank until then.
        """
        kind = self.summary_kind
        data = self._margin_data.get(kind)
        if data is not None:
            return data
        n_bins = self.grid_layout.painter.n_bins
        if self.matrix.n_rows * self.matrix.n_cols <= BIG_CELLS:
            data = self._margin_data[kind] = MarginData.compute(
                self.matrix, kind, self.vrange, n_bins
            )
            return data
        job = (id(self.matrix), kind, self.vrange)
        if self._summarising != job:  # one scan per view and kind, however many lines ask
            self._summarising = job
            # After this frame is on screen: a scanning thread would slow the first paint.
            matrix, vrange = self.matrix, self.vrange
            self.set_timer(BACKGROUND_DELAY, lambda: self._summarise(matrix, kind, vrange, n_bins))
        return MarginData.blank(self.matrix.shape)

    @work(thread=True, exclusive=True, group="margins")
    def _summarise(self, matrix: HeatMatrix, kind: str, vrange: ValueRange, n_bins: int) -> None:
        data = MarginData.compute(matrix, kind, vrange, n_bins)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._summarised, matrix, kind, vrange, data)

    def _summarised(
        self, matrix: HeatMatrix, kind: str, vrange: ValueRange, data: MarginData
    ) -> None:
        if matrix is self.matrix and vrange == self.vrange:
            self._margin_data[kind] = data
            self._line_cache.clear()
            self.refresh()

    class SummaryChanged(Message):
        """The margins now summarise by another statistic (``m``)."""

        def __init__(self, grid: HeatGrid) -> None:
            super().__init__()
            self.grid = grid

    def action_cycle_summary(self) -> None:
        """m: mean, max, min, std in turn."""
        i = SUMMARIES.index(self.summary_kind)
        self.set_summary(SUMMARIES[(i + 1) % len(SUMMARIES)])
        self.post_message(self.SummaryChanged(self))

    def set_summary(self, kind: str) -> None:
        self.summary_kind = kind
        self.margins = True
        self.virtual_size = self._virtual_size()
        self.refresh()

    def set_margins(self, on: bool) -> None:
        self.margins = on
        self._line_cache.clear()
        self.virtual_size = self._virtual_size()
        self.refresh()

    # --- cursor -----------------------------------------------------------------------

    def move_cursor(self, row: int | None = None, col: int | None = None) -> None:
        old = self.cursor
        new = old.at(row, col)
        if new == old:
            return
        self.cursor = new
        old_draft = self.draft
        if self.anchor is not None:
            self.draft = Box.from_corners(self.anchor, new.cell)
        if not self._scroll_cursor_into_view():
            self._refresh_cursor_cells(old, new)
            if self.draft != old_draft:
                self._refresh_box_edges(old_draft, self.draft)

    def _cell_region(self, row: int, col: int) -> Region | None:
        lay = self.grid_layout
        y = self._line_of(row)
        x = lay.gutter + (col - self.left_col) * lay.cell_width
        if not (lay.header_height <= y < self.footer_y) or not (lay.gutter <= x < self.view_width):
            return None
        return Region(x, y, lay.cell_width, 1)

    def _refresh_cursor_cells(self, old: Cursor, new: Cursor) -> None:
        """Repaint the two cursor cells, their row labels and their column labels only."""
        lay = self.grid_layout
        regions: list[Region] = []
        for cur in (old, new):
            cell = self._cell_region(cur.row, cur.col)
            if cell is not None:
                regions.append(cell)
                regions.append(Region(0, cell.y, lay.gutter, 1))
        if old.col != new.col:
            for cur in (old, new):
                x = lay.gutter + (cur.col - self.left_col) * lay.cell_width
                if lay.gutter <= x < self.view_width:
                    regions.append(Region(x, 1, lay.cell_width, lay.header_height - 1))
        if regions:
            self.refresh(*regions)

    def _refresh_box_edges(self, *boxes: Box | None) -> None:
        """Repaint the four edges of each box: a box being drawn changes only its frame."""
        lay = self.grid_layout
        left = self.left_col
        regions = []
        for box in boxes:
            if box is None:
                continue
            x0 = lay.gutter + (box.c0 - left) * lay.cell_width
            x1 = lay.gutter + (box.c1 - left + 1) * lay.cell_width
            y0 = self._line_of(box.r0)
            y1 = self._line_of(box.r1)
            x0, x1 = max(x0, lay.gutter), min(x1, self.view_width)
            y0, y1 = max(y0, lay.header_height), min(y1, self.footer_y - 1)
            if x0 >= x1 or y0 > y1:
                continue
            regions.append(Region(x0, y0, x1 - x0, 1))
            regions.append(Region(x0, y1, x1 - x0, 1))
            regions.append(Region(x0, y0, lay.cell_width, y1 - y0 + 1))
            regions.append(Region(max(x0, x1 - lay.cell_width), y0, lay.cell_width, y1 - y0 + 1))
        if regions:
            self.refresh(*regions)

    # --- boxes ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape cancels a box being drawn; otherwise it goes on to the app (closing the chart)."""
        if action == "cancel_box":
            return self.draft is not None
        return True

    def action_start_box(self) -> None:
        if self.anchor is not None:
            self.action_keep_box()
            return
        self.anchor = self.cursor.cell
        self.draft = Box.from_corners(self.anchor, self.anchor)
        self._refresh_box_edges(self.draft)

    def action_keep_box(self) -> None:
        if self.draft is None:
            return
        kept = self.zoom.to_base_box(self.draft, self.base_shape)
        self.anchor = None
        self.draft = None
        self.set_boxes((*self.boxes, kept))

    def show_draft(self, draft: Box | None) -> None:
        """Mirror another grid's box being drawn (compare mode): repaint only its frame."""
        old = self.draft
        if draft != old:
            self.draft = draft
            self._refresh_box_edges(old, draft)

    def action_cancel_box(self) -> None:
        self.anchor = None
        self.show_draft(None)

    def action_delete_box(self) -> None:
        index = self.box_at_cursor()
        if index is None:
            self.notify("No box under the cursor.", severity="warning", timeout=3, markup=False)
            return
        self.set_boxes(self.boxes[:index] + self.boxes[index + 1 :])

    def action_next_box(self, direction: int) -> None:
        """Put the cursor on the top-left cell of the next (or previous) box, in reading order."""
        if not self.boxes:
            self.notify(
                "There are no boxes; b draws one.", severity="warning", timeout=3, markup=False
            )
            return
        corners = sorted({(b.r0, b.c0) for b in self._view_boxes})
        here = self.cursor.cell
        if direction > 0:
            target = next((c for c in corners if c > here), corners[0])
        else:
            target = next((c for c in reversed(corners) if c < here), corners[-1])
        self.move_cursor(*target)

    def _scroll_cursor_into_view(self) -> bool:
        """Scroll the least that shows the cursor; True when the view moved (a full repaint)."""
        lay = self.grid_layout
        rpl = self.rows_per_line
        lines = -(-self.matrix.n_rows // rpl)
        first = scroll_to_show(
            self.top_row // rpl, self.visible_rows // rpl, self.cursor.row // rpl, lines
        )
        left = scroll_to_show(self.left_col, self.visible_cols, self.cursor.col, self.matrix.n_cols)
        if first * rpl == self.top_row and left == self.left_col:
            return False
        self.scroll_to(left * lay.cell_width, first, animate=False, immediate=True)
        self.refresh()
        return True

    def action_move(self, d_row: int, d_col: int) -> None:
        cur = self.cursor.moved(d_row, d_col)
        self.move_cursor(cur.row, cur.col)

    def action_page(self, direction: int) -> None:
        step = max(1, self.visible_rows)
        self.move_cursor(row=self.cursor.row + direction * step)

    def action_first_row(self) -> None:
        self.move_cursor(row=0)

    def action_last_row(self) -> None:
        self.move_cursor(row=self.matrix.n_rows - 1)

    def action_first_col(self) -> None:
        self.move_cursor(col=0)

    def action_last_col(self) -> None:
        self.move_cursor(col=self.matrix.n_cols - 1)

    def on_click(self, event: events.Click) -> None:
        lay = self.grid_layout
        if event.y < lay.header_height or event.x < lay.gutter:
            return
        row = self.top_row + (event.y - lay.header_height) * self.rows_per_line
        col = self.left_col + (event.x - lay.gutter) // lay.cell_width
        if row < self.matrix.n_rows and col < self.matrix.n_cols:
            self.move_cursor(row, col)

    def cell_segments(self, row: int) -> list[Segment]:
        """The segments of matrix row ``row`` as last rendered (for tests and exports)."""
        return list(self.render_line(self._line_of(row)))
