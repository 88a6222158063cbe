"""The heat view's keys: each one a transition of the view state (the help screen reads
these same lists)."""

from __future__ import annotations

from textual.binding import Binding, BindingType

MOVE_KEYS: list[BindingType] = [
    Binding("up,k", "move(-1, 0)", "Up", show=False),
    Binding("down,j", "move(1, 0)", "Down", show=False),
    Binding("left,h", "move(0, -1)", "Left", show=False),
    Binding("right,l", "move(0, 1)", "Right", show=False),
    Binding("pageup", "page(-1)", "Page up", show=False),
    Binding("pagedown", "page(1)", "Page down", show=False),
    Binding("g", "first_row", "First row", show=False),
    Binding("G", "last_row", "Last row", show=False),
    Binding("0,home", "first_col", "First column", show=False),
    Binding("dollar_sign,end", "last_col", "Last column", show=False),
    Binding(
        "circumflex_accent",
        "peak('max')",
        "Jump to the maximum, the peak (of the box under the cursor, if any); again: the next"
        " highest",
        show=False,
    ),
    Binding(
        "underscore",
        "peak('min')",
        "Jump to the minimum (of the box under the cursor, if any); again: the next lowest",
        show=False,
    ),
    Binding("b", "start_box", "Draw a box (b again or Enter keeps it)", show=False),
    Binding("enter", "keep_box", "Keep the box being drawn", show=False),
    Binding("escape", "cancel_box", "Cancel the box being drawn", show=False),
    Binding("x", "delete_box", "Delete the box under the cursor", show=False),
    Binding("u", "undo_delete", "Bring back the last box deleted", show=False),
    Binding("n", "next_box(1)", "Next box", show=False),
    Binding("N", "next_box(-1)", "Previous box", show=False),
    Binding("m", "cycle_summary", "Margins: mean / max / min / std", show=False),
]
VIEW_KEYS: list[BindingType] = [
    Binding("s", "toggle_margins", "Sparkline margins and profiles on / off"),
    Binding("minus", "zoom('out')", "Zoom out: a cell stands for twice the values"),
    Binding("plus,equals_sign", "zoom('in')", "Zoom in (centres on the cursor's block)"),
    Binding("z", "zoom('fit')", "Zoom to fit the whole matrix"),
    Binding("r", "cycle_reducer", "Zoomed cells: mean / max / min / nearest"),
    Binding("H", "toggle_half", "Half blocks: two rows per line (▀)"),
    Binding(
        "left_square_bracket", "step_axis(0, -1)", "N-D: previous index of the first hidden axis"
    ),
    Binding("right_square_bracket", "step_axis(0, 1)", "N-D: next index of the first hidden axis"),
    Binding(
        "left_curly_bracket", "step_axis(1, -1)", "N-D: previous index of the second hidden axis"
    ),
    Binding("right_curly_bracket", "step_axis(1, 1)", "N-D: next index of the second hidden axis"),
    Binding("a", "cycle_axis_reduction", "N-D: first hidden axis by index / mean / max"),
    Binding("number_sign", "toggle_annotations", "Numbers (or --text) in the cells"),
    Binding("t", "transpose", "Transpose: swap the rows and columns"),
    Binding("T", "toggle_raw_tokens", "Tokens raw (Ġthe) or readable (␣the)"),
    Binding("greater_than_sign", "turn_page(1)", "Panels: the next page, when not all fit"),
    Binding("less_than_sign", "turn_page(-1)", "Panels: the previous page"),
]
