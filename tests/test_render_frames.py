from __future__ import annotations

from tuiheat.core import Box
from tuiheat.render.frames import frame_overlays


def texts(boxes, row, n_cols, width=2):  # type: ignore[no-untyped-def]
    overlays = frame_overlays(boxes, row, 0, n_cols, width)
    return "".join(overlays[c].text if c in overlays else "." * width for c in range(n_cols))


def test_frame_rows_of_a_box() -> None:
    box = [Box(1, 3, 1, 3)]
    assert texts(box, 0, 5) == ".........."
    assert texts(box, 1, 5) == "..┌────┐.."
    assert texts(box, 2, 5) == "..│ .. │.."  # inside cells keep their own look
    assert texts(box, 3, 5) == "..└────┘.."


def test_single_row_and_single_cell_boxes() -> None:
    assert texts([Box(0, 0, 0, 2)], 0, 3) == "[────]"
    assert texts([Box(0, 0, 1, 1)], 0, 3) == "..[].."


def test_wide_cells_keep_their_middle() -> None:
    assert texts([Box(0, 2, 0, 0)], 1, 1, width=4) == "│  │"


def test_overlapping_boxes_merge_edges() -> None:
    boxes = [Box(0, 2, 0, 2), Box(1, 1, 1, 1)]
    assert texts(boxes, 1, 3) == "│ [] │"


def test_window_offset() -> None:
    overlays = frame_overlays([Box(0, 0, 5, 6)], 0, 5, 7, 2)
    assert sorted(overlays) == [0, 1]
