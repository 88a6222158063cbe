"""Print mode: the whole heatmap as static lines for a log, a pipe or a quick look.

Layout, after the seed figure: the title; the column axis title over the column
labels; one line per matrix row with its label, its coloured cells and the
vertical colour bar beside the first rows; then the legend of keyed labels.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TextIO

import numpy as np
from rich.cells import cell_len
from rich.color import ColorSystem
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style

from tuiheat.core.colormap import get_palette
from tuiheat.core.labels import sanitize
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.scale import (
    AUC_RULE,
    NAN_BIN,
    ValueRange,
    iter_row_chunks,
    range_text,
    to_bins,
    under_text,
)
from tuiheat.core.summary import axis_summaries, spark_levels, summary_range
from tuiheat.render.axes import (
    ASCII_KEYS,
    column_header,
    legend_lines,
    row_gutter,
    row_title_text,
)
from tuiheat.render.cells import pad, truncate
from tuiheat.render.colorbar import horizontal_colorbar, vertical_colorbar
from tuiheat.render.frames import frame_overlays
from tuiheat.render.gridview import UNDER_GLYPH, margin_cells, margin_segment
from tuiheat.render.marks import ORDER, framed_marks, legend, mark_overlays
from tuiheat.render.matrixfit import Wishes
from tuiheat.render.painter import Overlay, Painter
from tuiheat.render.plan import plan, print_needs
from tuiheat.render.readout import box_label

Line = list[Segment]
BAR_GAP = 3
TITLE_STYLE = Style(bold=True)
AXIS_STYLE = Style(bold=True)
DIM = Style(dim=True)


@dataclass(frozen=True)
class MarginGlyphs:
    row_levels: np.ndarray
    row_bins: np.ndarray
    col_levels: np.ndarray
    col_bins: np.ndarray


@dataclass
class PrintOptions:
    color: str = "truecolor"
    width: int = 100
    colormap: str = "blues"
    cell_width: int | None = None
    ascii_only: bool = False
    margins: bool = True  # sparkline glyph beside each row and under each column
    bins: int = 256  # colour levels (--lean: 16)
    summary: str = "mean"


class HeatmapPrint:
    """A Rich renderable of the whole matrix; lines are produced row block by row block."""

    def __init__(
        self,
        matrix: HeatMatrix,
        vrange: ValueRange,
        options: PrintOptions,
        title: str = "",
        note: str = "",
        marks: np.ndarray | None = None,
        column_marks: Mapping[int, np.ndarray] | None = None,
        mark_texts: Mapping[int, str] | None = None,
        mark_note: str = "",
    ) -> None:
        """``note``: a line under the title (what a cell stands for, when reduced).

        ``marks``: a ``core.marks`` code per cell of ``matrix`` (statistics' verdicts);
        ``column_marks``: a code's row per column (−1: none), such as each column's peak;
        both drawn as glyphs in their cells, and the line under the grid says what the
        glyphs drawn mean, in the words of ``mark_texts`` ({code: text}); without marks
        drawn it says ``mark_note`` (why there are none) instead."""
        self.matrix = matrix
        self.note = note
        self.marks = marks
        self.mark_texts = dict(mark_texts or {})
        self.mark_note = mark_note
        self.by_row = marks_by_row(column_marks or {})
        self.drawn: set[int] = set()  # the codes drawn so far
        self.vrange = vrange
        self.options = options
        self.title = title or matrix.title
        gutter_width, self.row_labels = row_gutter(matrix.row_labels)
        self.row_title = row_title_text(matrix.row_title)
        self.gutter = max(gutter_width, cell_len(self.row_title))
        self.row_labels = [pad(label, self.gutter, "right") for label in self.row_labels]
        bar_width = BAR_GAP + 2 + 3 + 8
        wishes = Wishes(margins=options.margins, cell_width=options.cell_width)
        needs = print_needs(matrix, self.gutter + 1, bar_width)
        self.plan = plan("print", needs, (options.width, 0), wishes)
        cell_width = self.plan.cell_width
        self.painter = Painter(
            get_palette(options.colormap, options.bins),
            options.color,
            cell_width,
            options.ascii_only,
        )
        self.cell_width = cell_width
        # Printed output scrolls: labels may take lines (wrapped, or upright) before keys.
        self.header = column_header(matrix.col_labels, cell_width, self.plan.header_lines)
        self.keys = str.maketrans(ASCII_KEYS) if options.ascii_only else None
        self.vertical_bar = self.plan.colorbar_lines > 0

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.lines():
            yield from line
            yield Segment.line()

    def lines(self) -> Iterator[Line]:
        yield from self._title_lines()
        grid_width = self.cell_width * self.matrix.n_cols
        nan_count = 0
        bar: list[Line] = []
        if self.vertical_bar:
            bar = vertical_colorbar(self.painter, self.vrange, self.plan.colorbar_lines)
        margins = self._margins()
        row = 0
        for block in iter_row_chunks(self.matrix, cells=1 << 20):
            bins = to_bins(block, self.vrange, self.painter.n_bins)
            nan_count += int(np.count_nonzero(bins == NAN_BIN))
            with np.errstate(invalid="ignore"):
                under = block < self.vrange.vmin if self.vrange.under else None
            for r in range(bins.shape[0]):
                below = np.flatnonzero(under[r]).tolist() if under is not None else []
                line = self._grid_line(row, bins[r], below)
                if margins is not None:
                    line.append(self._row_margin(margins, row))
                if row < len(bar):
                    line.append(Segment(" " * BAR_GAP))
                    line.extend(bar[row])
                yield line
                row += 1
        margin_width = self.plan.margin_width if margins is not None else 0
        if margins is not None:
            yield self._margin_footer(margins)
        if nan_count and self.vertical_bar:
            nan_bar = vertical_colorbar(self.painter, self.vrange, 2, show_nan=True)[-1]
            pad_line = [Segment(" " * (self.gutter + 1 + grid_width + margin_width + BAR_GAP))]
            yield pad_line + nan_bar
        said = legend(self.mark_texts, self.drawn, self.options.ascii_only) or self.mark_note
        if said:
            yield [Segment(" " * (self.gutter + 1)), Segment(said, DIM)]
        if not self.vertical_bar:
            yield []
            offset = [Segment(" " * (self.gutter + 1))]
            for bar_line in horizontal_colorbar(
                self.painter, self.vrange, min(48, max(24, grid_width)), show_nan=nan_count > 0
            ):
                yield offset + bar_line
        yield from self._legend_lines()
        yield from self._footer(nan_count)

    def _title_lines(self) -> Iterator[Line]:
        if self.title:
            yield [
                Segment(truncate(sanitize(self.title), max(20, self.options.width)), TITLE_STYLE)
            ]
        if self.note:
            yield [Segment(truncate(self.note, max(20, self.options.width)), DIM)]
        grid_width = self.cell_width * self.matrix.n_cols
        col_title = sanitize(self.matrix.col_title)
        yield [
            Segment(" " * (self.gutter + 1)),
            Segment(pad(col_title, max(grid_width, cell_len(col_title)), "center"), AXIS_STYLE),
        ]
        n = self.header.line_count
        for i in range(n):
            left = self.row_title if i == n - 1 else ""
            text = self.header.text(i, 0, self.matrix.n_cols)
            text = text.translate(self.keys) if self.keys else text
            yield [Segment(pad(left, self.gutter, "right"), AXIS_STYLE), Segment(" " + text)]

    def _margins(self) -> MarginGlyphs | None:
        if not self.options.margins:
            return None
        summaries = axis_summaries(self.matrix, self.options.summary)
        srange = summary_range(self.options.summary, self.vrange)
        n = self.painter.n_bins
        return MarginGlyphs(
            spark_levels(summaries.rows, srange),
            to_bins(summaries.rows, srange, n),
            spark_levels(summaries.cols, srange),
            to_bins(summaries.cols, srange, n),
        )

    def _row_margin(self, m: MarginGlyphs, row: int) -> Segment:
        return margin_segment(self.painter, int(m.row_levels[row]), int(m.row_bins[row]))

    def _margin_footer(self, m: MarginGlyphs) -> Line:
        title = Segment(pad(self.options.summary, self.gutter, "right") + " ", DIM)
        cols = range(self.matrix.n_cols)
        return [title, *margin_cells(self.painter, m.col_levels, m.col_bins, cols)]

    def _grid_line(self, row: int, bins: np.ndarray, under: list[int]) -> Line:
        fills = None
        if not self.painter.colour_cells:
            table = self.painter.fills
            fills = [table[self.painter.n_bins if b == NAN_BIN else b] for b in bins.tolist()]
        overlays = frame_overlays(
            self.matrix.boxes,
            row,
            0,
            self.matrix.n_cols,
            self.cell_width,
            fills,
            self.options.ascii_only,
        )
        mark = Overlay(
            pad("v" if self.options.ascii_only else UNDER_GLYPH, self.cell_width, "center")
        )
        # Frames win; a mark wins over the sign of a cell below the scale.
        marked = self._mark_overlays(row, fills)
        overlays = framed_marks(overlays, marked, marked, self.cell_width)
        for col, overlay in {**dict.fromkeys(under, mark), **marked}.items():
            overlays.setdefault(col, overlay)
        return [Segment(self.row_labels[row] + " "), *self.painter.row_segments(bins, overlays)]

    def _mark_overlays(self, row: int, fills: list[str] | None) -> dict[int, Overlay]:
        """The glyphs of the row's marks: the cells' own, then the column marks (which win)."""
        found: dict[int, int] = {}
        if self.marks is not None:
            codes = np.asarray(self.marks[row])
            found = {int(c): int(codes[c]) for c in np.flatnonzero(codes)}
        found.update(self.by_row.get(row, {}))
        self.drawn.update(found.values())
        return mark_overlays(found, self.cell_width, self.options.ascii_only, fills)

    def _legend_lines(self) -> Iterator[Line]:
        if not self.header.legend:
            return
        prefix = sanitize(self.matrix.col_title) + ": "
        for text in legend_lines(self.header.legend, max(40, self.options.width - 2), prefix):
            yield [Segment(text.translate(self.keys) if self.keys else text)]

    def _footer(self, nan_count: int) -> Iterator[Line]:
        vr = self.vrange
        parts = [
            f"{self.matrix.n_rows}×{self.matrix.n_cols}",
            f"colour {range_text(vr)} ({self.options.colormap})",
        ]
        if vr.auc:
            parts.append(AUC_RULE)
        if nan_count:
            parts.append(f"{nan_count} NaN cell{'s' if nan_count != 1 else ''}")
        if vr.under:
            parts.append(under_text(vr, "v" if self.options.ascii_only else UNDER_GLYPH))
        for i, box in enumerate(self.matrix.boxes):
            name = sanitize(box.name) if box.name else str(i + 1)
            parts.append(f"box {name}: {box_label(self.matrix, box)}")
        for line in wrap_parts(parts, self.options.width):
            yield [Segment(line, DIM)]


def marks_by_row(columns: Mapping[int, np.ndarray]) -> dict[int, dict[int, int]]:
    """{row: {column: code}} of column marks ({code: its row per column, −1 for none}); where
    two fall on one cell, the first of ``ORDER`` wins (a peak over an emergence row)."""
    by_row: dict[int, dict[int, int]] = {}
    for code in sorted(columns, key=lambda c: -ORDER.index(c) if c in ORDER else 1):
        rows = columns[code]
        for col in np.flatnonzero(rows >= 0).tolist():
            by_row.setdefault(int(rows[col]), {})[col] = code
    return by_row


def wrap_parts(parts: list[str], width: int, joint: str = " · ") -> list[str]:
    """``parts`` joined by ``joint`` on lines of at most ``width`` cells, a part never split
    (one longer than ``width`` has a line of its own)."""
    lines: list[str] = []
    for part in parts:
        joined = f"{lines[-1]}{joint}{part}" if lines else part
        if lines and cell_len(joined) <= width:
            lines[-1] = joined
        else:
            lines.append(part)
    return lines


COLOR_SYSTEMS = {
    "truecolor": ColorSystem.TRUECOLOR,
    "256": ColorSystem.EIGHT_BIT,
    "16": ColorSystem.STANDARD,
    "none": None,
}


def write_lines(lines: Iterable[Line], out: TextIO, mode: str) -> None:
    """Each line written as it is made, so memory stays that of one line and a reader that
    leaves (``| head``) stops the work; styles as ANSI codes for colour ``mode``."""
    system = COLOR_SYSTEMS[mode]
    for line in lines:
        if system is None:
            out.write("".join(segment.text for segment in line) + "\n")
            continue
        parts = [
            seg.style.render(seg.text, color_system=system) if seg.style else seg.text
            for seg in line
        ]
        out.write("".join(parts) + "\n")
    out.flush()
