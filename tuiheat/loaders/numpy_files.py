""".npy and .npz: headers checked before any data is read, arrays memory-mapped, never unpickled."""

from __future__ import annotations

import math
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np

from tuiheat.core import shape_text
from tuiheat.core.catalog import LABELS, OTHER, SCALAR, Catalog, Entry
from tuiheat.core.tensor import SliceError, Tensor
from tuiheat.loaders.arrays import (
    as_tensor_array,
    check_dtype,
    impossible_shape,
    label_strings,
    scalar_float,
    scalar_string,
)
from tuiheat.loaders.base import MAX_TEXT_BYTES, ZIP_MAGIC, LoadError, Source
from tuiheat.loaders.bundle import BundleMeta, choose, describe, member_kind
from tuiheat.loaders.inflate import read_array, read_bytes

COPY_BYTES = 4 * 1024**2  # arrays up to this size are read into memory, bigger ones mapped
NEVER = "(tuiheat never unpickles; save labels with dtype=str)"
LABEL_BYTES = 16 * 1024**2  # a bigger 1-D member is data, never read as labels


@dataclass(frozen=True)
class NpyHeader:
    shape: tuple[int, ...]
    fortran_order: bool
    dtype: np.dtype
    data_offset: int  # bytes from the start of the .npy stream to the first value

    @property
    def nbytes(self) -> int:
        return math.prod(self.shape) * self.dtype.itemsize

    def describe(self) -> str:
        return f"{shape_text(self.shape)} {self.dtype}"


def read_npy_header(fh: BinaryIO, what: str) -> NpyHeader:
    """Parse the header with numpy's own reader (a literal dict, never pickle)."""
    start = fh.tell()
    try:
        version = np.lib.format.read_magic(fh)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
        elif version in ((2, 0), (3, 0)):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(fh)
        else:
            raise LoadError(f"{what}: unsupported .npy format version {version}")
    except LoadError:
        raise
    except Exception as err:  # numpy raises ValueError/OSError/SyntaxError on garbage
        raise LoadError(f"{what} is not a valid .npy array ({_one_line(err)})") from None
    header = NpyHeader(
        tuple(int(n) for n in shape), bool(fortran), np.dtype(dtype), fh.tell() - start
    )
    wrong = impossible_shape(header.shape, header.dtype, header.dtype.itemsize)
    if wrong:
        raise LoadError(f"{what} is not a valid .npy array: its header declares {wrong}")
    return header


def load_npy(source: Source, key: str | None = None) -> Tensor:
    if key is not None:
        raise LoadError("--key applies to .npz, .json and other multi-array files, not .npy")
    with source.open_binary() as fh:
        header = read_npy_header(fh, "the file")
    check_dtype(header.dtype)
    available = source.size - header.data_offset
    if header.nbytes > available:
        raise LoadError(
            f"the file is truncated: its header promises {header.describe()} "
            f"({header.nbytes} bytes of data) but only {max(available, 0)} bytes follow"
        )
    if source.path is not None:
        array = _memmap(source.path, header, header.data_offset)
    else:
        array = _from_buffer(source.data or b"", header, header.data_offset)
    return _tensor(as_tensor_array(array), BundleMeta())


def _memmap(path: object, header: NpyHeader, offset: int) -> np.ndarray:
    """A memory map for big arrays; small ones are copied into memory, so a job that
    rewrites the file in place cannot change (or take away) what is on screen."""
    if header.nbytes == 0:
        return np.empty(header.shape, dtype=header.dtype)
    if header.nbytes <= COPY_BYTES:
        with open(path, "rb") as fh:  # type: ignore[call-overload]
            fh.seek(offset)
            data = fh.read(header.nbytes)
        if len(data) != header.nbytes:
            raise LoadError("the file is truncated")
        return _from_buffer(data, header, 0).copy()
    order = "F" if header.fortran_order else "C"
    return np.memmap(
        path, dtype=header.dtype, mode="r", offset=offset, shape=header.shape, order=order
    )  # type: ignore[call-overload]


def _from_buffer(data: bytes | bytearray, header: NpyHeader, offset: int) -> np.ndarray:
    count = math.prod(header.shape)
    flat = np.frombuffer(data, dtype=header.dtype, count=count, offset=offset)
    order = "F" if header.fortran_order else "C"
    return flat.reshape(header.shape, order=order)


def _tensor(values: np.ndarray, meta: BundleMeta, member: str = "") -> Tensor:
    try:
        tensor = Tensor(values)
    except SliceError as err:
        raise LoadError(str(err)) from None
    return describe(tensor, meta, member)


# --- npz ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """One array of an npz archive, known from its zip entry and npy header alone."""

    key: str
    info: zipfile.ZipInfo
    header: NpyHeader

    @property
    def entry(self) -> Entry:
        dtype = self.header.dtype
        kind = OTHER if dtype.hasobject else member_kind(self.key, self.header.shape, dtype.kind)
        compressed = self.info.compress_type != zipfile.ZIP_STORED
        return Entry(
            self.key,
            kind,
            self.header.shape,
            "object" if dtype.hasobject else str(dtype),
            self.header.nbytes,
            "compressed" if compressed else "",
        )


# What zipfile raises for a damaged member: RuntimeError for one flagged as encrypted,
# NotImplementedError for an unknown compression.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    ValueError,
    EOFError,
    RuntimeError,
    NotImplementedError,
)


def _open_zip(source: Source) -> zipfile.ZipFile:
    try:
        # A path, not an open file: ZipFile closes only files it opened itself.
        return zipfile.ZipFile(source.path if source.path is not None else source.open_binary())
    except ZIP_ERRORS as err:
        raise LoadError(f"not a valid .npz archive ({_one_line(err)})") from None


def list_members(zf: zipfile.ZipFile) -> list[Member]:
    members: list[Member] = []
    for info in zf.infolist():
        if info.is_dir():
            continue
        key = info.filename[:-4] if info.filename.endswith(".npy") else info.filename
        what = f"member {key!r}"
        try:
            with zf.open(info) as fh:
                header = read_npy_header(fh, what)  # reads only the first few hundred bytes
        except LoadError:
            raise
        except ZIP_ERRORS as err:
            raise LoadError(f"{what} cannot be read ({_one_line(err)})") from None
        expected = header.data_offset + header.nbytes
        if info.file_size < expected:
            raise LoadError(
                f"{what} is truncated: its header promises {header.describe()} "
                f"but the archive holds {info.file_size} bytes"
            )
        members.append(Member(key, info, header))
    if not members:
        raise LoadError("the .npz archive holds no arrays")
    return members


def _read_member(zf: zipfile.ZipFile, source: Source, member: Member) -> np.ndarray:
    """A member's array: an uncompressed one mapped in place, any other inflated in
    bounded memory (small ones into memory, big ones into a mapped temporary file)."""
    what = f"member {member.key!r}"
    header = member.header
    check_dtype(header.dtype, what)
    stored = member.info.compress_type == zipfile.ZIP_STORED
    if stored and source.path is not None and header.nbytes > 0:
        offset = _stored_data_offset(source, member.info) + header.data_offset
        return _memmap(source.path, header, offset)
    with _member_data(zf, member) as fh:
        return read_array(
            fh, header.shape, header.dtype, header.fortran_order, what, source.inflate_limit
        )


@contextmanager
def _member_data(zf: zipfile.ZipFile, member: Member) -> Iterator[BinaryIO]:
    """The member's stream at its first value; damage while reading is a LoadError."""
    what = f"member {member.key!r}"
    try:
        with zf.open(member.info) as fh:
            fh.read(member.header.data_offset)
            yield fh  # type: ignore[misc]
    except ZIP_ERRORS as err:
        raise LoadError(f"{what} cannot be read ({_one_line(err)})") from None


def _stored_data_offset(source: Source, info: zipfile.ZipInfo) -> int:
    """Where an uncompressed member's bytes start: after its local header, whose extra may differ."""
    with source.open_binary() as fh:
        fh.seek(info.header_offset)
        local = fh.read(30)
    if len(local) != 30 or local[:4] != ZIP_MAGIC:
        raise LoadError(f"member {info.filename!r} has a damaged zip header")
    name_len, extra_len = struct.unpack("<HH", local[26:30])
    return info.header_offset + 30 + name_len + extra_len


def npz_catalog(source: Source) -> Catalog:
    """The archive's members from their headers alone (nothing is inflated)."""
    with _open_zip(source) as zf:
        members = list_members(zf)
    return Catalog(source.name, tuple(m.entry for m in members))


def load_npz(source: Source, key: str | None = None) -> Tensor:
    zf = _open_zip(source)
    with zf:
        members = list_members(zf)
        catalog = Catalog(source.name, tuple(m.entry for m in members))
        chosen = next(m for m in members if m.key == choose(catalog, key, "member").key)
        what = f"member {chosen.key!r}"
        values = as_tensor_array(_read_member(zf, source, chosen), what)
        meta = BundleMeta()
        for member in members:
            if member is not chosen and member.header.dtype.hasobject:
                meta.notes.append(f"{member.key!r} holds pickled Python objects, not read {NEVER}")
            elif member is not chosen and member.entry.kind in (LABELS, SCALAR):
                value = _small_value(zf, source, member)
                if value is not None:
                    meta.add(member.key, value)
    return _tensor(values, meta, chosen.key)


def _small_value(
    zf: zipfile.ZipFile, source: Source, member: Member
) -> tuple[str, ...] | str | float | None:
    """A label vector or scalar member as text or a number; None when too big to be one."""
    if member.header.nbytes > LABEL_BYTES:
        return None
    what = f"member {member.key!r}"
    if member.header.dtype.kind in "US":
        array = _read_text_member(zf, member)
    else:
        array = np.array(_read_member(zf, source, member))
    if array.size == 1 and member.entry.kind == SCALAR:
        if array.dtype.kind in "US":
            return scalar_string(array, what)
        return scalar_float(array, what)
    return label_strings(array, what)


def _read_text_member(zf: zipfile.ZipFile, member: Member) -> np.ndarray:
    """Strings are read into memory: callers bound the size first."""
    with _member_data(zf, member) as fh:
        data = read_bytes(fh, member.header.nbytes, f"member {member.key!r}")
    return _from_buffer(data, member.header, 0)


def _one_line(err: BaseException, limit: int = 160) -> str:
    """The first line of an error, cut (numpy's quotes a whole header of up to 64 KiB)."""
    text = str(err).strip().splitlines()
    line = text[0] if text else type(err).__name__
    return line if len(line) <= limit else line[: limit - 1] + "…"


def load_npz_strings(source: Source, key: str) -> np.ndarray:
    """A string member of an npz (``--text``), read without unpickling."""
    zf = _open_zip(source)
    with zf:
        members = {m.key: m for m in list_members(zf)}
        if key not in members:
            raise LoadError(f"no member {key!r}; the archive holds: {', '.join(members)}")
        member = members[key]
        if member.header.dtype.kind not in "US" or member.header.dtype.hasobject:
            raise LoadError(f"member {key!r} holds {member.header.describe()}, not strings")
        if member.header.nbytes > MAX_TEXT_BYTES:
            raise LoadError(
                f"member {key!r} is too large for a text grid ({member.header.nbytes // 1024**2} "
                f"MiB of strings, limit {MAX_TEXT_BYTES // 1024**2} MiB)"
            )
        array = _read_text_member(zf, member)
    if array.dtype.kind == "S":
        return np.vectorize(lambda b: b.decode("utf-8", errors="replace"), otypes=[object])(
            array
        ).astype(str)
    return np.asarray(array, dtype=str)
