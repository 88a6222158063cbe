"""Numbers as the readout shows them: three decimals, and readable at any magnitude."""

from __future__ import annotations

import math


def format_value(value: float) -> str:
    """``0.843``; ``1.2e-05`` for tiny attention weights; ``NaN``/``inf`` spelled out."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    magnitude = abs(value)
    if magnitude == 0 or 1e-3 <= magnitude < 1e6:
        return f"{value:.3f}"
    return f"{value:.3e}"


def short_value(value: float, width: int) -> str:
    """A number in at most ``width`` characters for printing inside a cell (``.84``, ``12``).

    Empty when nothing truthful fits: a cell shows no number rather than a wrong one.
    """
    if math.isnan(value):
        return ""
    if math.isinf(value):
        text = "∞" if value > 0 else "-∞"
        return text if len(text) <= width else ""
    for decimals in (3, 2, 1, 0):
        text = f"{value:.{decimals}f}"
        if text.startswith("0.") and len(text) > width:
            text = text[1:]  # .843
        elif text.startswith("-0.") and len(text) > width:
            text = "-" + text[2:]
        if len(text) <= width:
            return text
    text = f"{value:.0e}".replace("e+0", "e").replace("e-0", "e-")
    return text if len(text) <= width else ""
