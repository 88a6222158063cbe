"""The colour bar: the scale's colours with round tick values, vertical like the seed figure's."""

from __future__ import annotations

import numpy as np
from rich.cells import cell_len
from rich.segment import Segment

from tuiheat.core.scale import NAN_BIN, ValueRange, normalize
from tuiheat.core.ticks import scale_ticks, tick_text
from tuiheat.render.painter import Painter, bins_for_positions

Line = list[Segment]
BAR_WIDTH = 2
BAR_CHROME = BAR_WIDTH + 3  # the swatch, then " ─ " before a tick's text


def _fitting_ticks(
    vrange: ValueRange, most: int, room: int | None
) -> tuple[list[float], list[str]]:
    """The most ticks (at most ``most``) whose texts fit ``room`` cells: a coarser step
    rather than a text cut short (-0.075 shown as -0.07). When no step fits them all, the
    ticks that fit (-10000 left out beside 5000; 0.000 alone for ±0.0025)."""

    def ticks_of(n: int) -> tuple[list[float], list[str]]:
        ticks = scale_ticks(vrange, max_ticks=n)
        return ticks, [tick_text(t, ticks) for t in ticks]

    for n in range(max(2, most), 1, -1):
        ticks, texts = ticks_of(n)
        if room is None or all(cell_len(text) <= room for text in texts):
            return ticks, texts
    assert room is not None
    fits = []
    for n in range(max(3, most), 1, -1):  # two lines may still show two of three ticks
        ticks, texts = ticks_of(n)
        fits.append([(t, text) for t, text in zip(ticks, texts) if cell_len(text) <= room])
    fit = max(fits, key=len)  # the first of the longest: the densest
    return ([t for t, _ in fit], [text for _, text in fit]) if fit else ticks_of(most)


def _tick_rows(vrange: ValueRange, height: int, room: int | None = None) -> dict[int, str]:
    """Line index (0 = top = vmax) -> tick text, at most one tick per line."""
    if vrange.span == 0:
        return {height // 2: tick_text(vrange.vmin, [vrange.vmin])}
    ticks, texts = _fitting_ticks(vrange, min(11, height // 2 + 1), room)
    out: dict[int, str] = {}
    for text, pos in zip(texts, normalize(np.array(ticks), vrange).tolist()):
        row = round((1.0 - pos) * (height - 1))
        if 0 <= row < height and row not in out:
            out[row] = text
    return out


def vertical_colorbar(
    painter: Painter,
    vrange: ValueRange,
    height: int,
    show_nan: bool = False,
    room: int | None = None,
) -> list[Line]:
    """``height`` lines of swatch + tick, dark (vmax) at the top; optionally a NaN swatch
    below. ``room``: the cells a tick's text may take (the bar beside the viewer's grid)."""
    height = max(2, height)
    positions = [1.0 - i / (height - 1) for i in range(height)]
    bins = bins_for_positions(positions, painter.n_bins)
    ticks = _tick_rows(vrange, height, room)
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
