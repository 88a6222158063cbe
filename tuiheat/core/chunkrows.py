"""Windows of a chunked array (Zarr, HDF5) read chunk by chunk, through a bounded cache.

A ``ChunkRows`` reads one 2-D plane of an N-D array (the hidden axes at fixed indices) as
``HeatMatrix`` reads a memory map (``window``, ``rows``): a window decodes only the chunks it
touches, each kept in a least-recently-used cache of a set size in bytes, so a cursor step
costs at most one chunk and a screen its chunks once. ``chunked_matrix`` makes the
``HeatMatrix`` of such a plane; its ``values`` hold the shape and dtype without memory (as a
difference's do), and every read goes through the reader.

The array is any object with ``shape``, ``dtype``, ``chunks`` and basic slicing, so core needs
neither zarr nor h5py.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np

from tuiheat.core.matrix import HeatMatrix

CACHE_BYTES = 256 * 1024**2  # decoded chunks kept, unless the user sets another size


class ChunkCache:
    """Decoded chunks by key, the least recently used dropped past ``limit`` bytes."""

    def __init__(self, limit: int = CACHE_BYTES) -> None:
        self.limit = limit
        self.used = 0
        self.reads = 0  # chunks decoded (not found in the cache)
        self._chunks: OrderedDict[object, np.ndarray] = OrderedDict()

    def get(self, key: object, read: Any) -> np.ndarray:
        found = self._chunks.pop(key, None)
        if found is None:
            found = read()
            self.reads += 1
            self.used += found.nbytes
        self._chunks[key] = found  # most recent last
        while self.used > self.limit and len(self._chunks) > 1:
            _, dropped = self._chunks.popitem(last=False)
            self.used -= dropped.nbytes
        return found


class ChunkRows:
    """The plane ``rows_axis`` × ``cols_axis`` of ``array`` at ``index`` (the other axes)."""

    def __init__(
        self,
        array: Any,
        rows_axis: int,
        cols_axis: int,
        index: Sequence[int] = (),
        cache: ChunkCache | None = None,
    ) -> None:
        self.array = array
        self.rows_axis, self.cols_axis = rows_axis, cols_axis
        self.fixed = tuple(index)  # the hidden axes' indices, in axis order
        shape, chunks = tuple(array.shape), tuple(array.chunks or array.shape)
        self.shape = (int(shape[rows_axis]), int(shape[cols_axis]))
        self.chunk = (max(1, int(chunks[rows_axis])), max(1, int(chunks[cols_axis])))
        self.cache = cache if cache is not None else ChunkCache()

    def _block(self, i: int, j: int) -> np.ndarray:
        """Chunk (i, j) of the plane, as stored (its own dtype)."""
        (cr, cc), (n_rows, n_cols) = self.chunk, self.shape

        def read() -> np.ndarray:
            where: list[object] = []
            fixed = iter(self.fixed)
            for axis in range(len(self.array.shape)):
                if axis == self.rows_axis:
                    where.append(slice(i * cr, min(n_rows, (i + 1) * cr)))
                elif axis == self.cols_axis:
                    where.append(slice(j * cc, min(n_cols, (j + 1) * cc)))
                else:
                    where.append(next(fixed))
            block = np.asarray(self.array[tuple(where)])
            return block.T if self.rows_axis > self.cols_axis else block

        return self.cache.get((id(self.array), self.fixed, self.rows_axis, i, j), read)

    def window(self, r0: int, r1: int, c0: int, c1: int, dtype: type = np.float64) -> np.ndarray:
        """Rows r0:r1 and columns c0:c1, from the chunks they touch."""
        (cr, cc) = self.chunk
        out = np.empty((max(0, r1 - r0), max(0, c1 - c0)), dtype=dtype)
        if out.size == 0:
            return out
        for i in range(r0 // cr, (r1 - 1) // cr + 1):
            for j in range(c0 // cc, (c1 - 1) // cc + 1):
                block = self._block(i, j)
                top, left = max(r0, i * cr), max(c0, j * cc)
                bottom, right = min(r1, (i + 1) * cr), min(c1, (j + 1) * cc)
                out[top - r0 : bottom - r0, left - c0 : right - c0] = block[
                    top - i * cr : bottom - i * cr, left - j * cc : right - j * cc
                ]
        return out

    def rows(self, rows: Sequence[int], c0: int, c1: int) -> np.ndarray:
        """Columns c0:c1 of the given rows as float64 (each chunk read once)."""
        out = np.empty((len(rows), max(0, c1 - c0)), dtype=np.float64)
        for k, row in enumerate(rows):
            out[k] = self.window(int(row), int(row) + 1, c0, c1)[0]
        return out


def chunked_matrix(reader: ChunkRows, dtype: np.dtype, **fields: Any) -> HeatMatrix:
    """The ``HeatMatrix`` of ``reader``'s plane: its reads go through the chunks."""
    placeholder = np.broadcast_to(np.zeros((), dtype=dtype), reader.shape)  # shape, no memory
    matrix = HeatMatrix(placeholder, **fields)
    matrix.__dict__["_reader"] = [(reader, False)]
    return matrix
