"""The heat view's key logic without a terminal: peaks, zooms and the box / N-D keys are
values in, values out (the widget only applies them)."""

from __future__ import annotations

import numpy as np

from tuiheat.core.boxes import Box
from tuiheat.core.panes import PaneSet
from tuiheat.core.tensor import SliceSpec, Tensor, default_spec
from tuiheat.core.viewstate import ViewState
from tuiheat.core.zoom import Zoom, zoom_step
from tuiheat.widgets import outcomes, peaksearch, zooming
from tuiheat.widgets.peaksearch import PeakFinder, progress_bar

VALUES = np.arange(48, dtype=float).reshape(8, 6)


def panes_of(*arrays: np.ndarray) -> PaneSet:
    tensors = [Tensor(a) for a in arrays]
    return PaneSet.of(tensors, [f"P{i}" for i in range(len(arrays))], SliceSpec(0, 1))


def start(panes: PaneSet, boxes: tuple[Box, ...] = ()) -> ViewState:
    return ViewState.start(panes.first.matrix.shape, panes.first.spec, boxes)


def test_peaks_walk_down_from_the_maximum_and_remember_what_was_found() -> None:
    panes, finder = panes_of(VALUES), PeakFinder()
    state = start(panes)
    search = finder.request("max", panes, state)
    assert (search.rank, search.box, search.scope, search.word) == (1, None, "", "maximum")
    ranked = finder.answer(search, panes.shown[0])
    assert ranked is not None
    state, note = finder.jump(search, ranked, state)
    assert state.cursor.cell == (7, 5) and "47" in note
    again = finder.request("max", panes, state)  # pressed again on its cell: the next one
    assert again.rank == 2 and again.known is ranked
    state, _ = finder.jump(again, finder.answer(again, panes.shown[0]), state)  # type: ignore[arg-type]
    assert state.cursor.cell == (7, 4)
    low = finder.request("min", panes, state)
    assert low.rank == 1 and low.word == "minimum"
    finder.forget()  # other data: the walk starts over
    assert finder.request("max", panes, state).rank == 1


def test_a_peak_search_names_its_box_and_pane_and_empty_data_says_so() -> None:
    box = Box(0, 2, 0, 2)
    nan = np.full((8, 6), np.nan)
    panes = panes_of(nan, VALUES)
    state = start(panes, (box,))
    finder = PeakFinder()
    search = finder.request("min", panes, state)
    assert search.box == box and search.scope == "box 1 of P0"
    ranked = finder.answer(search, panes.shown[0])
    assert ranked is not None and ranked.empty
    same, note = finder.jump(search, ranked, state)
    assert same is state and note
    assert finder.walk is None


def test_a_big_search_goes_to_a_thread_and_row_extremes_narrow_it(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    tall = np.arange(600, dtype=float).reshape(100, 6)
    panes, finder = panes_of(tall), PeakFinder()
    monkeypatch.setattr(peaksearch, "SYNC_CELLS", 10)
    search = finder.request("max", panes, start(panes))
    assert search.cells_read == 600 and finder.answer(search, panes.shown[0]) is None

    class Margins:  # the margins' data: each row's maximum
        summaries = type("S", (), {"rows": tall.max(axis=1)})

    hinted = finder.request("max", panes, start(panes), (search.matrix, {"max": Margins}))  # type: ignore[dict-item]
    assert hinted.hint is not None and hinted.cells_read < search.cells_read
    assert hinted.run().cells[0] == (99, 5)


def test_progress_bars_fill_in_tenths() -> None:
    assert progress_bar(0.0) == "▱" * 10 + " 0%"
    assert progress_bar(0.34) == "▰" * 3 + "▱" * 7 + " 34%"


def test_zoom_targets_and_when_a_thread_prepares_them() -> None:
    shape, zoom = (4096, 4096), Zoom()
    out = zooming.zoom_target("out", zoom, shape, 30, 50)
    assert out == zoom_step(zoom, shape, out=True) and not out.is_identity
    assert zooming.zoom_target("in", zoom, shape, 30, 50) == zoom  # nothing to do
    fit = zooming.zoom_target("fit", zoom, shape, 0, 0)  # rows and columns are at least 1
    assert fit.row_factor >= 4096 // 2
    assert zooming.reducer_target(zoom) is None
    reduced = zooming.reducer_target(out)
    assert reduced is not None and reduced.reducer != out.reducer
    pane = panes_of(np.zeros((4096, 4096), dtype=np.float32)).shown
    assert zooming.needs_thread(out, pane, shape, 1 << 22)
    assert not zooming.needs_thread(out, pane, shape, 1 << 10)  # a small screen: at once
    assert not zooming.needs_thread(zoom, pane, shape, 1 << 24)  # full resolution


def test_box_keys_say_why_when_there_is_nothing_to_do() -> None:
    panes = panes_of(VALUES)
    state = start(panes, (Box(0, 1, 0, 1),))
    gone = outcomes.delete_box(state, panes)
    assert gone.state is not None and not gone.state.boxes and "u brings it back" in gone.notice
    back = outcomes.undo_delete(gone.state, panes)
    assert back.state is not None and back.state.boxes and back.notice.startswith("Restored")
    none = outcomes.delete_box(state.at(5, 5), panes)
    assert none.state is None and none.warning
    assert outcomes.undo_delete(state, panes).warning
    assert outcomes.next_box(start(panes), 1).notice.startswith("There are no boxes")
    assert outcomes.next_box(state.at(5, 5), 1).state.cursor.cell == (0, 0)  # type: ignore[union-attr]
    assert outcomes.toggle_half(state, supports_half=False).state is None
    half = outcomes.toggle_half(state, supports_half=True)
    assert half.state is not None and half.state.half and "Box frames" in half.notice


def test_n_d_keys_step_and_reduce_hidden_axes_or_say_there_are_none() -> None:
    cube = Tensor(np.arange(2 * 3 * 4, dtype=float).reshape(2, 3, 4))
    spec = default_spec(cube)
    panes = PaneSet.of([cube], ["A"], spec)
    state = ViewState.start(panes.first.matrix.shape, spec)
    stepped = outcomes.step_axis(state, panes, 0, 1)
    assert stepped.spec is not None and stepped.spec != spec and not stepped.notice
    assert "only one hidden axis" in outcomes.step_axis(state, panes, 1, 1).notice
    assert outcomes.cycle_axis_reduction(state, panes).spec is not None
    flat = panes_of(VALUES)
    assert "no hidden axis" in outcomes.step_axis(start(flat), flat, 0, 1).notice
    assert outcomes.cycle_axis_reduction(start(flat), flat).spec is None
