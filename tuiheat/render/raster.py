"""PNG and PDF export: the SVG's picture (title, labels, cells, boxes, colour bar) drawn
with Pillow, for Slack, slides and papers without a browser.

Pillow is an optional extra (``pip install 'tuiheat[png]'``), imported only here: it is
the maintained raster library of the Python world, its wheels carry FreeType and a
default font, and it writes PDF too, so one drawing serves both formats. Text is drawn in
a system font when one is found (DejaVu Sans on most Linux servers), else in Pillow's own,
with stand-ins for the glyphs a font lacks.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import numpy as np

from tuiheat.core.colormap import get_palette
from tuiheat.core.labels import sanitize
from tuiheat.core.matrix import HeatMatrix
from tuiheat.core.scale import (
    ValueRange,
    normalize,
    range_text,
)
from tuiheat.core.ticks import scale_ticks, tick_text
from tuiheat.render.export import picture
from tuiheat.render.pixels import value_colours

# A system font that has the glyphs labels use (␣the, ↵, −, ×, é); Pillow's own default font
# has little beyond ASCII. Any glyph the font lacks is drawn as a plain stand-in, never a box.
FONT_FILES = ("DejaVuSans.ttf", "LiberationSans-Regular.ttf", "NotoSans-Regular.ttf")
BOLD_FILES = ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf", "NotoSans-Bold.ttf")
PLAIN = {"×": "x", "–": "-", "—": "-", "−": "-", "…": "...", "│": "|", "≈": "~", "·": "-"}
PLAIN |= {"␣": "_", "↵": "\\n", "▾": "v", "∅": "(empty)", "⇥": "\\t"}
SCALE = 2  # pixels per SVG unit: sharp on high-density screens and in slides
NEEDS = "PNG and PDF export need Pillow: pip install 'tuiheat[png]'"


def _pillow() -> Any:
    try:
        from PIL import Image, ImageDraw, ImageFont
    except ImportError:
        raise RuntimeError(NEEDS) from None
    return Image, ImageDraw, ImageFont


def heatmap_image(
    matrix: HeatMatrix, vrange: ValueRange, colormap: str = "blues", title: str = ""
) -> Any:
    """The picture as a Pillow RGB image, laid out as the SVG is (same cells, same places)."""
    image_mod, draw_mod, font_mod = _pillow()
    shown = picture(matrix, title)
    zoom, values, box = shown.zoom, shown.values, shown.box
    rows, cols = values.shape
    palette = get_palette(colormap)
    s = SCALE
    font = _font(font_mod, FONT_FILES, 11 * s)
    bold = _font(font_mod, BOLD_FILES, 14 * s)
    plain = Lettering(font)
    row_labels = [plain(x) for x in shown.row_labels]
    col_labels = [plain(x) for x in shown.col_labels]
    heading, note = Lettering(bold)(shown.heading), plain(shown.note)
    image = image_mod.new("RGB", (box.width * s, box.height * s), "white")
    draw = draw_mod.Draw(image)

    image.paste(_cells(image_mod, values, vrange, palette, box), (box.left * s, box.top * s))
    draw.text((box.left * s, 6 * s), heading, fill="black", font=bold)
    draw.text((box.left * s, 26 * s), note, fill="#555555", font=font)
    col_title_x = (box.left + cols * box.cw / 2) * s
    draw.text((col_title_x, 40 * s), plain(matrix.col_title), fill="black", font=font, anchor="mt")
    draw.text(
        ((box.left - 4) * s, (box.top - 6) * s),
        plain(matrix.row_title),
        fill="black",
        font=font,
        anchor="rb",
    )
    _axis_labels(image, image_mod, draw_mod, draw, font, row_labels, col_labels, box)
    for region in matrix.boxes:
        vb = zoom.to_view_box(region)
        x0, y0 = (box.left + vb.c0 * box.cw) * s, (box.top + vb.r0 * box.ch) * s
        x1, y1 = x0 + vb.n_cols * box.cw * s - 1, y0 + vb.n_rows * box.ch * s - 1
        draw.rectangle((x0, y0, x1, y1), outline="black", width=2 * s)
    x = box.left + cols * box.cw + 30
    _colorbar(draw, font, plain, palette, vrange, x, box.top, min(rows * box.ch, 300))
    return image


def _cells(image_mod: Any, values: np.ndarray, vrange: ValueRange, palette: Any, box: Any) -> Any:
    """A colour per bin, NaN grey; scaled up without smoothing, in one call."""
    rows, cols = values.shape
    rgb = value_colours(values, vrange, palette)
    size = (cols * box.cw * SCALE, rows * box.ch * SCALE)
    return image_mod.fromarray(rgb, "RGB").resize(size, image_mod.Resampling.NEAREST)


def _axis_labels(
    image: Any,
    image_mod: Any,
    draw_mod: Any,
    draw: Any,
    font: Any,
    row_labels: list[str],
    col_labels: list[str],
    box: Any,
) -> None:
    """Row labels right-aligned (thinned past 120 rows), column labels upright (to 80)."""
    s, rows, cols = SCALE, len(row_labels), len(col_labels)
    for r in range(rows):
        if rows <= 120 or r % max(1, rows // 60) == 0:
            y = (box.top + r * box.ch + box.ch / 2) * s
            draw.text(((box.left - 4) * s, y), row_labels[r], fill="black", font=font, anchor="rm")
    if cols <= 80:
        for c in range(cols):
            x = (box.left + c * box.cw + box.cw / 2) * s
            _upright(image, image_mod, draw_mod, font, col_labels[c], x, (box.top - 4) * s)


def _font(font_mod: Any, names: tuple[str, ...], size: int) -> Any:
    for name in names:  # Pillow looks for a bare name in the system's font folders
        try:
            return font_mod.truetype(name, size)
        except OSError:
            continue
    return font_mod.load_default(size=size)


class Lettering:
    """Text as ``font`` can draw it: each glyph it lacks becomes a stand-in (``␣`` -> ``_``,
    ``é`` -> ``e``, else ``?``), found once per character by comparing it with a glyph no
    font has."""

    def __init__(self, font: Any) -> None:
        self.font = font
        self.missing = self._looks(chr(0xE000))  # a private-use point: the font's "no glyph"
        self.known: dict[str, bool] = {}

    def _looks(self, ch: str) -> tuple[object, bytes]:
        mask = self.font.getmask(ch)
        return mask.size, bytes(mask)

    def __call__(self, text: str) -> str:
        out = []
        for ch in sanitize(text):
            drawn = self.known.get(ch)
            if drawn is None:
                drawn = self.known[ch] = ch == " " or self._looks(ch) != self.missing
            out.append(ch if drawn else _stand_in(ch))
        return "".join(out)


def _stand_in(ch: str) -> str:
    plain = PLAIN.get(ch)
    if plain is not None:
        return plain
    base = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
    return base or "?"


def _upright(
    image: Any, image_mod: Any, draw_mod: Any, font: Any, text: str, x: float, bottom: float
) -> None:
    """A column label read bottom to top, its foot at (x, bottom), as in the SVG."""
    left, top, right, low = font.getbbox(text)
    label = image_mod.new("L", (max(1, right - left), max(1, low - top)), 0)
    draw_mod.Draw(label).text((-left, -top), text, fill=255, font=font)
    label = label.rotate(90, expand=True)
    w, h = label.size
    image.paste((0, 0, 0), (int(x - w / 2), int(bottom - h)), label)


def _colorbar(
    draw: Any,
    font: Any,
    plain: Lettering,
    palette: Any,
    vrange: ValueRange,
    x: int,
    y: int,
    height: int,
) -> None:
    s = SCALE
    for i in range(height * s):
        k = round((height * s - 1 - i) / max(1, height * s - 1) * (palette.size - 1))
        draw.line(
            ((x * s, y * s + i), ((x + 16) * s - 1, y * s + i)),
            fill=tuple(int(v) for v in palette.rgb[k]),
        )
    ticks = scale_ticks(vrange, 6)
    for t, pos in zip(ticks, normalize(np.array(ticks), vrange).tolist()):
        ty = (y + (1 - pos) * height) * s
        draw.line((((x + 16) * s, ty), ((x + 20) * s, ty)), fill="black", width=s)
        draw.text(((x + 23) * s, ty), tick_text(t, ticks), fill="black", font=font, anchor="lm")
    draw.text(
        (x * s, (y + height + 6) * s),
        plain(range_text(vrange).replace("–", " to ")),
        fill="#555555",
        font=font,
    )


def image_bytes(image: Any, suffix: str) -> bytes:
    """PNG, or PDF for ``.pdf``; written by the caller atomically."""
    import io

    out = io.BytesIO()
    if suffix.lower() == ".pdf":
        image.save(out, "PDF", resolution=72.0 * SCALE)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()
