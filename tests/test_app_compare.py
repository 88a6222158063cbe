"""Pilot tests of compare mode: two grids, one scale, a linked cursor, and the A − B view."""

from __future__ import annotations

import numpy as np
import pytest
from app_helpers import file_app, grid_of, status_text, viewer, wait_reloaded

from tuiheat.app import TuiheatApp
from tuiheat.core import Box, HeatMatrix
from tuiheat.core.readout import format_value
from tuiheat.core.stamp import file_stamp
from tuiheat.core.tensor import Tensor, default_spec
from tuiheat.loaders import load_tensor
from tuiheat.session.config import Source, ViewerConfig
from tuiheat.widgets.heatgrid import HeatGrid

SIZE = (120, 36)
RNG = np.random.default_rng(7)
A = 0.5 + 0.5 * RNG.random((12, 20))
B = np.clip(A + RNG.normal(0, 0.05, A.shape), 0.4, 1.0)


def compare_app(a: np.ndarray = A, b: np.ndarray = B, **kwargs) -> TuiheatApp:  # type: ignore[no-untyped-def]
    return TuiheatApp(
        ViewerConfig.for_matrix(
            HeatMatrix(a),
            compare=Tensor.from_matrix(HeatMatrix(b)),
            names=("run1.npy", "run2.npy"),
            **kwargs,
        )
    )


def grid_b(app: TuiheatApp) -> HeatGrid:
    return app.query_one("#pane-1", HeatGrid)


def captions(app: TuiheatApp) -> str:
    return " ".join(p.caption_text() for p in viewer(app).heatview.panels if p.display)


async def test_two_grids_share_one_scale_and_name_their_files() -> None:
    app = compare_app()
    async with app.run_test(size=SIZE):
        a, b = grid_of(app), grid_b(app)
        assert b.display and not b.can_focus and app.focused is a
        assert a.scale.vrange == b.scale.vrange == viewer(app).vrange
        # AUC-like runs keep the 0.5-1.0 scale; the few cells below it are counted and marked.
        below = int((A < 0.5).sum() + (B < 0.5).sum())
        assert below > 0
        assert (viewer(app).vrange.vmin, viewer(app).vrange.vmax, viewer(app).vrange.under) == (
            0.5,
            1.0,
            below,
        )
        assert viewer(app).vrange.vmax >= max(A.max(), B.max())
        assert "A run1.npy" in captions(app) and "B run2.npy" in captions(app)
        assert a.region.right < b.region.x  # side by side, A on the left
        assert a.size == b.size and a.grid_layout.cell_width == b.grid_layout.cell_width


async def test_cursor_is_linked_and_the_readout_shows_a_b_and_the_difference() -> None:
    app = compare_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j", "l", "l", "l")
        assert grid_of(app).state.cursor.cell == grid_b(app).state.cursor.cell == (2, 3)
        text = status_text(app)
        a, b = A[2, 3], B[2, 3]
        assert f"A {format_value(a)}" in text and f"B {format_value(b)}" in text
        sign = "+" if a - b > 0 else ""
        assert f"A−B {sign}{format_value(a - b)}" in text
        # A click on B moves the cursor there, in both grids.
        lay = grid_b(app).grid_layout
        await pilot.click(
            "#pane-1", offset=(lay.gutter + 5 * lay.cell_width, lay.header_height + 7)
        )
        assert grid_of(app).state.cursor.cell == grid_b(app).state.cursor.cell == (7, 5)
        # The box being drawn, and the box kept, show in both.
        await pilot.press("b", "j", "l")
        assert grid_b(app).state.draft == grid_of(app).state.draft == Box(7, 8, 5, 6)
        await pilot.press("enter")
        assert grid_b(app).state.boxes == grid_of(app).state.boxes == (Box(7, 8, 5, 6),)


async def test_scrolling_and_zoom_follow_a() -> None:
    big_a = RNG.random((300, 300))
    app = compare_app(big_a, big_a * 0.5, vrange=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("G", "dollar_sign")
        a, b = grid_of(app), grid_b(app)
        assert a.state.cursor.cell == b.state.cursor.cell == (299, 299)
        assert a.scroll_offset == b.scroll_offset and a.scroll_offset.y > 0
        await pilot.press("minus")
        await pilot.pause()
        assert b.state.zoom == a.state.zoom and b.state.zoom.row_factor == 2
        assert b.matrix.value(0, 0) == pytest.approx(big_a[:2, :2].mean() * 0.5)
        assert a.scroll_offset == b.scroll_offset


async def test_d_shows_the_difference_on_a_diverging_scale_and_back(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from test_app_export import export

    monkeypatch.chdir(tmp_path)
    app = compare_app()
    async with app.run_test(size=SIZE) as pilot:
        before = viewer(app).vrange
        await pilot.press("l", "D")
        grid = grid_of(app)
        assert viewer(app).panes.diff and not grid_b(app).display
        assert grid.matrix.value(0, 1) == pytest.approx(A[0, 1] - B[0, 1])
        assert viewer(app).settings.colormap == "rdbu_r" and grid.scale.colormap == "rdbu_r"
        span = np.abs(A - B).max()
        assert viewer(app).vrange.vmin == pytest.approx(-span) and viewer(
            app
        ).vrange.vmax == pytest.approx(span)
        assert "A − B" in captions(app) and grid.state.cursor.cell == (0, 1)
        assert f"A {format_value(A[0, 1])}" in status_text(app)
        await pilot.press("b", "j", "enter")  # a box on the difference reads differences
        assert "mean" in str(app.query_one("#boxinfo").render())
        stats = viewer(app).panes.shown[0].box_stats(grid.state.boxes[0])
        assert stats.mean == pytest.approx((A - B)[0:2, 1].mean())
        await pilot.press("j", "j", "circumflex_accent")  # ^ under D: the largest A − B
        assert grid.state.cursor.cell == np.unravel_index(np.argmax(A - B), A.shape)
        assert str(app.query_one("#boxinfo").render()).startswith("max of run1.npy − run2.npy:")
        await export(app, pilot, "g", "difference.svg")  # A − B, with its box: the view goes on
        assert app.is_running and "run1.npy − run2.npy" in (tmp_path / "difference.svg").read_text()
        await pilot.press("D")
        assert (
            not viewer(app).panes.diff
            and grid_b(app).display
            and viewer(app).settings.colormap == "blues"
        )
        assert viewer(app).vrange == before and grid.matrix.value(0, 1) == A[0, 1]
        assert (
            grid_b(app).state.boxes == grid.state.boxes
        )  # the box drawn on A − B is a box of A and B


async def test_d_without_a_second_file_says_how_to_compare() -> None:
    app = TuiheatApp(ViewerConfig.for_matrix(HeatMatrix(A)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("D")
        assert not viewer(app).panes.diff
        assert any("tuiheat A B" in n.message for n in app._notifications)


async def test_nd_slices_step_in_both() -> None:
    a = RNG.random((3, 4, 5, 5))
    b = a + 1.0
    app = TuiheatApp(
        ViewerConfig.for_matrix(
            HeatMatrix(a[0, 0]),
            tensor=Tensor(a),
            compare=Tensor(b),
            spec=default_spec(Tensor(a)),
        )
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket")
        assert grid_of(app).matrix.value(1, 1) == a[1, 0, 1, 1]
        assert grid_b(app).matrix.value(1, 1) == b[1, 0, 1, 1]
        await pilot.press("D")
        assert grid_of(app).matrix.value(2, 2) == pytest.approx(-1.0)


async def test_a_changed_b_is_reloaded_with_the_cursor_kept(tmp_path) -> None:  # type: ignore[no-untyped-def]
    pa, pb = tmp_path / "a.npy", tmp_path / "b.npy"
    np.save(pa, A)
    np.save(pb, B)
    app = file_app(
        pa,
        watch=True,
        compare=Source(load_tensor(str(pb)), "B", pb, file_stamp(pb), lambda: load_tensor(str(pb))),
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "l")
        np.save(pb, np.zeros_like(B))
        await wait_reloaded(app, pilot, 1)
        assert viewer(app).reloads == 1 and grid_b(app).matrix.value(1, 1) == 0.0
        assert grid_of(app).state.cursor.cell == grid_b(app).state.cursor.cell == (1, 1)
        np.save(pb, np.zeros((3, 3)))  # B no longer matches A: the last good pair stays
        await wait_reloaded(app, pilot, 2)
        assert "shapes differ" in viewer(app).files.error and grid_b(app).matrix.shape == A.shape


async def test_a_cursor_step_repaints_only_the_changed_cells_of_both_grids() -> None:
    app = compare_app()
    async with app.run_test(size=SIZE) as pilot:
        a, b = grid_of(app), grid_b(app)
        await pilot.pause()
        a._repaint_regions.clear()
        b._repaint_regions.clear()
        viewer(app).heatview.action_move(0, 1)  # synchronous: every pane repaints in the same call
        for grid in (a, b):
            regions = list(grid._repaint_regions)
            assert regions, "both grids repaint the step"
            assert sum(r.width * r.height for r in regions) < 60
