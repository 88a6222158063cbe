"""Statistics of a box over its finite values, and the mean of everything outside it.

Computed block by block over the box's rows, so a box on a memory-mapped matrix
never makes a float64 copy of more than a block at once.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from tuiheat.core.blocks import Cancelled
from tuiheat.core.boxes import Box
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.scale import iter_row_chunks

_BLOCK_CELLS = 1 << 20


@dataclass(frozen=True)
class Totals:
    """Sum and count of the finite values of a whole matrix (for means outside a box)."""

    total: float
    count: int


@dataclass(frozen=True)
class BoxStats:
    cells: int
    finite: int
    total: float
    mean: float
    min: float
    max: float
    argmin: tuple[int, int] | None
    argmax: tuple[int, int] | None
    outside_mean: float | None  # None when no finite value lies outside

    @property
    def missing(self) -> int:
        return self.cells - self.finite


def matrix_totals(matrix: HeatMatrix, cancelled: Callable[[], bool] | None = None) -> Totals:
    """A pass over the whole matrix (``Cancelled`` once ``cancelled()`` says so)."""
    total, count = 0.0, 0
    for block in iter_row_chunks(matrix, _BLOCK_CELLS):
        if cancelled is not None and cancelled():
            raise Cancelled
        finite = block[np.isfinite(block)]
        total += float(finite.sum(dtype=np.float64))
        count += int(finite.size)
    return Totals(total, count)


def box_stats(
    matrix: HeatMatrix,
    box: Box,
    totals: Totals | None = None,
    outside: bool = True,
    cancelled: Callable[[], bool] | None = None,
) -> BoxStats:
    """Count, mean, min, max (and where), and the mean outside, over finite values only
    (without ``outside``, and no ``totals``, the mean outside is left unknown: None)."""
    total, count = 0.0, 0
    lo, hi = math.inf, -math.inf
    where_lo: tuple[int, int] | None = None
    where_hi: tuple[int, int] | None = None
    step = max(1, _BLOCK_CELLS // box.n_cols)
    for r in range(box.r0, box.r1 + 1, step):
        if cancelled is not None and cancelled():
            raise Cancelled
        r_end = min(box.r1 + 1, r + step)
        block = matrix.window(r, r_end, box.c0, box.c1 + 1)
        mask = np.isfinite(block)
        if not mask.any():
            continue
        values = block[mask]
        total += float(values.sum(dtype=np.float64))
        count += int(values.size)
        masked = np.where(mask, block, np.inf)
        i = int(np.argmin(masked))
        if block.flat[i] < lo:
            lo = float(block.flat[i])
            where_lo = (r + i // block.shape[1], box.c0 + i % block.shape[1])
        masked = np.where(mask, block, -np.inf)
        i = int(np.argmax(masked))
        if block.flat[i] > hi:
            hi = float(block.flat[i])
            where_hi = (r + i // block.shape[1], box.c0 + i % block.shape[1])
    if totals is None and outside:
        totals = matrix_totals(matrix, cancelled)
    if count == 0:
        nan = math.nan
        inside = BoxStats(box.n_cells, 0, 0.0, nan, nan, nan, None, None, None)
    else:
        mean = total / count
        inside = BoxStats(box.n_cells, count, total, mean, lo, hi, where_lo, where_hi, None)
    return inside if totals is None else with_outside(inside, totals)


def with_outside(inside: BoxStats, totals: Totals) -> BoxStats:
    """``inside`` with the mean of the finite values outside its box (None: there are none)."""
    count = totals.count - inside.finite
    mean = (totals.total - inside.total) / count if count > 0 else None
    return replace(inside, outside_mean=mean)


def innermost_box(boxes: tuple[Box, ...] | list[Box], row: int, col: int) -> int | None:
    """Index of the smallest box containing (row, col), or None."""
    best: int | None = None
    for i, box in enumerate(boxes):
        if box.contains(row, col) and (best is None or box.n_cells < boxes[best].n_cells):
            best = i
    return best


def box_record(matrix: HeatMatrix, box: Box, stats: BoxStats, number: int) -> dict[str, object]:
    """``--boxes --json``: one box as plain JSON data (indices from 0, labels as in the file,
    ``null`` for a statistic without finite values)."""

    def value(x: float | None) -> float | None:
        return None if x is None or not math.isfinite(x) else x

    def cell(where: tuple[int, int] | None) -> dict[str, object] | None:
        if where is None:
            return None
        row, col = where
        return {
            "row": row,
            "col": col,
            "row_label": matrix.row_labels[row],
            "col_label": matrix.col_labels[col],
        }

    return {
        "number": number,
        "name": box.name,
        "rows": [box.r0, box.r1],
        "cols": [box.c0, box.c1],
        "row_labels": [matrix.row_labels[box.r0], matrix.row_labels[box.r1]],
        "col_labels": [matrix.col_labels[box.c0], matrix.col_labels[box.c1]],
        "cells": stats.cells,
        "finite": stats.finite,
        "mean": value(stats.mean),  # NaN without finite values: null
        "min": value(stats.min),
        "max": value(stats.max),
        "argmin": cell(stats.argmin),
        "argmax": cell(stats.argmax),
        "outside_mean": value(stats.outside_mean),
    }
