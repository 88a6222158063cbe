"""The viewer's logic without a terminal: what each change repaints, what a screen starts
from, boxes, files, exports, facets, the colour scale's steps and the viewer's words."""

from __future__ import annotations

import itertools
import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from tuiheat.app.boxes import SavedBoxes, box_line_text, list_rows, save_boxes
from tuiheat.app.exporting import export_kind, export_text, heading, menu_choices, write_export
from tuiheat.app.facets import FacetView, cycled
from tuiheat.app.filewatch import FileWatch, reloaded_view
from tuiheat.app.fit import Fitter, page_of
from tuiheat.app.opening import opening
from tuiheat.app.reactions import NEW_VIEW, ORDER, REACTIONS, plan
from tuiheat.app.scale import for_new_data, log_said, mode_said, typed
from tuiheat.core.boxes import Box
from tuiheat.core.colourscale import ScaleSettings
from tuiheat.core.facets import facet_spec
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.panes import PaneSet
from tuiheat.core.scale import ValueRange
from tuiheat.core.stamp import file_stamp
from tuiheat.core.tensor import Tensor, default_spec, transpose
from tuiheat.core.viewstate import ViewState
from tuiheat.loaders import load_tensor
from tuiheat.render.viewtexts import doc_title, readout_text
from tuiheat.session.config import Source, ViewerConfig
from tuiheat.session.files import FileSession

M = np.arange(30.0).reshape(5, 6)


def config_of(
    values: np.ndarray = M, boxes: list[Box] | None = None, **fields: object
) -> ViewerConfig:
    matrix = HeatMatrix(np.asarray(values, dtype=np.float64), boxes=boxes or [])
    return ViewerConfig.for_matrix(matrix, **fields)


def started(config: ViewerConfig) -> tuple[PaneSet, ViewState, ScaleSettings]:
    start = opening(config, config.scale())
    return start.panes, start.state, start.settings


# --- reactions ---------------------------------------------------------------------------


def test_the_reaction_table_is_pinned() -> None:
    """What each change of the view state repaints: a cursor step no more than the token
    text, the readout, the box line and the profiles; a new zoom or slice everything, in
    one order."""
    assert REACTIONS["cursor"] == ("text", "readout", "boxinfo", "profiles")
    assert REACTIONS["anchor"] == ("boxinfo", "hints")
    assert REACTIONS["boxes"] == ("boxinfo",)
    assert REACTIONS["zoom"] == REACTIONS["spec"] == NEW_VIEW
    assert REACTIONS["summary"] == ("layout",)
    assert REACTIONS["half"] == ("layout", "marks")  # peak marks need full cells: said
    assert REACTIONS["margins"] == ("layout", "profiles!")
    assert REACTIONS["annotate"] == ()
    assert REACTIONS["peaks"] == REACTIONS["emerge"] == ("marks",)
    # Every field of the state is named, but those that change only with another that is.
    assert set(REACTIONS) == set(ViewState.__dataclass_fields__) - {"draft", "home", "deleted"}


def test_plan_runs_each_step_once_in_order_and_a_forced_repaint_wins() -> None:
    assert plan({"cursor"}) == ("text", "readout", "boxinfo", "profiles")
    both = plan({"cursor", "margins"})
    assert both == ("text", "layout", "readout", "boxinfo", "profiles!")
    assert plan({"zoom", "cursor", "anchor"}) == NEW_VIEW
    assert all(ORDER.index(a) < ORDER.index(b) for a, b in itertools.pairwise(both))
    assert plan(set()) == () and plan({"annotate"}) == ()
    from tuiheat.app.presenter import STEP_METHODS, Presenter

    assert set(ORDER) - {"profiles!"} == set(STEP_METHODS)  # every step has a method
    assert all(callable(getattr(Presenter, name)) for name in STEP_METHODS.values())


# --- opening -----------------------------------------------------------------------------


def test_one_matrix_opens_on_its_own_range_and_first_cell() -> None:
    panes, state, settings = started(config_of())
    assert panes.kind == "one" and panes.single
    assert state.cursor.cell == (0, 0) and state.base_shape == (5, 6)
    assert (settings.base.vmin, settings.base.vmax) == (0.0, 29.0) and settings.auto


def test_several_files_share_one_start_range() -> None:
    other = Tensor.from_matrix(HeatMatrix(M + 100.0))
    panes, _, settings = started(config_of(compare=other))
    assert panes.kind == "files" and not panes.single
    assert (settings.base.vmin, settings.base.vmax) == (0.0, 129.0)


def test_a_typed_range_is_kept_and_colours_come_from_the_screen_before() -> None:
    config = config_of(vmin=-1.0, vmax=1.0)
    kept = replace(config.scale(), colormap="magma")
    start = opening(config, kept)
    assert start.settings.colormap == "magma" and not start.settings.auto
    assert (start.settings.base.vmin, start.settings.base.vmax) == (-1.0, 1.0)


# --- boxes -------------------------------------------------------------------------------


def test_boxes_are_unsaved_only_with_a_file_that_could_keep_them() -> None:
    _, state, _ = started(config_of(boxes=[Box(0, 1, 0, 1)]))
    saved = SavedBoxes(state.boxes)
    assert not saved.unsaved(state, Path("x.npy"))
    more = state.at(3, 3).start_box().at(4, 4).keep_box()
    assert saved.unsaved(more, Path("x.npy")) and not saved.unsaved(more, None)
    assert saved.warn().warned and not saved.warned


def test_the_box_line_says_what_is_drawn_under_the_cursor_or_what_a_peak_key_said() -> None:
    panes, state, _ = started(config_of(boxes=[Box(0, 1, 0, 1, "corner")]))
    pane = panes.shown[0]
    line = box_line_text(state, pane, None, 100)
    assert "corner" in line and "mean" in line
    assert box_line_text(state.at(4, 5), pane, None, 100) == ""
    drawing = state.at(2, 2).start_box().at(3, 4)
    assert "drawing" in box_line_text(drawing, pane, None, 100)
    assert box_line_text(state, pane, (state, "peak at L3"), 100) == "peak at L3"
    assert box_line_text(state.at(1, 1), pane, (state, "peak at L3"), 100) != "peak at L3"
    assert len(list_rows(pane, state.boxes)) == 1


def test_save_boxes_refuses_without_a_file_and_off_the_files_own_view(tmp_path: Path) -> None:
    panes, state, _ = started(config_of(boxes=[Box(0, 1, 0, 1)]))
    saved, said, severity = save_boxes(panes, state, None, None)
    assert not saved and "cannot be saved" in said and severity == "warning"
    path = tmp_path / "m.npy"
    np.save(path, M)
    tensor = load_tensor(str(path))
    panes3 = PaneSet.of([tensor], ["m"], default_spec(tensor))
    moved = state.sliced(transpose(default_spec(tensor)), (6, 5))
    saved, said, _ = save_boxes(panes3, moved, path, None)
    assert not saved and "own view" in said


def test_save_boxes_writes_the_sidecar_or_says_why_not(tmp_path: Path) -> None:
    path = tmp_path / "m.npy"
    np.save(path, M)
    panes, state, _ = started(config_of(boxes=[Box(0, 1, 0, 1)]))
    saved, said, severity = save_boxes(panes, state, path, None)
    assert saved and said.startswith("Saved 1 box to") and severity == "information"
    assert any(p.name != "m.npy" for p in tmp_path.iterdir())
    if os.geteuid() != 0:  # root writes anywhere
        tmp_path.chmod(0o500)
        try:
            saved, said, severity = save_boxes(panes, state, path, None)
            assert not saved and "previous sidecar is intact" in said and severity == "error"
        finally:
            tmp_path.chmod(0o700)


# --- files -------------------------------------------------------------------------------


def watched(path: Path, watch: bool) -> tuple[FileWatch, PaneSet]:
    config = ViewerConfig.for_matrix(
        HeatMatrix(np.load(path)),
        data_path=path,
        stamp=file_stamp(path),
        reloader=lambda: load_tensor(str(path)),
    )
    return FileWatch(FileSession(config.sources), watch), started(config)[0]


def touch(path: Path, values: np.ndarray) -> None:
    np.save(path, values)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def test_a_change_is_said_once_without_watching(tmp_path: Path) -> None:
    path = tmp_path / "m.npy"
    np.save(path, M)
    files, panes = watched(path, watch=False)
    assert files.wanted and files.check(panes) is None
    touch(path, M + 1)
    event = files.check(panes)
    assert event is not None and "Ctrl+R" in event.notice and not event.reload
    assert files.check(panes) is None  # once


def test_watching_reloads_and_a_file_gone_is_said_once_then_back(tmp_path: Path) -> None:
    path = tmp_path / "m.npy"
    np.save(path, M)
    files, panes = watched(path, watch=True)
    touch(path, M + 1)
    event = files.check(panes)
    assert event is not None and event.reload and not event.notice
    path.unlink()
    gone = files.check(panes)
    assert gone is not None and gone.title and "deleted or moved" in gone.notice
    assert files.title_error() == "file gone" and files.check(panes) is None
    touch(path, M + 2)
    back = files.check(panes)
    assert back is not None and back.title and back.reload and not files.gone


def test_a_failed_reload_is_said_and_the_next_good_one_clears_it(tmp_path: Path) -> None:
    path = tmp_path / "m.npy"
    np.save(path, M)
    files, _ = watched(path, watch=False)
    files.reloading = True
    said = files.failed("truncated\x1b[31m")
    assert "Reload failed" in said and "\x1b" not in said and not files.reloading
    assert files.title_error() == "reload failed"
    files.done()
    assert files.title_error() == "" and files.reloaded_at.count(":") == 2


def test_a_reload_keeps_the_view_or_goes_back_to_the_files_own_for_another_shape() -> None:
    panes, state, _ = started(config_of())
    state = state.at(3, 4)
    same, kept = reloaded_view(panes, state, (Tensor.from_matrix(HeatMatrix(M * 2)),))
    assert kept.cursor.cell == (3, 4) and same.first.matrix.value(3, 4) == M[3, 4] * 2
    other, moved = reloaded_view(panes, state, (Tensor.from_matrix(HeatMatrix(np.ones((2, 2)))),))
    assert other.first.matrix.shape == (2, 2) and moved.base_shape == (2, 2)
    assert moved.cursor.cell == (1, 1)


# --- exports -----------------------------------------------------------------------------


def test_the_export_menu_offers_a_box_only_under_one() -> None:
    choices = {c.kind: c for c in menu_choices("run", None)}
    assert not choices["box"].enabled and choices["html"].default_name == "run.html"
    assert {c.kind: c for c in menu_choices("run", 2)}["box"].default_name == "run-box3.csv"
    assert (
        export_kind("png", Path("x.pdf")) == "pdf"
        and export_kind("visible", Path("x.pdf")) == "visible"
    )


def test_export_texts_and_headings() -> None:
    panes, state, settings = started(config_of(boxes=[Box(0, 1, 0, 1)]))
    vrange = settings.base
    visible = export_text("visible", panes, state, Box(0, 1, 0, 2), settings, vrange, "t")
    assert "".join(visible) == "Layer,0,1,2\n0,0.0,1.0,2.0\n1,6.0,7.0,8.0\n"
    assert export_text("box", panes, state, Box(0, 0, 0, 0), settings, vrange, "t")
    with pytest.raises(ValueError, match="no box under the cursor"):
        export_text("box", panes, state.at(4, 4), Box(0, 0, 0, 0), settings, vrange, "t")
    other = Tensor.from_matrix(HeatMatrix(M + 1))
    files, _, _ = started(config_of(compare=other, names=("seed0/auc.csv", "seed1/auc.csv")))
    assert heading(files, "ignored") == "seed0/auc.csv"
    assert heading(files.toggled_diff(), "x") == "seed0/auc.csv − seed1/auc.csv"
    assert heading(panes, "[bold]t") == "[bold]t"


def test_a_failed_write_is_one_line(tmp_path: Path) -> None:
    error = write_export(tmp_path / "missing" / "x.csv", "a,b\n", [])
    assert error and "\n" not in error
    assert write_export(tmp_path / "x.csv", "a,b\n", []) == ""
    assert (tmp_path / "x.csv").read_text() == "a,b\n"


# --- facets ------------------------------------------------------------------------------


def test_f_lays_out_a_hidden_axis_then_goes_back_as_before() -> None:
    tensor = Tensor(np.random.default_rng(0).random((3, 4, 5, 5)), ("layer", "head", "q", "k"))
    config = ViewerConfig.for_matrix(HeatMatrix(tensor.values[0, 0]), tensor=tensor)
    panes, state, _ = started(config)
    heads = cycled(panes, state, config, {})
    assert isinstance(heads, FacetView) and heads.panes.kind == "facets"
    assert len(heads.panes.panes) == 4 and heads.config.facet == 1
    layers = cycled(heads.panes, heads.state, heads.config, {})
    assert isinstance(layers, FacetView) and len(layers.panes.panes) == 3
    head_1 = facet_spec(state.spec, 1, 1)  # the slice on screen before the panels
    back = cycled(layers.panes, layers.state, layers.config, {"half": False}, head_1)
    assert isinstance(back, FacetView) and back.panes.single and back.config.facet is None
    assert back.state.half is False and back.state.spec == head_1
    assert back.panes.first.spec == head_1
    assert "2-D" in str(cycled(*started(config_of())[:2], config_of(), {}))
    files = config_of(compare=Tensor.from_matrix(HeatMatrix(M)))
    assert "panel already" in str(cycled(*started(files)[:2], files, {}))


# --- the colour scale --------------------------------------------------------------------


def test_typed_ranges_centres_and_auto() -> None:
    panes, _, settings = started(config_of())
    centred = typed(settings, (None, 10.0), panes)
    assert centred.center == 10.0
    given = typed(settings, (ValueRange(1.0, 2.0), None), panes)
    assert (given.base.vmin, given.base.vmax) == (1.0, 2.0) and not given.auto
    auto = typed(given, (None, None), panes)
    assert (auto.base.vmin, auto.base.vmax) == (0.0, 29.0)
    assert for_new_data(given, panes) is given  # a typed range stays with new data
    assert "decades below" in log_said(settings.toggled_log(), settings.base)
    assert mode_said(settings.next_mode()).startswith("Colour range:")


# --- words -------------------------------------------------------------------------------


def test_the_readout_and_the_title_are_functions_of_the_model() -> None:
    panes, state, _ = started(config_of(title="probe"))
    assert "29" in readout_text(panes, state.at(4, 5)).plain
    assert doc_title(panes, state, "probe", "") == "probe"
    other = Tensor.from_matrix(HeatMatrix(M + 1))
    files, fstate, _ = started(config_of(compare=other))
    text = readout_text(files, fstate.at(1, 1)).plain
    assert "7" in text and "8" in text


def test_the_fitter_remembers_what_the_user_chose_and_names_pages() -> None:
    fitter = Fitter(colour=True)
    _, state, _ = started(config_of())
    fitter.noted(state, ViewState(**{**state.__dict__, "half": not state.half}))
    assert fitter.wish["half"] == (not state.half) and fitter.wish["margins"] is None
    assert fitter.fit_room((120, 40), chart_shown=False) == (2 * (40 - 4), 120 - 12)
    assert Fitter(colour=False).fit_room((80, 40), chart_shown=True) == (40 - 4 - 16, 80 - 12)
    assert page_of(6, 0, 6) is None and page_of(4, 4, 10) == (5, 8, 10)
    assert not fitter.chart_fits(20) and fitter.chart_fits(40)


# --- the head explorer ---------------------------------------------------------------------


def test_ranked_step_walks_the_heads_by_value_ties_by_place_and_skips_nan() -> None:
    from tuiheat.app.heads import ranked_step

    values = np.array([[0.2, 0.9, np.nan], [0.5, 0.9, 0.1]])
    # n: down from the highest; equal values in the heads' order; NaN never visited.
    walk, cell = [], (0, 2)  # on NaN: the first of the ranking
    for _ in range(6):
        cell = ranked_step(values, cell, 1)
        walk.append(cell)
    assert walk == [(0, 1), (1, 1), (1, 0), (0, 0), (1, 2), (0, 1)]
    assert ranked_step(values, (0, 0), -1) == (1, 0)  # N: the next higher
    assert ranked_step(values, (0, 1), -1) == (1, 1)
    assert ranked_step(np.full((2, 2), np.nan), (1, 1), 1) == (1, 1)


def test_head_link_configures_the_summary_and_a_head() -> None:
    from tuiheat.app.heads import HeadLink, next_stat
    from tuiheat.core.headstats import HeadAxes, summary_tensor
    from tuiheat.core.tensor import Tensor, slice_matrix

    p = np.random.default_rng(0).dirichlet(np.ones(5), size=(2, 3, 5)).astype(np.float32)
    tensor = Tensor(p, ("layer", "head", "q", "k"), title="attn")
    origin = ViewerConfig(sources=(Source(tensor, "attn"),), array_name="attn", vmin=0.2)
    link = HeadLink(origin, HeadAxes.of(tensor))
    link.found["max"] = summary_tensor(tensor, link.axes, "max")
    summary = link.summary_config("max")
    shown = summary.sources[0].tensor
    assert shown.shape == (2, 3) and summary.vmin is None and summary.array_name == "attn: max"
    assert (shown.vmin, shown.vmax) == (shown.values.min(), shown.values.max())  # its own
    head = link.head_config(1, 2)
    assert head.as_text == "-1" and head.vmin == 0.2  # the tensor's colours, text on
    np.testing.assert_array_equal(slice_matrix(tensor, head.spec).values, p[1, 2])
    assert next_stat("entropy") == "max" and next_stat("diag") == "entropy"
