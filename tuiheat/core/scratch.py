"""Buffers reused by the pieces of one pass over a big matrix.

A fresh temporary per piece is a fresh mapping the kernel must fault in page by page
(allocations of megabytes come from ``mmap``); one buffer per role, grown when a piece
is bigger and sliced when it is smaller, is faulted in once per pass.
"""

from __future__ import annotations

import math

import numpy as np


class Scratch:
    """Named buffers, each the size of the biggest piece asked for so far."""

    def __init__(self) -> None:
        self._flat: dict[tuple[str, np.dtype], np.ndarray] = {}

    def take(self, name: str, shape: tuple[int, ...], dtype: type | np.dtype) -> np.ndarray:
        """A C-ordered array of ``shape`` whose contents are left over from the last use:
        valid until ``name`` is taken again."""
        kind = np.dtype(dtype)
        size = math.prod(shape)
        flat = self._flat.get((name, kind))
        if flat is None or flat.size < size:
            flat = self._flat[(name, kind)] = np.empty(max(1, size), dtype=kind)
        return flat[:size].reshape(shape)
