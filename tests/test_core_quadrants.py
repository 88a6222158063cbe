"""One-character half-block cells: two rows share a character's two colours by quarters."""

from __future__ import annotations

import numpy as np

from tuiheat.core.colormap import get_palette
from tuiheat.core.dither import dither
from tuiheat.core.quadrants import QUADRANTS, candidates, quadrant_cells

BLUES = get_palette("blues")


def test_two_rows_of_one_mixed_colour_are_a_checkerboard_of_its_pair() -> None:
    pairs = dither(BLUES, 256, 2)
    b = int(np.flatnonzero(pairs.mixed)[len(np.flatnonzero(pairs.mixed)) // 2])
    bits, fg, bg = quadrant_cells(candidates(BLUES, 256, 242), 256, np.array([b]), np.array([b]))
    assert QUADRANTS[int(bits[0])] in "▚▞"
    assert {int(fg[0]), int(bg[0])} == {int(pairs.fg[b]), int(pairs.bg[b])}


def test_rows_far_apart_keep_each_its_own_solid_colour() -> None:
    singles = dither(BLUES, 256, 1)
    top, bottom = np.array([0]), np.array([255])
    bits, fg, bg = quadrant_cells(candidates(BLUES, 256, 242), 256, top, bottom)
    assert QUADRANTS[int(bits[0])] in "▀▄"
    upper = int(fg[0]) if QUADRANTS[int(bits[0])] == "▀" else int(bg[0])
    assert upper == int(singles.fg[0])


def quarters(bits: int, fg: int, bg: int) -> list[int]:
    """The colour of each quarter: upper left, upper right, lower left, lower right."""
    return [fg if bits & q else bg for q in (8, 4, 2, 1)]


def test_nan_rows_are_the_nan_colour() -> None:
    nan = BLUES.size  # the slot after the bins
    bits, fg, bg = quadrant_cells(
        candidates(BLUES, 16, 8), 16, np.array([nan, 100]), np.array([nan, nan])
    )
    assert quarters(int(bits[0]), int(fg[0]), int(bg[0])) == [8, 8, 8, 8]
    assert quarters(int(bits[1]), int(fg[1]), int(bg[1]))[2:] == [8, 8]
