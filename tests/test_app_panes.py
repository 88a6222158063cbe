"""Pilot tests of N panes (``tuiheat A B C …``): side by side or in a grid of panels, one
scale, one cursor, one set of boxes, and D showing each pane minus the first."""

from __future__ import annotations

import numpy as np
import pytest
from app_helpers import grid_of, status_text, viewer

from tuiheat.app import TuiheatApp
from tuiheat.core import Box, HeatMatrix
from tuiheat.core.readout import format_value
from tuiheat.core.tensor import Tensor
from tuiheat.session.config import ViewerConfig
from tuiheat.widgets.heatgrid import HeatGrid

RNG = np.random.default_rng(11)
RUNS = [0.5 + 0.45 * RNG.random((12, 8)) for _ in range(6)]


def panes_app(n: int, runs: list[np.ndarray] = RUNS) -> TuiheatApp:
    names = [f"run{i + 1}.npy" for i in range(n)]
    others = [Tensor.from_matrix(HeatMatrix(r)) for r in runs[1:n]]
    return TuiheatApp(ViewerConfig.for_matrix(HeatMatrix(runs[0]), compare=others, names=names))


def grids(app: TuiheatApp) -> list[HeatGrid]:
    return [g for g in viewer(app).heatview.grids if g.display]


def captions(app: TuiheatApp) -> list[str]:
    return [p.caption_text() for p in viewer(app).heatview.panels if p.display]


async def test_three_panes_side_by_side_on_one_scale_with_one_cursor() -> None:
    app = panes_app(3)
    async with app.run_test(size=(120, 30)) as pilot:
        shown = grids(app)
        assert len(shown) == 3
        assert shown[0].region.right < shown[1].region.x < shown[1].region.right < shown[2].region.x
        assert len({g.region.y for g in shown}) == 1  # one row
        assert captions(app) == ["A run1.npy", "B run2.npy", "C run3.npy"]
        assert {g.scale.vrange for g in shown} == {viewer(app).vrange}
        assert viewer(app).vrange.vmin <= min(r.min() for r in RUNS[:3])
        assert viewer(app).vrange.vmax >= max(r.max() for r in RUNS[:3])
        await pilot.press("j", "j", "l")
        assert {g.state.cursor.cell for g in shown} == {(2, 1)}
        text = status_text(app)
        for letter, run in zip("ABC", RUNS):
            assert f"{letter} {format_value(run[2, 1])}" in text
        await pilot.press("b", "j", "enter")
        assert {g.state.boxes for g in shown} == {(Box(2, 3, 1, 1),)}
        # the colour bar's top stays level with the first row of cells when recoloured
        colorbar = app.query_one("#colorbar")
        assert colorbar.offset_lines == 1 + shown[0].grid_layout.header_height
        await pilot.press("c")
        assert colorbar.offset_lines == 1 + shown[0].grid_layout.header_height


async def test_six_panes_that_do_not_fit_in_a_row_make_a_grid_of_panels() -> None:
    app = panes_app(6)
    async with app.run_test(size=(100, 50)) as pilot:
        shown = grids(app)
        assert len(shown) == 6
        rows = sorted({g.region.y for g in shown})
        assert len(rows) > 1  # more than one row of panels
        columns = sum(1 for g in shown if g.region.y == rows[0])
        assert 1 < columns < 6
        assert all(g.region.right <= 100 - 12 for g in shown)  # the colour bar keeps its place
        # every panel shows all 12 rows and 8 columns here
        assert all(g.visible_rows >= 12 and g.visible_cols >= 8 for g in shown)
        await pilot.press("G", "dollar_sign")
        assert {g.state.cursor.cell for g in shown} == {(11, 7)}
        assert "F " + format_value(RUNS[5][11, 7]) in status_text(app)


async def test_a_small_terminal_shows_a_page_of_panels_and_says_so() -> None:
    app = panes_app(6)
    async with app.run_test(size=(50, 16)) as pilot:  # at 60 x 20 all six fit, in half blocks
        shown = grids(app)
        title = app.query_one("#titlebar")
        assert 1 <= len(shown) < 6 and viewer(app).heatview.pages > 1
        assert f"panels 1–{len(shown)} of 6 (< >)" in title.info_text
        for g in shown:
            assert g.visible_rows >= 4 and g.visible_cols >= 4
        await pilot.press("j", "l")
        await pilot.press("greater_than_sign")
        page = grids(app)
        assert page[0] is not shown[0] and captions(app)[0].startswith(f"{'ABCDEF'[len(shown)]} ")
        assert f"panels {len(shown) + 1}–" in title.info_text
        assert {g.state.cursor.cell for g in page} == {(1, 1)}  # one cursor across pages
        assert viewer(app).grid is page[0] and page[0].has_focus  # the page's first grid leads
        await pilot.press("less_than_sign")
        assert grids(app)[0] is shown[0] and "panels 1–" in title.info_text
        await pilot.resize_terminal(200, 60)
        await pilot.pause()
        assert len(grids(app)) == 6 and "of 6" not in title.info_text


async def test_d_shows_each_pane_minus_the_first_on_one_range_around_zero() -> None:
    app = panes_app(3)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("l", "D")
        shown = grids(app)
        assert len(shown) == 2 and viewer(app).panes.diff
        assert captions(app) == ["B−A run2.npy", "C−A run3.npy"]
        assert shown[0].matrix.value(0, 1) == pytest.approx(RUNS[1][0, 1] - RUNS[0][0, 1])
        assert shown[1].matrix.value(0, 1) == pytest.approx(RUNS[2][0, 1] - RUNS[0][0, 1])
        span = max(np.abs(RUNS[1] - RUNS[0]).max(), np.abs(RUNS[2] - RUNS[0]).max())
        assert viewer(app).vrange.vmin == pytest.approx(-span) and viewer(
            app
        ).vrange.vmax == pytest.approx(span)
        assert viewer(app).settings.colormap == "rdbu_r"
        text = status_text(app)
        assert f"A {format_value(RUNS[0][0, 1])}" in text
        assert "C−A " in text and "B−A " in text
        await pilot.press("D")
        assert len(grids(app)) == 3 and not viewer(app).panes.diff
        assert grid_of(app).matrix.value(0, 1) == RUNS[0][0, 1]
