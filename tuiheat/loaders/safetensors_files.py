""".safetensors with numpy alone: a JSON header, then raw little-endian tensors, memory-mapped.

The format is eight bytes of header length, a JSON object naming each tensor's dtype,
shape and byte range, and the data. Every range is checked against the file before
anything is mapped; arrays up to ``COPY_BYTES`` are read into memory (a job that
rewrites the file cannot change what is on screen), bigger ones are memory-mapped and
read window by window. bfloat16 has no numpy dtype: its words are mapped as they are
and widened to float32 as each window is read (``core.filerows``).
"""

from __future__ import annotations

import json
import math
import struct
from dataclasses import dataclass

import numpy as np

from tuiheat.core.catalog import LABELS, OTHER, SCALAR, Catalog, Entry
from tuiheat.core.filerows import BFLOAT16, decoded
from tuiheat.core.tensor import SliceError, Tensor
from tuiheat.loaders.arrays import as_tensor_array, impossible_shape, label_strings
from tuiheat.loaders.base import LoadError, Source
from tuiheat.loaders.bundle import AXES_KEYS, BundleMeta, choose, describe, member_kind
from tuiheat.loaders.numpy_files import COPY_BYTES

MAX_HEADER = 100 * 1024**2
DTYPES: dict[str, np.dtype] = {
    "BOOL": np.dtype("|b1"), "U8": np.dtype("|u1"), "I8": np.dtype("|i1"),
    "U16": np.dtype("<u2"), "I16": np.dtype("<i2"), "F16": np.dtype("<f2"),
    "U32": np.dtype("<u4"), "I32": np.dtype("<i4"), "F32": np.dtype("<f4"),
    "U64": np.dtype("<u8"), "I64": np.dtype("<i8"), "F64": np.dtype("<f8"),
    "BF16": BFLOAT16,
}  # fmt: skip
LABEL_BYTES = 16 * 1024**2


@dataclass(frozen=True)
class Stored:
    """One tensor of the file: where its bytes are and how to read them."""

    name: str
    dtype: str  # the file's name for it: F32, BF16, ...
    shape: tuple[int, ...]
    start: int  # absolute file offset of the first byte
    nbytes: int

    @property
    def entry(self) -> Entry:
        numpy_dtype = DTYPES.get(self.dtype)
        kind = (
            OTHER if numpy_dtype is None else member_kind(self.name, self.shape, numpy_dtype.kind)
        )
        return Entry(self.name, kind, self.shape, self.dtype, self.nbytes)


def read_header(source: Source) -> tuple[list[Stored], dict[str, str]]:
    """The tensors and the string metadata; every offset checked against the file."""
    if source.path is None:
        raise LoadError("safetensors are read from a file, not from standard input")
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
    if not isinstance(metadata, dict):
        raise LoadError("not a safetensors file (its metadata is not an object)")
    data_start = 8 + length
    stored = [_stored(name, entry, data_start, source.size) for name, entry in header.items()]
    return stored, {str(k): str(v) for k, v in metadata.items()}


def _stored(name: str, entry: object, data_start: int, file_size: int) -> Stored:
    try:
        begin, end = (int(x) for x in entry["data_offsets"])  # type: ignore[index]
        shape = tuple(int(n) for n in entry["shape"])  # type: ignore[index]
        dtype = str(entry["dtype"])  # type: ignore[index]
    except (KeyError, TypeError, ValueError):
        raise LoadError(f"tensor {name!r} has a damaged header entry") from None
    wrong = impossible_shape(shape, dtype, DTYPES[dtype].itemsize if dtype in DTYPES else 1)
    if wrong:
        raise LoadError(f"tensor {name!r}: its header declares {wrong}")
    if not 0 <= begin <= end <= file_size - data_start:
        raise LoadError(f"tensor {name!r} points outside the file (truncated?)")
    if dtype in DTYPES and end - begin != math.prod(shape) * DTYPES[dtype].itemsize:
        raise LoadError(f"tensor {name!r}: its size does not match its shape")
    return Stored(name, dtype, shape, data_start + begin, end - begin)


def safetensors_catalog(source: Source) -> Catalog:
    stored, _ = read_header(source)
    return Catalog(source.name, tuple(s.entry for s in stored))


def load_safetensors(source: Source, key: str | None = None) -> Tensor:
    stored, metadata = read_header(source)
    catalog = Catalog(source.name, tuple(s.entry for s in stored))
    chosen = next(s for s in stored if s.name == choose(catalog, key, "tensor").key)
    if chosen.dtype not in DTYPES:
        raise LoadError(
            f"tensor {chosen.name!r} has dtype {chosen.dtype}, which tuiheat cannot show"
        )
    array = as_tensor_array(_array(source, chosen), f"tensor {chosen.name!r}")
    try:
        tensor = Tensor(array)
    except SliceError as err:
        raise LoadError(str(err)) from None
    meta = _metadata(metadata)
    for other in stored:
        if (
            other is not chosen
            and other.entry.kind in (LABELS, SCALAR)
            and other.nbytes <= LABEL_BYTES
        ):
            values = decoded(np.array(_array(source, other)))
            meta.add(other.name, label_strings(values, f"tensor {other.name!r}"))
    return describe(tensor, meta, chosen.name)


def _array(source: Source, stored: Stored) -> np.ndarray:
    """Small tensors read into memory (bf16 widened at once); big ones memory-mapped."""
    assert source.path is not None
    dtype = DTYPES[stored.dtype]
    if stored.nbytes == 0:
        return np.empty(stored.shape, dtype=np.float32 if stored.dtype == "BF16" else dtype)
    if stored.nbytes <= COPY_BYTES:
        with open(source.path, "rb") as fh:
            fh.seek(stored.start)
            data = fh.read(stored.nbytes)
        if len(data) != stored.nbytes:
            raise LoadError(f"tensor {stored.name!r} is truncated")
        return decoded(np.frombuffer(data, dtype=dtype).reshape(stored.shape)).copy()
    return np.memmap(source.path, dtype=dtype, mode="r", offset=stored.start, shape=stored.shape)


def _metadata(metadata: dict[str, str]) -> BundleMeta:
    """Metadata values are strings: a JSON list (labels, axis names), or comma-separated names."""
    meta = BundleMeta()
    for name, text in metadata.items():
        value = _parsed(text)
        if isinstance(value, list):
            if all(isinstance(x, (str, int, float)) and not isinstance(x, bool) for x in value):
                meta.add(name, tuple(str(x) for x in value))
        elif name in AXES_KEYS:
            meta.add(name, tuple(part.strip() for part in text.split(",")))
        elif name in ("vmin", "vmax") and isinstance(value, (int, float)):
            meta.add(name, float(value))
        elif name in ("title", "row_title", "col_title"):
            meta.add(name, text)
    return meta


def _parsed(text: str) -> object:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None
