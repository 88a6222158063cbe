"""What a pass over a matrix found, kept for the next request: keyed by the data itself.

A transpose, a flattened tensor, a new pane of the same slice are new ``HeatMatrix``
objects over the same read-only values; they find what a pass over any of them found.
The key is the array that owns the memory (held weakly, so a closed file's entries go
with it) and the view's place, shape, strides and dtype; a zoomed view adds its zoom.
Values that can still be written (an array handed over in Python) are remembered on
the matrix object only, which dies with it.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from typing import Any

import numpy as np

from tuiheat.core.matrix import HeatMatrix

MAX_ENTRIES = 32
_ENTRIES: OrderedDict[tuple[object, ...], tuple[weakref.ref[Any], object]] = OrderedDict()


def _owner(values: np.ndarray) -> object:
    node: object = values
    while isinstance(node, np.ndarray) and node.base is not None:
        node = node.base
    return node


def _key(matrix: HeatMatrix) -> tuple[tuple[object, ...], object] | None:
    """(key, owner) of read-only data; None for data that may still change."""
    base = matrix.__dict__.get("_base")
    if base is not None:
        inner = _key(base)
        zoom = matrix.__dict__.get("_zoom")
        return None if inner is None else ((*inner[0], zoom), inner[1])
    if type(matrix).window is not HeatMatrix.window:
        return None
    values = matrix.values
    if values.flags.writeable:
        return None
    owner = _owner(values)
    where = values.__array_interface__["data"][0]
    return (id(owner), where, values.shape, values.strides, values.dtype.str), owner


def data_key(matrix: HeatMatrix) -> tuple[object, ...] | None:
    """What identifies ``matrix``'s read-only data (None: data that may still change)."""
    found = _key(matrix)
    return None if found is None else found[0]


def recall(matrix: HeatMatrix, tag: str) -> Any:
    """What was remembered for ``matrix``'s data under ``tag``, or None."""
    own = matrix.__dict__.get("_memo", {}).get(tag)
    if own is not None:
        return own
    found = _key(matrix)
    if found is None:
        return None
    entry = _ENTRIES.get((*found[0], tag))
    if entry is None or entry[0]() is not found[1]:
        return None
    _ENTRIES.move_to_end((*found[0], tag))
    return entry[1]


def remember(matrix: HeatMatrix, tag: str, value: object) -> None:
    """Keep ``value`` for ``matrix``'s data under ``tag`` (the last ``MAX_ENTRIES``)."""
    found = _key(matrix)
    if found is None:
        matrix.__dict__.setdefault("_memo", {})[tag] = value
        return
    try:
        ref = weakref.ref(found[1])
    except TypeError:  # an owner that cannot be referred to weakly: the object only
        matrix.__dict__.setdefault("_memo", {})[tag] = value
        return
    _ENTRIES[(*found[0], tag)] = (ref, value)
    _ENTRIES.move_to_end((*found[0], tag))
    while len(_ENTRIES) > MAX_ENTRIES:
        _ENTRIES.popitem(last=False)


def forget() -> None:
    """Drop everything remembered in the shared table (tests)."""
    _ENTRIES.clear()
