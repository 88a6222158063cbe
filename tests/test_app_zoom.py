"""Pilot tests of zoom, reducer cycling, go-to and the sampled range of big matrices."""

from __future__ import annotations

import numpy as np
import pytest
from app_helpers import grid_of, line_text, matrix_app, status_text, viewer

from tuiheat.core import HeatMatrix
from tuiheat.core.readout import format_value
from tuiheat.core.zoom import Zoom
from tuiheat.screens.goto import parse_goto

SIZE = (120, 40)


async def settle(app, pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait until background workers (zoom, range, margins) are done and their results shown."""
    from textual.worker import WorkerCancelled

    for _ in range(20):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            continue
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            return


@pytest.fixture
def values() -> np.ndarray:
    return np.random.default_rng(4).random((256, 300))


async def test_zoom_out_reduces_blocks_and_says_so(values: np.ndarray) -> None:
    app = matrix_app(values)
    async with app.run_test(size=SIZE) as pilot:
        grid = grid_of(app)
        await pilot.press("minus")
        await settle(app, pilot)
        assert grid.state.zoom == Zoom(2, 2, "mean")
        assert grid.matrix.shape == (128, 150)
        block = values[0:2, 0:2]
        assert (
            status_text(app)
            == f"Layer 0–1 │ Token 0–1 │ {format_value(block.mean())} (mean of 2×2)"
        )
        assert "1 cell = 2×2 values, mean" in str(app.query_one("#titlebar").render())
        await pilot.press("r")
        await settle(app, pilot)
        assert grid.state.zoom.reducer == "max"
        assert status_text(app).endswith(f"{format_value(block.max())} (max of 2×2)")
        await pilot.press("r", "r")
        await settle(app, pilot)
        assert grid.state.zoom.reducer == "nearest"
        assert status_text(app).startswith(f"Layer 0–1 │ Token 0–1 │ {format_value(values[0, 0])}")


async def test_fit_then_zoom_in_centres_on_the_cursor_block(values: np.ndarray) -> None:
    app = matrix_app(values)
    async with app.run_test(size=SIZE) as pilot:
        grid = grid_of(app)
        await pilot.press("z")
        await settle(app, pilot)
        fr, fc = grid.state.zoom.row_factor, grid.state.zoom.col_factor
        assert fr > 1 and fc > 1
        assert grid.matrix.n_rows <= grid.visible_rows
        await pilot.press("j", "j", "l")
        r0, r1, c0, c1 = grid.state.zoom.block(*grid.state.cursor.cell, values.shape)
        await pilot.press("plus")
        await settle(app, pilot)
        assert grid.state.zoom.row_factor == fr // 2
        r0n, r1n, c0n, c1n = grid.state.zoom.block(*grid.state.cursor.cell, values.shape)
        assert r0 <= r0n <= r1n <= r1 and c0 <= c0n <= c1n <= c1  # inside the block it came from
        for _ in range(10):
            await pilot.press("plus")
            await settle(app, pilot)
        assert grid.state.zoom.is_identity and grid.matrix is viewer(app).matrix
        assert app._notifications and "At full resolution" in list(app._notifications)[-1].message
    fits = matrix_app(np.random.default_rng(3).random((28, 40)))  # whole at 1:1 on SIZE
    async with fits.run_test(size=(120, 40)) as pilot:
        grid = grid_of(fits)
        for key in ("minus", "minus", "minus", "z"):  # z fits the screen, not the narrow grid
            await pilot.press(key)
            await settle(fits, pilot)
        assert grid.state.zoom.is_identity


async def test_boxes_survive_zoom_and_stats_stay_exact(values: np.ndarray) -> None:
    app = matrix_app(values)
    async with app.run_test(size=SIZE) as pilot:
        grid = grid_of(app)
        await pilot.press("b", "j", "j", "j", "l", "enter")  # base rows 0-3, cols 0-1
        await pilot.press("minus")
        await settle(app, pilot)
        assert grid.state.boxes[0].r1 == 3 and grid.state.boxes[0].c1 == 1
        info = str(app.query_one("#boxinfo").render())
        assert info.startswith("box 1 Layer 0–3 × 0…1 (8 cells)")
        assert f"mean {format_value(values[0:4, 0:2].mean())}" in info
        assert grid.state.cursor.cell == (1, 0)  # base (3, 1) lies in view block (1, 0)
        await pilot.press("l", "b", "j", "enter")  # drawn on view blocks rows 1-2, column 1
        box = grid.state.boxes[1]
        assert (box.r0, box.r1, box.c0, box.c1) == (2, 5, 2, 3)  # every base cell of those blocks


async def test_goto_by_label_and_index() -> None:
    matrix = np.arange(40.0).reshape(5, 8)
    app = matrix_app(
        matrix, col_labels=tuple("abcdefgh"), row_labels=("L0", "L1", "L2", "L3", "L4")
    )
    async with app.run_test(size=SIZE) as pilot:
        grid = grid_of(app)
        await pilot.press("colon")
        await pilot.press(*"L3,f", "enter")
        await pilot.pause()
        assert grid.state.cursor.cell == (3, 5)
        await pilot.press("colon", *",#1", "enter")
        await pilot.pause()
        assert grid.state.cursor.cell == (3, 1)
        await pilot.press("colon", *"nope", "enter")
        await pilot.pause()
        assert "no row labelled 'nope'" in str(app.screen.query_one("#error").render())
        await pilot.press("escape")
        assert grid.state.cursor.cell == (3, 1)


def test_parse_goto() -> None:
    m = HeatMatrix(np.zeros((4, 3)), row_labels=("0", "1", "2", "3"), col_labels=("x", "y,z", "w"))
    assert parse_goto("2", m) == (2, None)
    assert parse_goto("2,y,z", m) == (2, 1)
    assert parse_goto(",w", m) == (None, 2)
    assert parse_goto("w", m) == (None, 2)
    assert parse_goto("#3, #0", m) == (3, 0)


async def test_big_matrix_starts_from_a_sample_and_refines(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tuiheat.app import TuiheatApp
    from tuiheat.core.scale import default_range
    from tuiheat.loaders import load
    from tuiheat.session.config import ViewerConfig

    values = np.random.default_rng(0).random((2100, 2100)).astype(np.float32) * 0.5 + 0.25
    values[1234, 567] = 7.0  # outside every sampled row: only the full scan finds it
    path = tmp_path / "big.npy"
    np.save(path, values)
    matrix = load(str(path))
    sampled = default_range(matrix, sample=True)
    assert sampled.provisional and sampled.vmax < 7.0
    app = TuiheatApp(ViewerConfig.for_matrix(matrix, vrange=sampled))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.4)  # the full scan starts once the first frame is out
        await settle(app, pilot)
        assert not viewer(app).vrange.provisional and viewer(app).vrange.vmax == 7.0
        assert grid_of(app).scale.vrange.vmax == 7.0
        assert "≈" not in str(app.query_one("#titlebar").render())


async def test_half_blocks_show_two_rows_per_line() -> None:
    from app_helpers import seed_app

    app = seed_app()
    async with app.run_test(size=(100, 30)) as pilot:
        grid = grid_of(app)
        # 32 rows fit 30 lines only with half blocks: on by themselves, and the title says so
        assert grid.state.half and grid.visible_rows >= 32
        assert "half blocks (H)" in str(app.query_one("#titlebar").render())
        await pilot.press("H")  # off, and it stays the user's choice
        assert not grid.state.half and grid.visible_rows < 32
        assert "half blocks" not in str(app.query_one("#titlebar").render())
        await pilot.resize_terminal(100, 31)
        await pilot.pause()
        assert not grid.state.half
        await pilot.press("H")
        assert grid.state.half and grid.visible_rows >= 32
        line = grid.cell_segments(2)
        assert line_text(line).startswith("    2 ▀")
        lay = grid.grid_layout
        top, bottom = viewer(app).matrix.value(2, 0), viewer(app).matrix.value(3, 0)
        palette = lay.painter.palette
        from tuiheat.core.scale import default_range, to_bins

        bins = to_bins(np.array([top, bottom]), default_range(viewer(app).matrix), palette.size)
        cell = line[1]
        assert cell.style.color.triplet.hex == palette.hex(int(bins[0]))  # type: ignore[union-attr]
        assert cell.style.bgcolor.triplet.hex == palette.hex(int(bins[1]))  # type: ignore[union-attr]
        await pilot.press("j", "j", "j")
        assert grid.state.cursor.row == 3 and line_text(grid.cell_segments(3)).startswith("    3 ")
        await pilot.press("G")
        assert grid.state.cursor.row == 31
        await pilot.press("H")
        assert not grid.state.half


async def test_half_blocks_need_colour() -> None:
    from app_helpers import seed_app

    app = seed_app(color_mode="none")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("H")
        assert not grid_of(app).state.half
