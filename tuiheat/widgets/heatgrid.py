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

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tuiheat.core.colormap import TABLE_SIZE
from tuiheat.core.colourscale import ResolvedScale
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.panes import Pane
from tuiheat.core.rowlines import RowLines
from tuiheat.core.summary import MarginData
from tuiheat.core.viewport import Cursor, clamp, scroll_to_show
from tuiheat.core.viewstate import ViewState, changed
from tuiheat.render.axes import ROW_LABEL_MAX
from tuiheat.render.gridview import DisplaySettings, GridLayout, Viewport
from tuiheat.render.painter import shared_painter
from tuiheat.render.panelfit import cell_width_for
from tuiheat.render.sizes import MARGIN_WIDTH, MAX_CELL, MIN_CELL
from tuiheat.widgets.gridgeometry import GeometryCache, GridGeometry, geometry_key
from tuiheat.widgets.gridlines import GridLines
from tuiheat.widgets.margins import Margins

CURSOR_ONLY = frozenset({"cursor", "anchor"})
NEW_VIEW = frozenset({"zoom", "spec", "base_shape", "half"})


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

    class Dragged(Message):
        """The mouse dragged from ``start`` to ``end`` (view cells); ``done``: released."""

        def __init__(
            self, grid: HeatGrid, start: tuple[int, int], end: tuple[int, int], done: bool
        ) -> None:
            super().__init__()
            self.grid = grid
            self.start = start
            self.end = end
            self.done = done

    _pressed: tuple[int, int] | None = None
    _dragged = False
    _base_style: Style | None = None

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
        self.labels = (True, True)  # row labels, column labels (panels may share them)
        self.max_cell = MAX_CELL  # the widest cells; the screen's plan may allow more
        self.header_budget = 1  # lines the column labels may take (the screen's plan)
        self.label_limit = ROW_LABEL_MAX  # the widest row label (the screen's plan)
        self.row_height = 2  # half lines a row in full cells (the screen's plan)
        self.margin_cache = Margins(self, self.redraw)
        self.lines = GridLines(self)
        self._geometry = GeometryCache()
        self.grid_layout = self._make_layout(MIN_CELL)
        self.virtual_size = self._virtual_size()

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
        self.lines.cache.clear()
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
        self.margin_cache.clear()
        self._invalidate()
        self.refresh()

    def _show_view(self) -> None:
        """New cells (a zoom level, a slice, other data): labels, size and scroll anew."""
        self.matrix = self.pane.view(self.state.zoom)
        self._view_boxes = self.state.view_boxes
        self.margin_cache.stop()  # a scan of the old view would only slow the new one
        self.margin_cache.clear()
        self.grid_layout = self._make_layout(self.grid_layout.cell_width)
        self._invalidate()
        self.virtual_size = self._virtual_size()
        self._centre_on(self.state.cursor)
        self.refresh()

    # --- geometry ---------------------------------------------------------------------

    def _make_layout(self, cell_width: int) -> GridLayout:
        settings = self.settings
        painter = shared_painter(
            self.scale.colormap,
            settings.bins or TABLE_SIZE,
            settings.color_mode,
            cell_width,
            settings.ascii_only,
        )
        return GridLayout(
            self.matrix,
            painter,
            *self.labels,
            header_lines=self.header_budget,
            label_limit=self.label_limit,
        )

    def _virtual_size(self) -> Size:
        """The cells, plus a cell of slack when they overflow, so that scrolling in whole
        cells can always bring the last one into view."""
        lay = self.grid_layout
        width = lay.gutter + self.matrix.n_cols * lay.cell_width + self.margin_width
        if self._slack:
            width += lay.cell_width - 1
        lines = self.row_lines.lines(self.matrix.n_rows)
        return Size(width, lay.header_height + lines + self.footer_height)

    @property
    def rows_per_line(self) -> int:
        """2 in half-block mode (``▀``: a row in each half of a line), else 1 (or fewer:
        rows taller than a line, see ``row_lines``)."""
        return 2 if self.state.half else 1

    @property
    def row_lines(self) -> RowLines:
        """How rows sit on lines: two a line in half blocks, else ``row_height`` half lines
        each (the screen's plan makes rows taller when that fills the screen)."""
        return RowLines(1 if self.state.half else self.row_height)

    @property
    def body_lines(self) -> int:
        """Lines for rows on screen, between the column labels and the margin line."""
        return max(0, self.view_height - self.grid_layout.header_height - self.footer_height)

    @property
    def top_line(self) -> int:
        """The first line of rows on screen (the vertical scroll offset)."""
        return max(0, int(self.scroll_offset.y))

    def _line_of(self, row: int) -> int:
        return self.viewport.line_of(row)

    @property
    def scrollbar_lines(self) -> int:
        """The horizontal scrollbar's line, when the cells overflow the width."""
        return 1 if self._slack else 0

    @property
    def margin_width(self) -> int:
        return MARGIN_WIDTH if self.state.margins else 0

    @property
    def footer_height(self) -> int:
        return 1 if self.state.margins else 0

    @property
    def view_width(self) -> int:
        return self.scrollable_content_region.width

    @property
    def view_height(self) -> int:
        return self.scrollable_content_region.height

    @property
    def visible_rows(self) -> int:
        """Rows a screen holds whole (what a page moves by)."""
        return 2 * self.body_lines // self.row_lines.p

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
        left = self.row_lines.lines(self.matrix.n_rows) - self.top_line
        return self.grid_layout.header_height + max(0, min(self.body_lines, left))

    @property
    def top_row(self) -> int:
        rows = self.matrix.n_rows
        return clamp(self.row_lines.rows_at(self.top_line)[0], 0, max(0, rows - 1))

    @property
    def left_col(self) -> int:
        x = int(self.scroll_offset.x) // self.grid_layout.cell_width
        return clamp(x, 0, max(0, self.matrix.n_cols - 1))

    def fit_to(
        self,
        width: int,
        height: int,
        labels: tuple[bool, bool] = (True, True),
        min_cell: int = MIN_CELL,
        cell_width: int | None = None,
    ) -> int:
        """Pick the cell width for ``width`` x ``height`` of room (or take ``cell_width``);
        return the width the grid needs (no wider than its cells, so the colour bar sits
        right beside them). ``labels``: whether this grid shows its row and column labels."""
        lay = self.grid_layout
        if (labels, lay.header_lines, lay.label_limit) != (
            self.labels,
            self.header_budget,
            self.label_limit,
        ):
            self.labels = labels
            self.grid_layout = self._make_layout(self.grid_layout.cell_width)
            self._invalidate()
        lines = self.row_lines.lines(self.matrix.n_rows)
        scrollbar = 0
        for _ in range(2):  # the labels' lines follow the cell width: look twice
            lay = self.grid_layout
            rows_overflow = lines > max(0, height - lay.header_height - self.footer_height)
            scrollbar = 1 if rows_overflow else 0
            room = width - lay.gutter - scrollbar - self.margin_width
            cw = cell_width or cell_width_for(self.matrix.n_cols, room, min_cell, self.max_cell)
            slack = lay.gutter + self.matrix.n_cols * cw + self.margin_width + scrollbar > width
            if cw == lay.cell_width and slack == self._slack:
                break
            self._slack = slack
            self.grid_layout = self._make_layout(cw)
            self._invalidate()
        self.virtual_size = self._virtual_size()
        return max(1, min(width, self.virtual_size.width + scrollbar))

    def notify_style_update(self) -> None:
        """A new theme: the cached lines carry the old one's colours (labels, gaps)."""
        super().notify_style_update()
        self._base_style = None
        self._geometry.clear()
        self.lines.cache.clear()

    @property
    def rich_style(self) -> Style:
        """The grid's own colours (labels, gaps), kept until its styles change like the lines
        built with them (Textual walks every ancestor for each line built)."""
        if self._base_style is None:
            self._base_style = super().rich_style
        return self._base_style

    def on_resize(self, event: events.Resize) -> None:
        # The compositor repaints a widget whose size changed; a full repaint asked before
        # the change (the margins toggled, say) would otherwise linger in Textual's
        # repaint regions and be sent again with the next cursor step (a whole grid).
        self._exchange_repaint_regions()
        self.call_after_refresh(self._scroll_cursor_into_view)

    def _invalidate(self) -> None:
        self.lines.invalidate()

    def _centre_on(self, cursor: Cursor) -> None:
        lay, rows = self.grid_layout, self.row_lines
        body, cols = self.body_lines, self.visible_cols
        total = rows.lines(self.matrix.n_rows)
        top = clamp(rows.label_line(cursor.row) - body // 2, 0, max(0, total - body))
        left = clamp(cursor.col - cols // 2, 0, max(0, self.matrix.n_cols - cols))
        self.scroll_to(left * lay.cell_width, top, animate=False, immediate=True)

    def render_line(self, y: int) -> Strip:
        return self.lines.line(y)

    def cell_segments(self, row: int) -> list[Segment]:
        """The segments of matrix row ``row`` as last rendered (for tests and exports)."""
        return list(self.render_line(self._line_of(row)))

    def margin_data(self) -> MarginData:
        n_bins = self.grid_layout.painter.n_bins
        return self.margin_cache.get(self.matrix, self.state.summary, self.scale.vrange, n_bins)

    def redraw(self) -> None:
        """The margins' data came in: every line is built anew, but only the margins (the
        glyphs beside the cells and the line under them) are sent again, not the grid."""
        self.lines.cache.clear()
        if not self.state.margins:
            return
        lay, width = self.grid_layout, self.view_width
        shown = min(self.visible_cols, self.matrix.n_cols - self.left_col)
        x = lay.gutter + shown * lay.cell_width
        top, bottom = lay.header_height, self.footer_y
        self._repaint([(x, top, max(0, width - x), bottom - top), (0, bottom, width, 1)])

    # --- a cursor step: two cells, their labels, the box being drawn ---------------------

    def _step(self, old: ViewState, new: ViewState) -> None:
        geometry = self.geometry()
        if new.cursor != old.cursor:
            if self._scroll_cursor_into_view(geometry):
                return
            self._repaint(geometry.viewport.cursor_step(old.cursor.cell, new.cursor.cell))
        if new.draft != old.draft:
            boxes = (old.draft, new.draft)
            edges = geometry.viewport.box_edges
            self._repaint([r for box in boxes if box is not None for r in edges(box)])

    @property
    def viewport(self) -> Viewport:
        return Viewport(
            self.grid_layout,
            self.left_col,
            self.top_line,
            self.row_lines,
            self.footer_y,
            self.view_width,
        )

    def geometry(self) -> GridGeometry:
        """The viewport and the room on screen, kept while nothing they follow changed."""
        return self._geometry.get(geometry_key(self), self._make_geometry)

    def _make_geometry(self) -> GridGeometry:
        return GridGeometry(self.viewport, self.body_lines, self.visible_cols, self.top_row)

    def _repaint(self, rects: list[tuple[int, int, int, int]]) -> None:
        if rects:
            self.refresh(*(Region(*r) for r in rects))

    def _scroll_cursor_into_view(self, geometry: GridGeometry | None = None) -> bool:
        """Scroll the least that shows the cursor; True when the view moved (a full repaint)."""
        if geometry is None:
            geometry = self.geometry()
        lay, rows = self.grid_layout, self.row_lines
        total, body, top = rows.lines(self.matrix.n_rows), geometry.body_lines, geometry.top_line
        cursor = self.state.cursor
        # All of the cursor's row, its first line first when the row is taller than the view.
        first = scroll_to_show(top, body, rows.last_line(cursor.row), total)
        first = scroll_to_show(first, body, rows.first_line(cursor.row), total)
        was = geometry.left_col
        left = scroll_to_show(was, geometry.visible_cols, cursor.col, self.matrix.n_cols)
        if first == top and left == was:
            return False
        self.scroll_to(left * lay.cell_width, first, animate=False, immediate=True)
        self.refresh()
        return True

    def _cell_at(self, x: int, y: int) -> tuple[int, int] | None:
        lay = self.grid_layout
        if y < lay.header_height or x < lay.gutter:
            return None
        row = self.row_lines.rows_at(self.top_line + y - lay.header_height)[0]
        col = self.left_col + (x - lay.gutter) // lay.cell_width
        return (row, col) if row < self.matrix.n_rows and col < self.matrix.n_cols else None

    def on_click(self, event: events.Click) -> None:
        cell = self._cell_at(event.x, event.y)
        if cell is not None and not self._dragged:
            self.post_message(self.Clicked(self, *cell))
        self._dragged = False

    # Dragging draws a box, as in every drawing tool: press on a cell, move, release.

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self._pressed = self._cell_at(event.x, event.y)
        self._dragged = False
        if self._pressed is not None:
            self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._pressed is None:  # pressed here and not yet released
            return
        cell = self._cell_at(event.x, event.y)
        if cell is not None and (cell != self._pressed or self._dragged):
            self._dragged = True
            self.post_message(self.Dragged(self, self._pressed, cell, done=False))

    def on_mouse_up(self, event: events.MouseUp) -> None:
        start, self._pressed = self._pressed, None
        self.release_mouse()
        if start is not None and self._dragged:
            end = self._cell_at(event.x, event.y) or start
            self.post_message(self.Dragged(self, start, end, done=True))
