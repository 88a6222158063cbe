"""An HDF5 dataset read chunk by chunk with the decoding out of HDF5's hands.

h5py decodes a gzip chunk inside the HDF5 library, under a lock that lets one thread in at
a time, with zlib: on a 2-core machine a pass over 2.4 GB of gzip takes 17 s whatever the
number of threads. Reading a chunk's stored bytes (``read_direct_chunk``, a quick read
under the lock) and inflating them here, with Intel's ISA-L (``isal``, twice zlib's speed;
zlib when it is missing), which lets other threads run meanwhile, makes the threads of a
pass (dask's) decode side by side. Only the filters a pass meets every day are decoded
here, deflate with or without shuffle; any other pipeline (lzf, szip, checksums, plugins)
reads through h5py as before, as does any selection but boxes of whole indices.
"""

from __future__ import annotations

import itertools
import zlib
from typing import Any

import numpy as np

DEFLATE, SHUFFLE = 1, 2  # HDF5's filter ids
KNOWN = {(DEFLATE,), (SHUFFLE, DEFLATE)}


def inflater() -> Any:
    """ISA-L's inflate when installed, else zlib's (the same bytes, half the speed)."""
    try:
        from isal import isal_zlib

        return isal_zlib.decompress
    except ImportError:
        return zlib.decompress


def direct_chunks(dataset: Any) -> Any:
    """``dataset`` itself, or a ``DirectChunks`` over it when its chunks are gzip (with or
    without shuffle) and its values numbers: the rest reads best through h5py."""
    chunks = getattr(dataset, "chunks", None)
    if not chunks or np.dtype(dataset.dtype).kind not in "biuf":
        return dataset
    plist = dataset.id.get_create_plist()
    filters = tuple(plist.get_filter(i)[0] for i in range(plist.get_nfilters()))
    return DirectChunks(dataset) if filters in KNOWN else dataset


class DirectChunks:
    """An HDF5 dataset as the chunk readers use it (``shape``, ``dtype``, ``chunks``,
    basic slicing), each chunk's stored bytes inflated here."""

    def __init__(self, dataset: Any) -> None:
        self.dataset = dataset
        self.shape = tuple(int(n) for n in dataset.shape)
        self.dtype = np.dtype(dataset.dtype)
        self.chunks = tuple(int(c) for c in dataset.chunks)
        plist = dataset.id.get_create_plist()
        self.shuffled = plist.get_nfilters() == 2
        self.fill = dataset.fillvalue
        self._inflate = inflater()

    def __reduce__(self) -> tuple[Any, tuple[str, str]]:
        """A dask worker opens the file itself: the dataset travels as its location."""
        return _reopen, (self.dataset.file.filename, self.dataset.name)

    def __getitem__(self, where: Any) -> np.ndarray:
        box = _box(where, self.shape)
        if box is None:
            return np.asarray(self.dataset[where])
        spans, keep = box
        out = np.empty(tuple(b - a for a, b in spans), dtype=self.dtype)
        grids = [range(a // c, (b - 1) // c + 1) for (a, b), c in zip(spans, self.chunks)]
        if out.size:
            for at in itertools.product(*grids):
                self._place(at, spans, out)
        return out[tuple(slice(None) if k else 0 for k in keep)]

    def _place(self, at: tuple[int, ...], spans: list[tuple[int, int]], out: np.ndarray) -> None:
        """Chunk ``at`` (chunk indices) into ``out``, the box ``spans`` of the dataset."""
        origin = tuple(i * c for i, c in zip(at, self.chunks))
        chunk = self._chunk(origin)
        inside, placed = [], []
        for (a, b), o, c in zip(spans, origin, self.chunks):
            lo, hi = max(a, o), min(b, o + c)
            inside.append(slice(lo - o, hi - o))
            placed.append(slice(lo - a, hi - a))
        out[tuple(placed)] = chunk[tuple(inside)]

    def _chunk(self, origin: tuple[int, ...]) -> np.ndarray:
        """The chunk at ``origin`` decoded (the fill value when it was never written)."""
        try:
            mask, raw = self.dataset.id.read_direct_chunk(origin)
        except Exception:  # not written: what h5py would give
            if self.dataset.id.get_chunk_info_by_coord(origin).byte_offset is None:
                return np.full(self.chunks, self.fill, dtype=self.dtype)
            raise
        if not mask & (1 << (1 if self.shuffled else 0)):  # deflate not skipped for it
            raw = self._inflate(raw)
        if self.shuffled and not mask & 1:
            size = self.dtype.itemsize
            raw = np.frombuffer(raw, np.uint8).reshape(size, -1).T.tobytes()
        count = int(np.prod(self.chunks))
        if len(raw) != count * self.dtype.itemsize:
            raise OSError(f"a chunk at {origin} decodes to {len(raw)} bytes, not {count}")
        return np.frombuffer(raw, dtype=self.dtype).reshape(self.chunks)


def _reopen(filename: str, name: str) -> Any:
    import h5py

    return direct_chunks(h5py.File(filename, "r")[name])


def _box(where: Any, shape: tuple[int, ...]) -> tuple[list[tuple[int, int]], list[bool]] | None:
    """The spans (start, stop) ``where`` selects on each axis, and which axes it keeps (a
    slice, not an index); None for anything but integers, ``...`` and unit-step slices."""
    where = where if isinstance(where, tuple) else (where,)
    if any(w is Ellipsis for w in where):
        at = next(i for i, w in enumerate(where) if w is Ellipsis)
        fill = (slice(None),) * (len(shape) - len(where) + 1)
        where = where[:at] + fill + where[at + 1 :]
    where = where + (slice(None),) * (len(shape) - len(where))
    if len(where) != len(shape):
        return None
    spans, keep = [], []
    for w, n in zip(where, shape):
        if isinstance(w, slice):
            start, stop, step = w.indices(n)
            if step != 1:
                return None
            spans.append((start, max(start, stop)))
            keep.append(True)
        elif isinstance(w, (int, np.integer)) and -n <= int(w) < n:
            i = int(w) % n
            spans.append((i, i + 1))
            keep.append(False)
        else:
            return None
    return spans, keep
