"""Tokens as running text, coloured by value: each token on the colour of its value on the
grid's scale (its text in black or white, whichever reads on it), the cursor's token
marked, special tokens dimmed. One line at a time, so a long text draws only what shows."""

from __future__ import annotations

import numpy as np
from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style

from tuiheat.core.scale import ValueRange, to_bins
from tuiheat.core.tokentext import TokenText, text_width
from tuiheat.render.painter import Painter

CURSOR = Style(underline=True, bold=True)
GAP = Style()  # the space between tokens: the line's own colours (never a None style)
SPECIAL = Style(dim=True)


def token_line(
    text: TokenText,
    index: int,
    values: np.ndarray,
    vrange: ValueRange,
    painter: Painter,
    cursor: int | None = None,
    offset: int = 0,
) -> list[Segment]:
    """Line ``index`` of ``text``; ``values[i - offset]`` colours token ``i`` (NaN: the NaN
    colour); the space before a token keeps the background of the line."""
    tokens = text.line(index)
    if not tokens:
        return []
    first, last = tokens[0][0], tokens[-1][0]
    bins = to_bins(
        np.asarray(values[first - offset : last + 1 - offset], dtype=np.float64),
        vrange,
        painter.n_bins,
    )
    styles = painter.contrast_styles
    out: list[Segment] = []
    x = 0
    for (token, at, piece), b in zip(tokens, bins.tolist(), strict=True):
        if at > x:
            out.append(Segment(" " * (at - x), GAP))
        style = styles[painter.n_bins if b < 0 else b]
        if piece.special:
            style += SPECIAL
        if token == cursor:
            style += CURSOR
        shown = piece.text
        if at + text_width(shown) > text.width:  # a token wider than the line: cut, marked
            shown = set_cell_size(shown, max(0, text.width - at - 1)) + "…"
        out.append(Segment(shown, style))
        x = at + text_width(shown)
    return out
