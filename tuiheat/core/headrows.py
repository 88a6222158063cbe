"""One statistic per query row of a block of attention rows, fast on 16-bit floats.

numpy widens float16 to float32 one value at a time (about 4.5 ns a value here: 4.6 s
for a 2 GiB tensor, half the time budget), so 16-bit rows are read as their bit patterns:

- a row whose words are all below the first infinity's (``0x7C00`` in float16,
  ``0x7F80`` in bfloat16) holds only finite values ≥ 0, whose order is their words'
  order: its maximum is its largest word, widened alone; ``first``, ``prev`` and
  ``diag`` widen the one value they pick;
- ``entropy`` widens every value with integer operations, exact (subnormals included);
- any other row (NaN, infinity, a negative value or −0) is computed the plain way.

Every statistic works on float32 values (terms of the entropy in float32, within 1e-7
each) and sums in float64. A row holding NaN is reported so its head leaves it out.
"""

from __future__ import annotations

import numpy as np

from tuiheat.core.filerows import is_bfloat16
from tuiheat.core.scratch import Scratch

TINY = np.float32(np.finfo(np.float32).tiny)  # ln of it is finite: 0·ln(TINY) = 0
F16_LIMIT, BF16_LIMIT = 0x7C00, 0x7F80  # the first word that is no finite value ≥ 0
SUBNORMAL_F16 = 0x0400  # float16 words below this have exponent 0


def row_values(
    block: np.ndarray, stat: str, q0: int, scratch: Scratch
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's value of ``stat`` (float64) and whether the row held NaN. The rows are
    query rows ``q0``, ``q0 + 1``, …; ``prev`` and ``diag`` read key ``q − 1`` and ``q``
    (0 where there is none: the caller leaves those rows out)."""
    limit = F16_LIMIT if block.dtype == np.float16 else BF16_LIMIT
    q = np.arange(q0, q0 + len(block))
    if not (block.dtype == np.float16 or is_bfloat16(block.dtype)) or block.size == 0:
        return _plain(np.asarray(_widened(block), dtype=np.float32), stat, q, scratch)
    words = block.view(np.uint16)
    top = words.max(axis=1)
    odd = np.flatnonzero(top >= limit)
    if stat == "entropy":
        values = _entropy(_widened_words(words, block.dtype, scratch), scratch)
    elif stat == "max":
        values = _widened(top.view(block.dtype)).astype(np.float64)
    else:
        values = _picked(block, stat, q)
    nan = np.zeros(len(block), dtype=bool)
    if odd.size:  # rows with NaN, infinities or signs: the plain way
        part = np.asarray(_widened(block[odd]), dtype=np.float32)
        values[odd], nan[odd] = _plain(part, stat, q[odd], Scratch())
    return values, nan


def _plain(
    wide: np.ndarray, stat: str, q: np.ndarray, scratch: Scratch
) -> tuple[np.ndarray, np.ndarray]:
    """The statistic of float32 rows, NaN found as it propagates (``max`` keeps it)."""
    with np.errstate(invalid="ignore"):
        if stat == "entropy":
            positive = np.maximum(wide, 0, out=scratch.take("positive", wide.shape, np.float32))
            values = _entropy(positive, scratch)
            return values, np.isnan(values)
        top = wide.max(axis=1, initial=-np.inf)
        values = top.astype(np.float64) if stat == "max" else _picked(wide, stat, q)
        return values, np.isnan(top)


def _entropy(wide: np.ndarray, scratch: Scratch) -> np.ndarray:
    """−Σ p·ln p of rows of values ≥ 0 (or NaN), 0·ln 0 = 0: terms in float32 on a reused
    buffer, summed in float64."""
    terms = np.maximum(wide, TINY, out=scratch.take("terms", wide.shape, np.float32))
    with np.errstate(divide="ignore", invalid="ignore"):
        np.log(terms, out=terms)
        np.multiply(terms, wide, out=terms)
    return -terms.sum(axis=1, dtype=np.float64)


def _picked(rows: np.ndarray, stat: str, q: np.ndarray) -> np.ndarray:
    """``first``: key 0; ``prev``: key q − 1; ``diag``: key q, for the rows of queries
    ``q`` (float64; 0 where there is no such key)."""
    n, n_k = rows.shape
    if stat == "first":
        return np.asarray(_widened(rows[:, 0]), dtype=np.float64)
    key = q - 1 if stat == "prev" else q
    picked = np.zeros(n)
    ok = np.flatnonzero((key >= 0) & (key < n_k))
    picked[ok] = _widened(rows[ok, key[ok]])
    return picked


def _widened(values: np.ndarray) -> np.ndarray:
    """bfloat16 words as float32 (exact); any other dtype as it is."""
    if not is_bfloat16(values.dtype):
        return values
    return (np.asarray(values).view(np.uint16).astype(np.uint32) << 16).view(np.float32)


def _widened_words(words: np.ndarray, dtype: np.dtype, scratch: Scratch) -> np.ndarray:
    """16-bit words of finite values ≥ 0 as float32, exactly, with integer operations (rows
    holding other words come out wrong and are redone by the caller)."""
    with np.errstate(all="ignore"):  # words of other rows may overflow: redone anyway
        return _widen_words(words, dtype, scratch)


def _widen_words(words: np.ndarray, dtype: np.dtype, scratch: Scratch) -> np.ndarray:
    bits = scratch.take("bits", words.shape, np.uint32)
    np.copyto(bits, words)
    if dtype != np.float16:  # bfloat16: the high half of a float32
        np.left_shift(bits, 16, out=bits)
        return bits.view(np.float32)
    # float16 e, m -> float32 e + 112, m << 13: right for normal numbers. A subnormal
    # (e = 0) then reads 2^-14·(1 + m/1024) once 1 << 23 is added; 2^-14 off is m·2^-24.
    np.left_shift(bits, 13, out=bits)
    np.add(bits, np.uint32(112 << 23), out=bits)
    fix = scratch.take("fix", words.shape, np.uint32)
    np.less(words, SUBNORMAL_F16, out=fix)
    np.left_shift(fix, 23, out=fix)  # 1 << 23 on subnormals (2^-126 read as float32)
    np.add(bits, fix, out=bits)
    shift = fix.view(np.float32)
    np.multiply(shift, np.float32(2.0**112), out=shift)  # 2^-14 on subnormals, else 0
    values = bits.view(np.float32)
    np.subtract(values, shift, out=values)
    return values
