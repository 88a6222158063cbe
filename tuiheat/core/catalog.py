"""What a bundle or a directory holds, as the picker lists it: one entry per array or file.

Entries are known from headers alone (npz members, safetensors, a directory listing),
so listing a 10 GB bundle reads kilobytes; value ranges and the shapes of files in
a directory are filled in later, by whoever shows the list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.scale import ValueRange
from tuiheat.core.tensor import SliceSpec, Tensor

# What an entry is; only heatmaps (and files, and bundles inside a directory) open.
HEATMAP, LABELS, VECTOR, SCALAR, TEXT, OTHER, FILE, BUNDLE, ERROR = (
    "heatmap",
    "labels",
    "vector",
    "scalar",
    "text",
    "other",
    "file",
    "bundle",
    "error",
)
OPENABLE = frozenset((HEATMAP, FILE, BUNDLE))
# Likely heatmaps first, then what a directory holds, then what cannot be shown.
KIND_ORDER = (HEATMAP, BUNDLE, FILE, ERROR, TEXT, VECTOR, LABELS, SCALAR, OTHER)


@dataclass(frozen=True)
class Entry:
    """One array of a bundle (``key``) or one file under a directory (``path``)."""

    key: str
    kind: str = HEATMAP
    shape: tuple[int, ...] = ()
    dtype: str = ""
    nbytes: int = 0  # bytes of the data (an array) or of the file (a directory entry)
    detail: str = ""  # "compressed", "3 arrays", or the one-line error of an unreadable file
    path: str = ""  # the file to open, for directory entries

    @property
    def openable(self) -> bool:
        return self.kind in OPENABLE

    def shape_text(self) -> str:
        return "×".join(str(n) for n in self.shape) if self.shape else ""

    def describe(self) -> str:
        """``attn (6×12×17×17 float32)``: the form error messages list entries in."""
        facts = " ".join(x for x in (self.shape_text(), self.dtype) if x)
        return f"{self.key} ({facts})" if facts else self.key


@dataclass(frozen=True)
class Catalog:
    """The entries of one bundle or directory, in the order the picker shows them."""

    name: str  # the file or directory, as the user gave it
    entries: tuple[Entry, ...]
    is_directory: bool = False
    truncated: int = 0  # a directory listing stopped after this many entries (0: complete)
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def openable(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.openable)


def ranked(entries: Sequence[Entry]) -> tuple[Entry, ...]:
    """Heatmaps first (more axes first: a [layer, head, q, k] tensor before its summaries),
    then everything else by kind; the file's own order otherwise."""
    order = {kind: i for i, kind in enumerate(KIND_ORDER)}

    def key(item: tuple[int, Entry]) -> tuple[int, int, int]:
        index, entry = item
        axes = -len([n for n in entry.shape if n != 1]) if entry.kind == HEATMAP else 0
        return (order.get(entry.kind, len(order)), axes, index)

    return tuple(entry for _, entry in sorted(enumerate(entries), key=key))


def ranked_files(facts: Sequence[Entry]) -> list[int]:
    """The positions of a directory's entries in the order to list them, from what is known
    of each: files that hold heatmaps (a shape, or a bundle's arrays) first, then those not
    described yet, then those that cannot be opened (a config JSON, a broken CSV); path
    order within each."""

    def group(entry: Entry) -> int:
        if entry.kind == BUNDLE or (entry.kind == FILE and entry.shape):
            return 0
        return 2 if entry.kind == ERROR else 1

    return sorted(range(len(facts)), key=lambda i: (group(facts[i]), i))


def size_text(nbytes: int) -> str:
    """``512 B``, ``4.0 KiB``, ``1.2 GiB``."""
    value = float(nbytes)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TiB"


def listing(entries: Sequence[Entry], limit: int = 12) -> str:
    """The openable entries as one line for an error message, shortened after ``limit``."""
    shown = [e.describe() for e in entries[:limit]]
    more = len(entries) - len(shown)
    return ", ".join(shown) + (f", and {more} more" if more > 0 else "")


@dataclass
class Opened:
    """An array opened from a collection, with all the viewer needs to show and reload it."""

    tensor: Tensor
    spec: SliceSpec
    matrix: HeatMatrix
    title: str
    name: str  # how the title names the array
    vrange: ValueRange
    data_path: Path | None = None
    key: str | None = None  # the member of a bundle, for its saved boxes
    stamp: tuple[int, int] | None = None
    notices: list[str] = field(default_factory=list)
    reloader: Callable[[], Tensor] | None = None
    facet: int | None = None  # an axis laid out as panels


class Collection(Protocol):
    """Where the picker's lists come from and what opening an entry means: a bundle's
    arrays or a directory's files, read with the command line's options."""

    def catalog(self) -> Catalog:
        """The top level: raises LoadError when it cannot be listed."""
        ...

    def open(self, catalog: Catalog, entry: Entry) -> Opened:
        """Raises LoadError, or ChooseArray (with the nested catalog) for a bundle file."""
        ...

    def details(self, catalog: Catalog, entry: Entry) -> Entry:
        """The entry with the facts that need its data (shape of a file, value range)."""
        ...
