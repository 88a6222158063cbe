"""The ``:`` go-to prompt: a row, a column, or both, by label or index."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tuiheat.core.boxes import BoxError, resolve_endpoint
from tuiheat.core.labels import sanitize
from tuiheat.core.matrix import HeatMatrix

Cell = tuple[int | None, int | None]


def parse_goto(text: str, matrix: HeatMatrix) -> Cell:
    """``13``, ``13,exact_answer_first``, ``,first_answer`` (column only), ``#5`` (an index).

    A label wins over an index, as everywhere; a lone word that is no row label
    but is a column label means that column.
    """
    text = text.strip()
    if not text:
        raise BoxError("type a row, a column, or row,column")
    if "," in text:
        for pos in [i for i, ch in enumerate(text) if ch == ","]:
            row_part, col_part = text[:pos].strip(), text[pos + 1 :].strip()
            try:
                row = resolve_endpoint(row_part, matrix.row_labels, "row") if row_part else None
                col = resolve_endpoint(col_part, matrix.col_labels, "column") if col_part else None
            except BoxError as err:
                error = err
                continue
            return row, col
        raise error
    try:
        return resolve_endpoint(text, matrix.row_labels, "row"), None
    except BoxError as row_error:
        if text in matrix.col_labels:
            return None, resolve_endpoint(text, matrix.col_labels, "column")
        raise row_error


class GotoScreen(ModalScreen[Cell | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    DEFAULT_CSS = """
    GotoScreen {
        align: center middle;
    }
    GotoScreen > Vertical {
        width: 64;
        max-width: 95%;
        height: auto;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    GotoScreen #error {
        color: $error;
    }
    """

    def __init__(self, matrix: HeatMatrix) -> None:
        super().__init__()
        self.matrix = matrix

    def compose(self) -> ComposeResult:
        rows, cols = sanitize(self.matrix.row_title), sanitize(self.matrix.col_title)
        with Vertical():
            yield Static(Text(f"Go to {rows}, {cols} (label or #index; row,column; ,column)"))
            yield Input(placeholder="e.g. 13,exact_answer_first", id="where")
            yield Static("", id="error", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            cell = parse_goto(event.value, self.matrix)
        except BoxError as err:
            self.query_one("#error", Static).update(Text(str(err)))
            return
        self.dismiss(cell)

    def action_cancel(self) -> None:
        self.dismiss(None)
