"""``--stats`` and ``--vs``: runs of one shape shown as one grid (their mean, or the mean
difference of two conditions), with the test behind its marks always said; what the
readout, the boxes (``--boxes``, ``--json``) and the long CSV export say of it.

Runs are paired by sorted path: ``seed0/… seed1/…`` of A with the same of B.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from tuiheat.core.acrossruns import (
    Across,
    Runs,
    RunsError,
    bh_over,
    box_interval,
    cell_report,
    one_sample_p,
    summarise,
    title,
)
from tuiheat.core.boxes import Box
from tuiheat.core.tensor import SliceSpec, Tensor, slice_marks, slice_values
from tuiheat.session.open import Loaded
from tuiheat.session.options import Options, UsageError, display_name


@dataclass
class RunsView:
    """The runs behind the grid on screen, one pass over them, and the view shown."""

    across: Across
    first: Tensor  # the first run: axis names, labels, boxes
    names: tuple[str, ...]  # how the title names the runs (A's, then B's)
    view: str = ""

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

    def title(self, view: str | None = None) -> str:
        """The view and its test first (the end of a long title is cut), then the runs."""
        return f"{title(self.across, view or self.view)} · {' vs '.join(self.names)}"

    def slice_title(self, tensor: Tensor, spec: SliceSpec) -> str:
        """An N-D grid's: which slice, then the test (said last, it is cut last)."""
        from tuiheat.core.tensor import describe

        return (
            f"{describe(tensor, spec, ' vs '.join(self.names))} · {title(self.across, self.view)}"
        )

    @property
    def notes(self) -> list[str]:
        infinite = self.across.infinite
        if not infinite:
            return []
        return [
            f"{infinite} infinite value{'s' * (infinite > 1)} left out of the statistics, as NaN is"
        ]

    def next_view(self) -> str:
        views = self.across.runs.views
        self.view = views[(views.index(self.view) + 1) % len(views)]
        return self.view

    def cell_text(self, index: tuple[int, ...]) -> str:
        return cell_report(self.across, index).text()

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
    a_runs, spec = reduced([item.tensor for _, item in a], loaded.spec)
    b_runs, _ = reduced([item.tensor for _, item in b], loaded.spec)
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
    view = RunsView(summarise(runs), a_runs[0], names)
    tensor = view.tensor()
    matrix = slice_matrix(tensor, spec).with_boxes(loaded.matrix.boxes)
    title = view.title() if tensor.ndim <= 2 else view.slice_title(tensor, spec)
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

    if not tensors or all(how == "index" for _, how, _ in spec.hidden):
        return list(tensors), spec
    flat = [Tensor.from_matrix(slice_matrix(t, spec)) for t in tensors]
    return flat, default_spec(flat[0])


def runs_view_of(tensors: Sequence[Tensor], names: Sequence[str], spec: SliceSpec) -> RunsView:
    """``A`` over files of one shape: their statistics (against 0.5 when their mean is
    AUC, else 0), in the order they were given, of the slice on screen when it reduces."""
    runs, _ = reduced(tensors, spec)
    view = RunsView(summarise(Runs(tuple(t.values for t in runs))), runs[0], (group_name(names),))
    return view


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
    columns = {
        "mean" if one else "difference": across.centre,
        "half_width": across.half,
        "n": across.n,
        "p": p,
        "q": q,
    }
    grids = {
        name: np.asarray(slice_values(replace(first, values=grid, marks=None), spec))
        for name, grid in columns.items()
    }
    from tuiheat.core.tensor import slice_matrix
    from tuiheat.render.export import neutralise

    labels = slice_matrix(first, spec)
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
