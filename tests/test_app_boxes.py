"""Pilot tests of drawing, keeping, cancelling, deleting, jumping and saving boxes."""

from __future__ import annotations

import numpy as np
import pytest
from app_helpers import grid_of, line_text, matrix_app, seed_app, until, viewer

from tuiheat.core import Box, panes
from tuiheat.core.readout import format_value
from tuiheat.core.stats import box_stats
from tuiheat.loaders.sidecar import sidecar_path
from tuiheat.session.open import load_input
from tuiheat.session.options import Options

SIZE = (110, 42)


def boxinfo(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.query_one("#boxinfo").render()).strip()


@pytest.fixture(params=["at once", "in a worker"])
def quick(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Box statistics read by the key, or (as over a big file) by a worker: the same line."""
    if request.param == "in a worker":
        monkeypatch.setattr(panes, "QUICK_CELLS", 0)
    return str(request.param)


async def test_draw_keep_and_read_statistics(quick: str) -> None:
    values = np.arange(30.0).reshape(5, 6)
    values[1, 1] = np.nan
    app = matrix_app(values)
    async with app.run_test(size=SIZE) as pilot:
        grid = grid_of(app)
        await pilot.press("j", "l", "b", "j", "j", "l", "l")
        assert grid.state.draft == Box(1, 3, 1, 3)
        assert boxinfo(app).startswith("drawing Layer 1–3 × 1…3 (9 cells)")
        # rows may be taller than a line: the top edge runs on row 1's first line of its own
        first = grid.grid_layout.header_height + grid.row_lines.full_lines(1)[0] - grid.top_line
        text = line_text(list(grid.render_line(first)))
        assert "╌" in text  # the box being drawn is dashed
        await pilot.press("enter")
        assert grid.state.draft is None and grid.state.boxes == (Box(1, 3, 1, 3),)
        inside = values[1:4, 1:4]
        mean = np.nanmean(inside)
        await until(
            pilot, lambda: "outside …" not in boxinfo(app) and "reading" not in boxinfo(app)
        )
        info = boxinfo(app)
        assert info.startswith("box 1 Layer 1–3 × 1…3 (9 cells, 1 NaN)")
        assert f"mean {format_value(mean)}" in info
        assert "min 8.000" in info and "max 21.000 @ 3,3" in info
        outside = np.concatenate([values[0], values[4], values[1:4, [0, 4, 5]].ravel()])
        assert f"outside {format_value(outside.mean())}" in info
        first, last = grid.row_lines.full_lines(1)[0], grid.row_lines.full_lines(3)[-1]
        y = grid.grid_layout.header_height - grid.top_line
        assert "┌" in line_text(list(grid.render_line(y + first)))
        assert "└" in line_text(list(grid.render_line(y + last)))
        await pilot.press("k", "k", "k")
        assert boxinfo(app) == ""


async def test_escape_cancels_and_b_twice_keeps() -> None:
    app = seed_app()
    async with app.run_test(size=SIZE) as pilot:
        grid = grid_of(app)
        before = grid.state.boxes
        await pilot.press("b", "j", "l", "escape")
        assert grid.state.draft is None and grid.state.boxes == before
        await pilot.press("b", "j", "b")
        assert grid.state.boxes == (*before, Box(1, 2, 1, 1))


async def test_delete_and_jump_between_boxes() -> None:
    app = seed_app()
    async with app.run_test(size=SIZE) as pilot:
        grid = grid_of(app)
        assert grid.state.boxes == (Box(4, 28, 1, 13, "signal"),)
        await pilot.press("b", "l", "enter")  # a second box at the top-left
        await pilot.press("n")
        assert grid.state.cursor.cell == (4, 1)
        assert boxinfo(app).startswith("box signal Layer 4–28 × first_answer…-1 (325 cells)")
        await pilot.press("n")
        assert grid.state.cursor.cell == (0, 0)
        await pilot.press("N")
        assert grid.state.cursor.cell == (4, 1)
        await pilot.press("x")
        assert grid.state.boxes == (Box(0, 0, 0, 1),)
        await pilot.press("x")  # nothing under the cursor: a warning, nothing deleted
        assert grid.state.boxes == (Box(0, 0, 0, 1),)


async def test_seed_box_statistics_are_exact() -> None:
    app = seed_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        stats = box_stats(viewer(app).matrix, Box(4, 28, 1, 13))
        info = boxinfo(app)
        assert f"mean {format_value(stats.mean)}" in info
        assert f"max {format_value(stats.max)}" in info
        await pilot.press("circumflex_accent")  # inside a box: the box's maximum
        grid = grid_of(app)
        assert grid.state.cursor.cell == stats.argmax
        assert boxinfo(app).startswith(f"max of box signal: {format_value(stats.max)} at Layer")
        await pilot.press("circumflex_accent")  # again: the box's next highest, not the slice's
        inside = viewer(app).matrix.as_float()[4:29, 1:14]
        second = np.sort(inside, axis=None)[-2]
        row, col = grid.state.cursor.cell
        assert viewer(app).matrix.value(row, col) == second and (4 <= row <= 28 and 1 <= col <= 13)
        await pilot.press("underscore")
        assert grid.state.cursor.cell == stats.argmin


async def test_box_list_and_jump(quick: str) -> None:
    from tuiheat.screens.boxlist import BoxListScreen

    app = seed_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("B")
        assert isinstance(app.screen, BoxListScreen)
        listing = app.screen
        await until(pilot, lambda: not any(cell == "…" for row in listing.rows for cell in row))
        stats = box_stats(viewer(app).matrix, Box(4, 28, 1, 13))
        assert listing.rows[0][3] == format_value(stats.mean)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, BoxListScreen)
        assert grid_of(app).state.cursor.cell == (4, 1)


async def test_save_and_reload(tmp_path, seed_csv) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "auc.csv"
    data.write_bytes(seed_csv.read_bytes())
    options = Options(file=str(data))
    loaded = load_input(options, str(data), data, "auc.csv")
    from tuiheat.app import TuiheatApp
    from tuiheat.session.config import ViewerConfig

    app = TuiheatApp(ViewerConfig.for_matrix(loaded.matrix, data_path=data))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "b", "j", "j", "l", "enter", "q")
        assert app.is_running  # unsaved boxes: the first q only warns
        await pilot.press("w")
        await pilot.pause()
    assert sidecar_path(data).exists()
    assert data.read_bytes() == seed_csv.read_bytes()
    again = load_input(options, str(data), data, "auc.csv")
    assert again.matrix.boxes == (Box(1, 3, 0, 1),)


async def test_stdin_and_sample_boxes_cannot_be_saved() -> None:
    app = seed_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b", "enter", "w")
        await pilot.pause()
        assert any("cannot be saved" in n.message for n in app._notifications)
        await pilot.press("q")
    assert not app.is_running
