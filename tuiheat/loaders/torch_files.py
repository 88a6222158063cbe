""".pt / .pth files, read by PyTorch's restricted loader (``weights_only=True``) and never otherwise.

PyTorch is an optional extra, imported only here. ``weights_only`` unpickles tensors,
containers and plain values and refuses every other global, so a file whose pickle
would run code is an error, never an action; there is no fallback to full unpickling.

What a file may hold: a tensor; a list or tuple of equally shaped tensors (stacked along
a new first axis: HuggingFace's ``output_attentions`` tuple becomes [layer, head, q, k]);
or a dict of those (``--key`` picks one) with optional label entries.
"""

from __future__ import annotations

import io
import pickle
import re
import warnings
from collections.abc import Mapping

import numpy as np

from tuiheat.core.labels import sanitize
from tuiheat.core.tensor import SliceError, Tensor
from tuiheat.loaders.arrays import as_tensor_array
from tuiheat.loaders.base import MAX_MEMORY_BYTES, LoadError, Source

LABEL_KEYS = ("tokens", "input_tokens", "labels", "row_labels", "col_labels", "axes")
INSTALL_HINT = (
    "reading .pt files needs PyTorch: pip install 'tuiheat[torch]' (or pip install torch)"
)


def _import_torch():  # type: ignore[no-untyped-def]
    try:
        import torch
    except ImportError:
        raise LoadError(INSTALL_HINT) from None
    return torch


def load_pt(source: Source, key: str | None = None) -> Tensor:
    torch = _import_torch()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch's own notes on pickle protocols and such
            obj = _torch_load(torch, source)
    except Exception as err:  # UnpicklingError for refused globals, RuntimeError for bad zips, ...
        raise LoadError(_refusal(err)) from None
    return _to_tensor(torch, obj, key)


def _torch_load(torch, source: Source) -> object:  # type: ignore[no-untyped-def]
    """torch.load with weights_only; memory-mapped when the file allows it."""
    if source.path is None:
        return torch.load(io.BytesIO(source.data or b""), map_location="cpu", weights_only=True)
    try:
        return torch.load(source.path, map_location="cpu", weights_only=True, mmap=True)
    except RuntimeError as err:
        if "mmap" not in str(err):
            raise
        return torch.load(source.path, map_location="cpu", weights_only=True)


def _refusal(err: BaseException) -> str:
    """One line: a refused pickle names what it asked for; anything else is unreadable."""
    text = " ".join(str(err).split())
    if isinstance(err, pickle.UnpicklingError) or "weights_only" in text:
        found = re.search(r"Unsupported global: GLOBAL ([\w.]+)", text)
        what = f" ({sanitize(found.group(1))})" if found else ""
        return (
            f"refused: its pickle asks for more than tensors{what}; "
            "tuiheat loads .pt files with weights_only and never runs code from a file"
        )
    return f"not a readable PyTorch file ({sanitize(text[:160]) or type(err).__name__})"


def _to_tensor(torch, obj: object, key: str | None) -> Tensor:  # type: ignore[no-untyped-def]
    labels: dict[str, object] = {}
    if isinstance(obj, Mapping):
        entries = {str(k): v for k, v in obj.items()}
        labels = {k: entries[k] for k in LABEL_KEYS if k in entries}
        arrays = {
            k: v for k, v in entries.items() if k not in LABEL_KEYS and _is_arraylike(torch, v)
        }
        listing = ", ".join(f"{k} ({_describe(torch, v)})" for k, v in arrays.items()) or "none"
        if key is not None:
            if key not in entries:
                raise LoadError(f"no entry {key!r}; the file holds: {listing}")
            obj = entries[key]
        elif len(arrays) == 1:
            obj = next(iter(arrays.values()))
        elif not arrays:
            raise LoadError(f"no tensor among the entries: {', '.join(entries) or 'none'}")
        else:
            raise LoadError(f"holds several tensors; pick one with --key: {listing}")
    elif key is not None:
        raise LoadError("--key picks an entry of a dict; this file holds a single value")
    array, stacked = _as_array(torch, obj)
    array = as_tensor_array(array)
    tensor = Tensor(array, _default_names(array, stacked))
    try:
        return _apply_labels(tensor, labels)
    except SliceError as err:
        raise LoadError(str(err)) from None


def _is_arraylike(torch, value: object) -> bool:  # type: ignore[no-untyped-def]
    if isinstance(value, torch.Tensor):
        return True
    return (
        isinstance(value, (list, tuple))
        and bool(value)
        and all(isinstance(v, torch.Tensor) for v in value)
    )


def _describe(torch, value: object) -> str:  # type: ignore[no-untyped-def]
    if isinstance(value, torch.Tensor):
        return "×".join(str(n) for n in value.shape) + f" {str(value.dtype).replace('torch.', '')}"
    if isinstance(value, (list, tuple)):
        return f"{len(value)} tensors"
    return type(value).__name__


def _numpy(torch, t) -> np.ndarray:  # type: ignore[no-untyped-def]
    if t.is_complex():
        raise LoadError("the tensor holds complex numbers; save t.abs() or t.real instead")
    if t.dtype in (torch.bfloat16, torch.float16):
        t = t.to(torch.float32)  # numpy has no bfloat16; float32 shows both exactly
    if t.element_size() * t.numel() > MAX_MEMORY_BYTES:
        raise LoadError(f"the tensor is larger than {MAX_MEMORY_BYTES // 1024**3} GiB")
    # A copy: a memory-mapped .pt that changed on disk must never be read through its mapping.
    return np.array(t.detach().cpu().contiguous().numpy())


def _as_array(torch, obj: object) -> tuple[np.ndarray, bool]:  # type: ignore[no-untyped-def]
    """The array, and whether it was stacked from a list or tuple."""
    if isinstance(obj, torch.Tensor):
        return _numpy(torch, obj), False
    if isinstance(obj, (list, tuple)) and obj and all(isinstance(v, torch.Tensor) for v in obj):
        shapes = {tuple(v.shape) for v in obj}
        if len(shapes) != 1:
            raise LoadError(f"the {len(obj)} tensors have different shapes and cannot be stacked")
        return np.stack([_numpy(torch, v) for v in obj]), True
    raise LoadError(f"holds a {type(obj).__name__}, not a tensor (or a list of tensors)")


def _default_names(array: np.ndarray, stacked: bool) -> tuple[str, ...]:
    """HuggingFace's attentions tuple, once stacked and squeezed, is [layer, head, q, k]."""
    if stacked and array.ndim == 4 and array.shape[-1] == array.shape[-2]:
        return ("layer", "head", "q", "k")
    if array.ndim == 2:
        return ()
    return tuple(f"dim{i}" for i in range(array.ndim))


def _strings(value: object, what: str) -> list[str]:
    if isinstance(value, (list, tuple)) and all(isinstance(x, (str, int, float)) for x in value):
        return [str(x) for x in value]
    raise LoadError(f"entry {what!r} should be a list of strings")


def _apply_labels(tensor: Tensor, labels: Mapping[str, object]) -> Tensor:
    if "axes" in labels:
        tensor = tensor.with_names(_strings(labels["axes"], "axes"))
    for k in ("tokens", "input_tokens", "labels"):
        if k in labels:
            tokens = labels[k]
            # A batch of one: [["<s>", "a", ...]]
            if (
                isinstance(tokens, (list, tuple))
                and len(tokens) == 1
                and isinstance(tokens[0], (list, tuple))
            ):
                tokens = tokens[0]
            tensor = tensor.with_tokens(_strings(tokens, k))
            break
    for k, axis in (("row_labels", tensor.ndim - 2), ("col_labels", tensor.ndim - 1)):
        if k in labels:
            tensor = tensor.with_axis_labels(axis, _strings(labels[k], k), f"labels in entry {k!r}")
    return tensor


def load_pt_strings(source: Source, key: str) -> np.ndarray:
    """A dict entry of nested lists of strings (``--text``), loaded with weights_only."""
    torch = _import_torch()
    try:
        obj = torch.load(
            source.path or io.BytesIO(source.data or b""), map_location="cpu", weights_only=True
        )
    except Exception as err:
        raise LoadError(_refusal(err)) from None
    if not isinstance(obj, Mapping) or key not in obj:
        raise LoadError(f"no entry {key!r} in the file")
    try:
        grid = np.array(obj[key], dtype=str)
    except (ValueError, TypeError):
        raise LoadError(f"entry {key!r} is not a grid of strings") from None
    if grid.ndim < 2:
        raise LoadError(f"entry {key!r} is not a grid (it has {grid.ndim} axes)")
    return grid
