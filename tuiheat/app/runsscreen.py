"""The screen of runs' statistics (``--stats``, ``--vs``, or ``A`` over files of one shape):
a ``ViewerScreen`` of the mean (or the mean difference) whose readout gives the cell's
interval and every run's value, whose box line gives the box mean's interval across runs,
and where ``A`` cycles the views (mean, std, half-width; difference, half-width, −log10 q).
The runs and their one pass are ``session.runs.RunsView``."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual.binding import Binding, BindingType

from tuiheat.app.boxes import box_line_text
from tuiheat.app.reactions import AFTER_NEW_DATA
from tuiheat.app.screen import ViewerScreen
from tuiheat.core.colormap import DIVERGING_COLORMAP
from tuiheat.core.colourscale import ScaleSettings, start_range
from tuiheat.core.labels import sanitize
from tuiheat.core.tensor import default_spec
from tuiheat.render.readout import SEPARATOR
from tuiheat.session.config import Source, ViewerConfig
from tuiheat.session.runs import RunsView

TITLE_SHARE = 1.0  # the facts (shape, colours) give way to the test
HINTS_ROOM = 18  # beside the readout: "A view  ? help"
SEQUENTIAL = "blues"  # a spread or a q-value is not centred: the default map, not a diverging
RUNS_KEYS: list[BindingType] = [
    Binding("A", "cycle_runs_view", "Runs' statistics: mean / std / half-width (Δ / half / q)"),
    Binding("a", "no_reduction", "Runs: an axis mean is tested from the start", show=False),
]


def runs_config(config: ViewerConfig, view: RunsView) -> ViewerConfig:
    """A viewer's config showing ``view`` (from the command line, or ``A`` over files)."""
    tensor = view.tensor()
    return replace(
        config,
        sources=(Source(tensor, view.names[0]),),
        spec=default_spec(tensor),
        facet=None,
        title=view.title(),
        array_name=view.names[0],
        runs=view,
        watch=False,
    )


class RunsScreen(ViewerScreen):
    BINDINGS = RUNS_KEYS
    role = "runs"
    start_at: tuple[int, int] | None = None  # the data cell the files' cursor was on

    def __init__(self, config: ViewerConfig, settings: ScaleSettings, can_open: bool) -> None:
        super().__init__(config, settings, can_open)
        if not config.half:  # the marks are the point: full cells (and scrolling), H for all
            self.fitter.wish["half"] = False

    def on_mount(self) -> None:
        self.chrome.titlebar.share = TITLE_SHARE  # the test's statement before the facts
        super().on_mount()
        if self.start_at is not None:
            self.heatview.state = self.state.at_base(*self.start_at)
        self.readout()  # the interval from the first frame on
        self.heatview.passed = frozenset({"cycle_axis_reduction"})  # see action_no_reduction
        self.first_settings: ScaleSettings = self.settings  # the centre view's colours
        self._box_said: dict[object, str] = {}

    @property
    def runs(self) -> RunsView:
        assert self.config.runs is not None
        return self.config.runs  # type: ignore[no-any-return]

    def _doc_title(self) -> str:
        """The view and its test, always; the slice and the runs' names as room allows."""
        width = self.terminal.width - 2  # the title bar's padding
        return self.runs.title(spec=self.state.spec, width=width)

    def status_width(self) -> None:
        """The readout holds an interval and every run's value: most of the line."""
        full = self.terminal.width
        self.chrome.status.styles.width = max(full // 2, full - HINTS_ROOM)

    def readout(self) -> None:
        """``Layer 14 · Token 3 · 0.843 ± 0.012 (n=5, 95% t-interval) · runs 0.83 0.85 …``
        (zoomed out, the block's reduction as everywhere)."""
        state = self.state
        if not state.zoom.is_identity:
            super().readout()
            return
        row, col = state.cursor.cell
        matrix = self.view
        where = (
            f"{sanitize(matrix.row_title)} {sanitize(matrix.row_labels[row])}{SEPARATOR}"
            f"{sanitize(matrix.col_title)} {sanitize(matrix.col_labels[col])}{SEPARATOR}"
        )
        index = self.runs.index_of(state.spec, row, col)
        said = self.runs.cell_text(index, self.config.display.ascii_only)
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(where)
        text.append(said, style="bold")
        self.chrome.status.show(text)

    def box_line(self) -> None:
        """The box's own statistics, then its mean's interval across the runs."""
        state = self.state
        width = self.chrome.boxinfo.size.width or self.terminal.width
        text = box_line_text(state, self.panes.shown[0], self.heatview.note, width)
        index = state.box_at_cursor()
        if index is not None and state.draft is None:
            box = state.boxes[index]
            key = (state.spec, box)
            if key not in self._box_said:
                self._box_said[key] = self.runs.box(state.spec, box)[0]
            text = f"{self._box_said[key]} · {text}"  # first: a narrow line cuts the end
        self.chrome.show_box_line(text)

    def action_cycle_runs_view(self) -> None:
        """A: the next view of the runs (the marks stay: they are the test's verdicts)."""
        view = self.runs.next_view()
        tensor = self.runs.tensor(view)
        self.config = replace(self.config, title=tensor.title)
        self.heatview.show(panes=self.panes.reloaded([tensor]))
        first = self.first_settings
        if view in ("mean", "difference"):
            self.settings = first
        else:
            colormap = SEQUENTIAL if first.colormap == DIVERGING_COLORMAP else first.colormap
            base = start_range([tensor])
            self.settings = replace(
                first, base=base, center=None, colormap=colormap, auto=True, typed=False
            )
        self.rescale()
        self.run_steps(AFTER_NEW_DATA)
        self.notify(f"{view} of the runs", timeout=2, markup=False)

    def action_save_boxes(self) -> None:
        """w: boxes over many runs belong to no one file."""
        said = (
            "Boxes over runs are not saved beside a file: --box ROWS:COLS draws them again "
            "at start, and --boxes --json lists them with their intervals."
        )
        self.notify(said, timeout=6, markup=False)

    def unsaved(self) -> bool:
        return False  # nothing to save them to: q does not warn

    def action_no_reduction(self) -> None:
        """a: a mean over an axis of per-cell statistics is not the statistics of the runs'
        means; those are computed when the slice asks for them from the start."""
        if self.panes.first.tensor.ndim <= 2:
            return
        axis = self.panes.first.tensor.names[self.state.spec.hidden[0][0]]
        said = (
            f"Statistics are per cell: a {axis} mean of them is not a test of the runs' "
            f"{axis} means. Start with --slice {sanitize(axis)}=mean to test those."
        )
        self.notify(said, timeout=8, markup=False)

    def go_back(self) -> None:
        """Esc: back to the files' panes, when ``A`` opened this screen over them."""
        stack = self.app.screen_stack
        if len(stack) > 1 and isinstance(stack[-2], ViewerScreen):
            below = stack[-2]
            r0, _, c0, _ = self.state.cursor_block()
            if below.state.base_shape == self.state.base_shape:  # the files' cursor follows
                below.heatview.state = below.state.at_base(r0, c0)
            self.app.pop_screen()
