"""A zoom of a big matrix prepared in a worker: keys meanwhile step from it, in order; a
newer request replaces it; Esc stops it; coarser levels come from the overview at once."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
from app_helpers import grid_of, matrix_app, until, viewer

from tuiheat.core.panes import Pane
from tuiheat.core.readout import format_value
from tuiheat.core.zoom import reduce_blocks, zoom_step
from tuiheat.widgets.peaksearch import Search

SIZE = (120, 40)


@pytest.fixture
def big() -> np.ndarray:
    return np.random.default_rng(0).random((4096, 4096)).astype(np.float32)


def gated(monkeypatch) -> threading.Event:  # type: ignore[no-untyped-def]
    """Preparing waits for the gate (or a cancel), so a test can press keys meanwhile."""
    gate = threading.Event()
    real = Pane.prepare

    def slow(self, zoom, cancelled=None, progress=None):  # type: ignore[no-untyped-def]
        while not gate.is_set():
            if cancelled is not None and cancelled():
                return False
            time.sleep(0.01)
        return real(self, zoom, cancelled, progress)

    monkeypatch.setattr(Pane, "prepare", slow)
    return gate


async def test_keys_during_a_slow_zoom_step_from_it(big, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    gate = gated(monkeypatch)
    app = matrix_app(big)
    async with app.run_test(size=SIZE) as pilot:
        grid, view = grid_of(app), viewer(app).heatview
        await pilot.press("z")
        fit = view.pending
        assert fit is not None and grid.state.zoom.is_identity  # still the old view
        await pilot.press("minus")  # from the zoom on its way, not from the screen
        wanted = zoom_step(fit, big.shape, out=True)
        assert view.pending == wanted
        gate.set()
        await until(pilot, lambda: grid.state.zoom == wanted)
        await pilot.pause(0.3)
        assert grid.state.zoom == wanted  # the replaced request never lands
        fr, fc = wanted.row_factor, wanted.col_factor
        exact = reduce_blocks(big.astype(np.float64), fr, fc, "mean")
        np.testing.assert_allclose(grid.matrix.window(0, 3, 0, 3), exact[:3, :3])


async def test_escape_stops_a_zoom_and_any_key_a_search_being_prepared(big, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    gate = gated(monkeypatch)
    real_run = Search.run

    def slow_search(self, watch=None):  # type: ignore[no-untyped-def]
        gate.wait(10)
        return real_run(self, watch)

    monkeypatch.setattr(Search, "run", slow_search)
    app = matrix_app(big)
    async with app.run_test(size=SIZE) as pilot:
        grid, view = grid_of(app), viewer(app).heatview
        await pilot.press("z")
        assert view.pending is not None
        await pilot.press("circumflex_accent")  # not over the blocks of the zoom left behind
        assert view.peaks.searching is None and grid.state.cursor.cell == (0, 0)
        await pilot.press("escape")
        assert view.pending is None
        await pilot.press("circumflex_accent")  # a big matrix: searched in a thread
        assert view.peaks.searching is not None and grid.state.cursor.cell == (0, 0)
        assert "finding the maximum" in app.query_one("#titlebar").info_text
        await pilot.press("j")  # the next key stops it: its answer never lands
        assert (
            view.peaks.searching is None and "finding" not in app.query_one("#titlebar").info_text
        )
        gate.set()
        await pilot.pause(0.5)
        assert grid.state.zoom.is_identity and grid.state.cursor.cell == (1, 0)
        await pilot.press("circumflex_accent")
        peak = np.unravel_index(np.argmax(big), big.shape)
        await until(pilot, lambda: grid.state.cursor.cell == peak)
        assert str(app.query_one("#boxinfo").render()).startswith(
            f"max {format_value(float(big.max()))} at Layer {peak[0]}, Token {peak[1]}"
        )


async def test_the_overview_serves_every_coarser_level_at_once(big) -> None:  # type: ignore[no-untyped-def]
    app = matrix_app(big)
    async with app.run_test(size=SIZE) as pilot:
        grid = grid_of(app)
        await pilot.press("z")
        await until(pilot, lambda: not grid.state.zoom.is_identity)
        pane = viewer(app).heatview.panes.shown[0]
        assert pane._overview is not None
        fit = grid.state.zoom
        await pilot.press("minus")  # coarser: derived from the overview, no worker
        assert (
            viewer(app).heatview.pending is None
            and grid.state.zoom.row_factor == 2 * fit.row_factor
        )
        await pilot.press("r")  # another reducer: its statistic is built once, then served
        await until(pilot, lambda: grid.state.zoom.reducer == "max")
        f = grid.state.zoom
        exact = reduce_blocks(big.astype(np.float64), f.row_factor, f.col_factor, "max")
        np.testing.assert_allclose(grid.matrix.window(0, 2, 0, 2), exact[:2, :2])
