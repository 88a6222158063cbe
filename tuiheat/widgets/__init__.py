"""Thin Textual widgets: reactive state and bindings; drawing is delegated to ``render``."""

from tuiheat.widgets.colorbar import ColorBar
from tuiheat.widgets.heatgrid import HeatGrid
from tuiheat.widgets.statusbar import StatusBar

__all__ = ["ColorBar", "HeatGrid", "StatusBar"]
