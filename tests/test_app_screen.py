"""The screen's plan applied: every row on screen, wide cells, labels and legends that read."""

from __future__ import annotations

from app_helpers import status_text


async def test_the_seed_uses_the_screen_at_every_size() -> None:
    from app_helpers import grid_of, seed_app

    for size, half in (((80, 24), True), ((120, 40), False), ((200, 60), False)):
        app = seed_app()
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            grid = grid_of(app)
            assert grid.visible_rows >= 32, size  # every layer on screen
            assert grid.state.half == half, size
            cells = grid.grid_layout.cell_width * 14
            assert cells >= 0.55 * size[0], size  # the cells take most of the width
            legend = str(app.query_one("#legend").render())
            keyed = grid.grid_layout.header.legend
            assert all(label in legend for _, label in keyed), size  # keys: legend on screen


async def test_zoom_to_fit_keeps_rows_that_fit_and_merges_only_columns() -> None:
    import numpy as np
    from app_helpers import grid_of, matrix_app

    values = np.random.default_rng(0).random((32, 4096))
    app = matrix_app(values)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("z")
        await pilot.pause()
        grid = grid_of(app)
        zoom = grid.state.zoom
        assert zoom.row_factor == 1 and zoom.col_factor > 1
        assert grid.visible_rows >= 32 and grid.visible_cols >= grid.matrix.n_cols
        header = grid.grid_layout.header
        assert header.mode == "ticks"  # the blocks' first labels, not stacked digits
        assert header.text(0, 0, 2).split()[0] == "0"
        assert "Token 0–" in status_text(app)  # the readout names the block


async def test_transposed_labels_are_ticks_not_keys() -> None:
    from app_helpers import grid_of, seed_app

    app = seed_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        header = grid_of(app).grid_layout.header
        assert header.mode in ("horizontal", "ticks") and not header.legend
