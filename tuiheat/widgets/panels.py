"""A panel: one pane's grid under its name. The heat view lays panels out in a grid of
``columns`` (Textual's grid layout, sized from ``render.panelfit.plan_panels``), showing a page
of them when not all fit."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tuiheat.widgets.heatgrid import HeatGrid


class Panel(Vertical):
    """A caption line (when there are several panes) over the grid of one pane."""

    DEFAULT_CSS = """
    Panel {
        width: auto;
        height: 1fr;
    }
    Panel > .caption {
        height: 1;
        width: 1fr;
    }
    Panel > HeatGrid {
        height: 1fr;
    }
    """

    def __init__(self, grid: HeatGrid, captioned: bool) -> None:
        super().__init__()
        self.grid = grid
        self.caption = Static("", classes="caption", markup=False)
        self.caption.display = captioned

    @property
    def caption_lines(self) -> int:
        return 1 if self.caption.display else 0

    def compose(self) -> ComposeResult:
        yield self.caption
        yield self.grid

    def name_it(self, text: Text) -> None:
        self.caption.update(text)

    def caption_text(self) -> str:
        """The caption as shown (for tests and the readout's names)."""
        return str(self.caption.render())
