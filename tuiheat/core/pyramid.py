"""An overview of a big matrix, built once: its blocks' sums and counts (or maxima,
minima, first values) at one fine level that fits in memory, from which every coarser
zoom level is derived in milliseconds, exactly. Building it is one pass over the file in
bounded pieces (``core.blocks``), cancellable and reporting its progress; each reducer
needs its own statistic, built when first asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from tuiheat.core.blocks import BUDGET, Cancelled, Read, partial_stats

LEVEL_CELLS = 1 << 19  # cells of the overview level (4 MiB per statistic)
NEEDS = {"mean": ("total", "count"), "max": ("high", "count"), "min": ("low", "count")}
NEEDS["nearest"] = ("first",)


def level_factors(shape: tuple[int, int], factors: tuple[int, int]) -> tuple[int, int]:
    """The finest level that serves ``factors`` (a power-of-two zoom) and keeps at most
    ``LEVEL_CELLS`` cells: the zoom's own factors halved while the level stays small."""
    fr, fc = factors
    rows, cols = shape
    while fr > 1 and fc > 1 and -(-rows * 2 // fr) * -(-cols * 2 // fc) <= LEVEL_CELLS:
        fr, fc = fr // 2, fc // 2
    return fr, fc


@dataclass
class Overview:
    """Statistics of blocks of ``factors`` file cells over the matrix of ``shape``."""

    shape: tuple[int, int]
    factors: tuple[int, int]
    stats: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def level_shape(self) -> tuple[int, int]:
        return -(-self.shape[0] // self.factors[0]), -(-self.shape[1] // self.factors[1])

    def serves(self, factors: tuple[int, int]) -> bool:
        """Whether a zoom of ``factors`` is made of whole blocks of this level."""
        return all(f >= b and f % b == 0 for f, b in zip(factors, self.factors))

    def has(self, reducer: str) -> bool:
        return all(name in self.stats for name in NEEDS[reducer])

    def build(
        self,
        read: Read,
        reducer: str,
        cancelled: Callable[[], bool] | None = None,
        progress: Callable[[float], None] | None = None,
        budget: int = BUDGET,
    ) -> None:
        """Read the file once for what ``reducer`` needs (raises ``Cancelled``)."""
        names = [name for name in NEEDS[reducer] if name not in self.stats]
        if names:
            built = partial_stats(
                read, self.shape, self.factors, names, budget, cancelled, progress
            )
            self.stats.update(built)

    def derive(self, factors: tuple[int, int], reducer: str) -> np.ndarray:
        """The zoom level of ``factors`` by ``reducer``, from this level's statistics."""
        a, b = factors[0] // self.factors[0], factors[1] // self.factors[1]
        if reducer == "nearest":
            return np.array(self.stats["first"][::a, ::b])
        count = _combine(self.stats["count"], a, b, np.add, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            if reducer == "mean":
                value = _combine(self.stats["total"], a, b, np.add, 0.0) / count
            elif reducer == "max":
                value = _combine(self.stats["high"], a, b, np.maximum, -np.inf)
            else:
                value = _combine(self.stats["low"], a, b, np.minimum, np.inf)
        return np.where(count > 0, value, np.nan)


def _combine(level: np.ndarray, a: int, b: int, how: np.ufunc, empty: float) -> np.ndarray:
    """Blocks of ``a`` x ``b`` cells of ``level`` folded by ``how`` (edges padded with
    ``empty``, which changes nothing)."""
    n, m = level.shape
    out_r, out_c = -(-n // a), -(-m // b)
    if (n, m) != (out_r * a, out_c * b):
        padded = np.full((out_r * a, out_c * b), empty)
        padded[:n, :m] = level
        level = padded
    tiles = level.reshape(out_r, a, out_c, b)
    return how.reduce(how.reduce(tiles, axis=3), axis=1)


__all__ = ["Cancelled", "Overview", "level_factors"]
