"""Print mode's token text (``--print --as-text ROW``): the tokens of the column axis as
running text wrapped to the print width, each on the colour of its value in one row, on
the colour scale the heatmap would be printed with; the colour bar and the range under it.

Without colour (``NO_COLOR``, ``--color none``) each token is followed by its value,
``Paris[0.83]``: the text alone then says what the colours would.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import replace

import numpy as np
from rich.segment import Segment

from tuiheat.core.colormap import get_palette
from tuiheat.core.labels import sanitize
from tuiheat.core.readout import format_value
from tuiheat.core.scale import ValueRange, range_text
from tuiheat.core.tokentext import TokenText, is_wordpiece, token_piece
from tuiheat.render.cells import truncate
from tuiheat.render.colorbar import horizontal_colorbar
from tuiheat.render.painter import Painter
from tuiheat.render.printer import DIM, TITLE_STYLE, Line, PrintOptions, wrap_parts
from tuiheat.render.tokentext import token_line

BAR_MOST = 48  # cells of the colour bar under the text


def value_text(value: float) -> str:
    """A value after its token: two decimals (``0.83``), or two digits in scientific form
    for the tiny and the huge (``1.2e-05``); ``NaN``/``inf`` spelled out."""
    if not math.isfinite(value):
        return format_value(value)
    magnitude = abs(value)
    if magnitude == 0 or 0.01 <= magnitude < 1e4:
        return f"{value:.2f}"
    return f"{value:.1e}"


def laid_out(tokens: Sequence[str], values: np.ndarray | None, width: int) -> TokenText:
    """The tokens wrapped to ``width``; with ``values``, each followed by ``[value]``."""
    if values is None:
        return TokenText.of(tuple(tokens), width)
    words = is_wordpiece(tuple(tokens))
    pieces = [
        replace(piece, text=f"{piece.text}[{value_text(value)}]")
        for piece, value in zip(
            (token_piece(t, i == 0, words) for i, t in enumerate(tokens)),
            values.tolist(),
            strict=True,
        )
    ]
    return TokenText.of_pieces(pieces, width)


def text_lines(
    tokens: Sequence[str],
    values: np.ndarray,
    vrange: ValueRange,
    options: PrintOptions,
    title: str = "",
    note: str = "",
) -> Iterator[Line]:
    """The whole print, line by line: title, ``note`` (which row), the text, then (in
    colour) the colour bar, and a dim line with the range."""
    width = max(1, options.width)
    painter = Painter(get_palette(options.colormap, options.bins), options.color)
    values = np.asarray(values, dtype=np.float64)
    if title:
        yield [Segment(truncate(sanitize(title), max(20, width)), TITLE_STYLE)]
    if note:
        yield [Segment(truncate(sanitize(note), max(20, width)), DIM)]
    text = laid_out(tokens, None if painter.colour_cells else values, width)
    for index in range(text.lines):
        yield token_line(text, index, values, vrange, painter)
    nan_count = int(np.count_nonzero(np.isnan(values)))
    if painter.colour_cells:
        yield []
        yield from horizontal_colorbar(
            painter, vrange, min(BAR_MOST, max(4, width - 12)), show_nan=nan_count > 0
        )
    parts = [f"{len(tokens)} tokens", f"colour {range_text(vrange)} ({options.colormap})"]
    if nan_count:
        parts.append(f"{nan_count} NaN value{'s' if nan_count != 1 else ''}")
    for line in wrap_parts(parts, width):
        yield [Segment(line, DIM)]
