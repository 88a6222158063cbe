"""A remote store's chunks are fetched, and a reduction over a big store is made, before
the view moves: the screen keeps the last view and takes keys, the title bar shows the
progress, the next key steps from the view on its way, Esc stops it."""

from __future__ import annotations

import threading

import numpy as np
from app_helpers import grid_of, until, viewer

from tuiheat.app import TuiheatApp
from tuiheat.core.chunkcache import ChunkCache, ChunkSource
from tuiheat.core.tensor import Tensor, default_spec, slice_matrix
from tuiheat.session.config import ViewerConfig

SIZE = (120, 40)


class Remote:
    """A chunked array whose reads wait while the network is ``slow`` (the gate closed)."""

    def __init__(self, values: np.ndarray, chunks: tuple[int, ...]) -> None:
        self.values, self.chunks = values, chunks
        self.shape, self.dtype = values.shape, values.dtype
        self.gate = threading.Event()
        self.gate.set()

    def __getitem__(self, where: object) -> np.ndarray:
        assert self.gate.wait(20), "a read waited for the test too long"
        return self.values[where]  # type: ignore[index]


async def test_a_remote_store_is_read_before_the_view_moves_and_the_next_key_replaces_it() -> None:
    values = np.random.default_rng(5).random((2, 1200, 1600)).astype(np.float32)
    remote = Remote(values, (1, 100, 100))
    cache = ChunkCache(2 * 1024**2)  # a few chunks: every jump fetches
    cache.remote = True
    tensor = Tensor.of_chunks(ChunkSource(remote, cache), names=("layer", "row", "col"))
    spec = default_spec(tensor)
    config = ViewerConfig.for_matrix(
        slice_matrix(tensor, spec), tensor=tensor, spec=spec, array_name="acts"
    )
    app = TuiheatApp(config)
    async with app.run_test(size=SIZE) as pilot:
        grid, view = grid_of(app), viewer(app).heatview
        titlebar = app.query_one("#titlebar")
        while not grid.state.zoom.is_identity:  # full resolution: cells read from the store
            await pilot.press("plus")
            await until(pilot, lambda: view.pending is None)
        await pilot.pause(1.0)  # the background passes over the store are done
        cache.clear()  # what the background passes read: gone, as in a cache smaller than them
        remote.gate.clear()  # the network is slow from now on
        await pilot.press("G")
        assert grid.state.cursor.cell == (0, 0)  # the last view stays, keys still come
        assert view.fetch is not None and view.fetch.state.cursor.cell == (1199, 0)
        await until(pilot, lambda: "reading" in titlebar.info_text)
        assert "(Esc stops)" in titlebar.info_text
        await pilot.press("k")  # steps from the view on its way
        assert view.fetch.state.cursor.cell == (1198, 0) and grid.state.cursor.cell == (0, 0)
        remote.gate.set()
        await until(pilot, lambda: grid.state.cursor.cell == (1198, 0))
        assert view.fetch is None and "reading" not in titlebar.info_text
        np.testing.assert_array_equal(
            grid.matrix.window(1190, 1199, 0, 5), values[0, 1190:1199, :5]
        )
        remote.gate.clear()
        await pilot.press("right_square_bracket")  # the next layer: its chunks first
        assert view.fetch is not None and view.fetch.panes is not None
        assert "layer 0" in titlebar.title_text
        await pilot.press("escape")
        assert view.fetch is None
        remote.gate.set()
        await pilot.pause(0.3)
        assert "layer 0" in titlebar.title_text and grid.state.cursor.cell == (1198, 0)
        cache.clear()
        remote.gate.clear()
        await pilot.press("right_square_bracket", "j")  # the next layer, one row down
        assert view.fetch is not None and view.fetch.state.cursor.cell == (1199, 0)
        assert "layer 0" in titlebar.title_text and grid.state.cursor.cell == (1198, 0)
        remote.gate.set()
        await until(pilot, lambda: "layer 1" in titlebar.title_text)
        assert grid.state.cursor.cell == (1199, 0)
        np.testing.assert_array_equal(
            grid.matrix.window(1190, 1199, 0, 5), values[1, 1190:1199, :5]
        )
        # a: the mean over layers, a pass over a remote store: made in a worker, keys go on
        remote.gate.clear()
        await pilot.press("a")
        assert view.fetch is not None and view.fetch.making and "layer 1" in titlebar.title_text
        await until(pilot, lambda: "making the mean over layer" in titlebar.info_text)
        await pilot.press("k")  # moves the view on its way: the pass goes on
        assert grid.state.cursor.cell == (1199, 0) and view.fetch.state.cursor.cell == (1198, 0)
        remote.gate.set()
        await until(pilot, lambda: "layer mean" in titlebar.title_text)
        assert grid.state.cursor.cell == (1198, 0)
        mean = values.astype(np.float64).mean(axis=0)
        np.testing.assert_allclose(grid.matrix.window(1190, 1199, 0, 5), mean[1190:1199, :5])
        remote.gate.clear()
        await pilot.press("a")  # the max: Esc stops it, the mean stays
        assert view.fetch is not None and view.fetch.making
        await pilot.press("escape")
        remote.gate.set()
        await pilot.pause(0.3)
        assert view.fetch is None and "layer mean" in titlebar.title_text
