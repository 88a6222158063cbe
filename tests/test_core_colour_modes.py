"""Diverging symmetry, log scales with non-positive values, per-row normalisation, cell numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tuiheat.core import HeatMatrix, ValueRange
from tuiheat.core.readout import short_value
from tuiheat.core.scale import (
    NAN_BIN,
    adjusted_range,
    centred_range,
    log_range,
    normalize,
    to_bins_by,
)
from tuiheat.core.ticks import scale_ticks


def test_centred_range_is_symmetric_and_holds_both_ends() -> None:
    r = centred_range(ValueRange(-0.2, 0.7), 0.0)
    assert (r.vmin, r.vmax) == (-0.7, 0.7)
    assert normalize(np.array([0.0]), r)[0] == 0.5
    r = centred_range(ValueRange(0.5, 1.0), 0.75)
    assert (r.vmin, r.vmax) == (0.5, 1.0)


def test_log_scale_positions_and_non_positive_values() -> None:
    r = ValueRange(1e-4, 1.0, log=True)
    pos = normalize(np.array([1e-4, 1e-2, 1.0, 0.0, -3.0, np.nan, 10.0]), r)
    np.testing.assert_allclose(pos[:3], [0.0, 0.5, 1.0])
    assert pos[3] == 0.0 and pos[4] == 0.0  # out of range: the low end
    assert math.isnan(pos[5]) and pos[6] == 1.0


def test_log_range_moves_a_non_positive_low_end() -> None:
    m = HeatMatrix(np.array([[0.0, 1e-3], [0.5, 1.0]]))
    r = adjusted_range(ValueRange(0.0, 1.0), m, log=True)
    assert r.log and r.vmin == 1e-3 and r.vmax == 1.0
    with pytest.raises(ValueError):
        ValueRange(0.0, 1.0, log=True)
    assert log_range(ValueRange(-5, -1), None).log


def test_log_ticks_are_decades() -> None:
    assert scale_ticks(ValueRange(1e-4, 1.0, log=True)) == [1e-4, 1e-3, 1e-2, 1e-1, 1.0]
    assert scale_ticks(ValueRange(0.1, 0.9, log=True)) == [0.1, 0.2, 0.5]


def test_per_row_normalisation() -> None:
    values = np.array([[1.0, 2.0, 3.0], [10.0, 20.0, np.nan], [5.0, 5.0, 5.0]])
    lows, highs = np.array([1.0, 10.0, 5.0]), np.array([3.0, 20.0, 5.0])
    bins = to_bins_by(values, lows, highs, 11, axis=0)
    assert bins[0].tolist() == [0, 5, 10]
    assert bins[1].tolist() == [0, 10, NAN_BIN]
    assert bins[2].tolist() == [5, 5, 5]  # a constant row sits mid-scale
    by_col = to_bins_by(values[:2, :2], np.array([1.0, 2.0]), np.array([10.0, 20.0]), 11, axis=1)
    assert by_col.tolist() == [[0, 0], [10, 10]]


@pytest.mark.parametrize(
    ("value", "width", "text"),
    [
        (0.843, 5, "0.843"),
        (0.843, 4, ".843"),
        (-0.391, 5, "-.391"),
        (12.5, 4, "12.5"),
        (1234.0, 3, "1e3"),
        (np.nan, 4, ""),
        (1e9, 2, ""),
    ],
)
def test_short_values_fit_or_stay_empty(value: float, width: int, text: str) -> None:
    assert short_value(value, width) == text
