"""Chunked planes: windows read only the chunks they touch, through a bounded cache, and a
HeatMatrix over them reads (windows, rows, a full pass) as a memory map's does."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import zarr

from tuiheat.core.chunkcache import ChunkCache
from tuiheat.core.chunkrows import ChunkRows, chunked_matrix
from tuiheat.core.prefetch import reads_for_view, run_reads
from tuiheat.core.scale import finite_min_max

RNG = np.random.default_rng(8)


class Counted:
    """A numpy array that reads like a chunked store and counts its reads."""

    def __init__(self, values: np.ndarray, chunks: tuple[int, ...]) -> None:
        self.values, self.chunks = values, chunks
        self.shape, self.dtype, self.reads = values.shape, values.dtype, 0
        self._lock = threading.Lock()  # remote reads come from several threads

    def __getitem__(self, where: object) -> np.ndarray:
        with self._lock:
            self.reads += 1
        return self.values[where]  # type: ignore[index]


def test_windows_match_numpy_and_read_each_chunk_once(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    values = RNG.random((37, 53)).astype(np.float32)
    store = Counted(values, (8, 16))
    reader = ChunkRows(store, 0, 1)
    for r0, r1, c0, c1 in ((0, 37, 0, 53), (5, 9, 14, 40), (36, 37, 52, 53), (3, 3, 0, 5)):
        np.testing.assert_array_equal(reader.window(r0, r1, c0, c1), values[r0:r1, c0:c1])
    assert store.reads == 1  # the screen's chunks in one read (one round trip when remote)
    assert reader.cache.reads == 5 * 4  # every chunk of the plane once, then from the cache
    np.testing.assert_array_equal(reader.rows([2, 30, 2], 10, 20), values[[2, 30, 2], 10:20])
    assert store.reads == 1
    monkeypatch.setattr("tuiheat.core.chunkrows.BATCH_BYTES", 16 * 8 * 4)  # two chunks
    alone = Counted(values, (8, 16))
    np.testing.assert_array_equal(ChunkRows(alone, 0, 1).window(0, 37, 0, 53), values)
    assert alone.reads == 20  # past the batch size: one chunk at a time


def test_the_cache_stays_within_its_bytes() -> None:
    values = RNG.random((64, 64))
    store = Counted(values, (16, 16))
    cache = ChunkCache(limit=3 * 16 * 16 * 8)  # three chunks
    reader = ChunkRows(store, 0, 1, cache=cache)
    np.testing.assert_array_equal(reader.window(0, 64, 0, 64), values)
    assert cache.used <= cache.limit and store.reads == 1 and cache.reads == 16
    reader.window(48, 64, 48, 64)  # the last chunk read: still cached
    assert store.reads == 1


def test_a_plane_of_a_zarr_array_at_fixed_indices_and_transposed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cube = RNG.random((4, 30, 20))
    arr = zarr.open_array(str(tmp_path / "c.zarr"), mode="w", shape=cube.shape, chunks=(1, 7, 6))
    arr[:] = cube
    plane = ChunkRows(arr, 1, 2, index=(2,))
    np.testing.assert_array_equal(plane.window(3, 17, 5, 19), cube[2, 3:17, 5:19])
    flipped = ChunkRows(arr, 2, 1, index=(3,))  # key × query
    np.testing.assert_array_equal(flipped.window(0, 20, 0, 30), cube[3].T)


def test_a_matrix_over_chunks_reads_windows_rows_and_a_full_pass() -> None:
    values = RNG.random((40, 90))
    values[7, 11] = np.nan
    store = Counted(values, (10, 30))
    matrix = chunked_matrix(ChunkRows(store, 0, 1), values.dtype, row_title="layer")
    assert matrix.shape == (40, 90) and matrix.values.strides == (0, 0)  # no memory of its own
    np.testing.assert_array_equal(matrix.window(5, 15, 20, 70), values[5:15, 20:70])
    assert matrix.value(39, 89) == values[39, 89]
    np.testing.assert_array_equal(matrix.rows_at([1, 2], 0, 90), values[[1, 2]])
    extent = finite_min_max(matrix)
    assert extent == (np.nanmin(values), np.nanmax(values))


def test_a_remote_band_of_chunks_is_fetched_in_parallel(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import threading
    import time

    values = RNG.random((16, 64))

    class Slow(Counted):
        """A store whose every read waits, as a round trip to object storage does."""

        def __init__(self) -> None:
            super().__init__(values, (8, 8))
            self.at_once, self.now, self.lock = 0, 0, threading.Lock()

        def __getitem__(self, where: object) -> np.ndarray:
            with self.lock:
                self.now += 1
                self.at_once = max(self.at_once, self.now)
            time.sleep(0.02)
            with self.lock:
                self.now -= 1
            return super().__getitem__(where)

    monkeypatch.setattr("tuiheat.core.chunkrows.BATCH_BYTES", 8 * 8 * 8)  # one chunk: no box
    store, cache = Slow(), ChunkCache()
    cache.remote = True
    row = ChunkRows(store, 0, 1, cache=cache).window(3, 4, 0, 64)  # a row across 8 chunks
    np.testing.assert_array_equal(row, values[3:4])
    assert store.reads == 8 and store.at_once > 1  # the round trips overlapped


def test_a_profiles_row_and_column_keep_slivers_of_their_chunks_not_the_chunks() -> None:
    values = RNG.random((400, 600))
    store = Counted(values, (100, 100))
    reader = ChunkRows(store, 0, 1)
    np.testing.assert_array_equal(reader.window(130, 131, 0, 600), values[130:131])
    rows = range(0, 400, 7)  # a long column, every 7th row (as a profile reads it)
    np.testing.assert_array_equal(reader.rows(list(rows), 250, 251), values[list(rows), 250:251])
    slab_bytes = 64 * 100 * 8
    assert reader.cache.used == (6 + 4) * slab_bytes  # 6 row slivers, 4 column slivers
    reads = store.reads
    np.testing.assert_array_equal(reader.window(131, 133, 0, 600), values[131:133])
    assert store.reads == reads  # the next rows: in the same slivers
    reader.window(160, 161, 0, 600)  # row 160: still in the sliver of rows 100-163
    assert store.reads == reads
    reader.window(200, 201, 0, 600)  # a new band of chunks: six more slivers
    assert store.reads == reads + 6
    reader.window(0, 100, 0, 100)  # a screen's chunk, kept whole ...
    before = store.reads
    np.testing.assert_array_equal(reader.window(5, 6, 0, 600), values[5:6])
    assert store.reads == before + 5  # ... serves its part of a row without a read


def test_a_view_of_a_remote_store_knows_which_reads_it_lacks() -> None:
    values = RNG.random((300, 400)).astype(np.float32)
    local = chunked_matrix(ChunkRows(Counted(values, (50, 50)), 0, 1), values.dtype)
    assert reads_for_view(local, (0, 20, 0, 30), (5, 7), 1) == []  # local: read as painted
    store = Counted(values, (50, 50))
    cache = ChunkCache()
    cache.remote = True
    reader = ChunkRows(store, 0, 1, cache=cache)
    matrix = chunked_matrix(reader, values.dtype)
    window, cursor = (100, 160, 120, 180), (130, 150)
    reads = reads_for_view(matrix, window, cursor, 7)
    # window: rows 100-159 x cols 120-179 = 2 x 2 chunks; the row profile: a sliver of each
    # of the 8 chunk columns but the 2 the window reads; the column profile (every 7th row):
    # a sliver of 6 bands but the 2 the window reads.
    assert len(reads) == 4 + 6 + 4 and store.reads == 0  # nothing read yet
    progress: list[tuple[int, int]] = []
    assert run_reads(reads, lambda done, total: progress.append((done, total)), lambda: False)
    assert progress[-1] == (14, 14) and store.reads == 14
    assert reads_for_view(matrix, window, cursor, 7) == []  # all in the cache now
    before = store.reads  # the view paints from the cache
    np.testing.assert_array_equal(matrix.window(*window[:2], *window[2:]), values[100:160, 120:180])
    np.testing.assert_array_equal(matrix.window(130, 131, 0, 400)[0], values[130])
    np.testing.assert_array_equal(matrix.column_at(range(0, 300, 7), 150), values[::7, 150])
    assert store.reads == before
    later = reads_for_view(matrix, (250, 300, 0, 50), (260, 10), 7)
    assert later and not run_reads(later, lambda *_: None, lambda: True)  # cancelled
    assert store.reads == before  # reads not begun were dropped


def test_a_chunk_spanning_several_heads_is_read_once_for_all_their_planes() -> None:
    values = RNG.random((2, 4, 40, 50)).astype(np.float32)  # layer, head, q, k
    store = Counted(values, (1, 4, 16, 16))  # a chunk holds the 4 heads of a layer
    cache = ChunkCache()
    for head in range(4):
        plane = ChunkRows(store, 2, 3, (1, head), cache)
        np.testing.assert_array_equal(plane.window(0, 40, 0, 50), values[1, head])
        np.testing.assert_array_equal(plane.window(7, 8, 0, 50)[0], values[1, head, 7])  # thin
        np.testing.assert_array_equal(
            plane.rows(range(0, 40, 3), 9, 10)[:, 0], values[1, head, ::3, 9]
        )
    assert store.reads == 3 * 4  # the 12 chunks of layer 1, once: not once per head
    flipped = ChunkRows(store, 3, 2, (1, 2), cache)  # k × q of the same chunks
    np.testing.assert_array_equal(flipped.window(0, 50, 0, 40), values[1, 2].T)
    assert store.reads == 12
    other = ChunkRows(store, 2, 3, (0, 3), cache)
    np.testing.assert_array_equal(other.window(32, 40, 32, 48), values[0, 3, 32:40, 32:48])
    assert store.reads == 13


def test_a_pass_over_everything_leaves_the_screens_chunks_in_the_cache() -> None:
    from tuiheat.core.scale import finite_min_max

    values = RNG.random((4096, 512))  # a pass reads it in several bands of rows
    store = Counted(values, (256, 256))
    cache = ChunkCache(4 * 256 * 256 * 8)  # room for four chunks
    matrix = chunked_matrix(ChunkRows(store, 0, 1, cache=cache), values.dtype)
    screen = (200, 300, 200, 300)  # four chunks near the top
    np.testing.assert_array_equal(matrix.window(*screen), values[200:300, 200:300])
    assert finite_min_max(matrix) == (values.min(), values.max())  # a pass: all 32 chunks
    before = store.reads
    np.testing.assert_array_equal(matrix.window(*screen), values[200:300, 200:300])
    assert store.reads == before  # still kept: the pass's chunks went first
    wide = RNG.random((512, 8192))  # a pass reads it in bands of 128 rows: two per chunk
    cache = ChunkCache(40 * 256 * 256 * 8)  # more than a band's 32 chunks
    matrix = chunked_matrix(ChunkRows(Counted(wide, (256, 256)), 0, 1, cache=cache), wide.dtype)
    matrix.window(300, 400, 300, 400)  # the screen: 4 chunks
    assert finite_min_max(matrix) == (wide.min(), wide.max())
    assert cache.reads == 64  # every chunk decoded once: a band's chunks serve the next band


def test_threads_asking_for_a_chunk_being_read_wait_for_that_read() -> None:
    import time
    from concurrent.futures import ThreadPoolExecutor

    cache, calls, gate = ChunkCache(), [], threading.Event()

    def slow() -> np.ndarray:
        calls.append(1)
        assert gate.wait(5)
        return np.arange(3.0)

    def broken() -> np.ndarray:
        calls.append(1)
        assert gate.wait(5)
        raise OSError("gone")

    with ThreadPoolExecutor(3) as pool:
        first = pool.submit(cache.get, "a", slow)
        time.sleep(0.05)
        second = pool.submit(cache.get, "a", slow, False)  # a pass asking for it too
        time.sleep(0.05)
        gate.set()
        assert first.result() is second.result() and calls == [1]  # one round trip
        gate.clear()
        failing = pool.submit(cache.get, "b", broken)
        time.sleep(0.05)
        after = pool.submit(cache.get, "b", slow)  # waits, then reads it itself
        time.sleep(0.05)
        gate.set()
        with pytest.raises(OSError):
            failing.result()
        np.testing.assert_array_equal(after.result(), np.arange(3.0))
    assert calls == [1, 1, 1]

    values = RNG.random((1, 8, 64, 64)).astype(np.float32)
    store = Counted(values, (1, 4, 16, 16))
    remote = ChunkCache()
    remote.remote = True  # the missing chunks of a window fetched at once, each whole
    for head in (0, 5, 1):
        plane = ChunkRows(store, 2, 3, (0, head), remote)
        np.testing.assert_array_equal(plane.window(0, 64, 0, 64), values[0, head])
    assert store.reads == 2 * 16  # heads 0-3 and 4-7: 16 chunks each, once
