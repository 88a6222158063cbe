"""Block reducers against a plain numpy reference, uneven edges included; zoom arithmetic."""

from __future__ import annotations

import numpy as np
import pytest

from tuiheat.core import Box, HeatMatrix
from tuiheat.core.zoom import (
    REDUCERS,
    Zoom,
    block_labels,
    fit_zoom,
    next_reducer,
    reduce_blocks,
    reduce_matrix,
    zoom_step,
)


def reference(values: np.ndarray, fr: int, fc: int, reducer: str) -> np.ndarray:
    n, m = values.shape
    out = np.full((-(-n // fr), -(-m // fc)), np.nan)
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            block = values[i * fr : (i + 1) * fr, j * fc : (j + 1) * fc]
            if reducer == "nearest":
                out[i, j] = block[0, 0]
                continue
            finite = block[np.isfinite(block)]
            if finite.size:
                out[i, j] = {"mean": np.mean, "max": np.max, "min": np.min}[reducer](finite)
    return out


@pytest.mark.parametrize("reducer", REDUCERS)
@pytest.mark.parametrize(
    ("shape", "fr", "fc"), [((10, 7), 3, 2), ((16, 16), 4, 4), ((5, 9), 8, 1), ((1, 1), 2, 2)]
)
def test_reduce_blocks_matches_reference(
    reducer: str, shape: tuple[int, int], fr: int, fc: int
) -> None:
    values = np.random.default_rng(7).normal(size=shape)
    if values.size > 4:
        values.flat[3] = np.nan
        values.flat[-2] = np.inf
    got = reduce_blocks(values, fr, fc, reducer)
    np.testing.assert_allclose(got, reference(values, fr, fc, reducer), equal_nan=True)


@pytest.mark.parametrize("reducer", REDUCERS)
def test_reduce_matrix_over_bands_and_memmaps(reducer: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    values = np.random.default_rng(9).random((1030, 700)).astype(np.float32)
    path = tmp_path / "a.npy"
    np.save(path, values)
    matrix = HeatMatrix(np.load(path, mmap_mode="r"))
    zoom = Zoom(16, 8, reducer)
    got = reduce_matrix(matrix, zoom)
    assert got is not None and got.shape == (65, 88)
    np.testing.assert_allclose(
        got, reference(values.astype(np.float64), 16, 8, reducer), rtol=1e-12
    )


def test_block_of_only_nan_is_nan() -> None:
    values = np.array([[np.nan, np.nan, 1.0], [np.nan, np.nan, 2.0]])
    assert np.isnan(reduce_blocks(values, 2, 2, "mean")[0, 0])
    assert reduce_blocks(values, 2, 2, "max")[0, 1] == 2.0


def test_cancel_stops_midway() -> None:
    matrix = HeatMatrix(np.zeros((4000, 300)))
    assert reduce_matrix(matrix, Zoom(2, 2), cancelled=lambda: True) is None


def test_zoom_arithmetic() -> None:
    z = Zoom(16, 8, "max")
    shape = (100, 30)
    assert z.view_shape(shape) == (7, 4)
    assert z.block(6, 3, shape) == (96, 99, 24, 29)  # the uneven last block
    assert z.to_view(97, 25) == (6, 3)
    assert z.describe() == "1 cell = 16×8 values, max"
    assert Zoom().describe() == "1 cell = 1 value"
    assert z.to_view_box(Box(4, 28, 1, 13)) == Box(0, 1, 0, 1)
    assert z.to_base_box(Box(0, 1, 0, 1), shape) == Box(0, 31, 0, 15)
    assert z.to_base_box(Box(6, 6, 3, 3), shape) == Box(96, 99, 24, 29)


def test_fit_and_steps() -> None:
    assert fit_zoom((4096, 4096), 30, 50) == Zoom(256, 128)
    assert fit_zoom((32, 14), 40, 100) == Zoom(1, 1)
    z = zoom_step(Zoom(), (4096, 30), out=True)
    assert z == Zoom(2, 2)
    z = Zoom(1, 32)
    assert zoom_step(z, (4096, 30), out=True) == Zoom(2, 32)  # 32 already covers 30 columns
    assert zoom_step(Zoom(2, 1), (10, 10), out=False) == Zoom(1, 1)
    assert next_reducer("nearest") == "mean"


def test_block_labels() -> None:
    assert block_labels(tuple(str(i) for i in range(10)), 4) == ("0–3", "4–7", "8–9")
    assert block_labels(("a", "b", "c"), 2) == ("a…b", "c")
    assert block_labels(("a", "b"), 1) == ("a", "b")


@pytest.mark.parametrize("reducer", REDUCERS)
def test_lazy_view_windows_equal_the_full_reduction(reducer: str) -> None:
    from tuiheat.core.zoom import zoomed_matrix

    values = np.random.default_rng(3).random((203, 97))
    values[5, 5] = np.nan
    base = HeatMatrix(values, row_labels=tuple(f"r{i}" for i in range(203)))
    zoom = Zoom(8, 4, reducer)
    view = zoomed_matrix(base, zoom)
    full = reduce_matrix(base, zoom)
    assert view.shape == full.shape == (26, 25)  # type: ignore[union-attr]
    for r0, r1, c0, c1 in [(0, 26, 0, 25), (3, 9, 2, 20), (25, 26, 24, 25)]:
        np.testing.assert_allclose(view.window(r0, r1, c0, c1), full[r0:r1, c0:c1], equal_nan=True)  # type: ignore[index]
    assert view.row_labels[0] == "r0…r7" and view.row_labels[-1] == "r200…r202"
    view.set_full(full)  # type: ignore[arg-type]
    np.testing.assert_allclose(view.window(1, 2, 1, 3), full[1:2, 1:3], equal_nan=True)  # type: ignore[index]


@pytest.mark.parametrize("reducer", REDUCERS)
@pytest.mark.parametrize("source", ["memory", "file", "transposed file", "difference"])
def test_zoomed_column_profile_equals_its_blocks(reducer: str, source: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A zoomed view's column at strided rows (what the column profile reads) is the same
    blocks the grid shows, NaN and the short last block included, whichever way it is read
    (a difference view's values exist only through its windows)."""
    from tuiheat.core.compare import difference
    from tuiheat.core.zoom import zoomed_matrix

    rng = np.random.default_rng(5)
    values = rng.random((203, 77)).astype(np.float32)
    values[rng.random(values.shape) < 0.1] = np.nan
    values[8:16, 0:4] = np.nan  # a whole block of NaN
    np.save(tmp_path / "a.npy", values)
    mapped = np.load(tmp_path / "a.npy", mmap_mode="r")
    data = {"memory": values, "file": mapped, "transposed file": mapped.T}.get(source, values)
    base = HeatMatrix(data)
    if source == "difference":  # A − B with B = A / 2: the difference is A / 2
        base = difference(HeatMatrix(mapped), HeatMatrix(np.asarray(values) / 2))
        data = np.asarray(values, dtype=np.float64) / 2
    for fr, fc in [(2, 2), (4, 8), (16, 4), (8, 1)]:
        view = zoomed_matrix(base, Zoom(fr, fc, reducer))
        expect = reference(np.asarray(data, dtype=np.float64), fr, fc, reducer)
        for col in (0, view.n_cols // 2, view.n_cols - 1):
            for rows in (range(0, view.n_rows, 3), range(view.n_rows), range(1, view.n_rows, 2)):
                np.testing.assert_allclose(
                    view.column_at(rows, col), expect[rows.start :: rows.step, col], equal_nan=True
                )
