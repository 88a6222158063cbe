"""Colour maps as lookup tables of RGB bytes, and their 256- and 16-colour stand-ins.

The maps come from ``cmap`` (numpy-only, maintained, the matplotlib/colorbrewer
data without matplotlib), imported on first use. The seed's ``Blues`` alone is
built here from ColorBrewer's nine published stops, exactly as matplotlib and
cmap interpolate them (a test checks the tables are identical): it is on screen
at every start, and importing cmap's catalogue would cost the first paint
~40 ms. A table is sampled so that its first and last entries are exactly the
map's ends: the seed's 0.5 is ``#f7fbff`` and 1.0 is ``#08306b``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

# The maps ``c`` cycles through: name -> (cmap catalogue name, kind). The seed's Blues comes
# first. Names mean what they mean in matplotlib: ``rdbu_r`` is high = red, ``rdbu`` high = blue.
COLORMAPS: dict[str, tuple[str, str]] = {
    "blues": ("colorbrewer:Blues", "sequential"),
    "viridis": ("bids:viridis", "sequential"),
    "magma": ("bids:magma", "sequential"),
    "greys": ("colorbrewer:Greys", "sequential"),
    "rdbu_r": ("colorbrewer:RdBu_r", "diverging"),
    "coolwarm": ("matplotlib:coolwarm", "diverging"),
}
DEFAULT_COLORMAP = "blues"
DIVERGING_COLORMAP = "rdbu_r"  # --center without --cmap, and differences (D)
# One colour bin per step of the table: fine enough that neighbouring bins are
# indistinguishable, small enough that one cached Style per bin is cheap.
TABLE_SIZE = 256
NAN_RGB = (0x6E, 0x6E, 0x6E)
# ColorBrewer 9-class Blues (Cynthia Brewer), matplotlib's and cmap's "Blues".
BLUES_STOPS = (
    (247, 251, 255), (222, 235, 247), (198, 219, 239), (158, 202, 225), (107, 174, 214),
    (66, 146, 198), (33, 113, 181), (8, 81, 156), (8, 48, 107),
)  # fmt: skip


@dataclass(frozen=True)
class Palette:
    """A colour map sampled into ``len(rgb)`` bins."""

    name: str
    kind: str
    rgb: np.ndarray  # (n, 3) uint8

    @property
    def size(self) -> int:
        return int(self.rgb.shape[0])

    def hex(self, index: int) -> str:
        r, g, b = (int(x) for x in self.rgb[index])
        return f"#{r:02x}{g:02x}{b:02x}"


@lru_cache(maxsize=16)
def get_palette(name: str = DEFAULT_COLORMAP, size: int = TABLE_SIZE) -> Palette:
    """Any name the ``cmap`` package knows (matplotlib's, colorbrewer's, ...), any case."""
    key = name.strip().lower()
    if key == "blues":
        table = interpolate_stops(np.asarray(BLUES_STOPS, dtype=np.float64) / 255.0, size)
        kind = "sequential"
    else:
        found = _catalogue(COLORMAPS[key][0] if key in COLORMAPS else key)
        if found is None:
            raise ValueError(
                f"unknown colour map {name!r}: give a name matplotlib or the cmap package "
                f"knows, e.g. {', '.join(COLORMAPS)}"
            )
        table = np.asarray(found.lut(size))[:, :3]
        kind = "diverging" if found.category == "diverging" else "sequential"
    rgb = np.clip(np.rint(table * 255.0), 0, 255).astype(np.uint8)
    rgb.setflags(write=False)
    return Palette(key, kind, rgb)


def known(name: str) -> bool:
    try:
        get_palette(name)
    except ValueError:
        return False
    return True


def _catalogue(name: str) -> Any:
    """cmap's map of that name, or None. Imported lazily: its catalogue costs ~40 ms, paid
    only when a map other than Blues is used. Its warnings about names found in two
    collections go to a logger that would otherwise print over the viewer."""
    import logging

    import cmap

    log = logging.getLogger("cmap")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        return cmap.Colormap(name)
    except (ValueError, KeyError, TypeError):
        return None
    finally:
        log.setLevel(level)


def interpolate_stops(stops: np.ndarray, size: int) -> np.ndarray:
    """``size`` colours linearly interpolated between evenly spaced stops (rows of RGB in 0..1)."""
    x = np.linspace(0.0, 1.0, size)
    at = np.linspace(0.0, 1.0, len(stops))
    return np.stack([np.interp(x, at, stops[:, k]) for k in range(3)], axis=1)


# --- the xterm 256-colour palette -----------------------------------------------------

_CUBE_LEVELS = np.array([0, 95, 135, 175, 215, 255], dtype=np.float64)


@lru_cache(maxsize=1)
def xterm_palette() -> np.ndarray:
    """RGB of xterm colours 16..255 (the 6x6x6 cube and the grey ramp; 0..15 are themed)."""
    cube = np.array(
        [(r, g, b) for r in _CUBE_LEVELS for g in _CUBE_LEVELS for b in _CUBE_LEVELS],
        dtype=np.float64,
    )
    greys = np.array([(8 + 10 * i,) * 3 for i in range(24)], dtype=np.float64)
    return np.vstack([cube, greys])


def _srgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    c = np.asarray(rgb, dtype=np.float64) / 255.0
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    m = np.array(
        [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]],
    )
    xyz = lin @ m.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    lightness = 116 * f[:, 1] - 16
    a = 500 * (f[:, 0] - f[:, 1])
    b = 200 * (f[:, 1] - f[:, 2])
    return np.stack([lightness, a, b], axis=1)


def lightness(rgb: np.ndarray) -> np.ndarray:
    """CIE L* of each RGB row (0 black .. 100 white)."""
    return _srgb_to_lab(np.atleast_2d(rgb))[:, 0]


def _distance(src: np.ndarray, pal: np.ndarray) -> np.ndarray:
    """Squared colour difference in Lab split into lightness, chroma and hue, weighted.

    Lightness counts 3x (a heatmap is read by how dark a cell is) and hue 4x (a
    blue ramp must not borrow a purple or a teal from the coarse cube).
    """
    d_l = src[:, None, 0] - pal[None, :, 0]
    c_src = np.hypot(src[:, 1], src[:, 2])
    c_pal = np.hypot(pal[:, 1], pal[:, 2])
    d_c = c_src[:, None] - c_pal[None, :]
    d_ab2 = (src[:, None, 1] - pal[None, :, 1]) ** 2 + (src[:, None, 2] - pal[None, :, 2]) ** 2
    d_h2 = np.maximum(d_ab2 - d_c**2, 0.0)
    dist = (3.0 * d_l) ** 2 + d_c**2 + 16.0 * d_h2
    # A coloured entry never maps to one of the grey ramp's entries.
    dist[(c_src[:, None] > 12.0) & (c_pal[None, :] < 6.0)] = np.inf
    return dist


def quantize_256(rgb: np.ndarray) -> np.ndarray:
    """xterm colour numbers (16..255) nearest to each RGB row, keeping lightness monotonic.

    Nearest-colour choice in a coarse cube can make a step darker in the
    source come out lighter; wherever that happens the step repeats its
    predecessor instead, so the rendered gradient never reverses.
    """
    table = xterm_palette()
    lab_src = _srgb_to_lab(rgb)
    lab_pal = _srgb_to_lab(table)
    choice = _distance(lab_src, lab_pal).argmin(axis=1)
    src_l = lab_src[:, 0]
    pal_l = lab_pal[:, 0]
    direction = 0.0  # the way the source's lightness runs here (rounding wiggles ignored)
    for i in range(1, len(choice)):
        step = src_l[i] - src_l[i - 1]
        if abs(step) > 0.25:
            direction = float(np.sign(step))
        moved = pal_l[choice[i]] - pal_l[choice[i - 1]]
        if direction * moved < 0:
            choice[i] = choice[i - 1]
    return choice.astype(np.int16) + 16


def shade_levels(n_bins: int, n_levels: int) -> np.ndarray:
    """Level 0..n_levels-1 for each bin, evenly: the ramp used without colour."""
    return np.minimum((np.arange(n_bins) * n_levels) // n_bins, n_levels - 1)
