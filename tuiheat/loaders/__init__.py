"""One module per file format; ``load`` picks one by suffix, or by content for stdin and odd names.

Every failure is a ``LoadError`` whose message is one line for the user.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING

import numpy as np

from tuiheat.core import HeatMatrix
from tuiheat.core.attention import name_attention
from tuiheat.core.tensor import Tensor, default_spec, slice_matrix
from tuiheat.loaders.base import NPY_MAGIC, STDIN_NAME, ZIP_MAGIC, LoadError, Source, open_source

if TYPE_CHECKING:
    from tuiheat.loaders.stores import StoreOptions

Loader = Callable[[Source, "str | None"], "HeatMatrix | Tensor"]

# suffix -> "module:function"; a format's module (and its csv/json/zipfile imports)
# loads only when a file of that format is opened.
LOADERS: dict[str, str] = {
    ".csv": "delimited:load_delimited",
    ".tsv": "delimited:load_delimited",
    ".txt": "delimited:load_delimited",
    ".npy": "numpy_files:load_npy",
    ".npz": "numpy_files:load_npz",
    ".json": "jsondoc:load_json",
    ".pt": "torch_files:load_pt",
    ".pth": "torch_files:load_pt",
    ".safetensors": "safetensors_files:load_safetensors",
}
PICKLE_SUFFIXES = frozenset({".pkl", ".pickle"})


def get_loader(spec: str) -> Loader:
    module, function = spec.split(":")
    return getattr(import_module(f"tuiheat.loaders.{module}"), function)  # type: ignore[no-any-return]


def sniff(head: bytes) -> str:
    """Pick a loader from the first bytes when the suffix does not say."""
    if head.startswith(NPY_MAGIC):
        return LOADERS[".npy"]
    if head.startswith(ZIP_MAGIC):
        return LOADERS[".npz"]
    if head[:1] == b"\x80":
        raise LoadError("looks like a Python pickle; tuiheat never unpickles files")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"["):
        return LOADERS[".json"]
    return LOADERS[".csv"]


def load(name: str, key: str | None = None) -> HeatMatrix:
    """Load ``name`` as a HeatMatrix: the default 2-D view of whatever the file holds."""
    tensor = load_tensor(name, key)
    return slice_matrix(tensor, default_spec(tensor))


def load_tensor(
    name: str,
    key: str | None = None,
    delimiter: str | None = None,
    inflate_limit: int | None = None,
    store: StoreOptions | None = None,
) -> Tensor:
    """Load ``name`` (a path, or ``-`` for standard input) as a Tensor of 2 or more axes
    (``store``: how a Zarr or HDF5 array is read by chunk)."""
    from tuiheat.loaders.stores import load_store, store_kind

    if name != STDIN_NAME and store_kind(name) is not None:  # Zarr, HDF5: their libraries
        return name_attention(load_store(name, key, store))
    source = open_source(name)
    source.delimiter = delimiter
    source.inflate_limit = inflate_limit
    head = source.head(16)
    spec = LOADERS.get(source.suffix)
    if spec is None:
        if source.suffix in PICKLE_SUFFIXES:
            raise LoadError(
                f"{source.suffix} files hold pickles, which tuiheat never unpickles; "
                "save the matrix with numpy (np.save) instead"
            )
        spec = sniff(head)
    elif spec.startswith(("delimited", "jsondoc")) and head[:1] == b"\x80":
        raise LoadError("looks like a Python pickle; tuiheat never unpickles files")
    try:
        result = get_loader(spec)(source, key)
    except LoadError:
        raise
    except MemoryError:
        raise LoadError("not enough memory to load it") from None
    except RecursionError:
        raise LoadError("the file is nested too deeply") from None
    tensor = result if isinstance(result, Tensor) else Tensor.from_matrix(result)
    return name_attention(tensor)  # a CSV or nested JSON of attention weights, too


def load_text_grid(name: str, key: str) -> np.ndarray:
    """A grid of strings (``--text``): an npz string member, or a nested list in a .pt dict."""
    source = open_source(name)
    if source.suffix in (".pt", ".pth"):
        from tuiheat.loaders.torch_files import load_pt_strings

        return load_pt_strings(source, key)
    if source.suffix == ".npz" or source.head(4) == ZIP_MAGIC:
        from tuiheat.loaders.numpy_files import load_npz_strings

        return load_npz_strings(source, key)
    raise LoadError("a text grid (--text) is read from an .npz member or a .pt dict entry")


__all__ = [
    "LOADERS",
    "STDIN_NAME",
    "LoadError",
    "Source",
    "load",
    "load_tensor",
    "load_text_grid",
    "open_source",
]
