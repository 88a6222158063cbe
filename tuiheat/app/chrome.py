"""The chrome's widgets, typed, and how a value reaches each: the screen hands them what
to show (a readout, a title and its facts, a scale, a row and column to profile); none of
them reads the model, the screen or the App."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.containers import Horizontal
from textual.widgets import Static

from tuiheat.core.colourscale import ResolvedScale
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.panes import PaneSet
from tuiheat.core.scale import ValueRange
from tuiheat.core.viewstate import ViewState
from tuiheat.render.gridview import DisplaySettings
from tuiheat.widgets.colorbar import ColorBar
from tuiheat.widgets.heatview import HeatView
from tuiheat.widgets.lines import TextLine
from tuiheat.widgets.profilechart import ProfileChart
from tuiheat.widgets.profiles import ProfileLine
from tuiheat.widgets.statusbar import StatusBar
from tuiheat.widgets.titlebar import TitleBar
from tuiheat.widgets.tokenpane import TokenPane
from tuiheat.widgets.topktable import TopKTable


@dataclass
class Chrome:
    """Every widget of the viewer screen, made before the first frame (so that it is laid
    out once) and kept: a lookup per keystroke must not walk the DOM (with 64 panels a
    query costs half a millisecond)."""

    heatview: HeatView
    colorbar: ColorBar
    main: Horizontal
    rowprofile: ProfileLine
    colprofile: ProfileLine
    chart: ProfileChart
    legend: TextLine
    boxinfo: TextLine
    status: StatusBar
    hints: Static
    titlebar: TitleBar
    tokens: TokenPane
    topk: TopKTable  # the logit lens's top k at the cursor (shown by a lens's screen)

    @classmethod
    def build(
        cls, state: ViewState, panes: PaneSet, scale: ResolvedScale, display: DisplaySettings
    ) -> Chrome:
        view = HeatView(state, panes, scale, display, id="heatview")
        matrix = panes.shown[0].matrix
        chart = ProfileChart(matrix, scale.vrange, id="chart")
        chart.display = False
        tokens = TokenPane(id="tokens")
        tokens.display = False
        topk = TopKTable(id="topk")
        topk.display = False
        painter = view.grids[0].grid_layout.painter
        colorbar = ColorBar(painter, scale.vrange, matrix.n_rows, id="colorbar")
        return cls(
            heatview=view,
            colorbar=colorbar,
            main=Horizontal(view, colorbar, topk, id="main"),
            rowprofile=ProfileLine("row", id="rowprofile"),
            colprofile=ProfileLine("col", id="colprofile"),
            chart=chart,
            legend=TextLine(wrap=True, id="legend"),
            boxinfo=TextLine(id="boxinfo"),
            status=StatusBar(Text(""), id="status"),
            hints=Static("", id="hints", markup=False),
            titlebar=TitleBar("", "", id="titlebar"),
            tokens=tokens,
            topk=topk,
        )

    def show_box_line(self, text: str) -> None:
        self.boxinfo.line = text  # unchanged text: no repaint, no bytes

    def show_profiles(
        self, view: HeatMatrix, vrange: ValueRange, cell: tuple[int, int], ascii_only: bool
    ) -> None:
        """Each profile repaints only when the row (or column) it follows has changed."""
        row, col = cell
        if self.rowprofile.display:
            self.rowprofile.show(view, vrange, row, ascii_only)
            self.colprofile.show(view, vrange, col, ascii_only)
        self.chart.follow(view, row, col)

    def forget_profiles(self) -> None:
        """The next ``show_profiles`` draws them again (new data, width or scale)."""
        self.rowprofile.index = self.colprofile.index = None

    def set_profiles_shown(self, shown: bool) -> bool:
        """Returns whether they came back (and must be drawn for the cursor of now)."""
        back = shown and not self.rowprofile.display
        self.rowprofile.display = self.colprofile.display = shown
        return back

    def set_chart_shown(self, shown: bool) -> bool:
        back = shown and not self.chart.display
        self.chart.display = shown
        return back

    def show_legend(self, text: str | Text, lines: int) -> None:
        self.legend.line = text
        self.legend.display = lines > 0
        self.legend.styles.height = max(1, lines)

    def show_scale(self, scale: ResolvedScale, note: str | None = None) -> None:
        """The colour bar and the chart follow a new scale (the cells: ``HeatView.show``)."""
        self.colorbar.vrange = scale.vrange
        self.colorbar.note = scale.note if note is None else note
        self.chart.vrange = scale.vrange
        self.colorbar.configure(self.heatview.first.grid_layout.painter, self.heatview.cells_top)

    def show_progress(self, note: str) -> None:
        self.colorbar.note = note
        self.colorbar.configure(self.colorbar.painter, self.colorbar.offset_lines)
