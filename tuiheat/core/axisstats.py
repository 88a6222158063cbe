"""Per-row and per-column statistics of a matrix, from one pass, kept for every later use.

One pass over row blocks (buffers reused, float32 read as float32) gathers, for every row
and every column, the count of finite values, the count of NaN, their min, max, sum, sum
of squares. The margins' summaries (mean, max, min, std of any
kind), the per-row and per-column colour ranges of ``R``, the smallest positive value of
a log scale (when the data are positive), the whole matrix's extent and range survey, and the statistics of the
transpose (rows and columns swapped) are all derived from them, with no second pass.
The statistics of a matrix's data are remembered (``core.memo``), so asking again, for a
new pane of the same slice or for its transpose, is free.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from tuiheat.core.blocks import Cancelled
from tuiheat.core.chunkrows import dask_plane
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.memo import data_key, recall, remember
from tuiheat.core.scale import AUC_QUARTILE, SEED_RANGE, Survey, iter_row_chunks
from tuiheat.core.scratch import Scratch
from tuiheat.core.zoom import ZoomedMatrix, zoomed_matrix

KINDS = ("mean", "max", "min", "std")
_CHUNK_CELLS = 1 << 19
TAG = "axis-stats"


@dataclass(frozen=True, eq=False)  # eq=False: it holds arrays
class Moments:
    """One entry per line (row or column): over its finite values, how many there are,
    their min, max, sum and sum of squares; and how many NaN. A line without finite
    values has low +inf and high -inf."""

    count: np.ndarray
    nans: np.ndarray
    low: np.ndarray
    high: np.ndarray
    total: np.ndarray
    squares: np.ndarray

    @classmethod
    def empty(cls, n: int) -> Moments:
        zeros = np.zeros(n, dtype=np.int64)
        inf, ninf = np.full(n, np.inf), np.full(n, -np.inf)
        return cls(zeros, zeros.copy(), inf, ninf, np.zeros(n), np.zeros(n))

    def summary(self, kind: str) -> np.ndarray:
        """Each line's ``kind`` (mean, max, min, std) over its finite values; NaN for none."""
        if kind not in KINDS:
            raise ValueError(f"unknown summary {kind!r}; choose from {', '.join(KINDS)}")
        seen = self.count > 0
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            mean = self.total / self.count
            value = {
                "mean": lambda: mean,
                "max": lambda: self.high,
                "min": lambda: self.low,
                "std": lambda: np.sqrt(np.maximum(self.squares / self.count - mean**2, 0.0)),
            }[kind]()
        return np.where(seen, value, np.nan)


@dataclass(frozen=True, eq=False)
class AxisStats:
    """The statistics of every row and every column of one matrix (see ``Moments``).

    ``below_half``/``far_below``: finite values below 0.5 and 0.4, counted while every
    value lay in [0, 1] (the AUC rule needs them only then; see ``scale.looks_like_auc``).
    """

    rows: Moments
    cols: Moments
    below_half: int = 0
    far_below: int = 0

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.rows.count), len(self.cols.count)

    def transposed(self) -> AxisStats:
        """The statistics of the transpose: rows and columns swapped, nothing read."""
        return AxisStats(self.cols, self.rows, self.below_half, self.far_below)

    @property
    def finite(self) -> int:
        return int(self.rows.count.sum())

    def extent(self) -> tuple[float, float] | None:
        """The smallest and largest finite value, or None when there is none."""
        if not self.finite:
            return None
        return float(self.rows.low.min()), float(self.rows.high.max())

    def smallest_positive(self) -> float | None:
        """The smallest positive finite value (a log scale's low end) when every finite
        value is positive; None when there are others (then a sample tells: a masked pass
        for it would cost more than all the rest) or none."""
        extent = self.extent()
        return extent[0] if extent is not None and extent[0] > 0 else None

    def survey(self) -> Survey | None:
        """What the automatic range is chosen from, exactly as a scan would find it."""
        extent = self.extent()
        if extent is None:
            return None
        finite = self.finite
        return Survey(*extent, finite, self.below_half, self.far_below, cells=finite)

    def ranges(self, axis: int) -> tuple[np.ndarray, np.ndarray]:
        """Each row's (axis 0) or column's (axis 1) finite min and max; NaN for none."""
        moments = self.rows if axis == 0 else self.cols
        return moments.summary("min"), moments.summary("max")


Progress = Callable[[float], None]


def known_stats(matrix: HeatMatrix) -> AxisStats | None:
    """The statistics of ``matrix`` if a pass (over it, or over its transpose) found them:
    never a pass."""
    found = recall(matrix, TAG)
    if found is not None:
        return found  # type: ignore[no-any-return]
    source, flipped = _file_order(matrix)
    if flipped:
        stats = recall(source, TAG)
        return None if stats is None else stats.transposed()
    return None


def axis_stats(
    matrix: HeatMatrix,
    cancelled: Callable[[], bool] | None = None,
    progress: Progress | None = None,
) -> AxisStats:
    """The statistics of every row and column of ``matrix``: remembered, or found in one
    pass in the file's own row order (a transposed view is summarised as its file and
    swapped). ``cancelled`` is asked between blocks (``Cancelled``); ``progress`` is told
    the share done (and may raise ``Cancelled`` itself: see ``blocks.throttled``)."""
    known = known_stats(matrix)
    if known is not None:
        return known
    source, flipped = _file_order(matrix)
    with _one_pass(source):  # the margins' and the range's threads share one pass
        known = known_stats(matrix)
        if known is not None:
            return known
        stats = _scan(source, cancelled, progress)
        remember(source, TAG, stats)
    if flipped:
        stats = stats.transposed()
        remember(matrix, TAG, stats)
    return stats


_PASSES: dict[object, threading.Lock] = {}
_PASSES_GUARD = threading.Lock()


@contextmanager
def _one_pass(matrix: HeatMatrix) -> Iterator[None]:
    """One pass at a time over the same data: a second asker waits for the first one's
    statistics instead of reading the file again."""
    found = data_key(matrix)
    key = found if found is not None else ("matrix", id(matrix))
    with _PASSES_GUARD:
        lock = _PASSES.setdefault(key, threading.Lock())
    try:
        with lock:
            yield
    finally:
        with _PASSES_GUARD:
            if not lock.locked():
                _PASSES.pop(key, None)


def _file_order(matrix: HeatMatrix) -> tuple[HeatMatrix, bool]:
    """The matrix whose pass gives ``matrix``'s statistics, and whether to swap them: a
    transposed memory map (or a zoomed view of one) is read as its file stores it."""
    if isinstance(matrix, ZoomedMatrix):
        base, zoom = matrix.__dict__["_base"], matrix.__dict__["_zoom"]
        source, flipped = base.in_file_order()
        if not flipped or matrix.is_reduced:
            return matrix, False
        swapped = type(zoom)(zoom.col_factor, zoom.row_factor, zoom.reducer)
        return zoomed_matrix(source, swapped), True
    return matrix.in_file_order()


def _scan(
    matrix: HeatMatrix, cancelled: Callable[[], bool] | None, progress: Progress | None
) -> AxisStats:
    plane = dask_plane(matrix)
    if plane is not None:  # a store, on dask
        parts = plane.reducer.moments(plane, chunk_moments, cancelled, progress)
        if parts is not None:  # (None: dask failed; the pass is made here)
            return combined(matrix.shape, parts)
    acc = _Pass(matrix.n_rows, matrix.n_cols)
    row = 0
    with np.errstate(over="ignore", invalid="ignore"):  # ±1e308 squared: inf, not a warning
        for block in iter_row_chunks(matrix, _CHUNK_CELLS, as_read=True):
            if cancelled is not None and cancelled():
                raise Cancelled
            acc.fold(block, row)
            row += block.shape[0]
            if progress is not None:
                progress(row / max(1, matrix.n_rows))
    return AxisStats(acc.rows, acc.cols, acc.below, acc.far)


Part = tuple[int, int, Moments, Moments, int, int, bool]  # a chunk's, at its row and column


def chunk_moments(block: np.ndarray) -> tuple[Moments, Moments, int, int, bool]:
    """One chunk's statistics (its rows' over its columns, its columns' over its rows), as
    a pass would gather them; ``combined`` puts the chunks together."""
    block = block if block.dtype.kind == "f" else block.astype(np.float64)
    acc = _Pass(*block.shape)
    with np.errstate(over="ignore", invalid="ignore"):
        acc.fold(block, 0)
    return acc.rows, acc.cols, acc.below, acc.far, acc.in_unit


def combined(shape: tuple[int, int], parts: list[Part]) -> AxisStats:
    """The statistics of the matrix of ``shape`` from its chunks' (``chunk_moments``)."""
    rows, cols = Moments.empty(shape[0]), Moments.empty(shape[1])
    for r0, c0, part_rows, part_cols, _, _, _ in parts:
        for whole, part, at in ((rows, part_rows, r0), (cols, part_cols, c0)):
            span = slice(at, at + len(part.count))
            for name in ("count", "nans", "total", "squares"):
                getattr(whole, name)[span] += getattr(part, name)
            np.minimum(whole.low[span], part.low, out=whole.low[span])
            np.maximum(whole.high[span], part.high, out=whole.high[span])
    in_unit = all(p[6] for p in parts)  # the counts hold only if every value is in [0, 1]
    below = sum(p[4] for p in parts) if in_unit else 0
    far = sum(p[5] for p in parts) if in_unit else 0
    return AxisStats(rows, cols, below, far)


class _Pass:
    """The running statistics of one pass, and the buffers its blocks reuse."""

    def __init__(self, n_rows: int, n_cols: int) -> None:
        self.rows, self.cols = Moments.empty(n_rows), Moments.empty(n_cols)
        self.below = self.far = 0
        self.in_unit = True  # every value so far lies in [0, 1]
        self.scratch = Scratch()

    def masked(self, block: np.ndarray, keep: np.ndarray, fill: float, name: str) -> np.ndarray:
        """``block`` where ``keep``, else ``fill``, in a reused buffer."""
        out = self.scratch.take(name, block.shape, block.dtype)
        out.fill(fill)
        np.copyto(out, block, where=keep)
        return out

    def fold(self, block: np.ndarray, r0: int) -> None:
        """Add a block of whole rows starting at row ``r0``."""
        n, m = block.shape
        rows, cols, at = self.rows, self.cols, slice(r0, r0 + n)
        finite = np.isfinite(block, out=self.scratch.take("finite", block.shape, bool))
        if finite.all():
            rows.count[at] = m
            np.add(cols.count, n, out=cols.count)
            zeroed = high = low = block
        else:
            rows.count[at] = finite.sum(axis=1)
            np.add(cols.count, finite.sum(axis=0), out=cols.count)
            nan = np.isnan(block, out=self.scratch.take("nan", block.shape, bool))
            rows.nans[at] = nan.sum(axis=1)
            np.add(cols.nans, nan.sum(axis=0), out=cols.nans)
            zeroed = self.masked(block, finite, 0.0, "zeroed")
            high = self.masked(block, finite, -np.inf, "high")
            low = self.masked(block, finite, np.inf, "low")
        rows.high[at] = high.max(axis=1)
        np.maximum(cols.high, high.max(axis=0), out=cols.high)
        rows.low[at] = low.min(axis=1)
        np.minimum(cols.low, low.min(axis=0), out=cols.low)
        self._sums(zeroed, at)
        self._unit_counts(zeroed if zeroed is block else block[finite], at)

    def _sums(self, zeroed: np.ndarray, at: slice) -> None:
        rows, cols = self.rows, self.cols
        rows.total[at] = zeroed.sum(axis=1, dtype=np.float64)
        np.add(cols.total, zeroed.sum(axis=0, dtype=np.float64), out=cols.total)
        rows.squares[at] = np.einsum("ij,ij->i", zeroed, zeroed, dtype=np.float64)
        np.add(
            cols.squares, np.einsum("ij,ij->j", zeroed, zeroed, dtype=np.float64), out=cols.squares
        )

    def _unit_counts(self, finite: np.ndarray, at: slice) -> None:
        """Values below 0.5 and 0.4, while everything so far lies in [0, 1]."""
        if not self.in_unit:
            return
        rows = self.rows
        seen = rows.count[at] > 0
        if seen.any() and (rows.low[at][seen].min() < 0 or rows.high[at][seen].max() > 1):
            self.in_unit = False
            self.below = self.far = 0
            return
        less = self.scratch.take("less", finite.shape, bool)
        self.below += int(np.count_nonzero(np.less(finite, SEED_RANGE.vmin, out=less)))
        self.far += int(np.count_nonzero(np.less(finite, AUC_QUARTILE, out=less)))
