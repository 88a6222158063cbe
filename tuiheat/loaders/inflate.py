"""Compressed archive members read in bounded memory, whatever size they inflate to.

A deflated stream can only be read from its start, while the viewer reads a
window per keystroke (and ``--print``, the overview and the range scan read in
passes). So a member is inflated once, in chunks of a few MiB: a small one into
memory, a bigger one into a private temporary file that is memory-mapped and
then read like an ``.npy`` file. The file lives in the temporary directory
(``TMPDIR``), never beside the input, and is unlinked from the start, so it
vanishes with the array even when the process is killed. Its size is the npy
header's promise (zipfile stops there), checked against a limit and the free
space before a byte is written: a zip bomb is refused at once.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import shutil
import tempfile
import weakref
from collections.abc import Callable
from typing import IO, BinaryIO

import numpy as np

from tuiheat.core.catalog import size_text
from tuiheat.loaders.base import LoadError

IN_MEMORY_BYTES = 32 * 1024**2  # members up to this are inflated into memory
DEFAULT_LIMIT = 4 * 1024**3  # the most a member may inflate to on disk, unless allowed
LIMIT_VARIABLE = "TUIHEAT_INFLATE_LIMIT"
HEADROOM = 256 * 1024**2  # left free in the temporary directory
CHUNK = 4 * 1024**2
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}
_SIZE = re.compile(r"\s*(\d+(?:\.\d*)?)\s*([kmgt]?)(?:i?b)?\s*", re.IGNORECASE)


def parse_size(text: str) -> int:
    """``8G``, ``512M``, ``1.5GiB`` or a number of bytes; ValueError otherwise."""
    match = _SIZE.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r} is not a size (e.g. 8G or 500M)")
    return int(float(match[1]) * _UNITS[match[2].lower()])


def inflate_limit(explicit: int | None = None) -> int:
    """``--inflate-limit`` if given, else ``TUIHEAT_INFLATE_LIMIT``, else 4 GiB."""
    if explicit is not None:
        return explicit
    text = os.environ.get(LIMIT_VARIABLE, "")
    if not text.strip():
        return DEFAULT_LIMIT
    try:
        return parse_size(text)
    except ValueError:
        raise LoadError(f"{LIMIT_VARIABLE}={text!r} is not a size (e.g. 8G or 500M)") from None


def read_array(
    stream: BinaryIO,
    shape: tuple[int, ...],
    dtype: np.dtype,
    fortran: bool,
    what: str,
    limit: int | None = None,
) -> np.ndarray:
    """The array whose raw bytes ``stream`` yields next, in memory or memory-mapped."""
    nbytes = math.prod(shape) * dtype.itemsize
    order = "F" if fortran else "C"
    if nbytes <= IN_MEMORY_BYTES:
        return np.frombuffer(read_bytes(stream, nbytes, what), dtype=dtype).reshape(
            shape, order=order
        )
    folder = tempfile.gettempdir()
    check_budget(nbytes, what, inflate_limit(limit), folder)
    named = _fd_folder() is None  # no /proc/self/fd: a named file, removed with the array
    tmp: IO[bytes] = (
        tempfile.NamedTemporaryFile(prefix="tuiheat-", delete=False)  # noqa: SIM115
        if named
        else tempfile.TemporaryFile(prefix="tuiheat-")  # noqa: SIM115
    )
    try:
        try:
            _copy(stream, nbytes, what, tmp.write)
            tmp.flush()
        except OSError as err:  # the disk filled up meanwhile
            raise LoadError(
                f"{what}: unpacking it to {folder} failed ({err.strerror or err})"
            ) from None
        path = tmp.name if named else f"{_fd_folder()}/{tmp.fileno()}"
        array = np.memmap(path, dtype=dtype, mode="r", shape=shape, order=order)
    except BaseException:
        _discard(tmp, named)
        raise
    # The path names the open file: it must stay open as long as the array (and its views).
    weakref.finalize(array, _discard, tmp, named)
    return array


def read_bytes(stream: BinaryIO, nbytes: int, what: str) -> bytearray:
    """Exactly ``nbytes`` from ``stream`` into one buffer (never twice the size on the way)."""
    buffer = bytearray(nbytes)
    view = memoryview(buffer)
    at = 0

    def put(chunk: bytes) -> None:
        nonlocal at
        view[at : at + len(chunk)] = chunk
        at += len(chunk)

    _copy(stream, nbytes, what, put)
    return buffer


def check_budget(nbytes: int, what: str, limit: int, folder: str) -> None:
    """Refuse, naming the size and how to allow it, a member the disk budget cannot take."""
    size = size_text(nbytes)
    if nbytes > limit:
        allow = f"{math.ceil(nbytes / 1024**3)}G"
        raise LoadError(
            f"{what} is compressed and inflates to {size}, over the {size_text(limit)} tuiheat "
            f"unpacks to a temporary file; allow it with --inflate-limit {allow} (or "
            f"{LIMIT_VARIABLE}={allow}), or save it uncompressed (np.savez) to memory-map it"
        )
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return  # the copy itself will say what is wrong
    if nbytes + HEADROOM > free:
        raise LoadError(
            f"{what} is compressed and inflates to {size}, but the temporary directory "
            f"{folder} has {size_text(free)} free; point TMPDIR at a larger disk, or save it "
            "uncompressed (np.savez) to memory-map it"
        )


def _copy(stream: BinaryIO, nbytes: int, what: str, put: Callable[[bytes], object]) -> None:
    left = nbytes
    while left > 0:
        chunk = stream.read(min(CHUNK, left))
        if not chunk:
            raise LoadError(f"{what} is truncated: {nbytes - left} of {nbytes} bytes")
        put(chunk)
        left -= len(chunk)


def _fd_folder() -> str | None:
    """Where an open file can be opened again by its descriptor (Linux, macOS)."""
    for folder in ("/proc/self/fd", "/dev/fd"):
        if os.path.isdir(folder):
            return folder
    return None


def _discard(tmp: IO[bytes], named: bool) -> None:
    tmp.close()
    if named:
        with contextlib.suppress(OSError):
            os.unlink(tmp.name)
