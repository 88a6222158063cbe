"""The ``B`` box list: every box with its statistics; Enter jumps to one, r renames one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from tuiheat.screens.dialog import PromptDialog

COLUMNS = ("#", "box", "cells", "mean", "min", "max", "outside")


class BoxNameScreen(PromptDialog[str]):
    def __init__(self, number: int, name: str) -> None:
        super().__init__(f"Name of box {number} (empty: no name)", name or "e.g. late layers")

    def parse(self, text: str) -> str:
        return text.strip()


class BoxListScreen(ModalScreen[int | tuple[int, str] | None]):
    """Rows are given as plain strings (already sanitised). The result is the chosen box's
    index, or (index, new name)."""

    BINDINGS = [
        Binding("escape,q,B", "close", "Close", show=False),
        Binding("enter", "choose", "Go to the box", show=False),
        Binding("r", "rename", "Rename the box", show=False),
    ]

    DEFAULT_CSS = """
    BoxListScreen {
        align: center middle;
    }
    BoxListScreen > Vertical {
        width: 96%;
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

    def __init__(self, rows: list[tuple[str, ...]], names: list[str] | None = None) -> None:
        super().__init__()
        self.rows = rows
        self.names = names or [""] * len(rows)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"Boxes ({len(self.rows)})", style="bold"))
            table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True)
            table.add_columns(*COLUMNS)
            for row in self.rows:
                table.add_row(*(Text(cell) for cell in row), height=None)
            yield table
            hint = (
                "Enter goes to the box, r renames it, Esc closes."
                if self.rows
                else "No boxes yet: b draws one."
            )
            yield Static(Text(hint, style="dim"))

    def show_rows(self, rows: list[tuple[str, ...]]) -> None:
        """Rows read since (statistics a worker read): the same boxes, the cursor kept."""
        if len(rows) != len(self.rows):
            return
        self.rows = rows
        table = self.query_one(DataTable)
        at = table.cursor_row
        table.clear()
        for row in rows:
            table.add_row(*(Text(cell) for cell in row), height=None)
        table.move_cursor(row=at)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.dismiss(event.cursor_row)

    def action_choose(self) -> None:
        table = self.query_one(DataTable)
        self.dismiss(table.cursor_row if self.rows else None)

    def action_rename(self) -> None:
        if not self.rows:
            return
        index = self.query_one(DataTable).cursor_row

        def renamed(name: str | None) -> None:
            if name is not None:
                self.dismiss((index, name))

        self.app.push_screen(BoxNameScreen(index + 1, self.names[index]), renamed)

    def action_close(self) -> None:
        self.dismiss(None)
