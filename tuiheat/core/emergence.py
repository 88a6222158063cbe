"""Where a quantity peaks and where it emerges, per column of a grid (per token of a
layer × token probe grid): the peak row (the maximum; ties: the first row), and the first
row from which the value stays at or above a threshold to the last row ("the layer where
the information appears"). NaN is never a peak and never counts as above."""

from __future__ import annotations

import numpy as np

NEVER = -1


def column_peaks(values: np.ndarray) -> np.ndarray:
    """The row of each column's maximum (the first of equal maxima); −1: all NaN."""
    x = np.asarray(values, dtype=np.float64)
    filled = np.where(np.isnan(x), -np.inf, x)
    rows = np.argmax(filled, axis=0).astype(np.int64)
    return np.where(np.isnan(x).all(axis=0), NEVER, rows)


def emergence_rows(values: np.ndarray, threshold: float) -> np.ndarray:
    """Per column, the first row from which every value to the end is ≥ ``threshold``;
    −1 where the last row is below it (or NaN)."""
    x = np.asarray(values, dtype=np.float64)
    above = np.where(np.isnan(x), False, x >= threshold)
    stays = np.logical_and.accumulate(above[::-1], axis=0)[::-1]
    first = np.argmax(stays, axis=0).astype(np.int64)
    return np.where(stays[-1], first, NEVER)
