"""What a view of a remote store must read before it is shown.

Over a network a chunk is a round trip: a cursor step or a slice that paints before its
chunks are fetched would hold the screen (and every key) for as long as the network
takes. The view asks here first which reads it lacks (the window's chunks, the slivers of
the cursor's row and column profiles); a worker makes them, showing progress, and the view
moves when they are in the cache. A local store, or data in memory, lacks none: it reads
as fast as it paints.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait

from tuiheat.core.chunkcache import Read, chunk_pool
from tuiheat.core.chunkrows import ChunkRows, chunk_reader
from tuiheat.core.matrix import HeatMatrix


def reads_for_view(
    matrix: HeatMatrix,
    window: tuple[int, int, int, int],
    cursor: tuple[int, int],
    column_step: int = 1,
) -> list[Read]:
    """The reads of a remote store's plane not yet in its cache that showing ``window``
    (r0, r1, c0, c1) needs, with the cursor's row profile and its column profile (every
    ``column_step``-th row); [] when ``matrix`` is not read by chunk over a network."""
    reader = chunk_reader(matrix)
    if not isinstance(reader, ChunkRows) or not reader.cache.remote:
        return []
    row, col = cursor
    n_rows, n_cols = reader.shape
    reads = reader.missing(*window) | reader.missing(row, row + 1, 0, n_cols)
    if column_step > 1:
        reads |= reader.missing_rows(range(0, n_rows, column_step), col)
    else:
        reads |= reader.missing(0, n_rows, col, col + 1)
    # A sliver of a chunk read whole anyway (the window's) is not read again.
    return [read for key, read in reads.items() if len(key) == 2 or key[:2] not in reads]


def run_reads(
    reads: Sequence[Read],
    progress: Callable[[int, int], object],
    cancelled: Callable[[], bool],
    poll: float = 0.1,
) -> bool:
    """Make ``reads`` on the chunk threads (a remote store's round trips overlap), telling
    ``progress(done, total)`` as each lands; False as soon as ``cancelled()`` says so (reads
    not begun are dropped, those under way land in the cache for the next view)."""
    pending: set[Future[object]] = {chunk_pool().submit(read) for read in reads}
    total = len(pending)
    while pending:
        if cancelled():
            for future in pending:
                future.cancel()
            return False
        pending = wait(pending, timeout=poll, return_when=FIRST_COMPLETED).not_done
        progress(total - len(pending), total)
    return not cancelled()
