"""The extremes of a slice or a box, best first: ties in reading order, NaN never counts,
the pass over blocks of rows equals the answer of the whole array, row hints read less."""

from __future__ import annotations

import numpy as np
import pytest

from tuiheat.core import peaks
from tuiheat.core.boxes import Box
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.peaks import (
    Ranked,
    Walk,
    candidate_rows,
    from_box_stats,
    next_count,
    rank_cells,
    rank_in_rows,
)
from tuiheat.core.stats import box_stats


def whole_answer(values: np.ndarray, kind: str, count: int) -> list[tuple[int, int]]:
    """The reference: every finite cell sorted by value (best first), then row, then column."""
    rows, cols = np.nonzero(np.isfinite(values))
    keys = values[rows, cols] * (-1 if kind == "max" else 1)
    order = np.lexsort((cols, rows, keys))[:count]
    return list(zip(rows[order].tolist(), cols[order].tolist()))


def test_the_maximum_and_the_minimum_with_their_values() -> None:
    m = HeatMatrix(np.array([[0.5, 0.9, 0.1], [0.7, 0.2, 0.8]]))
    top = rank_cells(m, "max", 3)
    assert top.cells == ((0, 1), (1, 2), (1, 0)) and top.values == (0.9, 0.8, 0.7)
    low = rank_cells(m, "min", 2)
    assert low.cells == ((0, 2), (1, 1)) and low.values == (0.1, 0.2)
    assert not top.complete and rank_cells(m, "max", 6).complete
    with pytest.raises(ValueError, match="unknown extreme"):
        rank_cells(m, "mean", 1)


def test_ties_come_in_reading_order_and_are_counted() -> None:
    m = HeatMatrix(np.array([[0.3, 1.0, 0.2], [1.0, 0.4, 1.0]]))
    ranked = rank_cells(m, "max", 4)
    assert ranked.cells == ((0, 1), (1, 0), (1, 2), (1, 1))
    assert ranked.ties == 3
    assert rank_cells(m, "min", 1).ties == 1


def test_nan_and_infinities_are_never_the_peak() -> None:
    m = HeatMatrix(np.array([[np.nan, np.inf, 0.2], [-np.inf, 0.6, np.nan]]))
    assert rank_cells(m, "max", 5).cells == ((1, 1), (0, 2))
    assert rank_cells(m, "min", 5).cells == ((0, 2), (1, 1))
    assert rank_cells(m, "max", 5).complete  # two finite cells, both listed


def test_an_all_nan_slice_has_nothing_to_jump_to() -> None:
    m = HeatMatrix(np.full((3, 4), np.nan))
    ranked = rank_cells(m, "max", 8)
    assert ranked.empty and ranked.cells == () and ranked.ties == 0
    assert not rank_cells(HeatMatrix(np.ones((2, 2))), "max", 1).empty


def test_a_box_is_searched_alone_in_matrix_coordinates() -> None:
    values = np.arange(36, dtype=float).reshape(6, 6)
    m = HeatMatrix(values)
    box = Box(1, 3, 2, 4)
    assert rank_cells(m, "max", 2, box).cells == ((3, 4), (3, 3))
    assert rank_cells(m, "min", 1, box).cells == ((1, 2),)
    assert rank_cells(m, "max", 9, box).complete  # 9 cells in the box


def test_the_box_line_and_the_search_name_the_same_cell() -> None:
    values = np.array([[0.1, 0.9, 0.9], [0.9, np.nan, 0.05], [0.05, 0.3, 0.2]])
    m, box = HeatMatrix(values), Box(0, 2, 0, 2)
    stats = box_stats(m, box)
    for kind in ("max", "min"):
        assert from_box_stats(stats, kind).cells[0] == rank_cells(m, kind, 1, box).cells[0]
    empty = box_stats(HeatMatrix(np.full((2, 2), np.nan)), Box(0, 1, 0, 1))
    assert from_box_stats(empty, "max").empty


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_blocks_of_rows_give_the_answer_of_the_whole_array(monkeypatch, seed: int) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 20, size=(37, 23)).astype(np.float32)  # many ties
    values[rng.random(values.shape) < 0.1] = np.nan
    m = HeatMatrix(values)
    for kind in ("max", "min"):
        expected = whole_answer(values.astype(np.float64), kind, 40)
        whole = rank_cells(m, kind, 40)
        monkeypatch.setattr(peaks, "CHUNK_CELLS", 23 * 3)  # three rows at a time
        chunked = rank_cells(m, kind, 40)
        monkeypatch.undo()
        assert list(whole.cells) == list(chunked.cells) == expected
        assert whole.ties == chunked.ties
        ref = values[np.isfinite(values)]
        best = ref.max() if kind == "max" else ref.min()
        assert whole.ties == int(np.count_nonzero(ref == best))


def test_row_extremes_narrow_the_pass_to_rows_that_can_hold_the_answer() -> None:
    rng = np.random.default_rng(5)
    values = rng.random((50, 30))
    values[7] = np.nan  # a row without a finite value never qualifies
    values[:, 3] = 0.5
    m = HeatMatrix(values)
    with np.errstate(all="ignore"):
        maxima, minima = np.nanmax(values, axis=1), np.nanmin(values, axis=1)
    rows = candidate_rows(maxima, True, 4)
    assert len(rows) == 4 and 7 not in rows
    for kind, hint in (("max", maxima), ("min", minima)):
        hinted = rank_in_rows(m, kind, 10, hint)
        full = rank_cells(m, kind, 10)
        assert hinted.cells == full.cells and hinted.ties == full.ties
        assert not hinted.complete
    # Every row is read when the list holds every finite cell: then it is complete.
    small = HeatMatrix(np.array([[1.0, np.nan], [2.0, 3.0]]))
    assert rank_in_rows(small, "max", 5, np.array([1.0, 3.0])).complete
    assert rank_in_rows(small, "max", 5, np.array([np.nan, np.nan])).empty


def test_ties_across_hinted_rows_are_all_read() -> None:
    values = np.zeros((20, 5))
    values[[2, 9, 15], [4, 0, 2]] = 1.0
    m = HeatMatrix(values)
    hinted = rank_in_rows(m, "max", 1, values.max(axis=1))
    assert hinted.cells == ((2, 4),) and hinted.ties == 3


def test_repeated_presses_walk_down_and_start_over() -> None:
    m = HeatMatrix(np.array([[0.2, 0.9], [0.5, np.nan]]))
    ranked = rank_cells(m, "max", 32)
    walk = Walk(ranked, 1, None)
    visited = [walk.cell]
    for _ in range(3):
        walk = Walk(ranked, walk.next_rank(), None)
        visited.append(walk.cell)
    assert visited == [(0, 1), (1, 0), (0, 0), (0, 1)]  # three finite cells, then again
    assert Walk(ranked, 3, None).last and not Walk(ranked, 2, None).last
    partial = Ranked("max", ((0, 0),), (1.0,), complete=False)
    assert not Walk(partial, 1, None).last  # more cells exist beyond the list
    assert next_count(None, 1, 32) == 32
    assert next_count(rank_cells(m, "max", 2), 3, 32) == 32
    assert next_count(Ranked("max", ((0, 0),) * 32, (1.0,) * 32, False), 33, 32) == 128


def test_memory_mapped_float32_is_read_in_blocks(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "big.npy"
    values = np.random.default_rng(3).random((64, 64)).astype(np.float32)
    values[40, 17] = 2.0
    np.save(path, values)
    mapped = HeatMatrix(np.load(path, mmap_mode="r"))
    seen: list[tuple[int, ...]] = []
    original = HeatMatrix.float_window

    def spy(self, r0, r1, c0, c1):  # type: ignore[no-untyped-def]
        block = original(self, r0, r1, c0, c1)
        seen.append(block.shape)
        return block

    monkeypatch.setattr(peaks, "CHUNK_CELLS", 64 * 8)
    monkeypatch.setattr(HeatMatrix, "float_window", spy)
    shares: list[float] = []
    ranked = rank_cells(mapped, "max", 1, watch=shares.append)
    assert ranked.cells == ((40, 17),) and ranked.values == (2.0,)
    assert max(rows * cols for rows, cols in seen) <= 64 * 8  # never the whole file at once
    assert shares[-1] == 1.0 and shares == sorted(shares)
