"""The colour scale's keys (``c v L R``), the difference view (``D``), and the scan that
replaces a sampled start range with the exact one."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from tuiheat.core.blocks import Cancelled, throttled
from tuiheat.core.colourscale import RANGE_NAMES, start_range
from tuiheat.core.panes import PaneSet
from tuiheat.core.scale import LOG_DECADES, ValueRange, Watch, range_text

if TYPE_CHECKING:
    from tuiheat.app.viewer import TuiheatApp

CHROME_AFTER_NEW_DATA = ("title", "status_width", "layout", "readout", "boxinfo", "profiles!")


class ScaleKeys:
    def __init__(self, app: TuiheatApp) -> None:
        self.app = app

    def cycle_colormap(self) -> None:
        """c: the seed's Blues, then viridis, magma, greys and the diverging RdBu."""
        self.app.settings = self.app.settings.next_colormap()
        self.app.chrome.rescale()

    def toggle_log(self) -> None:
        """L: a log scale (positive values; the rest clip to the low end)."""
        app = self.app
        app.settings = app.settings.toggled_log()
        app.chrome.rescale()
        if app.settings.log:
            low = f" (at most {LOG_DECADES} decades below the maximum; v sets another low end)"
            given = app.settings.low_given
            said = f"Log colour scale {range_text(app.vrange)}{'' if given else low}"
            app.notify(said, timeout=4, markup=False)

    def cycle_mode(self) -> None:
        """R: fixed range / this matrix's min–max / each row / each column to its own."""
        app = self.app
        app.settings = app.settings.next_mode()
        app.notify(f"Colour range: {RANGE_NAMES[app.settings.mode]}", timeout=2, markup=False)
        app.chrome.rescale()

    def ask_range(self) -> None:
        """v: type vmin and vmax (or a centre, or auto)."""
        from tuiheat.screens.rangeprompt import RangeScreen

        app = self.app

        def apply(result: tuple[ValueRange | None, float | None] | None) -> None:
            if result is None:
                return
            typed, center = result
            if center is not None:  # "center V": the range as it is now
                app.settings = app.settings.with_center(center)
            elif typed is None:  # "auto"
                app.settings = app.settings.with_auto_range(self.start_range())
            else:
                app.settings = app.settings.with_range(typed, None)
            app.chrome.rescale()

        shown = app.settings.base if app.settings.mode in ("row", "column") else app.vrange
        app.push_screen(RangeScreen(shown, app.settings.center), apply)

    def start_range(self, sample: bool = False, watch: Watch | None = None) -> ValueRange:
        """The base range: of every pane (shared), or of the differences; ``sample``: big data."""
        panes, s = self.app.panes, self.app.settings
        assert panes is not None
        return start_range(
            panes.tensors, s.vmin, s.vmax, difference_view=panes.diff, sample=sample, watch=watch
        )

    def refine(self) -> None:
        """The full scan behind a sampled (provisional) range, off the event loop; past
        0.3 s the colour bar says how far it is, and newer data stops it."""
        panes = self.app.panes

        def scan() -> None:
            worker = get_current_worker()
            report = partial(self.app.call_from_thread, self._scanning)
            try:
                exact = self.start_range(watch=throttled(report, lambda: worker.is_cancelled))
            except Cancelled:
                return
            self.app.call_from_thread(self._refined, exact, panes)

        self.app.run_worker(scan, thread=True, exclusive=True, group="range")

    def _scanning(self, done: float) -> None:
        colorbar = self.app.chrome.get("colorbar")
        colorbar.note = f"≈ {done:.0%} read"
        colorbar.configure(colorbar.painter, colorbar.offset_lines)

    def _refined(self, vrange: ValueRange, panes: PaneSet | None) -> None:
        if panes is not self.app.panes or not self.app.settings.base.provisional:
            return  # the scan was for other data, or a range was typed meanwhile
        self.app.settings = self.app.settings.with_base(vrange)
        self.app.chrome.rescale(skip_if_same=True)

    def new_data(self) -> None:
        """Other data on screen (a reload, D): a start range if it came from the data, and
        everything that shows the scale or the values."""
        app = self.app
        if app.settings.auto:
            app.settings = app.settings.with_base(self.start_range(sample=True))
        app.chrome.rescale()
        app.chrome.run(CHROME_AFTER_NEW_DATA)
        if app.settings.base.provisional:  # a big file: the exact range follows
            self.refine()

    def toggle_difference(self) -> None:
        """D: each pane minus the first (A − B for two), centred on 0; or back to the panes."""
        app = self.app
        panes = app.panes
        assert panes is not None
        if panes.kind == "facets":
            app.notify(
                "D compares files (tuiheat A B); these panels are slices of one array.",
                timeout=4,
                markup=False,
            )
            return
        if panes.kind == "one":
            app.notify("D needs two files: tuiheat A B compares them.", timeout=4, markup=False)
            return
        app.heatview.show(panes=panes.toggled_diff())
        if app.panes.diff:  # type: ignore[union-attr]
            app.settings = app.settings.for_difference(self.start_range(sample=True))
        else:
            app.settings = app.settings.restored()
        self.new_data()
