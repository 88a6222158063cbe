"""The App's keys and its stylesheet (the grids' keys live on the HeatView, whose state they
change); the help screen reads these same lists."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from tuiheat.core.panes import PaneSet

APP_KEYS: list[BindingType] = [
    Binding("p", "toggle_chart", "Profile chart of the cursor's row and column"),
    Binding("escape", "close_chart", "Close the chart", show=False),
    Binding("c", "cycle_colormap", "Colour map: blues / viridis / magma / greys / rdbu"),
    Binding("v", "set_range", "Set vmin and vmax (or a centre)"),
    Binding("L", "toggle_log", "Log colour scale on / off"),
    Binding("R", "cycle_range_mode", "Colour range: fixed / matrix / per row / per column"),
    Binding("D", "toggle_difference", "Compare: the difference A − B, centred on 0"),
    Binding("f", "cycle_facet", "Panels of a hidden axis (every head); f again: next axis, off"),
    Binding("colon", "goto", "Go to a row and/or column"),
    Binding("w", "save_boxes", "Save the boxes beside the data file"),
    Binding("e", "export", "Export: screen SVG, cells as CSV, heatmap as HTML/SVG"),
    Binding("ctrl+r", "reload", "Reload the file from disk"),
    Binding("o", "open_picker", "Open another array of the bundle (or file of the folder)"),
    Binding("B", "box_list", "List the boxes with their statistics"),
    Binding("q", "quit", "Quit"),
    Binding("question_mark", "help", "Help"),
]
# Key hints share the status line (Textual's Footer costs ~70 ms of start-up and a line).
KEY_HINTS = "? help  b box  q quit"


def key_hints(panes: PaneSet, picker: bool) -> str:
    """The hints for what is open: D for files, f for the hidden axes of an N-D array,
    o when the picker is behind the view."""
    n = len(panes.tensors)
    hints = KEY_HINTS
    if n > 1:
        hints = f"{'D A−B' if n == 2 else 'D −A'}  {hints}"
    elif panes.first.tensor.ndim > 2:
        hints = f"f panels  {hints}"
    return f"o list  {hints}" if picker else hints


CSS = """
Screen {
    layout: vertical;
    background: $background;
}
#main {
    height: 1fr;
}
#legend {
    height: auto;
    max-height: 3;
    padding: 0 0 0 1;
    color: $text-muted;
}
#statusline {
    height: 1;
    background: $panel;
}
#boxinfo {
    height: 1;
    padding: 0 1;
    background: $panel;
}
#bottom {
    dock: bottom;
    height: auto;
}
#hints {
    height: 1;
    width: 1fr;
    text-align: right;
    padding: 0 1;
    color: $text-muted;
}
"""
