"""What a painted line looks like to the eye: each character's two halves in linear light.

A glyph covers part of its character with the foreground colour and leaves the rest to
the background; a fine pattern is seen as the average of what it covers, in linear
light. Terminal colour numbers are taken as xterm shows them by default (what the
colour mixes assume).
"""

from __future__ import annotations

import numpy as np
from rich.cells import cell_len
from rich.color import Color
from rich.segment import Segment

from tuiheat.core.colormap import xterm_palette
from tuiheat.core.dither import XTERM_16, linear, oklab_from_linear

# How much of each half of a character (upper, lower) the glyph covers with its foreground.
COVER = {
    " ": (0.0, 0.0),
    "░": (0.25, 0.25),
    "▒": (0.5, 0.5),
    "▓": (0.75, 0.75),
    "█": (1.0, 1.0),
    "▀": (1.0, 0.0),
    "▄": (0.0, 1.0),
    "▌": (0.5, 0.5),
    "▐": (0.5, 0.5),
    "▘": (0.5, 0.0),
    "▝": (0.5, 0.0),
    "▖": (0.0, 0.5),
    "▗": (0.0, 0.5),
    "▚": (0.5, 0.5),
    "▞": (0.5, 0.5),
    "▙": (0.5, 1.0),
    "▟": (0.5, 1.0),
    "▛": (1.0, 0.5),
    "▜": (1.0, 0.5),
}
TERMINAL = linear(np.vstack([XTERM_16, xterm_palette()]))


def rgb_of(colour: Color | None) -> np.ndarray:
    """A colour in linear light (NaN for the terminal's default)."""
    if colour is None:
        return np.full(3, np.nan)
    if colour.number is not None:
        return TERMINAL[colour.number]
    assert colour.triplet is not None
    return linear(np.array(colour.triplet, dtype=np.float64))


def seen_halves(segments: list[Segment]) -> np.ndarray:
    """(characters, 2 halves, 3): the upper and lower half of every character as seen
    (NaN for text)."""
    out = []
    for seg in segments:
        fg = rgb_of(seg.style.color if seg.style else None)
        bg = rgb_of(seg.style.bgcolor if seg.style else None)
        for ch in seg.text:
            cover = COVER.get(ch)  # text (labels, ticks): no colour of a cell
            halves = (
                [c * fg + (1.0 - c) * bg if c else bg for c in cover]
                if cover is not None
                else [np.full(3, np.nan)] * 2
            )
            out.extend([halves] * cell_len(ch))
    return np.array(out)


def delta_e(seen_linear: np.ndarray, true_linear: np.ndarray) -> np.ndarray:
    """OKLab ΔE ×100 between colours given in linear light."""
    return 100 * np.linalg.norm(
        oklab_from_linear(seen_linear) - oklab_from_linear(true_linear), axis=-1
    )
