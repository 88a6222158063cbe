from __future__ import annotations

import numpy as np

from tuiheat.core.colormap import get_palette
from tuiheat.core.scale import NAN_BIN
from tuiheat.render.painter import Overlay, Painter

from render_helpers import segments_text


def test_runs_of_equal_bins_become_one_segment() -> None:
    p = Painter(get_palette("blues"), "truecolor", cell_width=2)
    segs = p.row_segments(np.array([0, 0, 0, 255, 255, NAN_BIN], dtype=np.int16))
    assert len(segs) == 3
    assert [len(s.text) for s in segs] == [6, 4, 2]
    assert segs[0].style.bgcolor.triplet.hex == "#f7fbff"
    assert segs[1].style.bgcolor.triplet.hex == "#08306b"
    nan_bg = segs[2].style.bgcolor.triplet.hex
    assert nan_bg not in {p.palette.hex(i) for i in range(p.n_bins)}


def test_styles_are_shared_objects_not_per_cell() -> None:
    p = Painter(get_palette("blues"), "truecolor")
    a = p.row_segments(np.array([10, 20, 10], dtype=np.int16))
    assert a[0].style is a[2].style


def test_overlay_cuts_into_a_run_and_uses_contrast() -> None:
    p = Painter(get_palette("blues"), "truecolor", cell_width=2)
    bins = np.array([255, 255, 255], dtype=np.int16)
    segs = p.row_segments(bins, {1: Overlay("┌─")})
    assert segments_text(segs) == "  ┌─  "
    framed = segs[1]
    assert framed.style.bgcolor.triplet.hex == "#08306b"
    assert framed.style.color.triplet.hex == "#ffffff"  # white on the darkest blue
    light = p.row_segments(np.array([0], dtype=np.int16), {0: Overlay("──")})[0]
    assert light.style.color.triplet.hex == "#000000"  # black on the lightest, as in the figure


def test_256_mode_uses_palette_numbers() -> None:
    p = Painter(get_palette("blues"), "256")
    segs = p.row_segments(np.array([0, 255], dtype=np.int16))
    numbers = [s.style.bgcolor.number for s in segs]
    assert all(16 <= n <= 255 for n in numbers)
    assert numbers[0] != numbers[1]


def test_no_colour_mode_uses_shade_glyphs_by_value() -> None:
    p = Painter(get_palette("blues"), "none", cell_width=2)
    text = segments_text(p.row_segments(np.array([0, 60, 120, 180, 255, NAN_BIN], dtype=np.int16)))
    assert text == "  ░░▒▒▓▓██··"
    assert all(
        s.style is None or not s.style.bgcolor
        for s in p.row_segments(np.array([5], dtype=np.int16))
    )


def test_ascii_glyphs() -> None:
    p = Painter(get_palette("blues"), "none", cell_width=1, ascii_only=True)
    text = segments_text(p.row_segments(np.array([0, 255, NAN_BIN], dtype=np.int16)))
    assert text.isascii()


def test_256_mode_mixes_two_palette_colours_with_a_shade_glyph() -> None:
    from tuiheat.core.dither import SHADE_GLYPHS, dither

    p = Painter(get_palette("blues"), "256", cell_width=2)
    drawn = dither(get_palette("blues"), 256)
    mixed = int(np.flatnonzero(drawn.mixed)[len(np.flatnonzero(drawn.mixed)) // 2])
    (seg,) = p.row_segments(np.array([mixed, mixed], dtype=np.int16))
    assert seg.text == SHADE_GLYPHS[drawn.share[mixed]] * 4
    assert {f[0] for f in p.fills[:-1]} == {" ", "░", "▒"}  # a quarter, a half, or solid
    assert (seg.style.color.number, seg.style.bgcolor.number) == (drawn.fg[mixed], drawn.bg[mixed])
    solid = int(np.flatnonzero(~drawn.mixed)[0])
    (flat,) = p.row_segments(np.array([solid], dtype=np.int16))
    assert flat.text == "  " and flat.style.bgcolor.number == drawn.bg[solid]


def test_cursor_frames_and_numbers_use_the_closest_single_colour() -> None:
    p = Painter(get_palette("blues"), "256", cell_width=2)
    for b in (0, 100, 200, 255):
        single = p.single_colours[b]
        assert p.cursor_segment(b).style.color == single
        over = p.row_segments(np.array([b], dtype=np.int16), {0: Overlay("12")})[0]
        assert over.text == "12" and over.style.bgcolor == single


def test_the_colour_bar_is_drawn_as_the_cells_are() -> None:
    p = Painter(get_palette("blues"), "256", cell_width=2)
    cell = p.row_segments(np.array([77], dtype=np.int16))[0]
    swatch = p.swatch(77, 4)
    assert swatch.style == cell.style and swatch.text[0] == cell.text[0]


def test_lean_and_ascii_terminals_keep_single_colours() -> None:
    lean = Painter(get_palette("blues", 16), "256")
    assert "▒" not in segments_text(lean.row_segments(np.arange(16, dtype=np.int16)))
    plain = Painter(get_palette("blues"), "256", ascii_only=True)
    assert "▒" not in segments_text(plain.row_segments(np.arange(256, dtype=np.int16)))


def test_16_colours_are_a_monotone_mix_of_the_sixteen() -> None:
    p = Painter(get_palette("blues"), "16", cell_width=1)
    segs = p.row_segments(np.arange(256, dtype=np.int16))
    numbers = {s.style.bgcolor.number for s in segs} | {
        s.style.color.number for s in segs if s.style.color
    }
    assert numbers <= set(range(16)) and len(numbers) >= 4
    assert p.cursor_segment(255).text == "█"  # a colour cursor, not a reversed shade


def test_the_half_block_cursor_marks_its_whole_half_in_narrow_cells() -> None:
    """Two ends of a 2-column cell were two dots; now the whole half contrasts."""
    import numpy as np

    from tuiheat.core.colormap import get_palette as palette_of

    for width in (2, 3):
        p = Painter(palette_of("blues"), "truecolor", cell_width=width)
        top, bottom = np.array([250, 10]), np.array([5, 240])
        segments = p.half_segments(top, bottom, cursor=(0, False))  # upper half of cell 0
        cursor_part = "".join(s.text for s in segments)[:width]
        assert cursor_part == "▀" * width
        contrast = p.contrast_styles[p._slot(250)].color
        first = segments[0]
        assert first.style.color == contrast and len(first.text) == width
    wide = Painter(palette_of("blues"), "truecolor", cell_width=6)
    segments = wide.half_segments(np.array([250]), np.array([5]), cursor=(0, True))
    assert [len(s.text) for s in segments[:3]] == [1, 4, 1]  # wide cells keep their colour


def test_the_16_colour_cursor_keeps_the_cells_fill_between_bars_off_the_scale() -> None:
    from rich.color import Color

    from tuiheat.core.colormap import get_palette as palette_of
    from tuiheat.core.dither import XTERM_16, marker_16, oklab

    palette = palette_of("blues")
    marker = marker_16(palette)
    ours = oklab(palette.rgb)
    gap = ((oklab(XTERM_16)[marker] - ours) ** 2).sum(axis=1).min()
    assert all(
        gap >= ((oklab(XTERM_16)[k] - ours) ** 2).sum(axis=1).min() for k in range(16)
    )  # the farthest of the 16 from every colour of the map
    p = Painter(palette, "16", cell_width=4)
    pieces = p.cursor_segment(128)
    assert isinstance(pieces, list) and [s.text for s in pieces] == ["▐", p.fills[128][1:-1], "▌"]
    assert pieces[0].style.color == Color.from_ansi(marker)
    assert pieces[1].style == p.styles[128]  # the cell's own dithered colour in the middle
    narrow = Painter(palette, "16", cell_width=2).cursor_segment(128)
    assert [s.text for s in narrow] == ["▐▌"]  # type: ignore[union-attr]
    line = "".join(s.text for s in p.row_segments(np.array([10, 128, 200]), {1: pieces}))
    assert len(line) == 12 and line[4] == "▐" and line[7] == "▌"


def test_the_16_colour_half_block_cursor_is_drawn_in_the_marker_colour() -> None:
    from rich.color import Color

    from tuiheat.core.dither import marker_16

    p = Painter(get_palette("blues"), "16", cell_width=2)
    segments = p.half_segments(np.array([250, 10]), np.array([5, 240]), cursor=(0, False))
    assert segments[0].style.color == Color.from_ansi(marker_16(get_palette("blues")))
