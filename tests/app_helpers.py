"""Building the viewer for Pilot tests without the command line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from rich.segment import Segment

from tuiheat.app import TuiheatApp
from tuiheat.app.screen import ViewerScreen
from tuiheat.core import HeatMatrix
from tuiheat.core.stamp import file_stamp
from tuiheat.core.tensor import default_spec, slice_matrix
from tuiheat.loaders import load, load_tensor
from tuiheat.session.config import ViewerConfig
from tuiheat.widgets.heatgrid import HeatGrid
from tuiheat.widgets.statusbar import StatusBar

from conftest import SEED_JSON


def seed_app(**kwargs) -> TuiheatApp:  # type: ignore[no-untyped-def]
    return TuiheatApp(ViewerConfig.for_matrix(load(str(SEED_JSON)), **kwargs))


def matrix_app(values: np.ndarray, **fields) -> TuiheatApp:  # type: ignore[no-untyped-def]
    return TuiheatApp(
        ViewerConfig.for_matrix(HeatMatrix(np.asarray(values, dtype=np.float64), **fields))
    )


def grid_of(app: TuiheatApp) -> HeatGrid:
    return app.query_one(HeatGrid)


def status_text(app: TuiheatApp) -> str:
    return str(app.query_one(StatusBar).render()).strip()


def screen_lines(app: TuiheatApp) -> list[str]:
    """The text of every line of the screen as the terminal would show it."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def line_text(segments: list[Segment]) -> str:
    return "".join(s.text for s in segments)


def cell_bg(app: TuiheatApp, row: int, col: int) -> str:
    """The hex background colour of matrix cell (row, col) as the grid draws it (must be visible)."""
    grid = grid_of(app)
    lay = grid.grid_layout
    segments = grid.cell_segments(row)
    x = lay.gutter + (col - grid.left_col) * lay.cell_width
    pos = 0
    for seg in segments:
        if pos <= x < pos + len(seg.text):
            assert seg.style is not None and seg.style.bgcolor is not None
            return seg.style.bgcolor.triplet.hex  # type: ignore[union-attr]
        pos += len(seg.text)
    raise AssertionError(f"cell {row},{col} is not on screen")


def file_app(path: Path, watch: bool = False, **kwargs) -> TuiheatApp:  # type: ignore[no-untyped-def]
    """The viewer of a file as the command line builds it: reloadable, optionally watched."""
    tensor = load_tensor(str(path))
    return TuiheatApp(
        ViewerConfig.for_matrix(
            slice_matrix(tensor, default_spec(tensor)),
            tensor=tensor,
            data_path=path,
            stamp=file_stamp(path),
            reloader=lambda: load_tensor(str(path)),
            watch=watch,
            **kwargs,
        )
    )


async def wait_reloaded(app: TuiheatApp, pilot, count: int, seconds: float = 4.0) -> None:  # type: ignore[no-untyped-def]
    """Wait until ``count`` reloads are done, or one has failed."""
    for _ in range(int(seconds / 0.05)):
        await pilot.pause(0.05)
        if viewer(app).reloads >= count or viewer(app).files.error:
            return


def viewer(app: TuiheatApp) -> ViewerScreen:
    """The viewer screen of the array on screen (under any prompt)."""
    screen = app.viewer
    assert screen is not None, "no array is open"
    return screen


async def until(pilot, condition, seconds: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    """Wait (letting the app run) until ``condition()`` holds; fail after ``seconds``."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("timed out")
