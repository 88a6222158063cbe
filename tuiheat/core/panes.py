"""What is shown: one ``Pane`` per matrix on screen, and the ``PaneSet`` of a viewer.

A pane is a 2-D slice of a tensor with what is derived from it (its zoomed views,
the statistics of boxes, the text grid), memoised. Panes are replaced, never changed:
another slice, a reload or the difference view makes new panes, so whoever holds a
pane (a worker reducing a zoom level) holds a consistent one. Comparing runs is N
panes of one shape under one view state; the difference view shows each pane minus
the first (for two runs, A − B as it always was).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np

from tuiheat.core.boxes import Box
from tuiheat.core.compare import difference, like
from tuiheat.core.emergence import Progress, column_rows
from tuiheat.core.facets import facet_names, facet_spec
from tuiheat.core.marks import EMERGE, PEAK
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.pyramid import Cancelled, Overview, level_factors
from tuiheat.core.stats import BoxStats, Totals, box_stats, matrix_totals, with_outside
from tuiheat.core.tensor import (
    SliceSpec,
    Tensor,
    flat_matrix,
    slice_marks,
    slice_matrix,
    slice_text,
)
from tuiheat.core.viewport import Cursor
from tuiheat.core.zoom import Zoom, ZoomedMatrix, zoomed_matrix

MAX_CACHED_VIEWS = 3
QUICK_CELLS = 1 << 22  # cells a key may read for a box's statistics (a few ms); else a worker
MAX_THRESHOLDS = 4  # emergence rows kept per pane, for the thresholds asked last
MAX_PANES = 6
PaneKind = Literal["one", "files", "facets"]


class Pane:
    """One matrix on screen: a slice of ``tensor``, labelled like ``reference`` if given."""

    def __init__(
        self,
        name: str,
        tensor: Tensor,
        spec: SliceSpec,
        readable: bool = True,
        reference: Pane | None = None,
    ) -> None:
        self.name = name
        self.tensor = tensor
        self.spec = spec
        self.readable = readable
        self.reference = reference
        self._views: dict[Zoom, ZoomedMatrix] = {}
        self._overview: Overview | None = None  # of a big matrix, once a zoom needed it
        self._stats: dict[Box, BoxStats] = {}
        self._inner: dict[Box, BoxStats] = {}  # without the mean outside, while it is read
        self._totals: Totals | None = None
        self._peaks: np.ndarray | None = None  # each column's peak row, once asked for
        self._rises: dict[float, np.ndarray] = {}  # emergence rows per threshold
        self._cell_marks: list[np.ndarray | None] = []  # the slice of the tensor's marks

    @cached_property
    def matrix(self) -> HeatMatrix:
        return self._made()

    def _made(self, watch: Callable[[float], None] | None = None) -> HeatMatrix:
        matrix = slice_matrix(self.tensor, self.spec, self.readable, watch)
        return matrix if self.reference is None else like(matrix, self.reference.matrix)

    @property
    def shape(self) -> tuple[int, int]:
        """The slice's shape, known before it is made."""
        shape = self.tensor.values.shape
        return (int(shape[self.spec.rows]), int(shape[self.spec.cols]))

    @property
    def costly(self) -> bool:
        """Its slice is a reduction over more values than a key may read (or over a remote
        store), not made yet: a worker makes it (``make``) before it is shown."""
        if "matrix" in self.__dict__ or not self.spec.reduces:
            return False
        source = self.tensor.source
        if source is not None and source.cache.remote:
            return True  # every chunk is a round trip: never on a key
        shape = self.tensor.values.shape
        reduced = [shape[a] for a, how, _ in self.spec.hidden if how != "index"]
        return int(np.prod([*self.shape, *reduced], dtype=np.float64)) > QUICK_CELLS

    def make(self, watch: Callable[[float], None] | None = None) -> None:
        """Make the slice now, telling ``watch`` how far (it may raise ``Cancelled``); not
        through ``matrix``, whose lock (Python 3.11) would hold other panes meanwhile."""
        if "matrix" not in self.__dict__:
            self.__dict__["matrix"] = self._made(watch)

    def view(self, zoom: Zoom) -> HeatMatrix:
        """The matrix at ``zoom``: blocks reduced as they are read, the last few kept."""
        if zoom.is_identity:
            return self.matrix
        view = self._views.pop(zoom, None) or zoomed_matrix(self.matrix, zoom)
        self._views[zoom] = view  # most recent last
        while len(self._views) > MAX_CACHED_VIEWS:
            self._views.pop(next(iter(self._views)))
        return view

    def prepare(
        self,
        zoom: Zoom,
        cancelled: Callable[[], bool] | None = None,
        progress: Callable[[float], None] | None = None,
    ) -> bool:
        """Have the whole view at ``zoom`` (a worker does this for big screens): from the
        overview, built first if it cannot serve this zoom; False when cancelled."""
        if self.is_prepared(zoom):
            return True
        factors = (zoom.row_factor, zoom.col_factor)
        overview = self._overview
        if overview is None or not overview.serves(factors):
            overview = Overview(self.matrix.shape, level_factors(self.matrix.shape, factors))
        try:
            overview.build(self.matrix, zoom.reducer, cancelled, progress)
        except Cancelled:
            return False
        self._overview = overview
        return self.is_prepared(zoom)

    def is_prepared(self, zoom: Zoom) -> bool:
        """Whether the whole view at ``zoom`` is at hand: reduced, or derived now from the
        overview (milliseconds)."""
        view = self.view(zoom)
        if not isinstance(view, ZoomedMatrix) or view.is_reduced:
            return True
        factors, overview = (zoom.row_factor, zoom.col_factor), self._overview
        if overview is None or not overview.serves(factors) or not overview.has(zoom.reducer):
            return False
        view.set_full(overview.derive(factors, zoom.reducer))
        return True

    def cell_text(self, zoom: Zoom) -> np.ndarray | None:
        """The text grid (``--text``) of the slice, when the zoom shows single values."""
        if self.tensor.text is None or not zoom.is_identity:
            return None
        return slice_text(self.tensor, self.spec, readable=self.readable)

    def cell_marks(self, zoom: Zoom) -> np.ndarray | None:
        """The tensor's marks (``core.marks`` codes) over the slice, when the zoom shows
        single values; sliced once."""
        if self.tensor.marks is None or not zoom.is_identity:
            return None
        if not self._cell_marks:
            self._cell_marks.append(slice_marks(self.tensor, self.spec))
        return self._cell_marks[0]

    def known_rows(
        self, peaks: bool, emerge: float | None
    ) -> tuple[np.ndarray | None, np.ndarray | None]:
        """The peak rows (if ``peaks``) and emergence rows over ``emerge`` already found
        (never a pass): None for what is not known yet, or not asked for."""
        rise = self._rises.get(emerge) if emerge is not None else None
        return (self._peaks if peaks else None), rise

    def find_rows(
        self,
        peaks: bool,
        emerge: float | None,
        cancelled: Callable[[], bool] | None = None,
        progress: Progress | None = None,
    ) -> tuple[np.ndarray | None, np.ndarray | None]:
        """``known_rows``, after one pass over the matrix for what is missing (a worker
        does this for a big matrix; ``Cancelled`` stops it)."""
        want_peaks = peaks and self._peaks is None
        want_rise = emerge if emerge is not None and emerge not in self._rises else None
        if want_peaks or want_rise is not None:
            found, rise = column_rows(self.matrix, want_peaks, want_rise, cancelled, progress)
            if found is not None:
                self._peaks = found
            if rise is not None:
                self._rises[float(want_rise)] = rise  # type: ignore[arg-type]
                while len(self._rises) > MAX_THRESHOLDS:
                    self._rises.pop(next(iter(self._rises)))
        return self.known_rows(peaks, emerge)

    def line_marks(
        self, zoom: Zoom, row: int, c0: int, c1: int, peaks: bool, emerge: float | None
    ) -> dict[int, int]:
        """Marks of row ``row``'s columns ``c0:c1`` as {column from c0: code}: the tensor's
        own, under the peak and emergence rows found (those win: they were asked for).
        None at other zooms (a block holds many rows)."""
        if not zoom.is_identity:
            return {}
        marks: dict[int, int] = {}
        cells = self.cell_marks(zoom)
        if cells is not None:
            line = cells[row, c0:c1]
            marks = {int(i): int(line[i]) for i in np.flatnonzero(line)}
        found_peaks, rise = self.known_rows(peaks, emerge)
        for rows, code in ((rise, EMERGE), (found_peaks, PEAK)):
            if rows is not None:
                marks.update((int(i), code) for i in np.flatnonzero(rows[c0:c1] == row))
        return marks

    def box_stats(self, box: Box, cancelled: Callable[[], bool] | None = None) -> BoxStats:
        """Statistics of a box over the data itself, computed once per box (the mean
        outside it: one pass over the matrix, once per pane); ``Cancelled`` on request."""
        stats = self._stats.get(box)
        if stats is None:
            inside = self.inner_box_stats(box, cancelled)
            if self._totals is None:
                self._totals = matrix_totals(self.matrix, cancelled)
            stats = self._stats[box] = with_outside(inside, self._totals)
        return stats

    def inner_box_stats(self, box: Box, cancelled: Callable[[], bool] | None = None) -> BoxStats:
        """The statistics of what is inside ``box`` (the mean outside as known: maybe None)."""
        found = self._stats.get(box) or self._inner.get(box)
        if found is None:
            found = box_stats(self.matrix, box, self._totals, False, cancelled)
            self._inner[box] = found
        return found

    def quick_box_stats(self, box: Box) -> BoxStats | None:
        """What a key may show of ``box`` now: its statistics when known or cheap (the box
        and, for the mean outside, the matrix within ``QUICK_CELLS``), else those inside it
        when the box alone is cheap, else None. A worker reads the rest (``box_stats``)."""
        whole = 0 if self._totals is not None else self.matrix.n_rows * self.matrix.n_cols
        if box in self._stats or box.n_cells + whole <= QUICK_CELLS:
            return self.box_stats(box)
        if box in self._inner or box.n_cells <= QUICK_CELLS:
            return self.inner_box_stats(box)
        return None

    def known_box_stats(self, box: Box) -> BoxStats | None:
        """The statistics of ``box`` if they were computed already (never a pass)."""
        return self._stats.get(box)

    def whole(self) -> HeatMatrix:
        """Every value of the tensor as one matrix (for the colour range of all slices)."""
        return flat_matrix(self.tensor)

    def sliced(self, spec: SliceSpec, readable: bool, reference: Pane | None = None) -> Pane:
        return Pane(self.name, self.tensor, spec, readable, reference)

    def reloaded(self, tensor: Tensor, reference: Pane | None = None) -> Pane:
        return Pane(self.name, tensor, self.spec, self.readable, reference)


class DifferencePane(Pane):
    """``minuend`` − ``subtrahend``, cell by cell, read on demand from both."""

    def __init__(self, minuend: Pane, subtrahend: Pane) -> None:
        super().__init__(
            f"{minuend.name} − {subtrahend.name}", minuend.tensor, minuend.spec, minuend.readable
        )
        self.minuend = minuend
        self.subtrahend = subtrahend

    @cached_property
    def matrix(self) -> HeatMatrix:
        return difference(self.minuend.matrix, self.subtrahend.matrix, self.name)

    @property
    def costly(self) -> bool:
        return self.minuend.costly or self.subtrahend.costly

    def make(self, watch: Callable[[float], None] | None = None) -> None:
        self.minuend.make(watch)
        self.subtrahend.make(watch)

    def cell_text(self, zoom: Zoom) -> np.ndarray | None:
        return None

    def cell_marks(self, zoom: Zoom) -> np.ndarray | None:
        return None  # the verdicts are of the minuend's tensor, not of the difference

    def whole(self) -> HeatMatrix:
        return difference(self.minuend.whole(), self.subtrahend.whole())


@dataclass(frozen=True, eq=False)  # eq=False: panes hold arrays; identity is what matters
class PaneSet:
    """The panes of a viewer, and whether the difference view is on."""

    panes: tuple[Pane, ...]
    diff: bool = False
    facet: int | None = None  # the axis laid out as panels (one tensor), or none (files)

    @classmethod
    def of(
        cls, tensors: Sequence[Tensor], names: Sequence[str], spec: SliceSpec, readable: bool = True
    ) -> PaneSet:
        first = Pane(names[0], tensors[0], spec, readable)
        rest = [Pane(n, t, spec, readable, first) for n, t in zip(names[1:], tensors[1:])]
        return cls((first, *rest))

    @classmethod
    def facets(cls, tensor: Tensor, spec: SliceSpec, axis: int, readable: bool = True) -> PaneSet:
        """Every index of ``axis`` as a panel: the same slice of one tensor otherwise."""
        names = facet_names(tensor, axis)
        panes = tuple(
            Pane(name, tensor, facet_spec(spec, axis, i), readable) for i, name in enumerate(names)
        )
        return cls(panes, facet=axis)

    @property
    def kind(self) -> PaneKind:
        """One matrix, N files (or their differences), or the panels of one tensor's facet:
        the layout planner and the keys ask this one value, not the count of panes."""
        if self.facet is not None:
            return "facets"
        return "one" if len(self.panes) == 1 else "files"

    @property
    def first(self) -> Pane:
        return self.panes[0]

    @property
    def single(self) -> bool:
        return self.kind == "one"

    @cached_property
    def shown(self) -> tuple[Pane, ...]:
        """What is on screen: every pane, or the differences (A − B for two runs; each pane
        minus the first for more)."""
        if not self.diff or len(self.panes) < 2:
            return self.panes
        if len(self.panes) == 2:
            return (DifferencePane(self.panes[0], self.panes[1]),)
        return tuple(DifferencePane(p, self.first) for p in self.panes[1:])

    def views(self, zoom: Zoom) -> list[HeatMatrix]:
        return [pane.view(zoom) for pane in self.shown]

    def values_at(self, cursor: Cursor, zoom: Zoom) -> tuple[float, ...]:
        """Every pane's value at the cursor (reduced over the block when zoomed out)."""
        return tuple(pane.view(zoom).value(*cursor.cell) for pane in self.panes)

    def sliced(self, spec: SliceSpec, readable: bool) -> PaneSet:
        if self.facet is not None:
            return PaneSet.facets(self.first.tensor, spec, self.facet, readable)
        first = self.first.sliced(spec, readable)
        rest = tuple(p.sliced(spec, readable, first) for p in self.panes[1:])
        return PaneSet((first, *rest), self.diff)

    def reloaded(self, tensors: Sequence[Tensor]) -> PaneSet:
        if self.facet is not None:
            first = self.first
            return PaneSet.facets(tensors[0], first.spec, self.facet, first.readable)
        first = self.first.reloaded(tensors[0])
        rest = tuple(p.reloaded(t, first) for p, t in zip(self.panes[1:], tensors[1:]))
        return PaneSet((first, *rest), self.diff)

    def toggled_diff(self) -> PaneSet:
        """D: the differences of files (panels of one tensor have none to show)."""
        if self.facet is not None:
            return self
        return PaneSet(self.panes, not self.diff)

    @property
    def tensors(self) -> tuple[Tensor, ...]:
        """One per file: the panels of a facet share theirs."""
        if self.facet is not None:
            return (self.first.tensor,)
        return tuple(p.tensor for p in self.panes)
