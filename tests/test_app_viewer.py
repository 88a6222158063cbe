"""Pilot tests: keys move the cursor, the readout and the cells show the right things."""

from __future__ import annotations

import numpy as np
import pytest
from app_helpers import (
    cell_bg,
    grid_of,
    line_text,
    matrix_app,
    screen_lines,
    seed_app,
    status_text,
    viewer,
)

from tuiheat.core import default_range, to_bins
from tuiheat.core.colormap import get_palette
from tuiheat.core.readout import format_value

SIZE = (100, 40)


async def test_starts_on_the_first_cell_with_a_readout_of_the_design() -> None:
    app = seed_app()
    async with app.run_test(size=SIZE) as pilot:
        assert grid_of(app).state.cursor.cell == (0, 0)
        assert status_text(app) == "Layer 0 │ Token last_q │ 0.975"
        await pilot.press(*["j"] * 13, *["l"] * 4)
        assert status_text(app) == "Layer 13 │ Token exact_answer_first │ 0.843"


async def test_arrow_and_vi_keys_move_and_readout_follows() -> None:
    app = seed_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right", "l", "l", "down", "j")
        grid = grid_of(app)
        assert grid.state.cursor.cell == (2, 3)
        expected = format_value(viewer(app).matrix.value(2, 3))
        assert status_text(app) == f"Layer 2 │ Token exact_answer_before_first │ {expected}"
        await pilot.press("left", "h", "up", "k")
        assert grid.state.cursor.cell == (0, 1)


async def test_jumps_clamping_and_peaks() -> None:
    app = seed_app()
    async with app.run_test(size=SIZE) as pilot:
        grid = grid_of(app)
        boxinfo = app.query_one("#boxinfo")
        await pilot.press("G", "circumflex_accent")  # ^: the maximum, ties in reading order
        values = viewer(app).matrix.as_float()
        top = np.argwhere(values == values.max())
        assert grid.state.cursor.cell == tuple(top[0]) == (0, 0)
        assert str(boxinfo.render()) == (
            f"max 0.975 at Layer 0, Token last_q │ 1 of {len(top)} cells at this value"
            " │ ^ again: 2nd highest"
        )
        assert status_text(app) == "Layer 0 │ Token last_q │ 0.975"  # the readout agrees
        await pilot.press("circumflex_accent")  # again: the next cell of the same value
        assert grid.state.cursor.cell == tuple(top[1])
        assert str(boxinfo.render()).startswith("2nd highest 0.975 at Layer 1, Token last_q")
        await pilot.press("underscore", "underscore")  # _: the minimum, then the next lowest
        order = np.argsort(values, axis=None, kind="stable")
        assert grid.state.cursor.cell == np.unravel_index(order[1], values.shape)
        assert str(boxinfo.render()).startswith("2nd lowest ")
        await pilot.press("k")  # the cursor moves on: the line has nothing more to say
        assert str(boxinfo.render()) == ""
        await pilot.press("g", "0")
        await pilot.press("G")
        assert grid.state.cursor.row == 31
        await pilot.press("dollar_sign")
        assert grid.state.cursor.cell == (31, 13)
        await pilot.press("down", "right")  # already at the edge: nothing moves
        assert grid.state.cursor.cell == (31, 13)
        await pilot.press("g", "0")
        assert grid.state.cursor.cell == (0, 0)
        await pilot.press("end", "home", "end")
        assert grid.state.cursor.cell == (0, 13)
        await pilot.press("up", "left", "home")
        assert grid.state.cursor.cell == (0, 0)


async def test_page_keys_move_a_screen_of_rows_and_the_grid_follows_the_cursor() -> None:
    app = matrix_app(np.arange(200 * 5).reshape(200, 5))
    async with app.run_test(size=(80, 24)) as pilot:
        grid = grid_of(app)
        step = grid.visible_rows
        assert 5 < step < 24
        await pilot.press("pagedown")
        assert grid.state.cursor.row == step
        await pilot.press("pagedown", "pageup")
        assert grid.state.cursor.row == step
        await pilot.press("pageup", "pageup")
        assert grid.state.cursor.row == 0
    values = np.arange(300 * 120, dtype=np.float64).reshape(300, 120)
    app = matrix_app(values)
    async with app.run_test(size=(80, 24)) as pilot:
        grid = grid_of(app)
        await pilot.press("G", "end")
        await pilot.pause()
        assert grid.state.cursor.cell == (299, 119)
        assert grid.top_row + grid.visible_rows - 1 == 299
        assert grid.left_col + grid.visible_cols - 1 == 119
        text = line_text(grid.cell_segments(299))
        assert text.lstrip().startswith("299 ")
        assert "▐" in text  # the cursor is drawn on screen
        assert status_text(app) == "Layer 299 │ Token 119 │ 35999.000"


async def test_cell_colours_follow_the_values() -> None:
    app = seed_app()
    async with app.run_test(size=SIZE):
        palette = get_palette("blues")
        vrange = default_range(viewer(app).matrix)
        for row, col in [(0, 1), (5, 7), (31, 13), (20, 3)]:
            expected_bin = int(
                to_bins(np.array([viewer(app).matrix.value(row, col)]), vrange, palette.size)[0]
            )
            assert cell_bg(app, row, col) == palette.hex(expected_bin)
        # darker (lower lightness) where higher: layer 0 first_answer vs layer 0 token -8
        assert viewer(app).matrix.value(0, 1) > viewer(app).matrix.value(0, 6)


async def test_row_and_header_lines_show_labels() -> None:
    app = seed_app()
    async with app.run_test(size=SIZE):
        grid = grid_of(app)
        header = [
            line_text(list(grid.render_line(y))) for y in range(grid.grid_layout.header_height)
        ]
        assert "Token" in header[0]
        assert header[-1].startswith("Layer")
        assert "-8" in header[-1] and " ⓐ " in header[-1]  # a key never reads as a token
        assert line_text(grid.cell_segments(13)).startswith("   13 ")


async def test_only_the_changed_cells_are_repainted() -> None:
    app = seed_app()
    async with app.run_test(size=SIZE) as pilot:
        grid = grid_of(app)
        await pilot.pause()
        grid._repaint_regions.clear()
        viewer(app).heatview.action_move(0, 1)
        regions = list(grid._repaint_regions)
        assert regions, "the cursor step must repaint something"
        assert all(r.height <= grid.grid_layout.header_height for r in regions)
        assert sum(r.width * r.height for r in regions) < 60


async def test_click_moves_the_cursor() -> None:
    app = seed_app()
    async with app.run_test(size=SIZE) as pilot:
        grid = grid_of(app)
        lay = grid.grid_layout
        await pilot.click(
            "#grid", offset=(lay.gutter + 3 * lay.cell_width + 1, lay.header_height + 5)
        )
        assert grid.state.cursor.cell == (5, 3)


async def test_help_screen_lists_keys_and_closes() -> None:
    from tuiheat.screens.help import HelpScreen

    app = seed_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("q")
    assert app.return_code == 0


@pytest.mark.parametrize("size", [(20, 6), (1, 1), (30, 8), (200, 60)])
async def test_tiny_and_huge_terminals_never_crash(size: tuple[int, int]) -> None:
    app = seed_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        if size == (30, 8):  # the legend of keys gives way to a few rows of the grid
            assert any(line.startswith("    0 ") for line in screen_lines(app))
        await pilot.press("j", "l", "G", "dollar_sign", "pagedown", "pageup")
        row, col = grid_of(app).state.cursor.cell
        assert 0 <= row <= 31 and col == 13
        await pilot.resize_terminal(80, 24)
        await pilot.press("k", "h")
        await pilot.resize_terminal(*size)
        await pilot.pause()
        assert grid_of(app).state.cursor.cell == (max(0, row - 1), 12)


async def test_markup_and_escapes_in_labels_are_data() -> None:
    app = matrix_app(
        np.eye(2),
        row_labels=("[/INST]", "\x1b]0;x\x07"),
        col_labels=("[@click=app.quit]", "[bold]b"),
        title="[red]t",
    )
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.press("j", "l")
        assert status_text(app) == "Layer ␛]0;x␇ │ Token [bold]b │ 1.000"
        grid = grid_of(app)
        text = line_text(grid.cell_segments(0))
        assert "[/INST]" in text
        assert app.is_running


async def test_256_colour_mode_uses_palette_numbers_and_no_colour_shades() -> None:
    app = seed_app(color_mode="256")
    async with app.run_test(size=SIZE):
        grid = grid_of(app)
        cells = grid.cell_segments(3)[1:-1]  # between the row label and the margin glyph
        styles = [s.style for s in cells if s.style and s.style.bgcolor]
        assert styles and all(s.bgcolor.number is not None for s in styles)  # type: ignore[union-attr]
        assert "256 colours" in str(app.query_one("#titlebar").render())
    app = seed_app(color_mode="none")
    async with app.run_test(size=SIZE):
        text = line_text(grid_of(app).cell_segments(0))
        assert "█" in text and "░" in text


def glyphs_at(app, row: int) -> list[str]:  # type: ignore[no-untyped-def]
    """What each visible cell of ``row`` shows, stripped (a glyph, or nothing)."""
    grid = grid_of(app)
    lay, text = grid.grid_layout, line_text(grid.cell_segments(row))
    cw, n = lay.cell_width, min(grid.visible_cols, grid.matrix.n_cols - grid.left_col)
    return [text[lay.gutter + i * cw : lay.gutter + (i + 1) * cw].strip() for i in range(n)]


async def test_cells_below_the_auc_scale_are_marked_and_counted_in_the_title(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tuiheat.screens.emergeprompt import EmergeScreen
    from tuiheat.widgets.titlebar import TitleBar

    values = np.full((6, 5), 0.8)
    values[2, 3] = 0.489
    values[4, 1] = 0.9
    app = matrix_app(values)
    async with app.run_test(size=(80, 20)) as pilot:
        title = app.query_one(TitleBar)
        rule = "(AUC: in [0,1], median ≥ 0.5, Q1 ≥ 0.4)"
        assert f"0.5–1.0 {rule} · 1 cell below 0.5 ▾" in title.info_text
        shown = str(title.render())  # 80 columns: the rule is named, the count stays
        assert rule not in shown and "0.5–1.0 (AUC) · 1 cell below 0.5 ▾ · truecolor" in shown
        grid = grid_of(app)
        assert "▾" in line_text(grid.cell_segments(2)) and "▾" not in line_text(
            grid.cell_segments(1)
        )
        # P marks each column's peak row (ties: the first), E the row from which it stays
        # at or above X; computed in a worker past BIG_CELLS (here: any matrix).
        monkeypatch.setattr("tuiheat.app.columnmarks.BIG_CELLS", 1)
        await pilot.press("G", "P")  # the cursor out of the way, on the last row
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert glyphs_at(app, 0) == ["◆", "", "◆", "◆", "◆"]
        assert glyphs_at(app, 4)[1] == "◆" and "◆" not in glyphs_at(app, 3)
        boxinfo = app.query_one("#boxinfo")
        assert str(boxinfo.render()) == "◆ peak layer per token"
        await pilot.press("E")
        assert isinstance(app.screen, EmergeScreen)
        await pilot.press(*"0.8", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert glyphs_at(app, 3) == ["", "", "", "▲", ""]  # column 3 dips below at row 2
        assert glyphs_at(app, 0) == ["◆", "▲", "◆", "◆", "◆"]  # a peak wins where both fall
        assert "▲ first layer staying ≥ 0.8" in str(boxinfo.render())
        await pilot.press("minus")  # zoomed out: a block holds many rows
        await pilot.pause()
        assert "marks show at 1:1" in str(boxinfo.render())
        await pilot.press("plus", "P", "E", "enter")  # P off; an empty answer: E off
        await pilot.pause()
        assert "◆" not in line_text(grid.cell_segments(0)) and str(boxinfo.render()) == ""
        assert "▲" not in line_text(grid.cell_segments(3))
