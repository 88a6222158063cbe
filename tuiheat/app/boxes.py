"""Boxes beyond drawing them: their statistics line, the list (``B``), saving (``w``) and the
warning before boxes not saved are left behind (quitting, opening another array)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from tuiheat.core.boxes import Box
from tuiheat.core.labels import sanitize
from tuiheat.core.tensor import default_spec
from tuiheat.render.readout import box_row, box_summary
from tuiheat.render.texts import drawing_text

if TYPE_CHECKING:
    from tuiheat.app.viewer import TuiheatApp


class BoxKeeper:
    """What was saved, and whether the user was warned about what was not."""

    def __init__(self, app: TuiheatApp, saved: tuple[Box, ...]) -> None:
        self.app = app
        self.saved = saved
        self.warned = False

    def unsaved(self) -> bool:
        """Boxes drawn (or deleted) since the last save, on a file that could keep them."""
        app = self.app
        return app.config.data_path is not None and app.state.boxes != self.saved

    def may_leave(self, message: str) -> bool:
        """True when nothing would be lost, or when the user was told once already."""
        if self.unsaved() and not self.warned:
            self.warned = True
            self.app.notify(message, severity="warning", markup=False)
            return False
        return True

    def info_text(self, width: int | None = None) -> str:
        """The box line: the box being drawn, or the statistics of the box under the cursor."""
        state, pane = self.app.state, self.app.panes.shown[0]
        note = self.app.heatview.note
        if note is not None and note[0] == state:  # where ^ or _ put the cursor, until it moves
            return note[1]
        if state.draft is not None:
            return drawing_text(pane.matrix, state.zoom.to_base_box(state.draft, state.base_shape))
        index = state.box_at_cursor()
        if index is None:
            return ""
        box = state.boxes[index]
        return box_summary(pane.matrix, box, pane.box_stats(box), index + 1, width)

    def show_info(self) -> None:
        info = self.app.chrome.get("boxinfo")
        text = self.info_text(info.size.width or self.app.size.width)
        if text != getattr(info, "shown_text", None):  # unchanged text: no repaint, no bytes
            info.shown_text = text  # type: ignore[attr-defined]
            info.update(Text(text, no_wrap=True, overflow="ellipsis"), layout=False)

    def noted(self, text: str) -> None:
        """``^`` or ``_`` said where it put the cursor: the box line shows it (a terminal
        too small for that line gets a brief notice instead)."""
        self.show_info()
        if not self.app.chrome.get("boxinfo").display:
            self.app.notify(text, timeout=4, markup=False)

    def save(self) -> None:
        """w: the boxes into the sidecar beside the data file (atomically)."""
        app = self.app
        boxes = app.state.boxes
        if app.state.spec != default_spec(app.panes.first.tensor):
            app.notify(
                "Boxes are saved for the file's own view: go back to it (t, [ ]) to save them.",
                severity="warning",
                markup=False,
            )
            return
        if app.config.data_path is None:
            app.notify(
                "Boxes of this input cannot be saved (standard input or the bundled sample); "
                "open a file to keep them.",
                severity="warning",
                markup=False,
            )
            return
        from tuiheat.loaders.sidecar import write_sidecar

        try:
            path = write_sidecar(app.config.data_path, app.matrix, boxes, app.config.array_key)
        except OSError as err:
            reason = err.strerror or str(err)
            app.notify(
                f"Boxes not saved: {reason}. The previous sidecar is intact.",
                severity="error",
                markup=False,
            )
            return
        self.saved = boxes
        self.warned = False
        count = f"{len(boxes)} box{'es' if len(boxes) != 1 else ''}"
        app.notify(f"Saved {count} to {sanitize(path.name)}", timeout=4, markup=False)

    def show_list(self) -> None:
        """B: every box with its statistics; Enter jumps to one."""
        from tuiheat.screens.boxlist import BoxListScreen

        app = self.app
        pane, boxes = app.panes.shown[0], app.state.boxes
        rows = [box_row(pane.matrix, b, pane.box_stats(b), i + 1) for i, b in enumerate(boxes)]

        def chosen(choice: int | tuple[int, str] | None) -> None:
            if isinstance(choice, tuple):
                index, name = choice
                app.heatview.state = app.state.renamed(index, name)
                self.show_list()  # the list again, with the new name
            elif choice is not None and 0 <= choice < len(boxes):
                app.heatview.state = app.state.at_base(boxes[choice].r0, boxes[choice].c0)

        app.push_screen(BoxListScreen(rows, [b.name for b in boxes]), chosen)
