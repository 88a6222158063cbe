from __future__ import annotations

import math

import numpy as np
import pytest

from tuiheat.core import Box, HeatMatrix, parse_box_spec
from tuiheat.core.stats import box_stats, innermost_box, matrix_totals


def reference(values: np.ndarray, box: Box) -> dict[str, float]:
    inside = values[box.r0 : box.r1 + 1, box.c0 : box.c1 + 1]
    mask = np.zeros_like(values, dtype=bool)
    mask[box.r0 : box.r1 + 1, box.c0 : box.c1 + 1] = True
    fin_in = inside[np.isfinite(inside)]
    outside = values[~mask]
    fin_out = outside[np.isfinite(outside)]
    return {
        "mean": float(fin_in.mean()),
        "min": float(fin_in.min()),
        "max": float(fin_in.max()),
        "outside": float(fin_out.mean()) if fin_out.size else math.nan,
    }


@pytest.mark.parametrize(
    "box", [Box(0, 3, 1, 5), Box(2, 2, 2, 2), Box(0, 7, 0, 9), Box(5, 7, 8, 9)]
)
def test_stats_match_numpy(box: Box) -> None:
    values = np.random.default_rng(3).normal(size=(8, 10))
    values[1, 2] = np.nan
    values[6, 9] = np.inf
    stats = box_stats(HeatMatrix(values), box)
    ref = reference(values, box)
    assert stats.mean == pytest.approx(ref["mean"])
    assert stats.min == ref["min"] and stats.max == ref["max"]
    r, c = stats.argmax  # type: ignore[misc]
    assert values[r, c] == stats.max and box.contains(r, c)
    r, c = stats.argmin  # type: ignore[misc]
    assert values[r, c] == stats.min and box.contains(r, c)
    if math.isnan(ref["outside"]):
        assert stats.outside_mean is None
    else:
        assert stats.outside_mean == pytest.approx(ref["outside"])


def test_nan_cells_are_ignored_and_counted() -> None:
    values = np.array([[1.0, np.nan], [np.inf, 3.0]])
    stats = box_stats(HeatMatrix(values), Box(0, 1, 0, 1))
    assert (stats.cells, stats.finite, stats.missing) == (4, 2, 2)
    assert stats.mean == 2.0 and stats.min == 1.0 and stats.max == 3.0
    assert stats.outside_mean is None  # the box is the whole matrix


def test_box_of_only_nan() -> None:
    values = np.array([[np.nan, 1.0]])
    stats = box_stats(HeatMatrix(values), Box(0, 0, 0, 0))
    assert stats.finite == 0 and math.isnan(stats.mean) and stats.argmax is None
    assert stats.outside_mean == 1.0


def test_single_cell_box() -> None:
    values = np.arange(12.0).reshape(3, 4)
    stats = box_stats(HeatMatrix(values), Box(1, 1, 2, 2))
    assert (stats.mean, stats.min, stats.max, stats.argmax) == (6.0, 6.0, 6.0, (1, 2))
    assert stats.outside_mean == pytest.approx((66 - 6) / 11)


def test_box_given_by_labels_and_reversed_corners() -> None:
    values = np.arange(12.0).reshape(3, 4)
    m = HeatMatrix(values, row_labels=("L0", "L1", "L2"), col_labels=("a", "b", "c", "d"))
    by_label = parse_box_spec("L2..L1:d..b", m.row_labels, m.col_labels)
    assert by_label == Box(1, 2, 1, 3)
    assert box_stats(m, by_label).mean == pytest.approx(values[1:3, 1:4].mean())


def test_integer_matrices_and_memmaps(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.npy"
    np.save(path, np.arange(100, dtype=np.int8).reshape(10, 10))
    m = HeatMatrix(np.load(path, mmap_mode="r"))
    stats = box_stats(m, Box(0, 9, 0, 9), matrix_totals(m))
    assert stats.mean == 49.5 and stats.max == 99.0


def test_innermost_box() -> None:
    boxes = (Box(0, 9, 0, 9), Box(2, 3, 2, 3), Box(20, 21, 0, 0))
    assert innermost_box(boxes, 2, 2) == 1
    assert innermost_box(boxes, 5, 5) == 0
    assert innermost_box(boxes, 15, 0) is None
