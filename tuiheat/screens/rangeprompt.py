"""The ``v`` prompt: the colour range as two numbers, a centre for diverging maps, or auto."""

from __future__ import annotations

import re

from tuiheat.core.readout import format_value
from tuiheat.core.scale import ValueRange, range_text
from tuiheat.screens.dialog import PromptDialog, finite_number

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
    return finite_number(text, RangeError)


class RangeScreen(PromptDialog[Result]):
    def __init__(self, current: ValueRange, center: float | None) -> None:
        now = f"now {range_text(current)}"  # as the title and the colour bar say it
        if center is not None:
            now += f", centred on {format_value(center)}"
        super().__init__(f"Colour range: vmin vmax, 'center V', or 'auto' ({now})", "e.g. 0.5 1.0")
        self.current = current

    def parse(self, text: str) -> Result:
        return parse_range(text, self.current)
