"""In-memory objects for ``tuiheat.show``: numpy arrays, torch tensors, nested lists, DataFrames.

Nothing here imports torch or pandas: a torch tensor is recognised by its type's
module and converted with its own methods, a DataFrame by its ``index``,
``columns`` and ``to_numpy``. Anything else numpy can turn into numbers
(``__array__``: JAX, xarray, CuPy-on-host) goes through ``np.asarray``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from tuiheat.core import HeatMatrix
from tuiheat.core.matrix import DEFAULT_COL_TITLE, DEFAULT_ROW_TITLE
from tuiheat.core.tensor import SliceError, Tensor
from tuiheat.loaders.arrays import as_tensor_array
from tuiheat.loaders.base import LoadError


def tensor_from_object(
    data: Any,
    row_labels: Sequence[object] | None = None,
    col_labels: Sequence[object] | None = None,
    title: str = "",
) -> Tensor:
    """``data`` as a Tensor; labels given here win over a DataFrame's index and columns."""
    if isinstance(data, HeatMatrix):
        tensor = Tensor.from_matrix(data)
    elif isinstance(data, Tensor):
        tensor = data
    else:
        values, labels, names = _values_and_labels(data)
        array = as_tensor_array(values, f"the {type(data).__name__}")
        if array.ndim != values.ndim:  # length-1 axes dropped: so are their labels and names
            labels, names = (None,) * array.ndim, ()
        tensor = Tensor(array, names=names, labels=labels or ())
    return _relabel(tensor, row_labels, col_labels, title)


def _values_and_labels(
    data: Any,
) -> tuple[np.ndarray, tuple[tuple[str, ...] | None, ...], tuple[str, ...]]:
    if _is_dataframe(data):
        try:
            values = np.asarray(data.to_numpy(dtype=np.float64))
        except (TypeError, ValueError):
            kinds = ", ".join(sorted({str(t) for t in getattr(data, "dtypes", [])}))
            raise LoadError(
                f"the DataFrame has columns that are not numbers ({kinds}); "
                "select the numeric ones, e.g. df.select_dtypes('number')"
            ) from None
        rows, cols = data.index, data.columns
        names = tuple(
            str(n) if n is not None else default
            for n, default in ((rows.name, DEFAULT_ROW_TITLE), (cols.name, DEFAULT_COL_TITLE))
        )
        if names[0] == names[1]:
            names = (names[0], f"{names[1]} ")
        return values, (_label_strings(rows), _label_strings(cols)), names
    if _is_torch_tensor(data):
        return _torch_values(data), (), ()
    if hasattr(data, "shape") and hasattr(data, "dtype") and not isinstance(data, np.ndarray):
        try:
            return np.asarray(data), (), ()  # JAX, xarray, ... (anything with __array__)
        except (TypeError, ValueError) as err:
            raise LoadError(f"cannot turn a {type(data).__name__} into numbers: {err}") from None
    if isinstance(data, np.ndarray):
        return data, (), ()
    if isinstance(data, (list, tuple)):
        return _nested(data), (), ()
    raise LoadError(
        f"cannot show a {type(data).__name__}: give a numpy array, a torch tensor, "
        "a pandas DataFrame or a nested list of numbers"
    )


def _nested(data: Sequence[Any]) -> np.ndarray:
    """Rows of numbers (None becomes NaN); ragged rows and text are clear errors."""
    try:
        return np.asarray(data, dtype=np.float64)
    except ValueError as err:
        if "inhomogeneous" in str(err) or "sequence" in str(err):
            raise LoadError(
                "the nested lists are ragged: every row needs the same length"
            ) from None
        raise LoadError(f"the nested lists hold something that is not a number ({err})") from None
    except TypeError as err:
        raise LoadError(f"the nested lists hold something that is not a number ({err})") from None


def _is_dataframe(data: Any) -> bool:
    return all(hasattr(data, name) for name in ("index", "columns", "to_numpy", "iloc"))


def _is_torch_tensor(data: Any) -> bool:
    module = type(data).__module__ or ""
    return module.split(".")[0] == "torch" and hasattr(data, "detach")


def _torch_values(data: Any) -> np.ndarray:
    """A CPU float copy when needed (bfloat16 and half have no numpy twin; GPU memory is not host)."""
    tensor = data.detach()
    if getattr(tensor, "is_complex", lambda: False)():
        raise LoadError("the tensor holds complex numbers; show x.abs() or x.real instead")
    if str(tensor.dtype) in ("torch.bfloat16", "torch.float16"):
        tensor = tensor.float()
    if getattr(tensor, "device", None) is not None and str(tensor.device) != "cpu":
        tensor = tensor.cpu()
    try:
        return np.asarray(tensor.numpy())
    except (TypeError, RuntimeError) as err:
        raise LoadError(f"cannot read the tensor ({tensor.dtype}): {err}") from None


def _label_strings(index: Any) -> tuple[str, ...]:
    """Index entries as text; a MultiIndex entry (a tuple) becomes ``a/b``."""
    return tuple(
        "/".join(str(part) for part in item) if isinstance(item, tuple) else str(item)
        for item in list(index)
    )


def _relabel(
    tensor: Tensor,
    row_labels: Sequence[object] | None,
    col_labels: Sequence[object] | None,
    title: str,
) -> Tensor:
    """Labels for the two axes on screen by default (the last two), and the title."""
    try:
        for axis, given, what in (
            (tensor.ndim - 2, row_labels, "row labels"),
            (tensor.ndim - 1, col_labels, "column labels"),
        ):
            if given is not None:
                tensor = tensor.with_axis_labels(axis, [str(x) for x in given], what)
    except SliceError as err:
        raise LoadError(str(err)) from None
    return replace(tensor, title=title) if title else tensor
