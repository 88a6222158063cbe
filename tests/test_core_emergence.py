"""Peak and emergence rows per column, written out by hand."""

from __future__ import annotations

import numpy as np

from tuiheat.core.emergence import NEVER, column_peaks, emergence_rows


def test_peaks_take_the_first_of_equal_maxima_and_skip_nan() -> None:
    grid = np.array(
        [
            [0.5, 0.9, np.nan, 0.1],
            [0.8, 0.9, np.nan, 0.7],
            [0.6, 0.2, np.nan, np.nan],
        ]
    )
    assert column_peaks(grid).tolist() == [1, 0, NEVER, 1]


def test_emergence_is_the_first_row_from_which_it_stays_above() -> None:
    grid = np.array(
        [
            [0.50, 0.90, 0.70, 0.9],
            [0.80, 0.60, 0.71, 0.9],
            [0.75, 0.90, 0.69, np.nan],
            [0.90, 0.95, 0.72, 0.9],
        ]
    )
    assert emergence_rows(grid, 0.7).tolist() == [1, 2, 3, 3]  # NaN breaks a run
    assert emergence_rows(grid, 0.99).tolist() == [NEVER] * 4
    assert emergence_rows(grid, 0.0).tolist() == [0, 0, 0, 3]
