"""The readout line: what the cursor is on. Updates never trigger a layout pass."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class StatusBar(Static):
    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        background: $panel;
        color: $text;
        padding: 0 1;
    }
    """

    def show(self, text: Text) -> None:
        self.update(text, layout=False)
