"""How faithful 256- and 16-colour drawings of the colour maps are (run on demand).

    python tests/bench_colours.py

For each built-in map, 64 points spread over the scale (for Blues: 0.5–1.0 of the seed
figure): the mean and largest OKLab ΔE (×100) between the true colour and what is seen,
and how many distinct shades the points get; beside it, the nearest single palette
colour, as tuiheat drew 256 colours before (and as cursor, frames and numbers still are).
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


def main() -> None:
    print(f"ΔE×100 over {POINTS} points: mean / max / distinct shades\n")
    print("| map | colours | two colours (▒) | one colour |")
    print("|---|---|---|---|")
    for name in COLORMAPS:
        for colours in (256, 16):
            pair = fidelity(get_palette(name), colours, POINTS)
            one = single_colour(name, colours)
            print(
                f"| {name} | {colours} | {pair[0]:.2f} / {pair[1]:.2f} / {pair[2]} "
                f"| {one[0]:.2f} / {one[1]:.2f} / {one[2]} |"
            )


if __name__ == "__main__":
    main()
