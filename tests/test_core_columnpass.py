"""Peak and emergence rows found in one pass by row blocks (what P, E, --peaks and --emerge
read), checked against the whole-matrix definitions on random grids with NaN and ties, in
float64 and float32, in memory, memory-mapped and transposed; and the pane that keeps them."""

from __future__ import annotations

import numpy as np
import pytest

import tuiheat.core.emergence as emergence
from tuiheat.core import HeatMatrix
from tuiheat.core.blocks import Cancelled
from tuiheat.core.emergence import NEVER, column_peaks, column_rows, emergence_rows
from tuiheat.core.marks import EMERGE, HIT, MISS, PEAK
from tuiheat.core.panes import DifferencePane, Pane
from tuiheat.core.tensor import Tensor, default_spec, slice_matrix, transpose
from tuiheat.core.zoom import Zoom


def grids(seed: int = 3, count: int = 120):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    for _ in range(count):
        rows, cols = (int(n) for n in rng.integers(1, 14, 2))
        grid = rng.integers(0, 5, (rows, cols)) / 4  # few values: many ties
        grid[rng.random((rows, cols)) < 0.2] = np.nan
        yield grid, float(rng.choice([0.25, 0.5, 0.7, 1.0]))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_one_pass_by_blocks_finds_what_the_whole_matrix_does(monkeypatch, dtype) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(emergence, "BLOCK_CELLS", 7)  # many blocks, a tie across two
    for grid, x in grids():
        values = grid.astype(dtype)
        peaks, rise = column_rows(HeatMatrix(values), True, x)
        assert peaks is not None and rise is not None
        assert peaks.tolist() == column_peaks(values).tolist()
        assert rise.tolist() == emergence_rows(values, x).tolist()


def test_float32_is_compared_with_the_threshold_at_its_own_precision() -> None:
    """0.7 stored in float32 (0.69999998) is at least 0.7, as its readout says."""
    values = np.array([[0.7], [0.7]], dtype=np.float32)
    assert column_rows(HeatMatrix(values), False, 0.7)[1].tolist() == [0]  # type: ignore[union-attr]
    assert emergence_rows(values, 0.7).tolist() == [0]
    assert emergence_rows(values.astype(np.float64), 0.7).tolist() == [NEVER]


def test_a_memory_map_and_its_transpose_are_read_in_file_order(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(emergence, "BLOCK_CELLS", 20)
    grid, _ = next(grids(seed=7))
    rng = np.random.default_rng(1)
    grid = rng.integers(0, 5, (23, 17)) / 4
    grid[rng.random(grid.shape) < 0.2] = np.nan
    np.save(tmp_path / "g.npy", grid.astype(np.float32))
    tensor = Tensor(np.load(tmp_path / "g.npy", mmap_mode="r"))
    spec = default_spec(tensor)
    for matrix, seen in (
        (slice_matrix(tensor, spec), grid),
        (slice_matrix(tensor, transpose(spec)), grid.T),
    ):
        seen = seen.astype(np.float32)
        peaks, rise = column_rows(matrix, True, 0.5)
        assert peaks.tolist() == column_peaks(seen).tolist()  # type: ignore[union-attr]
        assert rise.tolist() == emergence_rows(seen, 0.5).tolist()  # type: ignore[union-attr]
    assert slice_matrix(tensor, transpose(spec)).in_file_order()[1]  # the flipped path ran


def test_only_what_is_asked_for_is_found_and_a_pass_can_be_stopped() -> None:
    matrix = HeatMatrix(np.eye(3))
    assert column_rows(matrix, True, None)[1] is None
    assert column_rows(matrix, False, 0.5)[0] is None
    with pytest.raises(Cancelled):
        column_rows(matrix, True, 0.5, cancelled=lambda: True)


GRID = np.array([[0.1, 0.9, 0.2], [0.8, 0.3, 0.9], [0.9, 0.95, 0.1]])


def test_a_pane_finds_the_rows_once_and_marks_its_lines() -> None:
    pane = Pane("a", Tensor(GRID), default_spec(Tensor(GRID)))
    one = Zoom()
    assert pane.known_rows(True, 0.5) == (None, None)
    assert pane.line_marks(one, 2, 0, 3, True, None) == {}  # not found yet: nothing drawn
    peaks, rise = pane.find_rows(True, 0.5)
    assert peaks.tolist() == [2, 2, 1] and rise.tolist() == [1, 2, NEVER]  # type: ignore[union-attr]
    assert pane.known_rows(True, 0.5)[0] is peaks  # kept: no second pass
    assert pane.line_marks(one, 2, 0, 3, True, 0.5) == {0: PEAK, 1: PEAK}  # a peak wins
    assert pane.line_marks(one, 1, 0, 3, True, 0.5) == {0: EMERGE, 2: PEAK}
    assert pane.line_marks(one, 1, 1, 3, False, 0.5) == {}  # columns from 1: none emerge on 1
    assert pane.line_marks(Zoom(2, 2), 0, 0, 2, True, 0.5) == {}  # a block holds many rows


def test_cell_marks_are_the_tensors_at_one_value_a_cell_and_none_for_differences() -> None:
    marks = np.array([[HIT, 0, MISS], [0, 0, 0], [MISS, HIT, 0]], dtype=np.uint8)
    tensor = Tensor(GRID, marks=marks)
    pane = Pane("a", tensor, default_spec(tensor))
    assert pane.cell_marks(Zoom()).tolist() == marks.tolist()  # type: ignore[union-attr]
    assert pane.cell_marks(Zoom(2, 2)) is None
    assert pane.line_marks(Zoom(), 0, 0, 3, False, None) == {0: HIT, 2: MISS}
    pane.find_rows(True, None)
    assert pane.line_marks(Zoom(), 2, 0, 3, True, None) == {0: PEAK, 1: PEAK}  # over HIT
    plain = Pane("b", Tensor(GRID), default_spec(Tensor(GRID)))
    assert plain.cell_marks(Zoom()) is None
    assert DifferencePane(pane, plain).cell_marks(Zoom()) is None
    flipped = pane.sliced(transpose(pane.spec), True)
    assert flipped.cell_marks(Zoom()).tolist() == marks.T.tolist()  # type: ignore[union-attr]
