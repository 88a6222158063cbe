"""Boxes beyond drawing them, as values and pure functions: the box line, the list's rows,
saving them beside the file, and whether leaving would lose some."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from tuiheat.core.boxes import Box
from tuiheat.core.labels import sanitize
from tuiheat.core.panes import Pane, PaneSet
from tuiheat.core.tensor import default_spec
from tuiheat.core.viewstate import ViewState
from tuiheat.render.readout import box_row, box_summary
from tuiheat.render.texts import drawing_text


@dataclass(frozen=True)
class SavedBoxes:
    """What was saved, and whether the user was warned about what was not."""

    saved: tuple[Box, ...] = ()
    warned: bool = False

    def unsaved(self, state: ViewState, data_path: Path | None) -> bool:
        """Boxes drawn (or deleted) since the last save, on a file that could keep them."""
        return data_path is not None and state.boxes != self.saved

    def warn(self) -> SavedBoxes:
        return replace(self, warned=True)


def box_line_text(
    state: ViewState, pane: Pane, note: tuple[ViewState, str] | None, width: int | None
) -> str:
    """The box being drawn, or the statistics of the box under the cursor; or what ``^``
    or ``_`` said (``note``) while the cursor stays where they put it."""
    if note is not None and note[0] == state:
        return note[1]
    if state.draft is not None:
        return drawing_text(pane.matrix, state.zoom.to_base_box(state.draft, state.base_shape))
    index = state.box_at_cursor()
    if index is None:
        return ""
    box = state.boxes[index]
    return box_summary(pane.matrix, box, pane.box_stats(box), index + 1, width)


def list_rows(pane: Pane, boxes: tuple[Box, ...]) -> list[tuple[str, ...]]:
    return [box_row(pane.matrix, b, pane.box_stats(b), i + 1) for i, b in enumerate(boxes)]


def save_boxes(
    panes: PaneSet, state: ViewState, data_path: Path | None, array_key: str | None
) -> tuple[bool, str, str]:
    """w: the boxes into the sidecar beside the data file (atomically); whether they were
    saved, what to say and how (a notice's severity)."""
    if state.spec != default_spec(panes.first.tensor):
        why = "Boxes are saved for the file's own view: go back to it (t, [ ]) to save them."
        return False, why, "warning"
    if data_path is None:
        return (
            False,
            (
                "Boxes of this input cannot be saved (standard input or the bundled sample); "
                "open a file to keep them."
            ),
            "warning",
        )
    from tuiheat.loaders.sidecar import write_sidecar

    boxes = state.boxes
    try:
        path = write_sidecar(data_path, panes.shown[0].matrix, boxes, array_key)
    except OSError as err:
        reason = err.strerror or str(err)
        return False, f"Boxes not saved: {reason}. The previous sidecar is intact.", "error"
    count = f"{len(boxes)} box{'es' if len(boxes) != 1 else ''}"
    return True, f"Saved {count} to {sanitize(path.name)}", "information"
