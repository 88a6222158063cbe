"""Pilot tests of small multiples: every head of a layer as linked panels (``--facet`` or
``f``), one scale, one cursor, one set of boxes; the other axes still step with [ ]."""

from __future__ import annotations

import numpy as np
from app_helpers import status_text, viewer

from tuiheat.app import TuiheatApp
from tuiheat.core import Box
from tuiheat.core.readout import format_value
from tuiheat.core.tensor import Tensor, default_spec
from tuiheat.session.config import Source, ViewerConfig
from tuiheat.widgets.heatgrid import HeatGrid
from tuiheat.widgets.titlebar import TitleBar

RNG = np.random.default_rng(5)
ATTN = Tensor(RNG.random((3, 12, 10, 10)), names=("layer", "head", "query", "key"))


def attention_app(facet: int | None = 1, tensor: Tensor = ATTN) -> TuiheatApp:
    return TuiheatApp(
        ViewerConfig(sources=(Source(tensor, "attn.npy"),), spec=default_spec(tensor), facet=facet)
    )


def shown(app: TuiheatApp) -> list[HeatGrid]:
    return [g for g in viewer(app).heatview.grids if g.display]


def title(app: TuiheatApp) -> str:
    bar = app.query_one(TitleBar)
    return f"{bar.title_text} {bar.info_text}"


async def test_every_head_is_a_linked_panel_on_one_scale() -> None:
    app = attention_app()
    async with app.run_test(size=(160, 50)) as pilot:
        grids = shown(app)
        assert len(grids) == 12
        captions = [p.caption_text() for p in viewer(app).heatview.panels if p.display]
        assert captions == [f"head {h}" for h in range(12)]
        for head, grid in enumerate(grids):
            np.testing.assert_array_equal(grid.matrix.as_float(), ATTN.values[0, head])
            assert grid.visible_rows >= 10 and grid.visible_cols >= 10  # all of every head
        assert {g.scale.vrange for g in grids} == {viewer(app).vrange}
        assert (
            viewer(app).vrange.vmin <= ATTN.values.min()
            and viewer(app).vrange.vmax >= ATTN.values.max()
        )
        assert "head × 12 panels" in title(app)
        # labels are shared: row labels left of the first column, column labels over the top row
        rows = sorted({g.region.y for g in grids})
        assert len(rows) > 1
        left = min(g.region.x for g in grids)
        for g in grids:
            first_col = g.region.x == left
            assert (g.grid_layout.gutter > 0) == first_col
            assert (g.grid_layout.header_height > 0) == (g.region.y == rows[0])
        await pilot.press("j", "j", "l", "b", "j", "enter")
        assert {g.state.cursor.cell for g in grids} == {(3, 1)}
        assert {g.state.boxes for g in grids} == {(Box(2, 3, 1, 1),)}
        text = status_text(app)
        assert text.startswith("query 3 │ key 1 │ head 0 " + format_value(ATTN.values[0, 0, 3, 1]))
        assert f"  11 {format_value(ATTN.values[0, 11, 3, 1])}" in text
        hints = app.query_one("#hints")  # twelve values do not push the key hints away
        assert hints.region.width >= len("f panels  ? help  b box  q quit")


async def test_brackets_step_the_layer_of_every_panel() -> None:
    app = attention_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("right_square_bracket")
        grids = shown(app)
        assert len(grids) == 12
        for head, grid in enumerate(grids):
            np.testing.assert_array_equal(grid.matrix.as_float(), ATTN.values[1, head])
        assert "layer 1" in title(app)
        await pilot.press("D")  # no differences between slices of one array
        assert not viewer(app).panes.diff and len(shown(app)) == 12


async def test_a_small_terminal_shrinks_the_panels_to_fit() -> None:
    app = attention_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        grids = shown(app)
        # 12 panels of 10 x 10 fit in 100 x 40 with half blocks (two rows a line)
        assert len(grids) == 12 and viewer(app).state.half and viewer(app).state.margins
        assert all(g.visible_rows >= 10 and g.visible_cols >= 10 for g in grids)
        assert "half blocks (H)" in title(app)  # said in the title, not a notice over it
        assert not any("panels fit" in n.message for n in app._notifications)
    app = attention_app()
    async with app.run_test(size=(70, 30)) as pilot:
        await pilot.pause()
        grids = shown(app)
        # in 70 x 30, with one-character cells, half blocks and the margins off
        assert len(grids) == 12 and viewer(app).state.half and not viewer(app).state.margins
        assert all(g.grid_layout.cell_width == 1 for g in grids)
        assert all(g.visible_rows >= 10 and g.visible_cols >= 10 for g in grids)
        assert "half blocks (H) · margins off (s)" in title(app)


async def test_too_small_for_all_says_which_panels_are_shown() -> None:
    app = attention_app()
    async with app.run_test(size=(50, 20)) as pilot:
        await pilot.pause()
        n = len(shown(app))
        assert 1 <= n < 12 and "of 12 (< >)" in title(app)
        await pilot.press("greater_than_sign")
        assert next(g.pane.name for g in shown(app)) == f"head {n}"


async def test_f_lays_out_the_heads_then_the_layers_then_nothing() -> None:
    app = attention_app(facet=None)
    async with app.run_test(size=(160, 50)) as pilot:
        assert len(shown(app)) == 1 and "f panels" in str(app.query_one("#hints").render())
        await pilot.press("j", "f")
        await pilot.pause()
        assert viewer(app).panes.facet == 1 and len(shown(app)) == 12
        assert {g.state.cursor.cell for g in shown(app)} == {(1, 0)}  # the cursor stays
        await pilot.press("f")
        await pilot.pause()
        assert (
            viewer(app).panes.facet == 0
            and len(shown(app)) == 3
            and "layer × 3 panels" in title(app)
        )
        await pilot.press("f")
        await pilot.pause()
        assert viewer(app).panes.facet is None and len(shown(app)) == 1
        assert viewer(app).grid.has_focus  # keys still reach the view
    app = attention_app(facet=None)
    async with app.run_test(size=(70, 30)) as pilot:
        await pilot.press("f")  # the heads fit only with half blocks and no margins
        await pilot.pause()
        assert viewer(app).state.half and not viewer(app).state.margins
        await pilot.press("f", "f")  # the layers, then one matrix: as it was before
        await pilot.pause()
        assert (
            viewer(app).panes.facet is None
            and not viewer(app).state.half
            and viewer(app).state.margins
        )


async def test_f_on_a_matrix_says_there_is_no_axis_to_lay_out() -> None:
    flat = Tensor(RNG.random((6, 6)))
    app = attention_app(facet=None, tensor=flat)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f")
        assert viewer(app).panes.facet is None
        assert any("this array is 2-D" in n.message for n in app._notifications)
        await pilot.press("f")  # said again: one notice on screen, never a stack of them
        await pilot.pause()
        assert len(app._notifications) == 1
