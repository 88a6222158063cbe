"""One number per attention head, for the layer × head overview: computed over a
``[layers, heads, query, key]`` tensor (memory-mapped, however big) in blocks of query rows
sized in bytes, so memory stays bounded and a pass can be cancelled and report progress.

Each statistic is a mean over the query rows of one head's pattern ``p[q, k]``:

- ``entropy``: −Σₖ p·ln p (natural log; 0·ln 0 = 0), how spread a query's attention is;
- ``max``: maxₖ p, how sharply a query attends;
- ``first``: p[q, 0], attention to the first token (the "sink");
- ``prev``: p[q, q−1] over the queries q ≥ 1 (previous-token heads);
- ``diag``: p[q, q] over the queries that have a key q (attention to itself).

A query row holding NaN (padding, a masked position written as NaN) is left out of its
head's mean, and counted, so the caller can say how many; a head with no row left is NaN.

``HeadAxes.of(tensor)`` finds the four axes of any tensor (``core.headaxes``),
``summary_tensor`` makes the ``[layer, head]`` grid a viewer shows, and ``head_spec`` the
slice of one head's pattern.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from tuiheat.core.blocks import Cancelled
from tuiheat.core.chunkrows import ChunkRows
from tuiheat.core.filerows import FileRows
from tuiheat.core.headaxes import HeadAxes
from tuiheat.core.headrows import row_values
from tuiheat.core.scratch import Scratch
from tuiheat.core.tensor import SliceSpec, Tensor

__all__ = [
    "HEAD_STATS",
    "HeadAxes",
    "HeadSummary",
    "head_spec",
    "head_summary",
    "summary_tensor",
]

HEAD_STATS: dict[str, str] = {
    "entropy": "mean over queries of −Σₖ p·ln p (natural log, 0·ln 0 = 0)",
    "max": "mean over queries of maxₖ p",
    "first": "mean over queries of p[q, 0] (attention to the first token)",
    "prev": "mean over queries q ≥ 1 of p[q, q−1] (previous-token attention)",
    "diag": "mean over queries of p[q, q] (attention to itself)",
}
CHUNK_BYTES = 8 << 20  # query rows read at once, in the file's own bytes

Progress = Callable[[float], None]


@dataclass(frozen=True)
class HeadSummary:
    stat: str
    values: np.ndarray  # [layers, heads], float64
    skipped_rows: int  # query rows left out for holding NaN


def head_summary(
    patterns: np.ndarray,
    stat: str,
    *,
    chunk_bytes: int = CHUNK_BYTES,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> HeadSummary:
    """``stat`` of every head of ``patterns`` ``[layers, heads, query, key]``. ``progress``
    is told the share done (and may raise ``Cancelled``); ``cancelled`` is asked between
    blocks. A memory-mapped head is read with ``pread`` into one reused buffer, so the
    process's resident memory stays that of a block whatever the file's size."""
    if stat not in HEAD_STATS:
        raise ValueError(f"unknown statistic {stat!r}; choose from {', '.join(HEAD_STATS)}")
    if patterns.ndim != 4:
        raise ValueError(f"a head summary needs [layers, heads, query, key], not {patterns.shape}")
    layers, heads, _, n_k = patterns.shape
    rows = max(1, chunk_bytes // max(1, n_k * patterns.dtype.itemsize))
    values = np.full((layers, heads), np.nan)
    skipped = 0
    scratch = Scratch()
    for index in range(layers * heads):
        layer, head = divmod(index, heads)
        total, count = 0.0, 0
        for q0, block in _blocks(patterns[layer, head], rows, scratch, cancelled):
            per_row, nan = row_values(block, stat, q0, scratch)
            defined = _counted(stat, q0, len(block), n_k)
            kept = defined & ~nan
            skipped += int(np.count_nonzero(defined & nan))
            total += float(per_row[kept].sum(dtype=np.float64))
            count += int(kept.sum())
        if count:
            values[layer, head] = total / count
        if progress is not None:
            progress((index + 1) / (layers * heads))
    return HeadSummary(stat, values, skipped)


def _blocks(
    plane: np.ndarray, rows: int, scratch: Scratch, cancelled: Callable[[], bool] | None
) -> Iterator[tuple[int, np.ndarray]]:
    """(first query, rows) of one head's ``[query, key]`` plane, ``rows`` at a time: read
    from the file when the plane is a C-ordered part of a memory map (touching the mapping
    would count the file's pages as the process's memory), else views of the array."""
    reader = FileRows.for_array(plane) if isinstance(plane, np.ndarray) else None
    with contextlib.ExitStack() as stack:
        if reader is not None:
            stack.callback(reader.close)
            buffer = scratch.take("read", (min(rows, len(plane)) * reader.row_bytes,), np.uint8)
        for q0 in range(0, len(plane), rows):
            if cancelled is not None and cancelled():
                raise Cancelled
            q1 = min(len(plane), q0 + rows)
            yield q0, plane[q0:q1] if reader is None else reader.whole_rows(q0, q1, buffer)


def _counted(stat: str, q0: int, n: int, n_k: int) -> np.ndarray:
    """The query rows of a block that the statistic is defined on."""
    q = np.arange(q0, q0 + n)
    if stat == "prev":
        return (q >= 1) & (q - 1 < n_k)
    if stat == "diag":
        return q < n_k
    return np.ones(n, dtype=bool)


class ChunkPatterns:
    """A store's ``[layer, head, query, key]`` patterns as ``head_summary`` reads them:
    ``[layer, head]`` is that head's ``[query, key]`` plane, read by chunk in row blocks
    (every other axis at index 0)."""

    def __init__(self, tensor: Tensor, axes: HeadAxes) -> None:
        assert tensor.source is not None
        self.source, self.axes = tensor.source, axes
        self.shape = tuple(tensor.shape[a] for a in axes.roles)
        self.ndim, self.dtype = 4, np.dtype(np.float64)

    def __getitem__(self, at: tuple[int, int]) -> _ChunkPlane:
        fixed = {self.axes.layer: at[0], self.axes.head: at[1]}
        ndim = len(self.source.shape)
        index = [fixed.get(a, 0) for a in range(ndim) if a not in (self.axes.query, self.axes.key)]
        array, cache = self.source.array, self.source.cache
        return _ChunkPlane(ChunkRows(array, self.axes.query, self.axes.key, index, cache))


class _ChunkPlane:
    def __init__(self, plane: ChunkRows) -> None:
        self.plane = plane

    def __len__(self) -> int:
        return self.plane.shape[0]

    def __getitem__(self, rows: slice) -> np.ndarray:
        start, stop, _ = rows.indices(len(self))
        return self.plane.window(start, stop, 0, self.plane.shape[1])


def summary_tensor(
    tensor: Tensor,
    axes: HeadAxes,
    stat: str,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Tensor:
    """The ``[layer, head]`` grid of ``stat`` over ``tensor``'s patterns, named and
    labelled by its layer and head axes. The patterns are a view (every other axis at
    index 0, the four in order), never a copy of the file."""
    if tensor.source is not None:  # a store: each head's plane read by chunk
        patterns: Any = ChunkPatterns(tensor, axes)
    else:
        index: list[object] = [0] * tensor.ndim
        for axis in axes.roles:
            index[axis] = slice(None)
        kept = sorted(axes.roles)
        patterns = np.transpose(tensor.values[tuple(index)], [kept.index(a) for a in axes.roles])
    found = head_summary(patterns, stat, progress=progress, cancelled=cancelled)
    what = f"{stat} per head"
    low, high = own_range(found.values)
    return Tensor(
        found.values,
        (tensor.names[axes.layer], tensor.names[axes.head]),
        (tensor.labels[axes.layer], tensor.labels[axes.head]),
        f"{tensor.title}: {what}" if tensor.title else what,
        low,
        high,
        notes=(nan_note(found.skipped_rows),) if found.skipped_rows else (),
    )


def own_range(values: np.ndarray) -> tuple[float | None, float | None]:
    """A statistic's own finite min–max, as the range to colour it by: it has its own
    units (nats, probabilities) and no 0.5–1.0 rule to follow (``--vmin``/``--vmax`` and
    ``v`` still win)."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return None, None
    low, high = float(finite.min()), float(finite.max())
    return low, (high if high > low else low + 1.0)


def nan_note(rows: int) -> str:
    """What the summary left out, for the title or a warning."""
    if rows == 1:
        return "1 query row held NaN and was left out"
    return f"{rows} query rows held NaN and were left out"


def head_spec(tensor: Tensor, axes: HeadAxes, layer: int, head: int) -> SliceSpec:
    """One head's query × key pattern: the query axis as rows, the key axis as columns,
    the layer and head axes at ``layer`` and ``head``, any other axis at 0."""
    at = {axes.layer: layer, axes.head: head}
    hidden = tuple(
        (axis, "index", at.get(axis, 0))
        for axis in range(tensor.ndim)
        if axis not in (axes.query, axes.key)
    )
    return SliceSpec(axes.query, axes.key, hidden)
