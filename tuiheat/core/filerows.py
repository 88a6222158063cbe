"""Read parts of a memory-mapped matrix with ``pread`` instead of touching the mapping.

Recent kernels map a file's page cache in large folios: touching one value of a
memory map can add megabytes to the process's resident memory, and reading a
column of a 4096 x 4096 file maps all of it. Reading the same bytes with
``pread`` costs the same page-cache I/O and leaves the resident set alone. The
memory map stays the matrix's value array (its shape, dtype and file offset are
what we read by); only C-ordered maps are read this way.
"""

from __future__ import annotations

import mmap
import os
from collections.abc import Sequence

import numpy as np

# bfloat16 has no numpy dtype: a memory map of its raw 16-bit words carries this marker
# (numpy keeps dtype metadata through views), and every read below widens the words
# it read to float32, so a big bf16 tensor stays on disk.
BFLOAT16 = np.dtype("<u2", metadata={"encoding": "bfloat16"})


def is_bfloat16(dtype: np.dtype) -> bool:
    return (dtype.metadata or {}).get("encoding") == "bfloat16"


def decoded(array: np.ndarray) -> np.ndarray:
    """Values as numbers: bfloat16 words widened to float32, anything else as it is."""
    if not is_bfloat16(array.dtype):
        return array
    words = np.asarray(array).view(np.uint16).astype(np.uint32)
    return (words << 16).view(np.float32)


def value_dtype(dtype: np.dtype) -> np.dtype:
    """The dtype the values have once read (float32 for bfloat16)."""
    return np.dtype(np.float32) if is_bfloat16(dtype) else dtype


class FileChangedError(OSError):
    """The file behind a memory map is shorter than when it was opened."""


# One pread for the whole span when it wastes at most this factor of bytes.
_SPAN_SLACK = 4
_SMALL_SPAN = 1 << 20


class FileRows:
    """Reads rectangular windows of a C-ordered memory map from its file."""

    def __init__(self, values: np.memmap, base: np.memmap) -> None:
        self.dtype = values.dtype
        self.shape = values.shape
        self.row_bytes = int(values.strides[0])
        self.itemsize = values.dtype.itemsize
        # Byte position of values[0, 0] in the file.
        self.start = int(base.offset) + int(values.ctypes.data - base.ctypes.data)
        self.fd = os.open(str(base.filename), os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))

    @classmethod
    def for_array(cls, values: np.ndarray) -> FileRows | None:
        base = memmap_base(values)
        if base is None or values.ndim != 2 or not values.flags.c_contiguous or values.size == 0:
            return None
        try:
            return cls(values, base)  # type: ignore[arg-type]
        except OSError:
            return None

    def _pread(self, length: int, offset: int) -> bytes:
        data = os.pread(self.fd, length, offset)
        if len(data) != length:  # the file shrank underneath us
            raise FileChangedError(f"short read: {len(data)} of {length} bytes at {offset}")
        return data

    def window(self, r0: int, r1: int, c0: int, c1: int, dtype: type = np.float64) -> np.ndarray:
        """values[r0:r1, c0:c1] as a new array of ``dtype`` (float64 unless asked)."""
        n_rows, n_cols = max(0, r1 - r0), max(0, c1 - c0)
        if n_rows == 0 or n_cols == 0:
            return np.zeros((n_rows, n_cols), dtype=dtype)
        width = n_cols * self.itemsize
        first = self.start + r0 * self.row_bytes + c0 * self.itemsize
        span = (n_rows - 1) * self.row_bytes + width
        if width == self.row_bytes:  # whole rows: one read, no copy before the conversion
            raw = np.frombuffer(self._pread(span, first), dtype=self.dtype)
            return decoded(raw.reshape(n_rows, n_cols)).astype(dtype)
        if n_rows == 1 or span <= max(_SMALL_SPAN, _SPAN_SLACK * n_rows * width):
            raw = np.frombuffer(self._pread(span, first), dtype=np.uint8)
            padded = np.zeros(n_rows * self.row_bytes, dtype=np.uint8)
            padded[:span] = raw
            rows = padded.reshape(n_rows, self.row_bytes)[:, :width]
        else:
            rows = np.empty((n_rows, width), dtype=np.uint8)
            for i in range(n_rows):
                rows[i] = np.frombuffer(
                    self._pread(width, first + i * self.row_bytes), dtype=np.uint8
                )
        raw = np.ascontiguousarray(rows).view(self.dtype).reshape(n_rows, n_cols)
        return decoded(raw).astype(dtype)

    def whole_rows(self, r0: int, r1: int, into: np.ndarray) -> np.ndarray:
        """Rows [r0, r1) as the file stores them, read into ``into`` (a C-ordered byte
        buffer of at least their size, reused by a pass): a view of it, no copy."""
        n_rows = max(0, r1 - r0)
        size = n_rows * self.row_bytes
        target = into.reshape(-1)[:size]
        if size:
            done = os.preadv(self.fd, [memoryview(target)], self.start + r0 * self.row_bytes)
            if done != size:  # the file shrank underneath us
                raise FileChangedError(f"short read: {done} of {size} bytes")
        return target.view(self.dtype).reshape(n_rows, self.shape[1])

    def rows(self, rows: Sequence[int], c0: int, c1: int) -> np.ndarray:
        """values[rows, c0:c1] as float64 for rows in any order: one read of each row's
        part, so the few rows a profile needs never cost the span between them."""
        width = max(0, c1 - c0)
        first = self.start + c0 * self.itemsize
        raw = b"".join(self._pread(width * self.itemsize, first + r * self.row_bytes) for r in rows)
        values = np.frombuffer(raw, dtype=self.dtype).reshape(len(rows), width)
        return decoded(values).astype(np.float64)

    def close(self) -> None:
        os.close(self.fd)


def memmap_base(values: np.ndarray) -> np.memmap | None:
    """The memory map that owns the mapping a view was cut from, if any.

    Views of a memmap are memmaps too and inherit its ``offset`` unchanged; only the
    array whose base is the mmap object itself starts where ``offset`` says.
    """
    node: object = values
    while isinstance(node, np.ndarray):
        if isinstance(node, np.memmap) and isinstance(node.base, mmap.mmap):
            return node if getattr(node, "filename", None) else None
        node = node.base
    return None


def read_view(view: np.ndarray) -> np.ndarray | None:
    """A copy of any view of a file-backed memory map, read with pread (None: not file-backed).

    Transposed, strided or Fortran-ordered views are read as the byte span they cover,
    so the mapping itself is never touched: a file that shrinks gives FileChangedError,
    never SIGBUS.
    """
    base = memmap_base(view)
    if base is None:
        return None
    if view.size == 0:
        return np.empty(view.shape, dtype=value_dtype(view.dtype))
    low = sum(min(0, s * (n - 1)) for s, n in zip(view.strides, view.shape))
    high = sum(max(0, s * (n - 1)) for s, n in zip(view.strides, view.shape)) + view.itemsize
    start = int(base.offset) + int(view.ctypes.data - base.ctypes.data) + low
    fd = os.open(str(base.filename), os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        data = os.pread(fd, high - low, start)
    finally:
        os.close(fd)
    if len(data) != high - low:
        raise FileChangedError(f"short read: {len(data)} of {high - low} bytes at {start}")
    copy = np.ndarray(view.shape, dtype=view.dtype, buffer=data, offset=-low, strides=view.strides)
    return decoded(np.array(copy))
