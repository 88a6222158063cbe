"""Pilot tests: stepping heads, reductions, transposition, colour maps, range modes, log, #."""

from __future__ import annotations

import numpy as np
import pytest
from app_helpers import cell_bg, grid_of, line_text, status_text, viewer

from tuiheat.app import TuiheatApp
from tuiheat.core.colormap import get_palette
from tuiheat.core.readout import format_value
from tuiheat.core.scale import default_range, to_bins
from tuiheat.core.tensor import Tensor, default_spec, flat_matrix, slice_matrix
from tuiheat.session.config import ViewerConfig

SIZE = (110, 36)


@pytest.fixture
def tensor() -> Tensor:
    values = np.random.default_rng(3).random((3, 4, 6, 6))
    tokens = ("[CLS]", "Ġthe", "Ġcat", "Ġsat", "Ċ", "[SEP]")
    return Tensor(values, ("layer", "head", "q", "k"), (None, None, tokens, tokens))


def app_for(tensor: Tensor, **kwargs) -> TuiheatApp:  # type: ignore[no-untyped-def]
    spec = default_spec(tensor)
    return TuiheatApp(
        ViewerConfig.for_matrix(
            slice_matrix(tensor, spec), tensor=tensor, spec=spec, array_name="attn", **kwargs
        )
    )


def title(app: TuiheatApp) -> str:
    return app.query_one("#titlebar").title_text  # type: ignore[attr-defined,no-any-return]


async def test_stepping_heads_and_layers(tensor: Tensor) -> None:
    app = app_for(tensor)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert title(app) == "attn [3,4,6,6] · layer 2 · head 0 · q × k"
        await pilot.press("right_curly_bracket", "left_square_bracket")
        assert title(app) == "attn [3,4,6,6] · layer 1 · head 1 · q × k"
        np.testing.assert_array_equal(viewer(app).matrix.values, tensor.values[1, 1])
        await pilot.press("j", "l")
        assert status_text(app) == f"q ␣the │ k ␣the │ {format_value(tensor.values[1, 1, 1, 1])}"


async def test_reduction_and_transpose(tensor: Tensor) -> None:
    app = app_for(tensor)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        assert "layer mean" in title(app)
        np.testing.assert_allclose(viewer(app).matrix.values, tensor.values[:, 0].mean(axis=0))
        await pilot.press("a")
        assert "layer max" in title(app)
        await pilot.press("j", "j", "t")
        assert title(app).endswith("k × q")
        assert grid_of(app).state.cursor.cell == (0, 2)  # the cursor follows the transposition
        np.testing.assert_allclose(viewer(app).matrix.values, tensor.values[:, 0].max(axis=0).T)


async def test_colormap_cycle_changes_cell_colours(tensor: Tensor) -> None:
    app = app_for(tensor)
    async with app.run_test(size=SIZE) as pilot:
        before = cell_bg(app, 2, 2)
        await pilot.press("c")
        assert viewer(app).settings.colormap == "viridis"
        value = viewer(app).matrix.value(2, 2)
        expected = get_palette("viridis").hex(
            int(to_bins(np.array([value]), viewer(app).vrange, 256)[0])
        )
        assert cell_bg(app, 2, 2) == expected != before
        assert "viridis" in str(app.query_one("#titlebar").render())


@pytest.mark.parametrize("worker", [False, True], ids=["on the loop", "in a worker"])
async def test_range_modes_and_log(tensor: Tensor, worker: bool, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Per row on a big view is resolved in a worker (here: every view counts as big)."""
    if worker:
        monkeypatch.setattr("tuiheat.app.presenter.RESOLVE_IN_WORKER", 0)
    app = app_for(tensor)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("R")  # this matrix's own min-max
        m = viewer(app).matrix.values
        assert (viewer(app).vrange.vmin, viewer(app).vrange.vmax) == (m.min(), m.max())
        await pilot.press("R")  # per row: every row spans the whole scale
        for _ in range(50):  # the worker's answer
            if viewer(app).scale.by_axis is not None:  # type: ignore[union-attr]
                break
            await pilot.pause(0.02)
        assert "per row" in str(app.query_one("#titlebar").render())
        row = m[3]
        palette = get_palette("blues")
        assert cell_bg(app, 3, int(np.argmax(row))) == palette.hex(255)
        assert cell_bg(app, 3, int(np.argmin(row))) == palette.hex(0)
        await pilot.press("R", "R", "L")  # back to fixed, then log
        assert viewer(app).vrange.log and viewer(app).vrange.vmin > 0
        assert "log" in str(app.query_one("#titlebar").render())


async def test_v_sets_the_range_and_center(tensor: Tensor) -> None:
    app = app_for(tensor)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v", *"0.2 0.4", "enter")
        assert (viewer(app).vrange.vmin, viewer(app).vrange.vmax) == (0.2, 0.4)
        await pilot.press("v", *"center 0.5", "enter")
        assert (viewer(app).vrange.vmin + viewer(app).vrange.vmax) / 2 == pytest.approx(0.5)
        await pilot.press("v", *"auto", "enter")
        assert viewer(app).settings.center is None and viewer(app).settings.base == default_range(
            flat_matrix(viewer(app).panes.first.tensor)
        )
        await pilot.press("v", *"9 1", "enter")
        assert "above vmax" in str(app.screen.query_one("#error").render())


async def test_raw_tokens_toggle(tensor: Tensor) -> None:
    app = app_for(tensor)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        assert status_text(app).startswith("q ␣the")
        await pilot.press("T")
        assert status_text(app).startswith("q Ġthe")


async def test_two_d_matrices_ignore_axis_keys_politely() -> None:
    from app_helpers import seed_app

    app = seed_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket", "a")
        assert viewer(app).matrix.shape == (32, 14)
        await pilot.press("t")
        assert viewer(app).matrix.shape == (14, 32) and viewer(app).matrix.row_title == "Token"
        bar = app.query_one("#titlebar")
        assert "Token × Layer" in bar.title_text
        await pilot.press("t")  # back: the file's own title, not the transposed one
        assert "×" not in bar.title_text and bar.title_text.startswith("Error-detection")


async def test_numbers_or_a_text_grid_in_the_cells(tensor: Tensor) -> None:
    """# writes each cell's value, or the tensor's own text where it has one."""
    text = np.array([[f"t{r}{c}" for c in range(4)] for r in range(3)])
    worded = Tensor(np.random.default_rng(0).random((3, 4)), text=text)
    number = f"{tensor.values[0, 0, 1, 2]:.3f}"
    for shown, row, wanted in (
        (tensor, 1, [(number, number[1:])]),  # 0.123 may be written .123
        (worded, 2, [("t21",), ("t23",)]),
    ):
        app = app_for(shown)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("number_sign")
            line = line_text(grid_of(app).cell_segments(row))
            assert all(any(alt in line for alt in alts) for alts in wanted)
