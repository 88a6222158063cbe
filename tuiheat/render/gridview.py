"""Lines of the interactive grid: a fixed row-label gutter, fixed column-label lines and the
visible cells, with box frames and the cursor cut in.

Rich only; the Textual widget asks for one line at a time and caches what it gets.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from rich.segment import Segment
from rich.style import Style

from tuiheat.core.boxes import Box
from tuiheat.core.labels import sanitize
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.rowlines import RowLines
from tuiheat.render.axes import (
    KEY_STYLE,
    ROW_LABEL_MAX,
    ColumnHeader,
    RowGutter,
    column_header,
    gutter_width,
    row_title_text,
)
from tuiheat.render.cells import pad, truncate
from tuiheat.render.frames import frame_overlays
from tuiheat.render.marks import framed_marks, mark_overlays
from tuiheat.render.painter import Overlay, Painter
from tuiheat.render.sizes import MARGIN_WIDTH
from tuiheat.render.sparkline import spark_glyph

Line = list[Segment]
AXIS_STYLE = Style(bold=True)
MARGIN_TITLE_STYLE = Style(dim=True, italic=True)
HIGHLIGHT = Style(reverse=True, bold=True)
UNDER_GLYPH = "▾"  # a cell below the scale, drawn at its light end


@dataclass(frozen=True)
class DisplaySettings:
    """How this terminal draws cells: colour depth, ASCII only, colour levels (--lean)."""

    color_mode: str = "truecolor"
    ascii_only: bool = False
    bins: int | None = None


class GridLayout:
    """The parts of the grid that depend on the matrix and the cell width, not the viewport."""

    def __init__(
        self,
        matrix: HeatMatrix,
        painter: Painter,
        row_labels: bool = True,
        col_labels: bool = True,
        header_lines: int = 1,
        label_limit: int = ROW_LABEL_MAX,
    ) -> None:
        """Without ``row_labels`` / ``col_labels`` (a panel beside or under another that
        has them) the gutter / header take no room; ``header_lines``: the most lines the
        column labels may take, ``label_limit`` the widest a row label may be (the screen's
        plan decides both)."""
        self.matrix = matrix
        self.painter = painter
        self.cell_width = painter.cell_width
        row_ticks, col_ticks = matrix.tick_labels
        self.label_limit = label_limit
        self.rows = RowGutter(row_ticks, label_limit)
        self.row_title = row_title_text(matrix.row_title)
        self.col_title = sanitize(matrix.col_title)
        self.gutter = gutter_width(self.rows, matrix.row_title) if row_labels else 0
        self.header_lines = header_lines
        self.header: ColumnHeader = column_header(col_ticks, self.cell_width, header_lines)
        # One line for the axis title, then the label lines.
        self.header_height = 1 + self.header.line_count if col_labels else 0

    def row_label(self, row: int) -> str:
        """The row's label right-aligned in the gutter, with the space before the cells."""
        return self.rows.label(row, self.gutter - 1) + " " if self.gutter else ""

    def header_line(self, index: int, col0: int, n_cols: int, cursor_col: int | None) -> Line:
        """Header line ``index``: 0 is the axis title, then the column labels; the cursor's
        column is reversed on the last label line (a step repaints that line alone)."""
        cw = self.cell_width
        width = n_cols * cw
        if index == 0:
            return [
                Segment(" " * self.gutter),
                Segment(pad(self.col_title, width, "center"), AXIS_STYLE),
            ]
        left = (
            pad(self.row_title, self.gutter - 1, "right") + " "
            if index == self.header.line_count and self.gutter
            else ""
        )
        gutter = Segment(left or " " * self.gutter, AXIS_STYLE)
        visible = self.header.text(index - 1, col0, n_cols)
        keyed = sorted(c - col0 for c in self.header.keyed if col0 <= c < col0 + n_cols)
        if index != self.header.line_count:  # the cursor's column: its last label line only
            cursor_col = None
        if cursor_col is not None and col0 <= cursor_col < col0 + n_cols:
            styled = {c: KEY_STYLE for c in keyed} | {cursor_col - col0: HIGHLIGHT}
        elif keyed:
            styled = dict.fromkeys(keyed, KEY_STYLE)
        else:
            return [gutter, Segment(visible)]
        line = [gutter]
        at = 0
        for c in sorted(styled):
            a = c * cw
            if a > at:
                line.append(Segment(visible[at:a]))
            line.append(Segment(visible[a : a + cw], styled[c]))
            at = a + cw
        if at < len(visible):
            line.append(Segment(visible[at:]))
        return line

    def _note_overlays(self, notes: Sequence[str], n: int) -> dict[int, Overlay]:
        w = self.cell_width
        return {
            i: Overlay(pad(truncate(sanitize(note), w), w, "center"))
            for i, note in enumerate(notes[:n])
            if note
        }

    def _glyphs(
        self, under: Sequence[int], marks: Mapping[int, int] | None, bins: np.ndarray
    ) -> dict[int, Overlay | Segment | list[Segment]]:
        """The glyphs of cells below the scale, and of marked cells over them."""
        n = int(bins.shape[0])
        on_line = {c: code for c, code in (marks or {}).items() if 0 <= c < n}
        fills = self._fills(bins) if on_line else None
        drawn = mark_overlays(on_line, self.cell_width, self.painter.ascii_only, fills)
        return {**dict.fromkeys(under, self.under_mark), **drawn}

    @cached_property
    def under_mark(self) -> Overlay:
        glyph = "v" if self.painter.ascii_only else UNDER_GLYPH
        return Overlay(pad(glyph, self.cell_width, "center"))

    def row_line(
        self,
        row: int,
        bins: np.ndarray,
        col0: int,
        cursor_col: int | None = None,
        boxes: Sequence[Box] = (),
        draft: Box | None = None,
        notes: Sequence[str] | None = None,
        under: Sequence[int] = (),
        edges: tuple[bool, bool] = (True, True),
        labelled: bool = True,
        marks: Mapping[int, int] | None = None,
    ) -> Line:
        """Matrix row ``row`` with the visible cells ``bins`` (starting at column ``col0``).

        ``under``: the visible cells (from 0) below the scale, which take its light end (a
        glyph says they are not at it); ``marks`` ({visible cell: ``core.marks`` code}) put
        their glyphs over those; ``notes`` (numbers or text, centred in the colour that
        contrasts with each cell), box frames and the cursor win over both. A row taller
        than a line is drawn line by line: ``edges`` says whether this line is its first
        and/or last (box edges), ``labelled`` whether it is the one with the label."""
        n = int(bins.shape[0])
        glyphs = self._glyphs(under, marks, bins)
        noted = self._note_overlays(notes or (), n)
        overlays: dict[int, Overlay | Segment | list[Segment]] = {**glyphs, **noted}
        frames = frame_overlays(
            boxes,
            row,
            col0,
            col0 + n,
            self.cell_width,
            self._fills(bins),
            self.painter.ascii_only,
            draft,
            edges,
        )
        marked = [c for c in (marks or {}) if c not in noted]
        overlays.update(framed_marks(frames, glyphs, marked, self.cell_width))
        label_style = None
        if cursor_col is not None:
            label_style = HIGHLIGHT if labelled else None
            if col0 <= cursor_col < col0 + n:
                overlays[cursor_col - col0] = self.painter.cursor_segment(
                    int(bins[cursor_col - col0])
                )
        # One segment for the label and its space: every segment costs a style change.
        label = self.row_label(row) if labelled else " " * self.gutter
        return [Segment(label, label_style), *self.painter.row_segments(bins, overlays)]

    def half_line(
        self,
        row: int,
        top: np.ndarray,
        bottom: np.ndarray | None,
        cursor: tuple[int, bool] | None,
        labelled: bool = True,
        col0: int = 0,
        boxes: Sequence[Box] = (),
    ) -> Line:
        """Matrix rows ``row`` and ``row + 1`` in one line of half blocks (no box frames).

        The label is the upper row's, or the cursor's row when the cursor is on the lower;
        none without ``labelled`` (rows a line and a half tall: their labels are on the
        lines they hold alone, and the sides of the ``boxes`` that hold both rows run
        through this line too).
        """
        cells = self.painter.half_segments(top, bottom, cursor)
        if not labelled:
            cells = self._box_sides(cells, row, col0, bottom if bottom is not None else top, boxes)
            return [Segment(" " * self.gutter), *cells]
        label_style = HIGHLIGHT if cursor is not None else None
        label = self.row_label(row + 1 if cursor is not None and cursor[1] else row)
        return [Segment(label, label_style), *cells]

    def _box_sides(
        self, cells: list[Segment], row: int, col0: int, bins: np.ndarray, boxes: Sequence[Box]
    ) -> list[Segment]:
        """``cells`` with the sides of the boxes holding rows ``row`` and ``row + 1`` drawn
        over them (a ``│`` on the lower row's colour), so a frame has no gaps."""
        cw, n = self.cell_width, int(bins.shape[0])
        glyph = "|" if self.painter.ascii_only else "│"
        sides: dict[int, int] = {}
        for box in boxes:
            if box.r0 <= row and row + 1 <= box.r1:
                for col, x in ((box.c0, 0), (box.c1, cw - 1)):
                    if col0 <= col < col0 + n:
                        sides[(col - col0) * cw + x] = col - col0
        if not sides:
            return cells
        total = sum(seg.cell_length for seg in cells)
        cuts = sorted({c for x in sides for c in (x, x + 1)} | {total})
        pieces = list(Segment.divide(cells, cuts))
        out: list[Segment] = []
        at = 0
        for piece in pieces:
            width = sum(seg.cell_length for seg in piece)
            if width == 1 and at in sides:
                b = int(bins[sides[at]])
                out.append(self.painter._overlay_segment(b, Overlay(glyph)))
            else:
                out.extend(piece)
            at += width
        return out

    def row_margin(self, level: int, bin_index: int) -> Segment:
        """The row's sparkline glyph beside its cells, coloured like the summary's value."""
        return margin_segment(self.painter, level, bin_index)

    def margin_footer(
        self, kind: str, levels: np.ndarray, bins: np.ndarray, col0: int, n_cols: int
    ) -> Line:
        """The line under the grid: the summary's name, then one glyph per column.

        Wide cells get a bar one narrower than the cell, so neighbours stay apart.
        """
        title = pad(kind, self.gutter - 1, "right") + " " if self.gutter else ""
        cells = margin_cells(self.painter, levels, bins, range(col0, col0 + n_cols))
        return [Segment(title, MARGIN_TITLE_STYLE), *cells]

    def _fills(self, bins: np.ndarray) -> list[str] | None:
        if self.painter.colour_cells:
            return None
        table = self.painter.fills
        n = self.painter.n_bins
        return [table[n if b < 0 else b] for b in bins.tolist()]


def margin_segment(painter: Painter, level: int, bin_index: int) -> Segment:
    """A row's sparkline glyph beside its cells (``MARGIN_WIDTH`` wide: a space and the
    glyph), coloured like the summary's value; the viewer and print mode draw the same."""
    glyph = spark_glyph(level, painter.ascii_only)
    return Segment(" " + glyph * (MARGIN_WIDTH - 1), painter.glyph_style(bin_index))


def margin_cells(
    painter: Painter, levels: np.ndarray, bins: np.ndarray, cols: Iterable[int]
) -> list[Segment]:
    """One glyph per column of ``cols`` under the cells; wide cells get a bar one narrower
    than the cell, so neighbours stay apart (the viewer's and print mode's)."""
    cw = painter.cell_width
    bar, gap = (cw - 1, " ") if cw >= 3 else (cw, "")
    ascii_only, style = painter.ascii_only, painter.glyph_style
    return [
        Segment(spark_glyph(int(levels[c]), ascii_only) * bar + gap, style(int(bins[c])))
        for c in cols
    ]


# --- which parts of the grid a change repaints (x, y, width, height in widget cells) -------

Rect = tuple[int, int, int, int]


@dataclass(frozen=True)
class Viewport:
    """Where the cells are on screen: the first column and line shown, how rows sit on
    lines, the line under the last row on screen, the width."""

    lay: GridLayout
    left: int  # first column on screen
    top: int  # first line of rows on screen (the scroll offset)
    rows: RowLines
    footer_y: int  # the line under the last row on screen
    width: int

    def line_of(self, row: int) -> int:
        """The line of the row's label (its middle line)."""
        return self.lay.header_height + self.rows.label_line(row) - self.top

    def _lines_of(self, row: int) -> tuple[int, int] | None:
        """The first and last line of ``row`` on screen, or None when it is off screen."""
        top = self.lay.header_height - self.top
        y0 = max(top + self.rows.first_line(row), self.lay.header_height)
        y1 = min(top + self.rows.last_line(row), self.footer_y - 1)
        return (y0, y1) if y0 <= y1 else None

    def cell(self, row: int, col: int) -> Rect | None:
        lay = self.lay
        lines = self._lines_of(row)
        x = lay.gutter + (col - self.left) * lay.cell_width
        if lines is None or not (lay.gutter <= x < self.width):
            return None
        return (x, lines[0], lay.cell_width, lines[1] - lines[0] + 1)

    def cursor_step(self, old: tuple[int, int], new: tuple[int, int]) -> list[Rect]:
        """A cursor step: the two cells, their row labels, and (a column change) the two
        columns' labels; never more."""
        lay = self.lay
        rects: list[Rect] = []
        for row, col in (old, new):
            cell = self.cell(row, col)
            if cell is not None:
                rects.append(cell)
            y = self.line_of(row)
            if lay.gutter and old[0] != new[0] and lay.header_height <= y < self.footer_y:
                rects.append((0, y, lay.gutter, 1))  # the row labels change with the row
        if old[1] != new[1]:
            for _, col in (old, new):
                x = lay.gutter + (col - self.left) * lay.cell_width
                if lay.gutter <= x < self.width and lay.header_height > 1:
                    rects.append((x, lay.header_height - 1, lay.cell_width, 1))
        return rects

    def box_edges(self, box: Box) -> list[Rect]:
        """The four edges of a box: a box being drawn changes only its frame."""
        lay = self.lay
        x0 = max(lay.gutter + (box.c0 - self.left) * lay.cell_width, lay.gutter)
        x1 = min(lay.gutter + (box.c1 - self.left + 1) * lay.cell_width, self.width)
        top = lay.header_height - self.top
        y0 = max(top + self.rows.first_line(box.r0), lay.header_height)
        y1 = min(top + self.rows.last_line(box.r1), self.footer_y - 1)
        if x0 >= x1 or y0 > y1:
            return []
        w = lay.cell_width
        return [
            (x0, y0, x1 - x0, 1),
            (x0, y1, x1 - x0, 1),
            (x0, y0, w, y1 - y0 + 1),
            (max(x0, x1 - w), y0, w, y1 - y0 + 1),
        ]
