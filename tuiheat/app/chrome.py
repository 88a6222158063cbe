"""Everything around the grids, redone from the model on demand: the readout, the box line,
the profiles and chart, the title, the status width, the layout and the colour scale.

The App calls these in the order ``REACTIONS`` gives for what changed in the view state,
so each is written once, and a cursor step does no more than the readout, the box line
and the profiles.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.text import Text
from textual.containers import Horizontal
from textual.widgets import Static

from tuiheat.app.keys import key_hints
from tuiheat.app.layout import (
    CHART_HEIGHT,
    CHROME_LINES,
    COLORBAR_WIDTH,
    SMALL_HEIGHT,
    PanelPlan,
    plan_layout,
    plan_panels,
)
from tuiheat.app.panels import arrange, panel_needs
from tuiheat.app.screen import ScreenFit
from tuiheat.core.colourscale import looks_same
from tuiheat.core.facets import facet_labels
from tuiheat.core.labels import sanitize
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.panes import PaneSet
from tuiheat.core.tensor import default_spec, describe
from tuiheat.core.viewstate import ViewState
from tuiheat.render.readout import cell_readout
from tuiheat.render.texts import (
    TitleFacts,
    facets_readout,
    info_text,
    legend_height,
    legend_text,
    panes_readout,
    status_width,
)
from tuiheat.widgets.colorbar import ColorBar
from tuiheat.widgets.heatview import HeatView
from tuiheat.widgets.profilechart import ProfileChart
from tuiheat.widgets.profiles import ProfileLine

if TYPE_CHECKING:
    from tuiheat.app.viewer import TuiheatApp

# What each changed field of the view state makes the chrome redo, and in which order.
NEW_VIEW = (
    "rescale_if_view",
    "title",
    "status_width",
    "layout",
    "readout",
    "boxinfo",
    "hints",
    "profiles!",
)
REACTIONS: dict[str, tuple[str, ...]] = {
    "cursor": ("readout", "boxinfo", "profiles"),
    "anchor": ("boxinfo", "hints"),
    "boxes": ("boxinfo",),
    "zoom": NEW_VIEW,
    "spec": NEW_VIEW,
    "base_shape": ("rescale_if_view", "title", "status_width", "layout", "readout", "profiles!"),
    "raw_tokens": ("title", "readout", "profiles!"),
    "half": ("layout",),
    "margins": ("layout", "profiles!"),
    "summary": ("layout",),
    "annotate": (),
}
ORDER = (*NEW_VIEW, "profiles")  # every step, in the order they run


def plan(changed: frozenset[str] | set[str]) -> tuple[str, ...]:
    """The steps for a set of changed fields: each once, in ``ORDER``; a forced profile
    repaint stands in for a plain one."""
    steps = {step for name in changed for step in REACTIONS.get(name, ())}
    if "profiles!" in steps:
        steps.discard("profiles")
    return tuple(step for step in ORDER if step in steps)


class Chrome:
    def __init__(self, app: TuiheatApp) -> None:
        self.app = app
        # The widgets by id, kept from compose: a lookup on every keystroke must not walk
        # the DOM (with 64 panels a query costs half a millisecond).
        self._widgets: dict[str, Any] = {}
        self.composing = False
        self._page: tuple[int, int, int] | None = None  # the page the title names
        self.room = (0, 0)  # the panels' width and height at the last layout
        self.screen = ScreenFit(self)  # one matrix on the whole screen
        self.chart_wanted = False  # p: shown while the terminal has room for it

    @contextmanager
    def before_mount(self, widgets: dict[str, Any]) -> Iterator[None]:
        """Lay out the widgets being composed: the first frame is then the only frame."""
        self._widgets, self.composing = widgets, True
        try:
            yield
        finally:
            self.composing = False

    def widgets(self, state: ViewState, panes: PaneSet) -> dict[str, Any]:
        """The viewer's widgets by id, made (not yet mounted) for ``compose``."""
        app = self.app
        scale = app.settings.resolve(panes.views(state.zoom))
        app.vrange = scale.vrange  # what the bar, title, profiles and chart say
        view = HeatView(state, panes, scale, app.config.display, id="heatview")
        if len(panes.panes) == 1 and panes.facet is None:
            view.fit_room = self.screen.fit_rows
        matrix = panes.shown[0].matrix
        chart = ProfileChart(matrix, app.vrange, id="chart")
        chart.display = self.chart_wanted = False
        painter = view.grids[0].grid_layout.painter
        colorbar = ColorBar(painter, app.vrange, matrix.n_rows, id="colorbar")
        return {
            "heatview": view,
            "colorbar": colorbar,
            "main": Horizontal(view, colorbar, id="main"),
            "rowprofile": ProfileLine("row", id="rowprofile"),
            "colprofile": ProfileLine("col", id="colprofile"),
            "chart": chart,
            "legend": Static("", id="legend"),
            "boxinfo": Static("", id="boxinfo", markup=False),
        }

    def toggle_chart(self) -> None:
        """p: the profile chart of the cursor's column and row, following the cursor. It
        stays asked for while the terminal is too small for it, and comes back with room."""
        if not self.chart_wanted and self.app.size.height < SMALL_HEIGHT + CHART_HEIGHT:
            self.app.notify(
                "The terminal is too small for the chart.", severity="warning", timeout=3
            )
            return
        self.chart_wanted = not self.chart_wanted
        self.layout()

    def show_chart(self, shown: bool) -> None:
        chart = self.get("chart")
        back = shown and not chart.display
        chart.display = shown
        if back:
            chart.cell = None
            chart.follow(self.view, *self.state.cursor.cell)

    def get(self, name: str) -> Any:
        return self._widgets[name]

    @property
    def composed(self) -> bool:
        """Whether the widgets are made (not before the first compose)."""
        return bool(self._widgets)

    @property
    def state(self) -> ViewState:
        return self.app.state

    @property
    def heatview(self) -> HeatView:
        return self.get("heatview")  # type: ignore[no-any-return]

    def run(self, steps: tuple[str, ...]) -> None:
        for step in steps:
            {
                "rescale_if_view": self.rescale_if_view,
                "title": self.title,
                "status_width": self.status_width,
                "layout": self.layout,
                "readout": self.readout,
                "boxinfo": self.app.boxes.show_info,
                "hints": self.hints,
                "profiles!": lambda: self.profiles(force=True),
                "profiles": self.profiles,
            }[step]()

    @property
    def view(self) -> HeatMatrix:
        """What the first grid shows: the data, or its zoomed-out view."""
        assert self.app.panes is not None
        return self.app.panes.shown[0].view(self.state.zoom)

    def hints(self) -> None:
        self.get("hints").update(self.hints_text())

    def hints_text(self) -> str:
        """The keys for the mode on screen, in the room the readout leaves."""
        app = self.app
        assert app.panes is not None
        room = app.size.width - int(self.get("status").styles.width.value) - 2
        return key_hints(app.panes, bool(app.picker.levels), self.state, room)

    def readout(self) -> None:
        self.get("status").show(self.readout_text())

    def readout_text(self) -> Text:
        app = self.app
        assert app.panes is not None
        state = self.state
        row, col = state.cursor.cell
        if len(app.panes.panes) == 1:
            text = cell_readout(self.view, row, col)
        else:
            values = app.panes.values_at(state.cursor, state.zoom)
            shown = app.panes.shown if app.panes.diff else ()
            diffs = [p.view(state.zoom).value(row, col) for p in shown]
            first = app.panes.first
            if app.panes.facet is not None:
                axis = first.tensor.names[app.panes.facet]
                labels = facet_labels(first.tensor, app.panes.facet)
                text = facets_readout(first.view(state.zoom), row, col, axis, labels, values)
            else:
                text = panes_readout(first.view(state.zoom), row, col, values, diffs)
        zoom = state.zoom
        if not zoom.is_identity:
            text.append(f" ({zoom.reducer} of {zoom.row_factor}×{zoom.col_factor})", style="dim")
        return text

    def profiles(self, force: bool = False) -> None:
        """Each profile repaints only when the row (or column) it follows has changed."""
        app = self.app
        cursor, view = self.state.cursor, self.view
        row_line, col_line = self.get("rowprofile"), self.get("colprofile")
        if row_line.display:
            if force:
                row_line.index = col_line.index = None
            row_line.show(view, app.vrange, cursor.row, app.ascii_only)
            col_line.show(view, app.vrange, cursor.col, app.ascii_only)
        self.get("chart").follow(view, cursor.row, cursor.col)

    def show_profiles(self, shown: bool) -> None:
        """Profile lines that come back on screen are drawn for the cursor of now."""
        back = shown and not self.get("rowprofile").display
        for name in ("rowprofile", "colprofile"):
            self.get(name).display = shown
        if back and not self.composing:
            self.profiles(force=True)

    def name(self) -> None:
        """The title of an N-D array says which slice (or which panels) is on screen."""
        app = self.app
        assert app.panes is not None
        first = app.panes.first
        if first.tensor.ndim > 2 or self.state.spec != default_spec(first.tensor):
            app.doc_title = describe(
                first.tensor, self.state.spec, app.config.array_name, app.panes.facet
            )
        else:  # back to the array's own axes (t twice): its own title again
            app.doc_title = app.config.title or first.matrix.title or "tuiheat"

    def title(self) -> None:
        app = self.app
        self.name()
        bar = self.get("titlebar")
        bar.title_text = sanitize(app.doc_title)
        self.show_info()

    def show_info(self, busy: str = "") -> None:
        """The title's facts; ``busy``: what the view is doing instead, for now."""
        self.get("titlebar").set_info(*((busy,) if busy else self.info()))

    def info(self) -> tuple[str, ...]:
        """The title's facts, in full and in the shorter form a narrow screen shows."""
        app = self.app
        panes = app.panes
        assert panes is not None
        difference = ""
        if panes.diff:
            difference = "A − B" if len(panes.panes) == 2 else "differences from A"
        facts = TitleFacts(
            shape=app.matrix.shape,
            zoom=self.state.zoom,
            scale=app.settings,
            vrange=app.vrange,
            color_mode=app.config.display.color_mode,
            ascii_only=app.ascii_only,
            difference=difference,
            page=self.page(),
            notes=panes.first.tensor.notes,
            reload_error=app.files.title_error(),
            watching=app.config.watch,
            reloaded=app.files.reloaded_at,
            fitted=self.screen.fitted(),
            whole=panes.first.tensor.ndim > 2 and app.settings.auto and not difference,
        )
        return tuple(info_text(facts, level) for level in range(4))

    def page(self) -> tuple[int, int, int] | None:
        """Which panels are on screen, when not all are."""
        view = self.heatview
        n = len(view.panes.shown)
        if view.page_size >= n:
            return None
        first = view.first_panel
        return first + 1, min(n, first + view.page_size), n

    def status_width(self) -> None:
        app = self.app
        assert app.panes is not None
        n = len(app.panes.panes)
        width = status_width(self.view, self.state.zoom, n)
        if app.panes.facet is not None:  # up to 64 values: the key hints stay in sight
            hints = cell_len(key_hints(app.panes, bool(app.picker.levels), self.state, 60)) + 2
            width = min(width, max(app.size.width // 2, app.size.width - hints))
        self.get("status").styles.width = width

    def layout(self, width: int | None = None, height: int | None = None) -> None:
        """Decide what is shown in the terminal's size and size the grids to their cells."""
        app = self.app
        width = app.size.width if width is None else width
        height = app.size.height if height is None else height
        assert app.panes is not None
        if len(app.panes.panes) == 1 and app.panes.facet is None:
            self.screen.layout(width, height)
            return
        grid = self.heatview.first
        lay = grid.grid_layout
        need = panel_needs(self.heatview, app.panes)
        # The panels' rows with the most room, to know what the legend and profiles cost.
        rows = plan_panels(need, width - COLORBAR_WIDTH, height - CHROME_LINES).rows
        caption = 1 if need.captions else 0
        layout = plan_layout(
            width,
            height,
            rows=rows * -(-grid.matrix.n_rows // grid.rows_per_line),
            grid_lines=rows * (lay.header_height + grid.footer_height + caption),
            legend_lines=legend_height(lay.header.legend, app.matrix.col_title, width),
            profiles=grid.state.margins,
            chart=self.chart_wanted,
        )
        self.room = (layout.width, layout.room)
        self.arrange_panels(plan_panels(need, layout.width, layout.room))
        lay = self.heatview.first.grid_layout  # fitted: the legend is of the labels now keyed
        legend = legend_text(lay.header.legend, app.matrix.col_title, width)
        self.get("colorbar").configure(lay.painter, self.heatview.cells_top)
        self.show_profiles(layout.profiles)
        self.show_chart(layout.chart)
        legend_widget = self.get("legend")
        legend_widget.update(legend)
        legend_widget.display = layout.legend
        legend_widget.styles.height = min(
            3, legend_height(lay.header.legend, app.matrix.col_title, width)
        )
        self.get("boxinfo").display = layout.boxinfo

    def refit(self) -> None:
        """A new terminal size: everything as a fresh start at this size would have it."""
        self.layout()
        self.app.facets.refit()
        self.status_width()
        self.hints()
        self.profiles(force=True)

    def arrange_panels(self, plan: PanelPlan, cell_width: int | None = None) -> None:
        """Fit the panels into ``plan`` and size the view to them."""
        app = self.app
        assert app.panes is not None
        view = self.heatview
        widths, heights = arrange(view, app.panes, plan, cell_width)
        if not self.composing and self.page() != self._page:
            self.show_info()
        self._page = self.page()
        view.styles.grid_columns = " ".join(map(str, widths))
        view.styles.grid_rows = " ".join(map(str, heights))
        view.styles.width = sum(widths) + len(widths) - 1
        self.get("main").styles.height = sum(heights)

    # --- the colour scale -------------------------------------------------------------

    def rescale_if_view(self) -> None:
        """A new slice or zoom: scales that depend on the data on screen follow it."""
        if self.app.settings.mode != "fixed" or self.app.settings.log:
            self.rescale(skip_if_same=True)

    def rescale(self, skip_if_same: bool = False) -> None:
        """Recolour everything that shows the scale: cells, bar, title, profiles, chart."""
        app = self.app
        assert app.panes is not None
        view = self.heatview
        resolved = app.settings.resolve(app.panes.views(self.state.zoom))
        vrange = resolved.vrange
        n_bins = view.first.grid_layout.painter.n_bins
        same = (
            resolved.by_axis is None
            and view.scale.by_axis is None
            and resolved.colormap == view.scale.colormap
            and looks_same(app.vrange, vrange, n_bins)
        )
        app.vrange = vrange
        if not (skip_if_same and same):
            view.show(scale=resolved)
            self.get("chart").vrange = vrange
        colorbar = self.get("colorbar")
        colorbar.vrange = vrange
        colorbar.note = resolved.note
        colorbar.configure(view.first.grid_layout.painter, view.cells_top)
        self.show_info()
        self.profiles(force=True)
