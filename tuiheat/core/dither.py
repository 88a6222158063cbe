"""Faithful colour maps in 256 and 16 colours: each bin drawn as two palette colours.

A cell drawn with ``▒`` (half of its pixels in the foreground colour, half in the
background) is seen as the average of the two colours in linear light. Among all
such pairs of xterm colours (and the single colours), each bin of a colour map
takes the one closest to its true colour in OKLab, a perceptual space, with a
penalty on pairs whose two colours are far apart (speckle), subject to one rule
found by dynamic programming over the bins: the lightness of what is drawn moves
the way the map's own lightness moves, so a gradient never reverses. Computed once
per colour map and cached; the built-in maps' drawings are computed ahead
(``python -m tuiheat.core.dither`` writes ``dither_tables.py``; a test checks that the
tables equal what this module computes), so the first paint pays nothing for them.

Over Blues 0.5–1.0 at 64 points this gives a mean OKLab ΔE (×100) of about 1.6,
at most about 6, and over 30 distinct shades, where the nearest single palette
colour gave 4.6, 17 and 10 (``tests/bench_colours.py`` prints the figures).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from tuiheat.core.colormap import Palette, xterm_palette

MIX_GLYPH = "▒"  # half foreground, half background
# Pairs further apart than this look speckled and are never used: in hue (OKLab a, b),
# where a cyan-and-pink checker shows most, and in lightness, where texture is milder.
MAX_HUE_SPREAD = {256: 0.1, 16: 0.3}  # 16 colours are far apart: a coarser ramp
MAX_LIGHTNESS_SPREAD = {256: 0.3, 16: 0.5}
# Cost of spread (hue counted twice) against accuracy: a pair must earn its texture.
SPREAD_WEIGHT = 0.03
CANDIDATES = 48  # per bin, best first, for the monotone search
# xterm's defaults for the 16 themed colours: the best guess of what a terminal shows.
XTERM_16 = np.array(
    [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0),
        (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0),
        (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ],
    dtype=np.float64,
)  # fmt: skip


@dataclass(frozen=True)
class Dither:
    """Per bin: foreground and background colour numbers, and whether to mix them."""

    fg: np.ndarray  # int16 colour numbers
    bg: np.ndarray
    mixed: np.ndarray  # bool: ▒ (fg over bg); False: a solid cell of bg
    shown: np.ndarray  # (n, 3) OKLab of what is seen, for measuring


def linear(rgb: np.ndarray) -> np.ndarray:
    """sRGB bytes to linear light in 0..1."""
    c = np.asarray(rgb, dtype=np.float64) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def oklab_from_linear(lin: np.ndarray) -> np.ndarray:
    """Björn Ottosson's OKLab from linear sRGB."""
    m1 = np.array(
        [
            [0.4122214708, 0.5363325363, 0.0514459929],
            [0.2119034982, 0.6806995451, 0.1073969566],
            [0.0883024619, 0.2817188376, 0.6299787005],
        ]
    )
    m2 = np.array(
        [
            [0.2104542553, 0.7936177850, -0.0040720468],
            [1.9779984951, -2.4285922050, 0.4505937099],
            [0.0259040371, 0.7827717662, -0.8086757660],
        ]
    )
    return np.cbrt(lin @ m1.T) @ m2.T


def oklab(rgb: np.ndarray) -> np.ndarray:
    return oklab_from_linear(linear(np.atleast_2d(rgb)))


@dataclass(frozen=True)
class _Mixes:
    """Every usable pair of one palette: colour numbers, what it looks like, its spread."""

    fg: np.ndarray
    bg: np.ndarray
    lab: np.ndarray
    spread: np.ndarray


@lru_cache(maxsize=2)
def _mixes(colours: int) -> _Mixes:
    rgb, first = (xterm_palette(), 16) if colours == 256 else (XTERM_16, 0)  # 0..15 themed
    lin = linear(rgb)
    lab = oklab_from_linear(lin)
    i, j = np.triu_indices(len(rgb))  # i == j: a single colour
    hue = np.linalg.norm(lab[i, 1:] - lab[j, 1:], axis=1)
    light = np.abs(lab[i, 0] - lab[j, 0])
    keep = (hue <= MAX_HUE_SPREAD[colours]) & (light <= MAX_LIGHTNESS_SPREAD[colours])
    i, j = i[keep], j[keep]
    mixed_lab = oklab_from_linear(0.5 * (lin[i] + lin[j]))
    spread = np.hypot(light[keep], 2.0 * hue[keep])
    return _Mixes((i + first).astype(np.int16), (j + first).astype(np.int16), mixed_lab, spread)


def dither(palette: Palette, colours: int = 256) -> Dither:
    """The drawing of every bin of ``palette`` in ``colours`` (256 or 16) colours."""
    from tuiheat.core.dither_tables import TABLES

    shipped = TABLES.get((palette.name, palette.size, colours))
    if shipped is not None:
        return _from_table(*shipped, colours)
    return compute(palette.rgb.tobytes(), colours)


@lru_cache(maxsize=16)
def _from_table(fg_hex: str, bg_hex: str, colours: int) -> Dither:
    fg = np.frombuffer(bytes.fromhex(fg_hex), dtype=np.uint8).astype(np.int16)
    bg = np.frombuffer(bytes.fromhex(bg_hex), dtype=np.uint8).astype(np.int16)
    return Dither(fg, bg, fg != bg, _seen(fg, bg, colours))


def _seen(fg: np.ndarray, bg: np.ndarray, colours: int) -> np.ndarray:
    rgb = np.vstack([XTERM_16, xterm_palette()]) if colours == 256 else XTERM_16
    return oklab_from_linear(0.5 * (linear(rgb[fg]) + linear(rgb[bg])))


@lru_cache(maxsize=16)
def compute(rgb_bytes: bytes, colours: int) -> Dither:
    """The search itself (tens of milliseconds): for colour maps without a shipped table."""
    target = oklab(np.frombuffer(rgb_bytes, dtype=np.uint8).reshape(-1, 3))
    mixes = _mixes(colours)
    d2 = (
        (target**2).sum(axis=1)[:, None]
        + (mixes.lab**2).sum(axis=1)[None, :]
        - 2.0 * target @ mixes.lab.T
    )
    cost = np.sqrt(np.maximum(d2, 0.0)) + SPREAD_WEIGHT * mixes.spread[None, :]
    choice = _monotone_choice(cost, mixes.lab[:, 0], target[:, 0])
    fg, bg = mixes.fg[choice], mixes.bg[choice]
    return Dither(fg, bg, fg != bg, mixes.lab[choice])


def _monotone_choice(cost: np.ndarray, shown_l: np.ndarray, target_l: np.ndarray) -> np.ndarray:
    """Per bin, the candidate of least total cost such that the lightness drawn never
    moves against the lightness of the map (dynamic programming over the bins)."""
    n = cost.shape[0]
    k = min(CANDIDATES, cost.shape[1])
    top = np.argpartition(cost, k - 1, axis=1)[:, :k]
    # Each bin may also repeat any of the previous bin's candidates: never stuck.
    options = np.concatenate([top, np.vstack([top[:1], top[:-1]])], axis=1)
    option_cost = np.take_along_axis(cost, options, axis=1)
    option_l = shown_l[options]
    steps = np.diff(target_l)
    direction = np.sign(np.where(np.abs(steps) > 1e-4, steps, 0.0))
    for i in range(1, len(direction)):  # a flat stretch keeps the way the map was going
        if direction[i] == 0:
            direction[i] = direction[i - 1]
    total = option_cost[0]
    back = np.empty((n, options.shape[1]), dtype=np.int64)
    rows = np.arange(options.shape[1])
    for i in range(1, n):
        moved = option_l[i][:, None] - option_l[i - 1][None, :]
        paths = np.where(direction[i - 1] * moved >= -1e-9, total[None, :], np.inf)
        back[i] = paths.argmin(axis=1)
        total = option_cost[i] + paths[rows, back[i]]
    at = int(np.argmin(total))
    picked = np.empty(n, dtype=np.int64)
    for i in range(n - 1, -1, -1):
        picked[i] = options[i, at]
        at = int(back[i, at]) if i else at
    return picked


@lru_cache(maxsize=16)
def _singles_16(rgb_bytes: bytes) -> np.ndarray:
    target = oklab(np.frombuffer(rgb_bytes, dtype=np.uint8).reshape(-1, 3))
    lab = oklab(XTERM_16)
    cost = np.linalg.norm(target[:, None, :] - lab[None, :, :], axis=2)
    return _monotone_choice(cost, lab[:, 0], target[:, 0]).astype(np.int16)


def singles_16(palette: Palette) -> np.ndarray:
    """The one of the 16 colours closest to each bin (cursor, frames, numbers, sparklines),
    lightness never moving against the map's."""
    return _singles_16(palette.rgb.tobytes())


def marker_16(palette: Palette) -> int:
    """The one of the 16 terminal colours farthest (OKLab) from every colour of the map:
    a cursor drawn in it reads as the cursor, never as a value of the scale."""
    ours = oklab(palette.rgb)
    theirs = oklab(XTERM_16)
    nearest = np.min(np.linalg.norm(theirs[:, None, :] - ours[None, :, :], axis=2), axis=1)
    return int(np.argmax(nearest))


def fidelity(palette: Palette, colours: int, points: int = 64) -> tuple[float, float, int]:
    """Mean and max OKLab ΔE (×100) over ``points`` evenly spread bins, and how many
    distinct drawings those points get."""
    drawn = dither(palette, colours)
    at = np.linspace(0, palette.size - 1, points).round().astype(int)
    error = 100 * np.linalg.norm(oklab(palette.rgb[at]) - drawn.shown[at], axis=1)
    shades = len({(int(drawn.fg[i]), int(drawn.bg[i])) for i in at})
    return float(error.mean()), float(error.max()), shades


def write_tables(path: str) -> None:
    """Compute the built-in maps' drawings and write them as a Python module."""
    from tuiheat.core.colormap import COLORMAPS, TABLE_SIZE, get_palette

    lines = [
        '"""Generated by ``python -m tuiheat.core.dither``: the built-in colour maps drawn in',
        "256 and 16 colours (foreground and background colour numbers per bin, as hex). Do not",
        'edit; a test checks these equal what ``tuiheat.core.dither`` computes."""',
        "",
        "TABLES: dict[tuple[str, int, int], tuple[str, str]] = {",
    ]
    for name in COLORMAPS:
        for colours in (256, 16):
            drawn = compute(get_palette(name).rgb.tobytes(), colours)
            fg = drawn.fg.astype(np.uint8).tobytes().hex()
            bg = drawn.bg.astype(np.uint8).tobytes().hex()
            lines.append(f'    ("{name}", {TABLE_SIZE}, {colours}): (')
            for text in (fg, bg):
                chunks = [f'        "{text[i : i + 80]}"' for i in range(0, len(text), 80)]
                chunks[-1] += ","
                lines += chunks
            lines.append("    ),")
    lines.append("}")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    from pathlib import Path

    write_tables(str(Path(__file__).with_name("dither_tables.py")))
