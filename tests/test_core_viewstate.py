"""The view model: every key is a pure transition, tested without a terminal."""

from __future__ import annotations

import pytest

from tuiheat.core.boxes import Box
from tuiheat.core.tensor import SliceSpec
from tuiheat.core.viewstate import ViewState, changed
from tuiheat.core.zoom import Zoom

from conftest import packages_loaded_by

SPEC = SliceSpec(0, 1)


def state(shape: tuple[int, int] = (32, 14), **fields) -> ViewState:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    return replace(ViewState.start(shape, SPEC), **fields)


def test_moves_stay_inside_the_matrix() -> None:
    s = state().moved(-1, -1)
    assert s.cursor.cell == (0, 0)
    s = s.moved(40, 3)
    assert s.cursor.cell == (31, 3)
    assert s.paged(-1, 10).cursor.row == 21 and s.paged(1, 10).cursor.row == 31
    assert s.at(col=99).cursor.cell == (31, 13)


def test_go_to_a_data_cell_through_the_zoom() -> None:
    s = state((100, 100)).zoomed(Zoom(4, 8))
    assert s.at_base(13, 50).cursor.cell == (3, 6)
    assert s.at_base(None, 99).cursor.cell == (s.cursor.row, 12)  # a row left out stays


def test_a_box_drawn_on_blocks_covers_all_their_cells() -> None:
    s = state((100, 100)).zoomed(Zoom(4, 4)).at(1, 1).start_box().moved(2, 3)
    assert s.draft == Box(1, 3, 1, 4)
    kept = s.keep_box()
    assert kept.boxes == (Box(4, 15, 4, 19),) and kept.anchor is None and kept.draft is None


def test_b_twice_keeps_and_escape_cancels() -> None:
    s = state().at(2, 2).start_box().moved(1, 1)
    assert s.start_box().boxes == (Box(2, 3, 2, 3),)
    assert s.cancel_box().boxes == () and s.cancel_box().draft is None
    assert state().keep_box() == state()  # nothing drawn: nothing kept


def test_zoom_in_centres_on_the_cursors_block() -> None:
    out = state((64, 64)).at(40, 21).zoomed(Zoom(8, 8))
    assert out.cursor.cell == (5, 2) and out.view_shape == (8, 8)
    back = out.zoomed(Zoom())
    assert back.cursor.cell == (40, 21)  # - then +: back on the cell it left
    moved = out.moved(1, 0).zoomed(Zoom())
    assert moved.cursor.cell == (51, 19)  # another block: its middle (rows 48-55, cols 16-23)
    twice = state((64, 64)).at(9, 3).zoomed(Zoom(2, 2)).zoomed(Zoom(4, 4))
    assert twice.zoomed(Zoom(2, 2)).zoomed(Zoom()).cursor.cell == (9, 3)
    drawing = state((64, 64)).start_box()
    assert drawing.zoomed(Zoom(2, 2)).anchor is None


def test_a_transpose_carries_boxes_and_cursor() -> None:
    s = state((6, 9), boxes=(Box(1, 2, 3, 7, "x"),)).at(4, 8)
    t = s.sliced(SliceSpec(1, 0), (9, 6))
    assert t.boxes == (Box(3, 7, 1, 2, "x"),) and t.cursor.cell == (8, 4)
    assert t.base_shape == (9, 6) and t.spec == SliceSpec(1, 0)


def test_a_slice_of_another_shape_drops_the_boxes() -> None:
    s = state((6, 9), boxes=(Box(1, 2, 3, 7),)).at(5, 8)
    other = SliceSpec(0, 2, ((1, "index", 0),))
    t = s.sliced(other, (6, 4))
    assert t.boxes == () and t.cursor.cell == (5, 3)
    same = s.sliced(SliceSpec(0, 1, ((2, "index", 1),)), (6, 9))
    assert same.boxes == s.boxes  # the next head has the same shape: boxes stay


def test_next_box_in_reading_order_and_around() -> None:
    boxes = (Box(10, 12, 0, 2), Box(2, 3, 5, 6), Box(2, 4, 1, 1))
    s = state(boxes=boxes)
    assert s.next_box(1).cursor.cell == (2, 1)
    assert s.next_box(1).next_box(1).cursor.cell == (2, 5)
    assert s.next_box(-1).cursor.cell == (10, 0)
    assert state().next_box(1) == state()


def test_delete_the_innermost_box_under_the_cursor() -> None:
    s = state(boxes=(Box(0, 10, 0, 10, "outer"), Box(2, 3, 2, 3, "inner"))).at(2, 2)
    rest, gone = s.without_box_at_cursor()
    assert gone == Box(2, 3, 2, 3, "inner") and rest.boxes == (Box(0, 10, 0, 10, "outer"),)
    assert state().without_box_at_cursor() == (state(), None)


def test_toggles_and_the_summary_cycle() -> None:
    s = state()
    assert s.toggled("half").half and not s.toggled("margins").margins
    off = s.toggled("margins")
    assert off.next_summary().summary == "max" and off.next_summary().margins  # m shows them
    assert state(summary="std").next_summary().summary == "mean"
    with pytest.raises(ValueError):
        s.toggled("cursor")


def test_changed_names_what_differs() -> None:
    s = state()
    assert changed(s, s.moved(1, 0)) == {"cursor"}
    assert changed(s, s.start_box()) == {"anchor"}
    assert changed(s, s.zoomed(Zoom(2, 2))) == {"zoom", "cursor", "home"}
    assert changed(s, s) == frozenset()
    assert "spec" in changed(None, s)


def test_states_are_hashable_values() -> None:
    assert state() == state() and hash(state()) == hash(state())
    assert state() != state().moved(0, 1)


def test_the_view_model_imports_without_textual_or_rich() -> None:
    assert packages_loaded_by("import tuiheat.core.viewstate", ("textual", "rich")) == []


def test_peak_and_emergence_marks_are_asked_for_and_kept_across_views() -> None:
    s = state()
    assert not s.peaks and s.emerge is None and not s.column_marks
    on = s.toggled("peaks")
    assert on.peaks and on.column_marks and changed(s, on) == {"peaks"}
    assert not on.toggled("peaks").peaks  # P again: off
    rising = on.emerging(0.8)
    assert rising.emerge == 0.8 and changed(on, rising) == {"emerge"}
    assert rising.emerging(None).emerge is None and rising.emerging(None).peaks
    moved = rising.zoomed(Zoom(2, 2)).sliced(SliceSpec(1, 0), (14, 32)).moved(1, 1)
    assert moved.peaks and moved.emerge == 0.8  # asked for until asked otherwise
    assert s.emerging(1).emerge == 1.0 and isinstance(s.emerging(1).emerge, float)
