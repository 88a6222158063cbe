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
        return f"{title(self.across, view or self.view)} · {self.names[0]}"

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
    A (and ``--vs`` as B), sorted by path; a one-line error when they do not fit."""
    a_names = [options.file or "", *options.others]
    a = sorted(zip(a_names, [loaded, *others], strict=True), key=lambda item: item[0])
    b = sorted(zip(options.vs, versus, strict=True), key=lambda item: item[0])
    if any(item.lens is not None for _, item in (*a, *b)):
        raise UsageError("--stats and --vs take arrays of numbers, not a logit lens")
    try:
        runs = Runs(
            tuple(item.tensor.values for _, item in a),
            tuple(item.tensor.values for _, item in b),
            paired=not options.unpaired,
            reference=reference(options, [item for _, item in a]),
        )
    except RunsError as err:
        raise UsageError(f"--vs: {err}" if options.vs else str(err)) from None
    view = RunsView(summarise(runs), loaded.tensor, (group_name([n for n, _ in a]),))
    tensor = view.tensor()
    from tuiheat.core.tensor import slice_matrix

    matrix = slice_matrix(tensor, loaded.spec).with_boxes(loaded.matrix.boxes)
    return replace(
        loaded,
        matrix=matrix,
        tensor=tensor,
        title=view.title(),
        name=view.names[0],
        data_path=None,  # a grid of many files: no sidecar, no reload
        runs=view,
    )


def runs_view_of(tensors: Sequence[Tensor], names: Sequence[str], auc: bool) -> RunsView:
    """``A`` over files of one shape: their statistics, tested against 0.5 when their
    scale is AUC's (else 0), in the order they were given."""
    runs = Runs(tuple(t.values for t in tensors), reference=0.5 if auc else 0.0)
    return RunsView(summarise(runs), tensors[0], (group_name(names),))


def reference(options: Options, loaded: Sequence[Loaded]) -> float:
    """What one condition's interval is tested against: ``--chance X``; 0.5 for scores
    that the AUC rule takes for AUC; else 0 (and two conditions: a difference of 0)."""
    if options.chance is not None:
        return options.chance
    if options.vs:
        return 0.0
    from tuiheat.core.colourscale import start_range

    return 0.5 if start_range([item.tensor for item in loaded], sample=True).auc else 0.0


def group_name(names: Sequence[str]) -> str:
    """``auc.npy ×5`` when the runs share a file name (seed0/auc.npy, …), ``probe_seed*.csv
    ×5`` when their names differ in the middle, else the first and the last."""
    shown = [display_name(n) for n in names]
    if len(shown) == 1:
        return shown[0]
    bases = [Path(n).name for n in shown]
    if len(set(bases)) == 1:
        return f"{bases[0]} ×{len(shown)}"
    head = _common_start(bases)
    tail = _common_start([b[len(head) :][::-1] for b in bases])[::-1]
    if head:
        return f"{head}*{tail} ×{len(shown)}"
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
