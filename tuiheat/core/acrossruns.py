"""Runs of one shape (seeds) as grids to show: per cell the mean, the spread and the
t-interval, with a verdict mark per cell; or two conditions (A vs B) as the mean
difference with a paired or Welch t-test per cell and Benjamini–Hochberg over the cells.

One pass goes through the cells a block at a time (a block of every run at once), so N
memory-mapped runs cost a block of each, never a copy of all of them; the grids kept are
float32 for big arrays (the readout recomputes its cell from the runs in float64).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from tuiheat.core import marks
from tuiheat.core.filerows import read_view
from tuiheat.core.matrix import BIG_CELLS
from tuiheat.core.runstats import LEVEL, MIN_N, CellStats, CellTest, cell_stats, paired_t, welch_t
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

    @cached_property
    def n_range(self) -> tuple[int, int]:
        counted = self.n[self.n > 0]
        return (int(counted.min()), int(counted.max())) if counted.size else (0, 0)

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


def summarise(
    runs: Runs, block: int = BLOCK_CELLS, progress: Progress | None = None, exact: bool = False
) -> Across:
    """One pass over every run, a block of leading-axis slices at a time; the grids are
    float32 above ``BIG_CELLS`` unless ``exact`` (an export)."""
    shape = runs.shape
    kept = np.float32 if int(np.prod(shape)) > BIG_CELLS and not exact else np.float64
    centre, half = np.empty(shape, kept), np.empty(shape, kept)
    std = np.empty(shape, kept) if runs.kind == "runs" else None
    p = np.empty(shape, np.float64) if runs.kind != "runs" else None
    n = np.empty(shape, np.uint16)
    per_row = max(1, int(np.prod(shape[1:])))
    step, infinite = max(1, block // per_row), 0
    for start in range(0, shape[0], step):
        part = slice(start, min(shape[0], start + step))
        a = np.stack([_read(run, part) for run in runs.a])
        infinite += int(np.isinf(a).sum())
        if runs.kind == "runs":
            s = cell_stats(a, runs.level)
            centre[part], half[part], std[part], n[part] = s.mean, s.half, s.std, s.n  # type: ignore[index]
        else:
            b = np.stack([_read(run, part) for run in runs.b])
            infinite += int(np.isinf(b).sum())
            t = paired_t(a, b, runs.level) if runs.paired else welch_t(a, b, runs.level)
            centre[part], half[part], p[part], n[part] = t.diff, t.half, t.p, t.n  # type: ignore[index]
        if progress is not None:
            progress(part.stop / shape[0])
    if p is None:
        reference = runs.reference if runs.reference is not None else chance_of(centre)
        codes = verdicts(centre, half, reference)
        return Across(runs, centre, std, half, n, None, None, codes, reference, infinite)
    q = bh_over(p).astype(kept, copy=False)
    codes = np.zeros(shape, np.uint8)
    with np.errstate(invalid="ignore"):
        codes[q >= Q_LEVEL] = marks.MISS
        codes[(q < Q_LEVEL) & (centre > 0)] = marks.HIT
        codes[(q < Q_LEVEL) & (centre < 0)] = marks.LOW
    return Across(runs, centre, None, half, n, p, q, codes, 0.0, infinite)


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


# --- one cell and one box, recomputed from the runs ------------------------------------------


@dataclass(frozen=True)
class CellReport:
    """What the readout says of one cell: the statistic, its interval, and the runs."""

    runs: Runs
    a: np.ndarray
    b: np.ndarray
    q: float | None = None

    def text(self) -> str:
        if self.runs.kind == "runs":
            s = cell_stats(self.a[:, None], self.runs.level)
            fmt = fixed(float(s.half[0]), self.a)
            head = _interval_text(s, self.runs, fmt)
            return f"{head} · runs {_values(self.a, fmt)}"
        t = self._test()
        fmt = fixed(float(t.half[0]), np.concatenate([self.a, self.b]))
        said = _test_text(t, self, fmt)
        return f"{said} · A {_values(self.a, fmt)} · B {_values(self.b, fmt)}"

    def _test(self) -> CellTest:
        a, b = self.a[:, None], self.b[:, None]
        return (
            paired_t(a, b, self.runs.level) if self.runs.paired else welch_t(a, b, self.runs.level)
        )

    def counted(self, n: int) -> str:
        """``n=5`` (pairs, or one condition), ``n=5+3`` (Welch: each side's runs)."""
        if self.runs.kind != "welch":
            return f"n={n}"
        return f"n={int(np.isfinite(self.a).sum())}+{int(np.isfinite(self.b).sum())}"


def cell_report(across: Across, index: tuple[int, ...]) -> CellReport:
    a, b = across.runs.at(index)
    q = None if across.q is None else float(across.q[index])
    return CellReport(across.runs, a, b, q)


def box_interval(
    runs: Runs, parts: Sequence[Callable[[np.ndarray], np.ndarray]]
) -> tuple[str, dict[str, float | int | str | None]]:
    """The across-runs interval of a box's mean, as text and as fields (``--boxes --json``):
    ``parts`` cut each run to the box's cells, whose mean over finite cells is that run's
    value; those means are then tested as one cell's runs are."""

    def means(group: tuple[np.ndarray, ...]) -> np.ndarray:
        out = []
        for run in group:
            cells = np.concatenate(
                [np.asarray(cut(run), dtype=np.float64).ravel() for cut in parts]
            )
            finite = cells[np.isfinite(cells)]
            out.append(finite.mean() if finite.size else np.nan)
        return np.array(out)[:, None]

    a = means(runs.a)
    if runs.kind == "runs":
        s = cell_stats(a, runs.level)
        half = float(s.half[0])
        fmt = fixed(half, a.ravel())
        fields = {
            "test": runs.test,
            "mean": _num(s.mean[0]),
            "half_width": _num(half),
            "n": int(s.n[0]),
        }
        shown = f"box mean {fmt(float(s.mean[0]))}"
        shown += f" ± {fmt(half)}" if np.isfinite(half) else " (no interval)"
        return f"{shown}, n={int(s.n[0])}", fields
    b = means(runs.b)
    t = paired_t(a, b, runs.level) if runs.paired else welch_t(a, b, runs.level)
    half = float(t.half[0])
    fmt = fixed(half, np.concatenate([a.ravel(), b.ravel()]))
    fields = {
        "test": runs.test,
        "difference": _num(t.diff[0]),
        "half_width": _num(half),
        "t": _num(t.t[0]),
        "p": _num(t.p[0]),
        "n": int(t.n[0]),
    }
    shown = f"box Δ {fmt(float(t.diff[0]))}"
    shown += f" ± {fmt(half)}" if np.isfinite(half) else ""
    return f"{shown}, p={_p_text(float(t.p[0]))} ({runs.test}, n={int(t.n[0])})", fields


# --- words ------------------------------------------------------------------------------------


def title(across: Across, view: str) -> str:
    """What the grid shows and the test behind its marks: never a mark without them."""
    runs = across.runs
    lo, hi = across.n_range
    counted = f"n={lo}" if lo == hi else f"n={lo}–{hi} by cell"
    if runs.kind == "runs":
        what = f"{view} of {len(runs.a)} runs"
        if hi < MIN_N:
            few = "fewer than 3 runs" if hi == len(runs.a) else f"at most {hi} runs have numbers"
            return f"{what}: {few}, no interval is drawn"
        if not across.any_interval:
            return f"{what}: the runs agree exactly ({counted}), no interval is drawn"
        ref = f"{across.reference:g}"
        verdict = f"above {ref}, ▫ below it" if across.any_low else f"excludes {ref}"
        return f"{what}: ▪ {runs.test} {verdict} ({counted}, uncorrected)"
    if runs.paired:
        pairs = f"{len(runs.a)} pairs" + ("" if lo == hi else f", {counted}")
    else:
        pairs = f"{len(runs.a)} vs {len(runs.b)} runs"
    what = "A − B" if view == "difference" else f"{view} of A − B"
    below = ", ▫ A < B" if across.any_low else ""
    return f"{what}, {pairs}: ▪ q < {Q_LEVEL:g}{below} ({runs.test}, BH over {across.tested} cells)"


def mark_texts(across: Across) -> dict[int, str]:
    """What each mark says, for the legend under a printed grid."""
    runs = across.runs
    if runs.kind == "runs":
        return {
            marks.HIT: f"{runs.test} above {across.reference:g}",
            marks.LOW: "below it",
            marks.MISS: f"holds {across.reference:g}",
        }
    return {
        marks.HIT: f"q < {Q_LEVEL:g}, A > B ({runs.test}, Benjamini–Hochberg)",
        marks.LOW: "A < B",
        marks.MISS: f"q ≥ {Q_LEVEL:g}",
    }


def _interval_text(s: CellStats, runs: Runs, fmt: Callable[[float], str]) -> str:
    mean, half, n = float(s.mean[0]), float(s.half[0]), int(s.n[0])
    if n == 0:
        return "no run has a number here"
    if np.isfinite(half):
        return f"{fmt(mean)} ± {fmt(half)} (n={n}, {runs.test})"
    why = f"fewer than {MIN_N} runs" if n < MIN_N else "the runs agree exactly"
    return f"{fmt(mean)} (n={n}: {why}, no interval)"


def _test_text(t: CellTest, report: CellReport, fmt: Callable[[float], str]) -> str:
    runs, q = report.runs, report.q
    diff, half = float(t.diff[0]), float(t.half[0])
    if not np.isfinite(diff):
        return "no pair has numbers here" if runs.paired else "a side has no numbers here"
    interval = f" [{fmt(diff - half)}, {fmt(diff + half)}]" if np.isfinite(half) else ""
    tested = f"p {_p_text(float(t.p[0]))} t {float(t.t[0]):.3g}"
    if q is not None and np.isfinite(q):  # what the mark says first: the line may be cut
        tested = f"q {_p_text(q)} {tested}"
    return f"Δ {fmt(diff)}{interval} {tested} ({runs.test}, {report.counted(int(t.n[0]))})"


def _p_text(p: float) -> str:
    return "–" if not np.isfinite(p) else f"{p:.2g}" if p < 0.001 else f"{p:.3f}"


def _values(values: np.ndarray, fmt: Callable[[float], str]) -> str:
    return " ".join(fmt(v) for v in values)


def fixed(half: float, values: np.ndarray) -> Callable[[float], str]:
    """One number of decimals for a cell's mean, interval and runs: enough for two
    significant digits of the half-width, at least 3 (``0.760 ± 0.016``); values too big
    or too small for that read in 4 significant digits."""
    finite = np.abs(values[np.isfinite(values)])
    big = finite.max() if finite.size else 0.0
    if big >= 1e5 or (0 < big < 1e-3):
        return lambda v: "NaN" if not np.isfinite(v) else f"{v:.4g}"
    digits = 3
    if np.isfinite(half) and half > 0:
        digits = int(min(8, max(3, 1 - np.floor(np.log10(half)))))
    return lambda v: "NaN" if not np.isfinite(v) else f"{v:.{digits}f}"


def _num(value: float) -> float | None:
    value = float(value)
    return value if np.isfinite(value) else None


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
