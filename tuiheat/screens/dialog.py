"""The small centred dialogs: a bordered box, a red error line, Esc to cancel.

``PromptDialog`` adds the common case, one line of text parsed into a result: a
parse error (any ValueError) is shown under the field and the dialog stays open.
"""

from __future__ import annotations

import math
from typing import TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

ResultT = TypeVar("ResultT")


def finite_number(text: str, error: type[ValueError] = ValueError, hint: str = "") -> float:
    """A typed number; ``error`` (with ``hint`` after it) for text that is not a finite one."""
    try:
        value = float(text)
    except ValueError:
        raise error(f"{text!r} is not a number{hint}") from None
    if not math.isfinite(value):
        raise error(f"{text!r} is not a finite number")
    return value


class Dialog(ModalScreen[ResultT | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    DEFAULT_CSS = """
    Dialog {
        align: center bottom;  /* over the status line: the heatmap stays in sight */
    }
    Dialog > Vertical {
        margin-bottom: 2;
        width: 64;
        max-width: 95%;
        height: auto;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    Dialog #error {
        color: $error;
    }
    """

    def show_error(self, message: str) -> None:
        self.query_one("#error", Static).update(Text(message))

    def action_cancel(self) -> None:
        self.dismiss(None)


class PromptDialog(Dialog[ResultT]):
    """A question, a text field and its parser (``parse``, raising ValueError)."""

    def __init__(self, question: str, placeholder: str) -> None:
        super().__init__()
        self.question = question
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.question))
            yield Input(placeholder=self.placeholder, id="answer")
            yield Static("", id="error", markup=False)

    def parse(self, text: str) -> ResultT:
        raise NotImplementedError

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            result = self.parse(event.value)
        except ValueError as err:
            self.show_error(str(err))
            return
        self.dismiss(result)
