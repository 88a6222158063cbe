"""How faithful 256- and 16-colour drawings of the colour maps are (run on demand).

    python tests/bench_colours.py

For each built-in map, 64 points spread over the scale (for Blues: 0.5–1.0 of the seed
figure): the mean and largest OKLab ΔE (×100) between the true colour and what is seen,
and how many distinct shades the points get. Full cells mix two palette colours in
quarters (``░`` ``▒``); half-block cells 2 characters wide in halves (wider ones in
finer steps); beside them, the nearest single palette colour, as tuiheat drew 256
colours before (and as cursor, frames and numbers still are).
``tests/measure_delta_e.py`` measures the cells as the viewer draws them.
"""

from __future__ import annotations

import numpy as np

from tuiheat.core.colormap import COLORMAPS, get_palette, quantize_256, xterm_palette
from tuiheat.core.dither import XTERM_16, fidelity, oklab, singles_16

POINTS = 64


def single_colour(name: str, colours: int) -> tuple[float, float, int]:
    palette = get_palette(name)
    at = np.linspace(0, palette.size - 1, POINTS).round().astype(int)
    if colours == 256:
        numbers = quantize_256(palette.rgb[at])
        rgb = np.vstack([XTERM_16, xterm_palette()])[numbers]
    else:
        numbers = singles_16(palette)[at]
        rgb = XTERM_16[numbers]
    error = 100 * np.linalg.norm(oklab(palette.rgb[at]) - oklab(rgb), axis=1)
    return float(error.mean()), float(error.max()), len(set(numbers.tolist()))


def figures(measured: tuple[float, float, int]) -> list[str]:
    mean, worst, shades = measured
    return [f"{mean:.2f}", f"{worst:.2f}", str(shades)]


def main() -> None:
    print(f"ΔE×100 over {POINTS} points: mean / max / distinct shades\n")
    print("| map | colours | full cells (░ ▒) | half blocks, 2 wide | one colour |")
    print("|---|---|---|---|---|")
    for name in COLORMAPS:
        for colours in (256, 16):
            cells = fidelity(get_palette(name), colours, POINTS)
            halves = fidelity(get_palette(name), colours, POINTS, parts=2)
            one = single_colour(name, colours)
            print(
                f"| {name} | {colours} | {' / '.join(figures(cells))} "
                f"| {' / '.join(figures(halves))} | {' / '.join(figures(one))} |"
            )


if __name__ == "__main__":
    main()
