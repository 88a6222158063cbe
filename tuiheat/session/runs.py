"""``--stats`` and ``--vs``: runs of one shape shown as one grid (their mean, or the mean
difference of two conditions), with the test behind its marks always said; what the
readout, the boxes (``--boxes``, ``--json``) and the long CSV export say of it.

Runs are paired by sorted path: ``seed0/… seed1/…`` of A with the same of B.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from tuiheat.core.acrossruns import (
    Across,
    Runs,
    RunsError,
    bh_over,
    counted_range,
    one_sample_p,
    summarise,
)
from tuiheat.core.boxes import Box
from tuiheat.core.runreport import box_interval, cell_report, title
from tuiheat.core.tensor import SliceError, SliceSpec, Tensor, in_memory, slice_marks, slice_values
from tuiheat.render.marks import glyph
from tuiheat.session.open import Loaded
from tuiheat.session.options import Options, UsageError, display_name


@dataclass
class RunsView:
    """The runs behind the grid on screen, one pass over them, and the view shown."""

    across: Across
    first: Tensor  # the first run: axis names, labels, boxes
    names: tuple[str, ...]  # how the title names the runs (A's, then B's)
    view: str = ""
    run_names: tuple[str, ...] = ()  # every run's file (A's, then B's), for the notes
    where: str = ""  # a reduced slice, as the runs were cut (``[6,4,7] · layer mean · …``)
    _counted: dict[object, tuple[int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.view = self.view or self.across.runs.views[0]

    def tensor(self, view: str | None = None) -> Tensor:
        """One view as a tensor of the runs' shape, its marks with it."""
        view = view or self.view
        return replace(
            self.first,
            values=self.across.grid(view),
            title=self.title(view),
            vmin=None,
            vmax=None,
            text=None,
            marks=self.across.marks,
            notes=(),
        )

    def title(
        self, view: str | None = None, spec: SliceSpec | None = None, width: int | None = None
    ) -> str:
        """The view and its test, always; before them the slice of an N-D grid, and the
        runs' names: the longest form that fits ``width`` (names go first, then words)."""
        view = view or self.view
        shown = self._shown(spec)
        full = title(self.across, view, shown)
        short = title(self.across, view, shown, compact=True)
        names = " vs ".join(self.names)
        place = self._place(spec)
        if not place:
            forms = [f"{full} · {names}", full, short]
        else:
            hidden = " · ".join(place.split(" · ")[1:-1])  # layer 2 (not shape, not axes)
            forms = [f"{names} {place} · {full}", f"{place} · {full}", f"{hidden} · {full}"]
            forms += [f"{hidden} · {short}", short]
        if width is None:
            return forms[0]
        return next((form for form in forms if len(form) <= width), forms[-1])

    def _place(self, spec: SliceSpec | None) -> str:
        if self.where:
            return self.where
        if spec is None or self.first.ndim <= 2:
            return ""
        from tuiheat.core.tensor import describe

        return describe(self.first, spec, "")

    def _shown(self, spec: SliceSpec | None) -> tuple[int, int] | None:
        """The n range of the slice on screen (once per slice)."""
        if spec is None or self.first.ndim <= 2:
            return None
        if spec not in self._counted:
            n = slice_values(replace(self.first, values=self.across.n, marks=None), spec)
            self._counted[spec] = counted_range(np.asarray(n))
        return self._counted[spec]

    @property
    def notes(self) -> list[str]:
        said = [f"{self.run_names[i]} has no numbers: left out" for i in self.across.empty]
        infinite = self.across.infinite
        if infinite:
            plural = "s" * (infinite > 1)
            said.append(f"{infinite} infinite value{plural} left out of the statistics, as NaN is")
        return said

    def next_view(self) -> str:
        views = self.across.runs.views
        self.view = views[(views.index(self.view) + 1) % len(views)]
        return self.view

    def cell_text(self, index: tuple[int, ...], ascii_only: bool = False) -> str:
        """``▪ 0.843 ± 0.012 (n=5, 95% t-interval) · runs …``: the cell's mark, its
        interval and its runs; in another view, that view's value first."""
        said = cell_report(self.across, index).text()
        mark = glyph(int(self.across.marks[index]), ascii_only)
        said = f"{mark} {said}" if mark else said
        if self.view not in ("mean", "difference"):
            value = float(self.across.grid(self.view)[index])
            said = f"{self.view} {value:.3g} · {said}"
        return said

    def index_of(self, spec: SliceSpec, row: int, col: int) -> tuple[int, ...]:
        """The tensor's cell under the slice's (row, col)."""
        index = [0] * self.first.ndim
        for axis, _, i in spec.hidden:
            index[axis] = i
        index[spec.rows], index[spec.cols] = row, col
        return tuple(index)

    def box(self, spec: SliceSpec, box: Box) -> tuple[str, dict[str, Any]]:
        """A box's mean over runs with its interval: each run cut to the box's cells."""

        def cut(run: np.ndarray) -> np.ndarray:
            grid = slice_values(replace(self.first, values=run, marks=None, text=None), spec)
            return np.asarray(grid[box.r0 : box.r1 + 1, box.c0 : box.c1 + 1])

        return box_interval(self.across.runs, [cut])


def runs_loaded(
    loaded: Loaded, others: Sequence[Loaded], versus: Sequence[Loaded], options: Options
) -> Loaded:
    """The first file's ``Loaded`` turned into the grid of the runs: every file given as
    A (and ``--vs`` as B), sorted by path; a one-line error when they do not fit. A slice
    that reduces an axis (``--slice layer=mean``) reduces each run first: the test is of
    the runs' means, never a mean of per-cell tests."""
    from tuiheat.core.tensor import slice_matrix

    a_names = [options.file or "", *options.others]
    a = sorted(zip(a_names, [loaded, *others], strict=True), key=lambda item: item[0])
    b = sorted(zip(options.vs, versus, strict=True), key=lambda item: item[0])
    if any(item.lens is not None for _, item in (*a, *b)):
        raise UsageError("--stats and --vs take arrays of numbers, not a logit lens")
    try:
        a_runs, spec = reduced([in_memory(item.tensor) for _, item in a], loaded.spec)
        b_runs, _ = reduced([in_memory(item.tensor) for _, item in b], loaded.spec)
    except SliceError as err:
        raise UsageError(f"--stats: {err}") from None
    try:
        runs = Runs(
            tuple(t.values for t in a_runs),
            tuple(t.values for t in b_runs),
            paired=not options.unpaired,
            reference=options.chance,
        )
    except RunsError as err:
        raise UsageError(f"--vs: {err}" if options.vs else str(err)) from None
    names = (group_name([n for n, _ in a]),) + ((group_name([n for n, _ in b]),) if b else ())
    every = tuple(display_name(n) for n, _ in (*a, *b))
    where = cut_of(loaded.tensor, loaded.spec)
    view = RunsView(summarise(runs), a_runs[0], names, run_names=every, where=where)
    tensor = view.tensor()
    matrix = slice_matrix(tensor, spec).with_boxes(loaded.matrix.boxes)
    title = view.title(spec=spec)
    return replace(
        loaded,
        matrix=matrix,
        tensor=tensor,
        spec=spec,
        title=title,
        name=view.names[0],
        data_path=None,  # a grid of many files: no sidecar, no reload
        notices=[*loaded.notices, *view.notes],
        runs=view,
    )


def reduced(tensors: Sequence[Tensor], spec: SliceSpec) -> tuple[list[Tensor], SliceSpec]:
    """Each run reduced to the slice when the slice reduces an axis (then a 2-D tensor and
    its own slice), else the runs as they are."""
    from tuiheat.core.tensor import default_spec, slice_matrix

    if not tensors or not spec.reduces:
        return list(tensors), spec
    flat = [Tensor.from_matrix(slice_matrix(t, spec)) for t in tensors]
    return flat, default_spec(flat[0])


def cut_of(tensor: Tensor, spec: SliceSpec) -> str:
    """How a reducing slice cut the runs (``[6,4,7] · layer mean · head × token``), or ''."""
    if not spec.reduces:
        return ""
    from tuiheat.core.tensor import describe

    return describe(tensor, spec, "")


def runs_view_of(tensors: Sequence[Tensor], names: Sequence[str], spec: SliceSpec) -> RunsView:
    """``A`` over files of one shape: their statistics (against 0.5 when their mean is
    AUC, else 0), in the order they were given, of the slice on screen when it reduces."""
    runs, _ = reduced(tensors, spec)
    runs = [in_memory(t) for t in runs]  # a store whole (SliceError past 1 GiB)
    across = summarise(Runs(tuple(t.values for t in runs)))
    where = cut_of(tensors[0], spec)
    shown = tuple(display_name(n) for n in names)
    return RunsView(across, runs[0], (group_name(names),), run_names=shown, where=where)


def group_name(names: Sequence[str]) -> str:
    """``seed*/auc.npy ×5`` or ``probe_seed*.csv ×5`` when the names differ only by a
    number, ``auc.npy ×5`` when they share a file name, else the first and the last."""
    shown = [display_name(n) for n in names]
    if len(shown) == 1:
        return shown[0]
    head = _common_start(shown)
    tail = _common_start([n[len(head) :][::-1] for n in shown])[::-1]
    middles = [n[len(head) : len(n) - len(tail)] for n in shown]
    if all(m.isdigit() for m in middles):
        return f"{head.rsplit('/', 1)[-1]}*{tail} ×{len(shown)}"
    bases = {Path(n).name for n in shown}
    if len(bases) == 1:
        return f"{bases.pop()} ×{len(shown)}"
    return f"{shown[0]} … {shown[-1]} ({len(shown)})"


def _common_start(texts: Sequence[str]) -> str:
    """The characters every text starts with (of names, not of paths)."""
    first = min(texts, key=len)
    for i, ch in enumerate(first):
        if any(text[i] != ch for text in texts):
            return first[:i]
    return first


def runs_csv(view: RunsView, spec: SliceSpec, row_title: str) -> Iterator[str]:
    """``--export x.csv``: one line per cell of the slice on screen (long format): its
    labels, the mean (or difference), the interval's half-width, n, p and q."""
    across, first = view.across, view.first
    if across.centre.dtype != np.float64:  # a big grid kept in float32: in full, for a file
        runs = replace(across.runs, reference=across.reference)
        across = summarise(runs, exact=True)
    one = across.runs.kind == "runs"
    p = one_sample_p(across) if one else across.p
    q = bh_over(p) if one else across.q
    columns = {"mean" if one else "difference": across.centre, "half_width": across.half}
    if across.n_b is None:
        columns["n"] = across.n
    else:  # Welch: each side's runs
        columns["n_a"], columns["n_b"] = across.n, across.n_b
    columns |= {"p": p, "q": q}
    grids = {
        name: np.asarray(slice_values(replace(first, values=grid, marks=None), spec))
        for name, grid in columns.items()
    }
    from tuiheat.core.tensor import slice_matrix
    from tuiheat.render.export import neutralise

    labels = slice_matrix(first, spec, readable=False)  # as the file wrote them
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([neutralise(row_title), neutralise(labels.col_title), *grids])
    for r, row_label in enumerate(labels.row_labels):
        for c, col_label in enumerate(labels.col_labels):
            writer.writerow(
                [
                    neutralise(row_label),
                    neutralise(col_label),
                    *(_cell(g[r, c]) for g in grids.values()),
                ]
            )
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()


def _cell(value: Any) -> str:
    value = float(value)
    if value != value:
        return ""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def box_lines(view: RunsView, spec: SliceSpec, boxes: Sequence[Box]) -> list[str]:
    """``--boxes``: each box's across-runs line, after its own."""
    return [view.box(spec, box)[0] for box in boxes]


def marks_of(loaded: Loaded) -> np.ndarray | None:
    """The marks of the slice shown (None: not a grid of runs, or a reduced slice)."""
    if loaded.runs is None:
        return None
    return slice_marks(loaded.tensor, loaded.spec)
