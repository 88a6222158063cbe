"""The grid as real pixels: each value a k × k square of its colour map colour, and that
bitmap as a terminal graphics sequence (the kitty graphics protocol).

A text cell shows one value (two with half blocks); a terminal that draws images shows as
many values as it has pixels. The colours are the colour map's own, bin for bin, with no
palette between them and the screen (the 256-colour cube does not apply): a value's pixel
is ``palette.rgb[bin]``, NaN the export's grey. Scaling is nearest, never smoothed, so a
pixel read back is a value's colour.

The kitty protocol sends RGB rows compressed with zlib (``o=z``), base64 in chunks of 4096
characters (``m=1`` until the last); ``q=2`` keeps the terminal from answering, so nothing
comes back on the keyboard's input.
"""

from __future__ import annotations

import base64
import zlib

import numpy as np

from tuiheat.core.colormap import NAN_RGB, Palette
from tuiheat.core.scale import NAN_BIN, ValueRange, to_bins

CHUNK = 4096  # base64 characters per escape sequence, as the protocol asks
ESC = "\x1b"


def value_colours(values: np.ndarray, vrange: ValueRange, palette: Palette) -> np.ndarray:
    """(rows, cols, 3) uint8: each value's colour map colour, NaN grey."""
    bins = to_bins(values, vrange, palette.size)
    rgb = np.empty((*bins.shape, 3), dtype=np.uint8)
    finite = bins != NAN_BIN
    rgb[finite] = palette.rgb[bins[finite]]
    rgb[~finite] = NAN_RGB
    return rgb


def value_pixels(
    values: np.ndarray, vrange: ValueRange, palette: Palette, k: int = 1
) -> np.ndarray:
    """The bitmap of ``values``: each a ``k`` × ``k`` square (nearest, never smoothed)."""
    rgb = value_colours(values, vrange, palette)
    if k > 1:
        rgb = np.repeat(np.repeat(rgb, k, axis=0), k, axis=1)
    return rgb


def kitty_image(rgb: np.ndarray, image_id: int, cols: int, rows: int, level: int = 6) -> str:
    """``rgb`` (height, width, 3) as kitty graphics sequences that transmit it as image
    ``image_id`` and place it at the cursor, scaled to ``cols`` × ``rows`` cells."""
    height, width = rgb.shape[:2]
    payload = base64.standard_b64encode(zlib.compress(np.ascontiguousarray(rgb).tobytes(), level))
    text = payload.decode("ascii")
    head = f"a=T,f=24,o=z,s={width},v={height},i={image_id},c={cols},r={rows},C=1,q=2"
    parts = [text[k : k + CHUNK] for k in range(0, len(text), CHUNK)] or [""]
    out = []
    for n, part in enumerate(parts):
        more = 1 if n < len(parts) - 1 else 0
        keys = f"{head},m={more}" if n == 0 else f"m={more}"
        out.append(f"{ESC}_G{keys};{part}{ESC}\\")
    return "".join(out)


def kitty_delete(image_id: int) -> str:
    """The sequence that removes image ``image_id`` and frees its data in the terminal."""
    return f"{ESC}_Ga=d,d=I,i={image_id},q=2{ESC}\\"
