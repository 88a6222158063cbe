"""Zarr (v2, v3, zip, fsspec memory://) and HDF5 arrays, opened through their libraries:
listed from metadata, axis names from xarray's attribute, v3 dimension names and HDF5
dimension labels, labels from coordinate arrays and dimension scales; one-line errors."""

from __future__ import annotations

import sys
from pathlib import Path

import h5py
import numpy as np
import pytest
import zarr

from tuiheat.core.catalog import BUNDLE
from tuiheat.core.tensor import default_spec, slice_matrix
from tuiheat.loaders import LoadError, load_tensor
from tuiheat.loaders.base import ChooseArray
from tuiheat.loaders.listing import describe_file, directory_catalog, file_catalog
from tuiheat.loaders.stores import store_kind

RNG = np.random.default_rng(4)
ATTN = RNG.random((3, 5, 6)).astype(np.float32)
TOKENS = ["the", "cat", "sat", " on", "the", "mat"]


def xarray_style_v2(path: Path) -> Path:
    """As ``xarray.Dataset.to_zarr`` writes it: ``_ARRAY_DIMENSIONS`` and coordinate arrays."""
    group = zarr.open_group(str(path), mode="w", zarr_format=2)
    attn = group.create_array("attn", shape=ATTN.shape, chunks=(1, 5, 6), dtype="f4")
    attn[:] = ATTN
    attn.attrs["_ARRAY_DIMENSIONS"] = ["layer", "query", "key"]
    key = group.create_array("key", shape=(6,), dtype=str)
    key[:] = np.array(TOKENS)
    key.attrs["_ARRAY_DIMENSIONS"] = ["key"]
    bias = group.create_array("bias", shape=(4, 4), dtype="f8")
    bias[:] = np.eye(4)
    return path


def test_a_zarr_group_lists_its_arrays_and_opens_one_with_names_and_labels(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = xarray_style_v2(tmp_path / "run.zarr")
    assert store_kind(str(store)) == "zarr"
    catalog = file_catalog(str(store))
    attn = next(e for e in catalog.entries if e.key == "attn")
    assert attn.shape == (3, 5, 6) and attn.dtype == "float32"
    assert attn.detail.startswith("chunks 1×5×6 · ")
    with pytest.raises(ChooseArray):
        load_tensor(str(store))
    tensor = load_tensor(str(store), key="attn")
    assert tensor.names == ("layer", "query", "key")
    assert tensor.labels[2] == tuple(TOKENS)
    np.testing.assert_array_equal(tensor.values, ATTN)


def test_zarr_v3_dimension_names_a_zip_and_a_memory_url(tmp_path) -> None:  # type: ignore[no-untyped-def]
    grid = np.arange(35.0).reshape(5, 7)
    zarr.save_array(str(tmp_path / "m.zarr"), grid, zarr_format=3)
    v3 = zarr.open_array(
        str(tmp_path / "d.zarr"),
        mode="w",
        shape=grid.shape,
        dtype="f8",
        chunks=(2, 7),
        dimension_names=("layer", "token"),
        zarr_format=3,
    )
    v3[:] = grid
    tensor = load_tensor(str(tmp_path / "d.zarr"))
    assert tensor.names == ("layer", "token") and tensor.values[3, 4] == grid[3, 4]
    with zarr.storage.ZipStore(str(tmp_path / "z.zarr.zip"), mode="w") as zstore:
        zarr.save_array(zstore, grid)
    np.testing.assert_array_equal(load_tensor(str(tmp_path / "z.zarr.zip")).values, grid)
    zarr.save_array("memory://tuiheat-test/x.zarr", grid)
    np.testing.assert_array_equal(load_tensor("memory://tuiheat-test/x.zarr").values, grid)


def test_hdf5_dimension_labels_and_scales(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "attn.h5"
    with h5py.File(path, "w") as fh:
        data = fh.create_dataset("model/attn", data=ATTN, chunks=(1, 5, 6), compression="gzip")
        tokens = fh.create_dataset("model/key", data=np.array(TOKENS, dtype="S"))
        tokens.make_scale("key")
        for axis, name in enumerate(("layer", "query", "key")):
            data.dims[axis].label = name
        data.dims[2].attach_scale(tokens)
    assert store_kind(str(path)) == "hdf5"
    entry = next(e for e in file_catalog(str(path)).entries if e.key == "model/attn")
    assert entry.detail == "chunks 1×5×6 · gzip"
    tensor = load_tensor(str(path), key="model/attn")
    assert tensor.names == ("layer", "query", "key") and tensor.labels[2] == tuple(TOKENS)
    np.testing.assert_array_equal(tensor.values, ATTN)
    renamed = tmp_path / "attn.bin"  # told by its signature
    renamed.write_bytes(path.read_bytes())
    assert store_kind(str(renamed)) == "hdf5"


def test_a_folder_lists_a_store_as_one_entry(tmp_path) -> None:  # type: ignore[no-untyped-def]
    xarray_style_v2(tmp_path / "runs" / "seed0.zarr")
    np.save(tmp_path / "runs" / "auc.npy", np.eye(3))
    with h5py.File(tmp_path / "runs" / "probe.h5", "w") as f:
        f.create_dataset("auc", data=np.eye(4))
        f.create_dataset("acc", data=np.eye(4))
    zipped = zarr.storage.ZipStore(str(tmp_path / "runs" / "seed1.zarr.zip"), mode="w")
    zarr.create_array(zipped, shape=(3, 4), dtype="f4")[:] = 1.0
    zipped.close()
    listed = directory_catalog(str(tmp_path / "runs")).entries
    assert [e.key for e in listed] == ["auc.npy", "probe.h5", "seed0.zarr", "seed1.zarr.zip"]
    described = {e.key: describe_file(e) for e in listed}
    assert described["seed0.zarr"].kind == BUNDLE and described["seed0.zarr"].detail.endswith(
        " arrays"
    )
    assert described["probe.h5"].detail == "2 arrays"  # from its metadata, not "when opened"
    assert described["seed1.zarr.zip"].shape == (3, 4)


def test_missing_chunks_read_as_fill_and_broken_ones_empty_cells(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "gaps.zarr"
    arr = zarr.open_array(
        str(store),
        mode="w",
        shape=(4, 4),
        chunks=(2, 2),
        dtype="f8",
        fill_value=np.nan,
        zarr_format=2,
    )
    arr[:2, :2] = 1.0  # one chunk of four written
    values = load_tensor(str(store)).values
    assert values[0, 0] == 1.0 and np.isnan(values[3, 3])
    (store / "0.0").write_bytes(b"not a chunk")  # a small store opens all the same
    tensor = load_tensor(str(store))
    assert tensor.source is not None  # read by chunk: the broken one is NaN, said once
    shown = slice_matrix(tensor, default_spec(tensor)).as_float()
    assert np.isnan(shown[:2, :2]).all() and np.isnan(shown[3, 3])
    assert tensor.source.cache.failed.startswith("rows 0-1, columns 0-1: ")


def test_what_is_no_heatmap_in_a_store_is_one_line(tmp_path: Path) -> None:
    """A 1-D array (labels, a coordinate), a null HDF5 dataspace, text, a leading slash."""
    group = zarr.open_group(str(tmp_path / "g.zarr"), mode="w")
    group.create_array("tokens", shape=(20,), dtype="i4")[:] = np.arange(20)
    group.create_array("acts", shape=(4, 5), dtype="f4")[:] = 1.0
    with pytest.raises(LoadError, match=r"^tokens is 1-D \(length 20\); tuiheat shows"):
        load_tensor(str(tmp_path / "g.zarr"), key="tokens")
    words = zarr.open_array(
        str(tmp_path / "w.zarr"), mode="w", shape=(2, 2), dtype="<U5", zarr_format=2
    )
    words[:] = [["a", "b"], ["c", "d"]]
    with pytest.raises(LoadError, match=r"^the store's array: values of dtype <U5 are not numbers"):
        load_tensor(str(tmp_path / "w.zarr"))
    with h5py.File(tmp_path / "f.h5", "w") as f:
        f.create_dataset("null", shape=None, dtype="f4")
        f.create_dataset("grid/auc", data=ATTN[0])
    assert [e.key for e in file_catalog(str(tmp_path / "f.h5")).entries] == ["grid/auc"]
    opened = load_tensor(str(tmp_path / "f.h5"), key="/grid/auc")  # as h5py names it
    np.testing.assert_array_equal(opened.values, ATTN[0])


def test_a_missing_package_says_how_to_install_it(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    store = xarray_style_v2(tmp_path / "run.zarr")
    monkeypatch.setitem(sys.modules, "zarr", None)
    with pytest.raises(LoadError, match=r"pip install 'tuiheat\[zarr\]'"):
        load_tensor(str(store), key="attn")


def test_hdf5_dimension_scales_label_axes_whatever_their_names(tmp_path: Path) -> None:
    path = tmp_path / "scales.h5"
    with h5py.File(path, "w") as f:
        attn = f.create_dataset("attn", data=RNG.random((3, 6, 6)))
        tok = f.create_dataset("tok", data=np.array(TOKENS, dtype="S"))
        tok.make_scale("tokens")
        heads = f.create_dataset("which_head", data=np.array([7, 107, 207]))
        heads.make_scale("heads")
        attn.dims[0].label = "head"  # the other two axes have no label
        attn.dims[0].attach_scale(heads)
        attn.dims[1].attach_scale(tok)
        attn.dims[2].attach_scale(tok)
    tensor = load_tensor(str(path), key="attn")
    assert tensor.names == ("head", "dim1", "dim2")
    assert tensor.labels[0] == ("7", "107", "207")
    assert tensor.labels[1] == tuple(TOKENS) and tensor.labels[2] == tuple(TOKENS)


def test_urls_say_what_cannot_be_read_there() -> None:
    with pytest.raises(LoadError, match=r"^no Zarr array or group there$"):
        load_tensor("memory://nothing/here.zarr")
    with pytest.raises(LoadError, match=r"^an HDF5 file or a \.zarr\.zip is read from a path"):
        load_tensor("https://example.org/run/probe.h5")  # refused before any request


def test_a_store_opened_by_a_relative_path_reads_the_same_from_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dask worker opens the array where it runs: "acts.zarr" from another folder read
    nothing there, and every value came back as the fill value."""
    import pickle

    from tuiheat.loaders import stores
    from tuiheat.loaders.sidecar import sidecar_path

    monkeypatch.setattr(stores, "WHOLE_BELOW", 0)
    (tmp_path / "runs").mkdir()
    array = zarr.open_array(
        str(tmp_path / "runs" / "acts.zarr"), mode="w", shape=(6, 8), chunks=(2, 4)
    )
    array[:] = np.arange(48.0).reshape(6, 8)
    with h5py.File(tmp_path / "runs" / "acts.h5", "w") as f:
        f.create_dataset("x", data=np.arange(48.0).reshape(6, 8), chunks=(2, 4), compression="gzip")
    monkeypatch.chdir(tmp_path / "runs")
    opened = [
        load_tensor(name, key=key).source for name, key in (("acts.zarr", None), ("acts.h5", "x"))
    ]
    travelled = [pickle.dumps(source.array) for source in opened]  # to a worker ...
    monkeypatch.chdir(tmp_path)  # ... that runs elsewhere
    for sent in travelled:
        np.testing.assert_array_equal(np.asarray(pickle.loads(sent)[2:4, 4:8]), array[2:4, 4:8])
    monkeypatch.chdir(tmp_path / "runs" / "acts.zarr")  # a store opened from inside: "."
    assert sidecar_path(Path(".")) == tmp_path / "runs" / "acts.zarr.tuiheat.json"
    assert sidecar_path(Path("c/..")) == tmp_path / "runs" / "acts.zarr.tuiheat.json"


def test_an_empty_array_in_a_store_is_one_line(tmp_path: Path) -> None:
    zarr.open_array(str(tmp_path / "e.zarr"), mode="w", shape=(0, 10), dtype="f4")
    with pytest.raises(LoadError, match=r"^the store's array is empty \(shape 0×10\)$"):
        load_tensor(str(tmp_path / "e.zarr"))
