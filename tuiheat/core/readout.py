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
