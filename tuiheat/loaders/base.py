"""What every loader shares: the error type, the input source and the size limits."""

from __future__ import annotations

import io
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from tuiheat.core.catalog import Catalog

# Text formats are parsed into Python objects (~30x their size in memory);
# beyond this, .npy is the right container and the error says so.
MAX_TEXT_BYTES = 256 * 1024**2
# Bytes read from standard input (a stdin npy is read from them), and the largest
# .pt tensor; compressed npz members are inflated in bounded memory (loaders.inflate).
MAX_MEMORY_BYTES = 4 * 1024**3
STDIN_NAME = "-"
NPY_MAGIC = b"\x93NUMPY"
ZIP_MAGIC = b"PK\x03\x04"


class LoadError(Exception):
    """A file that cannot be shown; the message is one line for the user, without the file name."""


@dataclass
class Source:
    """A named input: a regular file on disk, or the bytes of standard input."""

    name: str
    path: Path | None = None
    data: bytes | None = None
    delimiter: str | None = None  # --delimiter: a CSV's, when its guess is wrong
    inflate_limit: int | None = None  # --inflate-limit: compressed members unpacked to disk

    @property
    def suffix(self) -> str:
        """The lower-case file suffix (empty for stdin), which picks the loader."""
        return self.path.suffix.lower() if self.path is not None else ""

    @property
    def size(self) -> int:
        if self.data is not None:
            return len(self.data)
        assert self.path is not None
        return self.path.stat().st_size

    def head(self, n: int = 512) -> bytes:
        if self.data is not None:
            return self.data[:n]
        assert self.path is not None
        with open(self.path, "rb") as fh:
            return fh.read(n)

    def open_binary(self) -> BinaryIO:
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.path is not None
        return open(self.path, "rb")

    def read_text(self, limit: int = MAX_TEXT_BYTES) -> str:
        """The whole input as text; undecodable bytes become U+FFFD rather than an error."""
        if self.size > limit:
            raise LoadError(
                f"{self.size / 1024**2:.0f} MiB is too large for a text format "
                f"(limit {limit / 1024**2:.0f} MiB); save the matrix as .npy instead"
            )
        if self.data is not None:
            raw = self.data
        else:
            assert self.path is not None
            raw = self.path.read_bytes()
        return raw.decode("utf-8-sig", errors="replace")


def open_source(name: str) -> Source:
    """Check that ``name`` is a readable regular file (or ``-``) before any loader touches it.

    A FIFO or a device would block or never end, a directory is a common slip:
    each gets its own clear message instead of a hang or a traceback.
    """
    if name == STDIN_NAME:
        return Source(name="<stdin>", data=_read_stdin())
    path = Path(name)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise LoadError("no such file") from None
    except PermissionError:
        raise LoadError("permission denied") from None
    except OSError as err:
        raise LoadError(err.strerror or str(err)) from None
    if stat.S_ISDIR(st.st_mode):
        raise LoadError("is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):
        kind = "a FIFO" if stat.S_ISFIFO(st.st_mode) else "not a regular file"
        raise LoadError(f"is {kind}; tuiheat reads regular files (use '-' for a pipe)")
    if not os.access(path, os.R_OK):
        raise LoadError("permission denied")
    if st.st_size == 0:
        raise LoadError("the file is empty")
    return Source(name=name, path=path)


def _read_stdin() -> bytes:
    stream = sys.stdin.buffer if sys.stdin is not None else None
    if stream is None:
        raise LoadError("no standard input to read")
    if stream.isatty():
        raise LoadError(
            "'-' reads data piped in, but standard input is the terminal: "
            "e.g. python make_grid.py | tuiheat -"
        )
    data = stream.read(MAX_MEMORY_BYTES + 1)
    if len(data) > MAX_MEMORY_BYTES:
        raise LoadError(f"standard input is larger than {MAX_MEMORY_BYTES // 1024**3} GiB")
    if not data:
        raise LoadError("standard input is empty")
    return data


class ChooseArray(LoadError):
    """A file of several arrays opened without ``--key``: the viewer offers a picker,
    everything else shows this message (which lists them)."""

    def __init__(self, message: str, catalog: Catalog) -> None:
        super().__init__(message)
        self.catalog = catalog
