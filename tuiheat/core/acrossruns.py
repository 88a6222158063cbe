"""Runs of one shape (seeds) as grids to show: per cell the mean, the spread and the
t-interval, with a verdict mark per cell; or two conditions (A vs B) as the mean
difference with a paired or Welch t-test per cell and Benjamini–Hochberg over the cells.

One pass goes through the cells a block at a time (a block of every run at once), so N
memory-mapped runs cost a block of each, never a copy of all of them; the grids kept are
float32 for big arrays (the readout recomputes its cell from the runs in float64).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from tuiheat.core import marks
from tuiheat.core.filerows import read_view
from tuiheat.core.matrix import BIG_CELLS
from tuiheat.core.runstats import LEVEL, cell_stats, paired_t, welch_t
from tuiheat.core.tdist import t_sf2

BLOCK_CELLS = 1 << 18  # cells of every run read at a time
Q_LEVEL = 0.05  # cells with q below this are marked (Benjamini–Hochberg)
RUN_VIEWS = ("mean", "std", "half-width")
VS_VIEWS = ("difference", "half-width", "-log10 q")


class RunsError(ValueError):
    """Runs that cannot be put together cell by cell (shapes or counts differ)."""


@dataclass(frozen=True, eq=False)  # eq=False: it holds arrays
class Runs:
    """The runs of one condition (``a``), and of a second (``b``) to compare with."""

    a: tuple[np.ndarray, ...]
    b: tuple[np.ndarray, ...] = ()
    paired: bool = True
    reference: float | None = None  # one condition: tested against this (None: 0.5 for AUC, else 0)
    level: float = LEVEL

    def __post_init__(self) -> None:
        shape = self.a[0].shape
        for run in (*self.a, *self.b):
            if run.shape != shape:
                raise RunsError(f"runs of shapes {list(shape)} and {list(run.shape)}")
        if self.b and self.paired and len(self.a) != len(self.b):
            raise RunsError(
                f"{len(self.a)} runs against {len(self.b)}: pairs need as many on each side "
                "(--unpaired compares them with Welch's t-test)"
            )

    @property
    def kind(self) -> str:
        return "runs" if not self.b else "paired" if self.paired else "welch"

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(int(n) for n in self.a[0].shape)

    @property
    def views(self) -> tuple[str, ...]:
        return RUN_VIEWS if self.kind == "runs" else VS_VIEWS

    @property
    def test(self) -> str:
        pct = f"{self.level * 100:g}%"
        return {
            "runs": f"{pct} t-interval",
            "paired": "paired t-test",
            "welch": "Welch's t-test",
        }[self.kind]

    def at(self, index: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
        """Every run's value at one cell (A's, B's), read from the runs themselves."""
        a = np.array([float(run[index]) for run in self.a])
        b = np.array([float(run[index]) for run in self.b])
        return a, b


@dataclass(frozen=True, eq=False)
class Across:
    """The grids of one pass over the runs (of ``runs.shape``), and each cell's mark."""

    runs: Runs
    centre: np.ndarray  # the mean, or the mean difference A − B
    std: np.ndarray | None  # the runs' standard deviation (one condition)
    half: np.ndarray  # the interval's half-width; NaN: none
    n: np.ndarray  # runs (or pairs, or A's and B's) with a number at the cell
    p: np.ndarray | None  # two conditions: each cell's p-value
    q: np.ndarray | None  # ... and its Benjamini–Hochberg q-value over every cell
    marks: np.ndarray  # core.marks codes
    reference: float = 0.0  # what one condition was tested against (two: a difference of 0)
    infinite: int = 0  # ±inf values met, left out as NaN is
    n_b: np.ndarray | None = None  # Welch: B's runs with a number (``n`` is then A's)
    empty: tuple[int, ...] = ()  # runs without a single number (A's first, then B's)

    @cached_property
    def n_range(self) -> tuple[int, int]:
        return counted_range(self.n)

    @cached_property
    def any_low(self) -> bool:
        """Cells marked below the reference (or A < B): the title then names their mark."""
        return bool((self.marks == marks.LOW).any())

    @cached_property
    def any_interval(self) -> bool:
        return bool(np.isfinite(self.half).any())

    @property
    def tested(self) -> int:
        """The cells in the correction's family (those with a p-value)."""
        return 0 if self.p is None else int(np.isfinite(self.p).sum())

    def grid(self, view: str) -> np.ndarray:
        """The values of one view (``runs.views``)."""
        if view in ("mean", "difference"):
            return self.centre
        if view == "std" and self.std is not None:
            return self.std
        if view == "half-width":
            return self.half
        if view == "-log10 q" and self.q is not None:
            with np.errstate(divide="ignore"):
                return -np.log10(np.maximum(self.q, 1e-300))
        raise KeyError(view)


Progress = Callable[[float], None]


@dataclass
class _Seen:
    """What a pass met besides the statistics: infinite values, runs with numbers."""

    runs: int
    infinite: int = 0
    numbers: np.ndarray | None = None

    def see(self, block: np.ndarray, first: int) -> None:
        if self.numbers is None:
            self.numbers = np.zeros(self.runs, np.int64)
        finite = np.isfinite(block)
        self.infinite += int(block.size - finite.sum() - np.isnan(block).sum())
        self.numbers[first : first + block.shape[0]] += finite.reshape(block.shape[0], -1).sum(1)

    @property
    def empty(self) -> tuple[int, ...]:
        return () if self.numbers is None else tuple(np.flatnonzero(self.numbers == 0).tolist())


def summarise(
    runs: Runs, block: int = BLOCK_CELLS, progress: Progress | None = None, exact: bool = False
) -> Across:
    """One pass over every run, a block of leading-axis slices at a time; the grids are
    float32 above ``BIG_CELLS`` unless ``exact`` (an export)."""
    shape, kind = runs.shape, runs.kind
    kept = np.float32 if int(np.prod(shape)) > BIG_CELLS and not exact else np.float64
    centre, half = np.empty(shape, kept), np.empty(shape, kept)
    std = np.empty(shape, kept) if kind == "runs" else None
    p = np.empty(shape, np.float64) if kind != "runs" else None
    n, n_b = np.empty(shape, np.uint16), np.empty(shape, np.uint16) if kind == "welch" else None
    seen = _Seen(len(runs.a) + len(runs.b))
    step = max(1, block // max(1, int(np.prod(shape[1:]))))
    for start in range(0, shape[0], step):
        part = slice(start, min(shape[0], start + step))
        a = np.stack([_read(run, part) for run in runs.a])
        seen.see(a, 0)
        if kind == "runs":
            s = cell_stats(a, runs.level)
            centre[part], half[part], std[part], n[part] = s.mean, s.half, s.std, s.n  # type: ignore[index]
        else:
            b = np.stack([_read(run, part) for run in runs.b])
            seen.see(b, len(runs.a))
            t = paired_t(a, b, runs.level) if runs.paired else welch_t(a, b, runs.level)
            centre[part], half[part], p[part], n[part] = t.diff, t.half, t.p, t.n  # type: ignore[index]
            if n_b is not None:
                n[part], n_b[part] = np.isfinite(a).sum(0), np.isfinite(b).sum(0)
        if progress is not None:
            progress(part.stop / shape[0])
    extra = {"infinite": seen.infinite, "n_b": n_b, "empty": seen.empty}
    if p is None:
        reference = runs.reference if runs.reference is not None else chance_of(centre)
        codes = verdicts(centre, half, reference)
        return Across(runs, centre, std, half, n, None, None, codes, reference, **extra)  # type: ignore[arg-type]
    q = bh_over(p).astype(kept, copy=False)
    codes = np.zeros(shape, np.uint8)
    with np.errstate(invalid="ignore"):
        codes[q >= Q_LEVEL] = marks.MISS
        codes[(q < Q_LEVEL) & (centre > 0)] = marks.HIT
        codes[(q < Q_LEVEL) & (centre < 0)] = marks.LOW
    return Across(runs, centre, None, half, n, p, q, codes, 0.0, **extra)  # type: ignore[arg-type]


def counted_range(n: np.ndarray) -> tuple[int, int]:
    """The fewest and most runs counted at a cell that has any."""
    counted = n[n > 0]
    return (int(counted.min()), int(counted.max())) if counted.size else (0, 0)


def chance_of(centre: np.ndarray) -> float:
    """The reference of one condition left unsaid: 0.5 where the mean grid is AUC by the
    AUC rule (an empty run does not change that), else 0."""
    from tuiheat.core.colourscale import start_range
    from tuiheat.core.tensor import Tensor

    return (
        0.5 if start_range([Tensor(centre.reshape(centre.shape[0], -1))], sample=True).auc else 0.0
    )


def _read(run: np.ndarray, part: slice) -> np.ndarray:
    """A block of one run: a memory map is read with pread (its pages never stay mapped)."""
    view = run[part]
    copied = read_view(view)
    return np.asarray(view if copied is None else copied, dtype=np.float64)


def verdicts(centre: np.ndarray, half: np.ndarray, reference: float) -> np.ndarray:
    """HIT where the interval lies above ``reference``, LOW where below, MISS where it
    holds it, NONE where there is no interval (a block at a time)."""
    out = np.zeros(centre.shape, np.uint8)
    flat, mean, width = out.reshape(-1), centre.reshape(-1), half.reshape(-1)
    for start in range(0, flat.size, BLOCK_CELLS):
        part = slice(start, start + BLOCK_CELLS)
        has = np.isfinite(width[part])
        with np.errstate(invalid="ignore"):
            excludes = has & (np.abs(mean[part] - reference) > width[part])
        above = np.where(mean[part] > reference, marks.HIT, marks.LOW)
        flat[part] = np.where(excludes, above, np.where(has, marks.MISS, marks.NONE))
    return out


def bh_over(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg q-values over every finite p (as ``runstats.bh_qvalues``), in
    bounded steps for big grids. A quicksort order is enough: tied p-values end with the
    same q whatever their order, since the step-up takes the minimum from the right."""
    flat = p.ravel()
    finite = np.isfinite(flat)
    where = None if finite.all() else np.flatnonzero(finite)
    values = flat if where is None else flat[where]
    m = values.size
    q = np.full(p.shape, np.nan)
    if m == 0:
        return q
    order = np.argsort(values)
    adjusted = values[order]
    for start in range(0, m, BLOCK_CELLS):
        stop = min(m, start + BLOCK_CELLS)
        adjusted[start:stop] *= m / np.arange(start + 1, stop + 1, dtype=np.float64)
    np.minimum.accumulate(adjusted[::-1], out=adjusted[::-1])
    np.minimum(adjusted, 1.0, out=adjusted)
    ranked = np.empty(m)
    ranked[order] = adjusted
    del order, adjusted
    if where is None:
        return ranked.reshape(p.shape)
    q.ravel()[where] = ranked
    return q


def one_sample_p(across: Across) -> np.ndarray:
    """One condition: each cell's two-sided p of the one-sample t-test against the
    reference (for the export; the viewer's marks use the interval), a block at a time."""
    out = np.empty(across.centre.shape, np.float64)
    flat, centre, std, n = (a.reshape(-1) for a in (out, across.centre, across.std, across.n))  # type: ignore[union-attr]
    for start in range(0, flat.size, BLOCK_CELLS):
        part = slice(start, start + BLOCK_CELLS)
        count = n[part].astype(np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            se = std[part].astype(np.float64) / np.sqrt(count)
            t = (centre[part] - across.reference) / se
        df = np.where(count >= 2, count - 1.0, np.nan)
        flat[part] = t_sf2(np.where(se > 0, t, np.nan), df)
    return out
