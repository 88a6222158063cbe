"""Pilot tests: sparkline margins, cursor profiles, the m/s/p keys."""

from __future__ import annotations

import numpy as np
from app_helpers import grid_of, line_text, seed_app, until, viewer

from tuiheat.core.scale import default_range
from tuiheat.core.summary import axis_summaries, spark_levels
from tuiheat.render.sparkline import GLYPHS

SIZE = (120, 50)


def footer_text(app) -> str:  # type: ignore[no-untyped-def]
    grid = grid_of(app)
    return line_text(list(grid.render_line(grid.footer_y)))


async def test_margins_are_aligned_with_rows_and_columns() -> None:
    app = seed_app()
    async with app.run_test(size=SIZE):
        grid = grid_of(app)
        lay = grid.grid_layout
        means = axis_summaries(viewer(app).matrix, "mean")
        vrange = default_range(viewer(app).matrix)
        col_levels = spark_levels(means.cols, vrange)
        row_levels = spark_levels(means.rows, vrange)
        footer = footer_text(app)
        assert footer.strip().startswith("mean")
        for col in range(viewer(app).matrix.n_cols):
            x = lay.gutter + col * lay.cell_width
            assert footer[x] == GLYPHS[col_levels[col]]
        for row in (0, 13, 31):
            text = line_text(grid.cell_segments(row))
            x = lay.gutter + viewer(app).matrix.n_cols * lay.cell_width + 1
            assert text[x] == GLYPHS[row_levels[row]]


async def test_m_cycles_the_summary_and_max_margins_narrow_the_peak_search(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tuiheat.widgets import peaksearch

    app = seed_app()
    async with app.run_test(size=SIZE) as pilot:
        seen = []
        for _ in range(4):
            await pilot.press("m")
            seen.append(footer_text(app).split()[0])
            if seen[-1] == "max":  # ^ reads only the rows whose maximum can hold the peak
                monkeypatch.setattr(peaksearch, "rank_cells", None)  # no pass over every row
                await pilot.press("G", "circumflex_accent")
                monkeypatch.undo()
                assert grid_of(app).state.cursor.cell == (0, 0)
                assert str(app.query_one("#boxinfo").render()).startswith("max 0.975 at Layer 0")
        assert seen == ["max", "min", "std", "mean"]


async def test_profiles_follow_the_cursor() -> None:
    app = seed_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()  # profiles are drawn right after the first frame
        row = app.query_one("#rowprofile")
        col = app.query_one("#colprofile")
        assert row.display and col.display
        assert str(row.render()).startswith("Layer 0 ")
        assert str(col.render()).startswith("Token last_q ")
        before_row = str(row.render())
        await pilot.press("l", "l", "l", "l")
        assert str(col.render()).startswith("Token exact_answer_first ")
        assert str(row.render()) == before_row  # a horizontal step leaves the row profile alone
        await pilot.press(*["j"] * 13)
        assert str(row.render()).startswith("Layer 13 ")
        column = viewer(app).matrix.as_float()[:, 4]
        peak = int(np.argmax(column))
        assert f"peak {column[peak]:.3f} at Layer {peak}" in str(col.render())


async def test_s_gives_the_grid_the_whole_screen() -> None:
    app = seed_app()
    async with app.run_test(size=SIZE) as pilot:
        grid = grid_of(app)
        width_on = grid.size.width
        await pilot.press("s")
        await pilot.pause()
        assert not grid.state.margins
        assert not app.query_one("#rowprofile").display
        assert "mean" not in line_text(list(grid.render_line(grid.footer_y)))
        assert grid.size.width < width_on or grid.grid_layout.cell_width > 2
        # The new size was repainted whole; nothing is left to send with the next step.
        assert not grid._repaint_regions
        await pilot.press("s")
        await pilot.pause()
        assert grid.state.margins and app.query_one("#rowprofile").display


async def test_p_opens_a_chart_that_follows_and_escape_closes() -> None:
    from tuiheat.widgets.profilechart import ProfileChart

    app = seed_app()
    async with app.run_test(size=SIZE) as pilot:
        chart = app.query_one(ProfileChart)
        assert not chart.display
        await pilot.press("p")
        assert chart.display
        await until(pilot, lambda: "Token last_q" in str(chart.render()))
        assert "Layer 0" in str(chart.render())
        await pilot.press("l", "j")
        await until(
            pilot,
            lambda: "Token first_answer" in (text := str(chart.render())) and "Layer 1" in text,
        )
        await pilot.press("b", "j", "escape")  # Escape first cancels the box being drawn
        assert chart.display and grid_of(app).state.draft is None
        await pilot.press("escape")
        assert not chart.display
        await pilot.press("p", "p")
        assert not chart.display


async def test_nan_rows_leave_gaps_not_crashes() -> None:
    from app_helpers import matrix_app

    values = np.random.default_rng(0).random((12, 6))
    values[3, :] = np.nan
    values[:, 2] = np.nan
    app = matrix_app(values)
    async with app.run_test(size=SIZE) as pilot:
        grid = grid_of(app)
        lay = grid.grid_layout
        x = lay.gutter + 6 * lay.cell_width + 1
        assert line_text(grid.cell_segments(3))[x] == " "  # the empty row's margin is a gap
        assert line_text(grid.cell_segments(4))[x] in GLYPHS
        footer = footer_text(app)
        assert footer[lay.gutter + 2 * lay.cell_width] == " "  # so is the empty column's
        await pilot.press("j", "j", "j", "l", "l", "p")
        await until(pilot, lambda: "Token" in str(app.query_one("#chart").render()))
        assert "no finite values" in str(app.query_one("#rowprofile").render())
        assert app.is_running
