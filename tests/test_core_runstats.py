"""Statistics across runs, against scipy.stats to 1e-9: the t-interval of a mean, paired
and Welch t-tests, Benjamini–Hochberg; NaN runs per cell, n = 2, constant cells, ties."""

from __future__ import annotations

import numpy as np
from scipy import stats

from tuiheat.core.runstats import bh_qvalues, cell_stats, paired_t, welch_t

RNG = np.random.default_rng(11)


def test_mean_std_and_the_t_interval_per_cell() -> None:
    runs = RNG.normal(0.7, 0.05, size=(5, 6, 7))
    runs[0, 1, 1] = np.nan  # one run missing there: n = 4
    runs[:, 2, 2] = 0.9  # the runs agree exactly: no interval
    runs[2:, 3, 3] = np.nan  # two runs: no interval (n < 3)
    s = cell_stats(runs)
    for r, c in [(0, 0), (1, 1), (4, 5)]:
        x = runs[:, r, c][np.isfinite(runs[:, r, c])]
        lo, hi = stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
        assert s.n[r, c] == len(x)
        np.testing.assert_allclose(s.mean[r, c], x.mean(), rtol=1e-12)
        np.testing.assert_allclose(s.std[r, c], x.std(ddof=1), rtol=1e-12)
        np.testing.assert_allclose(s.half[r, c], (hi - lo) / 2, rtol=1e-9)
    assert s.n[1, 1] == 4 and np.isnan(s.half[2, 2]) and s.std[2, 2] == 0
    assert s.n[3, 3] == 2 and np.isnan(s.half[3, 3]) and np.isfinite(s.std[3, 3])
    excludes = s.excludes(0.5)
    assert excludes[0, 0] and not excludes[2, 2] and not excludes[3, 3]  # no interval: no mark
    assert not cell_stats(np.full((3, 1, 1), np.nan)).n.any()


def test_paired_and_welch_tests_match_scipy() -> None:
    a = RNG.normal(0.70, 0.05, size=(6, 4, 5))
    b = a - RNG.normal(0.02, 0.03, size=(6, 4, 5))
    a[1, 0, 0] = np.nan  # that pair is left out of the paired test
    paired = paired_t(a, b)
    welch = welch_t(a, b[:4])  # unequal counts
    for r in range(4):
        for c in range(5):
            x, y = a[:, r, c], b[:, r, c]
            both = np.isfinite(x) & np.isfinite(y)
            ref = stats.ttest_rel(x[both], y[both])
            np.testing.assert_allclose(paired.t[r, c], ref.statistic, rtol=1e-9)
            np.testing.assert_allclose(paired.p[r, c], ref.pvalue, rtol=1e-9)
            lo, hi = ref.confidence_interval(0.95)
            np.testing.assert_allclose(paired.half[r, c], (hi - lo) / 2, rtol=1e-9)
            w = stats.ttest_ind(x[np.isfinite(x)], b[:4, r, c], equal_var=False)
            np.testing.assert_allclose(welch.t[r, c], w.statistic, rtol=1e-9)
            np.testing.assert_allclose(welch.p[r, c], w.pvalue, rtol=1e-9)
            np.testing.assert_allclose(welch.df[r, c], w.df, rtol=1e-9)
    assert paired.n[0, 0] == 5


def test_benjamini_hochberg_matches_scipy_with_ties_and_nan() -> None:
    p = RNG.uniform(0, 0.2, size=(8, 9))
    p[0, :3] = 0.01  # ties
    p[1, 1] = np.nan
    q = bh_qvalues(p)
    finite = np.isfinite(p)
    np.testing.assert_allclose(
        q[finite], stats.false_discovery_control(p[finite], method="bh"), rtol=1e-9
    )
    assert np.isnan(q[1, 1])
