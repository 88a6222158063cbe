"""Two matrix rows in one line of ``▀``: the upper row's colour in the foreground of each
character, the lower row's in the background.

A half is one colour per character, so in 256 and 16 colours a cell ``w`` characters
wide mixes its two palette colours across its characters: ``core.dither`` with ``w``
parts picks, per colour bin, the pair and how many of the ``w`` characters take each
colour. The characters taking the lesser colour are spread evenly over the cell, at
offsets that differ by half a step between the upper and lower halves, so a half-and-half
mix is a checkerboard of half-character squares (texture, not stripes). A cell one
character wide mixes within its character with quadrant glyphs (``core.quadrants``).

Every character is described by its glyph's quarter bits and two colour keys (indices
of one list of colours), so a line is built with numpy and cut into runs of equal
characters: one cached ``Style`` per pair of colours, one ``Segment`` per run.
"""

from __future__ import annotations

import itertools
from functools import cached_property

import numpy as np
from rich.color import Color
from rich.segment import Segment
from rich.style import Style

from tuiheat.core.colormap import Palette
from tuiheat.core.dither import CELL_PARTS, dither
from tuiheat.core.quadrants import QUADRANTS, Candidates, candidates, quadrant_cells
from tuiheat.core.scale import NAN_BIN

MAX_PARTS = 8  # cells up to this wide mix in steps of one character; wider ones in quarters
NO_COLOUR = 0  # the key of "no colour" (a last line without a lower row: plain background)
UPPER_HALF, LOWER_HALF = QUADRANTS.index("▀"), QUADRANTS.index("▄")
QUARTERS = (8, 4, 2, 1)  # upper left, upper right, lower left, lower right (as in QUADRANTS)
ALL = 15
GLYPHS = np.array(list(QUADRANTS))


def parts_for(width: int) -> int:
    """In how many equal parts a half-block cell ``width`` characters wide mixes."""
    return width if width <= MAX_PARTS else CELL_PARTS


def spread(count: int, width: int, phase: float) -> np.ndarray:
    """Which of ``width`` characters take the lesser colour: ``count`` of them, evenly
    spaced, shifted by ``phase`` (0 or 0.5) of a step."""
    x = np.arange(width)
    return np.floor((x + 1) * count / width + phase) - np.floor(x * count / width + phase) >= 1


def _share_pairs(lo: np.ndarray, hi: np.ndarray) -> None:
    """A character of one colour takes the two colours of the character before it (or
    else after it) when they include its own: it then joins that run."""
    n = len(lo)
    alone = lo == hi
    if not alone.any() or alone.all():
        return
    at = np.arange(n)
    before = np.maximum.accumulate(np.where(alone, -1, at))
    after = np.minimum.accumulate(np.where(alone, n, at)[::-1])[::-1]
    for near in (before, after):
        ok = alone & (near >= 0) & (near < n)
        near = np.clip(near, 0, n - 1)
        ok &= (lo == lo[near]) | (lo == hi[near])
        lo[ok], hi[ok] = lo[near][ok], hi[near][ok]
        alone &= ~ok


class HalfBlocks:
    """The characters of every colour bin's half-block cell, as colour keys."""

    def __init__(
        self,
        palette: Palette,
        width: int,
        depth: int | None,
        singles: list[Color | None],
        markers: list[Color | None],
    ) -> None:
        """``depth``: 256 or 16 to mix palette colours, None to draw each slot (the
        palette's bins, then NaN) in its colour of ``singles``; ``markers``: per slot,
        the colour that marks the cursor on it."""
        self.palette = palette
        self.width = w = width
        self.depth = depth
        self.n_bins = len(singles) - 1
        self.colours: list[Color | None] = [None]
        self._keys: dict[Color, int] = {}
        self._styles: dict[tuple[int, int], Style] = {}
        self._nan = singles[-1]
        self._markers = [self.key(c) for c in markers]
        nan_key = self.key(self._nan)
        if depth is not None:
            drawn = dither(palette, depth, parts_for(w))
            fg = np.array([*map(self.ansi_key, drawn.fg.tolist()), nan_key])
            bg = np.array([*map(self.ansi_key, drawn.bg.tolist()), nan_key])
            counts = np.rint(np.append(drawn.share, 0) * w / drawn.parts).astype(int)
        else:
            fg = bg = np.array([self.key(c) for c in singles])
            counts = np.zeros(self.n_bins + 1, dtype=int)
        # Per slot, the key of each character of the cell: upper half, lower half.
        upper, lower = ([spread(c, w, phase) for c in range(w + 1)] for phase in (0.0, 0.5))
        self.upper = np.where(np.array(upper)[counts], fg[:, None], bg[:, None])
        self.lower = np.where(np.array(lower)[counts], fg[:, None], bg[:, None])

    def key(self, colour: Color | None) -> int:
        if colour is None:
            return NO_COLOUR
        found = self._keys.get(colour)
        if found is None:
            found = self._keys[colour] = len(self.colours)
            self.colours.append(colour)
        return found

    def ansi_key(self, number: int) -> int:
        return self.key(Color.from_ansi(number))

    @cached_property
    def _ansi_keys(self) -> np.ndarray:
        return np.array([self.ansi_key(n) for n in range(self.depth or 0)])

    @cached_property
    def _quadrants(self) -> Candidates | None:
        """Cells one character wide in 256 or 16 colours mix with quadrant glyphs."""
        if self.width != 1 or self.depth is None:
            return None
        assert self._nan is not None and self._nan.number is not None
        return candidates(self.palette, self.depth, self._nan.number)

    def style(self, fg: int, bg: int) -> Style:
        found = self._styles.get((fg, bg))
        if found is None:
            found = self._styles[fg, bg] = Style(color=self.colours[fg], bgcolor=self.colours[bg])
        return found

    def segments(
        self, top: np.ndarray, bottom: np.ndarray | None, cursor: tuple[int, bool] | None = None
    ) -> list[Segment]:
        """One line: ``top`` and ``bottom`` are colour bins of two matrix rows (no bottom:
        the last line of an odd number of rows). ``cursor`` is (column, on the lower row):
        that half is marked in the colour that contrasts with it, at its ends, or wholly
        in cells of up to 3 columns, where two ends would be two dots."""
        n_bins = self.n_bins
        top = np.where(top == NAN_BIN, n_bins, top)
        upper = self.upper[top].ravel()
        if bottom is None:
            lower = np.full_like(upper, NO_COLOUR)
        else:
            bottom = np.where(bottom == NAN_BIN, n_bins, bottom)
            lower = self.lower[bottom].ravel()
        quadrants = self._quadrants
        if quadrants is not None and bottom is not None and self.depth is not None:
            bits, fg_number, bg_number = quadrant_cells(quadrants, self.depth, top, bottom)
            fg, bg = self._ansi_keys[fg_number], self._ansi_keys[bg_number]
        else:
            bits, fg, bg = np.full_like(upper, UPPER_HALF), upper, lower
        if cursor is not None:
            bits, fg, bg = bits.copy(), fg.copy(), bg.copy()
            self._mark(bits, fg, bg, upper, lower, top, bottom, cursor)
        return self._runs(bits, fg, bg)

    def _runs(self, bits: np.ndarray, fg: np.ndarray, bg: np.ndarray) -> list[Segment]:
        """A segment per run of characters that use the same two colours: in a mix,
        ``▀`` in (A, B) is followed by ``▄`` in (A, B), not ``▀`` in (B, A), so a
        checkerboard costs one style change, not one per character."""
        first = np.where(bits == 0, bg, fg)  # the colours a character shows
        second = np.where(bits == ALL, fg, bg)
        lo, hi = np.minimum(first, second), np.maximum(first, second)
        _share_pairs(lo, hi)
        new = np.ones(len(bits), dtype=bool)
        new[1:] = (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])
        starts = np.flatnonzero(new)
        run = np.cumsum(new) - 1
        # A run's foreground: its first character's (never "no colour"), the other its back.
        front = first[starts]
        back = np.where(lo[starts] == front, hi[starts], lo[starts])
        ahead = front[run]
        glyph = np.zeros(len(bits), dtype=np.int64)
        for q in QUARTERS:
            glyph += q * (np.where(bits & q, fg, bg) == ahead)
        glyph[(back == front)[run]] = 0  # one colour: blanks on it
        text = "".join(GLYPHS[glyph].tolist())
        edges = [*starts.tolist(), len(bits)]
        fronts, backs = front.tolist(), back.tolist()
        return [
            Segment(text[a:b], self.style(fronts[i], backs[i]))
            for i, (a, b) in enumerate(itertools.pairwise(edges))
        ]

    def _mark(
        self,
        bits: np.ndarray,
        fg: np.ndarray,
        bg: np.ndarray,
        upper: np.ndarray,
        lower: np.ndarray,
        top: np.ndarray,
        bottom: np.ndarray | None,
        cursor: tuple[int, bool],
    ) -> None:
        """The cursor's half in the contrasting colour; the other half of those characters
        keeps its own colours."""
        w = self.width
        col, on_lower = cursor
        on_lower = on_lower and bottom is not None
        marked = bottom[col] if on_lower and bottom is not None else top[col]
        at = np.arange(col * w, (col + 1) * w)
        if w > 3:
            at = at[[0, -1]]
        fg[at] = self._markers[int(marked)]
        if on_lower:
            bits[at], bg[at] = LOWER_HALF, upper[at]
        else:
            bits[at], bg[at] = UPPER_HALF, lower[at]
