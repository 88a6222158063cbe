"""Colour bins -> Rich styles and glyphs, once per (palette, colour mode), never per cell.

A row of the grid is painted from its bin indices: runs of equal bins become one
``Segment`` each, so a line costs a handful of objects whatever its length.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
from rich.color import Color
from rich.segment import Segment
from rich.style import Style

from tuiheat.core.colormap import (
    NAN_RGB,
    Palette,
    get_palette,
    lightness,
    quantize_256,
    shade_levels,
)
from tuiheat.core.dither import SHADE_GLYPHS, dither, singles_16
from tuiheat.core.scale import NAN_BIN
from tuiheat.render.halfblocks import HalfBlocks

COLOR_MODES = ("truecolor", "256", "16", "none")
SHADES = " ░▒▓█"
ASCII_SHADES = " .:*#"
# Frames are black as in the seed figure; on cells darker than this L* they turn white.
DARK_LIGHTNESS = 45.0
# Palettes this small (--lean) are drawn in single colours: every byte counts there.
MIN_DITHER_BINS = 64


@dataclass(frozen=True)
class Overlay:
    """Text drawn over one cell instead of its fill (box frames, cursor), on the cell's colour."""

    text: str
    contrast: bool = True  # draw in the colour that stands out on this cell's background
    style: Style | None = None  # extra style on top (e.g. bold, reverse)


class Painter:
    """Styles and glyphs for each colour bin of one palette in one colour mode."""

    def __init__(
        self,
        palette: Palette,
        mode: str = "truecolor",
        cell_width: int = 2,
        ascii_only: bool = False,
    ) -> None:
        if mode not in COLOR_MODES:
            raise ValueError(f"unknown colour mode {mode!r}")
        self.palette = palette
        self.mode = mode
        self.cell_width = max(1, int(cell_width))
        self.ascii_only = ascii_only
        self.n_bins = palette.size
        # 256 and 16 colours draw each bin as a mix of two palette colours (core.dither).
        self.dithered = mode in ("256", "16") and palette.size >= MIN_DITHER_BINS

    @property
    def colour_cells(self) -> bool:
        """Whether cells are drawn in colour (else in shade glyphs)."""
        return self.mode != "none"

    # --- per-bin tables (index n_bins is the NaN entry) ---------------------------------

    @cached_property
    def single_colours(self) -> list[Color | None]:
        """One colour per bin: the cell itself in truecolor, and what a cell carrying the
        cursor, a frame or a number is drawn in (the closest single colour) otherwise."""
        rgb = self.palette.rgb
        if self.mode == "truecolor":
            colors: list[Color | None] = [Color.from_rgb(*map(int, c)) for c in rgb]
            return [*colors, Color.from_rgb(*NAN_RGB)]
        if self.mode == "256":
            numbers = quantize_256(np.vstack([rgb, np.array(NAN_RGB, dtype=np.uint8)[None]]))
            numbers[-1] = 242  # a neutral grey, outside every colour map's ramp
            return [Color.from_ansi(int(n)) for n in numbers]
        if self.mode == "16":
            singles = [Color.from_ansi(int(n)) for n in singles_16(self.palette)]
            return [*singles, Color.from_ansi(8)]
        return [None] * (self.n_bins + 1)

    @cached_property
    def _cell_styles(self) -> tuple[list[str], list[Style]]:
        """Dithered cells: ``░`` or ``▒`` in one palette colour over another, or a solid colour."""
        drawn = dither(self.palette, 256 if self.mode == "256" else 16)
        w = self.cell_width
        fills: list[str] = []
        styles: list[Style] = []
        for fg, bg, share in zip(drawn.fg.tolist(), drawn.bg.tolist(), drawn.share.tolist()):
            if share:
                fills.append(SHADE_GLYPHS[share] * w)
                styles.append(Style(color=Color.from_ansi(fg), bgcolor=Color.from_ansi(bg)))
            else:
                fills.append(" " * w)
                styles.append(Style(bgcolor=Color.from_ansi(bg)))
        return fills, styles

    @cached_property
    def _is_dark(self) -> np.ndarray:
        ell = lightness(np.vstack([self.palette.rgb, np.array(NAN_RGB, dtype=np.uint8)[None]]))
        return ell < DARK_LIGHTNESS

    @cached_property
    def fills(self) -> list[str]:
        """The characters of one cell for each bin: blank (or ``▒``) on colour, shades without."""
        w = self.cell_width
        nan_fill = "░" * w if not self.ascii_only else "." * w
        if self.dithered and not self.ascii_only:
            return [*self._cell_styles[0], nan_fill]
        if self.colour_cells:
            return [" " * w] * self.n_bins + [nan_fill]
        shades = ASCII_SHADES if self.ascii_only else SHADES
        levels = shade_levels(self.n_bins, len(shades))
        nan = "?" if self.ascii_only else "·"
        return [shades[int(k)] * w for k in levels] + [nan * w]

    @cached_property
    def styles(self) -> list[Style]:
        if self.dithered and not self.ascii_only:
            out = [*self._cell_styles[1], Style()]
        else:
            out = [Style(bgcolor=bg) for bg in self.single_colours]
        if self.colour_cells:
            nan_fg = {
                "truecolor": Color.from_rgb(0x9A, 0x9A, 0x9A),
                "256": Color.from_ansi(246),
                "16": Color.from_ansi(7),
            }[self.mode]
            out[-1] = Style(bgcolor=self.single_colours[-1], color=nan_fg)
        return out

    @cached_property
    def contrast_styles(self) -> list[Style]:
        """Per bin: the cell's background with a foreground that stands out on it."""
        if self.mode == "none":
            return [Style()] * (self.n_bins + 1)
        dark = self._is_dark
        if self.mode == "256":
            black, white = Color.from_ansi(16), Color.from_ansi(231)
        elif self.mode == "16":
            black, white = Color.from_ansi(0), Color.from_ansi(15)
        else:
            black, white = Color.from_rgb(0, 0, 0), Color.from_rgb(255, 255, 255)
        return [
            Style(bgcolor=bg, color=white if dark[i] else black, bold=False)
            for i, bg in enumerate(self.single_colours)
        ]

    @cached_property
    def _glyph_styles(self) -> list[Style]:
        if self.mode == "none":
            return [Style()] * (self.n_bins + 1)
        return [Style(color=bg) for bg in self.single_colours]

    def glyph_style(self, index: int) -> Style:
        """Foreground in the colour of bin ``index`` (sparkline glyphs), no background."""
        return self._glyph_styles[self._slot(index)]

    # --- painting ---------------------------------------------------------------------

    def _slot(self, b: int) -> int:
        return self.n_bins if b == NAN_BIN else b

    def row_segments(
        self,
        bins: np.ndarray,
        overlays: Mapping[int, Overlay | Segment | list[Segment]] | None = None,
    ) -> list[Segment]:
        """One line of cells: a Segment per run of equal bins, overlays cut into their cells.

        An overlay is either an ``Overlay`` (text on the cell's own colour) or a
        ready ``Segment`` (the cursor).
        """
        n = int(bins.shape[0])
        if n == 0:
            return []
        cuts = sorted(overlays) if overlays else []
        segments: list[Segment] = []
        start = 0
        for stop in [*cuts, n]:
            if stop > start:
                segments.extend(self._runs(bins[start:stop]))
            if stop < n and overlays is not None:
                overlay = overlays[stop]
                if isinstance(overlay, list):  # the cursor, drawn in several pieces
                    segments.extend(overlay)
                else:
                    segments.append(self._overlay_segment(int(bins[stop]), overlay))
                start = stop + 1
        return segments

    def _runs(self, bins: np.ndarray) -> list[Segment]:
        edges = np.flatnonzero(np.diff(bins)) + 1
        starts = [0, *edges.tolist()]
        stops = [*edges.tolist(), int(bins.shape[0])]
        fills, styles = self.fills, self.styles
        out = []
        for a, b in zip(starts, stops):
            slot = self._slot(int(bins[a]))
            out.append(Segment(fills[slot] * (b - a), styles[slot]))
        return out

    def _overlay_segment(self, b: int, overlay: Overlay | Segment) -> Segment:
        if isinstance(overlay, Segment):
            return overlay
        slot = self._slot(b)
        base = self.contrast_styles[slot] if overlay.contrast else self.styles[slot]
        style = base + overlay.style if overlay.style is not None else base
        return Segment(overlay.text, style)

    @property
    def supports_half(self) -> bool:
        """Half blocks need two colours per character: not without colour."""
        return self.colour_cells

    @cached_property
    def _half_blocks(self) -> HalfBlocks:
        if self.mode == "16":  # white or black would read as an end of the scale
            markers = [self.marker_colour] * (self.n_bins + 1)
        else:
            markers = [style.color for style in self.contrast_styles]
        depth = (256 if self.mode == "256" else 16) if self.dithered else None
        return HalfBlocks(self.palette, self.cell_width, depth, self.single_colours, markers)

    def half_segments(
        self, top: np.ndarray, bottom: np.ndarray | None, cursor: tuple[int, bool] | None = None
    ) -> list[Segment]:
        """Two matrix rows in one line of ``▀`` glyphs (``render.halfblocks``); ``cursor``
        is (column, on the lower row)."""
        return self._half_blocks.segments(top, bottom, cursor)

    def cursor_segment(self, index: int) -> Segment | list[Segment]:
        """The cursor cell: its own colour in the middle between bars that contrast with it.

        ``▐██▌`` in the cell's colour on black (light cells) or white (dark
        cells) stays visible on every colour of the scale while the cell's
        colour still shows; without colour the cell's shade glyphs are reversed.
        """
        slot = self._slot(index)
        w = self.cell_width
        if not self.colour_cells or self.ascii_only:
            fill = self.fills[slot]
            text = "[" + fill[1:-1] + "]" if self.ascii_only and w >= 2 else fill
            return Segment(text, self.styles[slot] + Style(reverse=True, bold=True))
        colour = self.single_colours[slot]
        if self.mode == "16" and w >= 2:
            # The closest single colour of a mixed cell can read as another value, and
            # black or white bars as the ends of the scale: the cell keeps its own fill,
            # with a bar in a colour the map does not use at each side.
            fill, style = self.fills[slot], self.styles[slot]
            marker = Style(color=self.marker_colour, bgcolor=style.bgcolor)
            if w == 2:
                return [Segment("▐▌", marker)]
            return [Segment("▐", marker), Segment(fill[1:-1], style), Segment("▌", marker)]
        bars = self.contrast_styles[slot].color
        text = "▐" + "█" * (w - 2) + "▌" if w >= 2 else "█"
        return Segment(text, Style(color=colour, bgcolor=bars))

    @cached_property
    def marker_colour(self) -> Color:
        from tuiheat.core.dither import marker_16

        return Color.from_ansi(marker_16(self.palette))

    def swatch(self, index: int, width: int | None = None) -> Segment:
        """A patch of the colour of bin ``index`` (NAN_BIN for the NaN look)."""
        slot = self._slot(index)
        w = self.cell_width if width is None else width
        fill = self.fills[slot]
        text = (fill * (w // max(1, len(fill)) + 1))[:w]
        return Segment(text, self.styles[slot])


def bins_for_positions(positions: Sequence[float], n_bins: int) -> list[int]:
    """Bin indices for positions on the scale in [0, 1] (used by colour bars)."""
    return [round(min(1.0, max(0.0, p)) * (n_bins - 1)) for p in positions]


@lru_cache(maxsize=32)
def shared_painter(
    colormap: str, bins: int, color_mode: str, cell_width: int, ascii_only: bool
) -> Painter:
    """One painter per look, shared by every grid that has it: 64 panels build their styles
    once, not 64 times (a painter never changes once made)."""
    return Painter(get_palette(colormap, bins), color_mode, cell_width, ascii_only)
