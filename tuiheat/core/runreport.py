"""What is said of runs' statistics: one cell's readout (its interval and every run), a
box mean's interval across runs, the title that states the test behind the marks, and
the legend of the marks. Numbers of a cell, its interval and its runs share one number of
decimals."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from tuiheat.core import marks
from tuiheat.core.acrossruns import Q_LEVEL, Across, Runs
from tuiheat.core.runstats import MIN_N, CellStats, CellTest, cell_stats, paired_t, welch_t


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


def _box_means(
    group: tuple[np.ndarray, ...], parts: Sequence[Callable[[np.ndarray], np.ndarray]]
) -> np.ndarray:
    """Each run's mean over the box's cells (its finite ones), as one cell's runs."""
    out = []
    for run in group:
        cells = np.concatenate([np.asarray(cut(run), dtype=np.float64).ravel() for cut in parts])
        finite = cells[np.isfinite(cells)]
        out.append(finite.mean() if finite.size else np.nan)
    return np.array(out)[:, None]


def box_interval(
    runs: Runs, parts: Sequence[Callable[[np.ndarray], np.ndarray]]
) -> tuple[str, dict[str, float | int | str | None]]:
    """The across-runs interval of a box's mean, as text and as fields (``--boxes --json``):
    ``parts`` cut each run to the box's cells, whose mean over finite cells is that run's
    value; those means are then tested as one cell's runs are."""

    a = _box_means(runs.a, parts)
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
    b = _box_means(runs.b, parts)
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
    counted = f"n={int(t.n[0])}"
    if not runs.paired:  # each side's runs
        del fields["n"]
        fields["n_a"], fields["n_b"] = int(np.isfinite(a).sum()), int(np.isfinite(b).sum())
        counted = f"n={fields['n_a']}+{fields['n_b']}"
    shown = f"box Δ {fmt(float(t.diff[0]))}"
    shown += f" ± {fmt(half)}" if np.isfinite(half) else ""
    return f"{shown}, p={_p_text(float(t.p[0]))} ({runs.test}, {counted})", fields


# --- words ------------------------------------------------------------------------------------


def title(
    across: Across, view: str, shown: tuple[int, int] | None = None, compact: bool = False
) -> str:
    """What the grid shows and the test behind its marks: never a mark without them.
    ``shown``: the n range of the slice on screen (default: of every cell); ``compact``:
    fewer words, for a narrow line."""
    runs = across.runs
    lo, hi = shown or across.n_range
    counted = f"n={lo}" if lo == hi else (f"n {lo}–{hi}" if compact else f"n={lo}–{hi} by cell")
    interval = "95% t-int." if compact else runs.test
    if runs.kind == "runs":
        what = f"{view} of {len(runs.a)} runs"
        if hi < MIN_N:
            few = "fewer than 3 runs" if hi == len(runs.a) else f"at most {hi} runs have numbers"
            return f"{what}: {few}, no interval is drawn"
        if not across.any_interval:
            return f"{what}: the runs agree exactly ({counted}), no interval is drawn"
        ref = f"{across.reference:g}"
        below = ", ▫ below" if compact else ", ▫ below it"
        verdict = f"above {ref}{below}" if across.any_low else f"excludes {ref}"
        return f"{what}: ▪ {interval} {verdict} ({counted}, uncorrected)"
    if runs.paired:
        pairs = f"{len(runs.a)} pairs" + ("" if lo == hi else f", {counted}")
    else:
        pairs = f"{len(runs.a)} vs {len(runs.b)} runs"
    what = "A − B" if view == "difference" else f"{view} of A − B"
    if not across.tested:
        return f"{what}, {pairs}: no cell could be tested (no variation, or too few runs)"
    test = runs.test.replace("-test", "") if compact else runs.test
    below = (", ▫ A<B" if compact else ", ▫ A < B") if across.any_low else ""
    return f"{what}, {pairs}: ▪ q < {Q_LEVEL:g}{below} ({test}, BH over {across.tested} cells)"


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
    digits = 3
    if np.isfinite(half) and half > 0:
        digits = int(min(8, max(3, 1 - np.floor(np.log10(half)))))
    four = big >= 1e5 or (0 < big < 1e-3)

    def fmt(v: float) -> str:
        if not np.isfinite(v):
            return "NaN" if np.isnan(v) else "inf" if v > 0 else "-inf"
        return f"{v:.4g}" if four else f"{v:.{digits}f}"

    return fmt


def _num(value: float) -> float | None:
    value = float(value)
    return value if np.isfinite(value) else None
