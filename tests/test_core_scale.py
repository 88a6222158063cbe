from __future__ import annotations

import math

import numpy as np
import pytest

from tuiheat.core import HeatMatrix, ValueRange, default_range, nice_ticks, normalize, to_bins
from tuiheat.core.scale import NAN_BIN, finite_min_max
from tuiheat.core.ticks import tick_text


def matrix(values) -> HeatMatrix:  # type: ignore[no-untyped-def]
    return HeatMatrix(np.asarray(values, dtype=np.float64))


def test_auc_like_data_gets_the_seed_range() -> None:
    assert default_range(matrix([[0.61, 0.97], [0.73, 0.88]])) == ValueRange(0.5, 1.0, auc=True)


def test_other_data_gets_finite_min_max() -> None:
    r = default_range(matrix([[-2.0, math.nan], [math.inf, 3.0]]))
    assert (r.vmin, r.vmax) == (-2.0, 3.0)


def test_file_range_and_overrides() -> None:
    m = HeatMatrix(np.array([[0.1, 0.2]]), vmin=0.0, vmax=1.0)
    assert default_range(m) == ValueRange(0.0, 1.0)
    assert default_range(m, vmin=0.05) == ValueRange(0.05, 1.0)
    assert default_range(matrix([[0.6, 0.9]]), vmax=0.8) == ValueRange(0.5, 0.8, auc=True)


def test_all_nan_matrix_has_a_range() -> None:
    r = default_range(matrix([[math.nan, math.nan]]))
    assert (r.vmin, r.vmax) == (0.0, 1.0)


def test_range_is_computed_in_chunks_over_memmap_like_ints() -> None:
    values = np.arange(10_000, dtype=np.int16).reshape(100, 100)
    assert finite_min_max(HeatMatrix(values)) == (0.0, 9999.0)


def test_normalize_clips_and_keeps_nan() -> None:
    pos = normalize(
        np.array([0.25, 0.5, 0.75, 1.0, 2.0, -np.inf, np.inf, np.nan]), ValueRange(0.5, 1.0)
    )
    assert pos[:7].tolist() == [0.0, 0.0, 0.5, 1.0, 1.0, 0.0, 1.0]
    assert math.isnan(pos[7])


def test_constant_range_puts_values_mid_scale() -> None:
    pos = normalize(np.array([1.0, 0.0, 2.0, np.nan]), ValueRange(1.0, 1.0))
    assert pos[:3].tolist() == [0.5, 0.0, 1.0]
    assert math.isnan(pos[3])


def test_bins_are_monotonic_with_nan_bin() -> None:
    values = np.linspace(0.5, 1.0, 101)
    bins = to_bins(values, ValueRange(0.5, 1.0), 256)
    assert bins[0] == 0 and bins[-1] == 255
    assert np.all(np.diff(bins) >= 0)
    assert to_bins(np.array([np.nan]), ValueRange(0, 1), 256)[0] == NAN_BIN


def test_no_warnings_for_nan_inf(recwarn: pytest.WarningsRecorder) -> None:
    to_bins(np.array([[np.nan, np.inf, -np.inf]]), ValueRange(0.0, 0.0), 8)
    assert len(recwarn) == 0


def test_nice_ticks_seed_scale() -> None:
    ticks = nice_ticks(0.5, 1.0, 6)
    assert ticks == [0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
    assert [tick_text(t, ticks) for t in ticks] == ["0.5", "0.6", "0.7", "0.8", "0.9", "1.0"]


@pytest.mark.parametrize(("lo", "hi"), [(-3.7, 12.2), (0.0, 1e-4), (1e6, 5e6), (-1.0, 1.0)])
def test_nice_ticks_inside_range(lo: float, hi: float) -> None:
    ticks = nice_ticks(lo, hi, 6)
    assert 2 <= len(ticks) <= 11
    assert all(lo - 1e-12 <= t <= hi + 1e-12 for t in ticks)
    assert ticks == sorted(ticks)


def test_invalid_range() -> None:
    with pytest.raises(ValueError):
        ValueRange(1.0, 0.0)
    with pytest.raises(ValueError):
        ValueRange(0.0, math.inf)


def test_auc_scale_holds_when_a_few_cells_dip_below_chance() -> None:
    """A noisy probe at 0.489 keeps 0.5-1.0 (two runs stay comparable); the dips are counted."""
    from tuiheat.core.scale import under_text

    values = np.full((20, 10), 0.8)
    values[3, 2], values[7, 5] = 0.489, 0.41
    vr = default_range(HeatMatrix(values))
    assert (vr.vmin, vr.vmax, vr.under) == (0.5, 1.0, 2)
    assert under_text(vr) == "2 cells below 0.5 ▾"
    clean = default_range(HeatMatrix(np.full((4, 4), 0.7)))
    assert (clean.vmin, clean.vmax, clean.under) == (0.5, 1.0, 0)


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda v: v.__setitem__((slice(0, 11), slice(None)), 0.3), "the median below 0.5"),
        (lambda v: v.__setitem__((0, 0), 1.2), "above 1: not an AUC"),
        (lambda v: v.__setitem__((0, 0), -0.1), "below 0: not an AUC"),
        (lambda v: v.__setitem__((slice(None), slice(None)), 0.2), "nothing above chance"),
    ],
)
def test_data_that_do_not_look_like_auc_get_their_own_range(change, why: str) -> None:  # type: ignore[no-untyped-def]
    values = np.full((20, 10), 0.8)
    values[5, 5] = 0.45
    change(values)
    vr = default_range(HeatMatrix(values))
    assert (vr.vmin, vr.vmax) != (0.5, 1.0) and vr.under == 0, why


def test_an_explicit_low_end_is_never_marked() -> None:
    values = np.full((10, 10), 0.8)
    values[0, 0] = 0.45
    assert default_range(HeatMatrix(values), vmin=0.5).under == 0
    assert default_range(HeatMatrix(values), vmax=0.95).under == 1  # the low end is the rule's


def test_a_big_matrix_estimates_the_count_from_its_sample() -> None:
    values = np.full((2100, 2100), 0.8, dtype=np.float32)
    values[::100, :] = 0.45  # 1% of the rows
    vr = default_range(HeatMatrix(values), sample=True)
    assert vr.provisional and (vr.vmin, vr.vmax) == (0.5, 1.0)
    assert 0.5 * 21 * 2100 <= vr.under <= 2 * 21 * 2100
