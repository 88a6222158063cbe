"""The chunk cache and what names a chunked array: decoded chunks kept by key in a bounded
least-recently-used cache shared by the screen and the workers, the threads that fetch a
remote store's chunks, and the array with its cache and reducer (``ChunkSource``).

The array is any object with ``shape``, ``dtype``, ``chunks`` and basic slicing, so core needs
neither zarr nor h5py.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

Read = Callable[[], object]  # one read a worker may make ahead of the screen
CACHE_BYTES = 256 * 1024**2  # decoded chunks kept, unless the user sets another size
CONTIGUOUS_TILE = 512  # the read unit of an array stored without chunks (HDF5 contiguous)


class ChunkCache:
    """Decoded chunks by key, the least recently used dropped past ``limit`` bytes; those a
    pass over a whole array read (``keep=False``) are dropped before the screen's.

    Safe to share between the screen and workers: decoding happens outside the lock, so a
    long read stalls only a thread that asks for the same chunk."""

    def __init__(self, limit: int = CACHE_BYTES) -> None:
        self.limit = limit
        self.used = 0
        self.reads = 0  # chunks decoded (not found in the cache)
        self.failed = ""  # the first chunk that could not be read, and why (shown as NaN)
        self._failures: set[object] = set()  # every chunk that could not be read
        self.remote = False  # chunks come over a network: fetch many at once, not in turn
        self._chunks: OrderedDict[object, np.ndarray] = OrderedDict()  # the screen's
        self._passing: OrderedDict[object, np.ndarray] = OrderedDict()  # the passes'
        self._reading: dict[object, threading.Event] = {}  # chunks being read, by whom waits
        self._lock = threading.Lock()

    def clear(self) -> None:
        """Forget every chunk (they are read again when asked)."""
        with self._lock:
            self._chunks.clear()
            self._passing.clear()
            self.used = 0

    def fail(self, key: object, why: str) -> None:
        """Chunk ``key`` could not be read: ``why`` is kept if it is the first."""
        with self._lock:
            self._failures.add(key)
            if not self.failed:
                self.failed = why

    @property
    def failures(self) -> int:
        """How many chunks could not be read, of those read so far."""
        return len(self._failures)

    def has(self, key: object) -> bool:
        with self._lock:
            return key in self._chunks or key in self._passing

    def peek(self, key: object) -> np.ndarray | None:
        """The entry if it is kept (then the screen's most recent), else None."""
        with self._lock:
            return self._find(key, True)

    def _find(self, key: object, keep: bool) -> np.ndarray | None:
        found = self._chunks.get(key)
        if found is not None:
            if keep:
                self._chunks.move_to_end(key)
            return found
        found = self._passing.get(key)
        if found is not None:
            if keep:  # the screen wants it too: it is the screen's now
                self._chunks[key] = self._passing.pop(key)
            else:
                self._passing.move_to_end(key)
        return found

    def get(self, key: object, read: Callable[[], np.ndarray], keep: bool = True) -> np.ndarray:
        """The chunk at ``key``, read if missing (once: a thread asking for a chunk another
        is reading waits for it, a round trip saved). Not ``keep``: a pass over everything,
        whose chunks make room before the screen's (a pass would otherwise push out every
        one of them), the most recent last, so a band of chunks serves the pass's rows."""
        while True:
            with self._lock:
                found = self._find(key, keep)
                if found is not None:
                    return found
                busy = self._reading.get(key)
                if busy is None:
                    busy = self._reading[key] = threading.Event()
                    break
            busy.wait()  # then found, or read here if that read failed
        block = None
        try:
            block = read()
        finally:
            with self._lock:
                del self._reading[key]
                if block is not None:
                    self._keep(key, block, keep)
            busy.set()
        return block

    def _keep(self, key: object, block: np.ndarray, keep: bool) -> None:
        self.reads += 1
        (self._chunks if keep else self._passing)[key] = block
        self.used += block.nbytes
        while self.used > self.limit and len(self._chunks) + len(self._passing) > 1:
            first = self._passing if self._passing else self._chunks
            _, dropped = first.popitem(last=False)
            self.used -= dropped.nbytes


_POOL: list[ThreadPoolExecutor] = []
FETCHERS = 8  # chunks of a remote store fetched at once


def chunk_pool() -> ThreadPoolExecutor:
    """The threads that fetch a remote store's chunks, shared by every read."""
    if not _POOL:
        _POOL.append(ThreadPoolExecutor(FETCHERS, thread_name_prefix="tuiheat-chunks"))
    return _POOL[0]


def one_line(err: BaseException) -> str:
    """An exception as one line for the user (the libraries' messages run long)."""
    text = str(err).strip().splitlines()
    return text[0][:200] if text else type(err).__name__


def array_chunks(array: Any) -> tuple[int, ...]:
    """The array's chunk shape; tiles of ``CONTIGUOUS_TILE`` on the last two axes (one index
    on the others) for an array stored contiguously, which reads any slice directly."""
    chunks = getattr(array, "chunks", None)
    if chunks:
        return tuple(max(1, int(c)) for c in chunks)
    shape = tuple(int(n) for n in array.shape)
    return (1,) * (len(shape) - 2) + tuple(min(CONTIGUOUS_TILE, max(1, n)) for n in shape[-2:])


@dataclass(eq=False)
class ChunkSource:
    """A chunked N-D array and what reads it: the shared chunk cache and, where a library
    for it is installed, a reducer of whole planes (dask) for the passes over everything."""

    array: Any
    cache: ChunkCache = field(default_factory=ChunkCache)
    reducer: Any = None  # an object with block_stats(plane, factors, names, ...) (dask)
    where: str = ""  # how passes run, for the title ("dask: 2 workers"); "" for here

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(int(n) for n in self.array.shape)

    @property
    def dtype(self) -> np.dtype:
        return np.dtype(self.array.dtype)


def selection(
    ndim: int, rows_axis: int, cols_axis: int, fixed: Sequence[int], rows: slice, cols: slice
) -> tuple[object, ...]:
    """The selection of ``rows`` × ``cols`` of the plane ``rows_axis`` × ``cols_axis`` of an
    array of ``ndim`` axes, the others at ``fixed`` (in axis order)."""
    at = iter(fixed)
    return tuple(
        rows if axis == rows_axis else cols if axis == cols_axis else next(at)
        for axis in range(ndim)
    )
