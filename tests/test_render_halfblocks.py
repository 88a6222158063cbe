"""Half blocks (``▀``) in 256 and 16 colours: each half a mix of two palette colours."""

from __future__ import annotations

import numpy as np
import pytest
from colour_helpers import delta_e, rgb_of, seen_halves
from rich.color import Color

from tuiheat.core.colormap import get_palette
from tuiheat.core.dither import dither, linear
from tuiheat.core.scale import NAN_BIN
from tuiheat.render.halfblocks import parts_for, spread
from tuiheat.render.painter import Painter

BLUES = get_palette("blues")
TRUE = linear(BLUES.rgb.astype(np.float64))


def halves_of(painter: Painter, top: np.ndarray, bottom: np.ndarray | None) -> np.ndarray:
    """(cells, 2 halves, 3): each cell's upper and lower half as the eye averages it."""
    seen = seen_halves(painter.half_segments(top, bottom))
    return seen.reshape(len(top), painter.cell_width, 2, 3).mean(axis=1)


def colour_numbers(painter: Painter, top: np.ndarray, bottom: np.ndarray) -> list[set[int]]:
    """Per character: the colour numbers its upper half and lower half show."""
    out: list[set[int]] = []
    for seg in painter.half_segments(top, bottom):
        fg, bg = seg.style.color.number, seg.style.bgcolor.number
        for ch in seg.text:
            out.append({"▀": (fg, bg), "▄": (bg, fg), " ": (bg, bg), "█": (fg, fg)}[ch])
    return out


@pytest.mark.parametrize("width", [2, 3, 4, 5, 6])
def test_a_half_block_cell_mixes_both_colours_of_its_bins_pair(width: int) -> None:
    p = Painter(BLUES, "256", cell_width=width)
    drawn = dither(BLUES, 256, parts_for(width))
    b = int(np.flatnonzero(drawn.mixed)[len(np.flatnonzero(drawn.mixed)) // 2])
    chars = colour_numbers(p, np.array([b]), np.array([b]))
    upper = [c[0] for c in chars]
    assert set(upper) == {int(drawn.fg[b]), int(drawn.bg[b])}
    share = round(int(drawn.share[b]) * width / drawn.parts)
    assert upper.count(int(drawn.fg[b])) == share  # the pair in its proportion


@pytest.mark.parametrize("width", [1, 2, 3, 4, 5, 6, 8, 12])
@pytest.mark.parametrize("colours", ["256", "16"])
def test_every_bin_of_blues_as_seen_in_half_blocks(width: int, colours: str) -> None:
    """Each half averaged as the eye does, over both halves of a line of every bin:
    256 colours meet the target (mean ΔE ≤ 2, max ≤ 7), 16 colours what 16 allow."""
    p = Painter(BLUES, colours, cell_width=width)
    bins = np.arange(256)
    error = np.concatenate([delta_e(halves_of(p, bins, bins)[:, half], TRUE) for half in (0, 1)])
    mean, worst = (2.0, 7.0) if colours == "256" else (6.5, 14.5)
    assert error.mean() <= mean and error.max() <= worst, (error.mean(), error.max())


def test_one_character_cells_mix_two_rows_with_quadrants() -> None:
    """A cell one character wide: two rows of close colours share a checkerboard of
    their pairs (the target holds); rows far apart come nearer than single colours."""
    p = Painter(BLUES, "256", cell_width=1)
    singles = delta_e(
        np.array([rgb_of(c) for c in p.single_colours[:-1]]), TRUE
    )  # each bin's closest single colour, the cursor's
    for step in (0, 3, 10, 40):
        top = np.arange(0, 256 - step)
        seen = halves_of(p, top, top + step)
        error = np.concatenate(
            [delta_e(seen[:, 0], TRUE[top]), delta_e(seen[:, 1], TRUE[top + step])]
        )
        if step <= 10:
            assert error.mean() <= 2.0 and error.max() <= 7.0, (step, error.mean(), error.max())
        else:
            assert error.mean() < singles.mean() and error.max() < singles.max()
    text = "".join(s.text for s in p.half_segments(np.arange(256), np.arange(256)))
    assert set(text) & set("▚▞")  # mixed halves


def test_a_half_and_half_mix_is_a_checkerboard_in_one_style() -> None:
    """Texture, not stripes: the lower half takes the other colour where the upper takes
    one, and ``▀▄▀▄`` in one style draws it (one colour change, not one per character)."""
    p = Painter(BLUES, "256", cell_width=4)
    drawn = dither(BLUES, 256, 4)
    b = int(np.flatnonzero(drawn.share == 2)[0])
    line = np.array([b, b, b])
    (segment,) = p.half_segments(line, line)
    assert set(segment.text) == {"▀", "▄"}
    chars = colour_numbers(p, line, line)
    assert all(upper != lower for upper, lower in chars)
    uppers = [c[0] for c in chars]
    assert all(uppers[i] != uppers[i + 1] for i in range(len(uppers) - 1))


def test_spread_puts_the_lesser_colour_evenly_and_shifts_it_between_halves() -> None:
    assert spread(2, 4, 0.0).tolist() == [False, True, False, True]
    assert spread(2, 4, 0.5).tolist() == [True, False, True, False]
    assert spread(1, 4, 0.0).sum() == spread(1, 4, 0.5).sum() == 1
    assert spread(1, 4, 0.0).tolist() != spread(1, 4, 0.5).tolist()
    assert spread(0, 3, 0.5).sum() == 0


def test_nan_and_the_last_odd_row_in_half_blocks() -> None:
    p = Painter(BLUES, "256", cell_width=2)
    nan = p.single_colours[-1]
    segments = p.half_segments(np.array([NAN_BIN]), np.array([NAN_BIN]))
    assert {s.style.color for s in segments} | {s.style.bgcolor for s in segments} == {nan}
    last = p.half_segments(np.array([40, 200]), None)  # no lower row: plain background
    assert all(s.style.bgcolor is None for s in last)
    assert set("".join(s.text for s in last)) == {"▀"}


@pytest.mark.parametrize("width", [1, 2, 4, 6])
def test_the_dithered_cursor_marks_its_half_and_keeps_the_others_colours(width: int) -> None:
    p = Painter(BLUES, "256", cell_width=width)
    top, bottom = np.array([120, 120]), np.array([60, 60])
    plain = seen_halves(p.half_segments(top, bottom))
    for lower in (False, True):
        marked = seen_halves(p.half_segments(top, bottom, cursor=(0, lower)))
        ends = [0, width - 1] if width > 3 else list(range(width))
        cell = 1 if lower else 0
        contrast = rgb_of(p.contrast_styles[60 if lower else 120].color)
        for x in ends:
            assert np.allclose(marked[x, cell], contrast)
        np.testing.assert_allclose(marked[width:], plain[width:])  # the next cell as it was
        middle = [x for x in range(width) if x not in ends]
        np.testing.assert_allclose(marked[middle], plain[middle])
        if width > 1:  # the other half of the cursor's characters keeps its own mix
            np.testing.assert_allclose(marked[:width, 1 - cell], plain[:width, 1 - cell])


def test_styles_are_cached_per_colour_pair() -> None:
    p = Painter(BLUES, "256", cell_width=3)
    a = p.half_segments(np.arange(0, 256, 7), np.arange(3, 259, 7) % 256)
    b = p.half_segments(np.arange(0, 256, 7), np.arange(3, 259, 7) % 256)
    assert all(x.style is y.style for x, y in zip(a, b))
    assert len({id(s.style) for s in a}) <= len(a)


def test_truecolor_half_blocks_are_unchanged_runs() -> None:
    p = Painter(BLUES, "truecolor", cell_width=3)
    segments = p.half_segments(np.array([10, 10, 200]), np.array([50, 50, 50]))
    assert [s.text for s in segments] == ["▀" * 6, "▀" * 3]
    assert segments[0].style.color == Color.from_rgb(*map(int, BLUES.rgb[10]))
