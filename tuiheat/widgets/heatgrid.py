"""The heatmap grid: a Line-API ScrollView that draws one pane under the shared view state.

It owns no view state of its own: the cursor, zoom, boxes and toggles come in as a
``ViewState`` (``set_state``), the data as a ``Pane`` (``set_pane``) and the colours as
a ``ResolvedScale`` (``set_scale``), all from the ``HeatView`` that holds them, so N
grids show one state without mirroring anything. A cursor step repaints two cells,
their labels and header columns; lines are built by the Rich-only ``GridLayout`` from
colour bins computed with numpy once per visible window, and cached as ``Strip``s keyed
on what they show (never on the whole state).
"""

from __future__ import annotations

import numpy as np
from rich.segment import Segment
from textual import events, work
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from tuiheat.core.boxes import Box
from tuiheat.core.colormap import TABLE_SIZE, get_palette
from tuiheat.core.colourscale import ResolvedScale
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.panes import Pane
from tuiheat.core.readout import short_value
from tuiheat.core.scale import BIG_CELLS, ValueRange, to_bins, to_bins_by
from tuiheat.core.summary import MarginData
from tuiheat.core.viewport import Cursor, clamp, scroll_to_show
from tuiheat.core.viewstate import ViewState, changed
from tuiheat.core.zoom import Zoom
from tuiheat.render.gridview import HIGHLIGHT as HIGHLIGHT_LABEL
from tuiheat.render.gridview import MARGIN_WIDTH, DisplaySettings, GridLayout
from tuiheat.render.painter import Painter
from tuiheat.widgets.strips import strip_on

MIN_CELL, MAX_CELL = 2, 6
BACKGROUND_DELAY = 0.2  # seconds after a paint before full scans of a big matrix start
CURSOR_ONLY = frozenset({"cursor", "anchor"})
NEW_VIEW = frozenset({"zoom", "spec", "base_shape", "half"})


def choose_cell_width(n_cols: int, room: int) -> int:
    """Cells as wide as the room allows (they read better wide, like the figure), 2 to 6."""
    return clamp(room // max(1, n_cols), MIN_CELL, MAX_CELL)


class HeatGrid(ScrollView, can_focus=True, inherit_bindings=False):
    """Coloured cells of one pane with fixed axes; keys belong to the HeatView around it."""

    DEFAULT_CSS = """
    HeatGrid {
        scrollbar-size: 1 1;
        background: $background;
    }
    """

    class Clicked(Message):
        """A click on a cell (view coordinates): the HeatView moves the cursor there."""

        def __init__(self, grid: HeatGrid, row: int, col: int) -> None:
            super().__init__()
            self.grid = grid
            self.row = row
            self.col = col

    def __init__(
        self,
        state: ViewState,
        pane: Pane,
        scale: ResolvedScale,
        display: DisplaySettings | None = None,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.state = state
        self.pane = pane
        self.scale = scale
        self.settings = display or DisplaySettings()
        self.matrix: HeatMatrix = pane.view(state.zoom)  # the data, or its zoomed-out view
        self._view_boxes = state.view_boxes
        self._slack = True
        self._generation = 0
        self._values = np.zeros((0, 0))
        self._margin_data: dict[str, MarginData] = {}
        self._summarising: tuple[object, ...] | None = None
        self._line_cache: LRUCache[tuple[object, ...], Strip] = LRUCache(1024)
        self._block_key: tuple[int, ...] | None = None
        self._block = np.zeros((0, 0), dtype=np.int16)
        self.grid_layout = self._make_layout(MIN_CELL)
        self.virtual_size = self._virtual_size()

    # --- what the view state says (read-only here) ------------------------------------

    @property
    def cursor(self) -> Cursor:
        return self.state.cursor

    @property
    def boxes(self) -> tuple[Box, ...]:
        return self.state.boxes

    @property
    def draft(self) -> Box | None:
        return self.state.draft

    @property
    def zoom(self) -> Zoom:
        return self.state.zoom

    @property
    def half(self) -> bool:
        return self.state.half

    @property
    def margins(self) -> bool:
        return self.state.margins

    @property
    def annotate(self) -> bool:
        return self.state.annotate

    @property
    def summary_kind(self) -> str:
        return self.state.summary

    @property
    def vrange(self) -> ValueRange:
        return self.scale.vrange

    @property
    def by_axis(self) -> tuple[int, np.ndarray, np.ndarray] | None:
        return self.scale.by_axis

    @property
    def colormap(self) -> str:
        return self.scale.colormap

    def box_at_cursor(self) -> int | None:
        return self.state.box_at_cursor()

    # --- updates from the HeatView ----------------------------------------------------

    def set_state(self, new: ViewState) -> None:
        """Show ``new``: a cursor step repaints its cells; anything else more."""
        old = self.state
        what = changed(old, new)
        if not what:
            return
        self.state = new
        if what <= CURSOR_ONLY:
            self._step(old, new)
            return
        self._view_boxes = new.view_boxes
        if what & NEW_VIEW:
            self._show_view()
            return
        if what & {"margins", "summary"}:
            self.virtual_size = self._virtual_size()
        self._line_cache.clear()
        if "cursor" in what:
            self._scroll_cursor_into_view()
        self.refresh()

    def set_pane(self, pane: Pane) -> None:
        """Other data under the same state (a reload, another slice, the difference view)."""
        if pane is not self.pane:
            self.pane = pane
            self._show_view()

    def set_scale(self, scale: ResolvedScale) -> None:
        """Recolour: a new range, per-row/column ranges or another colour map."""
        old = self.scale
        self.scale = scale
        if scale.colormap != old.colormap:
            self.grid_layout = self._make_layout(self.grid_layout.cell_width)
        self._margin_data.clear()
        self._invalidate()
        self.refresh()

    def _show_view(self) -> None:
        """New cells (a zoom level, a slice, other data): labels, size and scroll anew."""
        self.matrix = self.pane.view(self.state.zoom)
        self._view_boxes = self.state.view_boxes
        self._margin_data.clear()
        self.grid_layout = self._make_layout(self.grid_layout.cell_width)
        self._invalidate()
        self.virtual_size = self._virtual_size()
        self._centre_on(self.state.cursor)
        self.refresh()

    # --- geometry ---------------------------------------------------------------------

    def _make_layout(self, cell_width: int) -> GridLayout:
        palette = get_palette(self.scale.colormap, self.settings.bins or TABLE_SIZE)
        painter = Painter(palette, self.settings.color_mode, cell_width, self.settings.ascii_only)
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
        rows = self.matrix.n_rows
        return clamp(int(self.scroll_offset.y) * self.rows_per_line, 0, max(0, rows - 1))

    @property
    def left_col(self) -> int:
        x = int(self.scroll_offset.x) // self.grid_layout.cell_width
        return clamp(x, 0, max(0, self.matrix.n_cols - 1))

    def fit_to(self, width: int, height: int) -> int:
        """Pick the cell width for ``width`` x ``height`` of room; return the width the grid
        needs (no wider than its cells, so the colour bar sits right beside them)."""
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
        return max(1, min(width, self.virtual_size.width + scrollbar))

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._scroll_cursor_into_view)

    def _invalidate(self) -> None:
        self._generation += 1
        self._line_cache.clear()
        self._block_key = None

    def _centre_on(self, cursor: Cursor) -> None:
        lay = self.grid_layout
        rows, cols = self.visible_rows, self.visible_cols
        top = clamp(cursor.row - rows // 2, 0, max(0, self.matrix.n_rows - rows))
        left = clamp(cursor.col - cols // 2, 0, max(0, self.matrix.n_cols - cols))
        self.scroll_to(
            left * lay.cell_width, top // self.rows_per_line, animate=False, immediate=True
        )

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
                strip = self._line_cache[key] = strip_on(segments, width, self.rich_style)
            return strip
        if self.margins and y == self.footer_y:
            return self._footer_line(left, n_cols, width)
        top = self.top_row
        row = top + (y - lay.header_height) * self.rows_per_line
        if row >= self.matrix.n_rows or n_cols <= 0 or y > self.footer_y:
            return Strip.blank(width, self.rich_style)
        if self.rows_per_line == 2:
            return self._half_line(row, top, left, n_cols, width)
        return self._cell_line(row, top, left, n_cols, width)

    def _cell_line(self, row: int, top: int, left: int, n_cols: int, width: int) -> Strip:
        cursor = self.cursor
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
            bins = self._visible_block(top, left, n_rows, n_cols)[row - top]
            notes = self._cell_notes(row, top, left, n_cols) if annotate else None
            segments = self.grid_layout.row_line(
                row, bins, left, on_row, self._view_boxes, on_draft, notes, self._under(row - top)
            )
            if self.margins:
                data = self.margin_data()
                level, bin_index = int(data.row_levels[row]), int(data.row_bins[row])
                segments.append(self.grid_layout.row_margin(level, bin_index))
            strip = self._line_cache[key] = strip_on(segments, width, self.rich_style)
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
                level, bin_index = int(data.row_levels[row]), int(data.row_bins[row])
                segments.append(self.grid_layout.row_margin(level, bin_index))
            strip = self._line_cache[key] = strip_on(segments, width, self.rich_style)
        return strip

    def _under(self, index: int) -> list[int]:
        """Visible cells of the ``index``-th row on screen that lie below the scale, when the
        AUC rule kept 0.5-1.0 over them (drawn at the light end, and marked)."""
        if not self.vrange.under or self.by_axis is not None or index >= self._values.shape[0]:
            return []
        with np.errstate(invalid="ignore"):
            return np.flatnonzero(self._values[index] < self.vrange.vmin).tolist()

    def _cell_notes(self, row: int, top: int, left: int, n_cols: int) -> list[str]:
        """What to print in each visible cell of ``row``: its text, or its number if it fits."""
        width = max(1, self.grid_layout.cell_width - 1)  # a space between neighbours
        text = self.pane.cell_text(self.zoom)
        if text is not None:
            return [str(t) for t in text[row, left : left + n_cols].tolist()]
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
            strip = self._line_cache[key] = strip_on(segments, width, self.rich_style)
        return strip

    def cell_segments(self, row: int) -> list[Segment]:
        """The segments of matrix row ``row`` as last rendered (for tests and exports)."""
        return list(self.render_line(self._line_of(row)))

    # --- margins ----------------------------------------------------------------------

    def margin_data(self) -> MarginData:
        """Summaries of every row and column for the current kind, computed once per kind;
        a big matrix is summarised in a thread, its margins blank until then."""
        kind = self.summary_kind
        data = self._margin_data.get(kind)
        if data is not None:
            return data
        n_bins = self.grid_layout.painter.n_bins
        matrix, vrange = self.matrix, self.vrange
        if matrix.n_rows * matrix.n_cols <= BIG_CELLS:
            data = self._margin_data[kind] = MarginData.compute(matrix, kind, vrange, n_bins)
            return data
        job = (id(matrix), kind, vrange)
        if self._summarising != job:  # one scan per view and kind, however many lines ask
            self._summarising = job
            # After this frame is on screen: a scanning thread would slow the first paint.
            self.set_timer(BACKGROUND_DELAY, lambda: self._summarise(matrix, kind, vrange, n_bins))
        return MarginData.blank(matrix.shape)

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

    # --- a cursor step: two cells, their labels, the box being drawn ---------------------

    def _step(self, old: ViewState, new: ViewState) -> None:
        if new.cursor != old.cursor and self._scroll_cursor_into_view():
            return
        self._refresh_cursor_cells(old.cursor, new.cursor)
        if new.draft != old.draft:
            self._refresh_box_edges(old.draft, new.draft)

    def _cell_region(self, row: int, col: int) -> Region | None:
        lay = self.grid_layout
        y = self._line_of(row)
        x = lay.gutter + (col - self.left_col) * lay.cell_width
        if not (lay.header_height <= y < self.footer_y) or not (lay.gutter <= x < self.view_width):
            return None
        return Region(x, y, lay.cell_width, 1)

    def _refresh_cursor_cells(self, old: Cursor, new: Cursor) -> None:
        """Repaint the two cursor cells, their row labels and their column labels only."""
        if old == new:
            return
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
            x0 = max(lay.gutter + (box.c0 - left) * lay.cell_width, lay.gutter)
            x1 = min(lay.gutter + (box.c1 - left + 1) * lay.cell_width, self.view_width)
            y0 = max(self._line_of(box.r0), lay.header_height)
            y1 = min(self._line_of(box.r1), self.footer_y - 1)
            if x0 >= x1 or y0 > y1:
                continue
            regions.append(Region(x0, y0, x1 - x0, 1))
            regions.append(Region(x0, y1, x1 - x0, 1))
            regions.append(Region(x0, y0, lay.cell_width, y1 - y0 + 1))
            regions.append(Region(max(x0, x1 - lay.cell_width), y0, lay.cell_width, y1 - y0 + 1))
        if regions:
            self.refresh(*regions)

    def _scroll_cursor_into_view(self) -> bool:
        """Scroll the least that shows the cursor; True when the view moved (a full repaint)."""
        lay = self.grid_layout
        rpl = self.rows_per_line
        lines = -(-self.matrix.n_rows // rpl)
        cursor = self.cursor
        first = scroll_to_show(
            self.top_row // rpl, self.visible_rows // rpl, cursor.row // rpl, lines
        )
        left = scroll_to_show(self.left_col, self.visible_cols, cursor.col, self.matrix.n_cols)
        if first * rpl == self.top_row and left == self.left_col:
            return False
        self.scroll_to(left * lay.cell_width, first, animate=False, immediate=True)
        self.refresh()
        return True

    def on_click(self, event: events.Click) -> None:
        lay = self.grid_layout
        if event.y < lay.header_height or event.x < lay.gutter:
            return
        row = self.top_row + (event.y - lay.header_height) * self.rows_per_line
        col = self.left_col + (event.x - lay.gutter) // lay.cell_width
        if row < self.matrix.n_rows and col < self.matrix.n_cols:
            self.post_message(self.Clicked(self, row, col))
