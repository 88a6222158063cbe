"""A chunked array's slice that reduces hidden axes (mean or max over heads), or all of a
small one, read chunk by chunk: each chunk is decoded once and folded into the plane, so the
memory is the plane's and one chunk's, never the array's."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import numpy as np

from tuiheat.core.chunkcache import ChunkSource, array_chunks, one_line
from tuiheat.core.chunkrows import ChunkRows

PLANE_BYTES = 1024**3  # a reduced plane is kept in memory (float64): at most this


class PlaneError(ValueError):
    """The slice cannot be made from the chunks (too big, or a mix of reductions)."""


def _spans(n: int, size: int) -> list[slice]:
    return [slice(a, min(n, a + size)) for a in range(0, n, size)]


def reduced_plane(
    source: ChunkSource,
    rows: int,
    cols: int,
    hidden: Sequence[tuple[int, str, int]],
    budget: int = PLANE_BYTES,
    watch: Callable[[float], None] | None = None,
) -> np.ndarray:
    """The ``rows`` × ``cols`` plane with each hidden axis indexed or reduced (finite values
    only; a line with none is NaN), as float64; ``watch`` is told the share read (it may
    raise to stop)."""
    kinds = {how for _, how, _ in hidden if how != "index"}
    shape, chunks = source.shape, array_chunks(source.array)
    n_rows, n_cols = shape[rows], shape[cols]
    trouble = plane_trouble(n_rows, n_cols, budget)
    if trouble:
        raise PlaneError(trouble)
    fixed = {axis: index for axis, kind, index in hidden if kind == "index"}
    if not kinds:
        index = [fixed[axis] for axis in sorted(fixed)]
        plane = ChunkRows(source.array, rows, cols, index, source.cache)
        return plane.window(0, n_rows, 0, n_cols)
    if len(kinds) > 1:
        return _mixed(source, rows, cols, hidden, budget, watch)
    how = kinds.pop()
    free = [axis for axis in range(len(shape)) if axis not in fixed]  # kept by a read, in order
    reduced = tuple(free.index(axis) for axis, kind, _ in hidden if kind != "index")
    total = np.zeros((n_rows, n_cols)) if how != "max" else np.full((n_rows, n_cols), -np.inf)
    count = np.zeros((n_rows, n_cols))
    boxes = list(itertools.product(*(_spans(shape[a], chunks[a]) for a in free)))
    for done, spans in enumerate(boxes):
        if watch is not None:
            watch(done / len(boxes))
        by_axis = dict(zip(free, spans, strict=True))
        where = tuple(fixed[a] if a in fixed else by_axis[a] for a in range(len(shape)))
        part, seen = _folded(_read(source, where), reduced, how)
        if rows > cols:  # a read keeps the array's axis order
            part, seen = part.T, seen.T
        at = (by_axis[rows], by_axis[cols])
        if how == "max":
            np.maximum(total[at], part, out=total[at])
        else:
            total[at] += part
        count[at] += seen
    with np.errstate(invalid="ignore", divide="ignore"):
        if how == "max":
            return np.where(count > 0, total, np.nan)
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def plane_trouble(n_rows: int, n_cols: int, budget: int = PLANE_BYTES) -> str:
    """Why a reduced plane of a chunked store cannot be made ("" when it can)."""
    if n_rows * n_cols * 8 <= budget:
        return ""
    return (
        f"a mean or max over a hidden axis of this store makes a {n_rows}×{n_cols} plane of "
        f"{n_rows * n_cols * 8 / 1024**3:.1f} GiB in memory, more than {budget / 1024**3:.0f} GiB; "
        "look at one index of every hidden axis"
    )


def _mixed(
    source: ChunkSource,
    rows: int,
    cols: int,
    hidden: Sequence[tuple[int, str, int]],
    budget: int,
    watch: Callable[[float], None] | None = None,
) -> np.ndarray:
    """Mean over some axes and max over others, one axis after the other, the last axis
    first (as ``core.tensor`` reduces an array): the first reduced axis is the outermost,
    folded over the planes the rest make at each of its indices."""
    outer, how = min((axis, kind) for axis, kind, _ in hidden if kind != "index")
    total = count = None
    n = source.shape[outer]
    for index in range(n):
        inner = [(a, "index", index) if a == outer else (a, k, i) for a, k, i in hidden]
        part = None if watch is None else (lambda done, at=index: watch((at + done) / n))
        plane = reduced_plane(source, rows, cols, inner, budget, part)
        finite = np.isfinite(plane)
        if total is None or count is None:
            total, count = np.where(finite, plane, 0.0 if how == "mean" else -np.inf), finite * 1.0
            continue
        if how == "max":
            np.maximum(total, np.where(finite, plane, -np.inf), out=total)
        else:
            total += np.where(finite, plane, 0.0)
        count += finite
    assert total is not None and count is not None
    with np.errstate(invalid="ignore", divide="ignore"):
        if how == "max":
            return np.where(count > 0, total, np.nan)
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _read(source: ChunkSource, where: tuple[object, ...]) -> np.ndarray:
    """A block of the array as float64; one that cannot be read is NaN (it counts for
    nothing, as on screen) and named once in the cache's ``failed``."""
    try:
        return np.asarray(source.array[where], dtype=np.float64)
    except Exception as err:  # the libraries raise many kinds
        spans = [(w, n) for w, n in zip(where, source.shape, strict=True) if isinstance(w, slice)]
        at = ", ".join(f"{w.start}-{w.stop - 1}" for w, _ in spans)
        source.cache.fail(("block", *at.split(", ")), f"the block at {at}: {one_line(err)}")
        return np.full([len(range(*w.indices(n))) for w, n in spans], np.nan)


def _folded(block: np.ndarray, axes: tuple[int, ...], how: str) -> tuple[np.ndarray, np.ndarray]:
    """A block's sums (or maxima) and counts of finite values over ``axes``."""
    finite = np.isfinite(block)
    if how == "max":
        part = np.where(finite, block, -np.inf).max(axis=axes, initial=-np.inf)
    else:
        part = np.where(finite, block, 0.0).sum(axis=axes)
    return part, finite.sum(axis=axes)


def whole_values(source: ChunkSource, budget: int = PLANE_BYTES) -> np.ndarray:
    """All of a chunked array in memory, for what needs every value at once (statistics
    across runs, head summaries); PlaneError past ``budget`` bytes."""
    nbytes = int(np.prod(source.shape)) * source.dtype.itemsize
    if nbytes > budget:
        raise PlaneError(
            f"this needs the whole array in memory ({nbytes / 1024**3:.1f} GiB of a chunked "
            f"store, more than {budget / 1024**3:.1f} GiB)"
        )
    try:
        return np.asarray(source.array[...])
    except Exception as err:
        raise PlaneError(f"a chunk cannot be read: {one_line(err)}") from None
