from __future__ import annotations

import numpy as np
import pytest

from tuiheat.core import HeatMatrix, ValueRange
from tuiheat.core.summary import (
    NAN_LEVEL,
    axis_summaries,
    extremes,
    resample_max,
    spark_levels,
    summary_range,
)


def test_spark_levels_known_values() -> None:
    values = np.array([0.0, 0.124, 0.125, 0.5, 0.99, 1.0, 1.5, -1.0, np.nan, np.inf])
    levels = spark_levels(values, ValueRange(0.0, 1.0))
    assert levels.tolist() == [0, 0, 1, 4, 7, 7, 7, 0, NAN_LEVEL, NAN_LEVEL]


def test_constant_range_uses_the_middle_level() -> None:
    assert spark_levels(np.array([2.0, 2.0]), ValueRange(2.0, 2.0)).tolist() == [4, 4]


def test_levels_rank_like_values() -> None:
    values = np.random.default_rng(5).normal(size=500)
    levels = spark_levels(values, ValueRange(-2.0, 2.0))
    order = np.argsort(values)
    assert np.all(np.diff(levels[order]) >= 0)


def reference(block: np.ndarray, axis: int, kind: str) -> np.ndarray:
    masked = np.ma.masked_invalid(block)
    out = getattr(masked, kind)(axis=axis)
    return np.ma.filled(out.astype(np.float64), np.nan)


@pytest.mark.parametrize("kind", ["mean", "max", "min", "std"])
def test_axis_summaries_match_numpy(kind: str, recwarn: pytest.WarningsRecorder) -> None:
    values = np.random.default_rng(1).normal(size=(7, 9))
    values[2, :] = np.nan  # an empty row
    values[:, 4] = np.nan  # an empty column
    values[0, 0] = np.inf
    values[5, 7] = -np.inf
    s = axis_summaries(HeatMatrix(values), kind)
    np.testing.assert_allclose(s.rows, reference(values, 1, kind), equal_nan=True)
    np.testing.assert_allclose(s.cols, reference(values, 0, kind), equal_nan=True)
    assert np.isnan(s.rows[2]) and np.isnan(s.cols[4])
    assert len(recwarn) == 0


def test_axis_summaries_across_row_blocks() -> None:
    values = np.random.default_rng(2).random((2100, 600))  # more than one block of rows
    s = axis_summaries(HeatMatrix(values), "mean")
    np.testing.assert_allclose(s.cols, values.mean(axis=0))
    np.testing.assert_allclose(s.rows, values.mean(axis=1))


def test_std_range_is_half_the_span() -> None:
    assert summary_range("std", ValueRange(0.5, 1.0)) == ValueRange(0.0, 0.25)
    assert summary_range("max", ValueRange(0.5, 1.0)) == ValueRange(0.5, 1.0)


def test_extremes_and_resampling_keep_the_peak() -> None:
    values = np.array([0.1, np.nan, 0.9, 0.3, -0.2])
    assert extremes(values) == (2, 4)
    assert extremes(np.array([np.nan])) is None
    long = np.zeros(1000)
    long[637] = 5.0
    short = resample_max(long, 40)
    assert short.size == 40 and short.max() == 5.0
