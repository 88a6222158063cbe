"""Blocks of a matrix reduced to one value each, in bounded memory. One pass gathers each
block's statistics (sum and count, max, min over finite values; the top-left value) from
pieces of at most ``budget`` cells that never straddle a block, so the result is exact
however big the blocks; every reducer is then a function of those statistics. NaN and
infinities never count; a block with no finite value is NaN; ``nearest`` is each block's
top-left value.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import numpy as np

from tuiheat.core.scratch import Scratch

BUDGET = 1 << 20  # file cells read at once (8 MiB as float64)
NEEDS = {
    "mean": ("total", "count"),
    "max": ("high", "count"),
    "min": ("low", "count"),
    "nearest": ("first",),
}
STAT_START = {"total": 0.0, "count": 0.0, "high": -np.inf, "low": np.inf, "first": np.nan}

Read = Callable[[int, int, int, int], np.ndarray]  # rows [a, b), columns [c, d) as float
Window = tuple[int, int, int, int]  # view cells: rows [r0, r1), columns [c0, c1)


class Cancelled(Exception):
    """The caller asked to stop (a newer request replaced this one)."""


def throttled(
    report: Callable[[float], None],
    cancelled: Callable[[], bool] | None = None,
    after: float = 0.3,
    step: float = 0.05,
) -> Callable[[float], None]:
    """A progress callback for long passes: stops the pass (``Cancelled``) once
    ``cancelled`` says so, and tells ``report`` the share done only past ``after`` seconds
    and every ``step`` of it, so short passes say nothing."""
    started, said = time.monotonic(), [-1.0]

    def progress(done: float) -> None:
        _check(cancelled)
        if time.monotonic() - started > after and done - said[0] >= step:
            said[0] = done
            report(done)

    return progress


def reduce_window(
    read: Read,
    shape: tuple[int, int],
    factors: tuple[int, int],
    reducer: str,
    window: Window,
    budget: int = BUDGET,
    cancelled: Callable[[], bool] | None = None,
    release: Callable[[int, int], None] | None = None,
) -> np.ndarray:
    """View cells ``window`` of the matrix of ``shape`` read by ``read``, each the
    ``reducer`` of a block of ``factors`` file cells (see ``block_stats``)."""
    stats = block_stats(
        read, shape, factors, NEEDS[reducer], window, budget, cancelled, release=release
    )
    return value_of(stats, reducer)


def value_of(stats: dict[str, np.ndarray], reducer: str) -> np.ndarray:
    """Each block's value by ``reducer``, from its statistics (``NEEDS``)."""
    if reducer == "nearest":
        return stats["first"]
    count = stats["count"]
    with np.errstate(invalid="ignore", divide="ignore"):
        value = {
            "mean": lambda: stats["total"] / count,
            "max": lambda: stats["high"],
            "min": lambda: stats["low"],
        }[reducer]()
    return np.where(count > 0, value, np.nan)


def _check(cancelled: Callable[[], bool] | None) -> None:
    if cancelled is not None and cancelled():
        raise Cancelled


def block_stats(
    read: Read,
    shape: tuple[int, int],
    factors: tuple[int, int],
    names: tuple[str, ...] | list[str],
    window: Window | None = None,
    budget: int = BUDGET,
    cancelled: Callable[[], bool] | None = None,
    progress: Callable[[float], None] | None = None,
    release: Callable[[int, int], None] | None = None,
) -> dict[str, np.ndarray]:
    """Per block of ``factors`` file cells in ``window`` (all of them without one), the
    statistics ``names`` (of ``total``, ``count``, ``high``, ``low`` over finite values;
    ``first``: the top-left value), in one pass of pieces of at most ``budget`` cells.
    ``cancelled`` is asked between pieces, ``progress`` told the share done, ``release``
    which file rows are done."""
    n_rows, n_cols = shape
    fr, fc = factors
    r0, r1, c0, c1 = window or (0, -(-n_rows // fr), 0, -(-n_cols // fc))
    out = {name: np.full((max(0, r1 - r0), max(0, c1 - c0)), STAT_START[name]) for name in names}
    top, bottom = r0 * fr, min(n_rows, r1 * fr)
    step_c = max(1, budget // max(1, fc))  # view columns per piece: one file row fits
    chunks = range(c0, c1, step_c)
    scratch = Scratch()
    for k, vc in enumerate(chunks):
        vc1 = min(c1, vc + step_c)
        bc0, bc1 = vc * fc, min(n_cols, vc1 * fc)
        cols = slice(vc - c0, vc1 - c0)
        if set(names) == {"first"}:  # one file row per block row is all it takes
            for vr in range(r0, r1):
                _check(cancelled)
                out["first"][vr - r0, cols] = read(vr * fr, vr * fr + 1, bc0, bc1)[0, ::fc]
            continue
        for a, b in _pieces(top, bottom, fr, max(1, budget // (bc1 - bc0))):
            _check(cancelled)
            _fold(out, read(a, b, bc0, bc1), a - top, fr, fc, cols, scratch)
            if release is not None:
                release(a, b)
            if progress is not None:
                progress((k + (b - top) / max(1, bottom - top)) / len(chunks))
    return out


def _pieces(top: int, bottom: int, fr: int, band: int) -> Iterator[tuple[int, int]]:
    """File rows [a, b) read at once: whole block rows when ``band`` rows hold one or more,
    else bands inside one block row (a piece never straddles two)."""
    if band >= fr:
        rows = (band // fr) * fr
        for a in range(top, bottom, rows):
            yield a, min(bottom, a + rows)
        return
    for start in range(top, bottom, fr):
        end = min(bottom, start + fr)
        for a in range(start, end, band):
            yield a, min(end, a + band)


def _fold(
    out: dict[str, np.ndarray],
    block: np.ndarray,
    a: int,
    fr: int,
    fc: int,
    cols: slice,
    scratch: Scratch,
) -> None:
    """Add a piece starting ``a`` file rows into the window to the statistics of its blocks:
    its whole blocks as one view, the short blocks of the bottom and right edges apart
    (no padded copy of the piece)."""
    h, w = block.shape
    tall = fr if h >= fr else h  # whole block rows, or a band inside one
    first = a // fr
    if "first" in out and a % fr == 0:
        firsts = block[::fr, ::fc]
        out["first"][first : first + firsts.shape[0], cols] = firsts
    names = [name for name in out if name != "first"]
    if not names:
        return
    for rs, re_, tr in _spans(h, tall):
        for cs, ce, tc in _spans(w, fc):
            part = block[rs:re_, cs:ce]
            tiles = part.reshape((re_ - rs) // tr, tr, (ce - cs) // tc, tc)
            rows = slice(first + rs // tall, first + rs // tall + tiles.shape[0])
            span = slice(cols.start + cs // fc, cols.start + cs // fc + tiles.shape[2])
            _fold_tiles({n: out[n][rows, span] for n in names}, tiles, scratch)


def _spans(n: int, size: int) -> list[tuple[int, int, int]]:
    """[start, end, tile size) of the whole tiles of ``size`` in ``n`` cells, and of the
    short one at the end."""
    whole = (n // size) * size
    spans = [(0, whole, size)] if whole else []
    if whole < n:
        spans.append((whole, n, n - whole))
    return spans


def _fold_tiles(targets: dict[str, np.ndarray], tiles: np.ndarray, scratch: Scratch) -> None:
    """Fold (rows, tr, cols, tc) tiles into the statistics ``targets`` (views of the output)."""
    axes = (1, 3)
    finite = np.isfinite(tiles, out=scratch.take("finite", tiles.shape, bool))
    all_finite = bool(finite.all())  # the common case: no masked copies

    def seen(fill: float) -> np.ndarray:
        if all_finite:
            return tiles
        masked = scratch.take("masked", tiles.shape, tiles.dtype)
        masked.fill(fill)
        np.copyto(masked, tiles, where=finite)
        return masked

    for name, target in targets.items():
        if name == "count":
            if all_finite:
                target += tiles.shape[1] * tiles.shape[3]
            else:
                target += finite.sum(axis=axes).reshape(target.shape)
        elif name == "total":  # float32 pieces are summed in float64
            target += seen(0.0).sum(axis=axes, dtype=np.float64).reshape(target.shape)
        elif name == "high":
            np.maximum(target, seen(-np.inf).max(axis=axes).reshape(target.shape), out=target)
        elif name == "low":
            np.minimum(target, seen(np.inf).min(axis=axes).reshape(target.shape), out=target)
