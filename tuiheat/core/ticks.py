"""Tick values of a colour scale and their text: round steps as matplotlib's MaxNLocator
takes them, written exactly, so no two ticks read alike."""

from __future__ import annotations

import math

import numpy as np

from tuiheat.core.scale import ValueRange


def scale_ticks(vrange: ValueRange, max_ticks: int = 6) -> list[float]:
    """Ticks of the scale: round values, or powers of ten (and 2, 5 between) on a log scale."""
    if not vrange.log:
        return nice_ticks(vrange.vmin, vrange.vmax, max_ticks)
    lo, hi = math.log10(vrange.vmin), math.log10(vrange.vmax)
    decades = [10.0**k for k in range(math.ceil(lo - 1e-9), math.floor(hi + 1e-9) + 1)]
    if len(decades) >= 3:
        step = max(1, math.ceil(len(decades) / max_ticks))
        return decades[::step]
    ticks = [m * 10.0**k for k in range(math.floor(lo), math.ceil(hi) + 1) for m in (1, 2, 5)]
    return [t for t in ticks if vrange.vmin * (1 - 1e-9) <= t <= vrange.vmax * (1 + 1e-9)] or [
        vrange.vmin,
        vrange.vmax,
    ]


TICK_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)  # x 10^k, as matplotlib's MaxNLocator steps


def nice_ticks(vmin: float, vmax: float, max_ticks: int = 6) -> list[float]:
    """Round tick values inside [vmin, vmax]: the most (at most ``max_ticks``) on the
    finest step of 1, 2, 2.5 or 5 x 10^k, like matplotlib's MaxNLocator; the two ends
    when no step puts two ticks inside.

    0.5..1.0 gives 0.5, 0.6, ..., 1.0 like the seed figure's colour bar; ±0.075 gives
    -0.075, -0.05, ..., 0.075 or -0.06, -0.04, ..., 0.06 by the room.
    """
    if not (math.isfinite(vmin) and math.isfinite(vmax)):
        return []
    if vmax <= vmin:
        return [vmin]
    max_ticks = max(2, max_ticks)
    half = vmax / 2 - vmin / 2  # no overflow near ±1e308
    smallest = 2 * half / (max_ticks + 1)  # any finer step puts more ticks inside
    if not math.isfinite(smallest) or smallest < 1e-300:
        return [vmin, vmax]
    exponent = math.floor(math.log10(smallest))
    for power in (exponent, exponent + 1, exponent + 2):
        for mult in TICK_STEPS:
            step = mult * 10.0**power
            if step < smallest * (1 - 1e-9):
                continue
            first = math.ceil(vmin / step - 1e-9)
            last = math.floor(vmax / step + 1e-9)
            if last - first + 1 > max_ticks:
                continue
            if last - first < 1:  # fewer than two round ticks fit: the ends say the range
                return [vmin, vmax]
            return [_round_tick(k * mult, power) for k in range(first, last + 1)]
    return [vmin, vmax]


def _round_tick(units: float, power: int) -> float:
    """``units`` x 10^power as the float nearest the decimal (0.075, not 0.07500000000000001)."""
    return units / 10.0**-power if power < 0 else units * 10.0**power


def _decimals(value: float) -> int:
    """Digits after the point of the shortest text that reads back as ``value``."""
    text = np.format_float_positional(value, trim="-")
    return len(text.split(".")[1]) if "." in text else 0


def _significant(value: float) -> int:
    """Significant digits of the shortest text that reads back as ``value``."""
    return len(
        np.format_float_scientific(value, trim="-").split("e")[0].lstrip("-").replace(".", "")
    )


def tick_text(value: float, ticks: list[float]) -> str:
    """A tick label exact for every tick: as many decimals as the finest of ``ticks``
    needs, so ticks read apart (0.075 and 0.025 never as 0.07 and 0.02); powers of ten
    (a log scale's) and extreme magnitudes as ``1e-09``, ``1.000002e+06``."""
    finite = [t for t in ticks if math.isfinite(t)] or [value]
    decimals = max(_decimals(t) for t in finite)
    with np.errstate(over="ignore", invalid="ignore"):  # ticks near ±1e308: gaps overflow
        gaps = np.diff(finite)
    even = gaps.size < 2 or bool(np.allclose(gaps, gaps[0], rtol=1e-6, atol=0.0))
    if even and decimals <= 6 and max(abs(t) for t in finite) < 1e6:
        return f"{value:.{decimals}f}"
    digits = min(17, max(3, max(_significant(t) for t in finite)))
    text = f"{value:.{digits}g}"
    if not even:  # a log scale's: each tick its shortest exact text (1e-04, not 0.0001)
        science = np.format_float_scientific(value, trim="-", exp_digits=2)
        text = min(text, science, key=len)
    return text
