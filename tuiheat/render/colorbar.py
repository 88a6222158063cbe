"""The colour bar: the scale's colours with round tick values, vertical like the seed figure's."""

from __future__ import annotations

import numpy as np
from rich.cells import cell_len
from rich.segment import Segment

from tuiheat.core.scale import NAN_BIN, ValueRange, normalize, scale_ticks, tick_text
from tuiheat.render.painter import Painter, bins_for_positions

Line = list[Segment]
BAR_WIDTH = 2


def _tick_rows(vrange: ValueRange, height: int) -> dict[int, str]:
    """Line index (0 = top = vmax) -> tick text, at most one tick per line."""
    ticks = scale_ticks(vrange, max_ticks=max(2, min(11, height // 2 + 1)))
    if vrange.span == 0:
        return {height // 2: tick_text(vrange.vmin, [vrange.vmin])}
    out: dict[int, str] = {}
    for t, pos in zip(ticks, normalize(np.array(ticks), vrange).tolist()):
        row = round((1.0 - pos) * (height - 1))
        if 0 <= row < height and row not in out:
            out[row] = tick_text(t, ticks)
    return out


def vertical_colorbar(
    painter: Painter, vrange: ValueRange, height: int, show_nan: bool = False
) -> list[Line]:
    """``height`` lines of swatch + tick, dark (vmax) at the top; optionally a NaN swatch below."""
    height = max(2, height)
    positions = [1.0 - i / (height - 1) for i in range(height)]
    bins = bins_for_positions(positions, painter.n_bins)
    ticks = _tick_rows(vrange, height)
    width = max((cell_len(t) for t in ticks.values()), default=0)
    lines: list[Line] = []
    for i, b in enumerate(bins):
        label = ticks.get(i, "")
        mark = ("- " if painter.ascii_only else "─ ") if label else "  "
        lines.append([painter.swatch(b, BAR_WIDTH), Segment(" " + mark + label.rjust(width))])
    if show_nan:
        lines.append([painter.swatch(NAN_BIN, BAR_WIDTH), Segment(" " + "  " + "NaN".rjust(width))])
    return lines


def horizontal_colorbar(
    painter: Painter, vrange: ValueRange, width: int, show_nan: bool = False
) -> list[Line]:
    """Two lines: the swatch strip (vmin at the left) and the tick values under it."""
    width = max(4, width)
    positions = [i / (width - 1) for i in range(width)]
    bins = bins_for_positions(positions, painter.n_bins)
    strip: Line = [painter.swatch(b, 1) for b in bins]
    if show_nan:
        strip += [Segment("  "), painter.swatch(NAN_BIN, BAR_WIDTH), Segment(" NaN")]
    ticks = scale_ticks(vrange, max_ticks=max(3, min(6, width // 8)))
    labels = [" "] * (width + 8)
    taken_until = -1
    for t in ticks:
        pos = 0.5 if vrange.span == 0 else float(normalize(np.array([t]), vrange)[0])
        text = tick_text(t, ticks)
        col = round(pos * (width - 1)) - len(text) // 2
        col = max(0, min(col, width - len(text)))
        if col <= taken_until:
            continue
        labels[col : col + len(text)] = list(text)
        taken_until = col + len(text)
    return [strip, [Segment("".join(labels).rstrip())]]
