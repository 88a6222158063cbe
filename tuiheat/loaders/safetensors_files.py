""".safetensors: tensors by name through the ``safetensors`` package (an optional extra).

The package's numpy API cannot represent bfloat16, which model weights and
activations often are; those tensors are read from the file's own byte offsets
(the format is a JSON header and raw little-endian data) and widened to float32.
Sizes in the header are checked against the file before anything is read.
"""

from __future__ import annotations

import json
import struct

import numpy as np

from tuiheat.core.tensor import SliceError, Tensor
from tuiheat.loaders.arrays import as_tensor_array
from tuiheat.loaders.base import MAX_MEMORY_BYTES, LoadError, Source

INSTALL_HINT = (
    "reading .safetensors needs the safetensors package: pip install 'tuiheat[safetensors]'"
)
MAX_HEADER = 100 * 1024**2
DTYPES = {
    "BOOL": "|b1", "U8": "|u1", "I8": "|i1", "U16": "<u2", "I16": "<i2", "F16": "<f2",
    "U32": "<u4", "I32": "<i4", "F32": "<f4", "U64": "<u8", "I64": "<i8", "F64": "<f8",
    "BF16": "<u2",
}  # fmt: skip
LABEL_KEYS = ("tokens", "input_tokens", "labels", "axes", "row_labels", "col_labels")


def read_header(source: Source) -> tuple[dict[str, dict], dict[str, str], int]:
    """Tensor entries, metadata, and where the data starts; every offset checked."""
    with source.open_binary() as fh:
        raw = fh.read(8)
        if len(raw) != 8:
            raise LoadError("not a safetensors file (too short)")
        (length,) = struct.unpack("<Q", raw)
        if length > MAX_HEADER or length > source.size - 8:
            raise LoadError("not a safetensors file (its header length is impossible)")
        try:
            header = json.loads(fh.read(length))
        except (ValueError, RecursionError):
            raise LoadError("not a safetensors file (its header is not JSON)") from None
    if not isinstance(header, dict):
        raise LoadError("not a safetensors file (its header is not an object)")
    metadata = header.pop("__metadata__", None) or {}
    data_start = 8 + length
    for name, entry in header.items():
        try:
            begin, end = (int(x) for x in entry["data_offsets"])
            count = int(np.prod(entry["shape"], dtype=np.int64))
            itemsize = np.dtype(DTYPES[entry["dtype"]]).itemsize if entry["dtype"] in DTYPES else 0
        except (KeyError, TypeError, ValueError):
            raise LoadError(f"tensor {name!r} has a damaged header entry") from None
        if not 0 <= begin <= end <= source.size - data_start:
            raise LoadError(f"tensor {name!r} points outside the file (truncated?)")
        if itemsize and end - begin != count * itemsize:
            raise LoadError(f"tensor {name!r}: its size does not match its shape")
    return header, {str(k): str(v) for k, v in metadata.items()}, data_start


def load_safetensors(source: Source, key: str | None = None) -> Tensor:
    try:
        from safetensors import safe_open
    except ImportError:
        raise LoadError(INSTALL_HINT) from None
    if source.path is None:
        raise LoadError("safetensors are read from a file, not from standard input")
    header, metadata, data_start = read_header(source)
    arrays = {k: v for k, v in header.items() if k not in LABEL_KEYS and len(v["shape"]) >= 2}
    listing = ", ".join(
        f"{k} ({'×'.join(map(str, v['shape']))} {v['dtype']})" for k, v in header.items()
    )
    if key is not None:
        if key not in header:
            raise LoadError(f"no tensor {key!r}; the file holds: {listing or 'nothing'}")
        name = key
    elif len(arrays) == 1:
        name = next(iter(arrays))
    elif not arrays:
        raise LoadError(f"no tensor of 2 or more axes; the file holds: {listing or 'nothing'}")
    else:
        raise LoadError(f"holds several tensors; pick one with --key: {listing}")
    entry = header[name]
    dtype = entry["dtype"]
    if dtype not in DTYPES:
        raise LoadError(f"tensor {name!r} has dtype {dtype}, which tuiheat cannot show")
    nbytes = entry["data_offsets"][1] - entry["data_offsets"][0]
    if nbytes > MAX_MEMORY_BYTES:
        raise LoadError(f"tensor {name!r} is larger than {MAX_MEMORY_BYTES // 1024**3} GiB")
    if dtype == "BF16":
        with open(source.path, "rb") as fh:
            fh.seek(data_start + entry["data_offsets"][0])
            raw = np.frombuffer(fh.read(nbytes), dtype="<u2")
        array = (raw.astype(np.uint32) << 16).view(np.float32).reshape(entry["shape"])
    else:
        try:
            with safe_open(str(source.path), framework="numpy") as f:
                array = f.get_tensor(name)
        except Exception as err:  # the package raises its own error types
            raise LoadError(f"tensor {name!r} cannot be read ({str(err)[:120]})") from None
    tensor = Tensor(as_tensor_array(np.asarray(array), f"tensor {name!r}"))
    try:
        return _apply_metadata(tensor, metadata)
    except SliceError as err:
        raise LoadError(str(err)) from None


def _label_list(text: str, what: str) -> list[str]:
    """Metadata values are strings: a JSON list, or comma-separated names."""
    try:
        value = json.loads(text)
    except ValueError:
        return [part.strip() for part in text.split(",")]
    if isinstance(value, list) and all(isinstance(x, (str, int, float)) for x in value):
        return [str(x) for x in value]
    raise LoadError(f"metadata {what!r} should be a JSON list of strings")


def _apply_metadata(tensor: Tensor, metadata: dict[str, str]) -> Tensor:
    if "axes" in metadata:
        tensor = tensor.with_names(_label_list(metadata["axes"], "axes"))
    for k in ("tokens", "input_tokens", "labels"):
        if k in metadata:
            tensor = tensor.with_tokens(_label_list(metadata[k], k))
            break
    for k, axis in (("row_labels", tensor.ndim - 2), ("col_labels", tensor.ndim - 1)):
        if k in metadata:
            found = _label_list(metadata[k], k)
            tensor = tensor.with_axis_labels(axis, found, f"labels in metadata {k!r}")
    return Tensor(tensor.values, tensor.names, tensor.labels, metadata.get("title", ""))
