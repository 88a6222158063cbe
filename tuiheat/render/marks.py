"""How a mark (``core.marks``) is drawn: one glyph in the middle of its cell, in the colour
that contrasts with the cell's own (black on light cells, white on dark ones; the cell's
shade glyphs give way to it without colour), and the legend line that names the glyphs
present. The viewer's grid and print mode draw the same."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from tuiheat.core.emergence import NEVER
from tuiheat.core.labels import sanitize
from tuiheat.core.marks import EMERGE, HIT, LOW, MISS, PEAK
from tuiheat.core.matrix import HeatMatrix
from tuiheat.render.cells import pad
from tuiheat.render.painter import Overlay

GLYPHS = {HIT: "▪", LOW: "▫", MISS: "·", PEAK: "◆", EMERGE: "▲"}
# ASCII: not the shades of a terminal without colour (" .:*#"), so a mark never reads as one.
ASCII_GLYPHS = {HIT: "+", LOW: "=", MISS: "-", PEAK: "^", EMERGE: ">"}
ORDER = (PEAK, EMERGE, HIT, LOW, MISS)  # the legend names them in this order


def glyph(code: int, ascii_only: bool = False) -> str:
    return (ASCII_GLYPHS if ascii_only else GLYPHS).get(code, "")


def mark_overlays(
    marks: Mapping[int, int],
    cell_width: int,
    ascii_only: bool,
    fills: Sequence[str] | None = None,
) -> dict[int, Overlay]:
    """An overlay per marked cell ({column: code}, codes without a glyph left out).

    ``fills``: each cell's shade glyphs, without colour; the glyph then takes the middle
    of them only, so a marked cell still shows its value."""
    table = ASCII_GLYPHS if ascii_only else GLYPHS
    middle = (cell_width - 1) // 2  # where ``pad(..., "center")`` puts one character
    if fills is None:
        made = {code: Overlay(pad(text, cell_width, "center")) for code, text in table.items()}
        return {col: made[code] for col, code in marks.items() if code in made}
    return {
        col: Overlay(fills[col][:middle] + table[code] + fills[col][middle + 1 :])
        for col, code in marks.items()
        if code in table and 0 <= col < len(fills)
    }


def framed_marks(
    frames: Mapping[int, Overlay],
    glyphs: Mapping[int, object],
    marked: Iterable[int],
    cell_width: int,
) -> dict[int, Overlay]:
    """Box frames, with a marked cell's glyph kept in the middle of its frame: a box drawn
    over significant cells must not hide which they are (cells of 3 columns and more)."""
    out = dict(frames)
    if cell_width < 3:
        return out
    middle = (cell_width - 1) // 2
    for col in marked:
        frame, mark = frames.get(col), glyphs.get(col)
        if frame is not None and isinstance(mark, Overlay):
            out[col] = Overlay(frame.text[:middle] + mark.text[middle] + frame.text[middle + 1 :])
    return out


def peak_text(row_title: str, col_title: str) -> str:
    """What the peak glyph says (``peak layer per token``)."""
    return f"peak {sanitize(row_title).lower()} per {sanitize(col_title).lower()}"


def emerge_text(row_title: str, threshold: float) -> str:
    """What the emergence glyph says (``first layer staying ≥ 0.8``)."""
    return f"first {sanitize(row_title).lower()} staying ≥ {threshold:g}"


def legend(texts: Mapping[int, str], present: Iterable[int] | None, ascii_only: bool) -> str:
    """``◆ peak layer  ▲ first layer staying ≥ 0.8``: each code of ``texts`` with its glyph,
    only those ``present`` (all, when None), in ``ORDER``."""
    shown = set(texts) if present is None else set(texts) & set(present)
    return "  ".join(f"{glyph(c, ascii_only)} {texts[c]}" for c in ORDER if c in shown)


def rows_listing(
    matrix: HeatMatrix, rows: np.ndarray, threshold: float | None = None, limit: int = 0
) -> str:
    """``peak layer per token: last_q 26, first_answer 14`` (``threshold`` None), or
    ``layer from which every value is ≥ 0.8, per token: a 3, b never``; rows and columns
    by their labels, cut with ``…`` past ``limit`` characters (0: never)."""
    title, per = sanitize(matrix.row_title).lower(), sanitize(matrix.col_title).lower()
    if threshold is None:
        head, none = f"peak {title} per {per}: ", "none"
    else:
        head, none = f"{title} from which every value is ≥ {threshold:g}, per {per}: ", "never"
    parts, used = [], len(head)
    labels = matrix.row_labels
    for col, row in zip(matrix.col_labels, rows.tolist(), strict=True):
        part = f"{sanitize(col)} {none if row == NEVER else sanitize(labels[row])}"
        used += len(part) + 2
        if limit and used > limit:
            return head + ", ".join(parts) + ", …"
        parts.append(part)
    return head + ", ".join(parts)
