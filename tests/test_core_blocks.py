"""Block reduction in bounded pieces: exact against numpy whatever the piece size."""

from __future__ import annotations

import numpy as np
import pytest
from test_core_zoom import reference

from tuiheat.core.blocks import Cancelled, reduce_window


def reader(values: np.ndarray, reads: list[int] | None = None):  # type: ignore[no-untyped-def]
    def read(a: int, b: int, c: int, d: int) -> np.ndarray:
        if reads is not None:
            reads.append((b - a) * (d - c))
        return values[a:b, c:d].astype(np.float64)

    return read


@pytest.mark.parametrize("reducer", ["mean", "max", "min", "nearest"])
@pytest.mark.parametrize("budget", [1, 7, 64, 1 << 20])
@pytest.mark.parametrize("factors", [(1, 1), (2, 3), (8, 8), (37, 5)])
def test_exact_at_any_budget(reducer: str, budget: int, factors: tuple[int, int]) -> None:
    rng = np.random.default_rng(0)
    values = rng.normal(size=(75, 41))
    values[3, 4] = np.nan
    values[10:20, 0:8] = np.nan  # whole blocks without a finite value
    values[40, 9] = np.inf
    fr, fc = factors
    expected = reference(values, fr, fc, reducer)
    rows, cols = expected.shape
    reads: list[int] = []
    got = reduce_window(
        reader(values, reads), values.shape, factors, reducer, (0, rows, 0, cols), budget
    )
    np.testing.assert_allclose(got, expected, equal_nan=True)
    if reducer != "nearest":
        assert max(reads) <= max(budget, fc)  # never more than a piece (or one block row)


def test_a_window_of_the_view() -> None:
    values = np.arange(64 * 64, dtype=float).reshape(64, 64)
    got = reduce_window(reader(values), values.shape, (4, 4), "max", (2, 5, 3, 9), budget=50)
    np.testing.assert_array_equal(got, reference(values, 4, 4, "max")[2:5, 3:9])


def test_cancelled_between_pieces() -> None:
    values = np.ones((100, 100))
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 2

    with pytest.raises(Cancelled):
        reduce_window(
            reader(values), values.shape, (10, 10), "mean", (0, 10, 0, 10), 100, cancelled
        )
