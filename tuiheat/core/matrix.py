"""The data model every layer shares: a 2-D grid of numbers with its labels and boxes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from tuiheat.core.boxes import Box
from tuiheat.core.filerows import (
    FileChangedError,
    FileRows,
    decoded,
    memmap_base,
    read_view,
)
from tuiheat.core.scratch import Scratch

DEFAULT_ROW_TITLE = "Layer"
DEFAULT_COL_TITLE = "Token"

# dtype kinds we can show as numbers: bool, signed, unsigned, float.
NUMERIC_KINDS = frozenset("biuf")
SAMPLE_CELLS = 1 << 18
BIG_CELLS = 1 << 22  # above this, the range comes from a sample first and a scan later

Read = Callable[[int, int, int, int], np.ndarray]  # rows [a, b), columns [c, d)


class MatrixError(ValueError):
    """The values or labels do not form a valid heat matrix."""


def index_labels(n: int) -> tuple[str, ...]:
    return tuple(map(str, range(n)))


@dataclass(frozen=True, eq=False)
class HeatMatrix:
    """A 2-D matrix of numbers with row/column labels, axis titles and boxes.

    ``values`` is kept as given (possibly a read-only memory map of any real
    dtype) so opening a big file never copies it; read it through ``window``
    or ``as_float``, which convert to float64 on demand. Labels are kept
    verbatim (duplicates allowed: cells are addressed by index); sanitising
    for display is the renderer's job.
    """

    values: np.ndarray
    row_labels: tuple[str, ...] = ()
    col_labels: tuple[str, ...] = ()
    row_title: str = DEFAULT_ROW_TITLE
    col_title: str = DEFAULT_COL_TITLE
    title: str = ""
    vmin: float | None = None
    vmax: float | None = None
    boxes: tuple[Box, ...] = field(default_factory=tuple)

    def __repr__(self) -> str:
        """Shape, dtype, range, labels and boxes: never the values (a REPL would print
        thousands of numbers, or read a whole memory-mapped file)."""
        big = self.read_cells > BIG_CELLS
        seen = sample_values(self) if big else self.as_float()
        finite = seen[np.isfinite(seen)]
        extent = (finite.min(), finite.max()) if finite.size else None
        approx = "≈" if self.read_cells > BIG_CELLS else ""
        shown = (
            "no finite values" if extent is None else f"{approx}{extent[0]:.4g}..{extent[1]:.4g}"
        )

        def ends(labels: tuple[str, ...]) -> str:
            return repr(labels[0]) if len(labels) == 1 else f"{labels[0]!r}..{labels[-1]!r}"

        parts = [
            f"{self.n_rows}×{self.n_cols} {self.values.dtype}",
            f"range {shown}",
            f"{self.row_title!r} {ends(self.row_labels)}",
            f"{self.col_title!r} {ends(self.col_labels)}",
        ]
        if self.title:
            parts.insert(0, repr(self.title))
        if self.boxes:
            parts.append(f"{len(self.boxes)} box{'es' if len(self.boxes) != 1 else ''}")
        return f"HeatMatrix({', '.join(parts)})"

    def __post_init__(self) -> None:
        values = self.values
        if not isinstance(values, np.ndarray):
            raise MatrixError("values must be a numpy array")
        if values.ndim != 2:
            raise MatrixError(
                f"expected a 2-D matrix, got {values.ndim}-D {shape_text(values.shape)}"
            )
        if values.size == 0:
            raise MatrixError(f"the matrix is empty ({shape_text(values.shape)})")
        if values.dtype.kind not in NUMERIC_KINDS:
            raise MatrixError(f"values of dtype {values.dtype} are not real numbers")
        n_rows, n_cols = values.shape
        rows = tuple(self.row_labels) if self.row_labels else index_labels(n_rows)
        cols = tuple(self.col_labels) if self.col_labels else index_labels(n_cols)
        if len(rows) != n_rows:
            raise MatrixError(f"{len(rows)} row labels for {n_rows} rows")
        if len(cols) != n_cols:
            raise MatrixError(f"{len(cols)} column labels for {n_cols} columns")
        object.__setattr__(self, "row_labels", tuple(map(str, rows)))  # str of a str: itself
        object.__setattr__(self, "col_labels", tuple(map(str, cols)))
        object.__setattr__(self, "boxes", tuple(self.boxes))
        for box in self.boxes:
            if box.r1 >= n_rows or box.c1 >= n_cols:
                raise MatrixError(
                    f"box {box.describe_indices()} lies outside {shape_text(values.shape)}"
                )

    @property
    def tick_labels(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The row and column labels written beside and over the cells (a zoomed view's
        are each block's first; its own labels name the whole block)."""
        return self.row_labels, self.col_labels

    @property
    def shape(self) -> tuple[int, int]:
        return (int(self.values.shape[0]), int(self.values.shape[1]))

    @property
    def size(self) -> int:
        return int(self.values.shape[0]) * int(self.values.shape[1])

    @property
    def n_rows(self) -> int:
        return int(self.values.shape[0])

    @property
    def n_cols(self) -> int:
        return int(self.values.shape[1])

    def window(self, r0: int, r1: int, c0: int, c1: int) -> np.ndarray:
        """Rows r0:r1 and columns c0:c1 as float64; a memory map is read from its file."""
        return self._read(r0, r1, c0, c1, np.float64)

    def float_window(self, r0: int, r1: int, c0: int, c1: int) -> np.ndarray:
        """Like ``window``, but float32 data stays float32 (half the memory and time of a
        pass over a big file; sums are taken in float64 by the caller)."""
        if type(self).window is not HeatMatrix.window:  # derived values: as they come
            return self.window(r0, r1, c0, c1)
        dtype = np.float32 if self.values.dtype in (np.float32, np.float16) else np.float64
        return self._read(r0, r1, c0, c1, dtype)

    def scan_dtype(self) -> type:
        """What a pass over the values reads them as: float32 stays float32 (half the
        memory and time; sums are taken in float64), anything else becomes float64."""
        return np.float32 if self.values.dtype in (np.float32, np.float16) else np.float64

    def scan_reader(self) -> Read:
        """Windows for one pass over the matrix, in ``scan_dtype``: each read lands in the
        same reused buffers (valid until the next read), so a pass faults its memory in
        once. Derived values (a zoomed view, a difference) are read as they come."""
        if type(self).window is not HeatMatrix.window:
            return self.window
        scratch, dtype = Scratch(), self.scan_dtype()

        def read(r0: int, r1: int, c0: int, c1: int) -> np.ndarray:
            r0, r1 = max(0, r0), min(self.n_rows, r1)
            c0, c1 = max(0, c0), min(self.n_cols, c1)
            reader, flipped = self._file_reader()
            shape = (max(0, r1 - r0), max(0, c1 - c0))
            if reader is None and memmap_base(self.values) is None:
                part = self.values[r0:r1, c0:c1]  # in memory already
                if part.dtype == dtype:
                    return part
                out = scratch.take("cast", shape, dtype)
                np.copyto(out, part, casting="unsafe")
                return out
            if hasattr(reader, "sample") and not flipped:  # a store: its chunks, not kept
                return reader.window(r0, r1, c0, c1, dtype, keep=False)  # type: ignore[call-arg, union-attr]
            narrow = 2 * shape[1] < self.n_cols  # a strip: read as a window
            if reader is None or flipped or narrow or not hasattr(reader, "whole_rows"):
                return self._read(r0, r1, c0, c1, dtype)
            try:
                into = scratch.take("raw", (reader.row_bytes * shape[0],), np.uint8)
                raw = reader.whole_rows(r0, r1, into)
            except FileChangedError:
                self.__dict__["stale"] = True
                return np.full(shape, np.nan, dtype=dtype)
            raw = decoded(raw[:, c0:c1])
            if raw.dtype == dtype:
                return raw
            out = scratch.take("cast", shape, dtype)
            np.copyto(out, raw, casting="unsafe")
            return out

        return read

    def in_file_order(self) -> tuple[HeatMatrix, bool]:
        """This matrix as its file stores it, and whether that is its transpose: a
        transposed memory map is read (and summarised) row by row of its file."""
        flipped = self._file_reader()[1]
        if not flipped or type(self).window is not HeatMatrix.window:
            return self, False
        cache = self.__dict__.setdefault("_file_order", [])
        if not cache:
            cache.append(HeatMatrix(self.values.T, vmin=self.vmin, vmax=self.vmax))
        return cache[0], True

    def _read(self, r0: int, r1: int, c0: int, c1: int, dtype: type) -> np.ndarray:
        r0, r1 = max(0, r0), min(self.n_rows, r1)
        c0, c1 = max(0, c0), min(self.n_cols, c1)
        try:
            reader, flipped = self._file_reader()
            if reader is not None and flipped:  # the file's rows are our columns
                return np.ascontiguousarray(reader.window(c0, c1, r0, r1, dtype).T)
            if reader is not None:
                return reader.window(r0, r1, c0, c1, dtype)
            part = self.values[r0:r1, c0:c1]
            copied = read_view(part)
            return np.asarray(part if copied is None else copied, dtype=dtype)
        except FileChangedError:
            # The file shrank while open: show NaN rather than die; the app sees ``stale``.
            self.__dict__["stale"] = True
            return np.full((max(0, r1 - r0), max(0, c1 - c0)), np.nan)

    @property
    def read_cells(self) -> int:
        """Values a full pass over this matrix reads from its source (a zoomed view not
        yet reduced reads every value of the data under it)."""
        return self.n_rows * self.n_cols

    def column_at(self, rows: range, col: int) -> np.ndarray:
        """Column ``col`` at ``rows`` (a strided range): a few reads, not the whole column."""
        rows = range(max(0, rows.start), min(self.n_rows, rows.stop), rows.step)
        cells = self.rows_at(rows, col, col + 1)
        if cells is not None:
            return cells[:, 0]
        return np.concatenate([self.window(r, r + 1, col, col + 1)[:, 0] for r in rows])

    def rows_at(self, rows: Sequence[int], c0: int, c1: int) -> np.ndarray | None:
        """Columns c0:c1 of the given rows as float64, each row read once; None when only
        windows give the values: derived ones (a difference, a zoomed view) or a memory
        map that is not C-ordered, which is read as spans (see ``read_view``)."""
        if type(self).window is not HeatMatrix.window:
            return None
        try:
            reader, flipped = self._file_reader()
            if reader is not None and not flipped:
                return reader.rows(rows, c0, c1)
        except FileChangedError:
            self.__dict__["stale"] = True
            return np.full((len(rows), max(0, c1 - c0)), np.nan)
        if memmap_base(self.values) is not None:
            return None  # a transposed map: read as windows, in its file's order
        return np.asarray(self.values[np.asarray(rows, dtype=np.intp), c0:c1], dtype=np.float64)

    @property
    def stale(self) -> bool:
        """True once a read found the file behind the matrix shorter than it was."""
        return bool(self.__dict__.get("stale", False))

    def _file_rows(self) -> FileRows | None:
        """The pread reader of a C-ordered memory-mapped matrix (None otherwise)."""
        reader, flipped = self._file_reader()
        return None if flipped else reader

    def _file_reader(self) -> tuple[FileRows | None, bool]:
        """The pread reader of a memory-mapped matrix, made on first use (None otherwise),
        and whether it reads the transpose (the map of a transposed view is its file's)."""
        cache = self.__dict__.setdefault("_reader", [])
        if not cache:
            reader = FileRows.for_array(self.values)
            flipped = reader is None and self.values.T.flags.c_contiguous
            cache.append((FileRows.for_array(self.values.T) if flipped else reader, flipped))
            if cache[0][0] is None:
                cache[0] = (None, False)
        return cache[0]  # type: ignore[no-any-return]

    def as_float(self) -> np.ndarray:
        return self.window(0, self.n_rows, 0, self.n_cols)

    def value(self, row: int, col: int) -> float:
        return float(self.window(row, row + 1, col, col + 1)[0, 0])

    def with_changes(self, **changes: object) -> HeatMatrix:
        """A copy with other fields; it reads its values as this one does (a chunked
        store's reader goes with it: its ``values`` are only a placeholder)."""
        made = replace(self, **changes)  # type: ignore[arg-type]
        if "values" not in changes and "_reader" in self.__dict__:
            made.__dict__["_reader"] = self.__dict__["_reader"]
        return made

    def with_boxes(self, boxes: Sequence[Box]) -> HeatMatrix:
        return self.with_changes(boxes=tuple(boxes))


def sample_values(matrix: HeatMatrix, cells: int = SAMPLE_CELLS) -> np.ndarray:
    """Whole rows spread evenly over the matrix, about ``cells`` values (contiguous reads);
    whole chunks of a chunked store (its reader's ``sample``), where rows cost every chunk."""
    found = matrix.__dict__.get("_reader")
    reader = found[0][0] if found else None
    if hasattr(reader, "sample"):
        return reader.sample(cells)  # type: ignore[no-any-return, union-attr]
    n_rows = max(1, min(matrix.n_rows, cells // max(1, matrix.n_cols)))
    rows = np.unique(np.linspace(0, matrix.n_rows - 1, n_rows).astype(np.int64))
    return np.vstack([matrix.window(int(r), int(r) + 1, 0, matrix.n_cols) for r in rows])


def shape_text(shape: Sequence[int]) -> str:
    return "×".join(str(int(n)) for n in shape) if len(shape) else "scalar"
