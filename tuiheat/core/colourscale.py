"""How to colour, as one value: the base range, colour map, centre, log switch and range mode.

``ScaleSettings`` is what the user set (``c v L R D``); ``resolve`` turns it into the
range the cells of the views on screen are coloured by. One place for the rules that
used to live in the app, the command line and the API alike: the start range of one
or more tensors (shared, so one colour is one value in every pane), the difference
view's diverging scale and the way back from it, and when a new range is too close
to the old to be worth a repaint.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import reduce

import numpy as np

from tuiheat.core.axisstats import AxisStats, axis_stats, known_stats
from tuiheat.core.colormap import COLORMAPS, DIVERGING_COLORMAP
from tuiheat.core.compare import difference, difference_range, shared_range
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.scale import (
    Survey,
    ValueRange,
    Watch,
    adjusted_range,
    looks_like_auc,
    needs_survey,
    range_from,
    slice_extent,
    survey,
)
from tuiheat.core.tensor import Tensor, flat_matrix

RANGE_MODES = ("fixed", "matrix", "row", "column")
RANGE_NAMES = {
    "fixed": "fixed (file, flags or default)",
    "matrix": "this matrix's min–max",
    "row": "each row to its own min–max",
    "column": "each column to its own min–max",
}
DIFFERENCE_COLORMAP = DIVERGING_COLORMAP
ByAxis = tuple[int, np.ndarray, np.ndarray]


@dataclass(frozen=True, eq=False)  # eq=False: it holds arrays
class ResolvedScale:
    """What the cells are coloured by: one range, or (``by_axis``) each row's or column's own."""

    vrange: ValueRange
    by_axis: ByAxis | None
    note: str  # under the colour bar: "≈ sampled", "log", "per row", ...
    colormap: str


@dataclass(frozen=True)
class ScaleSettings:
    base: ValueRange
    colormap: str = "blues"
    center: float | None = None
    log: bool = False
    mode: str = "fixed"
    vmin: float | None = None  # what --vmin / --vmax fixed: kept across reloads and slices
    vmax: float | None = None
    auto: bool = True  # the base range came from the data (a reload recomputes it)
    saved: ScaleSettings | None = None  # the scale of the panes while D shows differences
    typed: bool = False  # the base range was typed (v): its ends are the user's, as --vmin's

    @property
    def low_given(self) -> bool:
        """The low end is the user's (``--vmin``, or typed with ``v``): it wins over the
        automatic log floor."""
        return self.vmin is not None or self.typed

    def next_colormap(self) -> ScaleSettings:
        names = list(COLORMAPS)
        at = names.index(self.colormap) if self.colormap in names else -1
        return replace(self, colormap=names[(at + 1) % len(names)])

    def toggled_log(self) -> ScaleSettings:
        return replace(self, log=not self.log)

    def next_mode(self) -> ScaleSettings:
        return replace(
            self, mode=RANGE_MODES[(RANGE_MODES.index(self.mode) + 1) % len(RANGE_MODES)]
        )

    def with_range(self, base: ValueRange, center: float | None) -> ScaleSettings:
        """``v``: a typed range, kept over reloads; the range mode goes back to fixed."""
        return replace(self, base=base, center=center, mode="fixed", typed=True, auto=False)

    def with_center(self, center: float | None) -> ScaleSettings:
        """``v center V``: the range as it was, symmetric around ``center``."""
        return replace(self, center=center, mode="fixed")

    def with_auto_range(self, base: ValueRange) -> ScaleSettings:
        """``v auto``: the start range again (a reload recomputes it)."""
        return replace(self, base=base, center=None, mode="fixed", typed=False, auto=True)

    def with_base(self, base: ValueRange) -> ScaleSettings:
        """A new start range (a refined scan, a reload), everything else as it was."""
        return replace(self, base=base)

    @property
    def in_difference(self) -> bool:
        return self.saved is not None

    def for_difference(
        self, base: ValueRange, colormap: str = DIFFERENCE_COLORMAP
    ) -> ScaleSettings:
        """``D``: a diverging map centred on 0 over ``base``; this scale is kept for the way back."""
        return ScaleSettings(base, colormap, 0.0, False, "fixed", self.vmin, self.vmax, False, self)

    def restored(self) -> ScaleSettings:
        """Back from the difference view to the scale the panes had."""
        return self.saved if self.saved is not None else self

    def resolve(
        self, views: Sequence[HeatMatrix], stats: Sequence[AxisStats | None] | None = None
    ) -> ResolvedScale:
        """The scale of the ``views`` on screen (every pane: one range holds them all).

        The one resolution every consumer reads: the cells, the colour bar, the title,
        the profiles and chart, the exports and print mode. ``stats``: the views'
        statistics where known (``axis_stats``, one per view): the per-row and per-column
        ranges, the matrix's extent and a log scale's low end then read no data.
        """
        known = list(stats) if stats is not None else [None] * len(views)
        if self.mode in ("row", "column"):
            axis = 0 if self.mode == "row" else 1
            lows = highs = None
            for view, found in zip(views, known, strict=True):
                low, high = (found or axis_stats(view)).ranges(axis)
                lows = low if lows is None else np.fmin(lows, low)
                highs = high if highs is None else np.fmax(highs, high)
            assert lows is not None and highs is not None
            return ResolvedScale(
                ValueRange(0.0, 1.0), (axis, lows, highs), f"per {self.mode}", self.colormap
            )
        vrange, floor = self.base, not self.low_given
        if self.mode == "matrix":
            extents = [
                e
                for e in (
                    found.extent() if found is not None else slice_extent(view)
                    for view, found in zip(views, known, strict=True)
                )
                if e is not None
            ]
            if extents:
                vrange = ValueRange(min(e[0] for e in extents), max(e[1] for e in extents))
                floor = True  # the data's own low end
        positive = known[0].smallest_positive() if known[0] is not None else None
        vrange = adjusted_range(vrange, views[0], self.center, self.log, floor, positive)
        note = "≈ sampled" if vrange.provisional else ("log" if vrange.log else "")
        return ResolvedScale(vrange, None, note, self.colormap)


def start_range(
    tensors: Sequence[Tensor],
    vmin: float | None = None,
    vmax: float | None = None,
    *,
    difference_view: bool = False,
    sample: bool = False,
    watch: Watch | None = None,
) -> ValueRange:
    """The base range of every slice of ``tensors``: taken over the whole of each (so heads
    and layers compare) and shared between them; of A − B (symmetric around 0) for the
    difference view. ``sample``: a big file starts from a sample, refined later; ``watch``
    is told the share of a full scan done (and may raise to stop it)."""

    def part(i: int, n: int) -> Watch | None:
        return None if watch is None else (lambda done: watch((i + done) / n))

    if difference_view:  # A − B for two; each minus the first for more: one range for all
        first, others = flat_matrix(tensors[0]), tensors[1:]
        ranges = [
            difference_range(difference(first, flat_matrix(o)), sample, part(i, len(others)))
            for i, o in enumerate(others)
        ]
        return reduce(shared_range, ranges)
    n = len(tensors)
    matrices = [flat_matrix(t) for t in tensors]
    surveys = [
        _surveyed(m, sample, part(i, n)) if needs_survey(m, vmin, vmax) else None
        for i, m in enumerate(matrices)
    ]
    # One rule for every file compared: the AUC scale is decided on all their values.
    found = [s for s in surveys if s is not None]
    auc = bool(found) and looks_like_auc(reduce(operator.add, found))
    ranges = [range_from(m, s, vmin, vmax, auc) for m, s in zip(matrices, surveys, strict=True)]
    return reduce(shared_range, ranges)


def _surveyed(matrix: HeatMatrix, sample: bool, watch: Watch | None) -> Survey | None:
    """The survey of every value: from the matrix's statistics when a pass found them
    before (the margins', ``R``'s: no pass now), else a scan (a survey reads less per value
    than the statistics' pass, so print mode and the start range do not pay for those)."""
    known = known_stats(matrix)
    return known.survey() if known is not None else survey(matrix, sample, watch)


def looks_same(old: ValueRange, new: ValueRange, n_bins: int) -> bool:
    """Ends that moved by less than half a colour step look the same: no repaint."""
    step = max(new.span, 1e-300) / (2 * n_bins)
    return (
        new.log == old.log
        and new.under == old.under
        and new.auc == old.auc
        and abs(new.vmin - old.vmin) <= step
        and abs(new.vmax - old.vmax) <= step
    )
