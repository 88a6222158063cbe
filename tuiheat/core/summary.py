"""Row and column summaries (mean / max / min / std over finite values) and sparkline levels.

Both axes are summarised in one pass over row blocks, so a memory-mapped matrix is
read once and never copied whole. Empty (all-NaN) rows give NaN, never a warning.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tuiheat.core.axisstats import KINDS, AxisStats, axis_stats
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.scale import ValueRange, to_bins

SUMMARIES = KINDS
SPARK_LEVELS = 8
NAN_LEVEL = -1


@dataclass(frozen=True)
class AxisSummaries:
    """One value per row and one per column, for one kind of summary."""

    kind: str
    rows: np.ndarray
    cols: np.ndarray


def axis_summaries(
    matrix: HeatMatrix,
    kind: str = "mean",
    cancelled: Callable[[], bool] | None = None,
    stats: AxisStats | None = None,
) -> AxisSummaries:
    """Per-row and per-column ``kind`` over finite values (``Cancelled`` when asked): from
    ``stats`` when given, else from the matrix's statistics (one pass, remembered)."""
    if kind not in SUMMARIES:
        raise ValueError(f"unknown summary {kind!r}; choose from {', '.join(SUMMARIES)}")
    found = stats if stats is not None else axis_stats(matrix, cancelled)
    return summaries_of(found, kind)


def summaries_of(stats: AxisStats, kind: str) -> AxisSummaries:
    """Per-row and per-column ``kind`` derived from ``stats`` (no pass over the data)."""
    return AxisSummaries(kind, stats.rows.summary(kind), stats.cols.summary(kind))


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
        """The margins of ``matrix`` (its statistics found or recalled: see ``axis_stats``)."""
        return cls.of(axis_stats(matrix, cancelled), kind, vrange, n_bins)

    @classmethod
    def of(cls, stats: AxisStats, kind: str, vrange: ValueRange, n_bins: int) -> MarginData:
        """The margins of ``kind`` from statistics at hand: microseconds, no pass."""
        summaries = summaries_of(stats, kind)
        srange = summary_range(kind, vrange)
        return cls(
            summaries,
            spark_levels(summaries.rows, srange),
            to_bins(summaries.rows, srange, n_bins),
            spark_levels(summaries.cols, srange),
            to_bins(summaries.cols, srange, n_bins),
        )
