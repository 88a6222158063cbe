"""Catalogs for the picker: the arrays of a bundle, the result files under a directory,
and the facts about each one that are worth a read (shape, size, value range).

Listing reads headers only. The facts that need the data (a value range, the
shape of a CSV) are separate calls, made by the viewer in a worker as it shows
the list, each bounded: a sample of big arrays, a size limit for text files.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np

from tuiheat.core.catalog import (
    BUNDLE,
    ERROR,
    FILE,
    HEATMAP,
    Catalog,
    Entry,
    ranked,
)
from tuiheat.core.readout import format_value
from tuiheat.core.scale import BIG_CELLS, finite_min_max, sample_values
from tuiheat.core.tensor import flat_matrix
from tuiheat.loaders import LOADERS, PICKLE_SUFFIXES, load_tensor, open_source
from tuiheat.loaders.base import NPY_MAGIC, ZIP_MAGIC, ChooseArray, LoadError, Source
from tuiheat.loaders.stores import HDF5_SUFFIXES, store_catalog, store_kind

MAX_ENTRIES = 2000  # files listed from a directory before the listing stops and says so
MAX_SCANNED = 50_000  # directory entries looked at, listed or not
DESCRIBE_TEXT_BYTES = 32 * 1024**2  # text files bigger than this are described on open
MAX_DEPTH = 32  # folders below this depth are listed as one line, not walked
SKIPPED_DIRS = frozenset(("__pycache__", "node_modules", "site-packages", ".git"))
SIDECAR_SUFFIX = ".tuiheat.json"


def file_catalog(name: str) -> Catalog:
    """The arrays a file holds, from its headers where the format has them."""
    kind = store_kind(name)
    if kind is not None:  # Zarr, HDF5: their own metadata
        return store_catalog(name, kind)
    source = open_source(name)
    module = _format(source)
    if module == "numpy_files:load_npz":
        from tuiheat.loaders.numpy_files import npz_catalog

        catalog = npz_catalog(source)
    elif module == "safetensors_files:load_safetensors":
        from tuiheat.loaders.safetensors_files import safetensors_catalog

        catalog = safetensors_catalog(source)
    elif module == "torch_files:load_pt":
        from tuiheat.loaders.torch_files import pt_catalog

        catalog = pt_catalog(source)
    elif module == "jsondoc:load_json":
        from tuiheat.loaders.jsondoc import json_catalog

        catalog = json_catalog(source)
    else:
        tensor = load_tensor(name)
        catalog = Catalog(source.name, (Entry("", HEATMAP, tensor.shape, _dtype(tensor)),))
    return replace(catalog, name=name, entries=ranked(catalog.entries))


def _format(source: Source) -> str:
    spec = LOADERS.get(source.suffix)
    if spec is not None:
        return spec
    head = source.head(16)
    if head.startswith(NPY_MAGIC):
        return LOADERS[".npy"]
    return LOADERS[".npz"] if head.startswith(ZIP_MAGIC) else ""


def _dtype(tensor: object) -> str:
    from tuiheat.core.filerows import is_bfloat16

    dtype = tensor.values.dtype  # type: ignore[attr-defined]
    return "bfloat16" if is_bfloat16(dtype) else str(dtype)


# --- directories ----------------------------------------------------------------------


def is_result_file(name: str) -> bool:
    """A file tuiheat may open, judged by its name (sidecars of saved boxes are not)."""
    lower = name.lower()
    if lower.endswith(SIDECAR_SUFFIX) or name.startswith("."):
        return False
    suffix = os.path.splitext(lower)[1]
    return suffix in LOADERS or suffix in PICKLE_SUFFIXES or lower.endswith(".zarr.zip")


def directory_catalog(
    name: str, limit: int = MAX_ENTRIES, scan_limit: int = MAX_SCANNED
) -> Catalog:
    """Result files under ``name``, depth first in name order, at most ``limit`` of them.

    Hidden entries and tool caches are skipped; a folder that cannot be read is listed
    as an entry with its error, never fatal.
    """
    root = Path(name)
    entries: list[Entry] = []
    scanned = 0
    stopped = 0
    for path, error in _walk(root):
        scanned += 1
        if scanned > scan_limit or len(entries) >= limit:
            stopped = len(entries)
            break
        relative = str(path.relative_to(root)) if path != root else path.name
        if error:
            entries.append(Entry(relative + "/", ERROR, detail=error, path=str(path)))
            continue
        try:
            size = path.stat().st_size
        except OSError as err:
            entries.append(Entry(relative, ERROR, detail=err.strerror or str(err), path=str(path)))
            continue
        entries.append(Entry(relative, FILE, nbytes=size, path=str(path)))
    notes: tuple[str, ...] = ()
    if stopped:
        notes = (f"listing stopped after {stopped} files ({scanned - 1} entries looked at)",)
    elif not entries:
        notes = ("no result files here (.csv .tsv .npy .npz .json .pt .safetensors)",)
    return Catalog(name, tuple(entries), is_directory=True, truncated=stopped, notes=notes)


def _walk(root: Path) -> Iterator[tuple[Path, str]]:
    """Result files (and unreadable folders, with their error) under ``root`` in path order,
    a folder's files and subfolders interleaved by name; a directory is entered once by
    its device and inode, so symlink loops end."""
    seen: set[tuple[int, int]] = set()

    def folder_items(folder: Path, depth: int = 0) -> Iterator[tuple[Path, str]]:
        if depth > MAX_DEPTH:
            yield folder, f"more than {MAX_DEPTH} folders deep: not listed"
            return
        try:
            st = folder.stat()
            if (st.st_dev, st.st_ino) in seen:
                return
            seen.add((st.st_dev, st.st_ino))
            with os.scandir(folder) as it:
                items = sorted(it, key=lambda e: e.name)
        except OSError as err:
            yield folder, err.strerror or str(err)
            return
        for item in items:
            if item.name.startswith(".") or item.name in SKIPPED_DIRS:
                continue
            try:
                is_dir = item.is_dir()
            except OSError:
                continue
            if is_dir and store_kind(item.path) is not None:
                yield Path(item.path), ""  # a Zarr store: one entry, its arrays inside
            elif is_dir:
                yield from folder_items(Path(item.path), depth + 1)
            elif is_result_file(item.name) or item.name.lower().endswith(HDF5_SUFFIXES):
                yield Path(item.path), ""

    yield from folder_items(root)


def describe_file(entry: Entry) -> Entry:
    """A directory entry with what the file holds: its shape, or how many arrays, or the
    one-line reason it cannot be opened."""
    try:
        if store_kind(entry.path) is None:  # a store (a Zarr folder too) reads its metadata
            source = open_source(entry.path)
            module = _format(source)
            text = module.startswith(("delimited", "jsondoc")) or not module
            if text and source.size > DESCRIBE_TEXT_BYTES:
                return replace(entry, detail="shape shown when opened")
        catalog = file_catalog(entry.path)
    except ChooseArray as err:
        catalog = err.catalog
    except LoadError as err:
        return replace(entry, kind=ERROR, detail=str(err))
    except (OSError, ValueError) as err:
        return replace(entry, kind=ERROR, detail=str(err) or type(err).__name__)
    heatmaps = [e for e in catalog.entries if e.kind == HEATMAP]
    if len(heatmaps) == 1:
        return replace(entry, shape=heatmaps[0].shape, dtype=heatmaps[0].dtype)
    if not heatmaps:
        return replace(entry, kind=ERROR, detail="no array of 2 or more axes")
    return replace(entry, kind=BUNDLE, detail=f"{len(heatmaps)} arrays")


def value_range(name: str, key: str) -> str:
    """A heatmap member's finite min–max; a sample of a big one, marked ≈."""
    matrix = flat_matrix(load_tensor(name, key or None))
    approx = matrix.size > BIG_CELLS
    if approx:
        values = sample_values(matrix)
        finite = values[np.isfinite(values)]
        extent = (float(finite.min()), float(finite.max())) if finite.size else None
    else:
        extent = finite_min_max(matrix)
    if extent is None:
        return "no finite values"
    return f"{'≈' if approx else ''}{format_value(extent[0])}–{format_value(extent[1])}"


def is_directory(name: str) -> bool:
    """A folder to list (a Zarr store's folder is a store, not a folder of files)."""
    try:
        return stat.S_ISDIR(os.stat(name).st_mode) and store_kind(name) is None
    except OSError:
        return False
