"""Student's t without scipy, against scipy.stats.t (in the test extra) to 1e-9."""

from __future__ import annotations

import numpy as np
from scipy import stats

from tuiheat.core.tdist import betainc, t_cdf, t_ppf, t_sf2

RNG = np.random.default_rng(3)


def test_the_two_sided_p_value_and_the_cdf_match_scipy() -> None:
    t = np.concatenate([RNG.normal(size=400) * 4, [0.0, 1e-8, 40.0, -60.0, np.inf, -np.inf]])
    df = np.concatenate([RNG.integers(1, 60, size=400).astype(float), [1, 2, 3, 4, 5, 9]])
    np.testing.assert_allclose(t_sf2(t, df), 2 * stats.t.sf(np.abs(t), df), rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(t_cdf(t, df), stats.t.cdf(t, df), rtol=1e-9, atol=1e-15)
    assert np.isnan(t_sf2(np.array([1.0, np.nan]), np.array([0.0, 3.0]))).all()


def test_the_quantile_matches_scipy() -> None:
    df = np.array([1, 2, 3, 4, 5, 9, 29, 99, 1000.0])
    for q in (0.975, 0.995, 0.5, 0.025):
        np.testing.assert_allclose(t_ppf(q, df), stats.t.ppf(q, df), rtol=1e-9, atol=1e-12)
    assert np.isnan(t_ppf(0.975, np.array([0.0]))).all()


def test_the_incomplete_beta_matches_scipy() -> None:
    from scipy import special

    a, b, x = RNG.uniform(0.1, 30, 300), RNG.uniform(0.1, 30, 300), RNG.uniform(0, 1, 300)
    np.testing.assert_allclose(betainc(a, b, x), special.betainc(a, b, x), rtol=1e-9, atol=1e-300)


def test_many_degrees_of_freedom_read_off_the_table_match_scipy() -> None:
    df = np.concatenate([RNG.uniform(1, 4, 3000), RNG.uniform(1, 1e5, 3000), [1.0, 1e9]])
    for q in (0.975, 0.025):
        np.testing.assert_allclose(t_ppf(q, df), stats.t.ppf(q, df), rtol=1e-9)


def test_an_empty_fraction_returns_at_once() -> None:
    from tuiheat.core.tdist import _betacf

    empty = np.array([])
    assert _betacf(empty, empty, empty).shape == (0,)
