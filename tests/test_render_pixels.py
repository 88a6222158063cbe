"""Real pixels (issue 30, first step): the bitmap of a grid holds every value's colour map
colour, bin for bin, and the kitty graphics sequences carry exactly that bitmap; decoding
them gives the colour of every value back."""

from __future__ import annotations

import base64
import re
import zlib

import numpy as np
import pytest

from tuiheat.core.colormap import NAN_RGB, get_palette
from tuiheat.core.scale import ValueRange, to_bins
from tuiheat.render.pixels import CHUNK, kitty_delete, kitty_image, value_pixels

SEQUENCE = re.compile(r"\x1b_G([^;]*);([^\x1b]*)\x1b\\")


def decode_kitty(text: str) -> tuple[dict[str, str], np.ndarray]:
    """What a terminal does with the sequences: the first one's keys, and the image."""
    found = SEQUENCE.findall(text)
    assert "".join(f"\x1b_G{k};{p}\x1b\\" for k, p in found) == text  # nothing else sent
    keys = dict(item.split("=") for item in found[0][0].split(","))
    flags = [dict(item.split("=") for item in k.split(","))["m"] for k, _ in found]
    assert flags == ["1"] * (len(found) - 1) + ["0"]  # more, more, ..., last
    assert all(len(p) <= CHUNK for _, p in found)
    raw = base64.standard_b64decode("".join(p for _, p in found))
    if keys.get("o") == "z":
        raw = zlib.decompress(raw)
    width, height = int(keys["s"]), int(keys["v"])
    assert keys["f"] == "24" and len(raw) == width * height * 3
    return keys, np.frombuffer(raw, dtype=np.uint8).reshape(height, width, 3)


@pytest.mark.parametrize("cmap", ["blues", "viridis", "RdBu"])
@pytest.mark.parametrize("k", [1, 3])
def test_every_pixel_decoded_is_its_values_colour(cmap: str, k: int) -> None:
    values = np.random.default_rng(30).random((37, 53)) * 4 - 1
    values[5, 7] = np.nan
    vrange, palette = ValueRange(-1.0, 3.0), get_palette(cmap)
    image = value_pixels(values, vrange, palette, k)
    keys, decoded = decode_kitty(kitty_image(image, image_id=7, cols=40, rows=20))
    assert (keys["a"], keys["i"], keys["c"], keys["r"], keys["q"]) == ("T", "7", "40", "20", "2")
    assert decoded.shape == (37 * k, 53 * k, 3)
    bins = to_bins(values, vrange, palette.size)
    for row in range(37):
        for col in range(53):
            block = decoded[row * k : (row + 1) * k, col * k : (col + 1) * k]
            want = NAN_RGB if bins[row, col] < 0 else tuple(palette.rgb[bins[row, col]])
            assert (block == np.asarray(want, dtype=np.uint8)).all(), (row, col)


def test_a_big_image_goes_in_chunks_and_can_be_taken_back() -> None:
    noise = np.random.default_rng(1).integers(0, 256, (300, 400, 3), dtype=np.uint8)
    text = kitty_image(noise, image_id=3, cols=100, rows=30)
    assert text.count("\x1b_G") > 10  # incompressible: many chunks of 4096
    np.testing.assert_array_equal(decode_kitty(text)[1], noise)
    assert kitty_delete(3) == "\x1b_Ga=d,d=I,i=3,q=2\x1b\\"
