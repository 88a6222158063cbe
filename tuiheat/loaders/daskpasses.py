"""Passes over a whole chunked array on dask (the extra ``dask``): the zoom overview's block
statistics and the range survey, on local threads, or on the ``dask.distributed`` cluster the
user already runs (``--scheduler ADDRESS`` or ``DASK_SCHEDULER_ADDRESS``). The array is given
to dask as it is (a Zarr array, or an HDF5 dataset that reopens its file where it is read),
so the workers read the chunks themselves and only the reduced level comes back.

Imported only when a store is bigger than the budget or a scheduler is named; without dask
the same passes run here, chunk by chunk (``core.blocks``).
"""

from __future__ import annotations

import importlib.util
import os
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from tuiheat.core.blocks import STAT_START, Cancelled, block_stats
from tuiheat.core.chunkrows import ChunkRows, array_chunks, one_line
from tuiheat.loaders.base import LoadError

BUDGET = 2 * 1024**3  # arrays past this many bytes are reduced on dask
SCHEDULER_VARIABLE = "DASK_SCHEDULER_ADDRESS"
INSTALL = "pip install 'tuiheat[dask]'"
AUC_LOW, AUC_FAR = 0.5, 0.4  # the survey's counts (core.scale.Survey)
POLL = 0.1  # seconds between looks at a cluster's tasks
CONNECT_SECONDS = 10  # a scheduler that does not answer by then is an error


def dask_reducer(scheduler: str | None, levels: Any = None) -> dict[str, Any]:
    """``reducer`` and ``where`` for a ChunkSource: dask on a cluster when an address is
    given (or in the environment), else on local threads; {} without dask and no address.
    ``levels``: where overviews built before are kept (``loaders.levelcache``). Local dask
    is imported on the first pass, not here: the first paint does not wait for it."""
    address = scheduler or os.environ.get(SCHEDULER_VARIABLE) or None
    if importlib.util.find_spec("dask") is None:
        if address:
            raise LoadError(f"--scheduler needs dask: {INSTALL}")
        return {}
    if not address:
        return {"reducer": DaskPasses(None, levels), "where": "dask: local threads"}
    try:
        from distributed import Client

        client = Client(address, timeout=f"{CONNECT_SECONDS}s", set_as_default=False)
    except ImportError:
        raise LoadError(f"--scheduler needs dask.distributed: {INSTALL}") from None
    except Exception as err:
        raise LoadError(f"cannot reach the dask scheduler {address}: {one_line(err)}") from None
    workers = len(client.scheduler_info().get("workers", {}))
    where = f"dask: {address} · {workers} worker{'s' if workers != 1 else ''}"
    return {"reducer": DaskPasses(client, levels), "where": where}


class DaskPasses:
    """Whole-array passes of one plane, on ``client``'s cluster or on local threads: one
    task per chunk (aligned to the blocks), each folded by ``core`` where the chunk is read,
    so only the blocks' statistics travel."""

    def __init__(self, client: Any, levels: Any = None) -> None:
        self.client = client
        self.levels = levels

    def _chunks(self, plane: ChunkRows, factors: tuple[int, int] = (1, 1)) -> list[Any]:
        """(row offset, column offset, delayed chunk) of the plane, chunks rechunked to whole
        blocks of ``factors`` where they are not."""
        import dask.array as da

        array = da.from_array(plane.array, chunks=array_chunks(plane.array), lock=False)
        x = array[plane.where(slice(None), slice(None))]
        x = x.T if plane.rows_axis > plane.cols_axis else x
        if any(c % f for sides, f in zip(x.chunks, factors, strict=True) for c in sides[:-1]):
            x = x.rechunk(_aligned(x.chunks, factors))
        starts = [np.cumsum((0, *sides[:-1])) for sides in x.chunks]
        blocks = x.to_delayed()
        return [
            (int(starts[0][i]), int(starts[1][j]), blocks[i, j])
            for i in range(blocks.shape[0])
            for j in range(blocks.shape[1])
        ]

    def block_stats(
        self,
        plane: ChunkRows,
        factors: tuple[int, int],
        names: list[str],
        cancelled: Callable[[], bool] | None = None,
        progress: Callable[[float], None] | None = None,
    ) -> dict[str, np.ndarray]:
        """What ``core.blocks.block_stats`` gives, from the cluster (or the level cache)."""
        ask = (plane.rows_axis, plane.cols_axis, plane.fixed, tuple(factors))
        found = self.levels.load(ask, names) if self.levels is not None else None
        if found is not None:
            return found
        stats = self._block_stats(plane, factors, names, cancelled, progress)
        if self.levels is not None:
            self.levels.save(ask, stats)
        return stats

    def _block_stats(
        self,
        plane: ChunkRows,
        factors: tuple[int, int],
        names: list[str],
        cancelled: Callable[[], bool] | None,
        progress: Callable[[float], None] | None,
    ) -> dict[str, np.ndarray]:
        from dask import delayed

        (fr, fc), (n_rows, n_cols) = factors, plane.shape
        chunks = self._chunks(plane, factors)
        tasks = [delayed(_chunk_stats)(chunk, factors, tuple(names)) for _, _, chunk in chunks]
        found = self._compute(tasks, cancelled, progress)
        out = {n: np.full((-(-n_rows // fr), -(-n_cols // fc)), STAT_START[n]) for n in names}
        for (r0, c0, _), stats in zip(chunks, found, strict=True):
            for name, values in stats.items():
                rows, cols = values.shape
                out[name][r0 // fr : r0 // fr + rows, c0 // fc : c0 // fc + cols] = values
        return out

    def survey(
        self,
        plane: ChunkRows,
        cancelled: Callable[[], bool] | None = None,
        progress: Callable[[float], None] | None = None,
    ) -> tuple[float, float, int, int, int]:
        """Finite min, max and count, and the counts below 0.5 and 0.4 (``core.scale``)."""
        from dask import delayed

        tasks = [delayed(_chunk_survey)(chunk) for _, _, chunk in self._chunks(plane)]
        parts = self._compute(tasks, cancelled, progress)
        low = min((p[0] for p in parts), default=np.inf)
        high = max((p[1] for p in parts), default=-np.inf)
        sums = [int(sum(p[k] for p in parts)) for k in (2, 3, 4)]
        return (float(low), float(high), *sums)  # type: ignore[return-value]

    def moments(
        self,
        plane: ChunkRows,
        per_chunk: Callable[[np.ndarray], tuple[Any, ...]],
        cancelled: Callable[[], bool] | None = None,
        progress: Callable[[float], None] | None = None,
    ) -> list[tuple[Any, ...]]:
        """``per_chunk`` of every chunk (``core.axisstats.chunk_moments``: the margins'
        statistics), each with the chunk's row and column offsets."""
        from dask import delayed

        chunks = self._chunks(plane)
        found = self._compute([delayed(per_chunk)(c) for _, _, c in chunks], cancelled, progress)
        return [(r0, c0, *part) for (r0, c0, _), part in zip(chunks, found, strict=True)]

    def _compute(
        self,
        tasks: list[Any],
        cancelled: Callable[[], bool] | None,
        progress: Callable[[float], None] | None,
    ) -> list[Any]:
        if self.client is None:
            return _on_threads(tasks, cancelled, progress)
        futures = self.client.compute(tasks)
        try:
            while True:
                done = sum(f.done() for f in futures)
                if progress is not None:  # may raise to stop, as cancelled says
                    progress(done / max(1, len(futures)))
                if cancelled is not None and cancelled():
                    raise Cancelled
                if done == len(futures):
                    break
                time.sleep(POLL)
            return list(self.client.gather(futures))
        finally:
            self.client.cancel(futures)  # the cluster's memory goes back to its owner


def _chunk_stats(
    chunk: np.ndarray, factors: tuple[int, int], names: tuple[str, ...]
) -> dict[str, np.ndarray]:
    """The blocks' statistics of one chunk (whole blocks but at the array's edges)."""
    values = chunk if chunk.dtype.kind == "f" else chunk.astype(np.float64)

    def read(r0: int, r1: int, c0: int, c1: int) -> np.ndarray:
        return values[r0:r1, c0:c1]

    return block_stats(read, values.shape, factors, list(names))


def _chunk_survey(chunk: np.ndarray) -> tuple[float, float, int, int, int]:
    """One chunk's part of ``core.scale.Survey`` (the counts below 0.5 and 0.4 only while
    its values lie in [0, 1]: the survey drops them otherwise, so they are not worth a pass)."""
    values = chunk if chunk.dtype.kind == "f" else chunk.astype(np.float64)
    mask = np.isfinite(values)
    finite = values if mask.all() else values[mask]  # most chunks: no copy
    if not finite.size:
        return (np.inf, -np.inf, 0, 0, 0)
    low, high = float(finite.min()), float(finite.max())
    if low < 0.0 or high > 1.0:
        return (low, high, int(finite.size), 0, 0)
    below = int(np.count_nonzero(finite < AUC_LOW))
    return (low, high, int(finite.size), below, int(np.count_nonzero(finite < AUC_FAR)))


def _aligned(chunks: tuple[tuple[int, ...], ...], factors: tuple[int, int]) -> tuple[int, int]:
    """Chunk sides that are whole multiples of the factors (no block across two chunks)."""
    return tuple(max(f, (max(c) // f) * f) for c, f in zip(chunks, factors, strict=True))  # type: ignore[return-value]


def _on_threads(
    tasks: list[Any],
    cancelled: Callable[[], bool] | None,
    progress: Callable[[float], None] | None,
) -> list[Any]:
    import dask
    from dask.callbacks import Callback

    class Watch(Callback):  # type: ignore[misc]
        def _start_state(self, dsk: Any, state: Any) -> None:
            self.total = max(1, sum(len(state[k]) for k in ("ready", "waiting", "running")))

        def _posttask(self, key: Any, result: Any, dsk: Any, state: Any, worker: Any) -> None:
            if progress is not None:
                progress(len(state["finished"]) / self.total)
            if cancelled is not None and cancelled():
                raise Cancelled

    workers = max(1, (os.cpu_count() or 2) - 1)  # one core stays with the screen's keys
    with Watch():
        return list(dask.compute(*tasks, scheduler="threads", num_workers=workers))
