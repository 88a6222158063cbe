"""The ``?`` help screen: every key binding, taken from the bindings themselves."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEY_NAMES = {
    "dollar_sign": "$",
    "question_mark": "?",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
    "escape": "Esc",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "ctrl+p": "Ctrl+P",
    "ctrl+q": "Ctrl+Q",
}


def key_text(keys: str) -> str:
    return " ".join(KEY_NAMES.get(k.strip(), k.strip()) for k in keys.split(","))


def bindings_table(groups: Iterable[tuple[str, Iterable[BindingType]]]) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for title, bindings in groups:
        table.add_row(Text(title, style="bold underline"), "")
        for binding in bindings:
            if isinstance(binding, Binding):
                table.add_row(key_text(binding.key), binding.description)
        table.add_row("", "")
    return table


class HelpScreen(ModalScreen[None]):
    """Keys of the viewer; any of Esc, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", show=False)]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 64;
        max-width: 95%;
        height: auto;
        max-height: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 2;
    }
    """

    def __init__(self, groups: list[tuple[str, list[BindingType]]], extra: str = "") -> None:
        super().__init__()
        self.groups = groups
        self.extra = extra

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("tuiheat keys", style="bold"))
            yield Static(bindings_table(self.groups))
            if self.extra:
                yield Static(Text(self.extra))
            yield Static(Text("Esc, q or ? closes this help.", style="dim"))

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
