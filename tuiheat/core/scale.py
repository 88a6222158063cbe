"""Value -> position on the colour scale: the range, normalisation, binning and tick values.

Everything is vectorised numpy in float64 over finite values only, so a NaN or
an infinity never poisons the range and no per-cell Python runs.
"""

from __future__ import annotations

import contextlib
import math
import mmap
import operator
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import reduce

import numpy as np

from tuiheat.core.chunkrows import dask_plane
from tuiheat.core.filerows import memmap_base
from tuiheat.core.matrix import BIG_CELLS, HeatMatrix, sample_values
from tuiheat.core.scratch import Scratch

NAN_BIN = -1
# Rows per chunk when scanning a (possibly memory-mapped) matrix for its range,
# so a float64 copy of a huge file is never made at once.
_CHUNK_CELLS = 1 << 19


@dataclass(frozen=True)
class ValueRange:
    """The values mapped to the two ends of the colour scale.

    ``provisional`` marks a range taken from a sample of a big matrix, until the
    full scan (in the background) confirms or replaces it.
    """

    vmin: float
    vmax: float
    provisional: bool = False
    log: bool = False  # positions by log10 (vmin > 0); non-positive values clip to the low end
    # Cells below vmin that the AUC rule kept on the 0.5-1.0 scale (marked on screen);
    # counted in a sample (an estimate) while ``provisional``.
    under: int = 0
    auc: bool = False  # the AUC rule chose these ends (``looks_like_auc``): the title says so

    def __post_init__(self) -> None:
        if not (math.isfinite(self.vmin) and math.isfinite(self.vmax)):
            raise ValueError(f"the colour range must be finite, got {self.vmin}..{self.vmax}")
        if self.vmin > self.vmax:
            raise ValueError(f"vmin {self.vmin:g} is above vmax {self.vmax:g}")
        if self.log and self.vmin <= 0:
            raise ValueError("a log scale needs vmin > 0")

    @property
    def span(self) -> float:
        """vmax - vmin; for ends near ±1e308 (whose difference overflows) the largest float."""
        span = self.vmax - self.vmin
        return span if math.isfinite(span) else sys.float_info.max


def iter_row_chunks(
    matrix: HeatMatrix,
    cells: int = _CHUNK_CELLS,
    rows: tuple[int, int] | None = None,
    cols: tuple[int, int] | None = None,
    as_read: bool = False,
) -> Iterator[np.ndarray]:
    """The matrix (or rows and columns ``[a, b)`` of it) as float64 blocks of rows,
    each about ``cells`` cells (``as_read``: in ``scan_dtype``, float32 staying float32).

    Each block lives in buffers reused by the next (use it before asking for another):
    a pass faults its memory in once. Pages of a memory map are released once their
    block is done, so a full scan of a big file does not leave it all counted in this
    process's memory.
    """
    first, last = rows or (0, matrix.n_rows)
    c0, c1 = cols or (0, matrix.n_cols)
    step = max(1, cells // max(1, c1 - c0))
    read, scratch = matrix.scan_reader(), Scratch()
    for r0 in range(first, last, step):
        r1 = min(last, r0 + step)
        block = read(r0, r1, c0, c1)
        if not as_read and block.dtype != np.float64:
            wide = scratch.take("wide", block.shape, np.float64)
            np.copyto(wide, block)
            block = wide
        yield block
        release_rows(matrix, r0, r1)


def release_rows(matrix: HeatMatrix, r0: int, r1: int) -> None:
    """Tell the kernel we are done with rows r0:r1 of a memory map (MADV_DONTNEED).

    The pages stay in the page cache; only this process's resident set shrinks.
    A matrix that is not a C-ordered memory map is left alone.
    """
    parts = getattr(matrix, "parts", None)  # a view computed from other matrices (A − B)
    if parts is not None:
        for part in parts:
            release_rows(part, r0, r1)
        return
    values = matrix.values
    madvise = getattr(mmap, "madvise", None) or getattr(mmap.mmap, "madvise", None)
    base = memmap_base(values)
    if base is None or madvise is None or not values.flags.c_contiguous:
        return
    page = mmap.PAGESIZE
    map_start = base.ctypes.data - (base.offset % mmap.ALLOCATIONGRANULARITY)
    begin = values.ctypes.data + r0 * values.strides[0] - map_start
    end = values.ctypes.data + r1 * values.strides[0] - map_start
    begin = -(-begin // page) * page
    end = (end // page) * page
    if end > begin:
        with contextlib.suppress(OSError, ValueError):
            base._mmap.madvise(mmap.MADV_DONTNEED, begin, end - begin)  # type: ignore[union-attr]


def _extent(values: np.ndarray) -> tuple[float, float] | None:
    finite = values[np.isfinite(values)]
    if not finite.size:
        return None
    return float(finite.min()), float(finite.max())


def finite_min_max(matrix: HeatMatrix, watch: Watch | None = None) -> tuple[float, float] | None:
    """The smallest and largest finite value, or None when there is none."""
    found = _survey(watched(iter_row_chunks(matrix, as_read=True), matrix.n_rows, watch))
    return None if found is None else (found.low, found.high)


@dataclass(frozen=True)
class Survey:
    """What a range is chosen from: the finite extent, and how many values sit below
    chance (0.5) and far below it (0.4).

    ``cells``: how many cells the survey stands for; more than ``finite`` when it was
    taken from a sample of a big matrix (``sampled``), whose counts are then estimates.
    """

    low: float
    high: float
    finite: int
    below_half: int
    far_below: int = 0
    cells: int = 0
    sampled: bool = False

    def __add__(self, other: Survey) -> Survey:
        """Two matrices surveyed as one (the files of ``tuiheat A B C`` share one rule)."""
        return Survey(
            min(self.low, other.low),
            max(self.high, other.high),
            self.finite + other.finite,
            self.below_half + other.below_half,
            self.far_below + other.far_below,
            self.cells + other.cells,
            self.sampled or other.sampled,
        )

    @property
    def under(self) -> int:
        """Cells below 0.5: counted, or estimated from the sample."""
        if not self.sampled:
            return self.below_half
        return round(self.below_half * self.cells / max(1, self.finite))


SEED_RANGE = ValueRange(0.5, 1.0)
# A probe's AUC below chance is noise around 0.5: a quarter of the values below this is not.
AUC_QUARTILE = 0.4
# What the title says when the rule below chose 0.5-1.0.
AUC_RULE = f"AUC: in [0,1], median ≥ 0.5, Q1 ≥ {AUC_QUARTILE}"


def _survey(blocks: Iterator[np.ndarray] | list[np.ndarray]) -> Survey | None:
    """The survey of ``blocks``. Cells below 0.5 and 0.4 are counted while every value so
    far lies in [0, 1]: outside it the AUC rule cannot hold and the counts mean nothing."""
    lo, hi, finite_n, below, far = math.inf, -math.inf, 0, 0, 0
    scratch = Scratch()
    for block in blocks:
        mask = np.isfinite(block, out=scratch.take("finite", block.shape, bool))
        # Most blocks are all finite: no copy of the values is needed then.
        finite = block if mask.all() else block[mask]
        if finite.size:
            lo = min(lo, float(finite.min()))
            hi = max(hi, float(finite.max()))
            finite_n += int(finite.size)
            if lo >= 0.0 and hi <= 1.0:
                less = scratch.take("less", finite.shape, bool)
                below += int(np.count_nonzero(np.less(finite, SEED_RANGE.vmin, out=less)))
                far += int(np.count_nonzero(np.less(finite, AUC_QUARTILE, out=less)))
    return None if finite_n == 0 else Survey(lo, hi, finite_n, below, far, cells=finite_n)


def block_survey(values: np.ndarray) -> Survey:
    """One block's survey (a chunk read elsewhere; see ``merged``); empty, not None, if none."""
    found = _survey([values])
    return found if found is not None else Survey(math.inf, -math.inf, 0, 0, 0)


def merged(parts: list[Survey]) -> Survey | None:
    """Blocks surveyed apart, as one pass finds them (counts only if all lie in [0, 1])."""
    total = reduce(operator.add, parts) if parts else None
    if total is None or total.finite == 0:
        return None
    inside = total.low >= 0.0 and total.high <= 1.0
    below, far = (total.below_half, total.far_below) if inside else (0, 0)
    return replace(total, below_half=below, far_below=far, cells=total.finite)


def looks_like_auc(survey: Survey) -> bool:
    """Probe AUC: a score in [0, 1] whose bulk is at or above chance (0.5).

    The rule is about what the data are, not how noisy they are: every finite value
    within [0, 1], the median at or above 0.5 (fewer than half the values below it) and
    the lower quartile at or above 0.4 (a probe's values below chance are noise near
    it; uniform noise in [0, 1] is not AUC). However many chance-level cells scatter
    below 0.5, seeds of one probe get one scale (those cells are counted and marked);
    a [0, 1] score whose bulk is below 0.5 (attention weights, most probabilities) keeps
    its own range. Both are counts, exact over chunks and the same statistic in a
    sample, so a big file's provisional range and its full scan decide alike.
    """
    return (
        survey.low >= 0.0
        and survey.high <= 1.0
        and 2 * survey.below_half < survey.finite
        and 4 * survey.far_below < survey.finite
    )


Watch = Callable[[float], None]  # told the share of a scan done; may raise to stop it


def watched(blocks: Iterator[np.ndarray], n_rows: int, watch: Watch | None) -> Iterator[np.ndarray]:
    """``blocks`` of rows, telling ``watch`` the share of the rows read after each."""
    done = 0
    for block in blocks:
        yield block
        done += block.shape[0]
        if watch is not None:
            watch(done / max(1, n_rows))


def survey(matrix: HeatMatrix, sample: bool = False, watch: Watch | None = None) -> Survey | None:
    """What the automatic range is chosen from: of a sample while ``sample`` and the matrix
    is big (the range is then provisional), else of every value (``watch`` is told how far)."""
    if sample and matrix.read_cells > BIG_CELLS:
        found = _survey([sample_values(matrix)])
        return None if found is None else replace(found, cells=matrix.size, sampled=True)
    plane = dask_plane(matrix)
    counted = plane.reducer.survey(plane, None, watch) if plane is not None else None
    if counted is not None:  # on dask (None: not, or it failed and the scan is made here)
        return merged([counted])
    return _survey(watched(iter_row_chunks(matrix, as_read=True), matrix.n_rows, watch))


def needs_survey(matrix: HeatMatrix, vmin: float | None, vmax: float | None) -> bool:
    """Whether an end of the range comes from the data (not the overrides or the file)."""
    return (vmin if vmin is not None else matrix.vmin) is None or (
        vmax if vmax is not None else matrix.vmax
    ) is None


def default_range(
    matrix: HeatMatrix,
    vmin: float | None = None,
    vmax: float | None = None,
    sample: bool = False,
    watch: Watch | None = None,
) -> ValueRange:
    """The range to colour by: overrides, else the file's own, else 0.5-1 for AUC-like data.

    Either end may be fixed alone; the other end then comes from the rule below
    it. The 0.5-1.0 default reproduces the seed figure's scale whenever the data
    are probe AUC (``looks_like_auc``: cells below 0.5 are then counted in
    ``under`` and marked); other data gets its finite min-max.
    """
    found = survey(matrix, sample, watch) if needs_survey(matrix, vmin, vmax) else None
    return range_from(matrix, found, vmin, vmax, found is not None and looks_like_auc(found))


def range_from(
    matrix: HeatMatrix,
    found: Survey | None,
    vmin: float | None = None,
    vmax: float | None = None,
    auc: bool = False,
) -> ValueRange:
    """The range of ``matrix`` from its survey ``found``: overrides, else the file's own ends,
    else 0.5-1.0 when ``auc`` (decided by ``looks_like_auc``, for this matrix or for every
    file compared with it), else the finite min-max."""
    lo = vmin if vmin is not None else matrix.vmin
    hi = vmax if vmax is not None else matrix.vmax
    if lo is not None and hi is not None:
        return ValueRange(float(lo), float(hi))
    provisional = found is not None and found.sampled
    rule = auc and found is not None and lo is None  # the low end is the AUC rule's
    if found is None:
        data_lo, data_hi = 0.0, 1.0
    elif auc:
        data_lo, data_hi = SEED_RANGE.vmin, SEED_RANGE.vmax
    else:
        data_lo, data_hi = found.low, found.high
    if lo is None and hi is None:
        lo, hi = data_lo, data_hi
    elif lo is None:
        lo = min(data_lo, hi)  # type: ignore[type-var]
    else:
        hi = max(data_hi, lo)
    under = found.under if rule and found is not None else 0
    return ValueRange(float(lo), float(hi), provisional, under=under, auc=rule)  # type: ignore[arg-type]


def normalize(values: np.ndarray, vrange: ValueRange) -> np.ndarray:
    """Positions in [0, 1] (clipped; NaN stays NaN, +-inf clip to the ends).

    A zero-width range puts every finite value in the middle, except values
    strictly outside it, which clip to the ends as usual.
    """
    x = np.asarray(values, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        if vrange.log and vrange.span > 0:
            lo, hi = math.log10(vrange.vmin), math.log10(vrange.vmax)
            logs = np.where(x > 0, np.log10(np.where(x > 0, x, 1.0)), -np.inf)
            pos = np.where(np.isnan(x), np.nan, (logs - lo) / (hi - lo))
        elif vrange.span > 0:
            half = vrange.vmax / 2 - vrange.vmin / 2  # halves: no overflow near ±1e308
            pos = (x / 2 - vrange.vmin / 2) / half
        else:
            pos = np.where(x < vrange.vmin, 0.0, np.where(x > vrange.vmax, 1.0, 0.5))
            pos = np.where(np.isnan(x), np.nan, pos)
        return np.clip(pos, 0.0, 1.0)


def to_bins(values: np.ndarray, vrange: ValueRange, n_bins: int) -> np.ndarray:
    """Colour-bin index per cell (0 = low end, n_bins-1 = high end, NAN_BIN for NaN)."""
    pos = normalize(values, vrange)
    nan = np.isnan(pos)
    bins = np.rint(np.where(nan, 0.0, pos) * (n_bins - 1)).astype(np.int16)
    bins[nan] = NAN_BIN
    return bins


def to_bins_by(
    values: np.ndarray, lows: np.ndarray, highs: np.ndarray, n_bins: int, axis: int
) -> np.ndarray:
    """Colour bins with each row (axis 0) or column (axis 1) normalised to its own range."""
    x = np.asarray(values, dtype=np.float64)
    shape = (-1, 1) if axis == 0 else (1, -1)
    lo, hi = np.reshape(lows, shape), np.reshape(highs, shape)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        span = hi - lo
        pos = np.where(span > 0, (x - lo) / np.where(span > 0, span, 1.0), 0.5)
        pos = np.clip(np.where(np.isfinite(lo) & np.isfinite(hi), pos, np.nan), 0.0, 1.0)
    pos = np.where(np.isnan(x), np.nan, pos)
    nan = np.isnan(pos)
    bins = np.rint(np.where(nan, 0.0, pos) * (n_bins - 1)).astype(np.int16)
    bins[nan] = NAN_BIN
    return bins


LOG_DECADES = 4  # an automatic log scale spans at most this many decades below its maximum


def log_range(
    vrange: ValueRange, smallest_positive: float | None, floor: bool = True
) -> ValueRange:
    """The same range on a log scale; a non-positive low end moves to the smallest positive
    value. With ``floor`` (the low end was not typed), the scale reaches at most
    ``LOG_DECADES`` below the maximum: attention weights of 1e-24 would otherwise darken
    everything that matters."""
    hi = vrange.vmax
    lo = vrange.vmin if vrange.vmin > 0 else (smallest_positive or hi / 1e6)
    if hi <= 0:
        hi, lo = 1.0, 1e-6
    if floor:
        lo = max(lo, hi / 10**LOG_DECADES)
    lo = min(lo, hi)
    return ValueRange(lo, hi, vrange.provisional, log=True)


def centred_range(vrange: ValueRange, center: float) -> ValueRange:
    """A range symmetric around ``center`` that still holds both ends (for diverging maps)."""
    half = max(abs(vrange.vmax - center), abs(center - vrange.vmin)) or 1.0
    return ValueRange(center - half, center + half, vrange.provisional)


def slice_extent(matrix: HeatMatrix) -> tuple[float, float] | None:
    """Finite min and max of a matrix: exact, or from a sample when the matrix is big."""
    if matrix.read_cells > BIG_CELLS:
        return _extent(sample_values(matrix))
    return finite_min_max(matrix)


def adjusted_range(
    vrange: ValueRange,
    matrix: HeatMatrix,
    center: float | None = None,
    log: bool = False,
    floor: bool = True,
    positive: float | None = None,
) -> ValueRange:
    """``vrange`` made symmetric around ``center`` and/or put on a log scale for ``matrix``
    (``floor``: see ``log_range``; off when the user typed the low end). ``positive``: the
    smallest positive value when known, else a sample of the matrix (in its file's order)
    gives it."""
    if center is not None:
        vrange = centred_range(vrange, center)
    if log:
        if positive is None and vrange.vmin <= 0:
            positive = smallest_positive(sample_values(matrix.in_file_order()[0]))
        vrange = log_range(vrange, positive, floor)
    return vrange


def smallest_positive(values: np.ndarray) -> float | None:
    x = np.asarray(values, dtype=np.float64)
    positive = x[np.isfinite(x) & (x > 0)]
    return float(positive.min()) if positive.size else None


def under_text(vrange: ValueRange, mark: str = "▾") -> str:
    """``3 cells below 0.5 ▾``: what the AUC rule kept at the light end (≈ from a sample)."""
    approx = "≈" if vrange.provisional else ""
    cells = "cell" if vrange.under == 1 else "cells"
    return f"{approx}{vrange.under} {cells} below {vrange.vmin:g} {mark}"


def _end_text(value: float, ends: list[float]) -> str:
    """An end of the range: the decimals both ends need (at most 4), else 3 digits."""
    decimals = min(6, max(len(f"{end:.10f}".rstrip("0").split(".")[1]) for end in ends))
    if max(abs(end) for end in ends) >= 1e6 or decimals >= 5:
        return f"{value:.3g}"
    return f"{value:.{decimals}f}"


def range_text(vrange: ValueRange) -> str:
    """``0.5–1.0`` for round ends; ends like 0.99999994 get just the decimals the span needs."""
    if vrange.log:
        return f"{vrange.vmin:.3g}–{vrange.vmax:.3g}"
    ends = [vrange.vmin, vrange.vmax]
    low, high = _end_text(vrange.vmin, ends), _end_text(vrange.vmax, ends)
    if len(low.split(".")[-1]) <= 3 or vrange.span <= 0:
        return f"{low}–{high}"
    decimals = min(6, max(1, 2 - math.floor(math.log10(vrange.span))))
    return f"{vrange.vmin:.{decimals}f}–{vrange.vmax:.{decimals}f}"
