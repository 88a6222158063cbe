"""Statistics across runs of one grid (seeds, runs): per cell, over the runs that have a
number there (NaN runs are left out, and ``n`` says how many counted).

- ``cell_stats``: mean, standard deviation (n − 1), n, and the half-width of the two-sided
  t-interval of the mean; no interval where n < ``MIN_N`` or the runs agree exactly (zero
  variance: an interval of width 0 would claim certainty the runs cannot give);
- ``paired_t`` and ``welch_t``: the per-cell test of two conditions, as
  ``scipy.stats.ttest_rel`` and ``ttest_ind(equal_var=False)`` compute it;
- ``bh_qvalues``: Benjamini–Hochberg adjusted p-values over the cells that have one, as
  ``scipy.stats.false_discovery_control(method="bh")``.

Arrays are ``[runs, ...]``; the functions work on any block of cells, so a caller can go
through a big grid a block of rows at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tuiheat.core.tdist import t_ppf, t_sf2

LEVEL = 0.95
MIN_N = 3  # fewer runs than this: no interval is drawn (and the title says so)


@dataclass(frozen=True)
class CellStats:
    mean: np.ndarray
    std: np.ndarray  # sample standard deviation (n − 1); NaN where n < 2
    n: np.ndarray  # runs with a number at the cell
    half: np.ndarray  # the t-interval's half-width; NaN: no interval (n < MIN_N, zero variance)

    def excludes(self, reference: float) -> np.ndarray:
        """Cells whose interval leaves ``reference`` out (never where there is no interval)."""
        with np.errstate(invalid="ignore"):
            return np.isfinite(self.half) & (np.abs(self.mean - reference) > self.half)


def _quantiles(df: np.ndarray, level: float) -> np.ndarray:
    """t_{(1+level)/2, df} for each cell, computed once per distinct df."""
    out = np.full(df.shape, np.nan)
    ok = np.isfinite(df) & (df > 0)
    if ok.any():
        distinct, where = np.unique(df[ok], return_inverse=True)
        out[ok] = t_ppf((1 + level) / 2, distinct)[where]
    return out


def cell_stats(runs: np.ndarray, level: float = LEVEL, min_n: int = MIN_N) -> CellStats:
    x = np.asarray(runs, dtype=np.float64)
    finite = np.isfinite(x)
    n = finite.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        total = np.where(finite, x, 0.0).sum(axis=0)
        mean = np.where(n > 0, total / n, np.nan)
        dev = np.where(finite, x - mean, 0.0)
        var = np.where(n > 1, (dev * dev).sum(axis=0) / (n - 1), np.nan)
        # Runs that agree exactly have no variance, whatever rounding the mean picked up.
        same = np.where(finite, x, np.inf).min(axis=0) == np.where(finite, x, -np.inf).max(axis=0)
        std = np.where(same & (n > 1), 0.0, np.sqrt(var))
        q = _quantiles(np.where(n >= min_n, n - 1, 0).astype(np.float64), level)
        half = np.where((n >= min_n) & (std > 0), q * std / np.sqrt(n), np.nan)
    return CellStats(mean, std, n, half)


@dataclass(frozen=True)
class CellTest:
    """Per cell: the mean difference (A − B), its interval's half-width, t, degrees of
    freedom, the two-sided p-value, and the runs that counted (pairs, or A's and B's)."""

    diff: np.ndarray
    half: np.ndarray
    t: np.ndarray
    df: np.ndarray
    p: np.ndarray
    n: np.ndarray


def paired_t(a: np.ndarray, b: np.ndarray, level: float = LEVEL) -> CellTest:
    """Paired t-test per cell over the pairs where both runs have a number."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    d = np.where(np.isfinite(a) & np.isfinite(b), a - b, np.nan)
    s = cell_stats(d, level, min_n=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = s.std / np.sqrt(s.n)
        t = np.where(s.n >= 2, s.mean / se, np.nan)
    df = np.where(s.n >= 2, s.n - 1, np.nan).astype(np.float64)
    return CellTest(s.mean, s.half, t, df, t_sf2(t, df), s.n)


def welch_t(a: np.ndarray, b: np.ndarray, level: float = LEVEL) -> CellTest:
    """Welch's unequal-variance t-test per cell (each side's NaN runs left out)."""
    sa, sb = cell_stats(a, level, min_n=2), cell_stats(b, level, min_n=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        va, vb = sa.std**2 / sa.n, sb.std**2 / sb.n
        se = np.sqrt(va + vb)
        diff = sa.mean - sb.mean
        t = diff / se
        df = (va + vb) ** 2 / (va**2 / (sa.n - 1) + vb**2 / (sb.n - 1))
        ok = (sa.n >= 2) & (sb.n >= 2)
        t, df = np.where(ok, t, np.nan), np.where(ok, df, np.nan)
        half = np.where(ok & (se > 0), _quantiles(df, level) * se, np.nan)
    return CellTest(diff, half, t, df, t_sf2(t, df), sa.n + sb.n)


def bh_qvalues(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg over the finite p-values (NaN stays NaN, and is not counted)."""
    p = np.asarray(p, dtype=np.float64)
    q = np.full(p.shape, np.nan)
    flat = p.ravel()
    keep = np.flatnonzero(np.isfinite(flat))
    m = keep.size
    if m == 0:
        return q
    order = keep[np.argsort(flat[keep], kind="stable")]
    ranked = flat[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum(1.0, np.minimum.accumulate(ranked[::-1])[::-1])
    out = q.ravel()
    out[order] = adjusted
    return out.reshape(p.shape)
