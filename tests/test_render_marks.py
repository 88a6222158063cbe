"""Marks drawn in cells: the glyph lands in its cell, in the colour that contrasts with the
cell, in every colour mode and in ASCII; print mode draws them and names the glyphs drawn."""

from __future__ import annotations

import numpy as np
import pytest
from rich.color import Color

from tuiheat.core import HeatMatrix, default_range
from tuiheat.core.colormap import get_palette
from tuiheat.core.marks import EMERGE, HIT, MISS, PEAK
from tuiheat.render.gridview import GridLayout
from tuiheat.render.marks import ASCII_GLYPHS, GLYPHS, legend, rows_listing
from tuiheat.render.painter import COLOR_MODES, Painter
from tuiheat.render.printer import HeatmapPrint, PrintOptions

from render_helpers import plain

M = HeatMatrix(
    np.linspace(0.0, 1.0, 12).reshape(3, 4),
    row_labels=["a", "b", "c"],
    col_labels=["w", "x", "y", "z"],
    row_title="Layer",
    col_title="Token",
)


def cells(line, gutter: int, width: int):  # type: ignore[no-untyped-def]
    """(text, style) of each cell of a grid line, cut at cell boundaries."""
    chars = [(ch, seg.style) for seg in line for ch in seg.text][gutter:]
    return [
        ("".join(c for c, _ in chars[i : i + width]), chars[i][1])
        for i in range(0, len(chars), width)
    ]


@pytest.mark.parametrize("mode", COLOR_MODES)
@pytest.mark.parametrize("ascii_only", [False, True])
def test_each_mark_lands_in_its_cell_in_every_colour_mode(mode: str, ascii_only: bool) -> None:
    painter = Painter(get_palette("blues", 256), mode, 3, ascii_only)
    lay = GridLayout(M, painter)
    bins = np.array([0, 80, 170, 255], dtype=np.int16)
    marks = {0: HIT, 1: MISS, 2: PEAK, 3: EMERGE}
    shown = cells(lay.row_line(1, bins, 0, marks=marks), lay.gutter, 3)
    table = ASCII_GLYPHS if ascii_only else GLYPHS
    for col, code in marks.items():
        text, style = shown[col]
        if mode == "none":  # the glyph in the middle of the cell's shades: its value shows
            fill = painter.fills[int(bins[col])]
            assert text == fill[0] + table[code] + fill[2], (col, text)
            continue
        assert text == f" {table[code]} ", (col, text)
        if mode != "none":  # black on light cells, white on dark ones, on the cell's colour
            assert style.bgcolor == painter.single_colours[int(bins[col])]
            assert style.color in (
                painter.contrast_styles[int(bins[col])].color,
                Color.from_rgb(0, 0, 0),
            )
    if mode != "none":  # the glyph reads on both ends of the scale
        assert shown[0][1].color != shown[3][1].color
    plain_row = cells(lay.row_line(1, bins, 0), lay.gutter, 3)
    assert [text for text, _ in plain_row] == [painter.fills[b] for b in bins.tolist()]


def test_the_cursor_and_numbers_win_over_a_mark_and_a_mark_over_the_under_sign() -> None:
    lay = GridLayout(M, Painter(get_palette(), "truecolor", 2))
    bins = np.zeros(4, dtype=np.int16)
    line = lay.row_line(0, bins, 0, cursor_col=1, under=[0, 2], marks={0: PEAK, 1: PEAK})
    shown = [text for text, _ in cells(line, lay.gutter, 2)]
    assert shown[0].strip() == "◆" and shown[1] == "▐▌" and shown[2].strip() == "▾"
    noted = lay.row_line(0, bins, 0, notes=["9", "", "", ""], marks={0: PEAK, 3: HIT})
    shown = [text for text, _ in cells(noted, lay.gutter, 2)]
    assert shown[0].strip() == "9" and shown[3].strip() == "▪"
    assert lay.row_line(0, bins, 2, marks={5: PEAK}) == lay.row_line(0, bins, 2)  # off screen


def test_a_box_frame_keeps_the_mark_of_the_cells_it_runs_through() -> None:
    from tuiheat.core.boxes import Box

    lay = GridLayout(M, Painter(get_palette(), "truecolor", 5))
    bins = np.zeros(4, dtype=np.int16)
    box = Box(0, 2, 1, 2)
    marks = {0: HIT, 1: HIT, 2: MISS, 3: HIT}
    for row in (0, 1):  # the top edge, a side
        shown = [
            text
            for text, _ in cells(
                lay.row_line(row, bins, 0, boxes=[box], marks=marks), lay.gutter, 5
            )
        ]
        assert [t[2] for t in shown] == ["▪", "▪", "·", "▪"], shown
        assert shown[1] != "  ▪  " and shown[2] != "  ·  "  # framed all the same
    numbers = lay.row_line(1, bins, 0, boxes=[box], notes=["", "7", "", ""], marks=marks)
    assert "7" not in "".join(t for t, _ in cells(numbers, lay.gutter, 5)[1:2])  # frames win


def test_the_legend_names_the_glyphs_drawn_in_order() -> None:
    texts = {HIT: "interval excludes 0.5", MISS: "includes it", PEAK: "peak layer"}
    assert legend(texts, None, False) == "◆ peak layer  ▪ interval excludes 0.5  · includes it"
    assert legend(texts, {MISS}, True) == "- includes it"
    assert legend(texts, set(), False) == ""


def test_listings_name_rows_and_columns_and_are_cut_to_fit() -> None:
    rows = np.array([2, 0, -1, 1])
    assert rows_listing(M, rows) == "peak layer per token: w c, x a, y none, z b"
    said = rows_listing(M, rows, 0.8)
    assert said == "layer from which every value is ≥ 0.8, per token: w c, x a, y never, z b"
    cut = rows_listing(M, rows, None, limit=32)
    assert cut == "peak layer per token: w c, x a, …" and len(cut) <= 34


def figure(**kw):  # type: ignore[no-untyped-def]
    options = PrintOptions(color="none", width=80, margins=False)
    return HeatmapPrint(M, default_range(M), options, title="t", **kw)


def test_print_mode_draws_marks_and_column_marks_and_says_what_they_mean() -> None:
    marks = np.zeros(M.shape, dtype=np.uint8)
    marks[0, 1], marks[2, 0] = HIT, MISS
    columns = {PEAK: np.array([2, 2, 2, -1]), EMERGE: np.array([1, 2, 1, -1])}
    texts = {HIT: "excludes 0.5", MISS: "includes it", PEAK: "peak", EMERGE: "first ≥ 0.5"}
    lines = plain(figure(marks=marks, column_marks=columns, mark_texts=texts))
    bare = plain(figure())

    def grid(printed: list[str]) -> dict[str, str]:
        return {line.split()[0]: line for line in printed if line[:6].strip() in ("a", "b", "c")}

    marked, unmarked = grid(lines), grid(bare)
    width = (len(marked["a"]) - 6) // 4

    def cell(rows: dict[str, str], row: str, col: int) -> str:
        return rows[row][6 + col * width : 6 + (col + 1) * width].strip()

    expected = {"a": {1: "▪"}, "b": {0: "▲", 2: "▲"}, "c": {0: "◆", 1: "◆", 2: "◆"}}
    for row, cols in expected.items():  # a peak wins over ▲ (column 1) and · (column 0)
        for col in range(4):
            bare_cell, shown = cell(unmarked, row, col), cell(marked, row, col)
            glyph = cols.get(col)
            if glyph is None:
                assert shown == bare_cell, (row, col)
            else:  # no colour: the glyph in the middle of the cell's shades
                middle = (width - 1) // 2
                whole = unmarked[row][6 + col * width : 6 + (col + 1) * width]
                assert shown == (whole[:middle] + glyph + whole[middle + 1 :]).strip()
    said = next(line for line in lines if "peak" in line).strip()
    assert said == "◆ peak  ▲ first ≥ 0.5  ▪ excludes 0.5"  # · was drawn over: not named


def test_print_mode_without_marks_is_unchanged_and_a_note_stands_in_for_them() -> None:
    assert plain(figure()) == plain(figure(mark_texts={HIT: "x"}))
    noted = plain(figure(mark_note="marks show when every cell is printed (--full)"))
    assert sum("marks show" in line for line in noted) == 1
