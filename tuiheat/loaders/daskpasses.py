"""Passes over a whole chunked array on dask (the extra ``dask``): the zoom overview's block
statistics and the range survey, on local threads, or on the ``dask.distributed`` cluster the
user already runs (``--scheduler ADDRESS`` or ``DASK_SCHEDULER_ADDRESS``). The array is given
to dask as it is (a Zarr array, or an HDF5 dataset that reopens its file where it is read),
so the workers read the chunks themselves and only the reduced level comes back.

Imported only when a store is bigger than the budget or a scheduler is named; without dask
the same passes run here, chunk by chunk (``core.blocks``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from tuiheat.core.blocks import Cancelled
from tuiheat.core.chunkrows import ChunkRows, array_chunks, one_line
from tuiheat.loaders.base import LoadError

BUDGET = 2 * 1024**3  # arrays past this many bytes are reduced on dask
SCHEDULER_VARIABLE = "DASK_SCHEDULER_ADDRESS"
INSTALL = "pip install 'tuiheat[dask]'"
AUC_LOW, AUC_FAR = 0.5, 0.4  # the survey's counts (core.scale.Survey)
POLL = 0.1  # seconds between looks at a cluster's tasks
CONNECT_SECONDS = 10  # a scheduler that does not answer by then is an error


def dask_reducer(scheduler: str | None) -> dict[str, Any]:
    """``reducer`` and ``where`` for a ChunkSource: dask on a cluster when an address is
    given (or in the environment), else on local threads; {} without dask and no address."""
    address = scheduler or os.environ.get(SCHEDULER_VARIABLE) or None
    try:
        import dask.array  # noqa: F401
    except ImportError:
        if address:
            raise LoadError(f"--scheduler needs dask: {INSTALL}") from None
        return {}
    if not address:
        return {"reducer": DaskPasses(None), "where": "dask: local threads"}
    try:
        from distributed import Client

        client = Client(address, timeout=f"{CONNECT_SECONDS}s", set_as_default=False)
    except ImportError:
        raise LoadError(f"--scheduler needs dask.distributed: {INSTALL}") from None
    except Exception as err:
        raise LoadError(f"cannot reach the dask scheduler {address}: {one_line(err)}") from None
    workers = len(client.scheduler_info().get("workers", {}))
    where = f"dask: {address} · {workers} worker{'s' if workers != 1 else ''}"
    return {"reducer": DaskPasses(client), "where": where}


class DaskPasses:
    """Whole-array passes of one plane, on ``client``'s cluster or on local threads."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def _plane(self, plane: ChunkRows) -> Any:
        import dask.array as da

        array = da.from_array(plane.array, chunks=array_chunks(plane.array), lock=False)
        x = array[plane.where(slice(None), slice(None))]
        return (x.T if plane.rows_axis > plane.cols_axis else x).astype(np.float64)

    def block_stats(
        self,
        plane: ChunkRows,
        factors: tuple[int, int],
        names: list[str],
        cancelled: Callable[[], bool] | None = None,
        progress: Callable[[float], None] | None = None,
    ) -> dict[str, np.ndarray]:
        """What ``core.blocks.block_stats`` gives, from the cluster."""
        import dask.array as da

        x, (fr, fc) = self._plane(plane), factors
        n_rows, n_cols = plane.shape
        pad = ((0, -n_rows % fr), (0, -n_cols % fc))
        finite = da.isfinite(x)
        parts: dict[str, Any] = {}
        for name in names:
            if name == "first":
                parts[name] = x[::fr, ::fc]
                continue
            fill, how = {
                "total": (0.0, np.sum),
                "count": (0.0, np.sum),
                "high": (-np.inf, np.max),
                "low": (np.inf, np.min),
            }[name]
            seen = finite.astype(np.float64) if name == "count" else da.where(finite, x, fill)
            seen = da.pad(seen, pad, constant_values=fill) if any(p for _, p in pad) else seen
            seen = seen.rechunk(_aligned(seen.chunks, factors))
            parts[name] = da.coarsen(how, seen, {0: fr, 1: fc})
        return self._compute(parts, cancelled, progress)

    def survey(
        self,
        plane: ChunkRows,
        cancelled: Callable[[], bool] | None = None,
        progress: Callable[[float], None] | None = None,
    ) -> tuple[float, float, int, int, int]:
        """Finite min, max and count, and the counts below 0.5 and 0.4 (``core.scale``)."""
        import dask.array as da

        x = self._plane(plane)
        finite = da.isfinite(x)
        parts = {
            "low": da.where(finite, x, np.inf).min(),
            "high": da.where(finite, x, -np.inf).max(),
            "finite": finite.sum(),
            "below": (finite & (x < AUC_LOW)).sum(),
            "far": (finite & (x < AUC_FAR)).sum(),
        }
        got = self._compute(parts, cancelled, progress)
        return (
            float(got["low"]),
            float(got["high"]),
            int(got["finite"]),
            int(got["below"]),
            int(got["far"]),
        )

    def _compute(
        self,
        parts: dict[str, Any],
        cancelled: Callable[[], bool] | None,
        progress: Callable[[float], None] | None,
    ) -> dict[str, np.ndarray]:
        if self.client is None:
            return _on_threads(parts, cancelled, progress)
        from distributed import futures_of

        held = self.client.persist(list(parts.values()))
        futures = futures_of(held)
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
        except BaseException:
            self.client.cancel(futures)
            raise
        results = self.client.compute(held, sync=True)
        self.client.cancel(futures)  # the cluster's memory goes back to its owner
        return {k: np.asarray(v) for k, v in zip(parts, results, strict=True)}


def _aligned(chunks: tuple[tuple[int, ...], ...], factors: tuple[int, int]) -> tuple[int, int]:
    """Chunk sides that are whole multiples of the factors (coarsen needs no straddling)."""
    return tuple(max(f, (max(c) // f) * f) for c, f in zip(chunks, factors, strict=True))  # type: ignore[return-value]


def _on_threads(
    parts: dict[str, Any],
    cancelled: Callable[[], bool] | None,
    progress: Callable[[float], None] | None,
) -> dict[str, np.ndarray]:
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

    with Watch():
        results = dask.compute(*parts.values(), scheduler="threads")
    return {k: np.asarray(v) for k, v in zip(parts, results, strict=True)}
