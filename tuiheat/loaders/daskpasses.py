"""Passes over a whole chunked array on dask (the extra ``dask``): the zoom overview's block
statistics and the range survey, on local threads, or on the ``dask.distributed`` cluster the
user already runs (``--scheduler ADDRESS`` or ``DASK_SCHEDULER_ADDRESS``). The array is given
to dask as it is (a Zarr array, or an HDF5 dataset that reopens its file where it is read),
so the workers read the chunks themselves and only the reduced level comes back.

Imported only when a store is bigger than the budget or a scheduler is named; without dask
the same passes run here, chunk by chunk (``core.blocks``).
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import operator
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from typing import Any

import numpy as np

from tuiheat.core.blocks import STAT_START, Cancelled, block_stats
from tuiheat.core.chunkcache import one_line, selection
from tuiheat.core.chunkrows import ChunkRows
from tuiheat.core.scale import Survey, block_survey
from tuiheat.loaders.base import LoadError

BUDGET = 2 * 1024**3  # arrays past this many bytes are reduced on dask
SCHEDULER_VARIABLE = "DASK_SCHEDULER_ADDRESS"
INSTALL = "pip install 'tuiheat[dask]'"
POLL = 0.1  # seconds between looks at a cluster's tasks
MAX_TASKS = 2048  # tasks of one pass: boxes are grouped past this many
CONNECT_SECONDS = 10  # a scheduler that does not answer by then is an error


def dask_reducer(
    scheduler: str | None, levels: Any = None, spare_core: bool = True
) -> dict[str, Any]:
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
        threads = max(1, (os.cpu_count() or 2) - (1 if spare_core else 0))
        return {"reducer": DaskPasses(None, levels, threads), "where": "dask: local threads"}
    refused = _refused(address)
    if refused:  # a closed port: say so now, not after the client's retries time out
        raise LoadError(f"cannot reach the dask scheduler {address}: {refused}")
    try:
        from distributed import Client

        client = Client(address, timeout=f"{CONNECT_SECONDS}s", set_as_default=False)
        # The client logs its reconnection attempts to stderr, which is the viewer's screen.
        _quiet()
    except ImportError:
        raise LoadError(f"--scheduler needs dask.distributed: {INSTALL}") from None
    except Exception as err:
        raise LoadError(f"cannot reach the dask scheduler {address}: {one_line(err)}") from None
    workers = len(client.scheduler_info().get("workers", {}))
    where = f"dask: {address} · {workers} worker{'s' if workers != 1 else ''}"
    return {"reducer": DaskPasses(client, levels), "where": where}


def _refused(address: str) -> str:
    """Why a ``tcp://host:port`` address refuses a connection at once ("" if it answers,
    or if it is not plain TCP: the client then tries, up to its timeout)."""
    import socket
    from urllib.parse import urlsplit

    if not address.startswith("tcp://"):
        return ""
    try:
        where = urlsplit(address)
        host, port = where.hostname, where.port
    except ValueError as err:
        return one_line(err)
    if not host or port is None:
        return "no port in the address (tcp://HOST:PORT)"
    try:
        with socket.create_connection((host, port), timeout=CONNECT_SECONDS):
            return ""
    except ConnectionRefusedError:
        return f"nothing listens on {host}:{port} (connection refused)"
    except OSError:
        return ""  # unknown host, a slow network: the client says it after its timeout


class DaskPasses:
    """Whole-array passes of one plane, on ``client``'s cluster or on local threads: one
    task per chunk (aligned to the blocks), each folded by ``core`` where the chunk is read,
    so only the blocks' statistics travel."""

    def __init__(self, client: Any, levels: Any = None, threads: int = 1) -> None:
        self.client = client
        self.levels = levels
        self.threads = threads  # local threads, without a client
        self.failed = ""  # why the last pass fell back to the chunk passes here
        self.surveys: dict[tuple[object, ...], Survey] = {}

    def _boxes(self, plane: ChunkRows, factors: tuple[int, int]) -> list[Any]:
        """(row, column, box) of every chunk-sized box of the plane, in whole blocks of
        ``factors`` (a box is rows r0:r1, columns c0:c1)."""
        sides = [max(f, (c // f) * f) for c, f in zip(plane.chunk, factors, strict=True)]
        (n_rows, n_cols), out = plane.shape, []
        for r0 in range(0, n_rows, sides[0]):
            for c0 in range(0, n_cols, sides[1]):
                out.append(
                    (r0, c0, (r0, min(n_rows, r0 + sides[0]), c0, min(n_cols, c0 + sides[1])))
                )
        return out

    def _run(
        self,
        plane: ChunkRows,
        boxes: list[Any],
        fn: Any,
        args: tuple[Any, ...],
        cancelled: Callable[[], bool] | None,
        progress: Callable[[float], None] | None,
    ) -> list[Any]:
        """``fn(box values, *args)`` of every box, read where the task runs; at most
        ``MAX_TASKS`` tasks of neighbouring boxes (a store of a million chunks is a graph
        of thousands); the first box that could not be read is said as on screen."""
        from dask import delayed

        reader = delayed(BoxReader.of(plane), pure=True)
        size = -(-len(boxes) // MAX_TASKS)
        groups = [[box for _, _, box in boxes[k : k + size]] for k in range(0, len(boxes), size)]
        tasks = [delayed(_on_boxes)(reader, group, fn, args) for group in groups]
        found = [each for part in self._compute(tasks, cancelled, progress) for each in part]
        for why in dict.fromkeys(why for _, why in found if why):  # each box not read, in order
            plane.cache.fail(("box", why.split(":", 1)[0]), why)
        return [result for result, _ in found]

    def block_stats(
        self,
        plane: ChunkRows,
        factors: tuple[int, int],
        names: list[str],
        cancelled: Callable[[], bool] | None = None,
        progress: Callable[[float], None] | None = None,
    ) -> dict[str, np.ndarray] | None:
        """What ``core.blocks.block_stats`` gives, from the cluster (or the level cache);
        None when dask failed (the caller reads here)."""
        ask = (plane.rows_axis, plane.cols_axis, plane.fixed, tuple(factors))
        found = self.levels.load(ask, names) if self.levels is not None else None
        if found is not None:
            return found
        stats = self._guarded(self._block_stats, plane, factors, names, cancelled, progress)
        if self.levels is not None and stats is not None:
            self.levels.save(ask, stats)
        return stats

    def _guarded(self, run: Callable[..., Any], *args: Any) -> Any:
        """``run(*args)``, or None when dask failed (a lost cluster, a worker's error): the
        pass is then made here, and ``failed`` says why. Stopping is not a failure."""
        try:
            return run(*args)
        except Cancelled:
            raise
        except Exception as err:
            self.failed = _reason(err)
            return None

    def _block_stats(
        self,
        plane: ChunkRows,
        factors: tuple[int, int],
        names: list[str],
        cancelled: Callable[[], bool] | None,
        progress: Callable[[float], None] | None,
    ) -> dict[str, np.ndarray]:
        (fr, fc), (n_rows, n_cols) = factors, plane.shape
        boxes = self._boxes(plane, factors)
        found = self._run(plane, boxes, _chunk_stats, (factors, tuple(names)), cancelled, progress)
        out = {n: np.full((-(-n_rows // fr), -(-n_cols // fc)), STAT_START[n]) for n in names}
        self.surveys[_plane_key(plane)] = reduce(operator.add, [survey for _, survey in found])
        for (r0, c0, _), (stats, _) in zip(boxes, found, strict=True):
            for name, values in stats.items():
                rows, cols = values.shape
                out[name][r0 // fr : r0 // fr + rows, c0 // fc : c0 // fc + cols] = values
        return out

    def survey(
        self,
        plane: ChunkRows,
        cancelled: Callable[[], bool] | None = None,
        progress: Callable[[float], None] | None = None,
    ) -> Survey | None:
        """What ``core.scale.survey`` finds, box by box (``core.scale.merged`` makes it
        one); None when dask failed."""
        known = self.surveys.get(_plane_key(plane))  # a level's pass found it already
        if known is not None:
            return known

        def run() -> Survey:
            boxes = self._boxes(plane, (1, 1))
            return reduce(
                operator.add, self._run(plane, boxes, block_survey, (), cancelled, progress)
            )

        return self._guarded(run)  # type: ignore[no-any-return]

    def moments(
        self,
        plane: ChunkRows,
        per_chunk: Callable[[np.ndarray], tuple[Any, ...]],
        cancelled: Callable[[], bool] | None = None,
        progress: Callable[[float], None] | None = None,
    ) -> list[tuple[Any, ...]] | None:
        """``per_chunk`` of every chunk (``core.axisstats.chunk_moments``: the margins'
        statistics), each with the chunk's row and column offsets; None when dask failed."""

        def run() -> list[tuple[Any, ...]]:
            boxes = self._boxes(plane, (1, 1))
            found = self._run(plane, boxes, per_chunk, (), cancelled, progress)
            return [(r0, c0, *part) for (r0, c0, _), part in zip(boxes, found, strict=True)]

        return self._guarded(run)  # type: ignore[no-any-return]

    def _compute(
        self,
        tasks: list[Any],
        cancelled: Callable[[], bool] | None,
        progress: Callable[[float], None] | None,
    ) -> list[Any]:
        if self.client is None:
            return _on_threads(tasks, cancelled, progress, self.threads)
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
            # The cluster's memory goes back to its owner; a client already closed (the
            # scheduler is gone) has nothing to free.
            with contextlib.suppress(Exception):
                self.client.cancel(futures)


def _quiet() -> None:
    """The client logs to stderr, which is the viewer's screen: nothing under CRITICAL, for
    its loggers as dask's config made them (``distributed.client`` has its own level)."""
    names = [n for n in logging.root.manager.loggerDict if n.startswith("distributed.")]
    for name in ("distributed", *names):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _reason(err: BaseException) -> str:
    """Why a pass on the cluster failed, for the user: a lost scheduler in those words, not
    as the task key the client names."""
    text = one_line(err)
    lost = ("connection-lost", "Client is closed", "CommClosedError", "not running")
    if type(err).__name__ in ("CancelledError", "CommClosedError") or any(w in text for w in lost):
        return "the connection to the scheduler was lost"
    return text


@dataclass(frozen=True)
class BoxReader:
    """What a task needs to read a box of the plane where it runs (a worker): the array (a
    Zarr array, an HDF5 dataset: both travel as their location) and the plane's axes."""

    array: Any
    rows_axis: int
    cols_axis: int
    fixed: tuple[int, ...]

    @classmethod
    def of(cls, plane: ChunkRows) -> BoxReader:
        return cls(plane.array, plane.rows_axis, plane.cols_axis, plane.fixed)

    def read(self, r0: int, r1: int, c0: int, c1: int) -> tuple[np.ndarray, str]:
        """The box as floats (integers as float64), and "" or why it could not be read
        (then NaN, as the screen shows such a chunk, and the pass goes on)."""
        ndim, axes = len(self.array.shape), (self.rows_axis, self.cols_axis)
        where = selection(ndim, *axes, self.fixed, slice(r0, r1), slice(c0, c1))
        try:
            block = np.asarray(self.array[where])
        except Exception as err:
            why = f"rows {r0}-{r1 - 1}, columns {c0}-{c1 - 1}: {one_line(err)}"
            return np.full((r1 - r0, c1 - c0), np.nan), why
        block = block.T if self.rows_axis > self.cols_axis else block
        return (block if block.dtype.kind == "f" else block.astype(np.float64)), ""


def _on_boxes(reader: BoxReader, boxes: list[tuple[int, int, int, int]], fn: Any, args: Any) -> Any:
    """One task: each box read (one chunk at a time in memory) and passed to ``fn``."""
    out = []
    for box in boxes:
        block, failed = reader.read(*box)
        out.append((fn(block, *args), failed))
    return out


def _chunk_stats(
    chunk: np.ndarray, factors: tuple[int, int], names: tuple[str, ...]
) -> tuple[dict[str, np.ndarray], tuple[float, float, int, int, int]]:
    """The blocks' statistics of one chunk (whole blocks but at the array's edges), and
    its survey."""
    values = chunk if chunk.dtype.kind == "f" else chunk.astype(np.float64)

    def read(r0: int, r1: int, c0: int, c1: int) -> np.ndarray:
        return values[r0:r1, c0:c1]

    stats = block_stats(read, values.shape, factors, list(names))
    return stats, block_survey(values)  # the range's survey comes with it, at no new read


def _plane_key(plane: ChunkRows) -> tuple[object, ...]:
    return (id(plane.array), plane.rows_axis, plane.cols_axis, plane.fixed)


def _on_threads(
    tasks: list[Any],
    cancelled: Callable[[], bool] | None,
    progress: Callable[[float], None] | None,
    workers: int,
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

    with Watch():
        return list(dask.compute(*tasks, scheduler="threads", num_workers=workers))
