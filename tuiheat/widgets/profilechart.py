"""The ``p`` chart: the cursor's column across rows and its row across columns, drawn by plotext.

plotext is imported on first use (never at start-up). It is pinned below 6: the 5.x
API (``plot``/``build``) is the one textual-plotext and most examples use; 6 replaced it.
Redraws wait for the cursor to rest for a moment, so holding an arrow key stays smooth.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from rich.text import Text
from textual.timer import Timer
from textual.widgets import Static

from tuiheat.core.labels import sanitize
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.scale import ValueRange
from tuiheat.render.cells import truncate
from tuiheat.widgets.profiles import profile_step, profile_values

# A chart of named lines for a cell (the logit lens: tokens down the layers at the cursor's
# position): (title, x labels, [(name, values)]).
Lines = tuple[str, tuple[str, ...], list[tuple[str, np.ndarray]]]

DEBOUNCE_S = 0.06
MAX_TICKS = 8
LINE_COLOURS = ("blue", "red", "green", "orange", "magenta", "cyan", "gray", "white")


class ProfileChart(Static):
    DEFAULT_CSS = """
    ProfileChart {
        height: 16;
        padding: 0 1;
    }
    """

    def __init__(self, matrix: HeatMatrix, vrange: ValueRange, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.matrix = matrix
        self.vrange = vrange
        self.cell: tuple[int, int] | None = None
        self._timer: Timer | None = None
        # Set by a screen that charts something else for a cell (the lens's tokens).
        self.lines_for: Callable[[int, int], Lines] | None = None

    def follow(self, matrix: HeatMatrix, row: int, col: int) -> None:
        """Redraw for (row, col) of ``matrix`` once the cursor has rested for a moment."""
        if not self.display or (self.cell == (row, col) and matrix is self.matrix):
            return
        self.matrix = matrix
        self.cell = (row, col)
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_S, self.redraw)

    def on_resize(self) -> None:
        """Drawn for the width it has: a new width (the terminal resized while the chart was
        away, say) draws it again."""
        if self.display and self.cell is not None:
            self.redraw()

    def redraw(self) -> None:
        if self.cell is None:
            return
        width = max(20, self.content_region.width)
        height = max(6, self.content_region.height)
        try:
            if self.lines_for is not None:
                drawn = lines_text(*self.lines_for(*self.cell), self.vrange, width, height)
            else:
                drawn = chart_text(self.matrix, self.vrange, *self.cell, width, height)
            text = Text.from_ansi(drawn, no_wrap=True)
        except Exception as err:  # plotext fails on some extreme values: say so, never crash
            text = Text(
                f"No chart for these values ({type(err).__name__}: {sanitize(str(err))[:80]})"
            )
        self.update(text, layout=False)


def _ticks(labels: tuple[str, ...]) -> tuple[list[int], list[str]]:
    n = len(labels)
    step = max(1, math.ceil(n / MAX_TICKS))
    where = list(range(0, n, step))
    return [i + 1 for i in where], [truncate(sanitize(labels[i]), 10) for i in where]


def _plot_runs(plt, values: np.ndarray, colour: str | None = None, label: str = "") -> None:  # type: ignore[no-untyped-def]
    """Plot each run of finite values separately: a NaN leaves a gap, never a crash (one
    ``colour`` for all the runs; the legend names the first)."""
    finite = np.isfinite(values)
    x = np.arange(1, values.size + 1)
    start = None
    style = {} if colour is None else {"color": colour}
    for i in range(values.size + 1):
        inside = i < values.size and finite[i]
        if inside and start is None:
            start = i
        elif not inside and start is not None:
            named = {"label": label} if label else {}
            plt.plot(
                x[start:i].tolist(), values[start:i].tolist(), marker="braille", **style, **named
            )
            start, label = None, ""


def chart_text(
    matrix: HeatMatrix, vrange: ValueRange, row: int, col: int, width: int, height: int
) -> str:
    import plotext as plt

    column = profile_values(matrix, "col", col)
    line = profile_values(matrix, "row", row)
    # plotext keeps one global figure and an *active* subplot: a build that failed half-way
    # would nest the next figure inside it. Back to the main figure, then clear it.
    plt.main()
    plt.clear_figure()
    plt.plotsize(width, height)
    plt.theme("clear")
    plt.subplots(1, 2)
    lo, hi = vrange.vmin, vrange.vmax if vrange.span > 0 else vrange.vmin + 1
    for k, (values, labels, axis, name) in enumerate(
        (
            (
                column,
                matrix.row_labels[:: profile_step(matrix.n_rows)],
                matrix.row_title,
                f"{matrix.col_title} {matrix.col_labels[col]}",
            ),
            (
                line,
                matrix.col_labels,
                matrix.col_title,
                f"{matrix.row_title} {matrix.row_labels[row]}",
            ),
        )
    ):
        plt.subplot(1, k + 1)
        # Far outside the colour range a point only flattens the chart (and ±1e308 breaks
        # plotext's arithmetic): clip to a band around the range.
        band = max(hi - lo, 1e-12)
        shown = np.clip(np.asarray(values, dtype=np.float64), lo - band, hi + band)
        _plot_runs(plt, shown)
        plt.title(truncate(sanitize(name), max(10, width // 2 - 4)))
        plt.xlabel(sanitize(axis))
        plt.ylim(lo, hi)
        plt.xlim(1, max(2, len(labels)))
        ticks, names = _ticks(labels)
        plt.xticks(ticks, names)
    return str(plt.build())


def lines_text(
    title: str,
    labels: tuple[str, ...],
    lines: list[tuple[str, np.ndarray]],
    vrange: ValueRange,
    width: int,
    height: int,
) -> str:
    """Named lines over ``labels`` (the layers), one colour each, with a legend; a NaN
    (a token out of a cell's top k) leaves a gap."""
    import plotext as plt

    plt.main()
    plt.clear_figure()
    plt.plotsize(width, height)
    plt.theme("clear")
    lo, hi = vrange.vmin, vrange.vmax if vrange.span > 0 else vrange.vmin + 1
    for (name, values), colour in zip(lines, LINE_COLOURS, strict=False):
        _plot_runs(plt, np.asarray(values, dtype=np.float64), colour, name)
    plt.title(truncate(sanitize(title), max(10, width - 4)))
    plt.ylim(lo, hi)
    plt.xlim(1, max(2, len(labels)))
    ticks, names = _ticks(labels)
    plt.xticks(ticks, names)
    return str(plt.build())
