"""Colour maps in 256 and 16 colours: pairs mixed by ▒, faithful, never reversing."""

from __future__ import annotations

import numpy as np
import pytest

from tuiheat.core import dither as dither_module
from tuiheat.core.colormap import COLORMAPS, get_palette, quantize_256, xterm_palette
from tuiheat.core.dither import compute, dither, fidelity, oklab
from tuiheat.core.dither_tables import TABLES


@pytest.mark.parametrize(("name", "size", "colours", "parts"), sorted(TABLES))
def test_shipped_tables_are_what_the_search_finds(
    name: str, size: int, colours: int, parts: int
) -> None:
    palette = get_palette(name, size)
    shipped = dither(palette, colours, parts)
    fresh = compute(palette.rgb.tobytes(), colours, parts)
    assert shipped.fg.tolist() == fresh.fg.tolist() and shipped.bg.tolist() == fresh.bg.tolist()
    assert shipped.share.tolist() == fresh.share.tolist()
    assert np.allclose(shipped.shown, fresh.shown)


def test_every_built_in_map_has_a_full_cell_table() -> None:
    assert set(TABLES) == {
        (n, 256, c, dither_module.CELL_PARTS) for n in COLORMAPS for c in (256, 16)
    }


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


def test_near_white_blues_are_drawn_blue_not_grey() -> None:
    """Blues 0.5–0.65 in 256 colours: where the true colour has a visible tint, what is
    drawn keeps at least half of it, in its hue (white over greys had none)."""
    palette = get_palette("blues")
    light = slice(0, 77)  # 0.50–0.65 of the seed's scale
    true, shown = oklab(palette.rgb)[light], dither(palette, 256).shown[light]
    chroma = np.hypot(true[:, 1], true[:, 2])
    tinted = chroma >= 0.01
    assert tinted.sum() > 50
    drawn = np.hypot(shown[:, 1], shown[:, 2])
    turn = np.degrees(np.arctan2(shown[:, 2], shown[:, 1]) - np.arctan2(true[:, 2], true[:, 1]))
    turn = (turn + 180) % 360 - 180
    assert np.all(drawn[tinted] >= 0.5 * chroma[tinted])
    assert np.all(np.abs(turn[tinted]) <= 30)


@pytest.mark.parametrize("parts", range(2, 9))
def test_every_division_of_blues_meets_the_target_in_256_colours(parts: int) -> None:
    """Full cells (quarters) and half-block cells of 2 to 8 characters: every bin of
    the seed's scale within ΔE×100 ≤ 7, ≤ 2 on average."""
    palette = get_palette("blues")
    drawn = dither(palette, 256, parts)
    error = 100 * np.linalg.norm(oklab(palette.rgb) - drawn.shown, axis=1)
    assert error.mean() <= 2.0 and error.max() <= 7.0
    assert np.all(drawn.share <= parts // 2) and np.all(
        drawn.fg[drawn.mixed] != drawn.bg[drawn.mixed]
    )
    assert drawn.mixed.any()


@pytest.mark.parametrize(("colours", "parts"), [(256, 1), (256, 4), (16, 3), (256, 7)])
def test_the_lightness_window_finds_the_true_cheapest_mixes(colours: int, parts: int) -> None:
    """The search looks only near each bin's lightness; it must find what comparing
    every mix with every bin finds."""
    target = oklab(get_palette("viridis").rgb)
    mixes = dither_module._mixes(colours, parts)
    k = min(dither_module.CANDIDATES, len(mixes.lab))
    near = dither_module._nearest(target, mixes, k)
    every = dither_module._cost(target[:, None, :], mixes, np.s_[None, :])
    best = np.sort(every, axis=1)[:, :k]
    found = np.sort(np.take_along_axis(every, near, axis=1), axis=1)
    np.testing.assert_allclose(found, best)
