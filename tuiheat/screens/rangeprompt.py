"""The ``v`` prompt: the colour range as two numbers, a centre for diverging maps, or auto."""

from __future__ import annotations

import math
import re

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tuiheat.core.scale import ValueRange

Result = tuple[ValueRange | None, float | None]


class RangeError(ValueError):
    pass


def parse_range(text: str, current: ValueRange) -> Result:
    """``0.5 1`` or ``0.5,1`` (vmin vmax), ``center 0`` (symmetric around 0), ``auto`` (default)."""
    text = text.strip().lower()
    if text in ("auto", "a", "default", ""):
        return None, None
    centre = re.fullmatch(r"(?:center|centre|c)\s*=?\s*(\S+)", text)
    if centre:
        return current, _number(centre.group(1))
    parts = [p for p in re.split(r"[\s,;]+|\.\.|–", text) if p]
    if len(parts) != 2:
        raise RangeError("type two numbers (vmin vmax), 'center V', or 'auto'")
    low, high = _number(parts[0]), _number(parts[1])
    if low > high:
        raise RangeError(f"vmin {low:g} is above vmax {high:g}")
    return ValueRange(low, high), None


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise RangeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise RangeError(f"{text!r} is not a finite number")
    return value


class RangeScreen(ModalScreen[Result | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    DEFAULT_CSS = """
    RangeScreen {
        align: center middle;
    }
    RangeScreen > Vertical {
        width: 64;
        max-width: 95%;
        height: auto;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    RangeScreen #error {
        color: $error;
    }
    """

    def __init__(self, current: ValueRange, center: float | None) -> None:
        super().__init__()
        self.current = current
        self.center = center

    def compose(self) -> ComposeResult:
        now = f"now {self.current.vmin:g} {self.current.vmax:g}"
        if self.center is not None:
            now += f", centred on {self.center:g}"
        with Vertical():
            yield Static(Text(f"Colour range: vmin vmax, 'center V', or 'auto' ({now})"))
            yield Input(placeholder="e.g. 0.5 1.0", id="range")
            yield Static("", id="error", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            result = parse_range(event.value, self.current)
        except RangeError as err:
            self.query_one("#error", Static).update(Text(str(err)))
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)
