"""Attention weights told from other grids by their values, for arrays whose axes are unnamed.

Softmax attention has a signature no probe grid or summary has by chance: a square
[query, key] slice whose every row is non-negative and sums to 1. A ``[layers, tokens]``
summary (attention received per layer, attention from [CLS]) is not square and keeps
generic names. Only the first rows of one slice are read (at most ``ATTENTION_CHECK``
values, a megabyte), through ``pread`` when the array is a memory map.
"""

from __future__ import annotations

import numpy as np

from tuiheat.core.axislabels import ATTENTION_GUESS, Roles, apply_hints
from tuiheat.core.chunkrows import ChunkRows
from tuiheat.core.filerows import decoded, is_bfloat16, read_view
from tuiheat.core.tensor import Tensor, default_names

ATTENTION_CHECK = 1 << 18  # values of the first slice looked at (its first rows when bigger)


def looks_like_attention(values: np.ndarray, first: np.ndarray | None = None) -> bool:
    """Whether the first [query, key] slice is square floats, non-negative, rows summing to 1
    (``first``: its first rows, read already: a chunked store's ``values`` are only a shape)."""
    if values.ndim < 2 or not (values.dtype.kind == "f" or is_bfloat16(values.dtype)):
        return False  # 0/1 integers (a one-hot or permutation grid) are not weights
    n, m = values.shape[-2:]
    if n != m or n < 2:
        return False
    rows = max(1, min(n, ATTENTION_CHECK // m))
    if first is None:
        part = values[(0,) * (values.ndim - 2)][:rows]
        copied = read_view(part)  # never touch a memory map: see core.filerows
        first = np.asarray(decoded(part) if copied is None else copied, dtype=np.float64)
    if not (np.isfinite(first).all() and (first >= 0).all()):
        return False
    return bool(np.allclose(first.sum(axis=1), 1.0, rtol=0.0, atol=_tolerance(values.dtype)))


def _tolerance(dtype: np.dtype) -> float:
    """How far a row may be from 1: weights rounded to 16 bits (bfloat16 keeps 8) sum
    less exactly, and so do float32 weights a bfloat16 model computed."""
    if is_bfloat16(dtype) or (dtype.kind == "f" and dtype.itemsize <= 2):
        return 2.0**-5
    return 1e-2


def attention_roles(values: np.ndarray, first: np.ndarray | None = None) -> Roles | None:
    """What the axes of attention weights are: query and key for sure, the outer axes by the
    usual order of model outputs ([layer, head, query, key]); None for anything else."""
    guess = ATTENTION_GUESS.get(values.ndim)
    if guess is None or not looks_like_attention(values, first):
        return None
    known = tuple("" for _ in guess[:-2]) + guess[-2:]
    return Roles(known, guess)


def name_attention(tensor: Tensor) -> Tensor:
    """A tensor with unnamed axes, named as the attention weights it holds (if it does)."""
    if tensor.names != default_names(tensor.ndim):
        return tensor
    roles = attention_roles(tensor.values, first_rows(tensor))
    return tensor if roles is None else apply_hints(tensor, (), roles)


def first_rows(tensor: Tensor) -> np.ndarray | None:
    """The first rows of a chunked store's first [query, key] slice (None for an array)."""
    n, m = tensor.shape[-2:]
    if tensor.source is None or n != m or tensor.values.dtype.kind != "f":
        return None  # not weights: the placeholder's shape and dtype say so, nothing is read
    rows = max(1, min(n, ATTENTION_CHECK // max(1, m)))
    plane = ChunkRows(
        tensor.source.array, tensor.ndim - 2, tensor.ndim - 1, (0,) * (tensor.ndim - 2)
    )
    return plane.window(0, rows, 0, m)
