"""Exports for sharing: the heatmap as a standalone SVG (or HTML), a region as CSV.

Pure text generation (no Textual): the SVG draws one rectangle per cell (runs of equal
colour merged), the colour bar with its ticks, the labels and the boxes; every string
from the data is XML-escaped. A CSV cell that a spreadsheet would run as a formula
(text starting with ``=``, ``+``, ``-``, ``@``, tab or CR) is prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from xml.sax.saxutils import escape

import numpy as np

from tuiheat.core.boxes import Box
from tuiheat.core.colormap import Palette, get_palette
from tuiheat.core.filerows import value_dtype
from tuiheat.core.labels import sanitize
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.readout import format_value
from tuiheat.core.scale import (
    NAN_BIN,
    ValueRange,
    iter_row_chunks,
    normalize,
    range_text,
    to_bins,
)
from tuiheat.core.ticks import scale_ticks, tick_text
from tuiheat.core.zoom import Zoom, block_labels, reduce_matrix

MAX_SVG_CELLS = 512  # per axis; bigger matrices are reduced (mean) and the SVG says so
MAX_HOVER_CELLS = 256  # per axis in HTML, where every cell carries its value on hover
CELL_W, CELL_H = 28, 14
NAN_FILL = "#6e6e6e"
CSV_BLOCK_CELLS = 1 << 18
INF = float("inf")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _xml(text: str) -> str:
    return escape(sanitize(text), {'"': "&quot;"})


@dataclass(frozen=True)
class _SvgLayout:
    """Where the cells go: cell size in pixels, the top-left of the grid, the canvas."""

    cw: int
    ch: int
    left: int
    top: int
    width: int
    height: int


def _svg_layout(
    matrix: HeatMatrix,
    rows: int,
    cols: int,
    row_labels: list[str],
    col_labels: list[str],
    heading: str,
) -> _SvgLayout:
    cw = CELL_W if cols <= 40 else max(4, 1200 // cols)
    ch = CELL_H if rows <= 60 else max(3, 900 // rows)
    widest = max((len(label) for label in (*row_labels, matrix.row_title)), default=1)
    left = 12 + 7 * min(24, widest)
    tallest = max((len(label) for label in col_labels), default=1)
    top = 60 + (7 * min(24, tallest) if cols <= 80 else 20)
    width = max(left + cols * cw + 120, left + 9 * len(heading) + 20)
    return _SvgLayout(cw, ch, left, top, width, top + rows * ch + 40)


@dataclass(frozen=True, eq=False)
class Picture:
    """What a whole-heatmap picture (SVG, HTML, PNG) draws: the values, reduced by mean past
    ``most`` cells a side, their labels, the heading and its note, and where they go."""

    zoom: Zoom
    values: np.ndarray
    row_labels: tuple[str, ...]
    col_labels: tuple[str, ...]
    heading: str
    note: str
    box: _SvgLayout


def picture(matrix: HeatMatrix, title: str = "", most: int = MAX_SVG_CELLS) -> Picture:
    zoom = Zoom(max(1, -(-matrix.n_rows // most)), max(1, -(-matrix.n_cols // most)), "mean")
    values = matrix.as_float() if zoom.is_identity else reduce_matrix(matrix, zoom)
    assert values is not None
    rows, cols = values.shape
    row_labels = block_labels(matrix.row_labels, zoom.row_factor)
    col_labels = block_labels(matrix.col_labels, zoom.col_factor)
    heading = title or matrix.title
    box = _svg_layout(matrix, rows, cols, list(row_labels), list(col_labels), heading)
    note = f"{rows}×{cols} cells" + ("" if zoom.is_identity else f" · {zoom.describe()}")
    return Picture(zoom, values, row_labels, col_labels, heading, note, box)


def svg_heatmap(
    matrix: HeatMatrix,
    vrange: ValueRange,
    colormap: str = "blues",
    title: str = "",
    hover: bool = False,
) -> str:
    """A standalone SVG of the whole matrix with axis labels, colour bar and boxes;
    ``hover``: every cell its own rectangle titled with its labels and value."""
    shown = picture(matrix, title, MAX_HOVER_CELLS if hover else MAX_SVG_CELLS)
    zoom, values, box, heading, note = (
        shown.zoom,
        shown.values,
        shown.box,
        shown.heading,
        shown.note,
    )
    row_labels, col_labels = list(shown.row_labels), list(shown.col_labels)
    rows, cols = values.shape
    palette = get_palette(colormap)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{box.width}" height="{box.height}" '
        f'viewBox="0 0 {box.width} {box.height}" font-family="DejaVu Sans Mono, monospace" font-size="11">',
        f'<rect width="{box.width}" height="{box.height}" fill="white"/>',
        f'<text x="{box.left}" y="20" font-size="14" font-weight="bold">{_xml(heading)}</text>',
        f'<text x="{box.left}" y="36" fill="#555">{_xml(note)}</text>',
        f'<text x="{box.left + cols * box.cw / 2}" y="50" text-anchor="middle" font-weight="bold">{_xml(matrix.col_title)}</text>',
        f'<text x="{box.left - 4}" y="{box.top - 6}" text-anchor="end" font-weight="bold">'
        f"{_xml(matrix.row_title)}</text>",
    ]
    bins = to_bins(values, vrange, palette.size)
    out.extend(_svg_cells(bins, palette, row_labels, box))
    if hover:
        out.extend(_hover_cells(values, matrix, row_labels, col_labels, box, zoom))
    if cols <= 80:
        for c in range(cols):
            x = box.left + c * box.cw + box.cw / 2
            out.append(
                f'<text transform="translate({x + 4},{box.top - 4}) rotate(-90)">{_xml(col_labels[c])}</text>'
            )
    out.extend(_svg_boxes(matrix.boxes, zoom, box))
    out.extend(
        _svg_colorbar(
            palette, vrange, box.left + cols * box.cw + 30, box.top, min(rows * box.ch, 300)
        )
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _svg_cells(
    bins: np.ndarray, palette: Palette, row_labels: list[str], box: _SvgLayout
) -> Iterator[str]:
    """A rectangle per run of equal colour in each row, and the row labels (thinned)."""
    rows, cols = bins.shape
    for r in range(rows):
        y = box.top + r * box.ch
        edges = [0, *(np.flatnonzero(np.diff(bins[r])) + 1).tolist(), cols]
        for a, b in pairwise(edges):
            k = int(bins[r, a])
            fill = NAN_FILL if k == NAN_BIN else palette.hex(k)
            yield (
                f'<rect x="{box.left + a * box.cw}" y="{y}" width="{(b - a) * box.cw}" '
                f'height="{box.ch}" fill="{fill}"/>'
            )
        if rows <= 120 or r % max(1, rows // 60) == 0:
            yield f'<text x="{box.left - 4}" y="{y + box.ch - 3}" text-anchor="end">{_xml(row_labels[r])}</text>'


def _hover_cells(
    values: np.ndarray,
    matrix: HeatMatrix,
    row_labels: list[str],
    col_labels: list[str],
    box: _SvgLayout,
    zoom: Zoom,
) -> Iterator[str]:
    """Transparent rectangles over the cells, each titled ``Layer 13 │ Token a │ 0.843``:
    the browser shows the title on hover, without a script."""
    rows, cols = values.shape
    of = "" if zoom.is_identity else f" ({zoom.reducer} of {zoom.row_factor}×{zoom.col_factor})"
    rt, ct = _xml(matrix.row_title), _xml(matrix.col_title)
    cols_text = [_xml(label) for label in col_labels]
    yield '<g fill-opacity="0">'
    for r in range(rows):
        y, rl = box.top + r * box.ch, _xml(row_labels[r])
        for c in range(cols):
            value = values[r, c]
            shown = format_value(float(value)) if np.isfinite(value) else "NaN"
            yield (
                f'<rect x="{box.left + c * box.cw}" y="{y}" width="{box.cw}" height="{box.ch}">'
                f"<title>{rt} {rl} │ {ct} {cols_text[c]} │ {shown}{of}</title></rect>"
            )
    yield "</g>"


def _svg_boxes(boxes: Iterable[Box], zoom: Zoom, box: _SvgLayout) -> Iterator[str]:
    for i, region in enumerate(boxes):
        vb = zoom.to_view_box(region)
        yield (
            f'<rect x="{box.left + vb.c0 * box.cw}" y="{box.top + vb.r0 * box.ch}" '
            f'width="{vb.n_cols * box.cw}" height="{vb.n_rows * box.ch}" fill="none" '
            f'stroke="black" stroke-width="2"><title>{_xml(region.name or f"box {i + 1}")}</title></rect>'
        )


def _svg_colorbar(
    palette: Palette, vrange: ValueRange, x: float, y: float, height: float
) -> list[str]:
    steps = 64
    out = []
    for i in range(steps):
        k = round((steps - 1 - i) / (steps - 1) * (palette.size - 1))
        out.append(
            f'<rect x="{x}" y="{y + i * height / steps:.2f}" width="16" height="{height / steps + 0.5:.2f}" '
            f'fill="{palette.hex(k)}"/>'
        )
    ticks = scale_ticks(vrange, 6)
    for t, pos in zip(ticks, normalize(np.array(ticks), vrange).tolist()):
        ty = y + (1 - pos) * height
        out.append(
            f'<line x1="{x + 16}" y1="{ty:.2f}" x2="{x + 20}" y2="{ty:.2f}" stroke="black"/>'
        )
        out.append(f'<text x="{x + 23}" y="{ty + 4:.2f}">{_xml(tick_text(t, ticks))}</text>')
    out.append(
        f'<text x="{x}" y="{y + height + 16:.2f}" fill="#555">{_xml(range_text(vrange))}</text>'
    )
    return out


def html_heatmap(
    matrix: HeatMatrix, vrange: ValueRange, colormap: str = "blues", title: str = ""
) -> str:
    """The SVG in a minimal HTML page (no scripts, no external resources); a cell's labels
    and value show on hover."""
    name = _xml(title or matrix.title or "tuiheat")
    svg = svg_heatmap(matrix, vrange, colormap, title, hover=True)
    return f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{name}</title></head>\n<body>\n{svg}</body></html>\n'


def neutralise(text: str) -> str:
    """A text cell a spreadsheet would treat as a formula gets a leading apostrophe.

    A plain number (a label such as ``-8``) is left alone: a spreadsheet reads it as
    that number, and tuiheat reads the CSV back with the same labels.
    """
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_region(matrix: HeatMatrix, box: Box | None = None) -> str:
    """The cells of ``box`` (or all) as CSV: a header of column labels, a label per row.

    Numbers are written in full precision; labels are text and are neutralised.
    """
    return "".join(csv_lines(matrix, box))


def csv_lines(matrix: HeatMatrix, box: Box | None = None) -> Iterator[str]:
    """``csv_region`` a block of rows at a time, so a big export never sits in memory."""
    r0, r1, c0, c1 = (
        (0, matrix.n_rows - 1, 0, matrix.n_cols - 1)
        if box is None
        else (box.r0, box.r1, box.c0, box.c1)
    )
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(
        [neutralise(matrix.row_title), *(neutralise(x) for x in matrix.col_labels[c0 : c1 + 1])]
    )
    row = r0
    for block in iter_row_chunks(matrix, CSV_BLOCK_CELLS, (r0, r1 + 1), (c0, c1 + 1)):
        for values in _cells(block, value_dtype(matrix.values.dtype)):
            writer.writerow([neutralise(matrix.row_labels[row]), *values])
            row += 1
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()


def _cells(block: np.ndarray, dtype: np.dtype) -> list[list[str]]:
    """Each value as the shortest text that reads back to it in the file's own dtype.

    float32 ``0.8506242`` rather than its float64 widening ``0.8506242036819458``;
    integers without ``.0``; NaN as an empty cell (read back as NaN); ``inf``/``-inf``.
    """
    if dtype.kind == "f" and dtype.itemsize <= 4:
        rows = [[str(v) for v in row] for row in block.astype(dtype)]
    elif dtype.kind in "biu":
        rows = [
            [str(int(v)) if v == v and abs(v) != INF else "" for v in row] for row in block.tolist()
        ]
    else:
        rows = [[repr(v) for v in row] for row in block.tolist()]
    finite = np.isfinite(block)
    if not finite.all():
        for r, c in zip(*np.nonzero(~finite), strict=True):
            v = block[r, c]
            rows[r][c] = "" if v != v else ("inf" if v > 0 else "-inf")
    return rows


__all__ = ["csv_lines", "csv_region", "html_heatmap", "neutralise", "svg_heatmap"]
