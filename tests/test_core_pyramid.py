"""The overview level: built in bounded pieces, every coarser zoom derived exactly."""

from __future__ import annotations

import numpy as np
import pytest
from test_core_blocks import reader, reference

from tuiheat.core.blocks import Cancelled
from tuiheat.core.pyramid import LEVEL_CELLS, Overview, level_factors


@pytest.fixture
def values() -> np.ndarray:
    rng = np.random.default_rng(3)
    v = rng.normal(size=(100, 70))
    v[5:9, 5:9] = np.nan  # a whole block of the overview without a finite value
    v[50, 3] = np.inf
    v[0, 0] = np.nan  # the first value of the first block
    return v


@pytest.mark.parametrize("reducer", ["mean", "max", "min", "nearest"])
@pytest.mark.parametrize("budget", [3, 50, 1 << 20])
def test_every_coarser_level_is_exact(values: np.ndarray, reducer: str, budget: int) -> None:
    overview = Overview(values.shape, (4, 2))
    overview.build(reader(values), reducer, budget=budget)
    assert overview.has(reducer)
    for factors in ((4, 2), (8, 4), (16, 16), (128, 128)):
        assert overview.serves(factors)
        got = overview.derive(factors, reducer)
        np.testing.assert_allclose(got, reference(values, *factors, reducer), equal_nan=True)


def test_what_it_serves_and_builds(values: np.ndarray) -> None:
    overview = Overview(values.shape, (4, 4))
    assert not overview.serves((2, 8)) and overview.serves((4, 8))
    overview.build(reader(values), "mean")
    assert set(overview.stats) == {"total", "count"} and not overview.has("max")
    overview.build(reader(values), "max")  # another reducer: what it lacks, once
    assert overview.has("max") and overview.has("mean")


def test_building_reports_progress_and_stops_when_asked(values: np.ndarray) -> None:
    seen: list[float] = []
    Overview(values.shape, (4, 4)).build(reader(values), "mean", progress=seen.append, budget=100)
    assert seen == sorted(seen) and seen[-1] == pytest.approx(1.0)
    with pytest.raises(Cancelled):
        Overview(values.shape, (4, 4)).build(reader(values), "mean", lambda: True, budget=100)


def test_the_level_fits_in_memory() -> None:
    assert level_factors((16384, 16384), (512, 512)) == (32, 32)
    fr, fc = level_factors((16384, 16384), (512, 512))
    assert (16384 // fr) * (16384 // fc) <= LEVEL_CELLS
    assert level_factors((32, 4096), (1, 128)) == (1, 128)  # one axis at 1: as asked
    assert level_factors((100, 100), (8, 8)) == (1, 1)
