"""The lines of a grid: strips built from colour bins of the window on screen, cached.

One numpy pass bins the visible window; each terminal line is built by the Rich-only
``GridLayout`` from runs of equal colour and cached as a ``Strip`` keyed on what it
shows (its row, the cursor's column on its row only, the box being drawn across it,
the margins, a generation bumped on every recolour), so a cursor step rebuilds two
lines and never keys on the whole view state.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.geometry import Size
from textual.strip import Strip

from tuiheat.core.boxes import Box
from tuiheat.core.colourscale import ResolvedScale
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.panes import Pane
from tuiheat.core.readout import short_value
from tuiheat.core.rowlines import RowLines
from tuiheat.core.scale import to_bins, to_bins_by
from tuiheat.core.summary import MarginData
from tuiheat.core.viewstate import ViewState
from tuiheat.render.gridview import HIGHLIGHT as HIGHLIGHT_LABEL
from tuiheat.render.gridview import GridLayout
from tuiheat.widgets.gridgeometry import GridGeometry
from tuiheat.widgets.strips import strip_on


class LinesHost(Protocol):
    """What the lines read from the grid they draw (the ``HeatGrid``)."""

    state: ViewState
    pane: Pane
    scale: ResolvedScale
    matrix: HeatMatrix
    grid_layout: GridLayout
    _view_boxes: tuple[Box, ...]

    @property
    def view_width(self) -> int: ...
    @property
    def left_col(self) -> int: ...
    @property
    def visible_cols(self) -> int: ...
    @property
    def row_lines(self) -> RowLines: ...
    @property
    def top_line(self) -> int: ...
    @property
    def top_row(self) -> int: ...
    @property
    def footer_y(self) -> int: ...
    @property
    def body_lines(self) -> int: ...
    @property
    def size(self) -> Size: ...
    @property
    def rich_style(self) -> Style: ...

    def margin_data(self) -> MarginData: ...
    def geometry(self) -> GridGeometry: ...


class GridLines:
    def __init__(self, grid: LinesHost) -> None:
        self.grid = grid
        self.cache: LRUCache[tuple[object, ...], Strip] = LRUCache(1024)
        self._generation = 0
        self._block_key: tuple[int, ...] | None = None
        self._block = np.zeros((0, 0), dtype=np.int16)
        self._values = np.zeros((0, 0))

    def invalidate(self) -> None:
        """Everything anew: another window of values or other colours."""
        self._generation += 1
        self.cache.clear()
        self._block_key = None

    def _visible_block(self, top: int, left: int, n_rows: int, n_cols: int) -> np.ndarray:
        """Colour bins of the cells on screen, computed in one numpy pass per viewport."""
        g = self.grid
        key = (top, left, n_rows, n_cols, self._generation)
        if key != self._block_key:
            values = g.matrix.window(top, top + n_rows, left, left + n_cols)
            n_bins = g.grid_layout.painter.n_bins
            if g.scale.by_axis is None:
                self._block = to_bins(values, g.scale.vrange, n_bins)
            else:
                axis, lows, highs = g.scale.by_axis
                part = slice(top, top + n_rows) if axis == 0 else slice(left, left + n_cols)
                self._block = to_bins_by(values, lows[part], highs[part], n_bins, axis)
            self._values = values
            self._block_key = key
        return self._block

    def line(self, y: int) -> Strip:
        g = self.grid
        geometry = g.geometry()  # one look-up of the place on screen for the whole line
        lay = g.grid_layout
        width = geometry.view_width
        left = geometry.left_col
        n_cols = min(geometry.visible_cols, g.matrix.n_cols - left)
        cursor = g.state.cursor
        if y < lay.header_height:
            key: tuple[object, ...] = ("h", y, left, n_cols, width, cursor.col, self._generation)
            strip = self.cache.get(key)
            if strip is None:
                segments = lay.header_line(y, left, n_cols, cursor.col)
                strip = self.cache[key] = strip_on(segments, width, g.rich_style)
            return strip
        footer_y = geometry.footer_y
        if g.state.margins and y == footer_y:
            return self._footer_line(left, n_cols, width)
        rows = g.row_lines
        line = geometry.top_line + y - lay.header_height
        row, lower = rows.rows_at(line)
        if row >= g.matrix.n_rows or n_cols <= 0 or y > footer_y:
            return Strip.blank(width, g.rich_style)
        top = geometry.top_row
        if row != lower:  # half blocks: two rows a line, or where tall rows meet
            return self._half_line(row, top, left, n_cols, width, labelled=rows.p == 1)
        full = rows.full_lines(row)
        part = (line == full[0], line == full[-1], line == rows.label_line(row))
        return self._cell_line(row, top, left, n_cols, width, part)

    def _rows_shown(self, top: int) -> int:
        """Rows from ``top`` that the lines of the widget can show (Textual may ask for
        lines under a horizontal scrollbar too: cover the whole widget)."""
        g = self.grid
        geometry = g.geometry()
        lines = max(geometry.body_lines, g.size.height)
        return min(len(g.row_lines.rows_in(geometry.top_line, lines)), g.matrix.n_rows - top)

    def _cell_line(
        self,
        row: int,
        top: int,
        left: int,
        n_cols: int,
        width: int,
        part: tuple[bool, bool, bool] = (True, True, True),
    ) -> Strip:
        """A line that holds one row: ``part`` says whether it is the row's first and last
        line (box edges) and its labelled one (label, numbers, marks)."""
        g = self.grid
        cursor = g.state.cursor
        on_row = cursor.col if row == cursor.row else None
        draft = g.state.draft
        on_draft = draft if draft is not None and draft.r0 <= row <= draft.r1 else None
        margin = g.state.summary if g.state.margins else None
        annotate = g.state.annotate and part[2]
        key = ("r", row, part, left, n_cols, width, on_row, on_draft, margin, annotate)
        strip = self.cache.get((*key, self._generation))
        if strip is None:
            bins = self._visible_block(top, left, self._rows_shown(top), n_cols)[row - top]
            notes = self._cell_notes(row, top, left, n_cols) if annotate else None
            under = self._under(row - top) if part[2] else []
            marks = self._marks(row, left, n_cols) if part[2] else None
            segments = g.grid_layout.row_line(
                row,
                bins,
                left,
                on_row,
                g._view_boxes,
                on_draft,
                notes,
                under,
                part[:2],
                part[2],
                marks,
            )
            strip = strip_on(self._margin(segments, row), width, g.rich_style)
            self.cache[(*key, self._generation)] = strip
        return strip

    def _half_line(
        self, row: int, top: int, left: int, n_cols: int, width: int, labelled: bool = True
    ) -> Strip:
        g = self.grid
        cursor = g.state.cursor
        on = None
        if cursor.row in (row, row + 1) and left <= cursor.col < left + n_cols:
            on = (cursor.col - left, cursor.row == row + 1)
        elif cursor.row in (row, row + 1) and labelled:
            on = (-1, False)  # the label is highlighted; the cursor cell is off screen
        margin = g.state.summary if g.state.margins else None
        key = ("2", row, labelled, left, n_cols, width, on, margin, self._generation)
        strip = self.cache.get(key)
        if strip is None:
            block = self._visible_block(top, left, self._rows_shown(top), n_cols)
            upper = block[row - top]
            lower = block[row - top + 1] if row + 1 < top + block.shape[0] else None
            cell = on if on is None or on[0] >= 0 else None
            boxes = g._view_boxes if not labelled else ()
            segments = g.grid_layout.half_line(row, upper, lower, cell, labelled, left, boxes)
            if on is not None and cell is None:
                segments[0] = Segment(segments[0].text, HIGHLIGHT_LABEL)
            strip = self.cache[key] = strip_on(self._margin(segments, row), width, g.rich_style)
        return strip

    def _margin(self, segments: list[Segment], row: int) -> list[Segment]:
        """The row's line with its sparkline glyph beside the cells, when margins are on."""
        g = self.grid
        if g.state.margins:
            data = g.margin_data()
            level, bin_index = int(data.row_levels[row]), int(data.row_bins[row])
            segments.append(g.grid_layout.row_margin(level, bin_index))
        return segments

    def _under(self, index: int) -> list[int]:
        """Visible cells of the ``index``-th row on screen that lie below the scale, when the
        AUC rule kept 0.5-1.0 over them (drawn at the light end, and marked)."""
        g = self.grid
        if (
            not g.scale.vrange.under
            or g.scale.by_axis is not None
            or index >= self._values.shape[0]
        ):
            return []
        with np.errstate(invalid="ignore"):
            return np.flatnonzero(self._values[index] < g.scale.vrange.vmin).tolist()

    def _marks(self, row: int, left: int, n_cols: int) -> dict[int, int]:
        """The marks of the visible cells of ``row``: the tensor's, and the peak and
        emergence rows asked for (``P``, ``E``) once they are found."""
        g = self.grid
        state = g.state
        return g.pane.line_marks(state.zoom, row, left, left + n_cols, state.peaks, state.emerge)

    def _cell_notes(self, row: int, top: int, left: int, n_cols: int) -> list[str]:
        """What to print in each visible cell of ``row``: its text, or its number if it fits."""
        g = self.grid
        width = max(1, g.grid_layout.cell_width - 1)  # a space between neighbours
        text = g.pane.cell_text(g.state.zoom)
        if text is not None:
            return [str(t) for t in text[row, left : left + n_cols].tolist()]
        values = self._values[row - top] if row - top < self._values.shape[0] else []
        return [short_value(float(v), width) for v in values]

    def _footer_line(self, left: int, n_cols: int, width: int) -> Strip:
        g = self.grid
        key = ("f", left, n_cols, width, g.state.summary, self._generation)
        strip = self.cache.get(key)
        if strip is None:
            data = g.margin_data()
            segments = g.grid_layout.margin_footer(
                g.state.summary, data.col_levels, data.col_bins, left, max(0, n_cols)
            )
            strip = self.cache[key] = strip_on(segments, width, g.rich_style)
        return strip
