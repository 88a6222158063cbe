"""The per-row and per-column statistics found in one pass, and what is derived from them."""

from __future__ import annotations

import numpy as np
import pytest

from tuiheat.core.axisstats import AxisStats, axis_stats, known_stats
from tuiheat.core.blocks import Cancelled
from tuiheat.core.colourscale import ScaleSettings
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.memo import forget
from tuiheat.core.scale import ValueRange, looks_like_auc, survey
from tuiheat.core.summary import MarginData, axis_summaries
from tuiheat.core.zoom import Zoom, zoomed_matrix


def reference(values: np.ndarray, axis: int, kind: str) -> np.ndarray:
    masked = np.ma.masked_invalid(np.asarray(values, dtype=np.float64))
    out = getattr(masked, kind)(axis=axis)
    return np.ma.filled(out.astype(np.float64), np.nan)


def hostile() -> np.ndarray:
    values = np.random.default_rng(3).normal(size=(37, 23))
    values[4, :] = np.nan  # an all-NaN row
    values[:, 6] = np.nan  # an all-NaN column
    values[1, 1] = np.inf
    values[2, 3] = -np.inf
    values[9, 9] = np.nan
    return values


@pytest.mark.parametrize("kind", ["mean", "max", "min", "std"])
def test_summaries_match_numpy_with_nan_and_inf(kind: str) -> None:
    values = hostile()
    stats = axis_stats(HeatMatrix(values))
    np.testing.assert_allclose(stats.rows.summary(kind), reference(values, 1, kind), equal_nan=True)
    np.testing.assert_allclose(stats.cols.summary(kind), reference(values, 0, kind), equal_nan=True)


def test_counts_and_nan_counts() -> None:
    values = hostile()
    stats = axis_stats(HeatMatrix(values))
    np.testing.assert_array_equal(stats.rows.count, np.isfinite(values).sum(axis=1))
    np.testing.assert_array_equal(stats.cols.count, np.isfinite(values).sum(axis=0))
    np.testing.assert_array_equal(stats.rows.nans, np.isnan(values).sum(axis=1))
    np.testing.assert_array_equal(stats.cols.nans, np.isnan(values).sum(axis=0))
    assert stats.rows.count[4] == 0 and stats.rows.nans[4] == values.shape[1]
    assert stats.finite == int(np.isfinite(values).sum())


def test_an_all_nan_matrix_has_no_extent_and_nan_summaries() -> None:
    stats = axis_stats(HeatMatrix(np.full((3, 4), np.nan)))
    assert stats.extent() is None and stats.survey() is None
    assert np.isnan(stats.rows.summary("mean")).all()
    assert np.isnan(stats.cols.summary("std")).all()
    lows, highs = stats.ranges(0)
    assert np.isnan(lows).all() and np.isnan(highs).all()


@pytest.mark.parametrize("dtype", [np.int8, np.uint16, np.int64, np.bool_, np.float32])
def test_every_real_dtype(dtype: type) -> None:
    values = (np.arange(24).reshape(4, 6) % 5).astype(dtype)
    stats = axis_stats(HeatMatrix(values))
    wide = values.astype(np.float64)
    np.testing.assert_allclose(stats.rows.summary("mean"), wide.mean(axis=1), rtol=1e-6)
    np.testing.assert_allclose(stats.cols.summary("std"), wide.std(axis=0), rtol=1e-5, atol=1e-6)
    assert stats.extent() == (float(wide.min()), float(wide.max()))


def test_one_row_and_one_column() -> None:
    row = HeatMatrix(np.array([[1.0, np.nan, 3.0]]))
    stats = axis_stats(row)
    assert stats.shape == (1, 3)
    assert stats.rows.summary("mean").tolist() == [2.0]
    assert np.isnan(stats.cols.summary("max")[1])
    col = axis_stats(HeatMatrix(np.array([[1.0], [5.0]])))
    assert col.cols.summary("max").tolist() == [5.0] and col.rows.count.tolist() == [1, 1]


def test_many_row_blocks_add_up() -> None:
    values = np.random.default_rng(1).random((2100, 600)).astype(np.float32)
    stats = axis_stats(HeatMatrix(values))
    np.testing.assert_allclose(stats.cols.summary("mean"), values.mean(axis=0), rtol=1e-5)
    np.testing.assert_allclose(stats.rows.summary("max"), values.max(axis=1))


def test_the_transpose_swaps_rows_and_columns() -> None:
    values = hostile()
    stats = axis_stats(HeatMatrix(values))
    flipped = stats.transposed()
    assert flipped.shape == (values.shape[1], values.shape[0])
    direct = axis_stats(HeatMatrix(values.T.copy()))
    for kind in ("mean", "max", "min", "std"):
        np.testing.assert_allclose(
            flipped.rows.summary(kind), direct.rows.summary(kind), equal_nan=True
        )
        np.testing.assert_allclose(
            flipped.cols.summary(kind), direct.cols.summary(kind), equal_nan=True
        )


def test_a_transposed_file_is_summarised_in_its_own_order(tmp_path) -> None:  # type: ignore[no-untyped-def]
    values = hostile().astype(np.float32)
    np.save(tmp_path / "a.npy", values)
    mapped = np.load(tmp_path / "a.npy", mmap_mode="r")
    forget()
    upright = HeatMatrix(mapped)
    stats = axis_stats(upright)
    transposed = HeatMatrix(np.transpose(mapped))
    found = known_stats(transposed)  # no pass: the file's statistics, swapped
    assert found is not None
    np.testing.assert_array_equal(found.rows.count, stats.cols.count)
    np.testing.assert_allclose(
        found.rows.summary("mean"), reference(values.T, 1, "mean"), rtol=1e-6, equal_nan=True
    )


def test_a_transposed_file_not_yet_summarised_is_read_in_file_order(tmp_path) -> None:  # type: ignore[no-untyped-def]
    values = hostile().astype(np.float32)
    np.save(tmp_path / "b.npy", values)
    forget()
    transposed = HeatMatrix(np.transpose(np.load(tmp_path / "b.npy", mmap_mode="r")))
    stats = axis_stats(transposed)
    np.testing.assert_allclose(
        stats.cols.summary("max"), reference(values.T, 0, "max"), equal_nan=True
    )
    assert known_stats(HeatMatrix(np.load(tmp_path / "b.npy", mmap_mode="r"))) is None


def test_statistics_are_remembered_per_matrix_and_zoom_level() -> None:
    values = np.random.default_rng(2).random((64, 48))
    values.flags.writeable = False
    forget()
    matrix = HeatMatrix(values)
    assert known_stats(matrix) is None
    first = axis_stats(matrix)
    assert axis_stats(HeatMatrix(values)) is first  # the same data: no second pass
    zoom = Zoom(4, 4, "max")
    assert known_stats(zoomed_matrix(matrix, zoom)) is None
    level = axis_stats(zoomed_matrix(matrix, zoom))
    assert known_stats(zoomed_matrix(HeatMatrix(values), zoom)) is level
    assert known_stats(zoomed_matrix(matrix, Zoom(4, 4, "mean"))) is None


def test_writable_arrays_are_remembered_on_their_matrix_only() -> None:
    values = np.ones((3, 3))
    matrix = HeatMatrix(values)
    axis_stats(matrix)
    assert known_stats(matrix) is not None
    assert known_stats(HeatMatrix(values)) is None  # it may have changed since


def test_a_cancelled_pass_raises_and_remembers_nothing() -> None:
    values = np.random.default_rng(4).random((4000, 300))
    values.flags.writeable = False
    forget()
    matrix = HeatMatrix(values)
    with pytest.raises(Cancelled):
        axis_stats(matrix, cancelled=lambda: True)
    assert known_stats(matrix) is None
    seen: list[float] = []
    axis_stats(matrix, progress=seen.append)
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)


def test_the_survey_from_statistics_is_the_scan_survey() -> None:
    values = np.random.default_rng(5).uniform(0.3, 1.0, size=(50, 40))
    values[3, 3] = np.nan
    matrix = HeatMatrix(values)
    assert axis_stats(matrix).survey() == survey(matrix)
    assert looks_like_auc(axis_stats(matrix).survey())  # type: ignore[arg-type]
    outside = HeatMatrix(values * 3 - 1)
    found = axis_stats(outside).survey()
    assert found is not None and not looks_like_auc(found)
    assert (found.low, found.high) == (survey(outside).low, survey(outside).high)  # type: ignore[union-attr]


def test_smallest_positive_only_when_every_value_is_positive() -> None:
    assert axis_stats(HeatMatrix(np.array([[0.5, 2.0], [1e-9, 3.0]]))).smallest_positive() == 1e-9
    assert axis_stats(HeatMatrix(np.array([[-1.0, 2.0]]))).smallest_positive() is None


def test_resolve_with_statistics_reads_no_data() -> None:
    values = hostile()
    matrix = HeatMatrix(values)
    stats = axis_stats(matrix)

    class Unreadable(HeatMatrix):
        def window(self, r0: int, r1: int, c0: int, c1: int) -> np.ndarray:
            raise AssertionError("read the data")

    blind = Unreadable(values)
    settings = ScaleSettings(ValueRange(0.0, 1.0))
    for mode, axis in (("row", 0), ("column", 1)):
        resolved = settings.__class__(settings.base, mode=mode).resolve([blind], [stats])
        expected = settings.__class__(settings.base, mode=mode).resolve([matrix])
        assert resolved.by_axis is not None and expected.by_axis is not None
        assert resolved.by_axis[0] == axis
        np.testing.assert_array_equal(resolved.by_axis[1], expected.by_axis[1])
        np.testing.assert_array_equal(resolved.by_axis[2], expected.by_axis[2])
    whole = ScaleSettings(ValueRange(0.0, 1.0), mode="matrix").resolve([blind], [stats])
    assert (whole.vrange.vmin, whole.vrange.vmax) == stats.extent()


def test_margins_from_statistics_match_the_margins_computed() -> None:
    values = hostile()
    matrix = HeatMatrix(values)
    vrange = ValueRange(-2.0, 2.0)
    for kind in ("mean", "std"):
        a = MarginData.of(axis_stats(matrix), kind, vrange, 16)
        b = MarginData.compute(HeatMatrix(values.copy()), kind, vrange, 16)
        np.testing.assert_array_equal(a.row_bins, b.row_bins)
        np.testing.assert_array_equal(a.col_levels, b.col_levels)
    direct = axis_summaries(matrix, "max", stats=axis_stats(matrix))
    np.testing.assert_allclose(direct.rows, reference(values, 1, "max"), equal_nan=True)


def test_stats_type_is_frozen() -> None:
    stats = axis_stats(HeatMatrix(np.ones((2, 2))))
    assert isinstance(stats, AxisStats)
    with pytest.raises(AttributeError):
        stats.rows = stats.cols  # type: ignore[misc]


def test_two_threads_asking_at_once_share_one_pass(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The margins' thread and the range's thread ask for the same file's statistics at
    once: one reads it, the other waits for what it found."""
    import threading
    import time

    from tuiheat.core import axisstats, memo

    values = np.arange(20.0).reshape(4, 5)
    values.flags.writeable = False
    matrix = HeatMatrix(values)
    memo.forget()
    passes = []
    real_scan = axisstats._scan

    def slow_scan(*args, **kwargs):  # type: ignore[no-untyped-def]
        passes.append(1)
        time.sleep(0.2)
        return real_scan(*args, **kwargs)

    monkeypatch.setattr(axisstats, "_scan", slow_scan)
    found: list[object] = []
    threads = [
        threading.Thread(target=lambda: found.append(axisstats.axis_stats(HeatMatrix(values))))
        for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(passes) == 1 and len(found) == 3
    assert axisstats.known_stats(matrix) is found[0]
