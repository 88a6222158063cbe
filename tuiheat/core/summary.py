"""Row and column summaries (mean / max / min / std over finite values) and sparkline levels.

Both axes are summarised in one pass over row blocks, so a memory-mapped matrix is
read once and never copied whole. Empty (all-NaN) rows give NaN, never a warning.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tuiheat.core.blocks import Cancelled
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.scale import ValueRange, iter_row_chunks, to_bins

SUMMARIES = ("mean", "max", "min", "std")
SPARK_LEVELS = 8
NAN_LEVEL = -1


@dataclass(frozen=True)
class AxisSummaries:
    """One value per row and one per column, for one kind of summary."""

    kind: str
    rows: np.ndarray
    cols: np.ndarray


def _reduce(block: np.ndarray, axis: int, kind: str) -> np.ndarray:
    finite = np.isfinite(block)
    count = finite.sum(axis=axis)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if kind in ("mean", "std"):
            zeroed = np.where(finite, block, 0.0)
            total = zeroed.sum(axis=axis)
            mean = total / count
            if kind == "mean":
                return np.where(count > 0, mean, np.nan)
            centred = np.where(finite, block - np.expand_dims(mean, axis), 0.0)
            var = (centred**2).sum(axis=axis) / count
            return np.where(count > 0, np.sqrt(var), np.nan)
        fill = -np.inf if kind == "max" else np.inf
        reduced = (np.max if kind == "max" else np.min)(np.where(finite, block, fill), axis=axis)
        return np.where(count > 0, reduced, np.nan)


def axis_summaries(
    matrix: HeatMatrix, kind: str = "mean", cancelled: Callable[[], bool] | None = None
) -> AxisSummaries:
    """Per-row and per-column ``kind`` over finite values (``Cancelled`` when asked)."""
    if kind not in SUMMARIES:
        raise ValueError(f"unknown summary {kind!r}; choose from {', '.join(SUMMARIES)}")
    rows = np.empty(matrix.n_rows, dtype=np.float64)
    n_cols = matrix.n_cols
    # Columns need running moments across row blocks.
    c_count = np.zeros(n_cols)
    c_sum = np.zeros(n_cols)
    c_sq = np.zeros(n_cols)
    c_max = np.full(n_cols, -np.inf)
    c_min = np.full(n_cols, np.inf)
    with np.errstate(over="ignore", invalid="ignore"):  # ±1e308 squared: inf, not a warning
        _accumulate(matrix, kind, rows, (c_count, c_sum, c_sq, c_max, c_min), cancelled)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        mean = c_sum / c_count
        if kind == "mean":
            cols = mean
        elif kind == "std":
            cols = np.sqrt(np.maximum(c_sq / c_count - mean**2, 0.0))
        elif kind == "max":
            cols = c_max
        else:
            cols = c_min
    cols = np.where(c_count > 0, cols, np.nan)
    return AxisSummaries(kind, rows, cols)


def _accumulate(
    matrix: HeatMatrix,
    kind: str,
    rows: np.ndarray,
    columns: tuple[np.ndarray, ...],
    cancelled: Callable[[], bool] | None,
) -> None:
    """One pass over row blocks: row summaries, and running column moments in place."""
    c_count, c_sum, c_sq, c_max, c_min = columns
    r = 0
    for block in iter_row_chunks(matrix):
        if cancelled is not None and cancelled():
            raise Cancelled
        n = block.shape[0]
        rows[r : r + n] = _reduce(block, 1, kind)
        r += n
        finite = np.isfinite(block)
        zeroed = np.where(finite, block, 0.0)
        c_count += finite.sum(axis=0)
        c_sum += zeroed.sum(axis=0)
        c_sq += (zeroed**2).sum(axis=0)
        np.maximum(c_max, np.where(finite, block, -np.inf).max(axis=0), out=c_max)
        np.minimum(c_min, np.where(finite, block, np.inf).min(axis=0), out=c_min)


def summary_range(kind: str, vrange: ValueRange) -> ValueRange:
    """Glyph heights use the grid's range; a spread (std) goes from 0 to half the range."""
    if kind == "std":
        return ValueRange(0.0, max(vrange.span / 2, 0.0))
    return vrange


def spark_levels(values: np.ndarray, vrange: ValueRange, levels: int = SPARK_LEVELS) -> np.ndarray:
    """0..levels-1 per value (clipped to the range), NAN_LEVEL where the value is not finite.

    A zero-width range puts every finite value on the middle level.
    """
    x = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(x)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if vrange.span > 0:
            pos = np.clip((x - vrange.vmin) / vrange.span, 0.0, 1.0)
        else:
            pos = np.where(x < vrange.vmin, 0.0, np.where(x > vrange.vmax, 1.0, 0.5))
    out = np.floor(np.where(finite, pos, 0.0) * levels).astype(np.int16)
    out = np.minimum(out, levels - 1)
    out[~finite] = NAN_LEVEL
    return out


def extremes(values: np.ndarray) -> tuple[int, int] | None:
    """Indices of the largest and the smallest finite value, or None when there is none."""
    x = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(x)
    if not finite.any():
        return None
    return int(np.argmax(np.where(finite, x, -np.inf))), int(np.argmin(np.where(finite, x, np.inf)))


def resample_max(values: np.ndarray, width: int) -> np.ndarray:
    """At most ``width`` values: the finite maximum of each consecutive block (peaks survive)."""
    x = np.asarray(values, dtype=np.float64)
    n = x.shape[0]
    if n <= width or width <= 0:
        return x
    edges = np.linspace(0, n, width + 1).astype(int)
    out = np.full(width, math.nan)
    for i in range(width):
        part = x[edges[i] : edges[i + 1]]
        finite = part[np.isfinite(part)]
        if finite.size:
            out[i] = finite.max()
    return out


@dataclass(frozen=True)
class MarginData:
    """Row and column summaries with their glyph levels and colour bins."""

    summaries: AxisSummaries
    row_levels: np.ndarray
    row_bins: np.ndarray
    col_levels: np.ndarray
    col_bins: np.ndarray

    @classmethod
    def blank(cls, shape: tuple[int, int]) -> MarginData:
        """Gaps everywhere: what the margins show while a big matrix is being summarised."""
        rows = np.full(shape[0], NAN_LEVEL, dtype=np.int16)
        cols = np.full(shape[1], NAN_LEVEL, dtype=np.int16)
        empty = AxisSummaries("", np.full(shape[0], np.nan), np.full(shape[1], np.nan))
        return cls(empty, rows, rows, cols, cols)

    @classmethod
    def compute(
        cls,
        matrix: HeatMatrix,
        kind: str,
        vrange: ValueRange,
        n_bins: int,
        cancelled: Callable[[], bool] | None = None,
    ) -> MarginData:
        summaries = axis_summaries(matrix, kind, cancelled)
        srange = summary_range(kind, vrange)
        return cls(
            summaries,
            spark_levels(summaries.rows, srange),
            to_bins(summaries.rows, srange, n_bins),
            spark_levels(summaries.cols, srange),
            to_bins(summaries.cols, srange, n_bins),
        )
