"""Sparklines as text: one glyph per value, ``▁`` low to ``█`` high, a gap for NaN.

The margins colour each glyph like its value on the grid's scale; the cursor
profiles are one run of one colour, so a cursor step costs few bytes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rich.text import Text

from tuiheat.core.labels import sanitize
from tuiheat.core.readout import format_value
from tuiheat.core.scale import ValueRange
from tuiheat.core.summary import NAN_LEVEL, extremes, resample_max, spark_levels
from tuiheat.render.cells import truncate

GLYPHS = "▁▂▃▄▅▆▇█"
ASCII_GLYPHS = "_.,-=+*#"
GAP = " "


def spark_glyph(level: int, ascii_only: bool = False) -> str:
    if level == NAN_LEVEL:
        return GAP
    return (ASCII_GLYPHS if ascii_only else GLYPHS)[level]


def glyphs(levels: np.ndarray, ascii_only: bool = False) -> str:
    table = ASCII_GLYPHS if ascii_only else GLYPHS
    return "".join(GAP if k == NAN_LEVEL else table[int(k)] for k in levels.tolist())


def spark_text(values: np.ndarray, vrange: ValueRange, ascii_only: bool = False) -> str:
    return glyphs(spark_levels(values, vrange), ascii_only)


def peak_text(
    values: np.ndarray, labels: Sequence[str], axis_title: str, what: str = "peak"
) -> str:
    """``peak 0.843 at Layer 13 · low 0.612 at Layer 30`` (finite values only)."""
    found = extremes(values)
    if found is None:
        return "no finite values"
    hi, lo = found
    title = sanitize(axis_title)
    return (
        f"{what} {format_value(float(values[hi]))} at {title} {sanitize(labels[hi])} · "
        f"low {format_value(float(values[lo]))} at {title} {sanitize(labels[lo])}"
    )


def profile_line(
    name: str,
    values: np.ndarray,
    labels: Sequence[str],
    axis_title: str,
    vrange: ValueRange,
    width: int,
    ascii_only: bool = False,
) -> Text:
    """``column exact_answer_first ▁▂▅█▇▅▃ peak 0.843 at Layer 13 · low …`` fitted to ``width``.

    The sparkline gets what room the texts leave; a long profile is reduced by
    block maxima so its peak still shows.
    """
    head = truncate(sanitize(name), max(8, width // 4)) + " "
    tail = " " + peak_text(values, labels, axis_title)
    room = max(4, width - len(head) - len(tail))
    line = spark_text(resample_max(values, room), vrange, ascii_only)
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(head, style="dim")
    text.append(line, style="bold")
    text.append(tail)
    return text
