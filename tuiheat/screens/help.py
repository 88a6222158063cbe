"""The ``?`` help screen: every key as typed, grouped by task."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

Rows = list[tuple[str, str]]  # (keys as typed, what they do)


def keys_table(groups: Iterable[tuple[str, Rows]]) -> Group:
    """One small table per task, so a long task name does not widen the keys' column."""
    tables = []
    for title, rows in groups:
        table = Table(
            title=Text(title, style="bold underline"),
            title_justify="left",
            box=None,
            show_header=False,
            padding=(0, 2, 0, 0),
        )
        table.add_column(style="bold", no_wrap=True, min_width=7)
        table.add_column()
        for keys, description in rows:
            table.add_row(Text(keys), Text(description))
        tables.append(table)
    return Group(*tables)


class HelpScreen(ModalScreen[None]):
    """Keys of the viewer; any of Esc, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", show=False)]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 84;
        max-width: 95%;
        height: auto;
        max-height: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 2;
    }
    """

    def __init__(self, groups: list[tuple[str, Rows]], extra: str = "") -> None:
        super().__init__()
        self.groups = groups
        self.extra = extra

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("tuiheat keys", style="bold"))
            yield Static(keys_table(self.groups))
            if self.extra:
                yield Static(Text(self.extra))
            yield Static(Text("Esc, q or ? closes this help.", style="dim"))

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
