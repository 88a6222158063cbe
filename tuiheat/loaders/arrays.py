"""Turning a numpy array of any dtype and shape into the 2-D real matrix tuiheat shows."""

from __future__ import annotations

import math

import numpy as np

from tuiheat.core import shape_text
from tuiheat.loaders.base import LoadError

_REFUSED_KINDS = {
    "c": "complex numbers; save np.abs(x) or x.real instead",
    "U": "text, not numbers",
    "S": "bytes, not numbers",
    "O": "Python objects, which would need unpickling (tuiheat never unpickles)",
    "V": "structured records, not plain numbers",
    "M": "dates and times, not numbers",
    "m": "time spans, not numbers",
}


def check_dtype(dtype: np.dtype, what: str = "the array") -> None:
    """Refuse every dtype that is not bool, integer or float, saying what it is."""
    if dtype.hasobject:
        raise LoadError(f"{what} holds {_REFUSED_KINDS['O']}")
    reason = _REFUSED_KINDS.get(dtype.kind)
    if reason is not None:
        raise LoadError(f"{what} holds {reason} (dtype {dtype})")
    if dtype.kind not in "biuf":
        raise LoadError(f"{what} has the unsupported dtype {dtype}")


def impossible_shape(shape: tuple[int, ...], dtype: object, itemsize: int) -> str:
    """Why no array can have ``shape`` (empty: it can). A header is data: a hostile one
    declares ``-1``, or dimensions whose product numpy refuses or wraps around."""
    if any(n < 0 for n in shape):
        return f"a negative dimension ({_shape_words(shape)})"
    # numpy refuses an array whose byte count, zero-length axes aside, overflows its index type.
    if math.prod(max(n, 1) for n in shape) * max(itemsize, 1) > np.iinfo(np.intp).max:
        return f"{_shape_words(shape)} {dtype}, more than any array can hold"
    return ""


def _shape_words(shape: tuple[int, ...]) -> str:
    """The shape for a message, each dimension cut to 20 digits (a header can hold 4000)."""
    words = [str(n) for n in shape]
    return "×".join(w if len(w) <= 20 else f"{w[:8]}…({len(w)} digits)" for w in words)


def as_tensor_array(array: np.ndarray, what: str = "the array") -> np.ndarray:
    """A real array of 2 or more axes; length-1 axes are dropped while more than two remain.

    Dropping is a view, so a memory map stays a memory map ([1, 12, 17, 17] -> [12, 17, 17]).
    """
    check_dtype(array.dtype, what)
    if array.size == 0:
        raise LoadError(f"{what} is empty (shape {shape_text(array.shape)})")
    if array.ndim == 0:
        raise LoadError(f"{what} is a single number, not a matrix")
    if array.ndim == 1:
        raise LoadError(
            f"{what} is 1-D (length {array.shape[0]}); tuiheat shows 2-D matrices "
            "(reshape it, e.g. x[None, :] for one row)"
        )
    while array.ndim > 2 and 1 in array.shape:
        array = np.squeeze(array, axis=array.shape.index(1))
    return array


def label_strings(array: np.ndarray, what: str) -> tuple[str, ...]:
    """A 1-D array of labels (text, bytes or numbers) as strings."""
    if array.dtype.hasobject:
        raise LoadError(
            f"{what} holds Python objects (pickled); tuiheat never unpickles: "
            "save labels as a string array, e.g. np.array(tokens, dtype=str)"
        )
    flat = np.asarray(array).reshape(-1)
    if flat.dtype.kind == "S":
        return tuple(bytes(x).decode("utf-8", errors="replace") for x in flat)
    if flat.dtype.kind in "Ubiuf":
        return tuple(str(x) for x in flat.tolist())
    raise LoadError(f"{what} has dtype {array.dtype}, not text")


def scalar_string(array: np.ndarray, what: str) -> str:
    labels = label_strings(array, what)
    if len(labels) != 1:
        raise LoadError(f"{what} should hold one string, not {len(labels)}")
    return labels[0]


def scalar_float(array: np.ndarray, what: str) -> float:
    if array.size != 1 or array.dtype.kind not in "biuf":
        raise LoadError(f"{what} should be a single number")
    value = float(np.asarray(array).reshape(-1)[0])
    if not np.isfinite(value):
        raise LoadError(f"{what} must be finite, got {value}")
    return value
