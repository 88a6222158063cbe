"""Faithful colour maps in 256 and 16 colours: each bin drawn as two palette colours.

A cell whose pixels are part foreground, part background is seen as the average of
the two colours in linear light. A full cell mixes them with a shade glyph: ``░`` and
``▒`` cover a quarter and a half of the cell. A half-block cell
(``▀``: one colour per half of a character) mixes them across its characters: of a
cell ``w`` characters wide, ``k`` carry one colour and ``w - k`` the other. Either
way a bin is drawn as ``share`` of ``parts`` equal parts in one colour, the rest in
another. Among all such mixes of xterm colours (and the single colours), each bin of
a colour map takes the one closest to its true colour in OKLab, a perceptual space
(in 256 colours hue counts a half more than lightness, so near-white blues stay blue
instead of grey), with a penalty on pairs whose two colours are far apart (speckle), subject to
one rule found by dynamic programming over the bins: the lightness of what is drawn
moves the way the map's own lightness moves, so a gradient never reverses. Computed
once per colour map and cached; the built-in maps' full-cell drawings are computed
ahead (``python -m tuiheat.core.dither`` writes ``dither_tables.py``; a test checks
that the tables equal what this module computes), so the first paint pays nothing
for them; other divisions (half blocks of other widths) take a few tens of ms once.

Over Blues 0.5–1.0 at 64 points, full cells give a mean OKLab ΔE (×100) of about
1.0 and at most about 3.5, where the nearest single palette colour gave 4.6 and 17
(``tests/bench_colours.py`` prints the figures).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from tuiheat.core.colormap import Palette, xterm_palette

# Full cells: the foreground covers share/4 of a cell drawn with this glyph (the
# foreground is always the lesser part, so ▓ is ░ with the colours swapped).
CELL_PARTS = 4
SHADE_GLYPHS = ("", "░", "▒")
# Pairs further apart than this look speckled and are never used: in hue (OKLab a, b),
# where a cyan-and-pink checker shows most, and in lightness, where texture is milder.
MAX_HUE_SPREAD = {256: 0.1, 16: 0.3}  # 16 colours are far apart: a coarser ramp
MAX_LIGHTNESS_SPREAD = {256: 0.3, 16: 0.5}
# Cost of spread (hue counted twice) against accuracy: a pair must earn its texture.
SPREAD_WEIGHT = 0.03
# OKLab a and b count this much more than lightness in the search (not in ΔE): a
# light blue drawn grey, or cyan, reads as a cast even when its ΔE is small.
HUE_WEIGHT = {256: 1.5, 16: 1.0}  # 16 colours have too few tints to spare any ΔE
CANDIDATES = 24  # per bin, best first, for the monotone search
BLOCK = 8  # bins searched together
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
    """Per bin: ``share`` of ``parts`` in the foreground colour, the rest in the background."""

    fg: np.ndarray  # int16 colour numbers
    bg: np.ndarray
    share: np.ndarray  # int8, at most parts // 2; 0: a solid cell of bg
    parts: int
    shown: np.ndarray  # (n, 3) OKLab of what is seen, for measuring

    @property
    def mixed(self) -> np.ndarray:
        return self.share > 0


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


def terminal_rgb(colours: int) -> np.ndarray:
    """RGB of colour numbers 0..colours-1 as xterm shows them by default."""
    return np.vstack([XTERM_16, xterm_palette()]) if colours == 256 else XTERM_16


@dataclass(frozen=True)
class _Mixes:
    """Every usable mix of one palette in one division, sorted by lightness."""

    fg: np.ndarray
    bg: np.ndarray
    share: np.ndarray
    lab: np.ndarray
    spread: np.ndarray
    hue_weight: float


@lru_cache(maxsize=8)
def _mixes(colours: int, parts: int) -> _Mixes:
    rgb, first = (xterm_palette(), 16) if colours == 256 else (XTERM_16, 0)  # 0..15 themed
    lin = linear(rgb)
    lab = oklab_from_linear(lin)
    i, j = np.triu_indices(len(rgb))
    hue = np.linalg.norm(lab[i, 1:] - lab[j, 1:], axis=1)
    light = np.abs(lab[i, 0] - lab[j, 0])
    keep = (hue <= MAX_HUE_SPREAD[colours]) & (light <= MAX_LIGHTNESS_SPREAD[colours])
    keep &= i != j
    i, j = i[keep], j[keep]
    spread = np.hypot(light[keep], 2.0 * hue[keep])
    singles = np.arange(len(rgb))
    fg, bg = [singles], [singles]
    share, cost = [np.zeros(len(rgb), dtype=np.int8)], [np.zeros(len(rgb))]
    for k in range(1, (parts + 1) // 2):  # the lesser share in either colour
        fg += [i, j]
        bg += [j, i]
        share += [np.full(len(i), k, dtype=np.int8)] * 2
        cost += [spread, spread]
    if parts % 2 == 0 and parts >= 2:  # half and half: once per pair
        fg.append(i)
        bg.append(j)
        share.append(np.full(len(i), parts // 2, dtype=np.int8))
        cost.append(spread)
    f, b, s = np.concatenate(fg), np.concatenate(bg), np.concatenate(share)
    t = (s / parts)[:, None]
    mixed = oklab_from_linear(t * lin[f] + (1.0 - t) * lin[b])
    order = np.argsort(mixed[:, 0], kind="stable")
    return _Mixes(
        (f[order] + first).astype(np.int16),
        (b[order] + first).astype(np.int16),
        s[order],
        mixed[order],
        np.concatenate(cost)[order],
        HUE_WEIGHT[colours],
    )


def dither(palette: Palette, colours: int = 256, parts: int = CELL_PARTS) -> Dither:
    """The drawing of every bin of ``palette`` in ``colours`` (256 or 16) colours, each
    bin ``share`` of ``parts`` parts in one colour (``parts`` 1: single colours)."""
    from tuiheat.core.dither_tables import TABLES

    shipped = TABLES.get((palette.name, palette.size, colours, parts))
    if shipped is not None:
        return _from_table(*shipped, colours, parts)
    return compute(palette.rgb.tobytes(), colours, parts)


def _hex(text: str) -> np.ndarray:
    return np.frombuffer(bytes.fromhex(text), dtype=np.uint8)


@lru_cache(maxsize=16)
def _from_table(fg_hex: str, bg_hex: str, share_hex: str, colours: int, parts: int) -> Dither:
    fg, bg = _hex(fg_hex).astype(np.int16), _hex(bg_hex).astype(np.int16)
    share = _hex(share_hex).astype(np.int8)
    rgb = terminal_rgb(colours)
    t = (share / parts)[:, None]
    shown = oklab_from_linear(t * linear(rgb[fg]) + (1.0 - t) * linear(rgb[bg]))
    return Dither(fg, bg, share, parts, shown)


@lru_cache(maxsize=32)
def compute(rgb_bytes: bytes, colours: int, parts: int = CELL_PARTS) -> Dither:
    """The search itself (a few tens of ms): for what no shipped table covers."""
    target = oklab(np.frombuffer(rgb_bytes, dtype=np.uint8).reshape(-1, 3))
    mixes = _mixes(colours, max(1, parts))
    top = _nearest(target, mixes, min(CANDIDATES, len(mixes.lab)))
    # Each bin may also take any of the previous bin's candidates: never stuck.
    options = np.concatenate([top, np.vstack([top[:1], top[:-1]])], axis=1)
    option_cost = _cost(target[:, None, :], mixes, options)
    choice = _monotone_choice(options, option_cost, mixes.lab[:, 0], target[:, 0])
    share = mixes.share[choice]
    return Dither(mixes.fg[choice], mixes.bg[choice], share, max(1, parts), mixes.lab[choice])


def _cost(target: np.ndarray, mixes: _Mixes, at: np.ndarray | slice) -> np.ndarray:
    """What drawing ``target`` as the mixes ``at`` costs: weighted distance and speckle."""
    d = mixes.lab[at] - target
    hue = mixes.hue_weight**2 * (d[..., 1] ** 2 + d[..., 2] ** 2)
    return np.sqrt(d[..., 0] ** 2 + hue) + SPREAD_WEIGHT * mixes.spread[at]


def _nearest(target: np.ndarray, mixes: _Mixes, k: int) -> np.ndarray:
    """The ``k`` cheapest mixes of each bin. A mix's cost is at least its lightness
    difference, so a block of bins looks only at mixes within ``delta`` of its
    lightness; when its ``k``-th cheapest there costs more, ``delta`` becomes that
    cost and one more look finds the true ``k`` cheapest."""
    lightness = mixes.lab[:, 0]
    n = len(target)
    top = np.empty((n, k), dtype=np.int64)
    for start in range(0, n, BLOCK):
        block = target[start : start + BLOCK]
        lo, hi = block[:, 0].min(), block[:, 0].max()
        delta = 0.03
        while True:
            a = int(np.searchsorted(lightness, lo - delta))
            b = int(np.searchsorted(lightness, hi + delta, side="right"))
            if b - a < k and (a > 0 or b < len(lightness)):
                delta *= 2.0
                continue
            cost = _cost(block[:, None, :], mixes, np.s_[None, a:b])
            picked = np.argpartition(cost, k - 1, axis=1)[:, :k]
            kth = float(np.take_along_axis(cost, picked, axis=1).max())
            if kth <= delta or (a == 0 and b == len(lightness)):
                break
            delta = kth
        top[start : start + BLOCK] = picked + a
    return top


def _monotone_choice(
    options: np.ndarray, option_cost: np.ndarray, shown_l: np.ndarray, target_l: np.ndarray
) -> np.ndarray:
    """Per bin, the option (an index of ``shown_l``) of least total cost such that the
    lightness drawn never moves against the lightness of the map (dynamic programming
    over the bins)."""
    n = options.shape[0]
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
    options = np.tile(np.arange(16), (len(target), 1))
    return _monotone_choice(options, cost, lab[:, 0], target[:, 0]).astype(np.int16)


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


def fidelity(
    palette: Palette, colours: int, points: int = 64, parts: int = CELL_PARTS
) -> tuple[float, float, int]:
    """Mean and max OKLab ΔE (×100) over ``points`` evenly spread bins, and how many
    distinct drawings those points get."""
    drawn = dither(palette, colours, parts)
    at = np.linspace(0, palette.size - 1, points).round().astype(int)
    error = 100 * np.linalg.norm(oklab(palette.rgb[at]) - drawn.shown[at], axis=1)
    shades = len({(int(drawn.fg[i]), int(drawn.bg[i]), int(drawn.share[i])) for i in at})
    return float(error.mean()), float(error.max()), shades


def write_tables(path: str) -> None:
    """Compute the built-in maps' full-cell drawings and write them as a Python module."""
    from tuiheat.core.colormap import COLORMAPS, TABLE_SIZE, get_palette

    lines = [
        '"""Generated by ``python -m tuiheat.core.dither``: the built-in colour maps drawn in',
        "256 and 16 colours in full cells (per bin: foreground and background colour numbers",
        "and the foreground's share of 4, as hex). Do not edit; a test checks these equal",
        'what ``tuiheat.core.dither`` computes."""',
        "",
        "TABLES: dict[tuple[str, int, int, int], tuple[str, str, str]] = {",
    ]
    for name in COLORMAPS:
        for colours in (256, 16):
            drawn = compute(get_palette(name).rgb.tobytes(), colours, CELL_PARTS)
            lines.append(f'    ("{name}", {TABLE_SIZE}, {colours}, {CELL_PARTS}): (')
            for values in (drawn.fg, drawn.bg, drawn.share):
                text = values.astype(np.uint8).tobytes().hex()
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
