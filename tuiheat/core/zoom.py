"""Zoom: one terminal cell stands for a block of ``row_factor`` x ``col_factor`` values.

A block is reduced with an explicit reducer (mean / max / min / nearest) that the
viewer always names, so an overview never point-samples silently. Blocks at the
bottom and right edges may be smaller (uneven edges); they are reduced over what
they hold. Everything is numpy, block band by block band, so a memory-mapped
matrix is read once and never copied whole.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from tuiheat.core.blocks import NEEDS, Cancelled, reduce_window, value_of
from tuiheat.core.boxes import Box
from tuiheat.core.chunkrows import dask_plane
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.scale import release_rows

REDUCERS = ("mean", "max", "min", "nearest")


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


@dataclass(frozen=True)
class Zoom:
    row_factor: int = 1
    col_factor: int = 1
    reducer: str = "mean"

    def __post_init__(self) -> None:
        if self.row_factor < 1 or self.col_factor < 1:
            raise ValueError("zoom factors are at least 1")
        if self.reducer not in REDUCERS:
            raise ValueError(f"unknown reducer {self.reducer!r}")

    @property
    def is_identity(self) -> bool:
        return self.row_factor == 1 and self.col_factor == 1

    def view_shape(self, shape: tuple[int, int]) -> tuple[int, int]:
        return _ceil_div(shape[0], self.row_factor), _ceil_div(shape[1], self.col_factor)

    def block(self, row: int, col: int, shape: tuple[int, int]) -> tuple[int, int, int, int]:
        """The base rows r0..r1 and columns c0..c1 (inclusive) of view cell (row, col)."""
        r0, c0 = row * self.row_factor, col * self.col_factor
        r1 = min(shape[0], r0 + self.row_factor) - 1
        c1 = min(shape[1], c0 + self.col_factor) - 1
        return r0, r1, c0, c1

    def to_view(self, row: int, col: int) -> tuple[int, int]:
        return row // self.row_factor, col // self.col_factor

    def to_view_box(self, box: Box) -> Box:
        """The view cells a base box touches."""
        return Box(
            box.r0 // self.row_factor,
            box.r1 // self.row_factor,
            box.c0 // self.col_factor,
            box.c1 // self.col_factor,
            box.name,
        )

    def to_base_box(self, box: Box, shape: tuple[int, int]) -> Box:
        """Every base cell of a box drawn on view cells."""
        r0, _, c0, _ = self.block(box.r0, box.c0, shape)
        _, r1, _, c1 = self.block(box.r1, box.c1, shape)
        return Box(r0, r1, c0, c1, box.name)

    def describe(self) -> str:
        """``1 cell = 16×16 values, max`` (or ``1 cell = 1 value`` at full resolution)."""
        if self.is_identity:
            return "1 cell = 1 value"
        return f"1 cell = {self.row_factor}×{self.col_factor} values, {self.reducer}"

    def with_reducer(self, reducer: str) -> Zoom:
        return replace(self, reducer=reducer)


def next_reducer(reducer: str) -> str:
    return REDUCERS[(REDUCERS.index(reducer) + 1) % len(REDUCERS)]


def _pow2_at_least(x: float) -> int:
    return 1 if x <= 1 else 2 ** math.ceil(math.log2(x))


def fit_zoom(shape: tuple[int, int], rows: int, cols: int, reducer: str = "mean") -> Zoom:
    """The smallest power-of-two factors that fit the whole matrix in ``rows`` x ``cols`` cells."""
    return Zoom(
        _pow2_at_least(shape[0] / max(1, rows)), _pow2_at_least(shape[1] / max(1, cols)), reducer
    )


def zoom_step(zoom: Zoom, shape: tuple[int, int], out: bool) -> Zoom:
    """``-`` doubles both factors (up to one cell per axis), ``+`` halves them (down to 1)."""
    limit_r, limit_c = _pow2_at_least(shape[0]), _pow2_at_least(shape[1])
    if out:
        fr, fc = min(limit_r, zoom.row_factor * 2), min(limit_c, zoom.col_factor * 2)
    else:
        fr, fc = max(1, zoom.row_factor // 2), max(1, zoom.col_factor // 2)
    return replace(zoom, row_factor=fr, col_factor=fc)


def reduce_blocks(block: np.ndarray, fr: int, fc: int, reducer: str) -> np.ndarray:
    """Reduce a float array whose top-left corner is block-aligned; edge blocks may be partial.

    NaN and infinities never count towards mean, max or min; a block with no finite
    value is NaN. ``nearest`` takes each block's first (top-left) value as it is.
    """
    if reducer == "nearest":
        return np.array(block[::fr, ::fc], dtype=np.float64)
    n, m = block.shape
    window = (0, -(-n // fr), 0, -(-m // fc))
    read = lambda a, b, c, d: block[a:b, c:d]  # noqa: E731 - the block is in memory
    return reduce_window(read, block.shape, (fr, fc), reducer, window, budget=max(1, block.size))


def reduce_matrix(
    matrix: HeatMatrix, zoom: Zoom, cancelled: Callable[[], bool] | None = None
) -> np.ndarray | None:
    """The whole view: every block reduced, the file read in bounded pieces (None if
    ``cancelled`` said stop midway)."""
    rows, cols = zoom.view_shape(matrix.shape)
    factors = (zoom.row_factor, zoom.col_factor)
    plane = dask_plane(matrix)
    try:
        if plane is not None:  # a store, on dask
            stats = plane.reducer.block_stats(plane, factors, list(NEEDS[zoom.reducer]), cancelled)
            if stats is not None:  # (None: dask failed; read here)
                return value_of(stats, zoom.reducer)
        return reduce_window(
            matrix.scan_reader(),
            matrix.shape,
            (zoom.row_factor, zoom.col_factor),
            zoom.reducer,
            (0, rows, 0, cols),
            cancelled=cancelled,
            release=lambda a, b: release_rows(matrix, a, b),
        )
    except Cancelled:
        return None


@lru_cache(maxsize=16)
def block_labels(labels: tuple[str, ...], factor: int) -> tuple[str, ...]:
    """Labels of view cells: ``0–15`` for index labels, ``first_answer…-5`` for text.
    Kept for the last few levels: zooming back and forth over 16 384 labels rebuilds none."""
    if factor == 1:
        return labels
    out = []
    for start in range(0, len(labels), factor):
        end = min(len(labels), start + factor) - 1
        a, b = labels[start], labels[end]
        sep = "–" if a.lstrip("-").isdigit() and b.lstrip("-").isdigit() else "…"
        out.append(a if start == end else f"{a}{sep}{b}")
    return tuple(out)


class ZoomedMatrix(HeatMatrix):
    """The view of ``base`` at ``zoom`` as a HeatMatrix whose blocks are reduced when read.

    Nothing is computed up front: the grid reads only the blocks on screen, so a zoom
    change costs what the screen shows, not what the file holds. A full reduction
    (from a worker, for views whose screen covers most of a big file) can be
    installed with ``set_full`` and is then sliced instead.
    """

    def window(self, r0: int, r1: int, c0: int, c1: int) -> np.ndarray:
        r0, r1 = max(0, r0), min(self.n_rows, r1)
        c0, c1 = max(0, c0), min(self.n_cols, c1)
        full = self.__dict__.get("_full")
        if full is not None:
            return np.array(full[r0:r1, c0:c1])
        base: HeatMatrix = self.__dict__["_base"]
        zoom: Zoom = self.__dict__["_zoom"]
        if r1 <= r0 or c1 <= c0:
            return np.zeros((max(0, r1 - r0), max(0, c1 - c0)))
        factors = (zoom.row_factor, zoom.col_factor)
        read = base.scan_reader()  # pieces land in reused buffers; the result is new
        return reduce_window(read, base.shape, factors, zoom.reducer, (r0, r1, c0, c1))

    def column_at(self, rows: range, col: int) -> np.ndarray:
        """The blocks of view column ``col`` at ``rows`` (a profile's strided rows): their
        file rows are read in one pass and reduced together, not one block at a time."""
        rows = range(max(0, rows.start), min(self.n_rows, rows.stop), rows.step)
        full = self.__dict__.get("_full")
        if full is not None:
            return np.array(full[rows.start : rows.stop : rows.step, col])
        base: HeatMatrix = self.__dict__["_base"]
        zoom: Zoom = self.__dict__["_zoom"]
        f, g = zoom.row_factor, zoom.col_factor
        whole = [r for r in rows if (r + 1) * f <= base.n_rows]  # the last block may be short
        c0, c1 = col * g, min(base.n_cols, (col + 1) * g)
        file_rows = (np.asarray(whole, dtype=np.intp)[:, None] * f + np.arange(f)).ravel()
        cells = base.rows_at(file_rows, c0, c1) if whole else None
        if cells is None:
            return super().column_at(rows, col)
        shape = (len(file_rows), c1 - c0)
        reduced = reduce_window(
            lambda a, b, c, d: cells[a:b, c:d], shape, (f, g), zoom.reducer, (0, len(whole), 0, 1)
        )[:, 0]
        rest = [self.value(r, col) for r in rows[len(whole) :]]
        return np.concatenate([reduced, np.asarray(rest, dtype=np.float64)])

    @property
    def tick_labels(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        base: HeatMatrix = self.__dict__["_base"]
        zoom: Zoom = self.__dict__["_zoom"]
        return base.row_labels[:: zoom.row_factor], base.col_labels[:: zoom.col_factor]

    def set_full(self, values: np.ndarray) -> None:
        self.__dict__["_full"] = values

    @property
    def read_cells(self) -> int:
        base: HeatMatrix = self.__dict__["_base"]
        return self.n_rows * self.n_cols if self.is_reduced else base.read_cells

    @property
    def is_reduced(self) -> bool:
        """Whether every block has been reduced already (``reduce_all``)."""
        return self.__dict__.get("_full") is not None

    def reduce_all(self, cancelled: Callable[[], bool] | None = None) -> bool:
        """Reduce every block now (in a worker); False when ``cancelled`` stopped it."""
        if self.is_reduced:
            return True
        values = reduce_matrix(self.__dict__["_base"], self.__dict__["_zoom"], cancelled)
        if values is None:
            return False
        self.set_full(values)
        return True


def zoomed_matrix(matrix: HeatMatrix, zoom: Zoom) -> ZoomedMatrix:
    """The view as a HeatMatrix of its own: lazily reduced blocks, block labels, the titles."""
    shape = zoom.view_shape(matrix.shape)
    view = ZoomedMatrix(
        np.broadcast_to(np.float64(0.0), shape),  # a placeholder of the right shape; no memory
        row_labels=block_labels(matrix.row_labels, zoom.row_factor),
        col_labels=block_labels(matrix.col_labels, zoom.col_factor),
        row_title=matrix.row_title,
        col_title=matrix.col_title,
        title=matrix.title,
        vmin=matrix.vmin,
        vmax=matrix.vmax,
    )
    view.__dict__["_base"] = matrix
    view.__dict__["_zoom"] = zoom
    return view


def reduced_copy(matrix: HeatMatrix, zoom: Zoom) -> HeatMatrix:
    """The whole view at ``zoom`` in memory (read in bounded pieces), its labels each
    block's first, its boxes on the view's cells: what print mode shows."""
    values = reduce_matrix(matrix, zoom)
    assert values is not None  # nothing can cancel it
    return HeatMatrix(
        values,
        row_labels=matrix.row_labels[:: zoom.row_factor],
        col_labels=matrix.col_labels[:: zoom.col_factor],
        row_title=matrix.row_title,
        col_title=matrix.col_title,
        title=matrix.title,
        boxes=tuple(zoom.to_view_box(box) for box in matrix.boxes),
    )
