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

from tuiheat.core.blocks import BUDGET, NEEDS, STAT_START, Cancelled, Read, block_stats, value_of
from tuiheat.core.chunkrows import dask_plane
from tuiheat.core.matrix import HeatMatrix

LEVEL_CELLS = 1 << 19  # cells of the overview level (4 MiB per statistic)
FOLDS = {"total": np.add, "count": np.add, "high": np.maximum, "low": np.minimum}


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
        read: Read | HeatMatrix,
        reducer: str,
        cancelled: Callable[[], bool] | None = None,
        progress: Callable[[float], None] | None = None,
        budget: int = BUDGET,
    ) -> None:
        """Read the file once for what ``reducer`` needs (raises ``Cancelled``). A matrix
        is read in its file's row order: a transposed view's blocks are the transposed
        blocks of its file, whose statistics are the same, so they are swapped, not
        read column by column."""
        names = [name for name in NEEDS[reducer] if name not in self.stats]
        if not names:
            return
        flipped = False
        plane = dask_plane(read)
        if plane is not None:  # on dask
            found = plane.reducer.block_stats(plane, self.factors, names, cancelled, progress)
            if found is not None:  # (None: dask failed; the pass is made here)
                self.stats.update(found)
                return
        if isinstance(read, HeatMatrix):
            source, flipped = read.in_file_order()
            read = source.scan_reader()
        shape, factors = self.shape, self.factors
        if flipped:
            shape, factors = shape[::-1], factors[::-1]
        built = block_stats(read, shape, factors, names, None, budget, cancelled, progress)
        self.stats.update({k: v.T.copy() if flipped else v for k, v in built.items()})

    def derive(self, factors: tuple[int, int], reducer: str) -> np.ndarray:
        """The zoom level of ``factors`` by ``reducer``, from this level's statistics."""
        a, b = factors[0] // self.factors[0], factors[1] // self.factors[1]
        if reducer == "nearest":
            return np.array(self.stats["first"][::a, ::b])
        combined = {name: _combine(self.stats[name], a, b, name) for name in NEEDS[reducer]}
        return value_of(combined, reducer)


def _combine(level: np.ndarray, a: int, b: int, name: str) -> np.ndarray:
    """Blocks of ``a`` x ``b`` cells of the statistic ``name`` folded into one (edges padded
    with its starting value, which changes nothing)."""
    n, m = level.shape
    out_r, out_c = -(-n // a), -(-m // b)
    if (n, m) != (out_r * a, out_c * b):
        padded = np.full((out_r * a, out_c * b), STAT_START[name])
        padded[:n, :m] = level
        level = padded
    how = FOLDS[name]
    return how.reduce(how.reduce(level.reshape(out_r, a, out_c, b), axis=3), axis=1)


__all__ = ["Cancelled", "Overview", "level_factors"]
