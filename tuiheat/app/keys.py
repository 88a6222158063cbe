"""The keys of the viewer screen and of the App, and the stylesheet (the grids' keys live on
the HeatView, whose state they change); the help screen and the palette read these lists."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from tuiheat.core.panes import PaneSet
from tuiheat.core.viewstate import ViewState

VIEWER_KEYS: list[BindingType] = [
    Binding("p", "toggle_chart", "Profile chart of the cursor's row and column"),
    Binding("escape", "back", "Close the chart; or back: a head to its summary, to the tensor"),
    Binding("W", "toggle_text", "Token text: the tokens coloured by the cursor's row"),
    Binding("S", "head_summary", "Heads: layer × head summary (S again: next statistic)"),
    Binding(
        "c", "cycle_colormap", "Colour map: blues / viridis / magma / greys / RdBu_r / coolwarm"
    ),
    Binding("v", "set_range", "Set vmin and vmax (or a centre)"),
    Binding("L", "toggle_log", "Log colour scale on / off"),
    Binding("R", "cycle_range_mode", "Colour range: fixed / matrix / per row / per column"),
    Binding("D", "toggle_difference", "Compare: the difference A − B, centred on 0"),
    Binding("f", "cycle_facet", "Panels of a hidden axis (every head); f again: next axis, off"),
    Binding("P", "toggle_peaks", "Mark each column's peak row ◆, and list them (P again: off)"),
    Binding("E", "emerge", "Mark per column the first row from which values stay ≥ X ▲"),
    Binding("colon", "goto", "Go to a row and/or column"),
    Binding("w", "save_boxes", "Save the boxes beside the data file"),
    Binding("e", "export", "Export: screen SVG, cells as CSV, heatmap as HTML/SVG/PNG/PDF"),
    Binding("ctrl+r", "reload", "Reload the file from disk"),
    Binding("B", "box_list", "List the boxes with their statistics"),
    Binding("q", "quit", "Quit"),
]
SUMMARY_KEYS: list[BindingType] = [  # the head summary's own (explorer.SummaryScreen)
    Binding("enter", "open_head", "Summary: open the head under the cursor", show=False),
    Binding("n", "next_head(1)", "Summary: the next head down the ranking", show=False),
    Binding("N", "next_head(-1)", "Summary: the next head up the ranking", show=False),
]
APP_KEYS: list[BindingType] = [
    Binding("A", "runs", "Runs: statistics across the files open (mean ± 95% t-interval)"),
    Binding("o", "open_picker", "Open another array of the bundle (or file of the folder)"),
    Binding("q", "quit", "Quit"),
    Binding("question_mark", "help", "Help"),
]
# Key hints share the status line (Textual's Footer costs ~70 ms of start-up and a line).


def key_hints(
    panes: PaneSet,
    picker: bool,
    state: ViewState | None = None,
    width: int = 200,
    role: str = "view",
) -> str:
    """The most useful keys for what is on screen (drawing a box, the head explorer,
    zoomed out, N-D, several files, the picker behind; else moving and boxes), as many as
    ``width`` holds: the mode's first, then ``? help``, then the rest."""
    if state is not None and state.anchor is not None:
        mode = ["hjkl size", "Enter keep", "Esc cancel"]
    elif role == "summary":
        mode = ["Enter head", "n N ranked", "S next stat", "Esc back"]
    elif role == "lens":
        mode = ["Enter follow", "1-9 token", "K table", "p lines", "Esc top-1"]
    elif role == "runs":
        mode = ["A view", "b box"]
    else:
        n = len(panes.tensors)
        mode = []
        if state is not None and not state.zoom.is_identity:
            mode += ["+ - zoom", "r reducer"]
        if n > 1:
            mode += ["D A−B" if n == 2 else "D −A", "A stats"]
        elif role == "head":
            mode += ["Esc summary", "W text", "[ ] slice"]
        elif panes.first.tensor.ndim > 2:
            mode += ["[ ] slice", "f panels"]
            if panes.first.tensor.ndim > 3:
                mode.append("S heads")
        if not mode:
            mode += [": go to", "b box", "- zoom"]
        if picker:
            mode.append("o list")
    order = [*mode, "? help", "^p find", "q quit"]
    ranked = ["? help", *mode, "q quit", "^p find"]
    kept, used = {ranked[0]}, len(ranked[0])  # "? help" always
    for item in ranked[1:]:
        if used + 2 + len(item) <= width:  # two spaces before it
            kept.add(item)
            used += 2 + len(item)
    return "  ".join(item for item in order if item in kept)


CSS = """
Screen {
    layout: vertical;
    background: $background;
}
ModalScreen {
    background: $background 25%;  /* prompts and menus: the heatmap stays in sight */
}
#main {
    height: 1fr;
    align-horizontal: center;
}
#legend {
    height: auto;
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
