"""Colour maps in 256 and 16 colours: pairs mixed by ▒, faithful, never reversing."""

from __future__ import annotations

import numpy as np
import pytest

from tuiheat.core import dither as dither_module
from tuiheat.core.colormap import COLORMAPS, get_palette, quantize_256, xterm_palette
from tuiheat.core.dither import compute, dither, fidelity, oklab
from tuiheat.core.dither_tables import TABLES


@pytest.mark.parametrize(("name", "size", "colours"), sorted(TABLES))
def test_shipped_tables_are_what_the_search_finds(name: str, size: int, colours: int) -> None:
    palette = get_palette(name, size)
    shipped, fresh = dither(palette, colours), compute(palette.rgb.tobytes(), colours)
    assert shipped.fg.tolist() == fresh.fg.tolist() and shipped.bg.tolist() == fresh.bg.tolist()


def test_every_built_in_map_has_a_table() -> None:
    assert {(n, c) for n, _, c in TABLES} == {(n, c) for n in COLORMAPS for c in (256, 16)}


def test_blues_in_256_colours_meets_the_fidelity_target() -> None:
    """The seed's scale over 64 points: mean ΔE×100 ≤ 2, max ≤ 7, 30 shades or more."""
    mean, worst, shades = fidelity(get_palette("blues"), 256)
    assert mean <= 2.0 and worst <= 7.0 and shades >= 30
    # ...where the nearest single palette colour is far off.
    at = np.linspace(0, 255, 64).round().astype(int)
    rgb = get_palette("blues").rgb[at]
    single = xterm_palette()[quantize_256(rgb) - 16]
    old = 100 * np.linalg.norm(oklab(rgb) - oklab(single), axis=1)
    assert old.mean() > 2 * mean and len({tuple(c) for c in single}) < 15


@pytest.mark.parametrize("colours", [256, 16])
@pytest.mark.parametrize("name", list(COLORMAPS))
def test_lightness_never_moves_against_the_map(name: str, colours: int) -> None:
    palette = get_palette(name)
    target = oklab(palette.rgb)[:, 0]
    shown = dither(palette, colours).shown[:, 0]
    direction = 0.0
    for i in range(1, len(target)):
        step = target[i] - target[i - 1]
        if abs(step) > 1e-4:
            direction = float(np.sign(step))
        assert direction * (shown[i] - shown[i - 1]) >= -1e-9, (name, colours, i)


@pytest.mark.parametrize("name", list(COLORMAPS))
def test_every_map_is_close_in_256_colours(name: str) -> None:
    mean, worst, shades = fidelity(get_palette(name), 256)
    assert mean <= 3.5 and worst <= 10.0 and shades >= 25


def test_pairs_are_never_far_apart_in_hue() -> None:
    rgb = np.vstack([dither_module.XTERM_16, xterm_palette()])
    for name in COLORMAPS:
        drawn = dither(get_palette(name), 256)
        lab_fg, lab_bg = oklab(rgb[drawn.fg]), oklab(rgb[drawn.bg])
        hue = np.linalg.norm(lab_fg[:, 1:] - lab_bg[:, 1:], axis=1)
        assert hue.max() <= dither_module.MAX_HUE_SPREAD[256] + 1e-9
        assert drawn.fg.min() >= 16  # the themed 16 colours are never used in 256 mode


def test_a_colour_map_without_a_table_is_computed() -> None:
    from tuiheat.core.colormap import Palette

    ramp = np.stack([np.linspace(255, 0, 256)] * 3, axis=1).astype(np.uint8)
    drawn = dither(Palette("custom-grey", "sequential", ramp), 256)
    assert drawn.fg.shape == (256,) and np.all(np.diff(drawn.shown[:, 0]) <= 1e-9)


@pytest.mark.parametrize("name", list(COLORMAPS))
def test_16_colours_mix_closer_than_any_single_colour(name: str) -> None:
    """Coarser, but two of the sixteen beat the nearest one, and the ramp has more steps."""
    from tuiheat.core.dither import XTERM_16, singles_16

    palette = get_palette(name)
    mean, worst, shades = fidelity(palette, 16)
    at = np.linspace(0, 255, 64).round().astype(int)
    single = XTERM_16[singles_16(palette)[at]]
    one = 100 * np.linalg.norm(oklab(palette.rgb[at]) - oklab(single), axis=1)
    assert mean < one.mean() and worst <= one.max() + 1e-9
    assert shades > len({tuple(c) for c in single})
