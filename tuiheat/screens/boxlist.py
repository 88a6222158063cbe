"""The ``B`` box list: every box with its statistics; Enter jumps to one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

COLUMNS = ("#", "box", "cells", "mean", "min", "max", "outside")


class BoxListScreen(ModalScreen[int | None]):
    """Rows are given as plain strings (already sanitised); the result is the chosen box's index."""

    BINDINGS = [
        Binding("escape,q,B", "close", "Close", show=False),
        Binding("enter", "choose", "Go to the box", show=False),
    ]

    DEFAULT_CSS = """
    BoxListScreen {
        align: center middle;
    }
    BoxListScreen > Vertical {
        width: 90%;
        height: auto;
        max-height: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    BoxListScreen DataTable {
        height: auto;
        max-height: 30;
    }
    """

    def __init__(self, rows: list[tuple[str, ...]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"Boxes ({len(self.rows)})", style="bold"))
            table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True)
            table.add_columns(*COLUMNS)
            for row in self.rows:
                table.add_row(*(Text(cell) for cell in row))
            yield table
            hint = (
                "Enter goes to the box, Esc closes." if self.rows else "No boxes yet: b draws one."
            )
            yield Static(Text(hint, style="dim"))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.dismiss(event.cursor_row)

    def action_choose(self) -> None:
        table = self.query_one(DataTable)
        self.dismiss(table.cursor_row if self.rows else None)

    def action_close(self) -> None:
        self.dismiss(None)
