"""One module per file format; ``load`` picks one by suffix, or by content for stdin and odd names.

Every failure is a ``LoadError`` whose message is one line for the user.
"""

from __future__ import annotations

from collections.abc import Callable

from tuiheat.core import HeatMatrix
from tuiheat.loaders.base import STDIN_NAME, LoadError, Source, open_source
from tuiheat.loaders.delimited import load_delimited
from tuiheat.loaders.jsondoc import load_json
from tuiheat.loaders.numpy_files import NPY_MAGIC, ZIP_MAGIC, load_npy, load_npz

Loader = Callable[[Source, "str | None"], HeatMatrix]

LOADERS: dict[str, Loader] = {
    ".csv": load_delimited,
    ".tsv": load_delimited,
    ".txt": load_delimited,
    ".npy": load_npy,
    ".npz": load_npz,
    ".json": load_json,
}
PICKLE_SUFFIXES = frozenset({".pkl", ".pickle", ".pt", ".pth", ".bin", ".ckpt"})


def sniff(head: bytes) -> Loader:
    """Pick a loader from the first bytes when the suffix does not say."""
    if head.startswith(NPY_MAGIC):
        return load_npy
    if head.startswith(ZIP_MAGIC):
        return load_npz
    if head[:1] == b"\x80" or head[:2] in (b"\x80\x02", b"\x80\x04"):
        raise LoadError("looks like a Python pickle; tuiheat never unpickles files")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"["):
        return load_json
    return load_delimited


def load(name: str, key: str | None = None) -> HeatMatrix:
    """Load ``name`` (a path, or ``-`` for standard input) as a HeatMatrix."""
    source = open_source(name)
    head = source.head(16)
    loader = LOADERS.get(source.suffix)
    if loader is None:
        if source.suffix in PICKLE_SUFFIXES:
            raise LoadError(
                f"{source.suffix} files hold pickles, which tuiheat never unpickles; "
                "save the matrix with numpy (np.save) instead"
            )
        loader = sniff(head)
    elif loader is not load_npz and loader is not load_npy and head[:1] == b"\x80":
        raise LoadError("looks like a Python pickle; tuiheat never unpickles files")
    try:
        return loader(source, key)
    except LoadError:
        raise
    except MemoryError:
        raise LoadError("not enough memory to load it") from None
    except RecursionError:
        raise LoadError("the file is nested too deeply") from None


__all__ = ["LOADERS", "STDIN_NAME", "LoadError", "Source", "load", "open_source"]
