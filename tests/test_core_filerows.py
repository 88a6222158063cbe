"""Windows of memory-mapped matrices read with pread equal numpy's slices, for every layout."""

from __future__ import annotations

import numpy as np
import pytest

from tuiheat.core import HeatMatrix
from tuiheat.loaders import load

pytestmark = pytest.mark.usefixtures("always_map")


@pytest.mark.parametrize("dtype", ["<f4", ">f8", "int16", "uint8", "float16", "bool"])
def test_windows_equal_numpy(tmp_path, dtype: str) -> None:  # type: ignore[no-untyped-def]
    values = (np.random.default_rng(1).random((300, 200)) * 100).astype(dtype)
    path = tmp_path / "a.npy"
    np.save(path, values)
    matrix = load(str(path))
    assert matrix._file_rows() is not None
    ref = values.astype(np.float64)
    for r0, r1, c0, c1 in [
        (0, 300, 0, 200),
        (10, 50, 100, 160),
        (0, 300, 7, 8),
        (299, 300, 199, 200),
        (5, 5, 0, 3),
    ]:
        np.testing.assert_array_equal(matrix.window(r0, r1, c0, c1), ref[r0:r1, c0:c1])
    assert matrix.value(123, 45) == ref[123, 45]


def test_squeezed_and_npz_members(tmp_path) -> None:  # type: ignore[no-untyped-def]
    values = np.arange(2 * 3 * 5, dtype=np.float32).reshape(1, 6, 5)
    np.save(tmp_path / "a.npy", values)
    np.savez(tmp_path / "b.npz", m=values[0], tokens=np.array(list("abcde")))
    for name in ("a.npy", "b.npz"):
        matrix = load(str(tmp_path / name))
        np.testing.assert_array_equal(matrix.window(1, 4, 2, 5), values[0, 1:4, 2:5])


def test_fortran_order_falls_back_to_slicing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    values = np.asfortranarray(np.arange(12.0).reshape(3, 4))
    np.save(tmp_path / "f.npy", values)
    matrix = load(str(tmp_path / "f.npy"))
    assert matrix._file_rows() is None
    np.testing.assert_array_equal(matrix.window(0, 3, 1, 3), values[:, 1:3])


def test_in_memory_arrays_need_no_file() -> None:
    matrix = HeatMatrix(np.arange(6.0).reshape(2, 3))
    assert matrix._file_rows() is None
    assert matrix.window(1, 2, 0, 3).tolist() == [[3.0, 4.0, 5.0]]


def test_inner_slices_of_nd_memmaps_read_the_right_bytes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tuiheat.core.tensor import default_spec, parse_slice, slice_matrix, transpose
    from tuiheat.loaders import load_tensor

    values = np.random.default_rng(0).random((3, 4, 5, 6)).astype(np.float32)
    np.save(tmp_path / "a.npy", values)
    t = load_tensor(str(tmp_path / "a.npy"))
    spec = parse_slice(t, default_spec(t), "dim0=2,dim1=3")
    m = slice_matrix(t, spec)
    assert m._file_rows() is not None  # read with pread, from the slice's own offset
    np.testing.assert_array_equal(m.as_float(), values[2, 3])
    np.testing.assert_array_equal(slice_matrix(t, transpose(spec)).as_float(), values[2, 3].T)
    spec = parse_slice(t, default_spec(t), "dim0=1,dim1=mean")
    np.testing.assert_allclose(slice_matrix(t, spec).as_float(), values[1].mean(axis=0), rtol=1e-6)


def test_a_file_that_shrinks_gives_nan_not_a_crash(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.npy"
    np.save(path, np.ones((100, 100)))
    matrix = load(str(path))
    assert not matrix.stale
    with open(path, "r+b") as fh:
        fh.truncate(2000)
    block = matrix.window(50, 60, 0, 10)
    assert np.isnan(block).all() and matrix.stale
    fortran = tmp_path / "f.npy"
    np.save(fortran, np.asfortranarray(np.ones((100, 100))))
    matrix = load(str(fortran))
    with open(fortran, "r+b") as fh:
        fh.truncate(2000)
    assert np.isnan(matrix.window(0, 100, 50, 60)).all() and matrix.stale  # no SIGBUS either


def test_rows_in_any_order_read_once_each(tmp_path) -> None:  # type: ignore[no-untyped-def]
    values = np.arange(300 * 200, dtype="<f4").reshape(300, 200)
    np.save(tmp_path / "a.npy", values)
    matrix = load(str(tmp_path / "a.npy"))
    rows = [299, 0, 17, 17, 150]
    np.testing.assert_array_equal(matrix.rows_at(rows, 10, 13), values[rows, 10:13])
    np.testing.assert_array_equal(matrix.column_at(range(3, 300, 7), 199), values[3::7, 199])
    assert HeatMatrix(np.load(tmp_path / "a.npy", mmap_mode="r").T).rows_at([0], 0, 1) is None
