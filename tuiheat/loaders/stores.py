"""Zarr and HDF5: chunked stores, opened through their own libraries (the extras ``zarr`` and
``hdf5``, imported only when a store is opened), listed from their metadata alone.

A Zarr store is a directory (v2 or v3), a ``.zarr.zip``, or an fsspec URL (``s3://``,
``gs://``, ``https://``, ``memory://``, …; credentials come from the environment, as
fsspec reads them). An HDF5 file is told by its suffix or its signature. Axis names come
from ``_ARRAY_DIMENSIONS`` (xarray's), v3 ``dimension_names``, a ``dims`` attribute or
HDF5 dimension labels; labels from the 1-D array of an axis's name beside the array, or an
attached HDF5 dimension scale.

An array up to ``WHOLE_BELOW`` is read at once; a bigger one is read by chunk as the
screen asks (``core.chunkrows``), and passes over all of it run on dask when installed.
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tuiheat.core.catalog import Catalog, Entry, ranked
from tuiheat.core.chunkcache import CACHE_BYTES, ChunkCache, ChunkSource, one_line
from tuiheat.core.tensor import SliceError, Tensor, default_names
from tuiheat.loaders.base import LoadError
from tuiheat.loaders.bundle import choose, label_texts, member_kind
from tuiheat.loaders.h5chunks import direct_chunks

WHOLE_BELOW = 16 * 1024**2  # an array this small is read at once; a bigger one by chunk


@dataclass(frozen=True)
class StoreOptions:
    """How chunked arrays are read: the chunk cache's size, and where passes over a whole
    array run (dask, past ``budget`` bytes: local threads, or the cluster at ``scheduler``)."""

    cache_bytes: int | None = None
    budget: int | None = None
    scheduler: str | None = None
    screen: bool = True  # a screen's keys share the cores: local passes leave one to them


def reducer_for(
    nbytes: int, options: StoreOptions, name: str = "", key: str = ""
) -> dict[str, Any]:
    """The dask reducer of the array ``key`` of ``name``, of ``nbytes`` (none below the
    budget, or without dask); its overviews are kept in the level cache."""
    from tuiheat.loaders.daskpasses import BUDGET, SCHEDULER_VARIABLE, dask_reducer
    from tuiheat.loaders.levelcache import level_cache_for

    scheduler = options.scheduler or os.environ.get(SCHEDULER_VARIABLE)
    if nbytes <= (options.budget or BUDGET) and not scheduler:
        return {}
    levels = level_cache_for(name, key) if name else None
    return dask_reducer(scheduler, levels, spare_core=options.screen)


URL_SCHEMES = ("s3://", "gs://", "gcs://", "az://", "abfs://", "http://", "https://")
LOCAL_URLS = ("memory://", "file://")
URL_SCHEMES += LOCAL_URLS
HDF5_SUFFIXES = (".h5", ".hdf5", ".he5")
HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"
ZARR_MARKERS = (".zgroup", ".zarray", "zarr.json")
INSTALL = {"zarr": "pip install 'tuiheat[zarr]'", "hdf5": "pip install 'tuiheat[hdf5]'"}


def store_kind(name: str) -> str | None:
    """``zarr``, ``hdf5``, or None when ``name`` is neither (by name and a few bytes)."""
    if name.startswith(URL_SCHEMES):
        return "zarr"
    path = Path(name)
    if path.is_dir():
        if path.suffix.lower() == ".zarr" or any((path / m).exists() for m in ZARR_MARKERS):
            return "zarr"
        return None
    lower = path.name.lower()
    if lower.endswith((".zarr.zip", ".zarr")):
        return "zarr"
    if lower.endswith(HDF5_SUFFIXES):
        return "hdf5"
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO or device would block the read
            return None
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError:
        return None
    return "hdf5" if head == HDF5_MAGIC else None


def _library(kind: str) -> Any:
    try:
        if kind == "zarr":
            import zarr

            return zarr
        import h5py

        return h5py
    except ImportError:
        what = "Zarr stores" if kind == "zarr" else "HDF5 files"
        raise LoadError(f"{what} need the {kind} package: {INSTALL[kind]}") from None


def open_root(name: str, kind: str) -> Any:
    """The store's root group (or array), read-only; LoadError in one line."""
    lib = _library(kind)
    if name.startswith(URL_SCHEMES) and name.lower().rstrip("/").endswith((*HDF5_SUFFIXES, ".zip")):
        raise LoadError(  # zarr would say "no group found in store StorePath(…)"
            "an HDF5 file or a .zarr.zip is read from a path (a mounted or copied file), "
            "not a URL; a Zarr folder is read at a URL"
        )
    try:
        if kind == "hdf5":
            return lib.File(name, "r")
        if name.lower().endswith(".zip"):
            with zipfile.ZipFile(name):  # a clear error for a file that is not a zip
                pass
            return lib.open(store=lib.storage.ZipStore(name, mode="r"), mode="r")
        return lib.open(store=name, mode="r")
    except LoadError:
        raise
    except Exception as err:  # the libraries raise many kinds; one line for the user
        if type(err).__name__ in ("GroupNotFoundError", "NodeNotFoundError"):
            raise LoadError("no Zarr array or group there") from None
        raise LoadError(f"cannot open the store: {one_line(err)}") from None


def arrays(root: Any, kind: str) -> Iterator[tuple[str, Any]]:
    """(path inside the store, array) of every array, depth first."""
    if kind == "hdf5":
        found: list[tuple[str, Any]] = []
        root.visititems(
            lambda key, obj: found.append((key, obj)) if hasattr(obj, "dtype") else None
        )
        yield from found
        return
    if hasattr(root, "dtype"):  # a store that is one array
        yield "", root
        return
    for key, array in root.arrays():
        yield key, array
    for key, group in root.groups():
        for sub, array in arrays(group, kind):
            yield f"{key}/{sub}", array


def _detail(array: Any, kind: str) -> str:
    chunks = getattr(array, "chunks", None)
    if kind == "hdf5":
        codec = getattr(array, "compression", None) or "uncompressed"
    else:
        codecs = getattr(array, "compressors", None) or ()
        codec = ", ".join(type(c).__name__ for c in codecs) or "uncompressed"
    shown = "×".join(str(c) for c in chunks) if chunks else "contiguous"
    return f"chunks {shown} · {codec}"


def store_catalog(name: str, kind: str | None = None, root: Any = None) -> Catalog:
    """Every array of the store with its shape, dtype, chunks and compressor (from its
    metadata; ``root``: the store opened already)."""
    kind = kind or store_kind(name) or "zarr"
    root = root if root is not None else open_root(name, kind)
    entries = []
    for key, array in arrays(root, kind):
        if array.shape is None:  # an HDF5 dataset with a null dataspace: no values at all
            continue
        shape = tuple(int(n) for n in array.shape)
        dtype = np.dtype(array.dtype) if array.dtype.kind != "T" else np.dtype(str)
        entries.append(
            Entry(
                key=key,
                kind=member_kind(key.rsplit("/", 1)[-1], shape, dtype.kind),
                shape=shape,
                dtype="str" if array.dtype.kind == "T" else str(dtype),
                nbytes=int(np.prod(shape)) * dtype.itemsize,
                detail=_detail(array, kind),
            )
        )
    entries.sort(key=lambda e: _natural(e.key))  # a store lists in no useful order
    return Catalog(name, ranked(entries))


def _natural(key: str) -> list[object]:
    """``layer2`` before ``layer10``: numbers in a key compare as numbers."""
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", key)]


def load_store(name: str, key: str | None, options: StoreOptions | None = None) -> Tensor:
    """The array ``key`` of the store (the only heatmap without one) as a tensor: read at
    once when small, else by chunk as the screen asks (``options``: cache size, dask)."""
    options = options or StoreOptions()
    if not name.startswith(URL_SCHEMES):  # a dask worker opens it where it runs: not "."
        name = os.path.abspath(name)
    kind = store_kind(name) or "zarr"
    root = open_root(name, kind)  # once: a remote store's metadata is a round trip each time
    catalog = store_catalog(name, kind, root)
    if key is not None and kind == "hdf5":
        key = key.strip("/")  # h5py's paths begin with one
    if len(catalog.entries) == 1 and catalog.entries[0].key == "" and key in (None, ""):
        entry = catalog.entries[0]  # a store that is one array: its checks are below
    else:
        entry = choose(catalog, key)
    array = root if entry.key == "" else root[entry.key]
    _check_numbers(entry, array.dtype)
    names = axis_names(array, kind)
    parent = _parent(root, entry.key)
    labels = tuple(_labels(parent, n, size, kind) for n, size in zip(names, entry.shape))
    if kind == "hdf5":  # attached dimension scales, whatever their names
        scales = tuple(_scale(array, axis, size) for axis, size in enumerate(entry.shape))
        labels = tuple(s if s is not None else o for s, o in zip(scales, labels or scales))
        names = names or (default_names(len(entry.shape)) if any(scales) else ())
    fields: dict[str, Any] = {"names": names, "labels": labels} if names else {}
    if key is None and entry.key and len(catalog.entries) > 1:  # chosen here: say which
        fields["title"] = f"{Path(name.rstrip('/')).name} · {entry.key}"
    if entry.nbytes <= WHOLE_BELOW:
        try:
            values = np.asarray(array[...])
        except Exception:  # a chunk that cannot be read: by chunk, its cells NaN, said once
            values = None
        if values is not None:
            try:  # the title is the store's name and the key, as a bundle's
                return Tensor(values, **fields)
            except SliceError:
                return Tensor(values)
    cache = ChunkCache(options.cache_bytes or CACHE_BYTES)
    cache.remote = name.startswith(URL_SCHEMES) and not name.startswith(LOCAL_URLS)
    if kind == "hdf5":  # gzip chunks inflated outside HDF5's lock, threads side by side
        array = direct_chunks(array)
    source = ChunkSource(array, cache, **reducer_for(entry.nbytes, options, name, entry.key))
    try:
        return Tensor.of_chunks(source, **fields)
    except SliceError:
        return Tensor.of_chunks(source)


def _check_numbers(entry: Entry, dtype: Any) -> None:
    """A heatmap's array: numbers, on 2 or more axes, none of length 0 (LoadError if not)."""
    what = entry.key or "the store's array"
    if dtype.kind not in "biuf":
        raise LoadError(f"{what}: values of dtype {dtype} are not numbers")
    if 0 in entry.shape and len(entry.shape) >= 2:
        raise LoadError(f"{what} is empty (shape {'×'.join(map(str, entry.shape))})")
    if len(entry.shape) < 2:
        raise LoadError(
            f"{what} is {len(entry.shape)}-D"
            + (f" (length {entry.shape[0]}); " if entry.shape else " (one value); ")
            + "tuiheat shows arrays of 2 or more axes (a 1-D array beside one is its labels)"
        )


def axis_names(array: Any, kind: str) -> tuple[str, ...]:
    """The axes' names the store gives, or () (then the defaults)."""
    ndim = len(array.shape)
    if kind == "hdf5":  # a dimension without a label keeps its default name
        labelled = [str(d.label) for d in array.dims]
        if not any(labelled):
            return ()
        names = tuple(label or f"dim{i}" for i, label in enumerate(labelled))
        return names if len(set(names)) == ndim else ()
    dims = getattr(getattr(array, "metadata", None), "dimension_names", None)
    attrs = dict(array.attrs)
    for found in (dims, attrs.get("_ARRAY_DIMENSIONS"), attrs.get("dims")):
        if isinstance(found, (list, tuple)) and len(found) == ndim and all(found):
            names = tuple(str(n) for n in found)
            if len(set(names)) == ndim:
                return names
    return ()


def _parent(root: Any, key: str) -> Any:
    if "/" not in key:
        return root
    return root[key.rsplit("/", 1)[0]]


def _scale(array: Any, axis: int, size: int) -> tuple[str, ...] | None:
    """The labels of the first dimension scale attached to ``axis`` of an HDF5 dataset
    (one label per index), or None."""
    try:
        scales = array.dims[axis]
        if len(scales) == 0:
            return None
        scale = scales[0]
        if tuple(scale.shape) != (size,):
            return None
        values = np.asarray(scale[...])
    except Exception:
        return None
    if values.dtype.kind == "S":
        values = np.char.decode(values, "utf-8", errors="replace")
    elif values.dtype.kind == "O":
        values = np.array(
            [v.decode("utf-8", "replace") if isinstance(v, bytes) else v for v in values]
        )
    return label_texts(values.tolist())


def _labels(group: Any, axis: str, size: int, kind: str) -> tuple[str, ...] | None:
    """The 1-D array named ``axis`` beside the array, when it has one label per index."""
    try:
        coord = group[axis]
    except Exception:
        return None
    if not hasattr(coord, "shape") or tuple(coord.shape) != (size,):
        return None
    try:
        values = np.asarray(coord[...])
    except Exception:
        return None
    if values.dtype.kind == "S":
        values = np.char.decode(values, "utf-8", errors="replace")
    return label_texts(values.tolist())
