"""The layout as arithmetic: what the screen holds, and how N panels share it."""

from __future__ import annotations

from tuiheat.render.panelfit import PanelNeeds, fitting_toggles, plan_layout, plan_panels


def needs(n: int, rows: int = 12, cols: int = 8, **kwargs) -> PanelNeeds:  # type: ignore[no-untyped-def]
    return PanelNeeds(n=n, rows=rows, cols=cols, gutter=4, header=lambda _: 2, **kwargs)


def test_the_legend_and_profiles_give_way_to_rows() -> None:
    roomy = plan_layout(100, 40, rows=20, grid_lines=3, legend_lines=2, profiles=True, chart=False)
    assert roomy.legend and roomy.boxinfo and roomy.profiles and roomy.width == 88
    tight = plan_layout(100, 28, rows=20, grid_lines=3, legend_lines=2, profiles=True, chart=False)
    assert tight.room >= 23  # every row still fits: something else gave way
    assert not (tight.legend and tight.boxinfo and tight.profiles)


def test_panels_that_fit_in_one_row_go_side_by_side() -> None:
    plan = plan_panels(needs(3), 120, 30)
    assert (plan.columns, plan.shown, plan.rows, plan.whole) == (3, 3, 1, True)
    assert plan.widths == ((120 - 2) // 3,) * 3
    assert plan.heights == (30,)


def test_panels_too_wide_for_one_row_make_a_grid() -> None:
    # 6 panels of 4 + 8x2 columns need 6 x 20 + 5 = 125 columns in a row. In 70 x 60,
    # 3 x 2 and 2 x 3 panels both show everything: 2 x 3 has the bigger cells (3 wide).
    plan = plan_panels(needs(6), 70, 60)
    assert plan.columns == 2 and plan.rows == 3 and plan.shown == 6 and plan.whole
    assert all(w >= 4 + 8 * 3 for w in plan.widths)
    assert sum(plan.heights) <= 60 and all(h >= 1 + 2 + 12 for h in plan.heights)
    wide = plan_panels(needs(6), 70, 40)  # too low for three rows: three to a row
    assert wide.columns == 3 and wide.rows == 2 and wide.whole


def test_without_room_for_all_the_grid_shows_the_most_of_each() -> None:
    wide = plan_panels(needs(4, rows=30, cols=100), 120, 40)
    assert wide.shown == 4 and not wide.whole
    # one-character cells show every column of panels stacked four high (100 x 7 each)
    # and beat 2 x 2 panels of 27 columns x 16 rows (432), or a row of 12 x 30 (360)
    assert wide.columns == 1 and wide.cell_width == 1 and wide.cells == 4 * 100 * 7
    tall = plan_panels(needs(4, rows=100, cols=10), 120, 40)
    assert tall.columns == 4  # narrow matrices: a row shows all their columns
    assert tall.cells == 4 * 10 * 37


def test_small_panels_of_one_tensor_are_shown_whole_a_page_at_a_time() -> None:
    # 64 heads of 8 x 8 in 80 x 20: a page of whole heads shows more than 64 slivers
    need = needs(64, rows=8, cols=8, min_cell=1, shared=True)
    plan = plan_panels(need, 68, 20)
    assert plan.whole is False and 1 < plan.shown < 64
    assert plan.cells == plan.shown * 64  # every panel on the page whole
    files = plan_panels(needs(6, rows=12, cols=8), 68, 20)  # runs: all of them, in part
    assert files.shown == 6


def test_a_page_of_panels_when_even_a_corner_of_each_does_not_fit() -> None:
    plan = plan_panels(needs(6), 30, 12)
    assert 1 <= plan.shown < 6 and not plan.whole
    # each panel on the page shows at least 4 rows and 4 columns
    cells_w = plan.widths[-1] - 4
    assert cells_w // 2 >= 4
    assert all(h - 1 - 2 >= 4 for h in plan.heights)


def test_shared_labels_leave_more_room_for_cells() -> None:
    alone = plan_panels(needs(12, rows=17, cols=17, min_cell=1), 100, 57)
    shared = plan_panels(needs(12, rows=17, cols=17, min_cell=1, shared=True), 100, 57)
    assert not alone.whole and shared.whole and shared.shown == 12
    assert shared.widths[0] - shared.widths[-1] == 4  # the gutter only left of the first column
    assert shared.heights[0] - shared.heights[-1] == 2  # the header only over the first row


def test_half_blocks_fit_twice_the_rows() -> None:
    full = plan_panels(needs(4, rows=30, cols=10, min_cell=1), 100, 20)
    half = plan_panels(needs(4, rows=30, cols=10, min_cell=1, rows_per_line=2), 100, 20)
    assert not full.whole and half.whole


def test_the_fewest_toggles_that_show_the_panels_best() -> None:
    heads = needs(12, rows=10, cols=10, min_cell=1, shared=True, footer=1, margin=3)
    assert fitting_toggles(heads, 200, 60) == ({}, True)  # all whole already
    assert fitting_toggles(heads, 80, 30) == ({"half": True}, True)
    assert fitting_toggles(heads, 58, 27) == ({"half": True, "margins": False}, True)
    changes, whole = fitting_toggles(heads, 30, 12)  # nothing makes them all whole
    assert changes and not whole


def runs(**kwargs) -> PanelNeeds:  # type: ignore[no-untyped-def]
    """Three runs of a 32 x 15 probe: gutters of 6, a caption and 2 header lines each."""
    fields = {"n": 3, "rows": 32, "cols": 15, "gutter": 6, "header": lambda _: 2, **kwargs}
    return PanelNeeds(**{"footer": 1, "margin": 3, **fields})  # type: ignore[arg-type]


def test_three_runs_at_120x40_show_every_column_in_narrower_cells() -> None:
    # 108 columns beside the colour bar: 3 x (6 + 15 x 2 + 3) + 2 = 119 do not fit, but
    # one-character cells do (3 x 24 + 2), rather than 14 of 15 columns behind a scrollbar
    plan = plan_panels(runs(rows_per_line=2), 108, 36)
    assert plan.whole and plan.shown == 3 and plan.cell_width == 1
    assert plan.cells == 3 * 32 * 15


def test_the_scrollbar_a_tall_panel_needs_is_counted_before_its_columns() -> None:
    # 32 rows in 30 lines need a scrollbar column: 15 columns of 2 no longer fit beside
    # it (14 would show), 15 of 1 do
    plan = plan_panels(runs(n=1, margin=0), 6 + 30, 34)
    assert plan.cell_width == 1 and plan.cells == 15 * (34 - 2 - 2)  # caption, header, footer
    roomy = plan_panels(runs(n=1, margin=0), 6 + 31, 34)
    assert roomy.cell_width == 2 and roomy.cells == 15 * 30


def test_three_runs_at_80x24_fit_whole_with_half_blocks_and_without_margins() -> None:
    changes, whole = fitting_toggles(runs(), 68, 22 - 3)  # the legend's 3 lines taken
    assert changes == {"half": True, "margins": False} and whole
    kept, _ = fitting_toggles(runs(), 68, 19, chosen=frozenset({"margins"}))
    assert kept == {"half": True}  # margins the user asked for stay


def test_three_runs_give_up_their_margins_before_one_character_cells() -> None:
    # 108 x 36: every panel is whole both ways, with the margins in 1-wide cells, or
    # without them in 2-wide cells: the wider cells win, as for one matrix
    changes, whole = fitting_toggles(runs(cols=14, rows_per_line=1), 108, 36)
    assert whole and changes == {"margins": False}
