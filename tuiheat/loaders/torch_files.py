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

from tuiheat.core.catalog import HEATMAP, LABELS, OTHER, SCALAR, Catalog, Entry
from tuiheat.core.labels import sanitize
from tuiheat.core.tensor import SliceError, Tensor
from tuiheat.loaders.arrays import as_tensor_array
from tuiheat.loaders.base import MAX_MEMORY_BYTES, LoadError, Source
from tuiheat.loaders.bundle import BundleMeta, choose, describe, member_kind, meta_from_mapping

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
    return _to_tensor(torch, _load(torch, source), key, source.name)


def _load(torch, source: Source) -> object:  # type: ignore[no-untyped-def]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch's own notes on pickle protocols and such
            return _torch_load(torch, source)
    except Exception as err:  # UnpicklingError for refused globals, RuntimeError for bad zips, ...
        raise LoadError(_refusal(err)) from None


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


def pt_catalog(source: Source) -> Catalog:
    """What the file holds, one entry per tensor (or stack of tensors) of a dict or list."""
    torch = _import_torch()
    return Catalog(source.name, tuple(e for e, _ in _members(torch, _load(torch, source))))


def _to_tensor(torch, obj: object, key: str | None, name: str = "") -> Tensor:  # type: ignore[no-untyped-def]
    members = _members(torch, obj)
    if not isinstance(obj, Mapping) and (len(members) == 1 and members[0][0].key == WHOLE):
        if key is not None:
            raise LoadError("--key picks an entry of a dict; this file holds a single value")
        array, stacked = _as_array(torch, obj)
        return _tensor(array, stacked, BundleMeta())
    catalog = Catalog(name, tuple(entry for entry, _ in members))
    if not any(e.kind == HEATMAP for e in catalog.entries) and key is None:
        found = ", ".join(e.key for e in catalog.entries) or "none"
        raise LoadError(f"no tensor among the entries: {found}")
    chosen = choose(catalog, key, "entry")
    value = dict((e.key, v) for e, v in members)[chosen.key]
    array, stacked = _as_array(torch, value)
    meta = _meta(torch, obj, chosen.key) if isinstance(obj, Mapping) else BundleMeta()
    return _tensor(array, stacked, meta, chosen.key)


WHOLE = ""  # the key of a list of equal tensors opened as one stacked array


def _members(torch, obj: object) -> list[tuple[Entry, object]]:  # type: ignore[no-untyped-def]
    """Catalog entries with their values: a dict's entries, or a list's items when they
    cannot be stacked; a list of equally shaped tensors is one entry (``WHOLE``)."""
    if isinstance(obj, Mapping):
        items = [(str(k), v) for k, v in obj.items()]
    elif isinstance(obj, (list, tuple)) and obj and not _stackable(torch, obj):
        items = [(str(i), v) for i, v in enumerate(obj)]
    else:
        items = [(WHOLE, obj)]
    return [(_entry(torch, name, value), value) for name, value in items]


def _stackable(torch, value: object) -> bool:  # type: ignore[no-untyped-def]
    return (
        isinstance(value, (list, tuple))
        and bool(value)
        and all(isinstance(v, torch.Tensor) for v in value)
        and len({tuple(v.shape) for v in value}) == 1
    )


def _entry(torch, name: str, value: object) -> Entry:  # type: ignore[no-untyped-def]
    if isinstance(value, torch.Tensor):
        dtype = str(value.dtype).replace("torch.", "")
        kind = member_kind(name, tuple(value.shape), _dtype_kind(torch, value))
        return Entry(name, kind, tuple(value.shape), dtype, value.element_size() * value.numel())
    if _stackable(torch, value):
        first = value[0]  # type: ignore[index]
        shape = (len(value), *first.shape)  # type: ignore[arg-type]
        dtype = str(first.dtype).replace("torch.", "")
        nbytes = first.element_size() * first.numel() * len(value)  # type: ignore[arg-type]
        return Entry(name, HEATMAP, shape, dtype, nbytes, f"{len(value)} tensors stacked")  # type: ignore[arg-type]
    if isinstance(value, (list, tuple)):
        return Entry(name, LABELS if value and _label_list(value) else OTHER, (len(value),), "list")
    if isinstance(value, (str, int, float)):
        return Entry(name, SCALAR, (), type(value).__name__)
    return Entry(name, OTHER, (), type(value).__name__)


def _dtype_kind(torch, value) -> str:  # type: ignore[no-untyped-def]
    if value.is_complex():
        return "c"
    if value.dtype == torch.bool:
        return "b"
    return "f" if value.is_floating_point() else "i"


def _label_list(value: object) -> bool:
    items = value[0] if _batch_of_one(value) else value  # type: ignore[index]
    return all(isinstance(x, (str, int, float)) and not isinstance(x, bool) for x in items)  # type: ignore[union-attr]


def _batch_of_one(value: object) -> bool:
    """A tokenizer's batch of one: ``[["<s>", "a", ...]]``."""
    return (
        isinstance(value, (list, tuple)) and len(value) == 1 and isinstance(value[0], (list, tuple))
    )


def _meta(torch, obj: Mapping[object, object], chosen: str) -> BundleMeta:  # type: ignore[no-untyped-def]
    """Labels, axis names, titles and range from a dict's other entries."""
    plain: dict[str, object] = {}
    for k, v in obj.items():
        name = str(k)
        if name == chosen:
            continue
        if _batch_of_one(v):
            v = v[0]  # type: ignore[index]
        if isinstance(v, torch.Tensor):
            if v.dim() == 0:
                v = v.item()
            elif v.numel() > 1 and len([n for n in v.shape if n != 1]) == 1 and not v.is_complex():
                v = [x.item() if isinstance(x, torch.Tensor) else x for x in v.reshape(-1).tolist()]
        plain[name] = v
    return meta_from_mapping(plain, skip=chosen)


def _tensor(array: np.ndarray, stacked: bool, meta: BundleMeta, member: str = "") -> Tensor:
    array = as_tensor_array(array)
    try:
        tensor = Tensor(array, _default_names(array, stacked))
    except SliceError as err:
        raise LoadError(str(err)) from None
    return describe(tensor, meta, member)


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
    """The array, and whether it was stacked from a list or tuple (a new first axis)."""
    if isinstance(obj, torch.Tensor):
        return _numpy(torch, obj), False
    if _stackable(torch, obj):
        return np.stack([_numpy(torch, v) for v in obj]), True  # type: ignore[union-attr]
    if isinstance(obj, (list, tuple)) and obj and all(isinstance(v, torch.Tensor) for v in obj):
        raise LoadError(f"the {len(obj)} tensors have different shapes and cannot be stacked")
    raise LoadError(f"holds a {type(obj).__name__}, not a tensor (or a list of tensors)")


def _default_names(array: np.ndarray, stacked: bool) -> tuple[str, ...]:
    """A stacked list is one value per layer: HuggingFace's attentions tuple, once stacked
    and squeezed, is [layer, head, q, k]."""
    if stacked and array.ndim == 4 and array.shape[-1] == array.shape[-2]:
        return ("layer", "head", "q", "k")
    if array.ndim == 2:
        return ()  # Layer x Token, as for any 2-D file
    names = [f"dim{i}" for i in range(array.ndim)]
    if stacked:
        names[0] = "layer"
    return tuple(names)


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
