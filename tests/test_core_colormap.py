from __future__ import annotations

import numpy as np

from tuiheat.core.colormap import COLORMAPS, get_palette, lightness, quantize_256, shade_levels


def test_seed_colours_at_the_ends() -> None:
    p = get_palette("blues")
    assert p.hex(0) == "#f7fbff"  # 0.5: matplotlib Blues(0.0)
    assert p.hex(p.size - 1) == "#08306b"  # 1.0: matplotlib Blues(1.0)


def test_builtin_blues_is_exactly_cmaps_blues() -> None:
    import cmap

    ref = np.rint(np.asarray(cmap.Colormap("colorbrewer:Blues").lut(256))[:, :3] * 255)
    assert np.array_equal(get_palette("blues").rgb, ref.astype(np.uint8))


def test_blues_darkens_monotonically() -> None:
    ell = lightness(get_palette("blues").rgb)
    assert np.all(np.diff(ell) <= 1e-9)
    assert ell[0] - ell[-1] > 60


def test_256_colour_ramp_never_reverses() -> None:
    for name in ("blues", "greys", "viridis", "magma"):
        p = get_palette(name)
        src = lightness(p.rgb)
        from tuiheat.core.colormap import xterm_palette

        numbers = quantize_256(p.rgb)
        got = lightness(xterm_palette()[numbers - 16])
        direction = np.sign(src[-1] - src[0])
        assert np.all(np.diff(got) * direction >= 0), name
        assert numbers.min() >= 16 and numbers.max() <= 255


def test_256_blues_has_several_distinct_levels() -> None:
    numbers = quantize_256(get_palette("blues").rgb)
    assert len(np.unique(numbers)) >= 8


def test_all_palettes_load() -> None:
    for name in COLORMAPS:
        assert get_palette(name).rgb.shape == (256, 3)


def test_shade_levels_cover_all_levels_evenly() -> None:
    levels = shade_levels(256, 5)
    assert levels[0] == 0 and levels[-1] == 4
    assert np.all(np.diff(levels) >= 0)
    assert set(levels.tolist()) == {0, 1, 2, 3, 4}
