"""Where a quantity peaks and where it emerges, per column of a grid (per token of a
layer × token probe grid): the peak row (the maximum; ties: the first row), and the first
row from which the value stays at or above a threshold to the last row ("the layer where
the information appears"). NaN is never a peak and never counts as above."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from tuiheat.core.blocks import Cancelled
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.scale import iter_row_chunks

NEVER = -1
BLOCK_CELLS = 1 << 20  # cells read at once (4 MiB of float32)


def column_peaks(values: np.ndarray) -> np.ndarray:
    """The row of each column's maximum (the first of equal maxima); −1: all NaN."""
    x = np.asarray(values, dtype=np.float64)
    filled = np.where(np.isnan(x), -np.inf, x)
    rows = np.argmax(filled, axis=0).astype(np.int64)
    return np.where(np.isnan(x).all(axis=0), NEVER, rows)


def emergence_rows(values: np.ndarray, threshold: float) -> np.ndarray:
    """Per column, the first row from which every value to the end is ≥ ``threshold``;
    −1 where the last row is below it (or NaN). Compared at the data's own precision
    (``at_least``)."""
    x = np.asarray(values)
    x = x.astype(np.float32 if x.dtype in (np.float16, np.float32) else np.float64, copy=False)
    above = np.where(np.isnan(x), False, x >= at_least(threshold, x.dtype))
    stays = np.logical_and.accumulate(above[::-1], axis=0)[::-1]
    first = np.argmax(stays, axis=0).astype(np.int64)
    return np.where(stays[-1], first, NEVER)


def at_least(threshold: float, dtype: np.dtype) -> np.generic:
    """``threshold`` at the precision of the data (float32 data is read as float32): a
    value stored as 0.7 in float32 is at least 0.7, as its readout says."""
    return np.asarray(threshold, dtype=np.float64).astype(dtype)[()]


class ColumnPass:
    """The running peak and emergence rows of a top-to-bottom pass over row blocks.

    Peaks: each block's maximum replaces the column's only when strictly higher (ties: the
    first row). Emergence: the last row seen below the threshold (NaN counts as below); the
    emergence row is the one after it, or never when it is the last row."""

    def __init__(self, n_cols: int, peaks: bool, threshold: float | None) -> None:
        self.peaks = peaks
        self.threshold = threshold
        self.best = np.full(n_cols, -np.inf)
        self.peak = np.full(n_cols, NEVER, dtype=np.int64)
        self.last_below = np.full(n_cols, NEVER, dtype=np.int64)

    def fold(self, block: np.ndarray, r0: int) -> None:
        nan = np.isnan(block)
        if self.peaks:
            filled = np.where(nan, -np.inf, block)
            top, at = filled.max(axis=0), filled.argmax(axis=0)
            seen = ~nan.all(axis=0)
            better = seen & ((top > self.best) | (self.peak == NEVER))
            self.best[better] = top[better]
            self.peak[better] = at[better] + r0
        if self.threshold is not None:
            below = ~(block >= at_least(self.threshold, block.dtype))
            last = block.shape[0] - 1 - np.argmax(below[::-1], axis=0)
            self.last_below = np.where(below.any(axis=0), r0 + last, self.last_below)

    def emergence(self, n_rows: int) -> np.ndarray:
        first = self.last_below + 1
        return np.where(first >= n_rows, NEVER, first)


Progress = Callable[[float], None]


def column_rows(
    matrix: HeatMatrix,
    peaks: bool = True,
    threshold: float | None = None,
    cancelled: Callable[[], bool] | None = None,
    progress: Progress | None = None,
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Each column's peak row (when ``peaks``) and emergence row over ``threshold`` (when
    given), as ``column_peaks`` and ``emergence_rows`` find them, in one pass by row
    blocks in the file's own order (float32 stays float32; never a copy of the whole)."""
    source, flipped = matrix.in_file_order()
    n_rows, n_cols = matrix.shape
    found_peaks = np.full(n_cols, NEVER, dtype=np.int64) if peaks else None
    found_rise = np.full(n_cols, NEVER, dtype=np.int64) if threshold is not None else None
    if n_rows == 0 or n_cols == 0:
        return found_peaks, found_rise
    acc = None if flipped else ColumnPass(n_cols, peaks, threshold)
    r0 = 0
    with np.errstate(invalid="ignore"):
        for block in iter_row_chunks(source, BLOCK_CELLS, as_read=True):
            if cancelled is not None and cancelled():
                raise Cancelled
            r1 = r0 + block.shape[0]
            if acc is not None:
                acc.fold(block, r0)
            else:  # the file's rows are our columns: each block holds whole columns
                whole = ColumnPass(block.shape[0], peaks, threshold)
                whole.fold(block.T, 0)
                if found_peaks is not None:
                    found_peaks[r0:r1] = whole.peak
                if found_rise is not None:
                    found_rise[r0:r1] = whole.emergence(n_rows)
            r0 = r1
            if progress is not None:
                progress(r0 / max(1, source.n_rows))
    if acc is not None:
        found_peaks = acc.peak if peaks else None
        found_rise = acc.emergence(n_rows) if threshold is not None else None
    return found_peaks, found_rise
