"""Comparing two runs: what compares, A − B read lazily, ranges for both and for the difference."""

from __future__ import annotations

import numpy as np
import pytest

from tuiheat.core import HeatMatrix
from tuiheat.core.compare import (
    CompareError,
    check_comparable,
    difference,
    difference_range,
    like,
    shared_range,
)
from tuiheat.core.scale import ValueRange, release_rows
from tuiheat.core.tensor import Tensor


def tensor(shape: tuple[int, ...], **kwargs) -> Tensor:  # type: ignore[no-untyped-def]
    return Tensor(np.zeros(shape), **kwargs)


def test_shapes_must_match_and_the_error_names_both() -> None:
    with pytest.raises(CompareError, match=r"run1 \(6×12\) with run2 \(6×13\)"):
        check_comparable(tensor((6, 12)), tensor((6, 13)), "run1", "run2")
    with pytest.raises(CompareError):
        check_comparable(tensor((2, 3, 4)), tensor((3, 2, 4)))


def test_label_and_name_differences_are_warnings() -> None:
    a = tensor((2, 3), labels=(None, ("x", "y", "z")))
    b = tensor((2, 3), labels=(None, ("x", "Y", "z")))
    (warning,) = check_comparable(a, b, "a.csv", "b.csv")
    assert "labels differ (first at 1: 'y' vs 'Y')" in warning and "a.csv's labels" in warning
    assert check_comparable(a, tensor((2, 3))) == []  # B without labels: nothing to differ
    renamed = tensor((2, 3), names=("layer", "head"))
    assert "axis names differ" in check_comparable(tensor((2, 3)), renamed)[0]


def test_difference_is_read_window_by_window() -> None:
    a = HeatMatrix(np.arange(12.0).reshape(3, 4), row_labels=("a", "b", "c"), title="A")
    b = HeatMatrix(np.ones((3, 4)), title="B")
    diff = difference(a, b)
    assert diff.values.strides == (0, 0)  # no memory of its own
    assert np.array_equal(diff.window(1, 3, 2, 4), a.as_float()[1:3, 2:4] - 1)
    assert diff.value(2, 3) == 10.0 and diff.row_labels == ("a", "b", "c")
    release_rows(diff, 0, 3)  # a view of two matrices: releasing reaches both, never fails
    with pytest.raises(CompareError):
        difference(a, HeatMatrix(np.ones((3, 5))))


def test_difference_of_nan_and_inf_is_nan_without_warnings() -> None:
    a = HeatMatrix(np.array([[np.nan, np.inf, 1.0]]))
    b = HeatMatrix(np.array([[1.0, np.inf, np.nan]]))
    with np.errstate(all="raise"):
        assert np.isnan(difference(a, b).as_float()).all()


def test_like_gives_b_the_labels_of_a() -> None:
    a = HeatMatrix(np.zeros((2, 2)), row_labels=("p", "q"), col_title="Head")
    b = like(HeatMatrix(np.ones((2, 2))), a)
    assert b.row_labels == ("p", "q") and b.col_title == "Head" and b.value(0, 0) == 1.0


def test_ranges_shared_and_symmetric() -> None:
    assert shared_range(ValueRange(0.5, 0.9), ValueRange(0.6, 1.0)) == ValueRange(0.5, 1.0)
    a = HeatMatrix(np.array([[0.5, 0.9]]))
    b = HeatMatrix(np.array([[0.7, 0.6]]))
    vr = difference_range(difference(a, b))
    assert vr.vmin == pytest.approx(-0.3) and vr.vmax == pytest.approx(0.3)
    same = difference_range(difference(a, a))
    assert (same.vmin, same.vmax) == (-1.0, 1.0)  # no difference: a neutral, valid scale
    nan = HeatMatrix(np.full((2, 2), np.nan))
    assert difference_range(difference(nan, nan)) == ValueRange(-1.0, 1.0)


def test_a_difference_with_boxes_or_a_new_title_still_reads_both_parts() -> None:
    """The e menu exports A − B with the boxes on screen: a copy must keep its parts."""
    import numpy as np

    from tuiheat.core import HeatMatrix
    from tuiheat.core.boxes import Box
    from tuiheat.core.compare import difference

    a, b = HeatMatrix(np.arange(6.0).reshape(2, 3)), HeatMatrix(np.ones((2, 3)))
    boxed = difference(a, b).with_boxes([Box(0, 1, 0, 1)])
    assert boxed.boxes == (Box(0, 1, 0, 1),)
    assert np.array_equal(boxed.window(0, 2, 0, 3), np.arange(6.0).reshape(2, 3) - 1)
    titled = boxed.with_changes(title="A − B")
    assert titled.title == "A − B" and titled.window(1, 2, 2, 3)[0, 0] == 4.0
