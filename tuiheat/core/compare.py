"""Two runs side by side: do they compare, one colour range for both, and A − B lazily.

The difference is never computed up front: ``difference`` returns a HeatMatrix whose
windows are A's window minus B's, so a pair of big memory-mapped files costs what
the screen shows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tuiheat.core.boxes import Box
from tuiheat.core.matrix import HeatMatrix, shape_text
from tuiheat.core.scale import BIG_CELLS, ValueRange, Watch, finite_min_max, slice_extent
from tuiheat.core.tensor import Tensor


class CompareError(ValueError):
    """The two arrays cannot be compared cell by cell."""


def check_comparable(a: Tensor, b: Tensor, name_a: str = "A", name_b: str = "B") -> list[str]:
    """Raise when the shapes differ; return warnings for what differs but does not stop us."""
    if a.shape != b.shape:
        raise CompareError(
            f"cannot compare {name_a} ({shape_text(a.shape)}) with {name_b} "
            f"({shape_text(b.shape)}): the shapes differ"
        )
    warnings = []
    for axis, (la, lb) in enumerate(zip(a.labels, b.labels, strict=True)):
        if la is None or lb is None or la == lb:
            continue
        where = next(i for i, (x, y) in enumerate(zip(la, lb, strict=True)) if x != y)
        warnings.append(
            f"the {a.names[axis]} labels differ (first at {where}: {la[where]!r} vs {lb[where]!r}); "
            f"{name_a}'s labels are shown"
        )
    if a.names != b.names:
        warnings.append(
            f"the axis names differ ({', '.join(a.names)} vs {', '.join(b.names)}); "
            f"{name_a}'s are used"
        )
    return warnings


def like(b: HeatMatrix, a: HeatMatrix) -> HeatMatrix:
    """B with A's labels, titles and boxes, so both grids line up cell for cell."""
    return b.with_changes(
        row_labels=a.row_labels,
        col_labels=a.col_labels,
        row_title=a.row_title,
        col_title=a.col_title,
        boxes=a.boxes,
    )


class DifferenceMatrix(HeatMatrix):
    """A − B, cell by cell, read on demand from both."""

    def window(self, r0: int, r1: int, c0: int, c1: int) -> np.ndarray:
        a: HeatMatrix = self.__dict__["_a"]
        b: HeatMatrix = self.__dict__["_b"]
        with np.errstate(invalid="ignore", over="ignore"):
            return a.window(r0, r1, c0, c1) - b.window(r0, r1, c0, c1)

    def rows_at(self, rows: Sequence[int], c0: int, c1: int) -> np.ndarray | None:
        a: HeatMatrix = self.__dict__["_a"]
        b: HeatMatrix = self.__dict__["_b"]
        cells_a, cells_b = a.rows_at(rows, c0, c1), b.rows_at(rows, c0, c1)
        if cells_a is None or cells_b is None:
            return None
        with np.errstate(invalid="ignore", over="ignore"):
            return cells_a - cells_b

    @property
    def parts(self) -> tuple[HeatMatrix, HeatMatrix]:
        return self.__dict__["_a"], self.__dict__["_b"]

    def with_changes(self, **changes: object) -> HeatMatrix:
        """A copy (other boxes, labels, title) still reads its two parts."""
        out = super().with_changes(**changes)
        out.__dict__["_a"], out.__dict__["_b"] = self.parts
        return out

    def with_boxes(self, boxes: Sequence[Box]) -> HeatMatrix:
        return self.with_changes(boxes=tuple(boxes))


def difference(a: HeatMatrix, b: HeatMatrix, title: str = "") -> DifferenceMatrix:
    """A − B with A's labels and boxes (the shapes must match)."""
    if a.shape != b.shape:
        raise CompareError(f"cannot subtract {shape_text(b.shape)} from {shape_text(a.shape)}")
    diff = DifferenceMatrix(
        np.broadcast_to(np.float64(0.0), a.shape),  # the shape, without memory
        row_labels=a.row_labels,
        col_labels=a.col_labels,
        row_title=a.row_title,
        col_title=a.col_title,
        title=title or f"{a.title} − {b.title}".strip(" −"),
        boxes=a.boxes,
    )
    diff.__dict__["_a"] = a
    diff.__dict__["_b"] = b
    return diff


def shared_range(a: ValueRange, b: ValueRange) -> ValueRange:
    """One colour range holding both: the same colour means the same value in both grids.

    Two AUC scales (0.5-1.0 with a few cells below, ``under``) stay one AUC scale: the
    cells below are marked in both grids and counted together.
    """
    provisional = a.provisional or b.provisional
    if (a.vmin, a.vmax) == (b.vmin, b.vmax) and (a.auc or b.auc or a.under or b.under):
        under, auc = a.under + b.under, a.auc and b.auc
        return ValueRange(a.vmin, a.vmax, provisional, under=under, auc=auc)
    return ValueRange(min(a.vmin, b.vmin), max(a.vmax, b.vmax), provisional=provisional)


def difference_range(
    diff: HeatMatrix, sample: bool = False, watch: Watch | None = None
) -> ValueRange:
    """Symmetric around 0 and holding every difference: the range of a diverging map.

    With ``sample`` a big matrix is sampled (a provisional range, refined later).
    """
    provisional = sample and diff.size > BIG_CELLS
    extent = slice_extent(diff) if provisional else finite_min_max(diff, watch)
    half = 0.0 if extent is None else max(abs(extent[0]), abs(extent[1]))
    if not np.isfinite(half) or half == 0.0:
        half = 1.0  # no difference at all: every cell sits on the neutral middle colour
    return ValueRange(-half, half, provisional=provisional)
