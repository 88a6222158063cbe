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
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tuiheat.core.blocks import Cancelled

HEAD_STATS: dict[str, str] = {
    "entropy": "mean over queries of −Σₖ p·ln p (natural log, 0·ln 0 = 0)",
    "max": "mean over queries of maxₖ p",
    "first": "mean over queries of p[q, 0] (attention to the first token)",
    "prev": "mean over queries q ≥ 1 of p[q, q−1] (previous-token attention)",
    "diag": "mean over queries of p[q, q] (attention to itself)",
}
CHUNK_BYTES = 32 << 20  # query rows read at once, in the file's own bytes

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
    blocks."""
    if stat not in HEAD_STATS:
        raise ValueError(f"unknown statistic {stat!r}; choose from {', '.join(HEAD_STATS)}")
    if patterns.ndim != 4:
        raise ValueError(f"a head summary needs [layers, heads, query, key], not {patterns.shape}")
    layers, heads, n_q, n_k = patterns.shape
    rows = max(1, chunk_bytes // max(1, n_k * patterns.dtype.itemsize))
    values = np.full((layers, heads), np.nan)
    skipped = 0
    for index in range(layers * heads):
        layer, head = divmod(index, heads)
        total, count = 0.0, 0
        for q0 in range(0, n_q, rows):
            if cancelled is not None and cancelled():
                raise Cancelled
            block = patterns[layer, head, q0 : q0 + rows]
            per_row, kept, defined = _rows(block, stat, q0, n_k)
            skipped += int(np.count_nonzero(defined & ~kept))
            total += float(per_row[kept].sum(dtype=np.float64))
            count += int(kept.sum())
        if count:
            values[layer, head] = total / count
        if progress is not None:
            progress((index + 1) / (layers * heads))
    return HeadSummary(stat, values, skipped)


def _counted(stat: str, q0: int, n: int, n_k: int) -> np.ndarray:
    """The query rows of a block that the statistic is defined on."""
    q = np.arange(q0, q0 + n)
    if stat == "prev":
        return (q >= 1) & (q - 1 < n_k)
    if stat == "diag":
        return q < n_k
    return np.ones(n, dtype=bool)


def _rows(
    block: np.ndarray, stat: str, q0: int, n_k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each query row's value (float64), whether it counts (defined, no NaN) and whether
    it is defined. Only the values a statistic reads are converted (``first``: a column)."""
    n = len(block)
    defined = _counted(stat, q0, n, n_k)
    kept = defined & ~np.isnan(block).any(axis=1)
    if stat == "entropy":  # float32 terms (within 1e-7 each), summed in float64
        wide = np.asarray(block, dtype=np.float32)
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = wide * np.log(wide)
        terms[~(wide > 0)] = 0.0  # 0·ln 0 = 0 (and negatives, never a probability)
        return -terms.sum(axis=1, dtype=np.float64), kept, defined
    if stat == "max":
        wide = np.asarray(block, dtype=np.float32)  # float16 reductions are slow in numpy
        return wide.max(axis=1, initial=-np.inf).astype(np.float64), kept, defined
    if stat == "first":
        return np.asarray(block[:, 0], dtype=np.float64), kept, defined
    q = np.arange(q0, q0 + n)
    key = q - 1 if stat == "prev" else q
    picked = np.zeros(n)
    ok = (key >= 0) & (key < n_k)
    picked[ok] = block[np.flatnonzero(ok), key[ok]]
    return picked, kept, defined
