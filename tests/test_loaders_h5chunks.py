"""HDF5 chunks inflated outside the HDF5 library: every selection the readers make equals
h5py's, chunks never written read as the fill value, a corrupt chunk is an error the chunk
readers turn into empty cells and one line, and pipelines it does not know read as before."""

from __future__ import annotations

import pickle
from pathlib import Path

import h5py
import numpy as np
import pytest

from tuiheat.core.chunkrows import ChunkRows
from tuiheat.core.tensor import default_spec, slice_matrix
from tuiheat.loaders import load_tensor, stores
from tuiheat.loaders.h5chunks import DirectChunks, direct_chunks

VALUES = np.random.default_rng(12).random((3, 50, 70)).astype(">f4")  # big-endian on disk
SELECTIONS = [
    ...,
    (1, slice(3, 40), slice(5, 69)),
    (slice(None), 7, slice(0, 70)),
    (-1,),
    (slice(0, 2),),
    (2, slice(49, 50), slice(69, 70)),  # the last cell: an edge chunk's corner
    (0, slice(10, 10), slice(None)),  # empty
]


def write(path: Path) -> None:
    with h5py.File(path, "w") as f:
        f.create_dataset("gzip", data=VALUES, chunks=(1, 16, 32), compression="gzip")
        f.create_dataset(
            "shuffled", data=VALUES, chunks=(2, 16, 32), compression="gzip", shuffle=True
        )
        ints = (VALUES * 1000).astype("<i2")
        f.create_dataset("ints", data=ints, chunks=(1, 16, 32), compression="gzip", shuffle=True)
        f.create_dataset("lzf", data=VALUES, chunks=(1, 16, 32), compression="lzf")
        f.create_dataset(
            "sums", data=VALUES, chunks=(1, 16, 32), compression="gzip", fletcher32=True
        )
        f.create_dataset("plain", data=VALUES, chunks=(1, 16, 32))  # chunked, no filter
        f.create_dataset("contiguous", data=VALUES)
        sparse = f.create_dataset(
            "sparse", (40, 40), "f4", chunks=(16, 16), compression="gzip", fillvalue=-1.5
        )
        sparse[0:5, 0:5] = 1.0


def test_every_selection_equals_h5py_and_unknown_pipelines_read_through_h5py(
    tmp_path: Path,
) -> None:
    path = tmp_path / "f.h5"
    write(path)
    with h5py.File(path, "r") as f:
        for key in ("gzip", "shuffled", "ints"):
            direct = direct_chunks(f[key])
            assert isinstance(direct, DirectChunks)
            for where in SELECTIONS:
                np.testing.assert_array_equal(direct[where], f[key][where])
            assert direct[1, ::2, 3].shape == (25,)  # a step: through h5py
        for key in ("lzf", "sums", "plain", "contiguous"):
            assert not isinstance(direct_chunks(f[key]), DirectChunks)
        sparse = direct_chunks(f["sparse"])
        shown = sparse[...]
        np.testing.assert_array_equal(shown, f["sparse"][...])
        assert (shown[20:, 20:] == -1.5).all() and (shown[:5, :5] == 1.0).all()
        travelled = pickle.loads(pickle.dumps(direct_chunks(f["gzip"])))  # to a dask worker
        np.testing.assert_array_equal(travelled[2, 40:, 60:], VALUES[2, 40:, 60:])


def test_a_corrupt_chunk_is_empty_cells_and_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stores, "WHOLE_BELOW", 0)
    path = tmp_path / "f.h5"
    write(path)
    with h5py.File(path, "r") as f:  # layer 0, rows 16-31, columns 32-63
        info = f["gzip"].id.get_chunk_info_by_coord((0, 16, 32))
    with path.open("r+b") as raw:
        raw.seek(info.byte_offset + 10)
        raw.write(b"\xff" * 64)
    tensor = load_tensor(str(path), key="gzip")
    assert isinstance(tensor.source.array, DirectChunks)
    matrix = slice_matrix(tensor, default_spec(tensor))
    shown = matrix.as_float()
    assert np.isnan(shown[16:32, 32:64]).all()
    np.testing.assert_array_equal(shown[:16], VALUES[0, :16])
    failed = tensor.source.cache.failed
    assert failed.startswith("rows 16-31, columns 32-63: ") and "\n" not in failed
    plane = ChunkRows(tensor.source.array, 1, 2, (1,))
    np.testing.assert_array_equal(plane.window(0, 50, 0, 70), VALUES[1])  # other layers intact
