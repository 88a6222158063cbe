"""Box frames drawn with thin line glyphs inside the boundary cells, over their colours.

The seed figure frames its region with a thin black rectangle. In a terminal the
frame runs through the boundary cells (``┌──┐ │ └──┘``), drawn in the colour
that contrasts with each cell's background, so every framed cell keeps its
colour. Overlapping boxes merge their edges.
"""

from __future__ import annotations

from collections.abc import Sequence

from tuiheat.core.boxes import Box
from tuiheat.render.painter import Overlay

# (top, bottom, left, right) of one character -> glyph
_UNICODE = {
    (True, False, True, False): "┌",
    (True, False, False, True): "┐",
    (False, True, True, False): "└",
    (False, True, False, True): "┘",
    (True, False, False, False): "─",
    (False, True, False, False): "─",
    (True, True, False, False): "─",
    (True, True, True, False): "[",
    (True, True, False, True): "]",
    (False, False, True, False): "│",
    (False, False, False, True): "│",
}
# A box being drawn: the same corners, dashed edges.
_DRAFT = {
    **_UNICODE,
    (True, False, False, False): "╌",
    (False, True, False, False): "╌",
    (True, True, False, False): "╌",
    (False, False, True, False): "╎",
    (False, False, False, True): "╎",
}
_ASCII = {
    (True, False, True, False): "+",
    (True, False, False, True): "+",
    (False, True, True, False): "+",
    (False, True, False, True): "+",
    (True, False, False, False): "-",
    (False, True, False, False): "-",
    (True, True, False, False): "-",
    (True, True, True, False): "[",
    (True, True, False, True): "]",
    (False, False, True, False): "|",
    (False, False, False, True): "|",
}


def _edges(boxes: Sequence[Box], row: int, col: int) -> tuple[bool, bool, bool, bool]:
    top = bottom = left = right = False
    for box in boxes:
        if not box.contains(row, col):
            continue
        top |= row == box.r0
        bottom |= row == box.r1
        left |= col == box.c0
        right |= col == box.c1
    return top, bottom, left, right


def cell_frame_text(
    top: bool,
    bottom: bool,
    left: bool,
    right: bool,
    width: int,
    fill: str,
    ascii_only: bool = False,
    draft: bool = False,
) -> str | None:
    """The characters of one framed cell, or None when the cell is on no edge."""
    if not (top or bottom or left or right):
        return None
    table = _ASCII if ascii_only else _DRAFT if draft else _UNICODE
    chars = []
    for i in range(width):
        key = (top, bottom, left and i == 0, right and i == width - 1)
        if width == 1 and left and right:
            key = (top, bottom, True, False)
        glyph = table.get(key)
        chars.append(glyph if glyph is not None else fill[i] if i < len(fill) else " ")
    return "".join(chars)


def frame_overlays(
    boxes: Sequence[Box],
    row: int,
    col_start: int,
    col_stop: int,
    width: int,
    fills: Sequence[str] | None = None,
    ascii_only: bool = False,
    draft: Box | None = None,
    edges: tuple[bool, bool] = (True, True),
) -> dict[int, Overlay]:
    """Overlays for the framed cells of one matrix row, keyed by position from ``col_start``.

    ``fills`` gives each cell's own glyphs (shade characters without colour) so
    the inside of a framed cell keeps them. A ``draft`` box (being drawn) is
    dashed and drawn over the others. ``edges``: whether this line of the row is its
    first and its last (a row drawn on several lines has its box edges on those).
    """
    out: dict[int, Overlay] = {}
    if draft is not None:
        out.update(
            _frame_cells([draft], row, col_start, col_stop, width, fills, ascii_only, True, edges)
        )
    for col, overlay in _frame_cells(
        boxes, row, col_start, col_stop, width, fills, ascii_only, False, edges
    ).items():
        out.setdefault(col, overlay)
    return out


def _frame_cells(
    boxes: Sequence[Box],
    row: int,
    col_start: int,
    col_stop: int,
    width: int,
    fills: Sequence[str] | None,
    ascii_only: bool,
    draft: bool = False,
    edges: tuple[bool, bool] = (True, True),
) -> dict[int, Overlay]:
    out: dict[int, Overlay] = {}
    first, last = edges
    for box in boxes:
        if not box.r0 <= row <= box.r1 or box.c1 < col_start or box.c0 >= col_stop:
            continue
        on_row_edge = (row == box.r0 and first) or (row == box.r1 and last)
        cols = range(max(box.c0, col_start), min(box.c1, col_stop - 1) + 1)
        if not on_row_edge:
            cols = [c for c in (box.c0, box.c1) if col_start <= c < col_stop]  # type: ignore[assignment]
        for col in cols:
            if col - col_start in out:
                continue
            top, bottom, left, right = _edges(boxes, row, col)
            top, bottom = top and first, bottom and last
            fill = fills[col - col_start] if fills is not None else " " * width
            text = cell_frame_text(top, bottom, left, right, width, fill, ascii_only, draft)
            if text is not None:
                out[col - col_start] = Overlay(text)
    return out
