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

from collections.abc import Sequence
from functools import partial
from typing import Any

import numpy as np

from tuiheat.core.chunkcache import (
    ChunkCache,
    ChunkSource,
    Read,
    array_chunks,
    chunk_pool,
    one_line,
    selection,
)
from tuiheat.core.matrix import HeatMatrix

SAMPLE_CHUNKS = 8  # chunks read for a first, provisional range
BATCH_BYTES = 32 * 1024**2  # missing chunks of a window read in one go up to this size
SLAB = 64  # a thin read (a profile's row or column) keeps this many lines of each chunk
THIN = 2  # reads of at most this many rows (columns) across many chunks are thin


class ChunkRows:
    """The plane ``rows_axis`` × ``cols_axis`` of ``array`` at ``index`` (the other axes)."""

    def __init__(
        self,
        array: Any,
        rows_axis: int,
        cols_axis: int,
        index: Sequence[int] = (),
        cache: ChunkCache | None = None,
        reducer: Any = None,
    ) -> None:
        self.array = array
        self.rows_axis, self.cols_axis = rows_axis, cols_axis
        self.fixed = tuple(int(i) for i in index)  # the hidden axes' indices, in axis order
        shape, chunks = tuple(array.shape), array_chunks(array)
        self.shape = (int(shape[rows_axis]), int(shape[cols_axis]))
        self.chunk = (chunks[rows_axis], chunks[cols_axis])
        hidden = [a for a in range(len(shape)) if a not in (rows_axis, cols_axis)]
        # A chunk that spans several indices of a hidden axis (4 heads of a layer) is read
        # and kept whole, once for all the planes it holds (each plane read it again).
        self.deep = {a: (f // chunks[a], f % chunks[a]) for a, f in zip(hidden, self.fixed)}
        if all(chunks[a] == 1 for a in hidden):
            self.deep = {}
        self.cache = cache if cache is not None else ChunkCache()
        self.reducer = reducer

    def where(self, rows: slice, cols: slice) -> tuple[object, ...]:
        """The array's selection of ``rows`` × ``cols`` of this plane."""
        return selection(
            len(self.array.shape), self.rows_axis, self.cols_axis, self.fixed, rows, cols
        )

    def _key(self, i: int, j: int) -> tuple[object, ...]:
        if self.deep:  # the N-D chunk, whichever plane asks
            at = {self.rows_axis: i, self.cols_axis: j}
            coords = tuple(
                at[a] if a in at else self.deep[a][0] for a in range(len(self.array.shape))
            )
            return (id(self.array), "nd", coords)
        return (id(self.array), self.fixed, self.rows_axis, i, j)

    def _deep_block(self, i: int, j: int, keep: bool = True) -> np.ndarray:
        """Chunk (i, j) of the plane, cut from the whole N-D chunk it lies in (kept)."""
        (cr, cc), (n_rows, n_cols) = self.chunk, self.shape
        chunks, shape = array_chunks(self.array), tuple(self.array.shape)
        rows = slice(i * cr, min(n_rows, (i + 1) * cr))
        cols = slice(j * cc, min(n_cols, (j + 1) * cc))
        spans = {self.rows_axis: rows, self.cols_axis: cols}
        for a, (c, _) in self.deep.items():
            spans[a] = slice(c * chunks[a], min(shape[a], (c + 1) * chunks[a]))
        where = tuple(spans[a] for a in range(len(shape)))

        def read() -> np.ndarray:
            try:
                return np.asarray(self.array[where])
            except Exception as err:  # as a plane's chunk: empty cells, said once
                at = f"rows {rows.start}-{rows.stop - 1}, columns {cols.start}-{cols.stop - 1}"
                self.cache.fail(self._key(i, j), f"{at}: {one_line(err)}")
                return np.full(tuple(w.stop - w.start for w in where), np.nan)

        block = self.cache.get(self._key(i, j), read, keep)
        local = tuple(self.deep[a][1] if a in self.deep else slice(None) for a in range(len(shape)))
        plane = block[local]
        return plane.T if self.rows_axis > self.cols_axis else plane

    def _fetch(
        self, rows: range, cols: range, keep: bool = True
    ) -> dict[tuple[int, int], np.ndarray]:
        """The missing chunks of rows × cols (chunk indices) in one read of the box around
        them: a remote store fetches them at once (one round trip, not one per chunk)."""
        missing = [(i, j) for i in rows for j in cols if not self.cache.has(self._key(i, j))]
        if self.deep:  # chunk by chunk (each read serves the planes beside this one too),
            if not self.cache.remote or len(missing) < 2:  # a network's round trips at once
                return {}
            blocks = chunk_pool().map(lambda at: self._block(*at, keep), missing)
            return dict(zip(missing, blocks, strict=True))
        (cr, cc), (n_rows, n_cols) = self.chunk, self.shape
        if len(missing) < 2:
            return {}
        i0, i1 = min(i for i, _ in missing), max(i for i, _ in missing) + 1
        j0, j1 = min(j for _, j in missing), max(j for _, j in missing) + 1
        itemsize = np.dtype(self.array.dtype).itemsize
        if (i1 - i0) * cr * (j1 - j0) * cc * itemsize > BATCH_BYTES:
            if not self.cache.remote:
                return {}  # a pass over much of the plane: chunk by chunk, memory bounded
            # Over a network, a band of chunks (a profile's row) in parallel round trips.
            blocks = chunk_pool().map(lambda at: self._block(*at), missing)
            return dict(zip(missing, blocks, strict=True))
        rows_at = slice(i0 * cr, min(n_rows, i1 * cr))
        cols_at = slice(j0 * cc, min(n_cols, j1 * cc))
        try:
            box = np.asarray(self.array[self.where(rows_at, cols_at)])
        except Exception:
            return {}  # read one by one: the chunk that fails is then named
        box = box.T if self.rows_axis > self.cols_axis else box
        found = {}
        for i, j in missing:
            top, left = (i - i0) * cr, (j - j0) * cc
            piece = np.array(box[top : top + cr, left : left + cc])  # not a view of the box
            found[i, j] = self.cache.get(self._key(i, j), lambda piece=piece: piece, keep)
        return found

    def _block(self, i: int, j: int, keep: bool = True) -> np.ndarray:
        """Chunk (i, j) of the plane, as stored (its own dtype)."""
        if self.deep:
            return self._deep_block(i, j, keep)
        (cr, cc), (n_rows, n_cols) = self.chunk, self.shape

        def read() -> np.ndarray:
            rows = slice(i * cr, min(n_rows, (i + 1) * cr))
            cols = slice(j * cc, min(n_cols, (j + 1) * cc))
            try:
                block = np.asarray(self.array[self.where(rows, cols)])
            except Exception as err:  # a corrupt or truncated chunk: empty cells, said once
                at = f"rows {rows.start}-{rows.stop - 1}, columns {cols.start}-{cols.stop - 1}"
                self.cache.fail(self._key(i, j), f"{at}: {one_line(err)}")
                return np.full((rows.stop - rows.start, cols.stop - cols.start), np.nan)
            return block.T if self.rows_axis > self.cols_axis else block

        return self.cache.get(self._key(i, j), read, keep)

    def _slab(self, i: int, j: int, axis: int, k: int) -> np.ndarray:
        """Lines ``k * SLAB`` on of chunk (i, j) along ``axis`` (0 rows, 1 columns): what a
        thin read keeps, a sliver of the chunk (the chunk itself when it is kept anyway).
        The cursor's row and column profiles cross every chunk of their band; keeping the
        bands' chunks whole would hold hundreds of MiB for two lines of cells."""
        (cr, cc), (n_rows, n_cols) = self.chunk, self.shape
        height, width = min(cr, n_rows - i * cr), min(cc, n_cols - j * cc)
        lo, hi = k * SLAB, min((k + 1) * SLAB, height if axis == 0 else width)
        if self.deep:  # the N-D chunk serves every plane in it: kept whole
            whole = self._deep_block(i, j)
            return whole[lo:hi] if axis == 0 else whole[:, lo:hi]
        whole = self.cache.peek(self._key(i, j))
        if whole is not None:
            return whole[lo:hi] if axis == 0 else whole[:, lo:hi]

        def read() -> np.ndarray:
            rows = slice(i * cr + lo, i * cr + hi) if axis == 0 else slice(i * cr, i * cr + height)
            cols = slice(j * cc, j * cc + width) if axis == 0 else slice(j * cc + lo, j * cc + hi)
            try:
                part = np.asarray(self.array[self.where(rows, cols)])
            except Exception:
                return self._block(i, j)[lo:hi] if axis == 0 else self._block(i, j)[:, lo:hi]
            return part.T if self.rows_axis > self.cols_axis else part

        return self.cache.get((*self._key(i, j), axis, k), read)

    def missing(self, r0: int, r1: int, c0: int, c1: int) -> dict[tuple[int, ...], Read]:
        """The reads ``window(r0, r1, c0, c1)`` would make, as calls a worker can make
        first, by chunk (i, j) or sliver (i, j, axis, k): those not in the cache."""
        (cr, cc) = self.chunk
        if r1 <= r0 or c1 <= c0:
            return {}
        rows, cols = range(r0 // cr, (r1 - 1) // cr + 1), range(c0 // cc, (c1 - 1) // cc + 1)
        if r1 - r0 <= THIN and len(cols) > THIN:
            lines = {(row // cr, (row % cr) // SLAB) for row in range(r0, r1)}
            return {
                (i, j, 0, k): partial(self._slab, i, j, 0, k)
                for i, k in lines
                for j in cols
                if not self._kept(i, j, 0, k)
            }
        return {
            (i, j): partial(self._block, i, j)
            for i in rows
            for j in cols
            if not self.cache.has(self._key(i, j))
        }

    def missing_rows(self, rows: Sequence[int], col: int) -> dict[tuple[int, ...], Read]:
        """The reads ``rows(rows, col, col + 1)`` (a profile's column) would make."""
        (cr, cc), j = self.chunk, col // self.chunk[1]
        bands = sorted({int(r) // cr for r in rows})
        if len(bands) <= THIN:
            return {
                (i, j): partial(self._block, i, j)
                for i in bands
                if not self.cache.has(self._key(i, j))
            }
        k = (col - j * cc) // SLAB
        return {
            (i, j, 1, k): partial(self._slab, i, j, 1, k)
            for i in bands
            if not self._kept(i, j, 1, k)
        }

    def _kept(self, i: int, j: int, axis: int, k: int) -> bool:
        key = self._key(i, j)
        return self.cache.has(key) or self.cache.has((*key, axis, k))

    def _thin_row(self, row: int, c0: int, c1: int, out: np.ndarray) -> None:
        """One row across many chunks, from row slabs."""
        (cr, cc), i = self.chunk, row // self.chunk[0]
        k, local = divmod(row - i * cr, SLAB)
        spans = range(c0 // cc, (c1 - 1) // cc + 1)
        slabs = (
            list(chunk_pool().map(lambda j: self._slab(i, j, 0, k), spans))
            if self.cache.remote
            else [self._slab(i, j, 0, k) for j in spans]
        )
        for j, slab in zip(spans, slabs, strict=True):
            left, right = max(c0, j * cc), min(c1, (j + 1) * cc)
            out[left - c0 : right - c0] = slab[local, left - j * cc : right - j * cc]

    def window(
        self, r0: int, r1: int, c0: int, c1: int, dtype: type = np.float64, keep: bool = True
    ) -> np.ndarray:
        """Rows r0:r1 and columns c0:c1, from the chunks they touch (not ``keep``: for a pass
        over everything, see ``ChunkCache.get``)."""
        (cr, cc) = self.chunk
        out = np.empty((max(0, r1 - r0), max(0, c1 - c0)), dtype=dtype)
        if out.size == 0:
            return out
        rows, cols = range(r0 // cr, (r1 - 1) // cr + 1), range(c0 // cc, (c1 - 1) // cc + 1)
        if r1 - r0 <= THIN and len(cols) > THIN:  # a profile's row: slabs, not whole chunks
            for row in range(r0, r1):
                self._thin_row(row, c0, c1, out[row - r0])
            return out
        fetched = self._fetch(rows, cols, keep)
        for i in rows:
            for j in cols:
                block = fetched.get((i, j))
                block = self._block(i, j, keep) if block is None else block
                top, left = max(r0, i * cr), max(c0, j * cc)
                bottom, right = min(r1, (i + 1) * cr), min(c1, (j + 1) * cc)
                out[top - r0 : bottom - r0, left - c0 : right - c0] = block[
                    top - i * cr : bottom - i * cr, left - j * cc : right - j * cc
                ]
        return out

    def rows(self, rows: Sequence[int], c0: int, c1: int) -> np.ndarray:
        """Columns c0:c1 of the given rows as float64, each chunk visited once for all the
        rows it holds (a profile's every n-th row of a long column: a few chunks, not a
        window per row)."""
        at = np.asarray(rows, dtype=np.intp)
        out = np.empty((len(at), max(0, c1 - c0)), dtype=np.float64)
        if out.size == 0:
            return out
        (cr, cc), band = self.chunk, at // self.chunk[0]
        bands = np.unique(band)
        for i in bands:
            which = np.nonzero(band == i)[0]
            local = at[which] - i * cr
            if c1 - c0 <= THIN and len(bands) > THIN:  # a profile's column: slabs
                for col in range(c0, c1):
                    j = col // cc
                    k, at_col = divmod(col - j * cc, SLAB)
                    out[which, col - c0] = self._slab(int(i), j, 1, k)[local, at_col]
                continue
            for j in range(c0 // cc, (c1 - 1) // cc + 1):
                left, right = max(c0, j * cc), min(c1, (j + 1) * cc)
                block = self._block(int(i), j)
                out[which, left - c0 : right - c0] = block[local, left - j * cc : right - j * cc]
        return out

    def sample(self, cells: int) -> np.ndarray:
        """About ``cells`` values from whole chunks spread over the plane (one row): the
        rows a memory map samples would touch every chunk column, here each is a decode."""
        (cr, cc), (n_rows, n_cols) = self.chunk, self.shape
        grid = (-(-n_rows // cr), -(-n_cols // cc))
        k = max(1, min(SAMPLE_CHUNKS, -(-cells // (cr * cc)), grid[0] * grid[1]))
        picks = {
            (round(t * (grid[0] - 1) / max(1, k - 1)), (t * 5 + 2) % grid[1]) for t in range(k)
        }
        found = [np.asarray(self._block(i, j), dtype=np.float64).ravel() for i, j in sorted(picks)]
        return np.concatenate(found)[None, :]


class FlatChunks:
    """Every value of an N-D chunked array as rows of its last axis (``flat_matrix``): row r
    is row ``r % n`` of the plane of the last two axes at the leading indices ``r // n``."""

    def __init__(self, source: ChunkSource) -> None:
        self.source = source
        shape = source.shape
        self.outer, self.inner = shape[:-2], shape[-2]
        self.shape = (int(np.prod(shape[:-1])), shape[-1])
        self.cache = source.cache
        self._planes: dict[int, ChunkRows] = {}

    def plane(self, outer: int) -> ChunkRows:
        found = self._planes.get(outer)
        if found is None:
            index = np.unravel_index(outer, self.outer) if self.outer else ()
            ndim = len(self.source.shape)
            found = ChunkRows(self.source.array, ndim - 2, ndim - 1, index, self.source.cache)
            self._planes[outer] = found
        return found

    def window(
        self, r0: int, r1: int, c0: int, c1: int, dtype: type = np.float64, keep: bool = True
    ) -> np.ndarray:
        out = np.empty((max(0, r1 - r0), max(0, c1 - c0)), dtype=dtype)
        row = r0
        while row < r1:
            outer, inner = divmod(row, self.inner)
            stop = min(r1, (outer + 1) * self.inner)
            part = self.plane(outer).window(inner, inner + stop - row, c0, c1, dtype, keep)
            out[row - r0 : stop - r0] = part
            row = stop
        return out

    def rows(self, rows: Sequence[int], c0: int, c1: int) -> np.ndarray:
        out = np.empty((len(rows), max(0, c1 - c0)), dtype=np.float64)
        for k, row in enumerate(rows):
            out[k] = self.window(int(row), int(row) + 1, c0, c1)[0]
        return out

    def sample(self, cells: int) -> np.ndarray:
        n = int(np.prod(self.outer)) if self.outer else 1
        picks = sorted({round(t * (n - 1) / 3) for t in range(4)})
        share = max(1, cells // len(picks))
        return np.concatenate([self.plane(p).sample(share) for p in picks], axis=1)


def shape_only(dtype: np.dtype) -> np.ndarray:
    """The one value a placeholder repeats: NaN where the dtype has it, so a read that
    forgot the chunks shows empty cells rather than plausible zeros."""
    dtype = np.dtype(dtype)
    return np.full((), np.nan if dtype.kind == "f" else 0, dtype=dtype)


def chunked_matrix(reader: ChunkRows | FlatChunks, dtype: np.dtype, **fields: Any) -> HeatMatrix:
    """The ``HeatMatrix`` of ``reader``'s plane: its reads go through the chunks."""
    placeholder = np.broadcast_to(shape_only(dtype), reader.shape)  # shape, no memory
    matrix = HeatMatrix(placeholder, **fields)
    matrix.__dict__["_reader"] = [(reader, False)]
    return matrix


def chunk_failure(
    matrix: HeatMatrix, source: ChunkSource | None = None, counted: bool = False
) -> str:
    """What went wrong reading the store behind ``matrix`` (or ``source``, the tensor's: a
    reduced slice is a plane in memory), as a sentence ("" if nothing): a chunk that could
    not be read, or dask passes that fell back to reading here. ``counted`` (once every
    chunk was read, as in print mode): how many chunks, the first named."""
    reader = chunk_reader(matrix)
    cache = reader.cache if reader is not None else getattr(source, "cache", None)
    if cache is not None and cache.failed:
        n = cache.failures if counted else 1
        if n > 1:
            return (
                f"{n} chunks of the store could not be read (the first: {cache.failed}); "
                "their cells are shown empty, the rest as stored."
            )
        return (
            f"A chunk of the store could not be read ({cache.failed}); its cells are "
            "shown empty, the rest as stored."
        )
    reducer = getattr(reader, "reducer", None) or getattr(source, "reducer", None)
    failed = getattr(reducer, "failed", "")
    return f"The passes on dask failed ({failed}); they are made here instead." if failed else ""


def dask_plane(matrix: object) -> ChunkRows | None:
    """The plane behind ``matrix`` when its whole-array passes run on dask (a reducer is
    set), else None: the passes are then made here."""
    plane = chunk_reader(matrix) if isinstance(matrix, HeatMatrix) else None
    return plane if isinstance(plane, ChunkRows) and plane.reducer is not None else None


def chunk_reader(matrix: HeatMatrix) -> ChunkRows | FlatChunks | None:
    """The chunk reader behind ``matrix``, or None when it is not read by chunk."""
    found = matrix.__dict__.get("_reader")
    reader = found[0][0] if found else None
    return reader if isinstance(reader, (ChunkRows, FlatChunks)) else None
