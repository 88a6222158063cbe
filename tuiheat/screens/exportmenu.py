"""The ``e`` export menu: pick what to write with one key, then confirm or edit the file name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from tuiheat.screens.dialog import Dialog


@dataclass(frozen=True)
class ExportChoice:
    key: str
    kind: str  # screen | visible | box | html | svg
    label: str
    default_name: str
    enabled: bool = True
    why_not: str = ""


Result = tuple[str, Path]


class ExportScreen(Dialog[Result]):
    """Choices are given by the app (which knows the data); the result is (kind, path).

    A name that already exists needs a second Enter, so nothing is replaced by accident.
    """

    AUTO_FOCUS = ""  # keys pick a choice first; the file name field is focused after

    DEFAULT_CSS = """
    ExportScreen > Vertical {
        width: 72;
    }
    ExportScreen #path {
        display: none;
    }
    """

    def __init__(self, choices: list[ExportChoice], directory: Path) -> None:
        super().__init__()
        self.choices = {c.key: c for c in choices}
        self.directory = directory
        self.chosen: ExportChoice | None = None
        self._confirm: Path | None = None

    def compose(self) -> ComposeResult:
        menu = Text()
        menu.append("Export\n", style="bold")
        for choice in self.choices.values():
            style = "" if choice.enabled else "dim"
            menu.append(f" {choice.key}", style="bold" if choice.enabled else "dim")
            menu.append(f"  {choice.label}", style=style)
            if not choice.enabled:
                menu.append(f" ({choice.why_not})", style="dim")
            menu.append("\n")
        menu.append("Written atomically; the data file is never written. Esc cancels.", style="dim")
        with Vertical():
            yield Static(menu, id="menu")
            yield Input(id="path")
            yield Static("", id="error", markup=False)

    def on_key(self, event: events.Key) -> None:
        if self.chosen is not None:
            return
        choice = self.choices.get(event.character or "")
        if choice is None:
            return
        event.stop()
        if not choice.enabled:
            self.show_error(choice.why_not.capitalize() + ".")
            return
        self.chosen = choice
        self.query_one("#menu", Static).update(
            Text.assemble(
                ("Export ", "bold"), choice.label, ("  (Enter writes, Esc cancels)", "dim")
            )
        )
        field = self.query_one("#path", Input)
        field.value = choice.default_name
        field.display = True
        field.focus()
        self.show_error("")

    def on_input_changed(self, event: Input.Changed) -> None:
        self._confirm = None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        assert self.chosen is not None
        name = event.value.strip()
        if not name:
            self.show_error("Type a file name.")
            return
        path = Path(name).expanduser()
        if not path.is_absolute():
            path = self.directory / path
        if path.is_dir():
            self.show_error(f"{name} is a directory.")
            return
        if path.exists() and self._confirm != path:
            self._confirm = path
            self.show_error(f"{name} exists: Enter again replaces it.")
            return
        self.dismiss((self.chosen.kind, path))
