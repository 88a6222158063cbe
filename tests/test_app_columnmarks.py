"""P and E without a terminal: the prompt's answer, the box line's words (what the glyphs
mean, or why none show) and the notice that lists the rows."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from tuiheat.app.columnmarks import marks_legend, marks_notice, missing
from tuiheat.app.commands import all_commands
from tuiheat.core import HeatMatrix
from tuiheat.core.panes import Pane
from tuiheat.core.tensor import Tensor, default_spec
from tuiheat.core.viewstate import ViewState
from tuiheat.core.zoom import Zoom
from tuiheat.screens.emergeprompt import parse_threshold

GRID = np.array([[0.1, 0.9, 0.2], [0.8, 0.3, 0.9], [0.9, 0.95, 0.1]])


def pane() -> Pane:
    matrix = HeatMatrix(
        GRID, row_labels=["L0", "L1", "L2"], col_labels=["a", "b", "c"], row_title="Layer"
    )
    tensor = Tensor.from_matrix(replace(matrix, col_title="Token"))
    return Pane("p", tensor, default_spec(tensor))


def test_the_prompt_takes_a_number_and_an_empty_answer_means_off() -> None:
    assert parse_threshold(" 0.8 ") == 0.8 and parse_threshold("-1e-3") == -0.001
    assert parse_threshold("") is None and parse_threshold("off") is None
    for bad in ("high", "nan", "inf"):
        with pytest.raises(ValueError):
            parse_threshold(bad)


def test_the_box_line_names_the_glyphs_or_says_why_none_show() -> None:
    p, start = pane(), ViewState.start((3, 3), default_spec(Tensor(GRID)))
    assert marks_legend(p, start, False) == ""
    both = start.toggled("peaks").emerging(0.5)
    assert missing(p, both)
    assert marks_legend(p, both, False).endswith("· finding them …")
    p.find_rows(True, 0.5)
    assert not missing(p, both)
    assert marks_legend(p, both, False) == "◆ peak layer per token  ▲ first layer staying ≥ 0.5"
    assert marks_legend(p, both, True) == "^ peak layer per token  > first layer staying ≥ 0.5"
    zoomed = replace(both, zoom=Zoom(2, 2))
    assert marks_legend(p, zoomed, False).endswith(": marks show at 1:1 (+ zooms in)")
    assert marks_legend(p, replace(both, half=True), False).endswith("need full cells (H)")


def test_the_notice_lists_the_rows_by_label() -> None:
    p = pane()
    state = ViewState.start((3, 3), p.spec).toggled("peaks").emerging(0.85)
    p.find_rows(True, 0.85)
    assert marks_notice(p, state, "peaks", 200) == "peak layer per token: a L2, b L2, c L1"
    said = marks_notice(p, state, "emerge", 200)
    assert said == "layer from which every value is ≥ 0.85, per token: a L2, b L2, c never"
    assert marks_notice(p, state, "peaks", 30).endswith(", …")


def test_p_and_e_are_in_the_help_and_the_palette() -> None:
    keys = {c.action: (c.keys, c.task) for c in all_commands()}
    assert keys["toggle_peaks"] == ("P", "Display") and keys["emerge"] == ("E", "Display")
