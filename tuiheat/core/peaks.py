"""Where the extremes are: the highest (or lowest) cells of a matrix or of a box of it, best
first, for ``^`` and ``_`` and for pressing them again.

One pass over blocks of rows keeps a running list of the ``count`` best cells, so memory
is one block plus the list however big the file; a row summary already at hand (the
margins' per-row maximum) narrows the pass to the rows that can hold them. NaN and
infinities are never an extreme; cells of equal value come in reading order (row, then
column), as the box statistics name them, so repeated presses visit ties one by one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from tuiheat.core.boxes import Box
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.scale import Watch, release_rows
from tuiheat.core.stats import BoxStats

KINDS = ("max", "min")
CHUNK_CELLS = 1 << 16  # cells read at once: 256 KiB of float32 and its temporaries stay in cache


@dataclass(frozen=True)
class Ranked:
    """The best cells of a region, best first, with their values.

    ``complete``: the list holds every finite cell (there is no next one to visit).
    ``ties``: how many cells hold the best value (0 when unknown or none are finite).
    """

    kind: str
    cells: tuple[tuple[int, int], ...]
    values: tuple[float, ...]
    complete: bool
    ties: int = 0

    @property
    def empty(self) -> bool:
        """No finite value at all: nothing to jump to."""
        return not self.cells and self.complete

    def has(self, rank: int) -> bool:
        """Whether the ``rank``-th cell (from 1) is known without another pass."""
        return 1 <= rank <= len(self.cells)


class _Best:
    """The running list of the ``count`` best cells over blocks fed in reading order."""

    def __init__(self, count: int, largest: bool) -> None:
        self.count = max(1, count)
        self.largest = largest
        self.keys = np.empty(0)  # ascending is better: the value, negated for the maximum
        self.rows = np.empty(0, dtype=np.int64)
        self.cols = np.empty(0, dtype=np.int64)
        self.finite = 0
        self.best = math.inf
        self.ties = 0

    def add(self, block: np.ndarray, row0: int, col0: int) -> None:
        """Rows of cells starting at (``row0``, ``col0``), after every block above them.

        Written to make few temporaries of the block's size: on a big file each one costs
        fresh pages (page faults) in every block."""
        width = block.shape[1] if block.ndim == 2 else 0
        flat = np.ascontiguousarray(block).reshape(-1)
        if flat.size == 0:
            return
        with np.errstate(invalid="ignore"):
            high, low = flat.max(), flat.min()  # NaN or ±inf among them shows here
        if np.isfinite(high) and np.isfinite(low):
            where, values = None, flat
        else:
            where = np.flatnonzero(np.isfinite(flat))
            if where.size == 0:
                return
            values = flat[where]
            high, low = values.max(), values.min()
        self.finite += int(values.size)
        sign = -1.0 if self.largest else 1.0
        extreme = high if self.largest else low
        best = sign * float(extreme)
        if best < self.best:
            self.best, self.ties = best, int(np.count_nonzero(values == extreme))
        elif best == self.best:
            self.ties += int(np.count_nonzero(values == extreme))
        if self.keys.size >= self.count:
            if best >= self.keys[-1]:
                return  # nothing here beats the list (a tie comes later in reading order)
            last = sign * float(self.keys[-1])  # only cells that beat the list's last enter
            pool = np.flatnonzero(values > last if self.largest else values < last)
            picked = pool[_first_best(sign * values[pool].astype(np.float64), self.count)]
        else:
            picked = _first_best(sign * values.astype(np.float64), self.count)
        index = picked if where is None else where[picked]
        keys = np.concatenate([self.keys, sign * values[picked].astype(np.float64)])
        rows = np.concatenate([self.rows, row0 + index // width])
        cols = np.concatenate([self.cols, col0 + index % width])
        order = np.lexsort((cols, rows, keys))[: self.count]
        self.keys, self.rows, self.cols = keys[order], rows[order], cols[order]

    def result(self, kind: str, complete: bool) -> Ranked:
        values = -self.keys if self.largest else self.keys
        cells = tuple(zip(self.rows.tolist(), self.cols.tolist()))
        return Ranked(kind, cells, tuple(values.tolist()), complete, self.ties)


def _first_best(key: np.ndarray, count: int) -> np.ndarray:
    """Positions of the ``count`` smallest keys, ties at the threshold taken in order."""
    if key.size <= count:
        return np.arange(key.size)
    threshold = np.partition(key, count - 1)[count - 1]
    better = np.flatnonzero(key < threshold)
    equal = np.flatnonzero(key == threshold)[: count - better.size]
    return np.sort(np.concatenate([better, equal]))


def _check_kind(kind: str) -> bool:
    if kind not in KINDS:
        raise ValueError(f"unknown extreme {kind!r}; choose from {', '.join(KINDS)}")
    return kind == "max"


def row_blocks(
    matrix: HeatMatrix, rows: Iterable[int] | None = None, box: Box | None = None
) -> Iterator[tuple[int, np.ndarray]]:
    """(first row, block) over ``box`` (every cell without one), or over the given
    ``rows`` only (ascending; neighbours are read together), about ``CHUNK_CELLS`` at
    a time; float32 data is read as float32 and a memory map's pages are let go."""
    r0, r1, c0, c1 = (
        (0, matrix.n_rows - 1, 0, matrix.n_cols - 1)
        if box is None
        else (
            box.r0,
            min(box.r1, matrix.n_rows - 1),
            box.c0,
            min(box.c1, matrix.n_cols - 1),
        )
    )
    step = max(1, CHUNK_CELLS // max(1, c1 - c0 + 1))
    if rows is None:
        runs: Iterable[tuple[int, int]] = (
            (a, min(r1 + 1, a + step)) for a in range(r0, r1 + 1, step)
        )
    else:
        runs = _runs(rows, step)
    for a, b in runs:
        yield a, matrix.float_window(a, b, c0, c1 + 1)
        release_rows(matrix, a, b)


def _runs(rows: Iterable[int], most: int) -> Iterator[tuple[int, int]]:
    """Consecutive ``rows`` as [a, b) spans of at most ``most`` rows."""
    start = end = None
    for r in rows:
        if start is not None and r == end and end - start < most:
            end += 1
            continue
        if start is not None:
            yield start, end
        start, end = r, r + 1
    if start is not None:
        yield start, end  # type: ignore[misc]


def rank_cells(
    matrix: HeatMatrix,
    kind: str,
    count: int,
    box: Box | None = None,
    watch: Watch | None = None,
) -> Ranked:
    """The ``count`` highest (``kind="max"``) or lowest cells of ``matrix`` or of ``box``
    (inclusive cells of the matrix), best first; ``watch`` is told the share read after
    each block and may raise to stop the pass."""
    largest = _check_kind(kind)
    best = _Best(count, largest)
    first, last = (0, matrix.n_rows) if box is None else (box.r0, min(box.r1 + 1, matrix.n_rows))
    for row0, block in row_blocks(matrix, box=box):
        best.add(block, row0, 0 if box is None else box.c0)
        if watch is not None:
            watch((row0 + block.shape[0] - first) / max(1, last - first))
    return best.result(kind, complete=best.finite <= best.count)


def candidate_rows(row_extremes: np.ndarray, largest: bool, count: int) -> np.ndarray:
    """The rows that can hold the ``count`` best cells, from each row's own extreme: those
    whose extreme is at least as good as the ``count``-th best row's (ties included).

    A cell outside them is beaten by the extreme of each of ``count`` rows, so it cannot
    be among the best ``count``; rows without a finite value never qualify."""
    x = np.asarray(row_extremes, dtype=np.float64)
    finite = np.isfinite(x)
    n = int(np.count_nonzero(finite))
    if n == 0:
        return np.empty(0, dtype=np.int64)
    key = np.where(finite, -x if largest else x, np.inf)
    threshold = np.partition(key, min(count, n) - 1)[min(count, n) - 1]
    return np.flatnonzero(finite & (key <= threshold))


def rank_in_rows(
    matrix: HeatMatrix,
    kind: str,
    count: int,
    row_extremes: np.ndarray,
    watch: Watch | None = None,
) -> Ranked:
    """Like ``rank_cells`` over the whole matrix, reading only the rows that can hold the
    answer, given every row's maximum (or minimum, for ``kind="min"``) over finite values."""
    largest = _check_kind(kind)
    rows = candidate_rows(row_extremes, largest, count)
    best = _Best(count, largest)
    done = 0
    for row0, block in row_blocks(matrix, rows=rows.tolist()):
        best.add(block, row0, 0)
        done += block.shape[0]
        if watch is not None:
            watch(done / max(1, rows.size))
    every_row = rows.size == int(np.count_nonzero(np.isfinite(row_extremes)))
    return best.result(kind, complete=every_row and best.finite <= best.count)


def from_box_stats(stats: BoxStats, kind: str) -> Ranked:
    """The best cell of a box from the statistics its box line already holds (no pass)."""
    largest = _check_kind(kind)
    where = stats.argmax if largest else stats.argmin
    if where is None:
        return Ranked(kind, (), (), complete=True)
    value = stats.max if largest else stats.min
    return Ranked(kind, (where,), (value,), complete=stats.finite <= 1)


@dataclass(frozen=True)
class Walk:
    """Repeated presses of one key: ``rank`` (from 1) is the cell the cursor was put on,
    in ``box`` (view cells) or in the whole slice (None)."""

    ranked: Ranked
    rank: int
    box: Box | None

    @property
    def cell(self) -> tuple[int, int]:
        return self.ranked.cells[self.rank - 1]

    @property
    def last(self) -> bool:
        """The cursor is on the last finite cell: the next press starts over."""
        return self.ranked.complete and self.rank >= len(self.ranked.cells)

    def next_rank(self) -> int:
        return 1 if self.last else self.rank + 1


def next_count(ranked: Ranked | None, rank: int, first: int) -> int:
    """How many cells a new pass keeps: ``first`` at first, then four times as many as
    the last pass kept, so a long walk costs few passes."""
    kept = 0 if ranked is None else len(ranked.cells)
    return max(first, rank, 4 * kept)
