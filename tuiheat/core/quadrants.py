"""Half-block cells one character wide, in 256 and 16 colours: quadrant glyphs.

A cell one character wide has no characters to mix across, and a character has two
colours only, shared by the two matrix rows it shows. Quadrant glyphs (``▘▝▖▗▚▞▙▛▜▟``,
with ``▀▄▌▐█``) split each half into two quarters, so each half can be either colour
or half of each. Per character the two colours, and which quarters take which, are
picked to draw both rows best together: from the two colours of each row's pair
(``core.dither`` in halves), and its single closest colour, the choice of least summed
cost, the cost being the one ``core.dither`` uses (weighted OKLab distance plus a
penalty on far-apart pairs, which are never mixed). Where both rows have close colours
this is a checkerboard of their pair (``▚``); where they differ, each half is solid.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from tuiheat.core.colormap import Palette
from tuiheat.core.dither import (
    HUE_WEIGHT,
    MAX_HUE_SPREAD,
    MAX_LIGHTNESS_SPREAD,
    SPREAD_WEIGHT,
    dither,
    linear,
    oklab,
    oklab_from_linear,
    terminal_rgb,
)

# Glyphs by which quarters show the foreground: upper left 8, upper right 4, lower left 2,
# lower right 1.
QUADRANTS = " ▗▖▄▝▐▞▟▘▚▌▙▀▜▛█"
# A half drawn in the first colour, the second, or half of each (as quarter bits):
UPPER = np.array([0b1100, 0b0000, 0b1000])
LOWER = np.array([0b0011, 0b0000, 0b0001])  # a mixed lower half mirrors the upper: ▚


@dataclass(frozen=True)
class Candidates:
    """Per colour bin (and NaN last): the colour numbers a character may use, its true
    colour in OKLab."""

    colours: np.ndarray  # (slots, 3): the pair of its half-and-half mix, its single colour
    target: np.ndarray  # (slots, 3)
    hue_weight: float
    limits: tuple[float, float]  # the widest hue and lightness spread mixed


def candidates(palette: Palette, colours: int, nan_colour: int) -> Candidates:
    pairs, single = dither(palette, colours, 2), dither(palette, colours, 1)
    numbers = np.stack([pairs.fg, pairs.bg, single.fg], axis=1).astype(np.int64)
    numbers = np.vstack([numbers, np.full((1, 3), nan_colour)])
    rgb = terminal_rgb(colours)
    target = np.vstack([oklab(palette.rgb), oklab(rgb[nan_colour])])
    limits = (MAX_HUE_SPREAD[colours], MAX_LIGHTNESS_SPREAD[colours])
    return Candidates(numbers, target, HUE_WEIGHT[colours], limits)


@lru_cache(maxsize=2)
def _terminal(colours: int) -> tuple[np.ndarray, np.ndarray]:
    lin = linear(terminal_rgb(colours))
    return lin, oklab_from_linear(lin)


def quadrant_cells(
    cands: Candidates, colours: int, top: np.ndarray, bottom: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For characters showing slots ``top`` over ``bottom``: the quarter bits (an index
    of ``QUADRANTS``), the foreground and the background colour numbers."""
    lin, lab = _terminal(colours)
    n = len(top)
    pool = np.concatenate([cands.colours[top], cands.colours[bottom]], axis=1)  # (n, 6)
    k = pool.shape[1]
    x = np.repeat(pool, k, axis=1)  # (n, 36): every ordered choice of two of the six
    y = np.tile(pool, (1, k))
    mixed = oklab_from_linear(0.5 * (lin[x] + lin[y]))
    d = lab[x] - lab[y]
    hue, light = np.hypot(d[..., 1], d[..., 2]), np.abs(d[..., 0])
    far = (hue > cands.limits[0]) | (light > cands.limits[1])
    speckle = np.where(far, np.inf, SPREAD_WEIGHT * np.hypot(light, 2.0 * hue))
    shown = np.stack([lab[x], lab[y], mixed], axis=2)  # (n, 36, 3 options, 3)

    def cost(target: np.ndarray) -> np.ndarray:
        e = shown - target[:, None, None, :]
        w = cands.hue_weight**2
        c = np.sqrt(e[..., 0] ** 2 + w * (e[..., 1] ** 2 + e[..., 2] ** 2))
        c[..., 2] += speckle
        return c

    upper, lower = cost(cands.target[top]), cost(cands.target[bottom])
    total = upper.min(axis=2) + lower.min(axis=2)
    best = total.argmin(axis=1)
    rows = np.arange(n)
    bits = UPPER[upper[rows, best].argmin(axis=1)] | LOWER[lower[rows, best].argmin(axis=1)]
    return bits, x[rows, best], y[rows, best]
