"""Blocks of a matrix reduced to one value each, in bounded memory: the file is read in
pieces of at most ``budget`` cells, aligned to the blocks, and when one block is taller
than a piece its statistics (sum and count, max, min) are combined across pieces, so the
result is exact however big the blocks. NaN and infinities never count; a block with no
finite value is NaN; ``nearest`` is each block's top-left value.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

BUDGET = 1 << 20  # file cells read at once (8 MiB as float64)

Read = Callable[[int, int, int, int], np.ndarray]  # rows [a, b), columns [c, d) as float


class Cancelled(Exception):
    """The caller asked to stop (a newer request replaced this one)."""


def reduce_window(
    read: Read,
    shape: tuple[int, int],
    factors: tuple[int, int],
    reducer: str,
    window: tuple[int, int, int, int],
    budget: int = BUDGET,
    cancelled: Callable[[], bool] | None = None,
    release: Callable[[int, int], None] | None = None,
) -> np.ndarray:
    """View cells ``window`` = (r0, r1, c0, c1) of the matrix of ``shape`` read by ``read``,
    each the ``reducer`` of a block of ``factors`` file cells. ``cancelled`` is asked
    between pieces (``Cancelled`` is raised); ``release`` is told which file rows are done."""
    n_rows, n_cols = shape
    fr, fc = factors
    r0, r1, c0, c1 = window
    out = np.full((max(0, r1 - r0), max(0, c1 - c0)), np.nan)
    step_c = max(1, budget // max(1, fc))  # view columns per piece: one file row fits
    for vc in range(c0, c1, step_c):
        vc1 = min(c1, vc + step_c)
        bc0, bc1 = vc * fc, min(n_cols, vc1 * fc)
        band = max(1, budget // max(1, bc1 - bc0))  # file rows per piece
        cols = slice(vc - c0, vc1 - c0)
        if reducer == "nearest":
            for vr in range(r0, r1):
                _check(cancelled)
                out[vr - r0, cols] = read(vr * fr, vr * fr + 1, bc0, bc1)[0, ::fc]
        elif band >= fr:  # whole blocks fit a piece: several view rows at a time
            k = band // fr
            for vr in range(r0, r1, k):
                _check(cancelled)
                a, b = vr * fr, min(n_rows, min(r1, vr + k) * fr)
                reduced = _reduce_blocks(read(a, b, bc0, bc1), fr, fc, reducer)
                out[vr - r0 : vr - r0 + reduced.shape[0], cols] = reduced
                if release is not None:
                    release(a, b)
        else:  # a block is taller than a piece: combine its bands
            for vr in range(r0, r1):
                out[vr - r0, cols] = _tall_block_row(
                    read, (vr * fr, min(n_rows, (vr + 1) * fr)), (bc0, bc1), fc, band, reducer,
                    cancelled, release,
                )  # fmt: skip
    return out


def _check(cancelled: Callable[[], bool] | None) -> None:
    if cancelled is not None and cancelled():
        raise Cancelled


def _tall_block_row(
    read: Read,
    rows: tuple[int, int],
    cols: tuple[int, int],
    fc: int,
    band: int,
    reducer: str,
    cancelled: Callable[[], bool] | None,
    release: Callable[[int, int], None] | None,
) -> np.ndarray:
    n_out = -(-(cols[1] - cols[0]) // fc)
    total, count = np.zeros(n_out), np.zeros(n_out)
    high, low = np.full(n_out, -np.inf), np.full(n_out, np.inf)
    for a in range(rows[0], rows[1], band):
        _check(cancelled)
        b = min(rows[1], a + band)
        tiles, finite = _tiles(read(a, b, *cols), 1, fc)
        whole = finite.all()  # the common case: no masking copies
        count += finite.sum(axis=(0, 1, 3))
        if reducer == "mean":
            total += (tiles if whole else np.where(finite, tiles, 0.0)).sum(axis=(0, 1, 3))
        elif reducer == "max":
            seen = tiles if whole else np.where(finite, tiles, -np.inf)
            high = np.maximum(high, seen.max(axis=(0, 1, 3)))
        else:
            seen = tiles if whole else np.where(finite, tiles, np.inf)
            low = np.minimum(low, seen.min(axis=(0, 1, 3)))
        if release is not None:
            release(a, b)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = {"mean": total / count, "max": high, "min": low}[reducer]
    return np.where(count > 0, value, np.nan)


def _tiles(block: np.ndarray, fr: int, fc: int) -> tuple[np.ndarray, np.ndarray]:
    """``block`` padded with NaN to whole blocks, as (out_r, fr, out_c, fc) tiles."""
    n, m = block.shape
    out_r, out_c = -(-n // fr), -(-m // fc)
    if (n, m) == (out_r * fr, out_c * fc):  # whole blocks: a view, no copy
        tiles = block.reshape(out_r, fr, out_c, fc)
    else:
        padded = np.full((out_r * fr, out_c * fc), np.nan, dtype=block.dtype)
        padded[:n, :m] = block
        tiles = padded.reshape(out_r, fr, out_c, fc)
    return tiles, np.isfinite(tiles)


def _reduce_blocks(block: np.ndarray, fr: int, fc: int, reducer: str) -> np.ndarray:
    tiles, finite = _tiles(block, fr, fc)
    whole = finite.all()
    count = finite.sum(axis=(1, 3))
    with np.errstate(invalid="ignore", divide="ignore"):
        if reducer == "mean":
            reduced = (tiles if whole else np.where(finite, tiles, 0.0)).sum(axis=(1, 3)) / count
        elif reducer == "max":
            reduced = (tiles if whole else np.where(finite, tiles, -np.inf)).max(axis=(1, 3))
        else:
            reduced = (tiles if whole else np.where(finite, tiles, np.inf)).min(axis=(1, 3))
    return np.where(count > 0, reduced, np.nan)


STAT_START = {"total": 0.0, "count": 0.0, "high": -np.inf, "low": np.inf, "first": np.nan}


def partial_stats(
    read: Read,
    shape: tuple[int, int],
    factors: tuple[int, int],
    names: list[str],
    budget: int = BUDGET,
    cancelled: Callable[[], bool] | None = None,
    progress: Callable[[float], None] | None = None,
) -> dict[str, np.ndarray]:
    """Per block of ``factors`` file cells, the statistics ``names`` (of ``total``,
    ``count``, ``high``, ``low`` over finite values; ``first``: the top-left value), in one
    pass of pieces of at most ``budget`` cells that never straddle a block."""
    n_rows, n_cols = shape
    fr, fc = factors
    out_r, out_c = -(-n_rows // fr), -(-n_cols // fc)
    out = {name: np.full((out_r, out_c), STAT_START[name]) for name in names}
    step_c = max(1, budget // max(1, fc))
    chunks = range(0, out_c, step_c)
    for k, vc in enumerate(chunks):
        vc1 = min(out_c, vc + step_c)
        bc0, bc1 = vc * fc, min(n_cols, vc1 * fc)
        band = max(1, budget // (bc1 - bc0))
        # Pieces of whole block rows, or a power of two of rows inside one (fr is one too).
        rows = (band // fr) * fr if band >= fr else 1 << (band.bit_length() - 1)
        for a in range(0, n_rows, rows):
            _check(cancelled)
            b = min(n_rows, a + rows)
            _fold(out, read(a, b, bc0, bc1), a, fr, fc, slice(vc, vc1))
            if progress is not None:
                progress((k + b / n_rows) / len(chunks))
    return out


def _fold(
    out: dict[str, np.ndarray], block: np.ndarray, a: int, fr: int, fc: int, cols: slice
) -> None:
    """Add a piece starting at file row ``a`` to the statistics of its blocks."""
    h = block.shape[0]
    if h >= fr:  # whole block rows (the last may be short)
        tiles, finite = _tiles(block, fr, fc)
        axes: tuple[int, ...] = (1, 3)
        rows = slice(a // fr, a // fr + tiles.shape[0])
    else:  # part of one block row
        tiles, finite = _tiles(block, h, fc)
        axes = (0, 1, 3)
        rows = slice(a // fr, a // fr + 1)
    all_finite = bool(finite.all())
    target = (rows, cols)
    if "count" in out:
        out["count"][target] += finite.sum(axis=axes).reshape(out["count"][target].shape)
    if "total" in out:  # float32 pieces are summed in float64
        seen = tiles if all_finite else np.where(finite, tiles, 0.0)
        part = seen.sum(axis=axes, dtype=np.float64)
        out["total"][target] += part.reshape(out["total"][target].shape)
    if "high" in out:
        part = (tiles if all_finite else np.where(finite, tiles, -np.inf)).max(axis=axes)
        np.maximum(
            out["high"][target], part.reshape(out["high"][target].shape), out=out["high"][target]
        )
    if "low" in out:
        part = (tiles if all_finite else np.where(finite, tiles, np.inf)).min(axis=axes)
        np.minimum(
            out["low"][target], part.reshape(out["low"][target].shape), out=out["low"][target]
        )
    if "first" in out and a % fr == 0:
        firsts = block[::fr, ::fc]
        out["first"][rows.start : rows.start + firsts.shape[0], cols] = firsts
