"""One planner for every kind of screen: one matrix, files, facets and print mode."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from test_render_matrixfit import seed_needs
from test_render_panelfit import runs

from tuiheat.core import HeatMatrix
from tuiheat.render.matrixfit import Wishes, plan_matrix
from tuiheat.render.panelfit import PanelPlan, fitting_toggles, plan_layout, plan_panels
from tuiheat.render.plan import PanelsNeeds, plan, print_needs
from tuiheat.render.sizes import MAX_CELL, MAX_CELL_ALONE, MIN_CELL


def test_one_matrix_is_planned_as_one_panel_filling_the_room() -> None:
    p = plan("one", seed_needs(80), (80, 24))
    fit = plan_matrix(seed_needs(80), Wishes(), 80 - 12, 24 - 2)
    assert p.kind == "one" and p.width == 68 and p.room == fit.room(22)
    assert p.panels == PanelPlan(1, 1, (68,), (p.room,), True)
    assert (p.cell_width, p.header_lines, p.gutter, p.half) == (
        fit.cell_width,
        fit.header_lines,
        fit.gutter,
        fit.half,
    )
    assert p.given_up == ("profiles", "half") and p.fitted() == ("half blocks (H)",)
    assert p.max_cell == MAX_CELL_ALONE and p.margin_width == 3 and p.pages == 1
    assert p.colorbar_lines == 32  # 32 rows in 16 lines of half blocks: as tall as the rows


def test_one_matrix_legend_takes_the_lines_the_rows_leave() -> None:
    p = plan("one", seed_needs(200), (200, 60))
    assert p.legend_lines(p.room - 2, 5) == 2
    assert p.legend_lines(p.room, 5) == 0 and p.legend_lines(0, 1) == 1


def test_files_share_what_the_legend_and_profiles_leave() -> None:
    need = runs()
    p = plan("files", PanelsNeeds(need, header_height=3, profiles=True), (120, 40))
    assert p.kind == "files" and p.width == 108 and p.max_cell == MAX_CELL
    assert p.panels == plan_panels(need, p.width, p.room)
    assert p.shown == {"boxinfo"} and p.pages == 1  # the profiles gave way to rows
    tall = plan("files", PanelsNeeds(need, header_height=3, profiles=True), (120, 60))
    assert tall.shown == {"boxinfo", "profiles"}
    assert p.toggles == fitting_toggles(need, p.width, p.room)[0]


def test_panels_are_planned_as_the_viewer_has_laid_them_out() -> None:
    """The steps of the viewer's layout of N panels, one by one, give the same plan."""
    for need in (runs(), runs(n=12, rows=10, cols=10, min_cell=1, shared=True)):
        for size in ((80, 24), (120, 40), (200, 60), (60, 50)):
            for legend, profiles, chart in ((0, True, False), (2, False, True), (3, True, True)):
                needs = PanelsNeeds(need, 3, legend, profiles)
                p = plan("files", needs, size, Wishes(chart=chart))
                rows = plan_panels(need, size[0] - 12, size[1] - 2).rows
                caption = 1 if need.captions else 0
                layout = plan_layout(
                    *size,
                    rows=rows * -(-need.rows // need.rows_per_line),
                    grid_lines=rows * (3 + need.footer + caption),
                    legend_lines=legend,
                    profiles=profiles,
                    chart=chart,
                )
                assert (p.width, p.room) == (layout.width, layout.room)
                assert p.panels == plan_panels(need, layout.width, layout.room)
                shown = {"chart": layout.chart, "legend": layout.legend}
                shown |= {"boxinfo": layout.boxinfo, "profiles": layout.profiles}
                assert p.shown == {name for name, on in shown.items() if on}


def test_facets_that_do_not_fit_come_a_page_at_a_time_and_say_what_would_fit() -> None:
    heads = runs(n=64, rows=8, cols=8, min_cell=1, shared=True, captions=True)
    p = plan("facets", PanelsNeeds(heads, header_height=3, legend_lines=2), (80, 24))
    assert p.kind == "facets" and 1 < p.panels.shown < 64 and p.pages > 1
    chosen = plan("facets", PanelsNeeds(heads, 3), (80, 24), Wishes(half=False, margins=True))
    assert chosen.toggles == {}  # what the user chose is never changed


def test_print_widens_cells_until_the_labels_are_written_out() -> None:
    labels = tuple(f"label{i}" for i in range(6))
    m = HeatMatrix(np.zeros((40, 6)), col_labels=labels)
    wide = plan("print", print_needs(m, 4, 16), (200, 0))
    assert wide.cell_width == 6 and wide.colorbar_lines == 32 and wide.margin_width == 3
    narrow = plan("print", print_needs(m, 4, 16), (30, 0))
    assert narrow.cell_width == MIN_CELL  # no room: the smallest cells, the labels keyed
    asked = plan("print", print_needs(m, 4, 16), (200, 0), Wishes(margins=False, cell_width=3))
    assert asked.cell_width == 3 and asked.margin_width == 0
    few = plan("print", print_needs(HeatMatrix(np.zeros((3, 6))), 4, 16), (80, 0))
    assert few.colorbar_lines == 0  # a bar under the grid


def test_each_size_is_defined_once() -> None:
    root = Path(__file__).parent.parent / "tuiheat"
    names = ("MIN_CELL", "MAX_CELL", "MARGIN_WIDTH", "COLORBAR_WIDTH", "CHART_HEIGHT")
    where: dict[str, list[str]] = {name: [] for name in names}
    for path in root.rglob("*.py"):
        for name in names:
            if re.search(
                rf"^{name}\b[^\n=]*=(?!=)|^[A-Z_, ]*\b{name}\b[A-Z_, ]*=", path.read_text(), re.M
            ):
                where[name].append(path.name)
    assert where == {name: ["sizes.py"] for name in names}
