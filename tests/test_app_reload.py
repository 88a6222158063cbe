"""The file changing underneath the viewer: noticed, reloaded on Ctrl+R, a bad write survived."""

from __future__ import annotations

import numpy as np
from app_helpers import file_app, grid_of, viewer, wait_reloaded

from tuiheat.app import TuiheatApp
from tuiheat.core.stamp import file_stamp
from tuiheat.core.tensor import default_spec, slice_matrix
from tuiheat.loaders import load_tensor
from tuiheat.session.config import ViewerConfig


async def test_change_is_noticed_and_reload_keeps_the_cursor(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "m.npy"
    np.save(path, np.zeros((6, 5)))
    tensor = load_tensor(str(path))
    matrix = slice_matrix(tensor, default_spec(tensor))
    app = TuiheatApp(
        ViewerConfig.for_matrix(
            matrix,
            tensor=tensor,
            data_path=path,
            stamp=file_stamp(path),
            reloader=lambda: load_tensor(str(path)),
        )
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j", "l")
        np.save(path, np.arange(30.0).reshape(6, 5))
        await pilot.pause(1.3)
        assert any("changed on disk" in n.message for n in app._notifications)
        await pilot.press("ctrl+r")
        await wait_reloaded(app, pilot, 1)
        assert viewer(app).matrix.value(2, 1) == 11.0
        assert grid_of(app).state.cursor.cell == (2, 1)
        assert not app._notifications  # "changed on disk" is no longer true
        path.write_bytes(b"\x93NUMPY garbage: a job still writing")
        await pilot.press("ctrl+r")
        await wait_reloaded(app, pilot, 2)
        assert (
            viewer(app).files.error and viewer(app).matrix.value(2, 1) == 11.0
        )  # the last good data stays
        assert app.is_running


async def test_watch_reloads_by_itself(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "m.npy"
    np.save(path, np.zeros((3, 3)))
    app = file_app(path, watch=True)
    async with app.run_test(size=(80, 24)) as pilot:
        np.save(path, np.full((3, 3), 7.0))
        await pilot.pause(1.3)
        await wait_reloaded(app, pilot, 1)
        assert viewer(app).matrix.value(0, 0) == 7.0


async def test_watch_survives_a_half_written_file_and_picks_up_the_next_write(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tuiheat.widgets.titlebar import TitleBar

    path = tmp_path / "m.csv"
    path.write_text("a,b,c\n0.1,0.2,0.3\n0.4,0.5,0.6\n")
    app = file_app(path, watch=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "l", "b", "l", "enter")  # a box, the cursor at (1, 2)
        assert "watching" in app.query_one(TitleBar).info_text
        path.write_text("a,b,c\n0.9,0.9,0.9\n0.4,0.")  # the job is midway through a write
        await pilot.pause(1.3)
        await wait_reloaded(app, pilot, 1)
        assert viewer(app).files.error and viewer(app).matrix.value(0, 0) == 0.1
        assert "last good data" in app.query_one(TitleBar).info_text
        assert any("Reload failed" in n.message for n in app._notifications)
        path.write_text("a,b,c\n0.9,0.9,0.9\n0.8,0.7,0.6\n")  # the write completes
        await pilot.pause(1.3)
        await wait_reloaded(app, pilot, 1)
        assert viewer(app).reloads == 1 and not viewer(app).files.error
        assert viewer(app).matrix.value(1, 2) == 0.6
        assert grid_of(app).state.cursor.cell == (1, 2) and len(grid_of(app).state.boxes) == 1
        assert "watching" in app.query_one(TitleBar).info_text
